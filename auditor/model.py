"""The plain records that flow through the auditor: read → resolve → judge → report.

`Reference` is what the user's list says, `Work` is what a registry says, `Lookup` is the answer (or
the lack of one) for a DOI, and `Verdict` is what the judges conclude for one reference.
Everything is a frozen dataclass so a stage can never change what an earlier one produced.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from auditor.i18n import Phrase, Said, _, in_language
from auditor.vocabulary import (
    STATUS_UNCHECKED,
    Confidence,
    Design,
    Kind,
    LookupState,
    PeerReview,
    PeerReviewSignal,
    PubMedState,
    Recommendation,
    Resolution,
    Severity,
    Status,
)


@dataclass(frozen=True, slots=True)
class SourceLocation:
    """Where a reference or a problem stands: file name as given by the user, 1-based line.
    In a document (PDF, Word, web page) the line is one of the text read out of it, and a PDF
    gives the page too."""

    file: str
    line: int
    page: int | None = None

    def to_dict(self) -> dict[str, object]:
        return {"file": self.file, "line": self.line,
                **({"page": self.page} if self.page is not None else {})}


@dataclass(frozen=True, slots=True)
class Finding:
    """One diagnostic, like a linter's: a stable code, a kebab-case name, a severity, a message.

    `message` is English (the JSON's, a contract); `text()` is what a person reads, in the
    language of the moment — from `template` and its named `values` when the finding was made
    from them (codes.Code.make), so that a translation can order the sentence as its language
    needs. A value that is a `Phrase` is translated too."""

    code: str
    name: str
    severity: Severity
    message: str
    template: str = field(default="", compare=False)
    values: tuple[tuple[str, Any], ...] = field(default=(), compare=False)

    def text(self) -> str:
        if not self.template:
            return _(self.message)
        return _(self.template).format(**{
            name: in_language(value) if isinstance(value, str) else value
            for name, value in self.values})

    def said(self) -> str:
        """The message to be said later in the reader's language (a Said, or a Phrase)."""
        return Said(self.template, **dict(self.values)) if self.template else Phrase(self.message)

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "name": self.name, "severity": str(self.severity),
                "message": self.message}


@dataclass(frozen=True, slots=True)
class Reference:
    """What the reference list says about one work, e.g. BibTeX entry `victora2016`.

    `doi` is the normalised DOI or None; `doi_as_written` keeps the user's text so a report can
    show what was wrong with it. `findings` are the problems the reader already saw (invalid DOI,
    duplicate key, …).
    """

    key: str
    source: SourceLocation
    entry_type: str = ""
    title: str | None = None
    authors: tuple[str, ...] = ()
    year: int | None = None
    container: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    publisher: str | None = None
    url: str | None = None
    isbn: str | None = None
    note: str | None = None
    doi: str | None = None
    doi_as_written: str | None = None
    findings: tuple[Finding, ...] = ()
    # The citation as written, for formats that give only text (a pasted list): what Crossref's
    # query.bibliographic is asked with, and what a candidate's title is checked against.
    raw: str | None = None
    # From a PubMed export (.nbib) or a RIS/CSL record that carries them: the PubMed id and
    # publication types, an evidence signal without asking PubMed again.
    pmid: str | None = None
    pubmed_types: tuple[str, ...] = ()

    @property
    def first_author_family(self) -> str | None:
        """Family name of the first author: "Victora" from "Victora, Cesar G"."""
        if not self.authors:
            return None
        name = self.authors[0].strip()
        if "," in name:
            return name.split(",", 1)[0].strip() or None
        parts = name.split()
        return parts[-1] if parts else None


# Update.source of a retraction PubMed records (publication type "Retracted Publication")
# without Crossref knowing of it.
PUBMED_SOURCE = "pubmed"
RETRACTION_WATCH_SOURCE = "retraction-watch"  # its CSV, read with --retraction-watch


@dataclass(frozen=True, slots=True)
class Update:
    """One `updated-by` / `update-to` entry: a notice (retraction, correction…) about a work."""

    type: str
    doi: str | None
    source: str | None
    date: str | None
    label: str | None = None
    reasons: tuple[str, ...] = ()  # why, as Retraction Watch's list gives it

    def to_dict(self) -> dict[str, object]:
        said: dict[str, object] = {"type": self.type, "doi": self.doi, "source": self.source,
                                   "date": self.date}
        if self.reasons:
            said["reasons"] = list(self.reasons)
        return said


