"""Read PubMed/MEDLINE files (.nbib, PubMed's "Send to → Citation manager") into References.

The MEDLINE display format: a record starts with `PMID- 29424689` and ends at a blank line (or at
the next `PMID-`); each line is a tag of up to four letters padded to four, `- `, the value
(`TI  - `, `FAU - `, `STAT- `); a value goes on over lines indented by six spaces. Tags standing
after a blank line with no `PMID-` before them (a record whose first line was lost) are one
problem with their line; the records around them are read.
"""

from __future__ import annotations

import re

from auditor import codes
from auditor.model import Finding, Reference, SourceLocation
from auditor.sources.base import SourceRead
from auditor.sources.bibvalues import parse_year
from auditor.sources.doi import normalize_doi
from auditor.sources.isbn import find_isbn
from auditor.sources.tagged import (
    RecordGrouper,
    TaggedRecord,
    build_references,
    person_name,
    split_lines,
)

_TAG = re.compile(r"^([A-Z][A-Z0-9]{1,3}) {0,3}-(?: (.*))?$")
_PAGES = re.compile(r"^(\d+)-(\d+)$")
_DOI_SUFFIX = re.compile(r"\s*\[doi\]\s*$", re.IGNORECASE)


def _tag(line: str) -> tuple[str, str] | None:
    match = _TAG.match(line.rstrip())
    return (match.group(1), match.group(2) or "") if match else None


def looks_like_nbib(text: str) -> bool:
    """True when the text holds a `PMID- ` line (for a dispatcher sniffing content)."""
    return any((tag := _tag(line)) and tag[0] == "PMID" for line in split_lines(text))


def read_nbib(text: str, file_name: str) -> SourceRead:
    """Read a MEDLINE/nbib text: one Reference per `PMID-` record, keyed by its PMID, and one
    problem per run of tags that belongs to no record. No `PMID-` line at all: empty result."""
    lines = split_lines(text)
    if not looks_like_nbib(text):
        return SourceRead()
    grouper = RecordGrouper()
    for number, line in enumerate(lines, 1):
        if not line.strip():  # a blank line ends the record (and a run of orphan tags)
            grouper.end()
            grouper.close_orphan()
            continue
        target = grouper.open
        tag = None if line[:1].isspace() else _tag(line)
        if tag is None:  # continuation (six spaces) or a stray line
            if target is not None and target.fields:
                target.fields[-1][1] += " " + line.strip()
                target.raw.append(line)
            continue
        name, value = tag
        if name == "PMID":
            grouper.start(number, name, value, line)
        else:
            grouper.add(number, name, value, line)
    records, orphans = grouper.finish()

    def message(orphan: TaggedRecord) -> Finding:
        title = orphan.first("TI")
        if title:
            return codes.UNREADABLE_ENTRY.make(
                "MEDLINE record without a `PMID- ` line ({title!r}): no record is open here, so "
                "it was skipped; the rest of the file is audited", title=title[:60])
        return codes.UNREADABLE_ENTRY.make(
            "MEDLINE record without a `PMID- ` line: no record is open here, so it was "
            "skipped; the rest of the file is audited")

    return build_references(records, orphans, file_name, _reference, message, id_tag="PMID")


def _authors(record: TaggedRecord) -> tuple[str, ...]:
    """FAU (`Himmelstein, Daniel S`) when the record has them, else AU (`Himmelstein DS` →
    `Himmelstein, DS`); a group author (CN) keeps its place in the list."""
    use = "FAU" if any(name == "FAU" and value.strip() for name, value in record.fields) else "AU"
    names = []
    for name, value in record.fields:
        if name == use:
            person = person_name(value)
            if person:
                names.append(person)
        elif name == "CN" and value.strip():
            names.append(" ".join(value.split()))
    return tuple(names)


def _entry_type(types: tuple[str, ...], record: TaggedRecord) -> str:
    lowered = {t.lower() for t in types}
    if "book chapter" in lowered:
        return "incollection"
    if lowered & {"book", "books"}:
        return "book"
    if any("dissertation" in t for t in lowered):
        return "phdthesis"
    if "technical report" in lowered:
        return "techreport"
    if "preprint" in lowered:
        return "misc"
    if "dataset" in lowered:
        return "dataset"
    if record.first("BTI") and not record.first("JT", "TA"):  # a Bookshelf record
        return "incollection" if record.first("TI") else "book"
    return "article"


def _pages(value: str | None) -> str | None:
    """MEDLINE shortens page ranges: `6913-7` → `6913-6917`."""
    if not value:
        return None
    match = _PAGES.match(value)
    if match and len(match.group(2)) < len(match.group(1)):
        start, end = match.groups()
        return f"{start}-{start[:len(start) - len(end)]}{end}"
    return value


def _reference(record: TaggedRecord, key: str, where: SourceLocation,
               found: list[Finding]) -> Reference:
    types = tuple(record.all("PT"))
    entry_type = _entry_type(types, record)
    title = record.first("TI")
    if title is None and entry_type == "book":
        title = record.first("BTI")
    if not title:
        found.append(codes.NO_TITLE.make("the record has no title (TI)"))
    if entry_type == "incollection":
        container = record.first("BTI", "CTI")
    elif entry_type == "book":
        container = record.first("CTI")
    else:
        container = record.first("JT", "TA")
    doi, written, doi_findings = _doi(record)
    pmid = record.first("PMID")
    return Reference(
        key=key,
        source=where,
        entry_type=entry_type,
        title=title,
        authors=_authors(record),
        year=parse_year(record.first("DP"), (record.first("DEP") or "")[:4]),
        container=container,
        volume=record.first("VI"),
        issue=record.first("IP"),
        pages=_pages(record.first("PG")),
        publisher=record.first("PB"),
        url=None,
        isbn=find_isbn(*record.all("ISBN", "IS")),
        note=None,
        doi=doi,
        doi_as_written=written,
        findings=tuple(found + doi_findings),
        pmid=pmid,
        pubmed_types=types,
    )


def _doi(record: TaggedRecord) -> tuple[str | None, str | None, list[Finding]]:
    """The DOI of a MEDLINE record: its `LID`/`AID` values tagged `[doi]` (the `[pii]` and
    `[bookaccession]` ones are not DOIs). Two different DOIs are D006 (the first is used); a
    record whose only `[doi]` value is not a DOI is D001."""
    tagged = [(name, _DOI_SUFFIX.sub("", value).strip()) for name, value in record.fields
              if name in ("LID", "AID") and _DOI_SUFFIX.search(value)]
    valid: dict[str, tuple[str, str]] = {}
    invalid: list[tuple[str, str]] = []
    for name, value in tagged:
        parsed = normalize_doi(value)
        if parsed.doi:
            valid.setdefault(parsed.doi, (name, value))
        elif value:
            invalid.append((name, value))
    if valid:
        (doi, (name, written)), *others = valid.items()
        found = [codes.CONFLICTING_DOIS.make(
            "{field} says {doi} but {other_field} says {other}; the first is used", field=name,
            doi=doi, other_field=other_name, other=other)
            for other, (other_name, _) in others]
        return doi, written, found
    if invalid:
        name, written = invalid[0]
        return None, written, [codes.INVALID_DOI.make(
            "{field} [doi] value {written!r} is not a DOI of the form 10.NNNN/suffix; not "
            "looked up", field=name, written=written)]
    return None, None, []
