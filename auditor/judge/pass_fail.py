"""Pass, fail, or incomplete: the outcome of a list (exit codes 0, 1 and 4).

Two kinds of rules: conditions (`fail_on`, `warn_on`: "retracted", "not-found", "preprint"…)
that single out references, and thresholds on the scorecard (`min_recent_share`,
`min_peer_reviewed_share`, `max_median_age`). A broken `fail_on` rule or threshold fails the list;
a `warn_on` rule is reported and changes nothing. A list on which fewer than
`min_checked_share` (0.95) of the references that could be checked got an answer is
incomplete — never passed: nothing can be said of what was not checked. A failure on what was
checked still fails it. Each outcome names the references behind it, in words a reader
understands without a glossary (the rule's code, `warn_on:not-found`, stays in the JSON).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from auditor.config import POLICY_FIELDS, Settings
from auditor.i18n import N_plural, _, in_language, labelled, n_, phrase
from auditor.judge.identity import known_reason, not_in_the_index
from auditor.judge.scorecard import (
    UNREADABLE_ENTRIES,
    ScoreRules,
    Summary,
    build_summary,
    not_peer_reviewed,
    problem_of,
)
from auditor.model import InputProblem, Verdict
from auditor.vocabulary import (
    GONE_STATUSES,
    Condition,
    Outcome,
    PeerReview,
    PeerReviewSignal,
    Severity,
)


@dataclass(frozen=True)
class RuleFailure:
    """A rule of the policy that a list breaks: its code (`fail_on:retracted`), the sentence
    that says it, the references behind it."""

    rule: str
    message: str
    keys: tuple[str, ...]
    severity: Severity = Severity.ERROR  # a warning for a warn_on rule

    def to_dict(self) -> dict[str, object]:
        return {"rule": self.rule, "message": self.message, "severity": str(self.severity),
                "references": list(self.keys)}


@dataclass(frozen=True)
class PolicyOutcome:
    """The policy's verdict on a list: its failures, its warnings, and — when too few
    references could be checked — why the outcome is incomplete."""

    failures: list[RuleFailure] = field(default_factory=list)
    warnings: list[RuleFailure] = field(default_factory=list)
    incomplete: str | None = None  # "13 of 21 references could not be checked: …"

    @property
    def outcome(self) -> Outcome:
        if self.failures:
            return Outcome.FAILED
        return Outcome.INCOMPLETE if self.incomplete else Outcome.PASSED

    @property
    def passed(self) -> bool:
        return self.outcome == Outcome.PASSED


def _keys_text(keys: list[str] | tuple[str, ...]) -> str:
    rest = len(keys) - 10
    return ", ".join(keys[:10]) + (_(" … ({n} more)").format(n=rest) if rest > 0 else "")


def _sentence(condition: Condition, n: int, settings: Settings) -> str:
    """What the references a condition singles out are, as a sentence for `n` of them."""
    requires = settings.peer_review_requires
    unconfirmed = {PeerReviewSignal.INDEXED: _(", or in a journal neither in MEDLINE nor in "
                                               "DOAJ"),
                   PeerReviewSignal.ASSERTED: _(", or without the publisher's statement of peer "
                                                "review")}.get(requires, "")
    forms = {
        Condition.RETRACTED: N_plural("{n} reference retracted", "{n} references retracted"),
        Condition.WITHDRAWN: N_plural("{n} reference withdrawn", "{n} references withdrawn"),
        Condition.REMOVED: N_plural("{n} reference removed by the publisher",
                                    "{n} references removed by the publisher"),
        Condition.PARTIALLY_RETRACTED: N_plural("{n} reference partly retracted",
                                                "{n} references partly retracted"),
        Condition.EXPRESSION_OF_CONCERN: N_plural(
            "{n} reference under an expression of concern from the publisher",
            "{n} references under an expression of concern from the publisher"),
        Condition.CORRECTED: N_plural("{n} reference corrected since publication (cite it with the "
                                      "correction)", "{n} references corrected since publication "
                                      "(cite them with the correction)"),
        Condition.NOT_FOUND: N_plural("{n} DOI that no registry knows (a typo?)",
                                      "{n} DOIs that no registry knows (typos?)"),
        Condition.MISMATCH: N_plural("{n} DOI that leads to another work",
                                     "{n} DOIs that lead to another work"),
        Condition.INVALID_DOI: N_plural("{n} DOI not written as 10.NNNN/…",
                                        "{n} DOIs not written as 10.NNNN/…"),
        Condition.UNCHECKED: N_plural("{n} reference that could not be checked (no answer)",
                                      "{n} references that could not be checked (no answer)"),
        Condition.NO_IDENTIFIER: N_plural("{n} reference without a DOI, not found by a search",
                                          "{n} references without a DOI, not found by a search"),
        Condition.PREPRINT: N_plural("{n} preprint (not peer reviewed)",
                                     "{n} preprints (not peer reviewed)"),
        Condition.NOT_PEER_REVIEWED: N_plural(
            "{n} reference not peer reviewed (a preprint, editorial, letter, notice or "
            "meeting abstract{unconfirmed})",
            "{n} references not peer reviewed (preprints, editorials, letters, notices, "
            "meeting abstracts{unconfirmed})"),
        Condition.OUTDATED_GUIDELINE: N_plural(
            "{n} recommendation more than {years} years old: check for an update",
            "{n} recommendations more than {years} years old: check for an update"),
        Condition.MISSING_YEAR: N_plural("{n} reference without a publication year",
                                         "{n} references without a publication year"),
        Condition.FUTURE_YEAR: N_plural("{n} reference dated after the as-of date",
                                        "{n} references dated after the as-of date"),
        Condition.NOT_RECENT: N_plural("{n} reference more than {recent} years old",
                                       "{n} references more than {recent} years old"),
        Condition.UNREADABLE: N_plural("{n} entry of the file could not be read",
                                       "{n} entries of the file could not be read"),
    }
    singular, many = forms[condition]
    return n_(singular, many, n).format(n=n, years=settings.guideline_years,
                                        recent=settings.recent_years, unconfirmed=unconfirmed)


def _condition(condition: Condition, summary: Summary, settings: Settings, severity: Severity
               ) -> RuleFailure | None:
    """The rule for one condition, from the references the scorecard already names for it."""
    prefix = "fail_on" if severity == Severity.ERROR else "warn_on"
    keys = summary.problem_references.get(problem_of(condition), [])
    if not keys:
        return None
    # (named "unreadable" alone under fail_on since the first release)
    rule = condition if condition == Condition.UNREADABLE and severity == Severity.ERROR \
        else f"{prefix}:{condition}"
    return RuleFailure(rule, labelled(_sentence(condition, len(keys), settings),
                                      _keys_text(keys)), tuple(keys), severity)


def _incomplete(summary: Summary, settings: Settings) -> str | None:
    """Why the outcome is incomplete, or None: fewer than min_checked_share of the references
    a registry could be asked about got an answer — an entry of the file that could not be
    read counts as one not checked."""
    unread = summary.unreadable_entries
    could = summary.checkable + unread
    if not could:  # nothing could be asked: nothing was checked either
        return None if not summary.references else n_(
            "the reference has no DOI and nothing to search Crossref by: nothing could be "
            "checked",
            "none of the {n} references has a DOI or enough to search Crossref by: nothing "
            "could be checked", summary.references).format(n=summary.references)
    if summary.checked / could >= settings.min_checked_share:
        return None
    said = []
    missing = summary.checkable - summary.checked
    if missing:
        reason = next(iter(summary.unchecked_reasons), "no answer")
        said.append(n_("{n} of {total} reference could not be checked: {why}",
                       "{n} of {total} references could not be checked: {why}",
                       summary.checkable).format(n=missing, total=summary.checkable,
                                                 why=_reason(reason)))
    if unread:
        where = summary.problem_references.get(UNREADABLE_ENTRIES, [])
        said.append(n_("{n} entry of the file could not be read ({where}): correct it and "
                       "check again", "{n} entries of the file could not be read ({where}): "
                       "correct them and check again", unread).format(
            n=unread, where=_keys_text(where)))
    return "; ".join(said)


def _reason(reason: str) -> str:
    if not_in_the_index(reason):  # rerunning with the same index changes nothing
        return _("{reason}; audit without --index-only to ask Crossref").format(
            reason=in_language(reason))
    known = known_reason(reason)
    return _(known) if known else _("{reason} — rerun later").format(
        reason=in_language(phrase(reason)))


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
            failures.append(RuleFailure("min_recent_share", (
                _("no reference has a year, so the {pct} from the last {years} years required "
                  "cannot be met").format(pct=_pct(minimum), years=settings.recent_years)
                if share is None else
                _("{n} of {total} references with a year are from the last {years} years "
                  "({share}), fewer than the {pct} required; older: {keys}").format(
                    n=summary.recent, total=summary.dated, years=settings.recent_years,
                    share=_pct(share), pct=_pct(minimum), keys=_keys_text(keys))), keys))
    if settings.min_peer_reviewed_share is not None:
        minimum = settings.min_peer_reviewed_share
        share = summary.peer_reviewed_share
        if share is None or share < minimum:
            rules = ScoreRules(settings.guideline_years, settings.peer_review_requires)
            keys = tuple(v.key for v in counted if not_peer_reviewed(v, rules)
                         or v.peer_review in (PeerReview.GREY, PeerReview.BOOK,
                                              PeerReview.PROCEEDINGS))
            unknown = sum(v.peer_review == PeerReview.UNKNOWN for v in counted)
            not_known = ("; " + n_(
                "{n} reference whose peer review is not known (not checked, not found, or no "
                "signal) is left out", "{n} references whose peer review is not known (not "
                "checked, not found, or no signal) are left out", unknown).format(n=unknown)
                if unknown else "")
            known = summary.peer_review_known
            failures.append(RuleFailure("min_peer_reviewed_share", (
                _("no reference's peer review is known{not_known}, so the {pct} peer reviewed "
                  "required cannot be met").format(not_known=not_known, pct=_pct(minimum))
                if share is None else
                n_("{n} of {total} reference whose peer review is known is peer reviewed",
                   "{n} of {total} references whose peer review is known are peer reviewed",
                   known).format(n=summary.peer_reviewed, total=known)
                + _(" ({share}), fewer than the {pct} required{not_known}; not peer reviewed: "
                    "{keys}").format(share=_pct(share), pct=_pct(minimum), not_known=not_known,
                                     keys=_keys_text(keys) or _("none"))), keys))
    if settings.max_median_age is not None:
        maximum = settings.max_median_age
        median = summary.median_age
        if median is None or median > maximum:
            keys = tuple(v.key for v in counted
                         if v.age_years is not None and v.age_years > maximum)
            failures.append(RuleFailure("max_median_age", (
                _("no reference has a year, so the median age of at most {max} years required "
                  "cannot be checked").format(max=f"{maximum:g}") if median is None else
                _("half of the references are more than {median} years old (the median age), "
                  "above the {max} years allowed; older than {max} years: {keys}").format(
                    median=f"{median:g}", max=f"{maximum:g}",
                    keys=_keys_text(keys) or _("none"))), keys))
    return failures


def evaluate_policy(verdicts: list[Verdict], problems: list[InputProblem], settings: Settings,
                    summary: Summary | None = None) -> PolicyOutcome:
    """Every rule the list breaks (`failures`, exit code 1) and every `warn_on` rule it trips
    (`warnings`, reported only), from the scorecard (built here when not given)."""
    if summary is None:
        summary = build_summary(verdicts, problems, guideline_years=settings.guideline_years,
                                peer_review_requires=settings.peer_review_requires)
    failures = [f for c in settings.fail_on
                if (f := _condition(c, summary, settings, Severity.ERROR))]
    failures += _thresholds(verdicts, summary, settings)
    warnings = [w for c in settings.warn_on if c not in settings.fail_on
                and (w := _condition(c, summary, settings, Severity.WARNING))]
    return PolicyOutcome(failures, warnings, _incomplete(summary, settings))


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
        elif isinstance(value, float):
            text = f"{value:g}"
        elif isinstance(value, str):  # a TOML string, ready to paste into [tool.auditor]
            text = f'"{value}"'
        else:
            text = str(value)
        rows.append((name, text, settings.origins.get(name, "default")))
    return rows
