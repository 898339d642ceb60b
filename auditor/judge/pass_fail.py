"""Pass or fail a list. Default: fail when any reference is retracted (exit code 1).

Two kinds of rules: conditions (`fail_on`, `warn_on`: "retracted", "not-found", "preprint"…)
that single out references, and thresholds on the scorecard (`min_recent_share`,
`min_peer_reviewed_share`, `max_median_age`). A broken `fail_on` rule or threshold fails the list;
a `warn_on` rule is reported and changes nothing. Each outcome names the references behind it,
so a CI log says exactly what to fix.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from auditor.config import POLICY_FIELDS, Settings
from auditor.judge.scorecard import Summary, build_summary, problem_of
from auditor.model import InputProblem, Verdict
from auditor.vocabulary import GONE_STATUSES, Condition, PeerReview, Severity


@dataclass(frozen=True)
class RuleFailure:
    rule: str
    message: str
    keys: tuple[str, ...]
    severity: Severity = Severity.ERROR  # a warning for a warn_on rule

    def to_dict(self) -> dict[str, object]:
        return {"rule": self.rule, "message": self.message, "severity": self.severity,
                "references": list(self.keys)}


@dataclass(frozen=True)
class PolicyOutcome:
    failures: list[RuleFailure] = field(default_factory=list)
    warnings: list[RuleFailure] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures


def _keys_text(keys: list[str] | tuple[str, ...]) -> str:
    return ", ".join(keys[:10]) + (f" … ({len(keys) - 10} more)" if len(keys) > 10 else "")


def _condition(condition: Condition, summary: Summary, settings: Settings, severity: Severity
               ) -> RuleFailure | None:
    """The rule for one condition, from the references the scorecard already names for it."""
    prefix = "fail_on" if severity == Severity.ERROR else "warn_on"
    keys = summary.problem_references.get(problem_of(condition), [])
    if condition == Condition.UNREADABLE:
        if not keys:
            return None
        noun = "entry" if len(keys) == 1 else "entries"
        # (named "unreadable" alone under fail_on since the first release)
        rule = condition if severity == Severity.ERROR else f"{prefix}:{condition}"
        return RuleFailure(rule, f"{len(keys)} unreadable {noun}: "
                           f"{_keys_text(keys)}", tuple(keys), severity)
    if not keys:
        return None
    noun = "reference" if len(keys) == 1 else "references"
    meaning = _meaning(condition, settings)
    return RuleFailure(f"{prefix}:{condition}", f"{len(keys)} {noun} {condition}"
                       + (f" ({meaning})" if meaning else "") + f": {_keys_text(keys)}",
                       tuple(keys), severity)


def _meaning(condition: Condition, settings: Settings) -> str | None:
    """What a condition's name does not say by itself."""
    return {
        Condition.NOT_FOUND: "no registry knows the DOI",
        Condition.MISMATCH: "the DOI leads to another work",
        Condition.UNCHECKED: "no answer could be had",
        Condition.INVALID_DOI: "not of the form 10.NNNN/suffix",
        Condition.NO_IDENTIFIER: "no DOI and no validated match",
        Condition.NOT_PEER_REVIEWED: "preprints, editorials, letters, notices",
        Condition.OUTDATED_GUIDELINE: f"recommendations older than {settings.guideline_years} "
                                      "years",
        Condition.NOT_RECENT: f"older than {settings.recent_years} years",
        Condition.FUTURE_YEAR: "year after the as-of date",
    }.get(condition)


def _pct(share: float) -> str:
    return f"{share * 100:.0f} %"


def _thresholds(verdicts: list[Verdict], summary: Summary, settings: Settings
                ) -> list[RuleFailure]:
    failures = []
    counted = [v for v in verdicts if v.status not in GONE_STATUSES]
    if settings.min_recent_share is not None:
        minimum = settings.min_recent_share
        share = summary.recent_share
        if share is None or share < minimum:
            keys = tuple(v.key for v in counted if v.recent is False)
            window = f"recent (≤ {settings.recent_years} years)"
            failures.append(RuleFailure("min_recent_share", (
                f"{window}: no reference has a year, so the minimum {_pct(minimum)} cannot be "
                "met" if share is None else
                f"{window} {_pct(share)} ({summary.recent} of {summary.dated} dated), below "
                f"the minimum {_pct(minimum)}; not recent: {_keys_text(keys)}"), keys))
    if settings.min_peer_reviewed_share is not None:
        minimum = settings.min_peer_reviewed_share
        share = summary.peer_reviewed_share
        if share is None or share < minimum:
            keys = tuple(v.key for v in counted if v.peer_review not in
                         (PeerReview.PEER_REVIEWED, PeerReview.UNKNOWN))
            unknown = sum(v.peer_review == PeerReview.UNKNOWN for v in counted)
            not_known = (f"; {unknown} not known (unchecked, unresolved or no signal), left out"
                         if unknown else "")
            failures.append(RuleFailure("min_peer_reviewed_share", (
                f"peer review: no reference has a known status{not_known}, so the minimum "
                f"{_pct(minimum)} cannot be met" if share is None else
                f"peer reviewed {_pct(share)} ({summary.peer_reviewed} of "
                f"{summary.peer_review_known} with a known status{not_known}), below the "
                f"minimum {_pct(minimum)}; not peer reviewed: {_keys_text(keys) or 'none'}"),
                keys))
    if settings.max_median_age is not None:
        maximum = settings.max_median_age
        median = summary.median_age
        if median is None or median > maximum:
            keys = tuple(v.key for v in counted
                         if v.age_years is not None and v.age_years > maximum)
            failures.append(RuleFailure("max_median_age", (
                f"median age: no reference has a year, so the maximum {maximum:g} years cannot "
                "be checked" if median is None else
                f"median age {median:g} years, above the maximum {maximum:g}; older than "
                f"{maximum:g} years: {_keys_text(keys) or 'none'}"), keys))
    return failures


def evaluate_policy(verdicts: list[Verdict], problems: list[InputProblem], settings: Settings,
                    summary: Summary | None = None) -> PolicyOutcome:
    """Every rule the list breaks (`failures`, exit code 1) and every `warn_on` rule it trips
    (`warnings`, reported only), from the scorecard (built here when not given)."""
    if summary is None:
        summary = build_summary(verdicts, problems, guideline_years=settings.guideline_years)
    failures = [f for c in settings.fail_on
                if (f := _condition(c, summary, settings, Severity.ERROR))]
    failures += _thresholds(verdicts, summary, settings)
    warnings = [w for c in settings.warn_on if c not in settings.fail_on
                and (w := _condition(c, summary, settings, Severity.WARNING))]
    return PolicyOutcome(failures, warnings)


def explain_policy(settings: Settings) -> list[tuple[str, str | None, str]]:
    """(setting, its value as TOML or None when the rule is off, where it came from) for
    `auditor check --explain-policy`: the lines can be pasted into [tool.auditor]."""
    rows = []
    for name in POLICY_FIELDS:
        value = getattr(settings, name)
        if isinstance(value, tuple):
            text: str | None = "[" + ", ".join(f'"{v}"' for v in value) + "]"
        elif value is None:
            text = None
        else:
            text = f"{value:g}" if isinstance(value, float) else str(value)
        rows.append((name, text, settings.origins.get(name, "default")))
    return rows
