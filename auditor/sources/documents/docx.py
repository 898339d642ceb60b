"""Read the reference list of a Word document (.docx).

First the citations a reference manager left live in it (Zotero, Mendeley, EndNote fields:
`docx_fields`), read as CSL-JSON items — DOIs as the manager holds them, no text to parse.
Otherwise the typed bibliography: the paragraphs under a heading such as References,
Bibliographie or Literatur (up to the next heading of its level), else the run of citations
that ends the document, else the footnotes and endnotes that hold citations. Word's automatic
numbering is written out ("1.", "[2]"), since its numbers are not in the text; a table's row is
one entry; a link to doi.org or PubMed adds its DOI or PMID; tracked changes read as accepted
(insertions kept, deletions left out); hidden text and field codes are not text.

python-docx opens the package (parts and relationships); the WordprocessingML it does not model
(fields, numbering, notes, tracked changes) is walked here with lxml. A reference's line is
its paragraph's number: the body's paragraphs first (a table row counts as one), then the
footnotes', then the endnotes'.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from auditor.errors import InputError
from auditor.i18n import Said
from auditor.sources.documents.docx_fields import (
    BIBLIOGRAPHY,
    is_citation_field,
    items_of_instruction,
    items_of_tag,
    same_work_key,
)
from auditor.sources.documents.docx_styles import Numbering, Styles, W
from auditor.sources.documents.extracted import Extracted, Place
from auditor.sources.documents.headings import (
    ends_references,
    is_references_heading,
    list_start,
)
from auditor.sources.documents.links import LINK_LABEL, link_ids, with_ids

R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_SKIPPED = {f"{W}del", f"{W}moveFrom", MC_FALLBACK, f"{W}pPr", f"{W}rPr", f"{W}sdtPr"}
_BREAKS = {f"{W}br", f"{W}cr"}


@dataclass
class _Paragraph:
    text: str
    index: int
    style: str | None = None
    numbering: tuple[str, int] | None = None  # (numId, ilvl)
    urls: list[str] = field(default_factory=list)
    note: int | None = None  # the footnote's or endnote's number
    bibliography: bool = False  # inside a Zotero/Mendeley/EndNote bibliography field


def _unreadable(file_name: str) -> InputError:
    return InputError(Said("{name}: not a readable Word document (damaged, or not saved by Word); "
                        "open it in Word and save it again as .docx", name=file_name))


def extract_docx(raw: bytes, file_name: str) -> Extracted:
    """The reference list of one .docx (see the module docstring)."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(raw))
    except Exception:  # a malformed package can fail python-docx in any way
        raise _unreadable(file_name) from None
    try:
        walker = _Walker(document.part.rels)
        walker.walk(document.element.body)
        parts = {str(p.partname): p for p in document.part.package.iter_parts()}
        for name, tag in (("/word/footnotes.xml", "footnote"), ("/word/endnotes.xml", "endnote")):
            if name in parts:
                part = parts[name]
                root = etree.fromstring(part.blob)
                walker.rels = part.rels
                walker.walk_notes(root, tag)
        styles = Styles(document.part)
        numbers = Numbering(document.part)
    except (PackageNotFoundError, KeyError, ValueError, etree.XMLSyntaxError):
        raise _unreadable(file_name) from None
    extracted = Extracted()
    chosen, listed = _chosen(walker.paragraphs, styles, numbers)
    typed = listed and not any(p.bibliography for p, _ in chosen)
    if walker.items and not (typed and len(chosen) > len({same_work_key(i) for i, _ in
                                                          walker.items})):
        seen: set[str] = set()
        for item, index in walker.items:
            key = same_work_key(item)
            if key not in seen:
                seen.add(key)
                # keyed by the order of first citation (a numbered style's numbers): the
                # manager's own ids ("ITEM-1" in every Mendeley citation) mean nothing here
                number = str(len(seen))
                extracted.items.append(({**{k: v for k, v in item.items() if k != "_uri"},
                                         "id": number}, Place(index)))
        extracted.broken = [("a citation field of the reference manager (Zotero, Mendeley or "
                             "EndNote) whose data is damaged", Place(index))
                            for index in walker.broken]
        return extracted
    # (a typed list longer than the cited items holds works never cited: it is the list)
    extracted.listed = listed
    for paragraph, label in chosen:
        ids = [found for url in paragraph.urls for found in link_ids(url)]
        text = with_ids(paragraph.text, ids, paragraph.text)
        extracted.add_entry(f"{label} {text}" if label else text, Place(paragraph.index))
    return extracted


