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
from auditor.judge.scorecard import PREPRINT_PUBLISHED
from auditor.report.ordering import ordered as ordered_references
from auditor.vocabulary import (
    CONCERN_STATUSES,
    GONE_STATUSES,
    RESOLVED,
    Condition,
    Design,
    PeerReview,
    Recommendation,
    Resolution,
    Status,
)

if TYPE_CHECKING:
    from auditor.judge.pass_fail import RuleFailure
    from auditor.judge.scorecard import Summary
    from auditor.model import Verdict
    from auditor.report import Report

DASH = "—"
MAX_KEYS = 8
TITLE_LENGTH = 90
# Characters with a Markdown meaning anywhere in a line (CommonMark lets any ASCII punctuation
# be backslash-escaped; these are the ones that can change rendering inside a paragraph or cell).
_SPECIAL = re.compile(r"([\\`*_\[\]|~#!])")
_HYPHENATED = {Design.META_ANALYSIS, Design.CASE_CONTROL, Design.CROSS_SECTIONAL}
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_LEVEL_LABELS = {"1": "systematic reviews/meta-analyses", "2": "randomised trials",
                 "3": "cohort studies", "4": "case-control, cross-sectional, case reports",
                 "5": "narrative reviews, opinion"}
# Statuses and resolutions that make a reference a problem whatever the policy says.
_SERIOUS = {*GONE_STATUSES, *CONCERN_STATUSES, Resolution.NOT_FOUND, Resolution.MISMATCH}


def design_label(design: str) -> str:
    """`randomised-trial` → `randomised trial`; hyphenated words (`meta-analysis`) stay."""
    return design if design in _HYPHENATED else design.replace("-", " ")


def escape(text: object) -> str:
    """Plain text as inert Markdown, safe in a table cell: `&`/`<`/`>` as entities (no raw
    HTML), punctuation with a Markdown meaning backslash-escaped, line breaks as spaces."""
    value = " ".join(str(text).split())
    value = "".join(_HTML.get(ch, ch) for ch in value)
    return _SPECIAL.sub(r"\\\1", value)


def _pct(share: float | None) -> str:
    return DASH if share is None else f"{share * 100:.0f} %"


def _num(value: float | None) -> str:
    return DASH if value is None else f"{value:g}"


def _years(value: float | None) -> str:
    """`7 years`, `1 year`, `5.5 years`; a dash when unknown."""
    if value is None:
        return DASH
    return f"{value:g} year" + ("" if value == 1 else "s")


def _keys(keys: list[str] | tuple[str, ...]) -> str:
    """Escaped keys, cut after MAX_KEYS so a long list stays one readable cell."""
    shown = ", ".join(escape(k) for k in keys[:MAX_KEYS])
    rest = len(keys) - MAX_KEYS
    return shown + (f" … ({rest} more)" if rest > 0 else "")


def _median_with_iqr(s: Summary) -> str:
    if s.median_age is None:
        return DASH
    iqr = f" (IQR {_num(s.age_quartiles[0])}–{_num(s.age_quartiles[1])})" \
        if s.age_quartiles else ""
    return _years(s.median_age) + iqr


def _sources(report: Report) -> str:
    """Where the verdicts come from: `Crossref, PubMed; offline: from the cache only`."""
    settings = report.settings
    text = "Crossref" + (", PubMed" if settings.pubmed else "")
    return text + ("; offline: from the cache only" if settings.offline else "")


def summary_sentence(report: Report) -> str:
    """The one line people read: size, peer review, age, recency, and what went wrong.
    Retractions are always counted (it is what readers look for); other problems only when
    there are some."""
    s = report.summary
    parts = [
        f"References: {s.references}",
        f"{_pct(s.peer_reviewed_share)} peer-reviewed (of {s.peer_review_known} with a known "
        "status" + (f"; {unknown} not known"
                    if (unknown := s.peer_review.get(PeerReview.UNKNOWN, 0)) else "") + ")",
        f"median age {_median_with_iqr(s)}",
        f"{_pct(s.recent_share)} from the last {report.settings.recent_years} years",
        f"{len(s.retracted)} retracted",
    ]
    for status in (*GONE_STATUSES[1:], *CONCERN_STATUSES):
        if s.statuses.get(status):
            parts.append(f"{s.statuses[status]} {status.replace('-', ' ')}")
    for count, label in ((s.not_found, "DOI not found"), (s.mismatch, "DOI mismatch"),
                         (s.unchecked, Resolution.UNCHECKED)):
        if count:
            parts.append(f"{count} {label}")
    return ", ".join(parts) + "."


def _rule_line(rule: RuleFailure) -> str:
    return f"- `{rule.rule}`: {escape(rule.message)}"


def policy_block(report: Report) -> list[str]:
    """The verdict first (it decides whether the training passes), then each reason."""
    lines = ["**Policy: passed**" if report.passed else "**Policy: FAILED**"]
    if report.policy_failures:
        lines += ["", *(_rule_line(f) for f in report.policy_failures)]
    if report.policy_warnings:
        lines += ["", "Warnings:", "", *(_rule_line(w) for w in report.policy_warnings)]
    return lines


def _counts(counts: dict[str, int]) -> str:
    return " · ".join(f"{escape(name)} {n}" for name, n in counts.items()) or DASH


