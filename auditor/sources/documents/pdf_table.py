"""A table whose narrow columns stand beside each reference ("N° | Référence | Niveau de
preuve", "Niveau | Référence", "Référence | Type d'étude | Niveau"), read row by row as a Word
table is: each row's number, its reference, then its other cells.

Without this, a narrow column is a column of its own, read after the references (its cells end
in the last reference's text), or its cells are glued into the reference line beside them. A
table is told from a page's second column or a sidebar by its cells: short pieces of text,
most of them at the height of a line of the references, fewer than the references' lines, a
line or a few each. The table's rows are where the references' lines show them — a row opens
after a wider gap than the lines of one row (a grid's padding) or with a list number — so that
a cell centred in its row finds its row; without such marks, each cell opens its row (cells at
the top of their rows, as Word sets them by default).
"""

from __future__ import annotations

import itertools
import re
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


@dataclass(frozen=True)
class Row:
    """A table row over the references' lines `first`..`last`: the text its cells add before
    the first line (its list number) and after the last (its level, its type of study)."""

    first: int
    last: int
    before: str
    after: str


_MIN_CELLS = 3
_BESIDE = 0.8  # share of the cells that must stand at the height of a references' line
_NARROW = 0.75  # a column's cells are mostly narrower than this share of the references' lines
_CELL_GAP = 0.7  # character heights: a wider gap above a cell's line starts a new cell
_ROW_GAP = 1.15  # a gap this many times the usual line spacing opens a row
_COLUMN_GAP = 4.0  # points between two columns of cells
_NUMBER_CELL = re.compile(r"\s*(?:\[\d{1,4}\]|\(\d{1,4}\)|\d{1,4}[.)]?)\s*")

Line = list[Piece]


