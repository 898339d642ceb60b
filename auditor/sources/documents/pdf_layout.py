"""One PDF page's text lines in reading order, from pdfminer's layout.

pdfminer gives text lines with the box of every character; a line may run across the gutter of
a two-column page when a line of each column stands at the same height. So each line is cut
where its characters leave a gap wider than most of a character height, the gutter is found as
a vertical band no piece of text crosses (with text on both sides), and the page is read as
people read it: a line that crosses the gutter (a title, a full-width header) closes one part
of the page and opens the next; within a part, the left column top to bottom, then the right.
A page with no such band is one column, read top to bottom.
"""

from __future__ import annotations

import bisect
import itertools
import unicodedata
from dataclasses import dataclass
from typing import Any

from auditor.sources.documents.pdf_table import Piece, table_rows

_SPLIT_GAP = 0.8  # a gap wider than this many character heights parts a line in two
_MIN_SIDE = 2  # pieces of text needed on each side of a gutter
_MIN_GUTTER = 3.0  # points


@dataclass
class TextLine(Piece):
    """One line of a page as read: its text, box, character height and column.

    `column` numbers the runs of one column on the page in reading order (a new run starts
    where reading moves to another column or to a full-width line), so that two lines with the
    same page and column follow each other in the same column."""

    column: int


def page_lines(layout: Any) -> list[TextLine]:
    """The text lines of one pdfminer LTPage, in reading order."""
    pieces = [piece for line in _text_lines(layout) for piece in _pieces(line)]
    gutter = column_gutter(pieces)
    tables = [table for edge in [gutter, *_cells_edges(pieces)]
              if (table := _table_rows(pieces, edge)) is not None]
    if tables:  # the reading that takes the most cells out of the references' lines
        return max(tables, key=lambda t: -sum(len(text) for text in t[0]))[1]
    if gutter is None:
        return [_joined(group, 0) for group in _baselines(pieces)]
    spans = _baselines([p for p in pieces if p.x0 < gutter < p.x1])
    below = [-_middle(span) for span in spans]  # top to bottom, as -y grows
    parts: list[tuple[list[Piece], list[Piece]]] = [([], []) for _ in range(len(spans) + 1)]
    for piece in pieces:
        if piece.x0 < gutter < piece.x1:
            continue
        part = bisect.bisect_left(below, -(piece.top + piece.bottom) / 2)  # spans above it
        parts[part][0 if piece.x1 <= gutter else 1].append(piece)
    ordered: list[tuple[str, list[Piece]]] = []
    for index, (left, right) in enumerate(parts):
        ordered += [("left", group) for group in _baselines(left)]
        ordered += [("right", group) for group in _baselines(right)]
        if index < len(spans):
            ordered.append(("full", spans[index]))
    out: list[TextLine] = []
    column = 0
    for index, (side, group) in enumerate(ordered):
        if index and ordered[index - 1][0] != side:
            column += 1
        out.append(_joined(group, column))
    return out


def _table_rows(pieces: list[Piece], edge: float | None
                ) -> tuple[list[str], list[TextLine]] | None:
    """The page read as one column when what stands on one side of `edge` is a table's cells
    beside each reference (`pdf_table`): each row's number before its first line, its other
    cells after its last; with the references' lines as they were without the cells."""
    if edge is None:
        return None
    for cells_side, text_side in (([p for p in pieces if p.x0 >= edge],
                                   [p for p in pieces if p.x0 < edge]),
                                  ([p for p in pieces if p.x1 <= edge],
                                   [p for p in pieces if p.x1 > edge])):
        read = table_rows(_baselines(text_side), cells_side)
        if read is None:
            continue
        text, rows = read
        out = [_joined(group, 0) for group in text]
        plain = [line.text for line in out]
        for row in rows:
            if row.before:
                out[row.first].text = f"{row.before} {out[row.first].text}"
            if row.after:
                out[row.last].text = f"{out[row.last].text} {row.after}"
        return plain, out
    return None


def column_gutter(pieces: list[Piece]) -> float | None:
    """The x of a two-column page's gutter: the middle of the widest vertical band that the
    fewest lines of text cross, with lines on both sides and fewer crossing than on either
    side; None for one column. Only lines a quarter of the text's width long or more count (a
    figure's labels make no column), and only the middle 70% of the width is looked at."""
    if len(pieces) < 2 * _MIN_SIDE:
        return None
    left_edge, right_edge = min(p.x0 for p in pieces), max(p.x1 for p in pieces)
    lines = [p for p in pieces if p.x1 - p.x0 >= 0.25 * (right_edge - left_edge)]
    starts = sorted(p.x0 for p in lines)
    ends = sorted(p.x1 for p in lines)
    low = left_edge + 0.15 * (right_edge - left_edge)
    high = left_edge + 0.85 * (right_edge - left_edge)
    edges = sorted({low, high, *(x for x in starts + ends if low < x < high)})
    best: tuple[int, float, float] | None = None
    for a, b in itertools.pairwise(edges):
        middle = (a + b) / 2
        begun = bisect.bisect_left(starts, middle)
        left = bisect.bisect_right(ends, middle)
        crossed, right = begun - left, len(lines) - begun
        if b - a < _MIN_GUTTER or min(left, right) < _MIN_SIDE or crossed >= min(left, right):
            continue
        if best is None or (crossed, a - b) < (best[0], best[1]):
            best = (crossed, a - b, middle)
    return best[2] if best else _sidebar_gutter(pieces, low, high)


_SIDEBAR_SIDE = 5  # lines of text needed on each side of a band no line crosses
_LONG = 0.6  # a piece this share of the text's width or more is a long line, not a cell
_SIDEBAR_GAP = 10.0  # points: wider than a gap between words (pieces part at such gaps)