class _Walker:
    """Walks WordprocessingML in document order: paragraphs with their text as accepted, the
    field instructions and content-control tags that hold citations, links."""

    def __init__(self, rels: Any) -> None:
        self.rels = rels
        self.paragraphs: list[_Paragraph] = []
        self.items: list[tuple[dict[str, Any], int]] = []
        self.broken: list[int] = []  # paragraphs holding a citation field that cannot be read
        self._fields: list[dict[str, Any]] = []  # open complex fields, innermost last
        self._bibliography = 0  # open bibliography fields
        self._note: int | None = None
        # a paragraph whose mark a reviewer deleted: accepted, it runs on into the next one
        self._run_on: tuple[str, list[str]] | None = None

    def walk(self, root: etree._Element) -> None:
        self._element(root)

    def walk_notes(self, root: etree._Element, tag: str) -> None:
        number = 0
        for note in root.iter(f"{W}{tag}"):
            if note.get(f"{W}type") in ("separator", "continuationSeparator",
                                        "continuationNotice"):
                continue
            number += 1
            self._note = number
            self._element(note)
        self._note = None

    def _children(self, element: etree._Element) -> Iterator[etree._Element]:
        """The children of `element` that may hold text; a content control's properties
        (Mendeley Cite keeps its citations there) are read on the way."""
        for child in element:
            tag = child.tag
            if tag == f"{W}sdtPr":
                self._content_control(child)
            elif isinstance(tag, str) and tag not in _SKIPPED:
                yield child

    def _element(self, element: etree._Element) -> None:
        for child in self._children(element):
            tag = child.tag
            if tag == f"{W}p":
                self._paragraph(child)
            elif tag == f"{W}tr":
                self._row(child)
            else:
                self._element(child)

    def _content_control(self, properties: etree._Element) -> None:
        for node in properties.iter(f"{W}tag"):
            for item in items_of_tag(node.get(f"{W}val") or ""):
                self.items.append((item, len(self.paragraphs) + 1))

    def _row(self, row: etree._Element) -> None:
        """A table's row is one entry: its cells' text, in order."""
        cells = []
        for cell in row.iter(f"{W}tc"):
            pieces: list[str] = []
            urls: list[str] = []
            for paragraph in cell.iter(f"{W}p"):
                text, found = self._text(paragraph)
                pieces.append(text)
                urls += found
            cells.append(" ".join(p for p in pieces if p.strip()))
        text = " ".join(_in_reading_order([c for c in cells if c]))
        self.paragraphs.append(_Paragraph(text, len(self.paragraphs) + 1, urls=urls,
                                          note=self._note))

    def _paragraph(self, paragraph: etree._Element) -> None:
        properties = paragraph.find(f"{W}pPr")
        style = numbering = None
        if properties is not None:
            node = properties.find(f"{W}pStyle")
            style = node.get(f"{W}val") if node is not None else None
            num = properties.find(f"{W}numPr")
            if num is not None:
                num_id, level = num.find(f"{W}numId"), num.find(f"{W}ilvl")
                if num_id is not None and num_id.get(f"{W}val") not in (None, "0"):
                    numbering = (num_id.get(f"{W}val"),
                                 int(level.get(f"{W}val") or 0) if level is not None else 0)
        in_bibliography = self._bibliography > 0
        text, urls = self._text(paragraph)
        if self._run_on is not None:
            before, before_urls = self._run_on
            text, urls, self._run_on = f"{before}{text}".strip(), before_urls + urls, None
        mark = properties.find(f"{W}rPr") if properties is not None else None
        if mark is not None and mark.find(f"{W}del") is not None:
            self._run_on = (text, urls)  # deleted with its mark: gone once accepted
            return
        self.paragraphs.append(_Paragraph(text, len(self.paragraphs) + 1, style, numbering,
                                          urls, self._note,
                                          in_bibliography or self._bibliography > 0))

    def _text(self, paragraph: etree._Element) -> tuple[str, list[str]]:
        pieces: list[str] = []
        urls: list[str] = []
        self._runs(paragraph, pieces, urls)
        text = re.sub(r"[ \t\u00a0]+", " ", "".join(pieces))
        return "\n".join(line.strip() for line in text.split("\n")).strip(), urls

    def _runs(self, element: etree._Element, pieces: list[str], urls: list[str]) -> None:
        for child in self._children(element):
            tag = child.tag
            if tag == f"{W}r":
                properties = child.find(f"{W}rPr")
                hidden = properties is not None and properties.find(f"{W}vanish") is not None
                # hidden text is not read, but a field may begin or end in it
                self._run(child, [] if hidden else pieces, urls)
            elif tag == f"{W}hyperlink":
                target = self._target(child.get(R_ID))
                if target:
                    urls.append(target)
                shown: list[str] = []
                self._runs(child, shown, urls)
                words = re.sub(r"[\s\[\](){}.:,]+", " ", "".join(shown)).strip()
                if not (target and LINK_LABEL.fullmatch(words)):  # "Lien vers l'article"
                    pieces.extend(shown)
            elif tag == f"{W}fldSimple":
                self._instruction(child.get(f"{W}instr") or "")
                self._runs(child, pieces, urls)
            elif tag == f"{W}p":  # a text box's paragraph inside a run
                self._paragraph(child)
            else:
                self._runs(child, pieces, urls)

    def _run(self, run: etree._Element, pieces: list[str], urls: list[str]) -> None:
        for node in run:
            tag = node.tag
            if tag == f"{W}fldChar":
                kind = node.get(f"{W}fldCharType")
                if kind == "begin":
                    self._fields.append({"instruction": [], "result": False})
                elif kind == "separate" and self._fields:
                    self._fields[-1]["result"] = True
                    self._field_instruction(self._fields[-1], urls)
                elif kind == "end" and self._fields:
                    field_ = self._fields.pop()
                    if not field_["result"]:
                        self._field_instruction(field_, urls)
                    if field_.get("bibliography"):
                        self._bibliography -= 1
            elif tag == f"{W}instrText":
                if self._fields and not self._fields[-1]["result"]:
                    self._fields[-1]["instruction"].append(node.text or "")
            elif self._fields and not all(f["result"] for f in self._fields):
                continue  # inside a field's instruction: not text
            elif tag == f"{W}t":
                pieces.append(node.text or "")
            elif tag == f"{W}tab":
                pieces.append(" ")
            elif tag in _BREAKS:
                pieces.append("\n")
            elif tag == f"{W}noBreakHyphen":
                pieces.append("-")
            elif tag == f"{W}sym":
                char = node.get(f"{W}char") or ""
                if re.fullmatch(r"[0-9A-Fa-f]{4}", char) and int(char, 16) < 0xF000:
                    pieces.append(chr(int(char, 16)))
            elif tag == f"{W}footnoteReference" or tag == f"{W}endnoteReference":
                continue
            elif isinstance(tag, str) and tag not in _SKIPPED:
                self._runs(node, pieces, urls)

    def _field_instruction(self, field_: dict[str, Any], urls: list[str]) -> None:
        instruction = "".join(field_["instruction"])
        field_["instruction"] = []
        if BIBLIOGRAPHY.search(instruction):
            field_["bibliography"] = True
            self._bibliography += 1
            return
        link = re.match(r'\s*HYPERLINK\s+"([^"]+)"', instruction)
        if link:
            urls.append(link.group(1))
        self._instruction(instruction)

    def _instruction(self, instruction: str) -> None:
        items = items_of_instruction(instruction)
        for item in items:
            self.items.append((item, len(self.paragraphs) + 1))
        if not items and is_citation_field(instruction):
            self.broken.append(len(self.paragraphs) + 1)

    def _target(self, rel_id: str | None) -> str | None:
        if not rel_id:
            return None
        rel = self.rels.get(rel_id) if hasattr(self.rels, "get") else None
        return rel.target_ref if rel is not None and rel.is_external else None


