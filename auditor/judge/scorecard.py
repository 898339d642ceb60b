"""The list-level figures: how much of the list is resolved, peer reviewed, recent, retracted,
at what level of evidence — and which references are behind every problem count, so a figure
can always be traced back to the entries that make it.

Shares are over the references where the figure is known (peer review over those whose class is
known, recency and ages over those with a year); retracted, withdrawn and removed works count in
no quality figure — peer review, recency, ages, evidence mix (evidence.md: excluded from the
scores). `resolved_share`, a figure about the list's identifiers, is over every reference.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from auditor import codes
from auditor.config import Settings
from auditor.judge.matching import SEARCH_UNANSWERED
from auditor.judge.peer_review import counts_as_peer_reviewed, undecided_for
from auditor.model import InputProblem, Verdict
from auditor.vocabulary import (
    GONE_STATUSES,
    NOTICE_STATUSES,
    RESOLVED,
    STATUS_UNCHECKED,
    Condition,
    Design,
    Kind,
    PeerReview,
    PeerReviewSignal,
    Resolution,
)

# The classes of the peer-reviewed share's denominator: everything known but recommendations,
# which are on their own axis (institutional review, never counted against a list).
PEER_REVIEW_KNOWN = tuple(c for c in PeerReview
                          if c not in (PeerReview.UNKNOWN, PeerReview.RECOMMENDATION))
UNCHECKED_STATUS = STATUS_UNCHECKED  # the statuses' bucket of what no record could tell
EXCLUDED_STATUSES = GONE_STATUSES
# Age bands in whole years at the as-of date (evidence.md: ≤ 5 current, 5–10 ageing, > 10 old).
AGE_BANDS = (("0-5", 0, 5), ("6-10", 6, 10), ("11+", 11, None))
NO_LEVEL = "none"  # the ocebm_levels key of the references without an evidence level
LEVELS = ("1", "2", "3", "4", "5", NO_LEVEL)  # OCEBM levels, as the summary's keys


def problem_key(word: str) -> str:
    """A problem's name in `problem_references` (JSON): the condition, status or resolution it
    counts, in snake case — "not-found" → "not_found"."""
    return word.replace("-", "_")


UNREADABLE_ENTRIES = "unreadable_entries"  # counted from the input problems, not the verdicts
PREPRINT_PUBLISHED = "preprint_published"
CITES_A_NOTICE = "cites_a_notice"
UNCONFIRMED_PEER_REVIEW = "unconfirmed_peer_review"


@dataclass(frozen=True)
class ScoreRules:
    """The settings the scorecard's counts depend on."""

    guideline_years: int = 5
    peer_review_requires: PeerReviewSignal = PeerReviewSignal.ISSN


Test = Callable[[Verdict, ScoreRules], bool]


def _status(status: str) -> Test:
    return lambda v, _: v.status == status


def _resolution(resolution: Resolution) -> Test:
    return lambda v, _: v.resolution == resolution


def _finding(code: codes.Code) -> Test:
    return lambda v, _: code.found_in(v.findings)


def counts_as_reviewed(verdict: Verdict, rules: ScoreRules) -> bool:
    """Peer reviewed on a signal the policy accepts (`peer_review_requires`)."""
    return counts_as_peer_reviewed(verdict.peer_review, verdict.peer_review_signal,
                                   rules.peer_review_requires)


def undecided(verdict: Verdict, rules: ScoreRules) -> bool:
    """The policy's peer-review requirement cannot be judged for it (peer_review.undecided_for):
    left out of the share, never counted as not peer reviewed."""
    return undecided_for(verdict.peer_review, verdict.peer_review_signal,
                         verdict.journal_checked, rules.peer_review_requires)


def not_peer_reviewed(verdict: Verdict, rules: ScoreRules) -> bool:
    """Not peer reviewed, or peer reviewed on a weaker signal than the policy requires."""
    return verdict.peer_review == PeerReview.NOT_PEER_REVIEWED or (
        verdict.peer_review == PeerReview.PEER_REVIEWED and not counts_as_reviewed(verdict,
                                                                                   rules)
        and not undecided(verdict, rules))


