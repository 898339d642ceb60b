"""The list-level figures: how much of the list is resolved, peer reviewed, recent, retracted."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field

from auditor.model import InputProblem, Verdict

PEER_REVIEW_KNOWN = ("peer-reviewed", "not-peer-reviewed", "grey", "book", "proceedings")


@dataclass(frozen=True)
class Summary:
    """The scorecard, as in the JSON report's `summary` (schema_version 1)."""

    references: int
    with_doi: int
    resolved: int
    unchecked: int
    not_found: int
    mismatch: int
    no_identifier: int
    invalid_doi: int
    unreadable_entries: int
    peer_reviewed: int
    peer_review_known: int
    peer_reviewed_share: float | None
    recent: int
    dated: int
    recent_share: float | None
    median_age: float | None
    kinds: dict[str, int]
    statuses: dict[str, int]
    years: dict[str, int]
    retracted: list[str] = field(default_factory=list)
    passed: bool = True

    def to_dict(self) -> dict[str, object]:
        return {
            "references": self.references, "with_doi": self.with_doi,
            "resolved": self.resolved, "unchecked": self.unchecked,
            "not_found": self.not_found, "mismatch": self.mismatch,
            "no_identifier": self.no_identifier, "invalid_doi": self.invalid_doi,
            "unreadable_entries": self.unreadable_entries,
            "peer_reviewed": self.peer_reviewed, "peer_review_known": self.peer_review_known,
            "peer_reviewed_share": self.peer_reviewed_share,
            "recent": self.recent, "dated": self.dated, "recent_share": self.recent_share,
            "median_age": self.median_age, "kinds": self.kinds, "statuses": self.statuses,
            "years": self.years, "retracted": self.retracted, "passed": self.passed,
        }


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def build_summary(verdicts: list[Verdict], problems: list[InputProblem],
                  passed: bool = True) -> Summary:
    """Shares are over the references where the figure is known: peer review over those whose
    class is known, recency over those with a year. Retracted works count in no share."""
    counted = [v for v in verdicts if v.status != "retracted"]
    resolutions = Counter(v.resolution for v in verdicts)
    peer_known = [v for v in counted if v.peer_review in PEER_REVIEW_KNOWN]
    peer_reviewed = sum(v.peer_review == "peer-reviewed" for v in peer_known)
    dated = [v for v in counted if v.age_years is not None]
    recent = sum(bool(v.recent) for v in dated)
    ages = [v.age_years for v in dated if v.age_years is not None]
    years = Counter(str(v.year) for v in verdicts if v.year is not None)
    return Summary(
        references=len(verdicts),
        with_doi=sum(v.reference.doi is not None for v in verdicts),
        resolved=resolutions["verified"] + resolutions["matched"],
        unchecked=resolutions["unchecked"],
        not_found=resolutions["not-found"],
        mismatch=resolutions["mismatch"],
        no_identifier=resolutions["no-identifier"],
        invalid_doi=sum(any(f.code == "D001" for f in v.findings) for v in verdicts),
        unreadable_entries=sum(p.finding.code == "I001" for p in problems),
        peer_reviewed=peer_reviewed,
        peer_review_known=len(peer_known),
        peer_reviewed_share=_share(peer_reviewed, len(peer_known)),
        recent=recent,
        dated=len(dated),
        recent_share=_share(recent, len(dated)),
        median_age=float(statistics.median(ages)) if ages else None,
        kinds=dict(Counter(v.kind for v in verdicts).most_common()),
        statuses=dict(Counter(v.status for v in verdicts).most_common()),
        years=dict(sorted(years.items())),
        retracted=[v.key for v in verdicts if v.status == "retracted"],
        passed=passed,
    )
