"""A table whose narrow right-hand column stands beside each reference ("N° | Référence |
Niveau de preuve"), read row by row as a Word table is: each row's reference, then its cells.

Without this, the narrow column is a column of its own, read after the references, and its
cells end in the text of the last reference. A table is told from a page's second column or a
sidebar by its cells: short pieces of text, most of them standing at the height of a line of the
left side that opens a row (after a wider gap than the lines of one row, or with a list number),
fewer cells than left lines, each cell a line or three.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from auditor.sources.list_items import BARE, MARKER


@dataclass
class Piece:
    """A run of characters on one baseline with no wide gap inside (pdf_layout cuts a page's
    lines into them; a table's cells are made of them)."""

    text: str
    x0: float
    x1: float
    bottom: float
    top: float
    size: float

_MIN_CELLS = 3
_BESIDE = 0.8  # share of the cells that must stand at the height of a row's first line
_NARROW = 0.5  # a cell is at most this share of the left side's width
_CELL_GAP = 0.7  # character heights: a wider gap above a right-hand line starts a new cell
_ROW_GAP = 1.15  # a gap this many times the usual line spacing opens a row


def cells_by_row(left: list[list[Piece]], right: list[list[Piece]]) -> dict[int, str] | None:
    """For a table, the text of each row's cells keyed by the left line that ends the row
    (`left` and `right`: each side's lines, top to bottom, as groups of pieces); None when the
    right side is not a table's cells."""
    cells = _cells(right)
    if len(cells) < _MIN_CELLS or len(right) >= len(left):
        return None
    left_width = max(p.x1 for line in left for p in line) - min(p.x0 for line in left
                                                                for p in line)
    if any(p.x1 - p.x0 > _NARROW * left_width for line in right for p in line):
        return None
    openers = _row_openers(left)
    firsts: list[int] = []
    for cell in cells:
        beside = _beside(left, cell[0])
        if beside is not None and beside in openers and (not firsts or beside > firsts[-1]):
            firsts.append(beside)
    if len(firsts) < _BESIDE * len(cells) or len(firsts) < _MIN_CELLS:
        return None
    rows: dict[int, str] = {}
    after = min((i for i in openers if i > firsts[-1]), default=len(left))  # the table's end
    ends = [first - 1 for first in firsts[1:]] + [after - 1]
    for cell, end in zip(cells, ends, strict=False):
        rows[end] = " ".join(p.text for line in cell for p in sorted(line, key=lambda p: p.x0))
    return rows


def _cells(right: list[list[Piece]]) -> list[list[list[Piece]]]:
    """The right side's lines grouped into cells: a line close under the one before carries
    on its cell."""
    cells: list[list[list[Piece]]] = []
    for line in right:
        if cells:
            above = cells[-1][-1]
            gap = min(p.bottom for p in above) - max(p.top for p in line)
            if gap <= _CELL_GAP * max(p.size for p in line):
                cells[-1].append(line)
                continue
        cells.append([line])
    return cells


def _beside(left: list[list[Piece]], line: list[Piece]) -> int | None:
    """The index of the left line at the height of `line`, if one is."""
    top, bottom = max(p.top for p in line), min(p.bottom for p in line)
    for index, other in enumerate(left):
        o_top, o_bottom = max(p.top for p in other), min(p.bottom for p in other)
        if min(top, o_top) - max(bottom, o_bottom) >= 0.5 * min(top - bottom, o_top - o_bottom):
            return index
    return None


def _row_openers(left: list[list[Piece]]) -> set[int]:
    """The left lines that may open a row: the first, one after a gap wider than the usual
    spacing of the lines, one that starts with a list number."""
    bottoms = [min(p.bottom for p in line) for line in left]
    pitches = sorted(a - b for a, b in itertools.pairwise(bottoms) if a > b)
    usual = pitches[len(pitches) // 4] if pitches else 0.0
    openers = {0}
    for index in range(1, len(left)):
        text = min(left[index], key=lambda p: p.x0).text
        if bottoms[index - 1] - bottoms[index] > _ROW_GAP * usual or MARKER.match(text) or (
                BARE.match(text)):
            openers.add(index)
    return openers