def table_rows(text: list[Line], cells_side: list[Piece]
               ) -> tuple[list[Line], list[Row]] | None:
    """The references' lines and the rows of a table whose references are the lines `text`
    (top to bottom, each a group of pieces) and whose cells are `cells_side`; None when those
    pieces are not a table's cells. A column of row numbers at the references' left is taken
    out of their lines and read as cells too."""
    text, numbers = _number_column(text)
    by_column = [_cells(column) for column in _columns(cells_side)]
    main = max(by_column, key=len, default=[])
    side = [cell for cells in by_column for cell in cells]
    if len(main) < _MIN_CELLS or not text or max(
            sum(len(cell) for cell in cells) for cells in by_column) >= len(text):
        return None
    usual = _median([max(p.x1 for p in line) - min(p.x0 for p in line) for line in text])
    if any(_median([max(p.x1 for p in line) - min(p.x0 for p in line)
                    for line in _lines(column)]) > _NARROW * usual
           for column in _columns(cells_side)):
        return None  # as long as the references' lines: a second column, not cells
    # a cell's middle line is inside its row however the cell is set (top, middle, bottom)
    placed = [(cell, _beside(text, cell[len(cell) // 2])) for cell in side]
    if sum(1 for _, beside in placed if beside is not None) < _BESIDE * len(placed):
        return None
    in_main = {id(cell) for cell in main}
    starts = _row_starts(text, [beside for cell, beside in placed
                                if id(cell) in in_main and beside is not None],
                         [_beside(text, cell[0]) for cell in main], not numbers)
    if starts is None:
        return None
    return text, _rows(text, starts, [(cell, beside) for cell, beside in placed
                                      if beside is not None] + numbers, not numbers)


def _number_column(text: list[Line]) -> tuple[list[Line], list[tuple[list[Line], int]]]:
    """A column of row numbers ("1", "[2]", "3.") standing apart at the references' left, as
    cells with the line each stands beside (a number centred between two lines, the line
    below it), and the lines without them; the lines as they are when there is no such column
    (three numbers or more at one x, each apart from the text after it or alone)."""
    found = []
    for index, line in enumerate(text):
        ordered = sorted(line, key=lambda p: p.x0)
        if _NUMBER_CELL.fullmatch(ordered[0].text) and (
                len(ordered) == 1 or ordered[1].x0 - ordered[0].x1 > ordered[0].size):
            found.append((index, ordered[0]))
    if len(found) < _MIN_CELLS:
        return text, []
    x0 = sorted(piece.x0 for _, piece in found)[len(found) // 2]
    found = [(index, piece) for index, piece in found if abs(piece.x0 - x0) <= 2]
    if len(found) < _MIN_CELLS:
        return text, []
    taken = {id(piece) for _, piece in found}
    kept: list[Line] = []
    new_index: list[int] = []  # a line's index among the kept lines (the next kept one)
    for line in text:
        new_index.append(len(kept))
        rest = [p for p in line if id(p) not in taken]
        if rest:
            kept.append(rest)
    if not kept:
        return text, []
    return kept, [([[piece]], min(new_index[index], len(kept) - 1)) for index, piece in found]


def _row_starts(text: list[Line], main_beside: list[int], main_tops: list[int | None],
                numbered: bool) -> list[int] | None:
    """Where rows open: at the marks of the references' lines when each cell of the main
    column falls in a row of its own; else at the lines beside the cells' first lines (cells
    set at the top of their rows)."""
    openers = sorted(_row_openers(text, numbered))
    rows = [max(o for o in openers if o <= b) for b in main_beside]
    if len(set(rows)) == len(rows) and len(rows) >= _MIN_CELLS:
        first = rows[0]
        return [o for o in openers if o >= first]
    tops = {top for top in main_tops if top is not None}
    if len(tops) < _MIN_CELLS:
        return None
    return sorted(tops)


def _rows(text: list[Line], starts: list[int], cells: list[tuple[list[Line], int]],
          numbered: bool) -> list[Row]:
    """Each row's span of lines and the text of its cells, in the order of their columns."""
    openers = _row_openers(text, numbered)
    ends = [start - 1 for start in starts[1:]]
    after_last = min((i for i in openers if i > starts[-1]), default=len(text))
    ends.append(after_last - 1)
    rows: list[Row] = []
    for first, last in zip(starts, ends, strict=True):
        mine = sorted((cell for cell, beside in cells if first <= beside <= last),
                      key=lambda cell: min(p.x0 for line in cell for p in line))
        words = [" ".join(p.text for line in cell for p in sorted(line, key=lambda p: p.x0))
                 for cell in mine]
        before = [w for w in words if _NUMBER_CELL.fullmatch(w)]
        after = [w for w in words if not _NUMBER_CELL.fullmatch(w)]
        if before or after:
            rows.append(Row(first, last, " ".join(before), " ".join(after)))
    return rows


def _columns(pieces: list[Piece]) -> list[list[Piece]]:
    """The pieces in columns of cells, left to right: a band no piece crosses parts two."""
    columns: list[list[Piece]] = []
    reach = None
    for piece in sorted(pieces, key=lambda p: p.x0):
        if reach is None or piece.x0 > reach + _COLUMN_GAP:
            columns.append([])
        columns[-1].append(piece)
        reach = piece.x1 if reach is None else max(reach, piece.x1)
    return columns


def _cells(pieces: list[Piece]) -> list[list[Line]]:
    """One column's pieces as cells, top to bottom, each a list of lines: a line close under
    the one before carries on its cell."""
    cells: list[list[Line]] = []
    for line in _lines(pieces):
        if cells:
            above = cells[-1][-1]
            gap = min(p.bottom for p in above) - max(p.top for p in line)
            if gap <= _CELL_GAP * max(p.size for p in line):
                cells[-1].append(line)
                continue
        cells.append([line])
    return cells


def _lines(pieces: list[Piece]) -> list[Line]:
    """Pieces on one height (overlapping by half the smaller) as one line, top to bottom."""
    lines: list[Line] = []
    for piece in sorted(pieces, key=lambda p: (-p.top, p.x0)):
        if lines and _overlap(lines[-1], [piece]):
            lines[-1].append(piece)
        else:
            lines.append([piece])
    return lines


def _overlap(one: Line, other: Line) -> bool:
    top, bottom = max(p.top for p in one), min(p.bottom for p in one)
    o_top, o_bottom = max(p.top for p in other), min(p.bottom for p in other)
    return min(top, o_top) - max(bottom, o_bottom) >= 0.5 * min(top - bottom, o_top - o_bottom)


def _beside(text: list[Line], line: Line) -> int | None:
    """The index of the references' line at the height of `line`; else, for a cell centred
    between two lines, the nearer of them (within a line's height); else None."""
    found = next((index for index, other in enumerate(text) if _overlap(line, other)), None)
    if found is not None or not text:
        return found
    height = max(p.top for p in line) - min(p.bottom for p in line)
    distance, index = min((abs(_middle(line) - _middle(other)), index)
                          for index, other in enumerate(text))
    return index if distance <= height else None


def _median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2] if values else 0.0


def _middle(line: Line) -> float:
    return (max(p.top for p in line) + min(p.bottom for p in line)) / 2


def _row_openers(text: list[Line], numbered: bool = True) -> set[int]:
    """The references' lines that may open a row: the first, one after a gap wider than the
    usual spacing of the lines, one that starts with a list number (`numbered`: the numbers
    are in the lines, not in a column of their own)."""
    bottoms = [min(p.bottom for p in line) for line in text]
    pitches = sorted(a - b for a, b in itertools.pairwise(bottoms) if a > b)
    usual = pitches[len(pitches) // 4] if pitches else 0.0
    openers, last = {0}, None
    for index in range(1, len(text)):
        first = min(text[index], key=lambda p: p.x0).text
        number = _list_number(first) if numbered else None
        counts_up = number is not None and (number == last + 1 if last is not None
                                            else number <= 10)
        if counts_up:
            last = number
        if bottoms[index - 1] - bottoms[index] > _ROW_GAP * usual or counts_up:
            openers.add(index)
    return openers


def _list_number(text: str) -> int | None:
    """The list number a line starts with ("3.", "[3]", "3 Victora"), if any: a line that
    starts "(467) : 30-7." or "2011. Bulletin" carries on a citation, and the numbers that
    open rows count up."""
    marker = MARKER.match(text)
    if marker and not marker.group("bullet"):
        return int(marker.group("bracket") or marker.group("paren") or marker.group("number"))
    bare = BARE.match(text)
    return int(bare.group("bare")) if bare else None
