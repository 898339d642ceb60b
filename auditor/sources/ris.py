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
from collections.abc import Iterable
from dataclasses import dataclass, field

from auditor import codes
from auditor.model import Finding, InputProblem, Reference, SourceLocation
from auditor.sources.base import SourceRead, decide_doi
from auditor.sources.bibvalues import parse_year
from auditor.sources.doi import find_doi

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
_LINES = re.compile(r"\r\n|\r|\n")
# Fields a DOI may hide in when there is no `DO`, in the order they are tried.
DOI_FALLBACK_TAGS = ("UR", "L3", "L1", "L2", "N1", "M3")
_PROSE_TAGS = frozenset({"N1", "M3"})
_URL = re.compile(r"https?://[^\s;<>\"']+", re.IGNORECASE)
_DOI_LINK = re.compile(r"^https?://(?:dx\.|www\.)?doi\.org/|^https?://doi\.acm\.org/", re.I)
_ISBN_TOKEN = re.compile(r"(?<![\dXx-])\d[\d-]{8,15}[\dXx](?![\dXx-])")
_INITIALS = re.compile(r"^(?:[A-Z]\.?-?){1,4}$")


@dataclass
class TaggedRecord:
    """One record as read: its first line, its (tag, value) pairs in file order, its text."""

    line: int
    fields: list[list[str]] = field(default_factory=list)
    raw: list[str] = field(default_factory=list)

    def first(self, *tags: str) -> str | None:
        """The first non-empty value of the first of `tags` that has one."""
        for tag in tags:
            for name, value in self.fields:
                if name == tag and value.strip():
                    return clean(value)
        return None

    def all(self, *tags: str) -> list[str]:
        """Every non-empty value of `tags`, in file order."""
        return [clean(value) for name, value in self.fields if name in tags and value.strip()]


class RecordGrouper:
    """Tag lines → records and orphans, for every tagged format (RIS, Web of Science, MEDLINE):
    a start tag opens a record (closing any open one: its end tag may be missing), an end tag
    or a blank line closes it, and tag lines outside any record are gathered as an orphan, to be
    reported unreadable with its first line while the rest of the file is read."""

    def __init__(self) -> None:
        self.records: list[TaggedRecord] = []
        self.orphans: list[TaggedRecord] = []
        self.current: TaggedRecord | None = None
        self.orphan: TaggedRecord | None = None

    @property
    def open(self) -> TaggedRecord | None:
        """Where a continuation line goes: the open record, else the open orphan."""
        return self.current or self.orphan

    def start(self, number: int, name: str, value: str, line: str) -> None:
        self.close_orphan()
        if self.current is not None:
            self.records.append(self.current)
        self.current = TaggedRecord(number, [[name, value]], [line])

    def add(self, number: int, name: str, value: str, line: str) -> None:
        if self.current is None and self.orphan is None:
            self.orphan = TaggedRecord(number)
        target = self.current or self.orphan
        assert target is not None
        target.fields.append([name, value])
        target.raw.append(line)

    def end(self, line: str | None = None) -> None:
        """An end tag (`ER`; `line` is kept with an orphan) or a blank line."""
        if self.current is not None:
            self.records.append(self.current)
            self.current = None
        elif self.orphan is not None:
            if line is not None:
                self.orphan.raw.append(line)
            self.close_orphan()

    def close_orphan(self) -> None:
        if self.orphan is not None:
            self.orphans.append(self.orphan)
            self.orphan = None

    def finish(self) -> tuple[list[TaggedRecord], list[TaggedRecord]]:
        if self.current is not None:
            self.records.append(self.current)
            self.current = None
        self.close_orphan()
        return self.records, self.orphans


def clean(value: str) -> str:
    """Collapse the spaces and line joins of a value: `first line,⏎ second` → one line."""
    return " ".join(value.split())


def split_lines(text: str) -> list[str]:
    """Lines as an editor counts them (CRLF, LF or old-Mac CR), without a BOM."""
    return [line.lstrip("\ufeff") for line in _LINES.split(text)]


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
        from auditor.sources.wos import looks_like_wos, read_wos

        if looks_like_wos(text):
            return read_wos(lines, file_name)
        return SourceRead()
    records, orphans = _ris_records(lines)
    return build_references(records, orphans, file_name, _ris_reference, _ris_orphan_message,
                            id_tag="ID")


def looks_like_ris(text: str) -> bool:
    """True when the text holds at least one `TY  - ` line (for a dispatcher sniffing content)."""
    return any((tag := _ris_tag(line)) and tag[0] == "TY" for line in split_lines(text)) or \
        _looks_like_wos(text)


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


def _ris_orphan_message(orphan: TaggedRecord) -> str:
    tags = ", ".join(dict.fromkeys(name for name, _ in orphan.fields[:6]))
    return (f"RIS record without a `TY  - ` line (tags {tags}…): no record is open here, so it "
            "was skipped; the rest of the file is audited")


