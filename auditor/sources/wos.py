"""Web of Science's own plain-text export (`FN`/`VR`, then `PT J` … `ER` records): not RIS,
though often saved as .ris; read with the RIS reader's record grouping and DOI rule.
`ID` is Keywords Plus in this format, never a record id: records are keyed by position."""

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
    page_range,
    person_name,
)

_WOS_TAG = re.compile(r"^([A-Z][A-Z0-9])(?: (.*))?$")
_WOS_RECORD = re.compile(r"^PT [A-Z]\s*$", re.M)
_WOS_END = re.compile(r"^ER\s*$", re.M)
_WOS_LIST_TAGS = {"AU", "AF", "BA", "BF", "CA", "GP", "ED", "CR"}  # one value per line


def looks_like_wos(text: str) -> bool:
    """Web of Science "plain text": `PT J` records closed by `ER`."""
    return bool(_WOS_RECORD.search(text) and _WOS_END.search(text))


def read_wos(lines: list[str], file_name: str) -> SourceRead:
    grouper = RecordGrouper()
    for number, line in enumerate(lines, 1):
        target = grouper.open
        if line.startswith("   ") and line.strip():  # continuation of the last tag
            if target is not None and target.fields:
                target.raw.append(line)
                if target.fields[-1][0] in _WOS_LIST_TAGS:
                    target.fields.append([target.fields[-1][0], line.strip()])
                else:
                    target.fields[-1][1] += " " + line.strip()
            continue
        match = _WOS_TAG.match(line.rstrip())
        if not match or match.group(1) in ("FN", "VR", "EF"):
            continue
        name, value = match.group(1), match.group(2) or ""
        if name == "PT":
            grouper.start(number, name, value, line)
        elif name == "ER":
            grouper.end()
        else:
            grouper.add(number, name, value, line)
    records, orphans = grouper.finish()

    def message(orphan: TaggedRecord) -> Finding:
        return codes.UNREADABLE_ENTRY.make(
            "Web of Science record without a `PT` line: no record is open here, so it was "
            "skipped; the rest of the file is audited")

    # `ID` is Keywords Plus in this format, never a record id: records are keyed by position.
    return build_references(records, orphans, file_name, _wos_reference, message, id_tag=None)


def _wos_reference(record: TaggedRecord, key: str, where: SourceLocation,
                   found: list[Finding]) -> Reference:
    kind = (record.first("PT") or "").upper()
    document = (record.first("DT") or "").lower()
    if "proceedings paper" in document:
        entry_type = "inproceedings"
    elif kind == "B":
        entry_type = "incollection" if "chapter" in document else "book"
    elif kind in ("J", "S"):
        entry_type = "article"
    elif kind == "P":
        entry_type = "patent"
    else:
        entry_type = "misc"
    title = record.first("TI")
    if not title:
        found.append(codes.NO_TITLE.make("the record has no title (TI)"))
    authors = record.all("AF") or record.all("AU")
    # Only DI/D2 are the record's own DOIs: CR (cited references) is full of others.
    doi, written, doi_findings = extract_doi(record, ("DI",), ())
    return Reference(
        key=key,
        source=where,
        entry_type=entry_type,
        title=title,
        authors=tuple(name for value in authors if (name := person_name(value))),
        year=parse_year(*(record.first(tag) for tag in ("PY", "PD", "EA"))),
        container=record.first("SO", "SE", "JI", "J9"),
        volume=record.first("VL"),
        issue=record.first("IS"),
        pages=page_range(record.first("BP"), record.first("EP")) or record.first("AR"),
        publisher=record.first("PU"),
        url=None,
        isbn=find_isbn(*record.all("BN")),
        note=None,
        doi=doi,
        doi_as_written=written,
        findings=tuple(found + doi_findings),
        pmid=record.first("PM"),
    )