# Every problem the scorecard counts, with the test that puts a reference in it. The names are
# the keys of `problem_references` in the JSON summary; each policy condition names one
# (problem_of).
PROBLEMS: dict[str, Test] = {
    **{problem_key(status): _status(status) for status in NOTICE_STATUSES},
    **{problem_key(r): _resolution(r) for r in (Resolution.NOT_FOUND, Resolution.MISMATCH,
                                                Resolution.NO_IDENTIFIER)},
    # no answer could be had: for its DOI, or for its search when it had none
    problem_key(Resolution.UNCHECKED): lambda v, _: v.checked is False,
    problem_key(Condition.INVALID_DOI): _finding(codes.INVALID_DOI),
    problem_key(Condition.NOT_PEER_REVIEWED): not_peer_reviewed,
    UNCONFIRMED_PEER_REVIEW: lambda v, rules: v.peer_review == PeerReview.PEER_REVIEWED
    and not counts_as_reviewed(v, rules),
    problem_key(Condition.PREPRINT): lambda v, _: v.kind == Kind.PREPRINT,
    PREPRINT_PUBLISHED: lambda v, _: v.kind == Kind.PREPRINT and
    codes.HAS_PUBLISHED_VERSION.found_in(v.findings),
    problem_key(Condition.NOT_RECENT): lambda v, _: v.recent is False,
    problem_key(Condition.MISSING_YEAR): lambda v, _: v.year is None,
    problem_key(Condition.FUTURE_YEAR): _finding(codes.FUTURE_YEAR),
    problem_key(Condition.OUTDATED_GUIDELINE):
        lambda v, rules: outdated_guideline(v, rules.guideline_years),
    CITES_A_NOTICE: _finding(codes.IS_NOTICE),
}


_CONDITIONS = frozenset(Condition)


def problem_of(condition: Condition) -> str:
    """The problem a `fail_on`/`warn_on` condition singles out: "not-found" → "not_found"."""
    return UNREADABLE_ENTRIES if condition == Condition.UNREADABLE else problem_key(condition)


def outdated_guideline(verdict: Verdict, guideline_years: int) -> bool:
    """A recommendation document older than `guideline_years` (default 5)."""
    return bool(verdict.evidence.guideline and verdict.age_years is not None
                and verdict.age_years > guideline_years)