def evidence_levels(s: Summary) -> str:
    """`systematic reviews/meta-analyses (OCEBM 1): 6; randomised trials (2): 1; …; design not
    determined: 13` — levels first, then what has no level and why."""
    parts = []
    for level, label in _LEVEL_LABELS.items():
        if s.ocebm_levels.get(level):
            tag = f"OCEBM {level}" if not parts else level
            parts.append(f"{label} ({tag}): {s.ocebm_levels[level]}")
    undetermined = s.designs.get(Design.NOT_DETERMINED, 0)
    if undetermined:
        parts.append(f"design not determined: {undetermined}")
    other = s.ocebm_levels.get("none", 0) - undetermined
    if other > 0:
        parts.append(f"no OCEBM level (protocols, qualitative studies): {other}")
    text = "; ".join(parts) or DASH
    return text[0].upper() + text[1:]


def _recommendations(report: Report) -> str:
    s = report.summary
    if not s.guidelines:
        return "0"
    types = f" ({_counts(s.recommendations)})" if s.recommendations else ""
    outdated = s.behind(Condition.OUTDATED_GUIDELINE)
    older = f"; {s.outdated_guidelines} older than {report.settings.guideline_years} years"
    return f"{s.guidelines}{types}{older}" + (f": {_keys(outdated)}" if outdated else "")


def _preprints(s: Summary) -> str:
    if not s.preprints:
        return "0"
    published = s.behind(PREPRINT_PUBLISHED)
    return (f"{s.preprints}, of which {s.preprints_published} with a published version"
            + (f": {_keys(published)}" if published else ""))


def scorecard_rows(report: Report) -> list[tuple[str, str]]:
    """(metric, value) for the short scorecard table; values are already Markdown."""
    s = report.summary
    rows = [
        ("References", f"{s.references} ({s.with_doi} with a DOI)"),
        ("Resolved on Crossref", f"{_pct(s.resolved_share)} ({s.resolved} of {s.references})"),
        ("Unchecked · not found · mismatch · no identifier",
         f"{s.unchecked} · {s.not_found} · {s.mismatch} · {s.no_identifier}"),
        ("Peer-reviewed", f"{_pct(s.peer_reviewed_share)} ({s.peer_reviewed} of "
                          f"{s.peer_review_known} with a known status)"),
        (f"Recent (≤ {report.settings.recent_years} years)",
         f"{_pct(s.recent_share)} ({s.recent} of {s.dated} dated)"),
        ("Median age", _median_with_iqr(s)),
        ("Age bands", " · ".join(f"{band.replace('-', '–')} y: {n}"
                                 for band, n in s.age_bands.items()) or DASH),
        ("Kinds", _counts(s.kinds)),
        ("Statuses", _counts(s.statuses)),
        ("Retracted", f"{len(s.retracted)}" + (f": {_keys(s.retracted)}" if s.retracted else "")),
        ("Evidence levels", evidence_levels(s)),
        ("Designs", _counts({design_label(d): n for d, n in s.designs.items()})),
        ("Guidelines and recommendations", _recommendations(report)),
        ("Preprints", _preprints(s)),
    ]
    if s.excluded:
        rows.append(("Excluded from shares and ages (retracted, withdrawn, removed)",
                     str(s.excluded)))
    if s.unreadable_entries:
        rows.append(("Unreadable entries", str(s.unreadable_entries)))
    return rows


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header),
            *("| " + " | ".join(row) + " |" for row in rows)]


def _status(v: Verdict) -> str:
    """The status, and the resolution when the DOI did not lead to the work; bold when
    serious."""
    parts = [v.status] if v.status != Status.OK else []
    if v.resolution not in RESOLVED:
        parts.append(v.resolution)
    text = " · ".join(escape(p) for p in parts) or Status.OK
    return f"**{text}**" if {v.status, v.resolution} & _SERIOUS else text


def _evidence(v: Verdict) -> str:
    e = v.evidence
    parts = []
    if e.design != Design.NOT_DETERMINED:
        design = design_label(e.design)
        parts.append(f"{design} (OCEBM {e.ocebm_level})" if e.ocebm_level else design)
    if e.guideline:
        parts.append(escape(e.recommendation or Recommendation.GUIDELINE))
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
    return escape(title) if title else DASH


def _reference_row(v: Verdict) -> list[str]:
    return [escape(v.key), _title(v), _num(v.year), _num(v.age_years), escape(v.kind),
            escape(v.peer_review), _status(v), _evidence(v), _identifier(v)]


def references_table(report: Report) -> list[str]:
    ordered = [v for _, v in ordered_references(report.references)]
    return _table(["Key", "Title", "Year", "Age", "Kind", "Peer review", "Status", "Evidence",
                   "DOI"], [_reference_row(v) for v in ordered])


def render(report: Report) -> str:
    lines = [summary_sentence(report), "", *policy_block(report), "", "### Scorecard", "",
             *_table(["Metric", "Value"], [[m, v] for m, v in scorecard_rows(report)]),
             "", f"### References ({len(report.references)})", "",
             *references_table(report), "",
             f"_Audited by auditor {escape(__version__)} ({_sources(report)}); ages in whole "
             "years at "
             f"{report.settings.as_of.isoformat()}. Problem references come first._", ""]
    return "\n".join(lines)