@dataclass(frozen=True, slots=True)
class Work:
    """What Crossref says about a DOI, e.g. 10.1016/s0140-6736(15)01024-7 (Victora 2016).

    `year` follows crossref.md: `issued`, else the earlier of print and online, else posted,
    approved, created. `print_year` and `online_year` are kept because a citation may use either.
    """

    doi: str
    type: str
    title: str | None = None
    subtitle: str | None = None
    other_titles: tuple[str, ...] = ()  # a second (often English) title, the original title
    container: str | None = None
    short_container: str | None = None
    subtype: str | None = None
    issn: tuple[str, ...] = ()
    isbn: tuple[str, ...] = ()
    publisher: str | None = None
    authors: tuple[str, ...] = ()
    year: int | None = None
    print_year: int | None = None
    online_year: int | None = None
    volume: str | None = None
    issue: str | None = None
    page: str | None = None
    relation: dict[str, tuple[str, ...]] = field(default_factory=dict)
    assertions: dict[str, str] = field(default_factory=dict)
    updated_by: tuple[Update, ...] = ()
    update_to: tuple[Update, ...] = ()
    agency: str = "crossref"


@dataclass(frozen=True, slots=True)
class Lookup:
    """The registry's answer for one DOI, or why there was none.

    `state` is "found" (with `work`), "not-found" (the registry said so) or "unchecked" (no answer
    could be had: `reason` says why). An unchecked DOI is never reported as not found.
    """

    doi: str
    state: LookupState
    work: Work | None = None
    reason: str | None = None
    from_cache: bool = False


@dataclass(frozen=True, slots=True)
class Evidence:
    """The design label of a reference and the signal it rests on (never a GRADE rating)."""

    design: Design = Design.NOT_DETERMINED
    ocebm_level: int | None = None
    guideline: bool = False
    signal: str = "no design signal in the metadata"
    confidence: Confidence = Confidence.LOW
    # when guideline is true: what kind of recommendation document it is
    recommendation: Recommendation | None = None
    pubmed_types: tuple[str, ...] = ()  # with --pubmed: the types PubMed gave, for the record
    pmid: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {"design": str(self.design), "ocebm_level": self.ocebm_level,
                "guideline": self.guideline, "signal": self.signal,
                "confidence": str(self.confidence),
                "recommendation": str(self.recommendation) if self.recommendation else None,
                "pmid": self.pmid, "pubmed_types": list(self.pubmed_types)}


@dataclass(frozen=True, slots=True)
class PubMedRecord:
    """What PubMed says about a DOI's article (with --pubmed), e.g. PMID 26869575."""

    pmid: str
    publication_types: tuple[str, ...] = ()
    mesh_headings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PubMedLookup:
    """PubMed's answer for one DOI: "found" (with `record`), "absent" (PubMed does not index
    it: books, many non-medical journals) or "unchecked" (no answer: `reason` says why)."""

    doi: str
    state: PubMedState
    record: PubMedRecord | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Match:
    """A work found by search for a citation: applied when the citation had no DOI."""

    doi: str
    title: str | None
    year: int | None
    confidence: Confidence
    title_similarity: float
    agreed: tuple[str, ...]
    disagreed: tuple[str, ...]
    applied: bool
    accepted: bool = True  # False: a near miss, shown as a suggestion only

    def to_dict(self) -> dict[str, object]:
        return {"doi": self.doi, "title": self.title, "year": self.year,
                "confidence": str(self.confidence),
                "title_similarity": round(self.title_similarity, 3),
                "agreed": list(self.agreed), "disagreed": list(self.disagreed),
                "accepted": self.accepted, "applied": self.applied}


