"""Read RIS files (EndNote, Zotero, Mendeley, Ovid, Scopus, Web of Science exports) into References.

RIS is line based: `TY  - JOUR` opens a record, `ER  -` closes it, and every line in between is
`XX  - value` or the continuation of the previous value. Files met in the wild bend all of it:
a BOM, CRLF, lower-case tags, one space instead of two, no space after the closing dash, header
lines and record numbers between records ("Record #1 of 2", "1."), a missing `ER`. The reader
keeps the line of every record and reads each one on its own, so that tags standing outside any
record (a record whose `TY` line is lost) become one problem with its line while the records
around it are read.

rispy is not used: it gives no line numbers, drops a record without `TY` silently, reads nothing
from a file with a BOM, lower-case tags or one-space tags, and loses the second of two records
when the first has no `ER` — what is left of it (a tag → field table) is the few lines below.

Web of Science's own "plain text" export (`FN Clarivate Analytics Web of Science`, `PT J` …
`ER`, two-letter tags followed by one space, continuation lines indented by three spaces) is
not RIS, but it is saved as .ris often enough (rispy ships it as an "RIS" example): a text with
no `TY` record but with `PT`/`ER` records is read as that format.
"""

from __future__ import annotations

import re

from auditor import codes
from auditor.model import Finding, Reference, SourceLocation
from auditor.sources.base import SourceRead
from auditor.sources.bibvalues import parse_year
from auditor.sources.isbn import find_isbn
from auditor.sources.tagged import (
    RecordGrouper,
    TaggedRecord,
    build_references,
    extract_doi,
    first_url,
    page_range,
    person_name,
    split_lines,
)
from auditor.sources.wos import looks_like_wos, read_wos

# RIS type → the BibTeX-like entry type that auditor/data/kinds.toml knows.
RIS_TYPES = {
    "JOUR": "article", "JFULL": "article", "EJOUR": "article", "MGZN": "article",
    "NEWS": "article", "INPR": "article", "ABST": "article",
    "BOOK": "book", "EBOOK": "book", "EDBOOK": "book", "SER": "book", "PAMP": "booklet",
    "CHAP": "incollection", "ECHAP": "incollection",
    "DICT": "inreference", "ENCYC": "inreference",
    "CONF": "inproceedings", "CPAPER": "inproceedings",
    "RPRT": "techreport", "GOVDOC": "techreport",
    "THES": "phdthesis",
    "ELEC": "online", "WEB": "online", "BLOG": "online",
    "DATA": "dataset", "DBASE": "dataset",
    "STAND": "standard",
    "UNPB": "unpublished", "UNPD": "unpublished", "MANSCPT": "unpublished",
    "PAT": "patent", "COMP": "software",
}
# The spelled-out types some exporters write instead (`TY  - Journal Article`), lower-cased.
_LONG_TYPES = {
    "journal article": "article", "journal": "article", "electronic article": "article",
    "magazine article": "article", "newspaper article": "article", "article": "article",
    "book": "book", "edited book": "book", "electronic book": "book",
    "book section": "incollection", "book chapter": "incollection",
    "electronic book section": "incollection",
    "conference paper": "inproceedings", "conference proceedings": "inproceedings",
    "report": "techreport", "government document": "techreport", "thesis": "phdthesis",
    "web page": "online", "webpage": "online", "blog": "online", "dataset": "dataset",
    "standard": "standard", "patent": "patent", "computer program": "software",
}
# Every tag of the RIS specification (2011) and the extra ones of Web of Science's RIS export.
# A line in a loose form (`ty - JOUR`, `TY -JOUR`) is a tag line only when its tag is one of
# these; in the strict form (`XX  - value`) any two upper-case letters/digits are a tag.
KNOWN_TAGS = frozenset(re.findall(r"\w\w", (
    "TY ER ID T1 T2 T3 T4 TI TT BT CT ST A1 A2 A3 A4 AU ED AB N1 N2 KW Y1 Y2 PY DA JF JO JA J1 "
    "J2 VL VO IS CP SP EP CY PB PU SN BN UR L1 L2 L3 L4 DO M1 M2 M3 AD AN CA C1 C2 C3 C4 C5 C6 "
    "C7 C8 DB DP ET LA LB NV OP RI RN RP SE SV U1 U2 U3 U4 U5 AV PP WE PI PA FU FX J9 JI")))
_STRICT_TAG = re.compile(r"^([A-Z][A-Z0-9])  -(?:[ \t](.*))?$")
_LOOSE_TAG = re.compile(r"^([A-Za-z][A-Za-z0-9])[ \t]{1,3}-[ \t]?(.*)$")


