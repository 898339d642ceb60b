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

import bisect
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

import bibtexparser
from bibtexparser.model import Entry, ParsingFailedBlock

from auditor.errors import AuditorError
from auditor.fixes.plan import Edit, EntryFields
from auditor.sources.bibvalues import split_missing_commas, strip_comments

# The splitter's marks: value delimiters, separators and block starts (`@type` before `{`/`(`);
# a mark escaped by a backslash is none. In a `(`-delimited block `)` is a mark too.
_BLOCK_START = re.compile(r"@(\w*)[ \t]*(?=[{(])")
_MARKS = re.compile(r'(?<!\\)[{}",=]|@\w*[ \t]*(?=[{(])')
_PAREN_MARKS = re.compile(r'(?<!\\)[{}",=)]|@\w*[ \t]*(?=[{(])')
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class EditError(AuditorError):
    """The edit could not be made safely (an entry not found, a result that does not parse as
    planned). Raised instead of writing a damaged file."""


@dataclass(frozen=True)
class FieldSpan:
    """One field's offsets: `name` [name_start, name_end), the `=`, the value [value_start,
    value_end) without surrounding spaces, and the comma that follows it (or None)."""

    name: str
    name_start: int
    name_end: int
    equals: int
    value_start: int
    value_end: int
    comma: int | None


@dataclass(frozen=True)
class EntrySpan:
    """One entry's offsets: its `@`, the opening delimiter, the comma after the key (None for
    `@misc{key}`), the closing delimiter, its fields; `line` is the 1-based line of the `@`, as
    the reader numbers it."""

    key: str
    entry_type: str
    line: int
    start: int
    opening: int
    key_comma: int | None
    close: int
    fields: tuple[FieldSpan, ...]

    def field(self, name: str) -> FieldSpan | None:
        """The first field called `name` (case-insensitive)."""
        return next((f for f in self.fields if f.name.lower() == name.lower()), None)


# ---------------------------------------------------------------------------------------------
# Scanning


class _Abort(Exception):
    def __init__(self, resume: int):
        self.resume = resume


class _Marks:
    """The marks of one block, one at a time, with one mark of look-back (as the splitter)."""

    def __init__(self, s: str, start: int, close: str):
        self.s, self.close = s, close
        self._it = (_PAREN_MARKS if close == ")" else _MARKS).finditer(s, start)
        self._back: re.Match | None = None

    def next(self) -> re.Match:
        if self._back is not None:
            mark, self._back = self._back, None
            return mark
        mark = next(self._it, None)
        if mark is None:
            raise _Abort(len(self.s))
        return mark

    def push_back(self, mark: re.Match) -> None:
        self._back = mark


def _skeleton(text: str) -> str:
    """The text as the scanner sees it, offsets unchanged: line breaks all `\\n` (`\\r\\n` →
    ` \\n`, a lone `\\r` → `\\n`), and the `%` comments that `strip_comments` removes blanked."""
    return strip_comments(text.replace("\r\n", " \n").replace("\r", "\n"), blank=True)


def _at_line_start(s: str, pos: int) -> bool:
    i = pos - 1
    while i >= 0 and s[i] != "\n":
        if not s[i].isspace():
            return False
        i -= 1
    return True


def _to_closing(marks: _Marks, track_quotes: bool) -> int:
    """Index of the delimiter closing a block (comment, string, preamble), skipping `{…}`."""
    depth, quoted = 0, False
    track_quotes = track_quotes and marks.close == ")"
    while True:
        mark = marks.next()
        g = mark.group()
        if g == "{":
            depth += 1
        elif g == "}" and depth > 0:
            depth -= 1
        elif depth == 0 and g == '"' and track_quotes:
            quoted = not quoted
        elif depth == 0 and g == marks.close and not quoted:
            return mark.start()
        elif g.startswith("@") and _at_line_start(marks.s, mark.start()):
            raise _Abort(mark.start())


def _to_value_end(marks: _Marks) -> int:
    """Index of the `,` or closing delimiter that ends a field's value."""
    s, quoted, depth = marks.s, False, 0
    while True:
        mark = marks.next()
        g, pos = mark.group(), mark.start()
        if g == '"' and depth == 0:
            if quoted and pos > 0 and pos + 2 < len(s) and s[pos - 1] == "{" and \
                    s[pos + 1] == "}":
                continue  # {"}: a literal quote inside a quoted value
            quoted = not quoted
        elif g == "{" and not quoted:
            depth += 1
        elif g == "}" and not quoted and depth > 0:
            depth -= 1
        elif g in (",", marks.close) and not quoted and depth == 0:
            marks.push_back(mark)
            return pos
        elif g.startswith("@") and _at_line_start(s, pos):
            raise _Abort(pos)


