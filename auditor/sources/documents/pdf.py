"""Read the reference list of a PDF: a training's brochure, a journal article.

pdfminer.six gives each page's text lines with their positions; `pdf_layout` puts them in
reading order (two columns included). Then the page furniture is dropped — running headers and
footers (a line near the top or bottom edge that comes back, digits aside, on about half of the
pages or more) and lone page numbers —, the references section is found (after the last heading
such as References or Bibliographie, up to an Appendix or Acknowledgements heading, or to where
the layout shows the list is over; the whole text when there is no such heading), and its
entries are told apart: a numbered or bulleted list is split by the pasted-list reader, a list
without numbers by the layout (an entry starts at the column's left edge when the others hang
indented, or after a gap wider than the usual line spacing).

Each line handed on has its place: its page, and its number among all the lines read out of
the document — every page in reading order, page furniture included — so that a reference's
line is the same whatever is dropped around it.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from auditor.errors import InputError
from auditor.i18n import Said
from auditor.sources.documents.extracted import Extracted, Place
from auditor.sources.documents.headings import (
    ends_references,
    is_references_heading,
    list_start,
)
from auditor.sources.documents.pdf_layout import TextLine, page_lines
from auditor.sources.list_items import BARE, MARKER

_BAND = 0.1  # the top and bottom tenth of a page hold its running header and footer
_PAGE_NUMBER = re.compile(
    r"(?:(?:page|p\.|seite|s\.|p[áa]gina|pag\.)\s*)?[-–—]?\s*\d{1,4}\s*[-–—]?"
    r"(?:\s*(?:of|/|sur|von|de|di)\s*\d{1,4})?", re.IGNORECASE)
# "Appendix 1. Search strategy": an appendix's heading with its title on the same line.
_TITLED_APPENDIX = re.compile(r"(?:\d{1,2}\.?\s+)?(?:appendix|annexe?|anhang|anexo)\s+[A-Z\d]{1,3}"
                              r"\s*[.:–—-]\s*\S.{0,60}", re.IGNORECASE)
_CLEARLY_WIDER = 1.3  # a gap this many times the usual line spacing parts two entries
_AFTER_LIST = 1.6  # … and this one, after the last numbered entry, ends the list
_EMPTY_LINES = 8  # a list that stops this many lines above the usual end of text ends there
_UNMAPPED = re.compile(r"\(cid:\d+\)")  # pdfminer's text for a glyph its font maps to no letter
CUT_SHORT = object()  # what `_layouts` yields when the pages after it cannot be found


@dataclass(frozen=True)
class _Line:
    """A line read out of the PDF, with its place and whether it lies in the page's top or
    bottom band (where running headers, footers and page numbers stand)."""

    text: str
    place: Place
    box: TextLine
    in_band: bool
    page_edge: bool  # the first or last line of its page


def extract_pdf(raw: bytes, file_name: str) -> Extracted:
    """The reference list of a PDF, each line with its page and line (see the module)."""
    unread: list[tuple[str, Place]] = []
    with _pdfminer_quiet():
        lines = _read_lines(raw, file_name, unread)
    if not any(line.text for line in lines) and unread:
        raise _damaged(file_name)
    extracted = _list_of(lines, file_name)
    extracted.broken += unread
    return extracted


def _list_of(lines: list[_Line], file_name: str) -> Extracted:
    """The reference list among the lines of the pages read."""
    if not any(line.text for line in lines):
        raise InputError(Said("{name}: this PDF has no text layer (a scanned document?): run it "
                           "through OCR, or copy the references into a .txt file",
            name=file_name))
    text = "".join(line.text for line in lines)
    if sum(len(glyph) for glyph in _UNMAPPED.findall(text)) >= 0.5 * len(text):
        raise InputError(Said("{name}: the letters of this PDF cannot be read (its fonts do not "
                           "say which letter each shape is, so copying from a PDF viewer fails "
                           "too): run it through OCR, or ask its author for the Word "
                           "file", name=file_name))
    furniture = _furniture(lines)
    kept = [line for line in lines if line.text and id(line) not in furniture]
    sections = _reference_sections(kept)
    if sections is None:
        return _entries(kept)
    extracted = Extracted(listed=True)
    for section in sections:  # the list, then a "Pour aller plus loin" list, each apart
        part = _entries(_without_what_follows(section, kept))
        if extracted.lines and part.lines:
            extracted.lines.append(("", part.lines[0][1]))
        extracted.lines.extend(part.lines)
    return extracted


def _read_lines(raw: bytes, file_name: str, unread: list[tuple[str, Place]]) -> list[_Line]:
    """Every text line of the PDF, page by page in reading order, numbered from 1; what could
    not be read (a damaged page, the pages after a break in the file) is added to `unread`."""
    out: list[_Line] = []
    for number, layout in enumerate(_layouts(raw, file_name), start=1):
        if layout is None or layout is CUT_SHORT:
            unread.append((f"the pages from page {number} on (the PDF is damaged there)"
                           if layout is CUT_SHORT else f"page {number} of the PDF (damaged)",
                           Place(len(out) + 1, number)))
            continue
        bottom, top = layout.y0, layout.y1
        band = _BAND * (top - bottom)
        found = page_lines(layout)
        for index, line in enumerate(found):
            place = Place(len(out) + 1, number)
            out.append(_Line(line.text, place, line,
                             line.top >= top - band or line.bottom <= bottom + band,
                             index in (0, len(found) - 1)))
    return out


def _damaged(file_name: str) -> InputError:
    return InputError(Said("{name}: not a readable PDF (damaged or truncated); if it opens in a "
                        "PDF viewer, copy its reference list into a .txt file and check that "
                        "file", name=file_name))


def _layouts(raw: bytes, file_name: str) -> Iterator[Any]:
    """pdfminer's layout of each page in turn (one page in memory at a time), None for a
    page that cannot be read (its content damaged: the other pages are read); a PDF that
    needs a password or cannot be parsed is an InputError."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    damaged = _damaged(file_name)
    try:  # pdfminer tries an empty password itself: only a PDF that needs one fails here
        document = PDFDocument(PDFParser(io.BytesIO(raw)))
        pages = PDFPage.create_pages(document)
        manager = PDFResourceManager()
        # boxes_flow=None: lines are ordered here, so pdfminer need not group them into boxes
        laparams = LAParams(boxes_flow=None, all_texts=True)
        device = PDFPageAggregator(manager, laparams=laparams)
        interpreter = PDFPageInterpreter(manager, device)
    except PDFPasswordIncorrect:
        raise InputError(Said("{name}: this PDF is protected by a password: open it with the "
                           "password and save a copy without one, or copy the references into "
                           "a .txt file", name=file_name)) from None
    except PDFEncryptionError:
        raise InputError(Said("{name}: this PDF is encrypted in a way auditor cannot open: copy "
                           "the references into a .txt file", name=file_name)) from None
    except Exception:  # pdfminer's PDFSyntaxError, PSEOF… and whatever a broken file causes
        raise damaged from None
    count = 0
    while True:
        try:
            page = next(pages, None)
        except Exception:  # the page tree itself is broken: nothing after it can be found
            if count:
                yield CUT_SHORT
            break
        if page is None:
            break
        try:
            interpreter.process_page(page)
            layout = device.get_result()
        except Exception:  # a damaged content stream ("Non-Ascii85 digit found")
            layout = None
            device = PDFPageAggregator(manager, laparams=laparams)  # its state is half-built
            interpreter = PDFPageInterpreter(manager, device)
        count += 1
        yield layout
    if count == 0:
        raise damaged