def _ris_tag(line: str) -> tuple[str, str] | None:
    match = _STRICT_TAG.match(line)
    if match:
        return match.group(1), match.group(2) or ""
    match = _LOOSE_TAG.match(line)
    if match and match.group(1).upper() in KNOWN_TAGS:
        return match.group(1).upper(), match.group(2)
    return None


def read_ris(text: str, file_name: str) -> SourceRead:
    """Read an RIS text: one Reference per record, one problem per unreadable record.

    A text with no `TY` record at all is tried as a Web of Science plain-text export; when that
    finds nothing either, the result is empty and the caller reports the file.
    """
    lines = split_lines(text)
    if not any((tag := _ris_tag(line)) and tag[0] == "TY" for line in lines):
        if looks_like_wos(text):
            return read_wos(lines, file_name)
        return SourceRead()
    records, orphans = _ris_records(lines)
    return build_references(records, orphans, file_name, _ris_reference, _ris_orphan_message,
                            id_tag="ID")


def looks_like_ris(text: str) -> bool:
    """True when the text holds at least one `TY  - ` line (for a dispatcher sniffing content)."""
    return any((tag := _ris_tag(line)) and tag[0] == "TY" for line in split_lines(text)) or \
        looks_like_wos(text)


def _ris_records(lines: list[str]) -> tuple[list[TaggedRecord], list[TaggedRecord]]:
    """Split into records (`TY` … `ER`, or `TY` … next `TY` when `ER` is missing) and orphans:
    runs of tag lines outside any record, each to the `ER` or `TY` that ends it."""
    grouper = RecordGrouper()
    for number, line in enumerate(lines, 1):
        tag = _ris_tag(line)
        if tag is None:
            target = grouper.open
            if target is not None and line.strip():
                target.raw.append(line)
                if target.fields:  # a value that goes on over several lines
                    target.fields[-1][1] += " " + line.strip()
            continue
        name, value = tag
        if name == "TY":
            grouper.start(number, name, value, line)
        elif name == "ER":
            grouper.end(line)
        else:
            grouper.add(number, name, value, line)
    return grouper.finish()


def _ris_orphan_message(orphan: TaggedRecord) -> Finding:
    tags = ", ".join(dict.fromkeys(name for name, _ in orphan.fields[:6]))
    return codes.UNREADABLE_ENTRY.make(
        "RIS record without a `TY  - ` line (tags {tags}…): no record is open here, so it was "
        "skipped; the rest of the file is audited", tags=tags)


def entry_type_of(ris_type: str | None) -> str:
    """`JOUR` → article, `CHAP` → incollection, `Journal Article` → article, else misc."""
    value = (ris_type or "").strip()
    return RIS_TYPES.get(value.upper()) or _LONG_TYPES.get(value.lower()) or "misc"


def _ris_reference(record: TaggedRecord, key: str, where: SourceLocation,
                   found: list[Finding]) -> Reference:
    entry_type = entry_type_of(record.first("TY"))
    title = record.first("TI", "T1", "CT")
    book_title_used = False
    if title is None and entry_type in ("book", "booklet"):
        title = record.first("BT")
        book_title_used = title is not None
    title = title or record.first("ST")  # a short title is better than none for the search
    if not title:
        found.append(codes.NO_TITLE.make("the record has no title (TI/T1)"))
    container_tags = ("T2", "JF", "JO") + (() if book_title_used else ("BT",)) + (
        "JA", "J2", "J1", "JI")
    doi, written, doi_findings = extract_doi(record)
    return Reference(
        key=key,
        source=where,
        entry_type=entry_type,
        title=title,
        authors=tuple(name for value in record.all("AU", "A1")
                      if (name := person_name(value))),
        # `2019///`, `2019/05//Spring`; a broken `10 15` has no year, so the next tag is tried
        year=parse_year(*(record.first(tag) for tag in ("PY", "Y1", "DA"))),
        container=record.first(*container_tags),
        volume=record.first("VL", "VO"),
        issue=record.first("IS"),
        pages=page_range(record.first("SP"), record.first("EP")),
        publisher=record.first("PB", "PU"),
        url=first_url(record.all("UR")) or first_url(record.all("L2")),
        isbn=find_isbn(*record.all("SN", "BN")),
        note=" ".join(record.all("N1")) or None,
        doi=doi,
        doi_as_written=written,
        findings=tuple(found + doi_findings),
    )
