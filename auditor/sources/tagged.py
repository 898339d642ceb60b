"""The tagged-record machinery of RIS, Web of Science's plain text and PubMed's MEDLINE: a
record of (tag, value) pairs with its line, the state machine that groups tag lines into
records (and runs of orphan tags, reported with their line), the name, page, URL and DOI rules
those formats share, and the assembly of References keyed by record id or position.
Each format's reader only says which lines are tags and what each tag means.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from auditor import codes
from auditor.model import Finding, InputProblem, Reference, SourceLocation
from auditor.sources.base import SourceRead, decide_doi
from auditor.sources.doi import find_doi

_LINES = re.compile(r"\r\n|\r|\n")

# Fields a DOI may hide in when there is no `DO`, in the order they are tried.
DOI_FALLBACK_TAGS = ("UR", "L3", "L1", "L2", "N1", "M3")

_PROSE_TAGS = frozenset({"N1", "M3"})

_URL = re.compile(r"https?://[^\s;<>\"']+", re.IGNORECASE)

_DOI_LINK = re.compile(r"^https?://(?:dx\.|www\.)?doi\.org/|^https?://doi\.acm\.org/", re.I)

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


MakeReference = Callable[["TaggedRecord", str, SourceLocation, list[Finding]], Reference]


def build_references(records: list[TaggedRecord], orphans: list[TaggedRecord], file_name: str,
                     make: MakeReference, orphan_message: Callable[[TaggedRecord], Finding],
                     id_tag: str | None) -> SourceRead:
    """References in file order, keyed by `id_tag` or by position (orphans count as positions
    too), and one problem per orphan."""
    result = SourceRead()
    items = sorted([(r.line, False, r) for r in records] + [(o.line, True, o) for o in orphans],
                   key=lambda item: item[0])
    first_line: dict[str, int] = {}
    for position, (line, is_orphan, record) in enumerate(items, 1):
        if is_orphan:
            result.problems.append(InputProblem(
                SourceLocation(file_name, line), orphan_message(record), "\n".join(record.raw)))
            continue
        key = (record.first(id_tag) if id_tag else None) or str(position)
        found: list[Finding] = []
        if key in first_line:
            found.append(codes.DUPLICATE_KEY.make(
                "record key {key!r} is used more than once (also at line {line}); both are "
                "kept", key=key, line=first_line[key]))
        first_line.setdefault(key, line)
        result.references.append(make(record, key, SourceLocation(file_name, line), found))
    return result


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
