"""Judges: pure functions of (Reference, Lookup) → Verdict. No I/O here, so every rule is
tested with small records."""

from __future__ import annotations

from auditor.config import Settings
from auditor.judge.dates import judge_dates
from auditor.judge.evidence import judge_evidence
from auditor.judge.identity import judge_identity
from auditor.judge.kind import kind_of
from auditor.judge.peer_review import judge_peer_review
from auditor.judge.updates import judge_status
from auditor.model import Lookup, Reference, Verdict


def judge(reference: Reference, lookup: Lookup | None, settings: Settings) -> Verdict:
    """The verdict on one reference, given the registry's answer for its DOI (or None)."""
    resolution, identity_findings = judge_identity(reference, lookup)
    # A DOI that resolved to another work tells us nothing about the cited one.
    work = lookup.work if lookup is not None and resolution == "verified" else None
    kind, kind_source = kind_of(reference, work)
    dating = judge_dates(reference, work, settings.as_of, settings.recent_years)
    peer_review, reason, review_findings = judge_peer_review(kind, reference, work,
                                                            resolution)
    status, updates, status_findings = judge_status(work, reference.title)
    title = work.title if work else reference.title
    container = work.container if work else reference.container
    evidence = judge_evidence(title, container, kind)
    findings = (*reference.findings, *identity_findings, *status_findings, *review_findings,
                *dating.findings)
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
        peer_review=peer_review,
        peer_review_reason=reason,
        status=status,
        updates=updates,
        evidence=evidence,
        findings=tuple(findings),
        unchecked_reason=lookup.reason if lookup is not None and resolution == "unchecked"
        else None,
    )
