"""Judges: pure functions of (Reference, Lookup) → Verdict. No I/O here, so every rule is
tested with small records."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from auditor import codes
from auditor.config import Settings
from auditor.i18n import N_, Phrase
from auditor.judge.dates import judge_dates
from auditor.judge.evidence import evidence_findings, judge_evidence
from auditor.judge.identity import Identity, judge_identity, known_reason
from auditor.judge.kind import kind_of
from auditor.judge.matching import MatchOutcome
from auditor.judge.peer_review import judge_peer_review
from auditor.judge.updates import REINSTATEMENT, STATUS_RULES, judge_status, notice_target
from auditor.model import (
    PUBMED_SOURCE,
    Finding,
    JournalStanding,
    Lookup,
    Match,
    PubMedLookup,
    PubMedRecord,
    Reference,
    Update,
    Verdict,
    Work,
)
from auditor.vocabulary import Confidence, LookupState, PubMedState, Resolution, Status


def judge(reference: Reference, lookup: Lookup | None, settings: Settings,
          search: MatchOutcome | None = None, pubmed: PubMedLookup | None = None,
          identity: Identity | None = None,
          journals: Mapping[str, JournalStanding] | None = None,
          notices_of: Callable[[str | None, str | None], tuple[Update, ...]] | None = None
          ) -> Verdict:
    """The verdict on one reference, given the registry's answer for its DOI (or None), what
    the search found when it was searched for, PubMed's answer (with --pubmed) and the journal
    lists' answers by ISSN. `identity` is judge_identity's answer when the pipeline already has
    it (it decides what to search), so that it is not worked out twice. `notices_of(doi, pmid)`
    gives the notices another list records (Retraction Watch's CSV)."""
    identity = identity or judge_identity(reference, lookup)
    resolution = identity.resolution
    identity_findings = list(identity.findings)
    # A DOI that resolved to another work tells us nothing about the cited one.
    work = lookup.work if lookup is not None and resolution == Resolution.VERIFIED else None
    match = None
    if search is not None:
        resolution, work, match, search_findings = apply_search(reference, resolution, work,
                                                                search)
        if resolution == Resolution.MATCHED:  # a DOI was found after all
            identity_findings = [f for f in identity_findings
                                 if not codes.NO_IDENTIFIER.found_in((f,))]
        identity_findings += search_findings
    kind, kind_source = kind_of(reference, work)
    dating = judge_dates(reference, work, settings.as_of, settings.recent_years)
    record = pubmed.record if pubmed is not None and resolution != Resolution.MISMATCH else None
    if record is None and reference.pubmed_types and resolution != Resolution.MISMATCH:
        # A PubMed export (.nbib) carries the publication types itself.
        record = PubMedRecord(reference.pmid or "", reference.pubmed_types)
    retracted_in_pubmed = (
        Update(STATUS_RULES[Status.RETRACTED].update_types[0], None, PUBMED_SOURCE, None),
    ) if record is not None and "Retracted Publication" in record.publication_types else ()
    # (a DOI that leads to another work says nothing of the cited one's notices)
    cited_doi = work.doi if work is not None else (
        reference.doi if resolution != Resolution.MISMATCH else None)
    listed = notices_of(cited_doi, reference.pmid) if notices_of is not None else ()
    status, updates, status_findings = judge_status(work, reference.title,
                                                    (*retracted_in_pubmed, *listed))
    for lifted in (u for u in listed if u.type == REINSTATEMENT):  # both sources shown
        if status == Status.RETRACTED:
            status_findings.append(codes.REINSTATED.make(
                "Retraction Watch records that the retraction was lifted (reinstatement, "
                "{date}); Crossref's record still carries it: check the publisher's page",
                date=lifted.date or "?"))
        else:
            status_findings.append(codes.REINSTATED.make(
                "Retraction Watch records a retraction that was later lifted (reinstatement, "
                "{date}): the work stands", date=lifted.date or "?"))
    title = work.title if work else reference.title
    container = work.container if work else reference.container
    notice = notice_target(work) if work is not None else None
    # Without a record, the citation's own words may say what the document is; its journal's
    # name is left out ("Journal of Clinical Guidelines" recommends nothing).
    described = (reference.raw.replace(reference.container, " ") if reference.container
                 else reference.raw) if work is None and reference.raw else None
    evidence = judge_evidence(title, container, kind, record,
                              notice=notice.type if notice else None, status=status,
                              described=described)
    review = judge_peer_review(kind, reference, work, resolution, evidence=evidence,
                               standings=dict(journals or {}),
                               pubmed_types=record.publication_types if record else ())
    evidence_notes = evidence_findings(evidence, dating.age_years, settings.guideline_years)
    if pubmed is not None and pubmed.state == PubMedState.UNCHECKED:
        evidence_notes.append(codes.PUBMED_UNCHECKED.make(
            "PubMed could not be asked ({why}): the study design rests on the title and "
            "journal only", why=Phrase(pubmed.reason or N_("no answer"))))
    findings = (*reference.findings, *identity_findings, *status_findings, *review.findings,
                *dating.findings, *evidence_notes)
    return Verdict(
        reference=reference,
        resolution=resolution,
        work=work,
        year=dating.year,
        year_source=dating.source,
        age_years=dating.age_years,
        recent=dating.recent,
        kind=kind,
        kind_source=kind_source,
        peer_review=review.verdict,
        peer_review_reason=review.reason,
        status=status,
        updates=updates,
        evidence=evidence,
        findings=tuple(findings),
        unchecked_reason=lookup.reason
        if lookup is not None and resolution == Resolution.UNCHECKED else None,
        match=match,
        peer_review_signal=review.signal, journal_checked=review.journal_checked,
        checked=was_checked(reference, lookup, search),
    )


def was_checked(reference: Reference, lookup: Lookup | None, search: MatchOutcome | None
                ) -> bool | None:
    """Whether a registry answered for the reference: its DOI's lookup, or else its search.
    None when there was nothing to ask (no DOI, and not searched: a web page, too little to
    search by)."""
    if reference.doi is not None:
        return lookup is not None and lookup.state != LookupState.UNCHECKED
    if search is None:
        return None
    return not search.unchecked


def apply_search(reference: Reference, resolution: Resolution, work: Work | None,
                 search: MatchOutcome) -> tuple[Resolution, Work | None, Match | None,
                                                list[Finding]]:
    """A validated match replaces a missing DOI (`matched`); for a wrong or unknown DOI it is
    only pointed at. A near miss is a suggestion, never applied."""
    found = search.accepted
    if found is not None:
        applied = resolution == Resolution.NO_IDENTIFIER
        match = Match(found.work.doi, found.work.title, found.work.year, found.confidence,
                      found.title_similarity, found.agreed, found.disagreed, applied)
        if applied:
            return Resolution.MATCHED, found.work, match, [codes.MATCHED.make(
                "found by a search and checked field by field: {how}", how=found.describe())]
        return resolution, work, match, [codes.CITED_WORK_FOUND.make(
            "the citation names {doi} ({title!r}); correct the DOI", doi=found.work.doi,
            title=found.work.title)]
    if search.unchecked:
        known = known_reason(search.unchecked)
        return resolution, work, None, [codes.SEARCH_UNCHECKED.make(
            "the search got no answer: {why}",  # matching.SEARCH_UNANSWERED, then why
            why=Phrase(known) if known is not None else search.unchecked)]
    if search.near is not None:
        near = search.near
        suggestion = Match(near.work.doi, near.work.title, near.work.year, Confidence.LOW,
                           near.title_similarity, near.agreed, near.disagreed, applied=False,
                           accepted=False)
        return resolution, work, suggestion, [codes.NO_MATCH.make(
            "not found by a search; the closest candidate is {candidate} — a suggestion to "
            "check, not applied", candidate=near.describe())]
    return resolution, work, None, [codes.NO_MATCH.make(
        "not found by a search: no candidate close to the citation")]