def build_references(records: list[TaggedRecord], orphans: list[TaggedRecord], file_name: str,
                     make, orphan_message, id_tag: str | None) -> SourceRead:
    """References in file order, keyed by `id_tag` or by position (orphans count as positions
    too), and one problem per orphan."""
    result = SourceRead()
    items = sorted([(r.line, False, r) for r in records] + [(o.line, True, o) for o in orphans],
                   key=lambda item: item[0])
    first_line: dict[str, int] = {}
    for position, (line, is_orphan, record) in enumerate(items, 1):
        if is_orphan:
            result.problems.append(InputProblem(
                SourceLocation(file_name, line), codes.UNREADABLE_ENTRY.make(
                    orphan_message(record)), "\n".join(record.raw)))
            continue
        key = (record.first(id_tag) if id_tag else None) or str(position)
        found: list[Finding] = []
        if key in first_line:
            found.append(codes.DUPLICATE_KEY.make(
                f"record key {key!r} is used more than once (also at line {first_line[key]}); "
                "both are kept"))
        first_line.setdefault(key, line)
        result.references.append(make(record, key, SourceLocation(file_name, line), found))
    return result


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
        isbn=isbn_from(record.all("SN", "BN")),
        note=" ".join(record.all("N1")) or None,
        doi=doi,
        doi_as_written=written,
        findings=tuple(found + doi_findings),
    )


def person_name(value: str) -> str | None:
    """A name as "Family, Given": `Shannon,Claude E.` → `Shannon, Claude E.`, Ovid's and
    PubMed's `Fanning E.` / `Himmelstein DS` → `Fanning, E.` / `Himmelstein, DS`. A name with no
    comma and no trailing initials (`World Health Organization`) stays as written."""
    name = clean(value).strip().rstrip(",").strip()
    if not name:
        return None
    if "," in name:
        family, given = (part.strip() for part in name.split(",", 1))
        if not family or not given:
            return family or given
        return f"{family}, {given}"
    words = name.split()
    if 2 <= len(words) <= 4 and _INITIALS.match(words[-1]):
        return f"{' '.join(words[:-1])}, {words[-1]}"
    return name


def page_range(start: str | None, end: str | None) -> str | None:
    """`SP 379` + `EP 423` → `379-423`; an SP that is already a range is kept."""
    if start and end and end != start and "-" not in start:
        return f"{start}-{end}"
    return start or end


def first_url(values: Iterable[str]) -> str | None:
    """The first http(s) URL that is not a DOI link (the DOI is kept as the DOI); a field may
    list several, separated by `;` or spaces."""
    for value in values:
        for match in _URL.finditer(value):
            url = match.group(0).rstrip(".,;:)")
            if not _DOI_LINK.match(url):
                return url
    return None


def isbn_from(values: Iterable[str]) -> str | None:
    """An ISBN in an `SN` field that may hold an ISSN or two (`1895-5770 1895-5770`): a run of
    10 digits (last may be X) or 13 starting 978/979, hyphens dropped."""
    for value in values:
        for match in _ISBN_TOKEN.finditer(value):
            digits = match.group(0).replace("-", "").upper()
            if (len(digits) == 10 and digits[:9].isdigit()) or (
                    len(digits) == 13 and digits.isdigit() and digits[:3] in ("978", "979")):
                return digits
    return None


def extract_doi(record: TaggedRecord, doi_tags: tuple[str, ...] = ("DO",),
                fallback_tags: tuple[str, ...] = DOI_FALLBACK_TAGS, label: str | None = None,
                ) -> tuple[str | None, str | None, list[Finding]]:
    """The record's DOI: from `DO`, else from UR/L3/L1/L2/N1/M3 (bibtex.extract_doi's rules).

    Returns (normalised DOI, text as written, findings). An invalid `DO` is D001 and never looked
    up; a DOI in another field is D005; a DOI elsewhere that disagrees with `DO`, or a `DO` that
    lists several, is D006.
    """
    values = [re.sub(r"\s*\[doi\]\s*$", "", v, flags=re.I) for v in record.all(*doi_tags)]
    written = "; ".join(dict.fromkeys(values)) or None
    label = label or "/".join(doi_tags)
    for tag in fallback_tags:
        if written and tag in _PROSE_TAGS:
            continue  # a note names other works (an erratum, a comment): no clash with DO
        for value in record.all(tag):
            candidate = find_doi(value)
            # The Cochrane Library's own record id (…/central/doi/10.1002/central/CN-…) names
            # its CENTRAL entry, not the trial's paper.
            if candidate and not candidate.startswith("10.1002/central/"):
                return decide_doi(written, f"{label} field", candidate, tag, value)
    return decide_doi(written, f"{label} field")


def _looks_like_wos(text: str) -> bool:
    from auditor.sources.wos import looks_like_wos

    return looks_like_wos(text)
