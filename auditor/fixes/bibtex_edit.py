"""Text surgery on a BibTeX file: add fields, replace a value, append entries — and nothing else.

Pure: text in, text out. The file is never re-serialised: every entry is located with its
fields' offsets by a scanner that follows bibtexparser v2's splitter (the reader's own parser),
then each edit becomes an insertion or the replacement of one value's inside. Everything the
edits do not name keeps its bytes: comments (`%` lines, `@comment`), `@string` and `@preamble`,
field order, quoting (braces or quotes), indentation (spaces or tabs), line endings (CRLF stays
CRLF) and the final newline, or its absence.

A new field is written as the entry's last field, in the entry's own style: the indentation and
`name = {value}` spacing of its fields (aligned `=` stay aligned), its quoting, its trailing
comma or none, on a new line — or on the same line for an entry written on one line.

`check_edit(before, after, edits)` parses both texts as the reader does and refuses a result
whose entries are not exactly the old ones plus the planned changes.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

import bibtexparser
from bibtexparser.model import Entry, ParsingFailedBlock

from auditor.errors import AuditorError
from auditor.fixes.bibtex_scan import LINE_BREAK, EntrySpan, scan_entries, squash
from auditor.fixes.plan import Edit
from auditor.sources.bibvalues import strip_comments


class EditError(AuditorError):
    """The edit could not be made safely (an entry not found, a result that does not parse as
    planned). Raised instead of writing a damaged file."""


# ---------------------------------------------------------------------------------------------
# Editing


def _eol(text: str, near: int | None = None) -> str:
    """The line ending used after `near` (else the file's first one, else `\\n`)."""
    match = LINE_BREAK.search(text, near or 0) if near is not None else None
    match = match or LINE_BREAK.search(text)
    return match.group() if match else "\n"


def _line_start(text: str, pos: int) -> int:
    return max(text.rfind("\n", 0, pos), text.rfind("\r", 0, pos)) + 1


def _line_end(text: str, pos: int) -> int:
    match = LINE_BREAK.search(text, pos)
    return match.start() if match else len(text)


def _one_line(text: str) -> str:
    return " " if "\n" in text or "\r" in text else text


def _field_text(text: str, entry: EntrySpan, name: str, value: str) -> str:
    """`name = {value}` in the entry's style: name case, `=` spacing (aligned or not), quoting."""
    fields = entry.fields
    names = [f.name for f in fields if any(c.isalpha() for c in f.name)]
    if names and all(n.isupper() for n in names):
        name = name.upper()
    if not fields:
        return f"{name} = {{{value}}}"
    last = fields[-1]
    gap = _one_line(text[last.name_end:last.equals])
    lined = [f for f in fields if text[_line_start(text, f.name_start):f.name_start].strip() == ""
             and text[f.name_end:f.equals].strip(" \t") == ""]
    widths = {f.equals - f.name_start for f in lined}
    tabs = any("\t" in text[f.name_end:f.equals] for f in lined)
    lengths = {len(f.name) for f in lined}
    if len(lengths) >= 2 and len(widths) == 1 and not tabs:  # `author  = …`, `title   = …`
        width = widths.pop()
        least = min(f.equals - f.name_end for f in lined)
        gap = " " * (width - len(name) if width - len(name) >= least else least)
    after = _one_line(text[last.equals + 1:last.value_start])
    quotes = next((text[f.value_start] for f in reversed(fields)
                   if text[f.value_start] in '{"'), "{")
    if quotes == '"' and '"' not in value:
        return f'{name}{gap}={after}"{value}"'
    return f"{name}{gap}={after}{{{value}}}"


def _insertions(text: str, entry: EntrySpan, added: list[tuple[str, str]]
                ) -> list[tuple[int, int, str]]:
    """The (start, end, new text) operations that add fields at the end of an entry."""
    bodies = [_field_text(text, entry, name, value) for name, value in added]
    if not entry.fields:
        if entry.key_comma is None:  # `@misc{key}` → `@misc{key, doi = {…}}`
            pos = entry.close
            while pos > entry.opening + 1 and text[pos - 1].isspace():
                pos -= 1
            return [(pos, pos, ", " + ", ".join(bodies))]
        inside = text[entry.key_comma + 1:entry.close]
        if "\n" in inside or "\r" in inside:
            eol = _eol(text, entry.key_comma)
            return [(entry.key_comma + 1, entry.key_comma + 1,
                     "".join(f"{eol}  {b}" + ("," if i < len(bodies) - 1 else "")
                             for i, b in enumerate(bodies)))]
        return [(entry.key_comma + 1, entry.key_comma + 1, " " + ", ".join(bodies))]
    last = entry.fields[-1]
    trailing = last.comma is not None
    after_last = last.comma + 1 if trailing else last.value_end
    ops: list[tuple[int, int, str]] = []
    head = _line_start(text, last.name_start)
    own_line = text[head:last.name_start].strip() == ""
    if not own_line:  # one-line entry (or fields sharing a line): continue on that line
        if len(entry.fields) >= 2 and entry.fields[-2].comma is not None:
            sep = _one_line(text[entry.fields[-2].comma + 1:last.name_start]) or " "
        else:
            sep = " "
        joined = ("," + sep).join(bodies)
        new = (sep + joined + ",") if trailing else ("," + sep + joined)
        return [(after_last, after_last, new)]
    indent = text[head:last.name_start]
    line_end = _line_end(text, after_last)
    eol = _eol(text, after_last)
    block = ("," + eol + indent).join(bodies) + ("," if trailing else "")
    if entry.close < line_end:  # `  year = {2020}}`: the closing brace stays after the new field
        return [(after_last, after_last, ("" if trailing else ",") + eol + indent + block)]
    if not trailing:
        ops.append((last.value_end, last.value_end, ","))
    ops.append((line_end, line_end, eol + indent + block))  # after a comment ending the line
    return ops


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """The text with `edits` made (those whose action is not `none`), in one pass from the end.
    Raises EditError when an edit names an entry or field that is not there."""
    entries = {(e.line, e.key): e for e in scan_entries(text)}
    grouped: dict[tuple[int, str], list[Edit]] = {}
    for edit in edits:
        if edit.action != "none":
            grouped.setdefault((edit.line, edit.key), []).append(edit)
    ops: list[tuple[int, int, str]] = []
    for place, group in grouped.items():
        entry = entries.get(place)
        if entry is None:
            raise EditError(f"entry {place[1]} (line {place[0]}) not found in the text")
        added = []
        for edit in group:
            if edit.field is None or edit.value is None:
                raise EditError(f"{edit.kind} for {edit.key} names no field or value")
            if edit.action == "replace":
                ops.append(_replacement(text, entry, edit))
            elif entry.field(edit.field) is not None or edit.field.lower() in (
                    n.lower() for n, _ in added):
                raise EditError(f"{edit.key} already has a field {edit.field}")
            else:
                added.append((edit.field, edit.value))
        if added:
            ops.extend(_insertions(text, entry, added))
    ops.sort(key=lambda op: (op[0], op[1]))  # stable: insertions at one point keep their order
    pieces, pos = [], 0
    for start, end, new in ops:
        if start < pos:
            raise EditError("two edits overlap")
        pieces += [text[pos:start], new]
        pos = end
    pieces.append(text[pos:])
    return "".join(pieces)


def _replacement(text: str, entry: EntrySpan, edit: Edit) -> tuple[int, int, str]:
    """Replace the inside of one `{…}` or `"…"` value, keeping its delimiters."""
    found = entry.field(edit.field or "")
    if found is None:
        raise EditError(f"{edit.key} has no field {edit.field} to replace")
    raw = text[found.value_start:found.value_end]
    braced = raw[:1] == "{" and raw[-1:] == "}"
    quoted = raw[:1] == '"' and raw[-1:] == '"' and '"' not in (edit.value or "")
    if len(raw) < 2 or not (braced or quoted):
        raise EditError(f"{edit.key}: {edit.field} is not one braced or quoted value")
    return found.value_start + 1, found.value_end - 1, edit.value or ""


def append_entries(text: str, blocks: Sequence[str]) -> str:
    """`blocks` (whole entries, each maybe preceded by a `%` comment) appended at the end, a
    blank line before each, in the file's line endings; the final newline kept, or its absence."""
    if not blocks:
        return text
    eol = _eol(text)
    ends = text.endswith(("\n", "\r")) or not text
    out = text if ends else text + eol
    for block in blocks:
        out += (eol if out.strip() else "") + LINE_BREAK.sub(eol, block.strip()) + eol
    return out if ends else out[: -len(eol)]


# ---------------------------------------------------------------------------------------------
# Checking and showing


def check_edit(before: str, after: str, edits: Sequence[Edit], appended: int = 0) -> None:
    """Parse both texts as the reader does and raise EditError unless `after` holds every entry
    of `before`, with the same fields and values in the same order, except the planned
    replacements, followed by exactly the planned new fields — plus `appended` new entries."""
    old, old_failed = _blocks(before)
    new, new_failed = _blocks(after)
    if len(new) != len(old) + appended or new_failed != old_failed:
        raise EditError(f"the result holds {len(new)} entries and {new_failed} unreadable "
                        f"blocks, expected {len(old) + appended} and {old_failed}")
    planned: dict[tuple[int, str], list[Edit]] = {}
    for edit in edits:
        if edit.action != "none":
            planned.setdefault((edit.line, edit.key), []).append(edit)
    for (line, entry), (_, changed) in zip(old, new, strict=False):
        group = planned.get((line, entry.key), [])
        replaced = {(e.field or "").lower(): e.value or "" for e in group
                    if e.action == "replace"}
        expected = []
        for f in entry.fields:
            value = replaced.pop(f.key.lower(), None)
            expected.append((f.key.lower(), squash(f.value) if value is None else
                             "{" + squash(value) + "}"))
        expected += [((e.field or "").lower(), "{" + squash(e.value or "") + "}")
                     for e in group if e.action == "add"]
        got = [(f.key.lower(), squash(f.value)) for f in changed.fields]
        got = [(k, v if i < len(entry.fields) and v == expected[i][1] else "{" + squash(
            _unwrap(v)) + "}") for i, (k, v) in enumerate(got)]
        if changed.key != entry.key or got != expected or replaced:
            raise EditError(f"entry {entry.key} (line {line}) would not read as planned")


def _unwrap(value: str) -> str:
    return value[1:-1] if len(value) >= 2 and value[0] in '{"' else value


def _blocks(text: str) -> tuple[list[tuple[int, Entry]], int]:
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    library = bibtexparser.parse_string(strip_comments(normalised), parse_stack=[])
    entries, failed = [], 0
    for block in library.blocks:
        inner = getattr(block, "ignore_error_block", None) or block
        if isinstance(inner, Entry):
            entries.append((inner.start_line + 1, inner))
        elif isinstance(block, ParsingFailedBlock):
            failed += 1
    return entries, failed


def unified_diff(before: str, after: str, from_name: str, to_name: str) -> str:
    """A unified diff as `diff -u` prints it, lines kept with their own endings; a last line
    without a newline is marked `\\ No newline at end of file`."""
    out = []
    for line in difflib.unified_diff(_lines(before), _lines(after), from_name, to_name):
        out.append(line)
        if not line.endswith(("\n", "\r")):
            out.append("\n\\ No newline at end of file\n")
    return "".join(out)


def _lines(text: str) -> list[str]:
    return re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", text)