def _span(s: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) without the whitespace at either side."""
    while start < end and s[start].isspace():
        start += 1
    while end > start and s[end - 1].isspace():
        end -= 1
    return start, end


def _scan_entry(s: str, at: re.Match, line: int) -> tuple[EntrySpan, int]:
    opening = at.end()
    close = ")" if s[opening] == "(" else "}"
    marks = _Marks(s, opening + 1, close)
    first = marks.next()
    entry_type = at.group(1)
    if first.group() == close:
        a, b = _span(s, opening + 1, first.start())
        return EntrySpan(s[a:b], entry_type, line, at.start(), opening, None, first.start(),
                         ()), first.end()
    if first.group() != ",":
        raise _Abort(first.start())
    a, b = _span(s, opening + 1, first.start())
    key = s[a:b]
    fields: list[FieldSpan] = []
    name_from = first.end()
    while True:
        equals = marks.next()
        if equals.group() == close:
            if s[name_from:equals.start()].strip():
                raise _Abort(equals.end())
            return EntrySpan(key, entry_type, line, at.start(), opening, first.start(),
                             equals.start(), tuple(fields)), equals.end()
        if equals.group() != "=":
            raise _Abort(equals.start())
        value_end = _to_value_end(marks)
        name_start, name_end = _span(s, name_from, equals.start())
        value_start, value_stop = _span(s, equals.end(), value_end)
        after = marks.next()
        if after.group() == ",":
            comma = after.start()
            name_from = after.end()
        elif after.group() == close:
            marks.push_back(after)
            comma = None
            name_from = after.start()
        else:
            raise _Abort(after.start())
        fields.append(FieldSpan(s[name_start:name_end], name_start, name_end, equals.start(),
                                value_start, value_stop, comma))


def scan_entries(text: str) -> list[EntrySpan]:
    """Every entry bibtexparser's splitter would read, with offsets into `text`; `@comment`,
    `@string`, `@preamble` and broken blocks are stepped over."""
    s = _skeleton(text)
    breaks = [m.start() for m in re.finditer("\n", s)]
    entries: list[EntrySpan] = []
    pos = 0
    while True:
        at = _BLOCK_START.search(s, pos)
        if at is None:
            return entries
        kind = at.group(1).lower()
        close = ")" if s[at.end()] == "(" else "}"
        try:
            if kind.startswith("comment"):  # as the splitter: `@commentary{…}` too
                pos = _to_closing(_Marks(s, at.end() + 1, close), track_quotes=False) + 1
            elif kind.startswith(("string", "preamble")):
                pos = _to_closing(_Marks(s, at.end() + 1, close), track_quotes=True) + 1
            else:
                entry, pos = _scan_entry(s, at, bisect.bisect_left(breaks, at.start()) + 1)
                entries.append(entry)
        except _Abort as abort:
            pos = max(abort.resume, at.end())


def _reader_entries(text: str) -> dict[int, Entry]:
    """The entries as the reader parses them (auditor.sources.bibtex), by line of their `@`."""
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    library = bibtexparser.parse_string(strip_comments(normalised), parse_stack=[])
    found: dict[int, Entry] = {}
    for block in library.blocks:
        inner = getattr(block, "ignore_error_block", None) or block
        if isinstance(inner, Entry):
            found.setdefault(inner.start_line + 1, inner)
    return found


def _squash(value: str) -> str:
    return " ".join(value.split())


def _agrees(span: EntrySpan, entry: Entry | None, text: str) -> bool:
    """Whether the scanner and bibtexparser read the same entry: key, field names, values."""
    if entry is None or entry.key != span.key or len(entry.fields) != len(span.fields):
        return False
    return all(f.key == g.name and isinstance(f.value, str)
               and _squash(f.value) == _squash(text[g.value_start:g.value_end])
               for f, g in zip(entry.fields, span.fields, strict=True))


def read_entries(text: str) -> list[EntryFields]:
    """The entries of a BibTeX text for the planner: key, line, fields by lower-cased name (the
    first of a duplicated name; a field swallowed by a missing comma counts too). An entry the
    scanner and the reader's parser do not read alike, or one with a missing comma, is marked
    not editable."""
    parsed = _reader_entries(text)
    out = []
    for span in scan_entries(text):
        fields: dict[str, str] = {}
        swallowed = False
        for f in span.fields:
            pieces = split_missing_commas(f.name, text[f.value_start:f.value_end])
            swallowed = swallowed or len(pieces) > 1
            for name, raw in pieces:
                fields.setdefault(name.lower(), raw.strip())
        out.append(EntryFields(span.key, span.line, fields, editable=not swallowed and _agrees(
            span, parsed.get(span.line), text)))
    return out


# ---------------------------------------------------------------------------------------------
# Editing


def _eol(text: str, near: int | None = None) -> str:
    """The line ending used after `near` (else the file's first one, else `\\n`)."""
    match = _LINE_BREAK.search(text, near or 0) if near is not None else None
    match = match or _LINE_BREAK.search(text)
    return match.group() if match else "\n"


def _line_start(text: str, pos: int) -> int:
    return max(text.rfind("\n", 0, pos), text.rfind("\r", 0, pos)) + 1


def _line_end(text: str, pos: int) -> int:
    match = _LINE_BREAK.search(text, pos)
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
        out += (eol if out.strip() else "") + _LINE_BREAK.sub(eol, block.strip()) + eol
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
            expected.append((f.key.lower(), _squash(f.value) if value is None else
                             "{" + _squash(value) + "}"))
        expected += [((e.field or "").lower(), "{" + _squash(e.value or "") + "}")
                     for e in group if e.action == "add"]
        got = [(f.key.lower(), _squash(f.value)) for f in changed.fields]
        got = [(k, v if i < len(entry.fields) and v == expected[i][1] else "{" + _squash(
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