@dataclass(frozen=True, slots=True)
class Verdict:
    """Everything the judges concluded about one reference; one row of the report."""

    reference: Reference
    resolution: Resolution
    work: Work | None
    year: int | None
    year_source: str | None
    age_years: int | None
    recent: bool | None
    kind: Kind
    kind_source: str
    peer_review: PeerReview
    peer_review_reason: str
    status: Status
    updates: tuple[Update, ...]
    evidence: Evidence
    findings: tuple[Finding, ...]
    unchecked_reason: str | None = None
    match: Match | None = None
    peer_review_signal: PeerReviewSignal = PeerReviewSignal.NONE
    # Whether the journal lists (MEDLINE, DOAJ) both answered for a journal article's journal;
    # False: asked, no answer; None: not asked, or not a journal article.
    journal_checked: bool | None = None
    # Whether a registry answered for this reference: True; False (no answer could be had:
    # network, limits, offline); None when there was nothing to ask (no DOI, not searchable).
    checked: bool | None = None

    @property
    def status_checked(self) -> bool:
        """Whether a registry record was read: `ok` without one means "not checked", not
        "no notice"."""
        return self.work is not None or any(u.source in (PUBMED_SOURCE, RETRACTION_WATCH_SOURCE)
                                            for u in self.updates)

    @property
    def key(self) -> str:
        return self.reference.key

    def to_dict(self) -> dict[str, object]:
        """The reference's object in the JSON report (schema_version 1)."""
        ref, work = self.reference, self.work
        return {
            "key": ref.key,
            "source": ref.source.to_dict(),
            "cited": {
                "title": ref.title,
                "authors": list(ref.authors),
                "year": ref.year,
                "doi": ref.doi_as_written,
                "container": ref.container,
                "volume": ref.volume,
                "issue": ref.issue,
                "pages": ref.pages,
                "entry_type": ref.entry_type,
                "isbn": ref.isbn,
                "url": ref.url,
                "pmid": ref.pmid,
                "text": ref.raw,
            },
            "doi": ref.doi if self.match is None or not self.match.applied else self.match.doi,
            "resolution": str(self.resolution),
            "match": self.match.to_dict() if self.match else None,
            "unchecked_reason": self.unchecked_reason,
            "title": work.title if work else ref.title,
            "container": work.container if work else ref.container,
            "publisher": work.publisher if work else ref.publisher,
            "crossref_type": work.type if work else None,
            "crossref_subtype": work.subtype if work else None,
            "issn": list(work.issn) if work else [],
            "year": self.year,
            "year_source": self.year_source,
            "age_years": self.age_years,
            "recent": self.recent,
            "kind": str(self.kind),
            "kind_source": self.kind_source,
            "peer_review": str(self.peer_review),
            "peer_review_reason": self.peer_review_reason,
            "peer_review_signal": str(self.peer_review_signal),
            "journal_checked": self.journal_checked,
            # "unchecked" when no registry record could tell a notice: never "ok" unread
            "status": str(self.status) if self.status_checked else STATUS_UNCHECKED,
            "status_checked": self.status_checked,
            "checked": self.checked,
            "updates": [u.to_dict() for u in self.updates],
            "evidence": self.evidence.to_dict(),
            "findings": [f.to_dict() for f in self.findings],
        }


@dataclass(frozen=True, slots=True)
class InputProblem:
    """Something in an input file that could not become a Reference (a broken block, a bad
    encoding), with where it stands so the user can fix it."""

    source: SourceLocation
    finding: Finding
    raw: str = ""

    def to_dict(self) -> dict[str, object]:
        return {**self.source.to_dict(), **self.finding.to_dict(),
                "raw": self.raw[:500]}


@dataclass(frozen=True, slots=True)
class RunFigures:
    """What a run cost the registries: `run` in the JSON report and the CLI's last line on
    standard error. `pubmed_requests` is None when PubMed was not asked (no --pubmed), and
    `journal_requests` when the journal lists were not (--no-journals, or no journal)."""

    requests: int = 0
    list_requests: int = 0  # DOI batches on Crossref's list route
    search_requests: int = 0  # bibliographic searches (the same route)
    single_requests: int = 0
    cache_hits: int = 0
    index_hits: int = 0  # DOIs (and searches) answered by a local index, with no request
    datacite_requests: int = 0
    retries: int = 0
    rate_limited: int = 0
    failures: int = 0
    stopped_early: str | None = None  # why asking stopped before the end, when it did
    pubmed_requests: int | None = None
    journal_requests: int | None = None  # the NLM Catalog and DOAJ; None when not asked
    retractions_as_of: str | None = None  # the date of Retraction Watch's list, when read

    def to_dict(self) -> dict[str, object]:
        figures = {f.name: getattr(self, f.name) for f in fields(self)}
        for optional in ("pubmed_requests", "journal_requests", "retractions_as_of"):
            if figures[optional] is None:
                del figures[optional]
        return figures


def combined_figures(parts: Sequence[RunFigures]) -> RunFigures:
    """The figures of one run done in parts (a catalogue shared among processes): the counts
    added; a count none of the parts kept stays None; the first reason to stop, and the first
    date of Retraction Watch's list, stand for all."""
    values: dict[str, object] = {}
    for item in fields(RunFigures):
        given = [getattr(part, item.name) for part in parts
                 if getattr(part, item.name) is not None]
        if item.name in ("stopped_early", "retractions_as_of"):
            values[item.name] = given[0] if given else None
        elif given or item.default is not None:
            values[item.name] = sum(given)
    return RunFigures(**values)


@dataclass(frozen=True, slots=True)
class JournalStanding:
    """What the journal lists say of one ISSN (with --journals, the default): whether the NLM
    Catalog has the journal currently indexed for MEDLINE, and whether DOAJ lists it with a
    stated peer-review process. None: that list could not be asked (a fault, offline)."""

    issn: str
    medline: bool | None = None
    medline_title: str | None = None  # the NLM's abbreviation, e.g. "J Hum Lact"
    doaj: bool | None = None
    doaj_review: str | None = None  # the process DOAJ names, e.g. "Double anonymous peer review"