@contextlib.contextmanager
def _pdfminer_quiet() -> Iterator[None]:
    """pdfminer logs a warning for every oddity of a PDF it gets round: none reaches the
    user's terminal (a PDF it cannot read is an InputError)."""
    logger = logging.getLogger("pdfminer")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


def _furniture(lines: list[_Line]) -> set[int]:
    """The ids of the running headers and footers and of the lone page numbers. A header is a
    line in the top or bottom band whose text, digits aside, stands in that band on about half
    of the pages or more ((pages - 1) // 2, as left- and right-hand pages may have their own;
    two at least) — alone or with the other lines at its height ("NEWS AND NOTES" and "180",
    parted by a page's columns, are the "NEWS AND NOTES 179" of the page before). A page
    number ("3", "- 3 -", "Page 3 of 10", "3/10") stands in a band or at the top or bottom of
    its page."""
    rows = _band_rows(lines)
    pages_of: dict[str, set[int]] = {}
    for line in lines:
        if line.in_band:
            for key in {_masked(line.text), rows[id(line)]}:
                pages_of.setdefault(key, set()).add(line.place.page or 0)
    page_count = max((line.place.page or 0 for line in lines), default=0)
    needed = max(2, (page_count - 1) // 2)
    return {id(line) for line in lines if line.text and (
        (line.in_band and max(len(pages_of[_masked(line.text)]),
                              len(pages_of[rows[id(line)]])) >= needed)
        or ((line.in_band or line.page_edge) and _PAGE_NUMBER.fullmatch(line.text)))}


def _band_rows(lines: list[_Line]) -> dict[int, str]:
    """The masked text of the row each band line stands in: the band lines of its page at its
    height, left to right."""
    bands: dict[int | None, list[_Line]] = {}
    for line in lines:
        if line.in_band:
            bands.setdefault(line.place.page, []).append(line)
    rows: dict[int, str] = {}
    for band in bands.values():
        for line in band:
            beside = sorted((other for other in band if min(line.box.top, other.box.top)
                             - max(line.box.bottom, other.box.bottom)
                             >= 0.5 * (line.box.top - line.box.bottom)),
                            key=lambda other: other.box.x0)
            rows[id(line)] = _masked(" ".join(other.text for other in beside))
    return rows


def _masked(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def _reference_sections(lines: list[_Line]) -> list[list[_Line]] | None:
    """The lines after the references heading that opens the list (`list_start`), up to the
    next heading of what follows a reference list (Appendix, Acknowledgements, Tables…), cut
    into parts at a further-reading heading ("Pour aller plus loin"); None when there is no
    such heading. A heading repeated at the top of the next page does not restart it."""
    start: int | None = None
    opening = list_start([line.text for line in lines])
    for index, line in enumerate(lines):
        if not is_references_heading(line.text) or (start is not None and index > opening):
            continue  # a further-reading heading after the list carries it on
        first_on_page = index == 0 or lines[index - 1].place.page != line.place.page
        ended = start is not None and any(_ends(other.text) for other in lines[start:index])
        if start is None or not first_on_page or ended:
            start = index + 1
    if start is None:
        return None
    end = next((index for index in range(start, len(lines)) if _ends(lines[index].text)),
               len(lines))
    parts: list[list[_Line]] = [[]]
    for line in lines[start:end]:
        if not is_references_heading(line.text):
            parts[-1].append(line)
        elif parts[-1]:
            parts.append([])
    return [part for part in parts if part] or None


def _ends(text: str) -> bool:
    return ends_references(text) or bool(_TITLED_APPENDIX.fullmatch(text))


def _without_what_follows(section: list[_Line], kept: list[_Line]) -> list[_Line]:
    """The section up to the end of its list, when the layout shows one before the next
    heading: the list stops on a page well above the lowest text of any page (figures or an
    appendix follow on the next pages), or, in a numbered list, a wide gap follows the last
    numbered entry (a "Cite this article as" box, a footnote)."""
    previous, usual = _spacing(section)
    if usual is None:
        return section
    lowest: dict[int | None, float] = {}
    for line in kept:
        if not line.in_band:
            lowest[line.place.page] = min(lowest.get(line.place.page, line.box.bottom),
                                          line.box.bottom)
    text_bottom = min(lowest.values())
    end = next((index for index in range(1, len(section))
                if section[index].place.page != section[index - 1].place.page
                and section[index - 1].box.bottom > text_bottom + _EMPTY_LINES * usual),
               len(section))
    numbered = [index for index in range(end) if _numbered(section[index].text)]
    if numbered and _is_marked(section):
        end = next((index for index in range(numbered[-1] + 1, end) if index in previous
                    and section[previous[index]].box.bottom - section[index].box.bottom
                    > _AFTER_LIST * usual), end)
    return section[:end]


def _numbered(text: str) -> bool:
    marker = MARKER.match(text)
    return bool(marker and not marker.group("bullet")) or bool(BARE.match(text))


def _spacing(lines: list[_Line]) -> tuple[dict[int, int], float | None]:
    """For each line, the line before it in the same column; and the usual spacing of lines
    (the lower quartile of the distances between such neighbours, so that the gaps between
    entries do not count)."""
    previous: dict[int, int] = {}
    last: dict[tuple[int | None, int], int] = {}
    for index, line in enumerate(lines):
        column = (line.place.page, line.box.column)
        if column in last:
            previous[index] = last[column]
        last[column] = index
    pitches = sorted(pitch for index, before in previous.items()
                     if (pitch := lines[before].box.bottom - lines[index].box.bottom) > 0)
    return previous, pitches[len(pitches) // 4] if pitches else None


def _entries(lines: list[_Line]) -> Extracted:
    """The section as an Extracted: a numbered or bulleted list as it is (the pasted-list
    reader splits it at its markers), any other with a blank line before each entry the
    layout shows (see `_entry_starts`) — and, when the entries hang indented, with their
    continuation lines indented as in the PDF, so that the reader keeps each entry whole."""
    extracted = Extracted()
    starts, hanging = (set(), False) if _is_marked(lines) else _entry_starts(lines)
    for index, line in enumerate(lines):
        if index in starts:
            extracted.add_entry(line.text, line.place)
        else:
            extracted.add(f"    {line.text}" if hanging else line.text, line.place)
    return extracted


def _is_marked(lines: list[_Line]) -> bool:
    """Do list markers ("1.", "[1]", "1)", "•", or BMJ's bare "1 Victora…" counting up) start
    the entries? Two at least, on a tenth of the lines or more."""
    marked, bare = 0, 0
    for line in lines:
        match = BARE.match(line.text)
        if MARKER.match(line.text):
            marked += 1
        elif match and int(match.group("bare")) == bare + 1:
            bare += 1
    return max(marked, bare) >= 2 and max(marked, bare) >= 0.1 * len(lines)


def _entry_starts(lines: list[_Line]) -> tuple[set[int], bool]:
    """Where the entries of a list without markers start: at a line that stands at its column's
    left edge while the continuation lines hang indented (an APA list), and after a vertical
    gap clearly wider than the usual line spacing; and whether they hang indented. The first
    line of a column that hangs indented carries on the entry of the column before."""
    previous, usual = _spacing(lines)
    columns: dict[tuple[int | None, int], list[int]] = {}
    for index, line in enumerate(lines):
        columns.setdefault((line.place.page, line.box.column), []).append(index)
    flush: set[int] = set()
    follows_short = {True: [0, 0], False: [0, 0]}  # flush or not → [after a short line, lines]
    for members in columns.values():
        left = min(lines[i].box.x0 for i in members)
        right = max(lines[i].box.x1 for i in members)
        for index in members:
            box = lines[index].box
            is_flush = box.x0 < left + max(1.5, 0.3 * box.size)
            if is_flush:
                flush.add(index)
            if index in previous:
                follows_short[is_flush][0] += lines[previous[index]].box.x1 < right - 2 * box.size
                follows_short[is_flush][1] += 1
    rate = {kind: done / total if total else 0.0 for kind, (done, total) in follows_short.items()}
    hanging = len(flush) < len(lines) and follows_short[False][1] > 0 and rate[True] > rate[False]
    starts = {0}
    for index in range(1, len(lines)):
        wide = usual is not None and index in previous and (
            lines[previous[index]].box.bottom - lines[index].box.bottom > _CLEARLY_WIDER * usual)
        if (hanging and index in flush) or wide:
            starts.add(index)
    return starts, hanging