def _cells_edges(pieces: list[Piece]) -> list[float]:
    """Where a table's cells may stand apart from the references, best first: an x that the
    fewest short pieces cross (a title or a caption may), with three pieces or more on each
    side, and the most room around it. Long lines (a paragraph, a reference's full lines) are
    not looked at."""
    if not pieces:
        return []
    left_edge, right_edge = min(p.x0 for p in pieces), max(p.x1 for p in pieces)
    low, high = (left_edge + share * (right_edge - left_edge) for share in (0.15, 0.85))
    short = [p for p in pieces if p.x1 - p.x0 < _LONG * (right_edge - left_edge)]
    allowed = max(2, len(short) // 10)
    scored = []
    for x in {edge for p in short for edge in (p.x1 + 1, p.x0 - 1)}:
        if not low < x < high:
            continue
        crossing = sum(1 for p in short if p.x0 < x < p.x1)
        left = sum(1 for p in short if p.x1 <= x)
        right = sum(1 for p in short if p.x0 >= x)
        if crossing > allowed or min(left, right) < 3:
            continue
        room = min([x - p.x1 for p in short if p.x1 <= x] + [p.x0 - x for p in short
                                                              if p.x0 >= x])
        scored.append((crossing, -room, x))
    return [x for *_, x in sorted(scored)[:3]]


def _sidebar_gutter(pieces: list[Piece], low: float, high: float,
                    side: int = _SIDEBAR_SIDE) -> float | None:
    """A sidebar's edge ("À retenir" beside the references): a band of x that no piece of
    text crosses, however short the lines on either side, with five lines or more (`side`)
    on each side; its middle, or None."""
    spans = sorted((p.x0, p.x1) for p in pieces)
    reach, best = spans[0][1], None
    for x0, x1 in spans[1:]:
        if x0 - reach >= _SIDEBAR_GAP and low < (x0 + reach) / 2 < high:
            middle = (x0 + reach) / 2
            left = sum(1 for p in pieces if p.x1 <= middle)
            if min(left, len(pieces) - left) >= side and (
                    best is None or x0 - reach > best[0]):
                best = (x0 - reach, middle)
        reach = max(reach, x1)
    return best[1] if best else None


def _text_lines(item: Any) -> list[Any]:
    """Every LTTextLine under a layout item (figures included), in no particular order."""
    from pdfminer.layout import LTTextLine

    if isinstance(item, LTTextLine):
        return [item]
    if not hasattr(item, "__iter__"):
        return []
    return [line for child in item for line in _text_lines(child)]


def _pieces(line: Any) -> list[Piece]:
    """A pdfminer text line cut at wide gaps; upright characters only (the rotated "Downloaded
    from…" in a margin is not part of the text)."""
    from pdfminer.layout import LTChar

    out: list[Piece] = []
    chars: list[Any] = []
    text: list[str] = []
    for char in line:
        glyph = char.get_text()
        if not isinstance(char, LTChar) or not glyph.strip():  # a space, or pdfminer's
            if text and text[-1] != " ":
                text.append(" ")
            continue
        if not char.upright:
            continue
        if chars and char.x0 - chars[-1].x1 > _SPLIT_GAP * char.size:
            out.append(_piece(chars, text))
            chars, text = [], []
        chars.append(char)
        text.append(glyph)
    if chars:
        out.append(_piece(chars, text))
    return out


def _piece(chars: list[Any], text: list[str]) -> Piece:
    return Piece("".join(text).strip(), chars[0].x0, max(c.x1 for c in chars),
                 min(c.y0 for c in chars), max(c.y1 for c in chars), max(c.size for c in chars))


def _baselines(pieces: list[Piece]) -> list[list[Piece]]:
    """Pieces grouped into lines, top to bottom: pieces that overlap by half the height of the
    smaller are on one line (a superscript joins its line)."""
    groups: list[list[Piece]] = []
    top = bottom = 0.0
    for piece in sorted(pieces, key=lambda p: (-p.top, p.x0)):
        if groups:
            overlap = min(top, piece.top) - max(bottom, piece.bottom)
            if overlap >= 0.5 * min(piece.top - piece.bottom, top - bottom):
                groups[-1].append(piece)
                top, bottom = max(top, piece.top), min(bottom, piece.bottom)
                continue
        groups.append([piece])
        top, bottom = piece.top, piece.bottom
    return groups


def _middle(group: list[Piece]) -> float:
    return (max(p.top for p in group) + min(p.bottom for p in group)) / 2


def _joined(group: list[Piece], column: int) -> TextLine:
    """One line's pieces, left to right, as a TextLine."""
    group = sorted(group, key=lambda p: p.x0)
    text = group[0].text
    for before, piece in itertools.pairwise(group):
        text += piece.text if piece.x0 - before.x1 < 0.15 * piece.size else " " + piece.text
    return TextLine(normalised(text), group[0].x0, max(p.x1 for p in group),
                    min(p.bottom for p in group), max(p.top for p in group),
                    max(p.size for p in group), column)


def normalised(text: str) -> str:
    """NFKC ("ﬁ" → "fi", a no-break space → a space); a soft hyphen is dropped inside a line
    and made a hyphen at its end, where it marks a word the PDF hyphenated (the pasted-list
    reader then rejoins the word)."""
    text = unicodedata.normalize("NFKC", text).rstrip()
    if text.endswith("\u00ad"):
        text = text.rstrip("\u00ad") + "-"
    return " ".join(text.replace("\u00ad", "").split())