@dataclass(frozen=True)
class Summary:
    """The scorecard, as in the JSON report's `summary` (schema_version 1: fields are added,
    never renamed)."""

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
    resolved_share: float | None = None
    unresolved: int = 0
    excluded: int = 0
    age_quartiles: tuple[float, float] | None = None
    age_iqr: float | None = None
    age_bands: dict[str, int] = field(default_factory=dict)
    peer_review: dict[str, int] = field(default_factory=dict)
    designs: dict[str, int] = field(default_factory=dict)
    ocebm_levels: dict[str, int] = field(default_factory=dict)
    guidelines: int = 0
    recommendations: dict[str, int] = field(default_factory=dict)
    outdated_guidelines: int = 0
    preprints: int = 0
    preprints_published: int = 0
    problem_references: dict[str, list[str]] = field(default_factory=dict)
    # Which references a registry could be asked about (a DOI, or searchable) and how many of
    # them got an answer; a share below `min_checked_share` makes the outcome incomplete.
    checkable: int = 0
    checked: int = 0
    checked_share: float | None = None
    # Why references got no answer, most frequent first: {"the server could not be reached": 13}
    unchecked_reasons: dict[str, int] = field(default_factory=dict)
    status_checked: int = 0  # references whose status a registry record could tell
    peer_review_signals: dict[str, int] = field(default_factory=dict)  # of journal articles
    recommendation_documents: int = 0  # peer-review class recommendation (own axis)
    # Journal articles (not retracted, withdrawn, removed; not recommendations) whose peer
    # review is known, and those whose peer review could not be told.
    journal_articles: int = 0
    journal_articles_unknown: int = 0

    def behind(self, problem: str) -> list[str]:
        """The references behind a problem count: a policy condition
        (`Condition.OUTDATED_GUIDELINE`) or a problem's name (`PREPRINT_PUBLISHED`)."""
        name = problem_of(Condition(problem)) if problem in _CONDITIONS else problem
        return self.problem_references.get(name, [])

    def to_dict(self) -> dict[str, object]:
        return {
            "references": self.references, "with_doi": self.with_doi,
            "resolved": self.resolved, "resolved_share": self.resolved_share,
            "unresolved": self.unresolved, "unchecked": self.unchecked,
            "not_found": self.not_found, "mismatch": self.mismatch,
            "no_identifier": self.no_identifier, "invalid_doi": self.invalid_doi,
            "unreadable_entries": self.unreadable_entries,
            "excluded_from_scores": self.excluded,
            "peer_reviewed": self.peer_reviewed, "peer_review_known": self.peer_review_known,
            "peer_reviewed_share": self.peer_reviewed_share, "peer_review": self.peer_review,
            "recent": self.recent, "dated": self.dated, "recent_share": self.recent_share,
            "median_age": self.median_age,
            "age_quartiles": list(self.age_quartiles) if self.age_quartiles else None,
            "age_iqr": self.age_iqr, "age_bands": self.age_bands,
            "kinds": self.kinds, "statuses": self.statuses, "years": self.years,
            "designs": self.designs, "ocebm_levels": self.ocebm_levels,
            "guidelines": self.guidelines, "recommendations": self.recommendations,
            "outdated_guidelines": self.outdated_guidelines,
            "preprints": self.preprints, "preprints_published": self.preprints_published,
            "retracted": self.retracted, "problem_references": self.problem_references,
            "checkable": self.checkable, "checked": self.checked,
            "checked_share": self.checked_share, "unchecked_reasons": self.unchecked_reasons,
            "status_checked": self.status_checked,
            "peer_review_signals": self.peer_review_signals,
            "recommendation_documents": self.recommendation_documents,
            "journal_articles": self.journal_articles,
            "journal_articles_unknown": self.journal_articles_unknown,
        }


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def quartiles(values: list[int]) -> tuple[float, float] | None:
    """First and third quartiles by linear interpolation between the closest ranks (numpy's
    default, statistics' "inclusive"): ages 1, 2, 4, 7, 16, 26 → (2.5, 13.75)."""
    if not values:
        return None
    if len(values) == 1:
        return float(values[0]), float(values[0])
    q1, _, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return round(q1, 2), round(q3, 2)


def unchecked_reason(verdict: Verdict) -> str | None:
    """Why no registry answered for this reference (its lookup's or its search's reason)."""
    if verdict.checked is not False:
        return None
    if verdict.unchecked_reason:
        return verdict.unchecked_reason
    searched = next((f for f in verdict.findings if codes.SEARCH_UNCHECKED.found_in((f,))),
                    None)
    return searched.message.removeprefix(SEARCH_UNANSWERED) if searched else "no answer"


