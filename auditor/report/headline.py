"""The one sentence every format leads with, in words a health professional reads without a
glossary, and the outcome said beside it:

    21 references · 13 checked on Crossref, 8 without a DOI · 10 of 12 journal articles peer
    reviewed (7 confirmed) · 4 of 21 from the last 5 years · no retraction among the 13
    checked · 2 recommendations to update

When too little could be checked the sentence starts with that, and never reads as a clean
bill of health ("13 of 21 references could not be checked: Crossref could not be reached —
rerun later").
"""

from __future__ import annotations

from dataclasses import dataclass

from auditor.config import Settings
from auditor.i18n import N_plural, _, labelled, listed, n_
from auditor.judge.pass_fail import PolicyOutcome
from auditor.judge.scorecard import UNCONFIRMED_PEER_REVIEW, Summary
from auditor.model import RunFigures
from auditor.report.words import OUTCOME_WORDS, words
from auditor.vocabulary import GONE_STATUSES, Condition, Outcome, PeerReviewSignal


@dataclass(frozen=True)
class Scored:
    """What a headline is made of: a list's scorecard, its policy outcome and its settings
    (a Report has all three)."""

    summary: Summary
    policy: PolicyOutcome
    settings: Settings


def _references(report: Scored) -> str:
    s = report.summary
    text = n_("{n} reference", "{n} references", s.references).format(n=s.references)
    if s.unreadable_entries:
        text += n_(" (and {n} unreadable)", " (and {n} unreadable)",
                   s.unreadable_entries).format(n=s.unreadable_entries)
    return text


def _checked(report: Scored) -> str:
    """`13 checked on Crossref, 2 without an answer, 6 not looked up (no DOI, nothing to search
    by: a web page, a bare title)` — the three add up to the references; the unanswered ones
    are left out when the sentence already starts with them."""
    s = report.summary
    parts = [n_("{n} checked on Crossref", "{n} checked on Crossref", s.checked).format(
        n=s.checked)]
    unanswered = s.checkable - s.checked
    if unanswered and not report.policy.incomplete:
        parts.append(n_("{n} without an answer", "{n} without an answer", unanswered).format(
            n=unanswered))
    not_asked = s.references - s.checkable
    if not_asked:
        parts.append(n_("{n} not looked up (no DOI, nothing to search by)",
                        "{n} not looked up (no DOI, nothing to search by)", not_asked).format(
            n=not_asked))
    return ", ".join(parts)


def _peer_review(report: Scored) -> str | None:
    s = report.summary
    articles = s.journal_articles
    if not articles:
        unknown = s.journal_articles_unknown
        return n_("peer review of {n} journal article not known",
                  "peer review of {n} journal articles not known", unknown).format(
            n=unknown) if unknown else None
    requires = report.settings.peer_review_requires
    confirmed = sum(n for signal, n in s.peer_review_signals.items()
                    if signal != PeerReviewSignal.ISSN)
    unconfirmed = len(s.behind(UNCONFIRMED_PEER_REVIEW))
    reviewed = sum(s.peer_review_signals.values())
    if requires == PeerReviewSignal.ISSN:
        text = n_("{n} of {total} journal article in a peer-reviewed journal",
                  "{n} of {total} journal articles in peer-reviewed journals", articles).format(
            n=reviewed, total=articles)
        if reviewed:
            text += _(" ({confirmed} confirmed by MEDLINE, DOAJ or the publisher)").format(
                confirmed=confirmed)
        return text
    text = n_("{n} of {total} journal article confirmed peer reviewed",
              "{n} of {total} journal articles confirmed peer reviewed", articles).format(
        n=reviewed - unconfirmed, total=articles)
    if unconfirmed:
        text += (_(" ({n} more not confirmed by the publisher)")
                 if requires == PeerReviewSignal.ASSERTED else
                 _(" ({n} more not confirmed: journal not found in MEDLINE or DOAJ)")).format(
            n=unconfirmed)
    return text


def _recent(report: Scored) -> str | None:
    s = report.summary
    if not s.dated:
        return None
    return _("{n} of {total} from the last {years} years").format(
        n=s.recent, total=s.dated, years=report.settings.recent_years)


def _retractions(report: Scored) -> str:
    s = report.summary
    gone = sum(len(s.behind(status)) for status in GONE_STATUSES)
    if not s.status_checked:
        return _("retractions not checked (no registry record could be read)")
    if not gone:
        return n_("no retraction in the {n} record found", "no retraction in the {n} records "
                  "found", s.status_checked).format(n=s.status_checked)
    return n_("{n} retracted, withdrawn or removed (of {checked} record found)",
              "{n} retracted, withdrawn or removed (of {checked} records found)",
              s.status_checked).format(n=gone, checked=s.status_checked)


def _identifiers(report: Scored) -> list[str]:
    s = report.summary
    parts = []
    if s.not_found:
        parts.append(n_("{n} DOI no registry knows", "{n} DOIs no registry knows",
                        s.not_found).format(n=s.not_found))
    if s.mismatch:
        parts.append(n_("{n} DOI leading to another work", "{n} DOIs leading to another work",
                        s.mismatch).format(n=s.mismatch))
    return parts