_NUMBER_CELL = re.compile(r"\s*(?:\[\d{1,4}\]|\(\d{1,4}\)|\d{1,4}[.)]?)\s*")


def _in_reading_order(cells: list[str]) -> list[str]:
    """A table row's cells as one entry reads: its number, its reference (the longest cell
    with a year or a DOI), then the others (its level of evidence, its type of study…) — so
    that a level in the first column is not read as the first author."""
    if len(cells) < 2:
        return cells
    dated = [c for c in cells if re.search(r"\b(?:1[5-9]|20)\d\d\b|\b10\.\d{4,9}/", c)]
    reference = max(dated or cells, key=len)
    numbers = [c for c in cells if c is not reference and _NUMBER_CELL.fullmatch(c)]
    others = [c for c in cells if c is not reference and c not in numbers]
    return [*numbers, reference, *others]


def _chosen(paragraphs: list[_Paragraph], styles: Styles, numbers: Numbering
            ) -> tuple[list[tuple[_Paragraph, str | None]], bool]:
    """The paragraphs of the reference list, each with the number Word shows before it, and
    whether they are a list found as such (else the whole body, for the reader to sort)."""
    labels: dict[int, str | None] = {}
    for paragraph in paragraphs:
        numbering = paragraph.numbering or styles.numbering.get(paragraph.style or "")
        if numbering and paragraph.note is None:
            labels[paragraph.index] = numbers.label(numbering)
    body = [p for p in paragraphs if p.note is None]
    notes = [p for p in paragraphs if p.note is not None and p.text.strip()]
    chosen = _under_heading(body, styles) or [p for p in body if p.bibliography]
    cited_in_notes = [p for p in notes if _LOOKS_CITED.search(p.text)]
    if not chosen and cited_in_notes:
        return [(p, f"{p.note}.") for p in notes], True
    if chosen:
        return [(p, labels.get(p.index)) for p in chosen if p.text.strip()], True
    # the citations that end the document, or the whole body: the reader sorts out its prose
    return [(p, labels.get(p.index)) for p in _trailing_citations(body) or body
            if p.text.strip()], False