def build_summary(verdicts: list[Verdict], problems: list[InputProblem],
                  guideline_years: int = Settings.guideline_years,
                  peer_review_requires: PeerReviewSignal = PeerReviewSignal.ISSN) -> Summary:
    """The scorecard of `verdicts`; `guideline_years` is when a recommendation is outdated,
    `peer_review_requires` the weakest signal that counts as peer reviewed."""
    rules = ScoreRules(guideline_years, peer_review_requires)
    counted = [v for v in verdicts if v.status not in EXCLUDED_STATUSES]
    resolutions = Counter(v.resolution for v in verdicts)
    peer_known = [v for v in counted if v.peer_review in PEER_REVIEW_KNOWN
                  and not undecided(v, rules)]
    peer_reviewed = sum(counts_as_reviewed(v, rules) for v in peer_known)
    checkable = [v for v in verdicts if v.checked is not None]
    checked = sum(bool(v.checked) for v in checkable)
    reasons = Counter(r for v in verdicts if (r := unchecked_reason(v)))
    articles = [v for v in peer_known if v.kind == Kind.JOURNAL_ARTICLE]
    dated = [v for v in counted if v.age_years is not None]
    recent = sum(bool(v.recent) for v in dated)
    ages = sorted(v.age_years for v in dated if v.age_years is not None)
    years = Counter(str(v.year) for v in verdicts if v.year is not None)
    resolved = sum(resolutions[r] for r in RESOLVED)
    age_quartiles = quartiles(ages)
    bands = {name: sum(low <= age and (high is None or age <= high) for age in ages)
             for name, low, high in AGE_BANDS}
    designs = Counter(v.evidence.design for v in counted)
    levels = Counter(str(v.evidence.ocebm_level) if v.evidence.ocebm_level else LEVELS[-1]
                     for v in counted)
    problem_references = {name: [v.key for v in verdicts if test(v, rules)]
                          for name, test in PROBLEMS.items()}
    unreadable = [f"{p.source.file}:{p.source.line}" for p in problems
                  if codes.UNREADABLE_ENTRY.found_in((p.finding,))]
    if unreadable:
        problem_references[UNREADABLE_ENTRIES] = unreadable
    return Summary(
        references=len(verdicts),
        with_doi=sum(v.reference.doi is not None for v in verdicts),
        resolved=resolved,
        resolved_share=_share(resolved, len(verdicts)),
        unresolved=resolutions[Resolution.NOT_FOUND] + resolutions[Resolution.MISMATCH]
        + resolutions[Resolution.NO_IDENTIFIER],
        unchecked=len(checkable) - checked,
        not_found=resolutions[Resolution.NOT_FOUND],
        mismatch=resolutions[Resolution.MISMATCH],
        no_identifier=resolutions[Resolution.NO_IDENTIFIER],
        invalid_doi=len(problem_references[problem_key(Condition.INVALID_DOI)]),
        unreadable_entries=len(unreadable),
        excluded=len(verdicts) - len(counted),
        peer_reviewed=peer_reviewed,
        peer_review_known=len(peer_known),
        peer_reviewed_share=_share(peer_reviewed, len(peer_known)),
        peer_review=dict(Counter(v.peer_review for v in counted).most_common()),
        recent=recent,
        dated=len(dated),
        recent_share=_share(recent, len(dated)),
        median_age=float(statistics.median(ages)) if ages else None,
        age_quartiles=age_quartiles,
        age_iqr=round(age_quartiles[1] - age_quartiles[0], 2) if age_quartiles else None,
        age_bands=bands,
        kinds=dict(Counter(v.kind for v in verdicts).most_common()),
        statuses=dict(Counter(v.status if v.status_checked else UNCHECKED_STATUS
                              for v in verdicts).most_common()),
        years=dict(sorted(years.items())),
        designs={d: designs[d] for d in Design if designs[d]},
        ocebm_levels={k: levels[k] for k in LEVELS if levels[k]},
        guidelines=sum(v.evidence.guideline for v in counted),
        recommendations=dict(Counter(v.evidence.recommendation for v in counted
                                     if v.evidence.recommendation).most_common()),
        outdated_guidelines=len(problem_references[problem_key(Condition.OUTDATED_GUIDELINE)]),
        preprints=len(problem_references[problem_key(Condition.PREPRINT)]),
        preprints_published=len(problem_references[PREPRINT_PUBLISHED]),
        retracted=problem_references[problem_key(Condition.RETRACTED)],
        problem_references={k: v for k, v in problem_references.items() if v},
        checkable=len(checkable),
        checked=checked,
        checked_share=_share(checked, len(checkable)),
        unchecked_reasons=dict(reasons.most_common()),
        status_checked=sum(v.status_checked for v in verdicts),
        peer_review_signals=dict(Counter(v.peer_review_signal for v in articles
                                         if v.peer_review == PeerReview.PEER_REVIEWED)
                                 .most_common()),
        recommendation_documents=sum(v.peer_review == PeerReview.RECOMMENDATION
                                     for v in counted),
        journal_articles=len(articles),
        journal_articles_unknown=sum(v.kind == Kind.JOURNAL_ARTICLE
                                     and v.peer_review == PeerReview.UNKNOWN for v in counted),
    )