def _recommendations(report: Scored) -> str | None:
    s = report.summary
    if not s.guidelines:
        return None
    old = s.outdated_guidelines
    if old:
        return n_("{n} recommendation to update", "{n} recommendations to update",
                  old).format(n=old)
    return n_("{n} recommendation, up to date", "{n} recommendations, up to date",
              s.guidelines).format(n=s.guidelines)


def headline(report: Scored) -> str:
    """The sentence that sums up the list, the same in every format."""
    parts = [_references(report), _checked(report)]
    if report.policy.incomplete:
        why = report.policy.incomplete
        parts.insert(0, why[0].upper() + why[1:])
    parts += [p for p in (_peer_review(report), _recent(report)) if p]
    parts.append(_retractions(report))
    parts += _identifiers(report)
    parts += [p for p in (_recommendations(report),) if p]
    preprints = len(report.summary.behind(Condition.PREPRINT))
    if preprints:
        parts.append(n_("{n} preprint", "{n} preprints", preprints).format(n=preprints))
    return " · ".join(parts)


def outcome_line(report: Scored) -> str:
    """`Outcome: passed`, `Outcome: FAILED — 2 rules…`, `Outcome: INCOMPLETE — not enough…`."""
    outcome = report.policy.outcome
    text = _("Outcome: {outcome}").format(outcome=words(OUTCOME_WORDS, outcome))
    if outcome == Outcome.FAILED:
        count = len(report.policy.failures)
        text += n_(" — {n} rule of the policy is broken", " — {n} rules of the policy are broken",
                   count).format(n=count)
    elif outcome == Outcome.INCOMPLETE:
        text += _(" — not enough could be checked to pass")
    elif report.policy.warnings:
        count = len(report.policy.warnings)
        text += n_(" ({n} warning)", " ({n} warnings)", count).format(n=count)
    return text


def catalogue_line(outcomes: list[Outcome], references: int, skipped: int = 0) -> str:
    """`12 trainings, 640 references: 2 FAILED the policy, 1 INCOMPLETE (too little could be
    checked), 9 passed` — a catalogue's first line, in every format."""
    n = len(outcomes)
    text = (n_("{n} training", "{n} trainings", n).format(n=n) + ", "
            + n_("{n} reference", "{n} references", references).format(n=references))
    counts = [(outcomes.count(Outcome.FAILED), N_plural("{n} FAILED the policy",
                                                        "{n} FAILED the policy")),
              (outcomes.count(Outcome.INCOMPLETE),
               N_plural("{n} INCOMPLETE (too little could be checked)",
                        "{n} INCOMPLETE (too little could be checked)")),
              (outcomes.count(Outcome.PASSED), N_plural("{n} passed", "{n} passed"))]
    text = labelled(text, ", ".join(n_(*said, k).format(n=k) for k, said in counts
                                    if k or said is counts[-1][1]))
    if skipped:
        text = listed([text, n_("{n} file skipped", "{n} files skipped", skipped).format(
            n=skipped)])
    return text


def _count(n: int, forms: tuple[str, str]) -> str:
    return n_(*forms, n).format(n=n)


def run_sentence(run: RunFigures, offline: bool = False) -> str:
    """What the run asked of the registries: `Crossref: 5 requests (1 batch, 2 searches), 0
    from the cache, 0 retries, 0 rate-limited; journal lists: 2 requests` — on standard error
    after a run, and at the foot of the HTML reports."""
    details = [_count(n, forms) for n, forms in (
        (run.list_requests, N_plural("{n} batch", "{n} batches")),
        (run.single_requests, N_plural("{n} single lookup", "{n} single lookups")),
        (run.search_requests, N_plural("{n} search", "{n} searches"))) if n]
    requests = N_plural("{n} request", "{n} requests")
    text = (_("Crossref: ") + _count(run.requests, requests)
            + (f" ({', '.join(details)})" if details else "") + ", "
            + _count(run.cache_hits, N_plural("{n} from the cache", "{n} from the cache")) + ", "
            + (_count(run.index_hits, N_plural("{n} from the local index",
                                               "{n} from the local index")) + ", "
               if run.index_hits else "")
            + _count(run.retries, N_plural("{n} retry", "{n} retries")) + ", "
            + _("{n} rate-limited").format(n=run.rate_limited))
    if offline:
        text += _(" (offline: cache only)")
    if run.stopped_early:
        text += _(" — stopped asking: {why}").format(why=run.stopped_early)
    if run.pubmed_requests is not None:
        text += _("; PubMed: {n}").format(
            n=_count(run.pubmed_requests, requests))
    if run.journal_requests is not None:
        text += _("; journal lists: {n}").format(
            n=_count(run.journal_requests, requests))
    if run.retractions_as_of:
        text += _("; Retraction Watch's list: a copy of {date}").format(
            date=run.retractions_as_of)
    return text