def _under_heading(body: list[_Paragraph], styles: Styles) -> list[_Paragraph]:
    """The paragraphs after the references heading (`list_start`), up to the next heading of
    its level or higher that is not another references heading ("Pour aller plus loin" carries
    the list on), or a heading such as Appendix."""
    start = list_start([p.text for p in body])
    if start is None:
        return []
    level = styles.level.get(body[start].style or "")
    section = []
    for paragraph in body[start + 1:]:
        if is_references_heading(paragraph.text):
            continue
        other = styles.level.get(paragraph.style or "")
        if (other is not None and level is not None and other <= level
                and not _CITATION_SIGN.search(paragraph.text)) or ends_references(paragraph.text):
            break  # (an entry wrongly in a heading style does not end the list)
        section.append(paragraph)
    return section if any(p.text.strip() for p in section) else []


# More than a date: names with initials, "et al", a DOI, a journal's "2016;387(10017):475".
_LOOKS_CITED = re.compile(r"\b[A-Z][\w'’-]+,? (?:[A-Z]{1,3}\b|[A-Z]\.)|\bet al\b|\b10\.\d{4,9}/|"
                          r"\b(?:1[5-9]|20)\d\d\s*[;,]\s*\d|\d+\s*\(\d+\)\s*[:,]")
_CITATION_SIGN = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b|\b10\.\d{4,9}/|\bPMID\b")


def _trailing_citations(body: list[_Paragraph]) -> list[_Paragraph]:
    """The run of paragraphs that look like citations (a year, a DOI, a PMID; not a long
    paragraph of prose) at the document's end, when it holds two or more."""
    run: list[_Paragraph] = []
    for paragraph in reversed(body):
        text = paragraph.text.strip()
        if not text:
            continue
        if len(text) > 1200 or not _CITATION_SIGN.search(text):
            break
        run.append(paragraph)
    if sum(1 for p in run if _LOOKS_CITED.search(p.text)) < 2:
        return []  # "Mis à jour en mars 2024", "© Association…, 2023": dated, not citations
    return list(reversed(run)) if len(run) >= 2 else []
