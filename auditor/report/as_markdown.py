"""Markdown: the scorecard and a table, ready to paste under a course description.

Everything taken from the input (keys, titles, DOIs, policy messages naming keys) goes through
`escape`: a reference list is untrusted text, and GitHub and most wikis render raw HTML, so a
title must never turn into markup, a link or an extra table column.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import quote

from auditor._version import __version__
from auditor.i18n import _, labelled, listed, n_, number
from auditor.judge.scorecard import PREPRINT_PUBLISHED
from auditor.report.headline import Scored, outcome_line
from auditor.report.ordering import ordered as ordered_references
from auditor.report.words import (
    DASH,
    DESIGN_WORDS,
    KIND_WORDS,
    N_,
    NOT_READ,
    RECOMMENDATION_WORDS,
    RESOLUTION_WORDS,
    SIGNAL_WORDS,
    STATUS_WORDS,
    age_spread,
    design_words,
    peer_review_words,
    read_as,
    words,
    years,
)
from auditor.vocabulary import (
    CONCERN_STATUSES,
    GONE_STATUSES,
    RESOLVED,
    Condition,
    Design,
    Recommendation,
    Resolution,
    Status,
)

if TYPE_CHECKING:
    from auditor.judge.pass_fail import RuleFailure
    from auditor.judge.scorecard import Summary
    from auditor.model import Verdict
    from auditor.report import Report

MAX_KEYS = 8
TITLE_LENGTH = 90
# Characters with a Markdown meaning anywhere in a line (CommonMark lets any ASCII punctuation
# be backslash-escaped; these are the ones that can change rendering inside a paragraph or cell).
# `<` and `>` too (no raw HTML, no autolink), and `&` only where it would start an entity
# ("&amp;" stays as written, "Mother & child" needs nothing).
_SPECIAL = re.compile(r"([\\`*_\[\]|~#!<>]|&(?=#?\w+;))")
_LEVEL_LABELS = {"1": N_("systematic reviews/meta-analyses"), "2": N_("randomised trials"),
                 "3": N_("cohort studies"), "4": N_("case-control, cross-sectional, case reports"),
                 "5": N_("narrative reviews, opinion")}
# Statuses and resolutions that make a reference a problem whatever the policy says.
_SERIOUS = {*GONE_STATUSES, *CONCERN_STATUSES, Resolution.NOT_FOUND, Resolution.MISMATCH}


def escape(text: object) -> str:
    """Plain text as inert Markdown, safe in a table cell and readable as plain text:
    punctuation with a Markdown or HTML meaning backslash-escaped (CommonMark lets any ASCII
    punctuation be), line breaks as spaces."""
    value = " ".join(str(text).split())
    return _SPECIAL.sub(r"\\\1", value)


def _pct(share: float | None) -> str:
    return DASH if share is None else f"{share * 100:.0f} %"


def _num(value: float | None) -> str:
    return DASH if value is None else number(value)


def _keys(keys: list[str] | tuple[str, ...]) -> str:
    """Escaped keys, cut after MAX_KEYS so a long list stays one readable cell."""
    shown = ", ".join(escape(k) for k in keys[:MAX_KEYS])
    rest = len(keys) - MAX_KEYS
    return shown + (f" … ({rest} more)" if rest > 0 else "")


def _median_with_spread(s: Summary) -> str:
    """`10 years (half of them between 9 and 13 years old)`."""
    if s.median_age is None:
        return DASH
    spread = f" ({age_spread(s.age_quartiles)})" if s.age_quartiles else ""
    return years(s.median_age) + spread


def _sources(report: Report) -> str:
    """The registries asked: `registries asked: Crossref, PubMed; offline: from the cache
    only` (asked, not answered: the outcome says whether enough answered)."""
    settings = report.settings
    text = _("registries asked: ") + "Crossref" + (", PubMed" if settings.pubmed else "") + (
        _(", the NLM Catalog and DOAJ") if settings.journals else "")
    return text + (_("; offline: from the cache only") if settings.offline else "")


def summary_sentence(report: Report) -> str:
    """The one line people read (report/headline.py), the same in every format."""
    return report.headline


def _rule_line(rule: RuleFailure, lead: str) -> str:
    return f"- {lead}{escape(rule.message)}"


def policy_block(report: Report) -> list[str]:
    """The outcome first (it decides whether the training passes), then each reason."""
    lines = [f"**{escape(outcome_line(Scored(report.summary, report.policy, report.settings)))}**"]
    if report.policy.incomplete:
        lines += ["", f"- {escape(report.policy.incomplete)}"]
    if report.policy_failures:
        lines += ["", *(_rule_line(f, _("Fails: ")) for f in report.policy_failures)]
    if report.policy_warnings:
        lines += ["", _("Warnings:"), "",
                  *(_rule_line(w, "") for w in report.policy_warnings)]
    return lines


def _counts(counts: dict[str, int], table: dict | None = None) -> str:
    return " · ".join(f"{escape(words(table, name) if table else name)} {n}"
                      for name, n in counts.items()) or DASH


def evidence_levels(s: Summary) -> str:
    """`systematic reviews/meta-analyses (evidence level 1, OCEBM): 6; randomised trials
    (level 2): 1; …; design not determined: 13` — levels first, then what has no level and why."""
    parts = []
    for level, label in _LEVEL_LABELS.items():
        if s.ocebm_levels.get(level):
            tag = (_("evidence level {level}, OCEBM") if not parts else _("level {level}")).format(
                level=level)
            parts.append(labelled(f"{_(label)} ({tag})", str(s.ocebm_levels[level])))
    undetermined = s.designs.get(Design.NOT_DETERMINED, 0)
    if undetermined:
        parts.append(_("design not determined: {n}").format(n=undetermined))
    other = s.ocebm_levels.get("none", 0) - undetermined
    if other > 0:
        parts.append(_("no evidence level (protocols, qualitative studies): {n}").format(n=other))
    text = listed(parts) or DASH
    return text[0].upper() + text[1:]


def _recommendations(report: Report) -> str:
    s = report.summary
    if not s.guidelines:
        return "0"
    types = f" ({_counts(s.recommendations, RECOMMENDATION_WORDS)})" if s.recommendations \
        else ""
    outdated = s.behind(Condition.OUTDATED_GUIDELINE)
    older = _("; {n} more than {years} years old").format(
        n=s.outdated_guidelines, years=report.settings.guideline_years)
    text = f"{s.guidelines}{types}{older}"
    return labelled(text, _keys(outdated)) if outdated else text


def _preprints(s: Summary) -> str:
    if not s.preprints:
        return "0"
    published = s.behind(PREPRINT_PUBLISHED)
    text = _("{n}, of which {published} with a published version").format(
        n=s.preprints, published=s.preprints_published)
    return labelled(text, _keys(published)) if published else text


def _peer_review(report: Report) -> str:
    s = report.summary
    text = _("{pct} ({n} of {total} whose peer review is known)").format(
        pct=_pct(s.peer_reviewed_share), n=s.peer_reviewed, total=s.peer_review_known)
    signals = [f"{escape(words(SIGNAL_WORDS, k))} ({n})" for k, n in s.peer_review_signals.items()]
    if signals:
        text += _("; on what signal: ") + " · ".join(signals)
    if s.recommendation_documents:
        text = listed([text, n_("{n} recommendation counted apart",
                                "{n} recommendations counted apart",
                                s.recommendation_documents).format(n=s.recommendation_documents)])
    return text


def scorecard_rows(report: Report) -> list[tuple[str, str]]:
    """(metric, value) for the short scorecard table; values are already Markdown."""
    s = report.summary
    rows = [
        (_("References"), _("{n} ({with_doi} with a DOI)").format(n=s.references,
                                                                  with_doi=s.with_doi)),
        (_("Found on Crossref"), _("{pct} ({n} of {total})").format(
            pct=_pct(s.resolved_share), n=s.resolved, total=s.references)),
        (_("Checked"), _("{n} of {total} that could be asked got an answer").format(
            n=s.checked, total=s.checkable)),
        (_("DOI unknown · wrong DOI · no DOI"),
         f"{s.not_found} · {s.mismatch} · {s.no_identifier}"),
        (_("Peer reviewed"), _peer_review(report)),
        (_("Recent (≤ {years} years)").format(years=report.settings.recent_years),
         _("{pct} ({n} of {total} with a year)").format(
             pct=_pct(s.recent_share), n=s.recent, total=s.dated)),
        (_("Median age"), _median_with_spread(s)),
        (_("Age bands"), " · ".join(_("{band} years: {n}").format(band=band.replace("-", "–"),
                                                                   n=n)
                                    for band, n in s.age_bands.items()) or DASH),
        (_("Kinds"), _counts(s.kinds, KIND_WORDS)),
        (_("Notices (of {n} checked)").format(n=s.status_checked),
         _counts({k: n for k, n in s.statuses.items() if k in STATUS_WORDS}, STATUS_WORDS)
         if s.status_checked else _(NOT_READ)),
        (_("Retracted"), (labelled(str(len(s.retracted)), _keys(s.retracted)) if s.retracted
                          else "0") if s.status_checked else _(NOT_READ)),
        (_("Evidence levels"), evidence_levels(s)),
        (_("Designs"), _counts(s.designs, DESIGN_WORDS)),
        (_("Guidelines and recommendations"), _recommendations(report)),
        (_("Preprints"), _preprints(s)),
    ]
    if s.excluded:
        rows.append((_("Left out of the shares and ages (retracted, withdrawn, removed)"),
                     str(s.excluded)))
    if s.unreadable_entries:
        rows.append((_("Entries that could not be read"), str(s.unreadable_entries)))
    return rows


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header),
            *("| " + " | ".join(row) + " |" for row in rows)]


def _status(v: Verdict) -> str:
    """The notice, and what the DOI did when it did not lead to the work; bold when
    serious."""
    parts = [words(STATUS_WORDS, v.status)] if v.status != Status.OK else []
    if v.resolution not in RESOLVED:
        parts.append(words(RESOLUTION_WORDS, v.resolution))
    text = " · ".join(escape(p) for p in parts) or _("ok")
    return f"**{text}**" if {v.status, v.resolution} & _SERIOUS else text


def _evidence(v: Verdict) -> str:
    e = v.evidence
    parts = []
    if e.design != Design.NOT_DETERMINED:
        parts.append(escape(design_words(e.design, e.ocebm_level)))
    if e.guideline:
        parts.append(escape(words(RECOMMENDATION_WORDS,
                                  e.recommendation or Recommendation.GUIDELINE)))
    return " · ".join(parts) or DASH


def _identifier(v: Verdict) -> str:
    """The DOI as a doi.org link (the matched one when applied), else the ISBN."""
    doi = v.match.doi if v.match is not None and v.match.applied else v.reference.doi
    if doi:
        return f"[{escape(doi)}](https://doi.org/{quote(doi, safe='/')})"
    if v.reference.isbn:
        return f"ISBN {escape(v.reference.isbn)}"
    return DASH


def _title(v: Verdict) -> str:
    title = (v.work.title if v.work and v.work.title else v.reference.title) or ""
    title = " ".join(title.split())
    if len(title) > TITLE_LENGTH:
        title = title[:TITLE_LENGTH - 1].rstrip() + "…"
    shown = escape(title) if title else DASH
    read = read_as(v)
    return f"{shown} — _{escape(read)}_" if read else shown


def _reference_row(v: Verdict) -> list[str]:
    page = v.reference.source.page
    key = v.key if page is None else _("{key} (page {page})").format(key=v.key, page=page)
    return [escape(key), _title(v), _num(v.year), _num(v.age_years),
            escape(words(KIND_WORDS, v.kind)),
            escape(peer_review_words(v.peer_review, v.peer_review_signal)), _status(v),
            _evidence(v), _identifier(v)]


def references_table(report: Report) -> list[str]:
    ordered = [v for _, v in ordered_references(report.references)]
    return _table([_("Key"), _("Title"), _("Year"), _("Age"), _("Kind"), _("Peer review"),
                   _("Status"), _("Evidence"), _("DOI")], [_reference_row(v) for v in ordered])


def render(report: Report) -> str:
    lines = [escape(summary_sentence(report)), "", *policy_block(report), "",
             "### " + _("Scorecard"), "",
             *_table([_("Metric"), _("Value")], [[m, v] for m, v in scorecard_rows(report)]),
             "", "### " + _("References ({n})").format(n=len(report.references)), "",
             *references_table(report), "",
             "_" + _("Audited by auditor {version} ({sources}); ages in whole years at "
                     "{as_of}. Problem references come first.").format(
                 version=escape(__version__), sources=_sources(report),
                 as_of=report.settings.as_of.isoformat()) + "_", ""]
    return "\n".join(lines)
