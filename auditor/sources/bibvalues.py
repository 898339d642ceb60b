"""The text level of BibTeX: comments, field values, macros, name lists and years.

Pure string functions, kept apart from the reader so each can be tested on a one-line value:
`resolve_value('lan # " Global"', {"lan": "The Lancet"})` → `The Lancet Global`.
"""

from __future__ import annotations

import re

from auditor.sources.latex import decode_latex

MONTHS = {m: str(i) for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}
_YEAR = re.compile(r"(?<!\d)([12]\d\d\d)(?!\d)")  # 1000–2999
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
# What `strip_comments` looks at: an escaped character, a brace, a quote, a `%`, and a block
# start at the beginning of a line (where bibtexparser's splitter restarts after a broken block).
_COMMENT_MARKS = re.compile(r'\\.|[{}"%]|^[ \t]*@\w*[ \t]*[{(]', re.S | re.M)


def _split_top_level(value: str, separator: str) -> list[str]:
    """Split on `separator` outside braces and quotes (`lan # " Global"` → [lan, " Global"])."""
    parts, depth, quoted, start = [], 0, False, 0
    for i, ch in enumerate(value):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(0, depth - 1)
        elif ch == '"' and depth == 0 and (i == 0 or value[i - 1] != "\\"):
            quoted = not quoted
        elif ch == separator and depth == 0 and not quoted:
            parts.append(value[start:i])
            start = i + 1
    parts.append(value[start:])
    return parts


def strip_comments(text: str, blank: bool = False) -> str:
    """Remove the `%` comments that stand outside field values, keeping every newline so that
    lines still count: a commented-out `% @manual{rlang, …}`, a `% remark` line between two
    fields, a `% remark` after a value or after the key. BibTeX itself knows no comments, but
    LaTeX users write them and biber and typst's biblatex skip them; a `%` inside `{…}` or `"…"`
    (`5\\% significance`, `%2F` in a URL) is text and is kept. `blank` replaces each comment
    with spaces instead, so that every offset stays where it was (for `auditor fix`)."""
    if "%" not in text:
        return text
    out: list[str] = []
    pos = 0
    for start, end in comment_spans(text):
        out.append(text[pos:start])
        if blank:
            out.append(" " * (end - start))
        pos = end
    out.append(text[pos:])
    return "".join(out)


def comment_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every `%` comment outside field values, each up to its line's end."""
    spans: list[tuple[int, int]] = []
    pos, depth, quoted = 0, 0, False
    for mark in _COMMENT_MARKS.finditer(text):
        char = mark.group()[-1]
        if mark.start() < pos or mark.group()[0] == "\\":
            continue
        if char in "{(" and "@" in mark.group():  # `@article(` counts as a brace here
            depth, quoted = 1, False
        elif char == "{":
            depth += 1
        elif char == "}":
            depth = max(0, depth - 1)
        elif char == '"' and depth == 1:
            quoted = not quoted
        elif char == "%" and depth <= 1 and not quoted:
            end = text.find("\n", mark.start())
            pos = len(text) if end < 0 else end
            spans.append((mark.start(), pos))
    return spans


_NEXT_FIELD = re.compile(r"\s*\n\s*([A-Za-z][\w.:-]*)\s*=\s*(?=[{\"\w])")


def split_missing_commas(key: str, raw: str) -> list[tuple[str, str]]:
    """`("title", "{T}\\n  year = {2019}")` → `[("title", "{T}"), ("year", "{2019}")]`: a value
    that ends, at brace depth 0, and is followed on a new line by `name =` lost its comma."""
    if "=" not in raw or "\n" not in raw:
        return [(key, raw)]
    pieces: list[tuple[str, str]] = []
    depth, quoted, start, name = 0, False, 0, key
    i = 0
    while i < len(raw):
        ch = raw[i]
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(0, depth - 1)
        elif ch == '"' and depth == 0:
            quoted = not quoted
        elif ch == "\n" and depth == 0 and not quoted and i > start:
            match = _NEXT_FIELD.match(raw, i)
            if match:
                pieces.append((name, raw[start:i]))
                name, start = match.group(1), match.end()
                i = match.end()
                continue
        i += 1
    pieces.append((name, raw[start:]))
    return pieces


def resolve_value(raw: str, macros: dict[str, str]) -> str:
    """Turn a raw field value into its text: strip the outer `{}`/`""`, expand macros and `#`."""
    raw = raw.strip()
    pieces = [raw] if "#" not in raw else _split_top_level(raw, "#")
    out = []
    for piece in pieces:
        piece = piece.strip()
        if len(piece) >= 2 and (piece[0], piece[-1]) in (("{", "}"), ('"', '"')):
            out.append(piece[1:-1])
        elif piece.isdigit():
            out.append(piece)
        else:
            name = piece.lower()
            out.append(macros.get(name, MONTHS.get(name, piece)))
    return "".join(out)


def split_authors(value: str) -> tuple[str, ...]:
    """Split a BibTeX name list on top-level `and`, decode it, and write each name as
    "Family, Given" (`Cesar G. Victora` → `Victora, Cesar G.`); a braced corporate name such as
    `{World Health Organization}` stays whole, with no comma."""
    names = []
    for chunk in _split_names(value):
        chunk = chunk.strip()
        if not chunk or chunk.lower() == "others":
            continue
        corporate = chunk.startswith("{") and chunk.endswith("}") and _balanced_outer(chunk)
        name = decode_latex(chunk)
        if not name:
            continue
        if corporate or "," in name:
            names.append(name)
            continue
        words = name.split()
        if len(words) == 1:
            names.append(name)
            continue
        # "Ludwig van Beethoven": lower-case particles before the last word belong to the family.
        i = len(words) - 1
        while i > 1 and words[i - 1][:1].islower():
            i -= 1
        names.append(f"{' '.join(words[i:])}, {' '.join(words[:i])}")
    return tuple(names)


def _balanced_outer(text: str) -> bool:
    """True when the first "{" closes at the very end (`{WHO}` yes, `{A} and {B}` no)."""
    depth = 0
    for i, ch in enumerate(text):
        depth += ch == "{"
        depth -= ch == "}"
        if depth == 0:
            return i == len(text) - 1
    return False


def _split_names(value: str) -> list[str]:
    out, depth, start = [], 0, 0
    for match in _AND.finditer(value):
        depth = value.count("{", 0, match.start()) - value.count("}", 0, match.start())
        if depth == 0:
            out.append(value[start:match.start()])
            start = match.end()
    out.append(value[start:])
    return out


def parse_year(*values: str | None) -> int | None:
    """The first four-digit year (1000–2999) in the first value that has one: the caller passes
    `year`, then `date` (`2019-03-01`, `2019/2020`, `{2016}`), never `eventdate` (a conference's
    date is not its publication date)."""
    for value in values:
        if value:
            match = _YEAR.search(value)
            if match:
                return int(match.group(1))
    return None
