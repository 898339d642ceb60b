"""Where every entry of a BibTeX file and each of its fields stands, to the character — the
map that `auditor fix` edits by (bibtex_edit.py).

The scanner follows bibtexparser v2's splitter (the reader's own parser), so that an entry the
reader sees is an entry located here; `read_entries` keeps only the entries on which the scan
and the reader agree (fields, values), the others are left alone by every edit.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

import bibtexparser
from bibtexparser.model import Entry

from auditor.fixes.plan import EntryFields
from auditor.sources.bibvalues import split_missing_commas, strip_comments

# The splitter's marks: value delimiters, separators and block starts (`@type` before `{`/`(`);
# a mark escaped by a backslash is none. In a `(`-delimited block `)` is a mark too.
_BLOCK_START = re.compile(r"@(\w*)[ \t]*(?=[{(])")
_MARKS = re.compile(r'(?<!\\)[{}",=]|@\w*[ \t]*(?=[{(])')
_PAREN_MARKS = re.compile(r'(?<!\\)[{}",=)]|@\w*[ \t]*(?=[{(])')
LINE_BREAK = re.compile(r"\r\n|\r|\n")


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


def squash(value: str) -> str:
    return " ".join(value.split())


def _agrees(span: EntrySpan, entry: Entry | None, text: str) -> bool:
    """Whether the scanner and bibtexparser read the same entry: key, field names, values."""
    if entry is None or entry.key != span.key or len(entry.fields) != len(span.fields):
        return False
    return all(f.key == g.name and isinstance(f.value, str)
               and squash(f.value) == squash(text[g.value_start:g.value_end])
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
