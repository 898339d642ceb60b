"""The parts of an HTML report that a single report and a catalogue both show: safe ids and
links, the policy box, the scorecard cards and the reference table's rows. Every string from
the input or a registry goes through `esc` (text and attributes) or `doi_href` (links)."""

from __future__ import annotations

import hashlib
import re
import urllib.parse
from typing import TYPE_CHECKING

from auditor.report.html_charts import (
    esc,
)
from auditor.report.ordering import GONE, check_word, group
from auditor.report.words import DESIGN_WORDS, KIND_WORDS, PEER_REVIEW_WORDS, words
from auditor.vocabulary import (
    CONCERN_STATUSES,
    Condition,
    Design,
    PeerReview,
    Recommendation,
    Resolution,
    Status,
)

if TYPE_CHECKING:
    from auditor.config import Settings
    from auditor.judge.pass_fail import RuleFailure
    from auditor.model import Verdict
    from auditor.report import Report


def settings_line(settings: Settings) -> str:
    """The policy's settings in one line: `fail on: retracted · warn on: … · minimum recent
    share: 60 %`."""
    parts = [f"fail on: {', '.join(settings.fail_on) or 'nothing'}",
             f"warn on: {', '.join(settings.warn_on) or 'nothing'}"]
    for label, value in (("minimum recent share", settings.min_recent_share),
                         ("minimum peer-reviewed share", settings.min_peer_reviewed_share)):
        if value is not None:
            parts.append(f"{label}: {value * 100:.0f} %")
    if settings.max_median_age is not None:
        parts.append(f"maximum median age: {settings.max_median_age:g} years")
    return " · ".join(parts)


def doi_href(doi: str) -> str:
    """https://doi.org/ + the DOI percent-encoded: no other scheme can ever come out of it."""
    return "https://doi.org/" + urllib.parse.quote(doi, safe="/:;()[]<>")


class Anchors:
    """Stable, safe row ids from citation keys (any text): a duplicate key links to its first
    row; input problems are named `file:line` and link to the input-problems table. `prefix`
    keeps the ids of several reports on one page apart (a catalogue: `t3-ref-smith2020`)."""

    def __init__(self, report: Report, prefix: str = "") -> None:
        self.prefix = prefix
        self.ids: dict[str, str] = {}
        self.rows: list[str] = []
        used: set[str] = set()
        for v in report.references:
            slug = re.sub(r"[^A-Za-z0-9_-]", "-", v.key)[:60]
            base = f"{prefix}ref-{slug}" if slug == v.key else \
                f"{prefix}ref-{slug}-{hashlib.sha1(v.key.encode()).hexdigest()[:6]}"
            anchor, n = base, 1
            while anchor in used:
                n += 1
                anchor = f"{base}-{n}"
            used.add(anchor)
            self.rows.append(anchor)
            self.ids.setdefault(v.key, anchor)
        for i, p in enumerate(report.problems):
            self.ids.setdefault(f"{p.source.file}:{p.source.line}", f"{prefix}input-{i + 1}")

    def link(self, key: str) -> str:
        """The key linked to its row; a number-only key (a pasted list's "3") is shown as "#3"
        so that it never reads as a count."""
        anchor = self.ids.get(key)
        shown = esc(f"#{key}" if key.isdigit() else key)
        return f'<a href="#{anchor}">{shown}</a>' if anchor else f"<span>{shown}</span>"

    def keys(self, keys: list[str] | tuple[str, ...], label: str = "") -> str:
        """The keys, each linked to its row, as one wrapped line."""
        if not keys:
            return ""
        lead = f'<span class="muted">{esc(label)}</span> ' if label else ""
        return f'<p class="keys">{lead}' + ", ".join(self.link(k) for k in keys) + "</p>"


def pct(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.0f} %"


def years(value: float | None) -> str:
    return "—" if value is None else f"{value:g} y"


def rule_list(items: list[RuleFailure], anchors: Anchors, kind: str) -> str:
    """Each failure or warning: its rule, its message, then links to the rows it names."""
    lis = "".join(f'<li class="{kind}"><span class="rule">{esc(r.rule)}</span> '
                  f"{esc(r.message)}{anchors.keys(r.keys, 'references:')}</li>" for r in items)
    return f'<ul class="rules">{lis}</ul>'


def policy_box(report: Report, anchors: Anchors, compact: bool = False) -> str:
    """The policy box; `compact` leaves out the settings and the run's warning (a catalogue
    states them once for all its trainings)."""
    state, word = ("pass", "✓ Policy passed") if report.passed else ("fail", "✗ Policy FAILED")
    heading = f"{anchors.prefix}policy-h"
    parts = [f'<section class="policy {state}" aria-labelledby="{heading}">'
             f'<h2 id="{heading}">{word}</h2>'
             + ("" if compact else
                f'<p class="muted">{esc(settings_line(report.settings))}</p>')]
    if report.policy_failures:
        parts.append(f"<h3>Failures ({len(report.policy_failures)})</h3>"
                     + rule_list(report.policy_failures, anchors, "failure"))
    if report.policy_warnings:
        parts.append(f"<h3>Warnings ({len(report.policy_warnings)})</h3>"
                     + rule_list(report.policy_warnings, anchors, "warning"))
    if report.passed and not report.policy_warnings:
        parts.append("<p>No rule of the policy is broken.</p>")
    if report.run.stopped_early and not compact:
        parts.append(f'<p class="warning">Crossref: stopped asking early '
                     f"({esc(report.run.stopped_early)}); the rest is unchecked — rerun "
                     "later.</p>")
    return "".join(parts) + "</section>"


def card(label: str, value: str, note: str = "", extra: str = "", tone: str = "") -> str:
    """One scorecard figure; `extra` is markup already escaped (the keys behind the figure)."""
    return (f'<div class="card {tone}"><div class="label">{esc(label)}</div>'
            f'<div class="value">{esc(value)}</div>'
            f'{f"<div class=note>{esc(note)}</div>" if note else ""}{extra}</div>')


def cards(report: Report, anchors: Anchors) -> str:
    s = report.summary

    def keys(*names: str) -> str:
        return anchors.keys([k for n in names for k in s.behind(n)])

    gone = sum(len(s.behind(n)) for n in GONE)
    quart = (f"IQR {s.age_iqr:g} y ({s.age_quartiles[0]:g}–{s.age_quartiles[1]:g})"
             if s.age_quartiles and s.age_iqr is not None else "no dated reference")
    return '<div class="cards">' + "".join([
        card("References", str(s.references), f"{s.with_doi} with a DOI · "
              f"{s.unreadable_entries} unreadable entries", keys(Condition.UNREADABLE)),
        card("Resolved", str(s.resolved), f"{pct(s.resolved_share)} verified or matched"),
        card("Peer reviewed", pct(s.peer_reviewed_share),
              f"{s.peer_reviewed} of {s.peer_review_known} with a known status",
              '<p class="keys"><a href="#guide-h">a journal-level signal: what it means</a></p>'),
        card(f"Recent (≤ {report.settings.recent_years} years)", pct(s.recent_share),
              f"{s.recent} of {s.dated} dated"),
        card("Median age", years(s.median_age), quart),
        card("Retracted, withdrawn, removed", str(gone),
              f"{s.excluded} left out of the peer-review and recency shares"
              if s.excluded else "none",
              keys(*GONE), "bad" if gone else "good"),
        card("Unresolved", str(s.unresolved), f"{s.not_found} not found · {s.mismatch} "
              f"mismatch · {s.no_identifier} without DOI",
              keys(Condition.NOT_FOUND, Condition.MISMATCH),
              "bad" if s.not_found or s.mismatch else ""),
        card("Unchecked", str(s.unchecked), "no answer: not evidence of a fault",
              keys(Condition.UNCHECKED), "warn" if s.unchecked else ""),
        card("Guidelines, recommendations", str(s.guidelines),
              f"{s.outdated_guidelines} outdated (older than "
              f"{report.settings.guideline_years} years)", keys(Condition.OUTDATED_GUIDELINE),
              "warn" if s.outdated_guidelines else ""),
        card("Preprints", str(s.preprints), f"{s.preprints_published} with a published "
              "version", keys(Condition.PREPRINT), "warn" if s.preprints else ""),
    ]) + "</div>"


# Column and share of the table's width (a fixed layout: long titles and DOIs wrap, the
# table never runs off the page or the paper).
REFERENCE_COLUMNS = (("Check", 7), ("Key", 9.5), ("Year", 4), ("Age", 4), ("Kind", 5.5),
           ("Peer review", 10), ("Status", 6.5), ("Resolution", 7.5), ("Evidence", 7.5),
           ("DOI", 9), ("Title", 14.5), ("Findings", 15))


def reference_table(rows: str, table_id: str = "") -> str:
    """The reference table around its rows: fixed column widths, sortable headers."""
    cols = "".join(f'<col style="width:{w}%">' for _, w in REFERENCE_COLUMNS)
    head = "".join(f'<th scope="col">{c}</th>' for c, _ in REFERENCE_COLUMNS)
    ident = f' id="{table_id}"' if table_id else ""
    return (f'<table{ident} class="refs js-sort"><colgroup>{cols}</colgroup>'
            f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")


def doi_cell(v: Verdict) -> str:
    ref, match = v.reference, v.match
    if match is not None and match.applied:
        return (f'<a href="{esc(doi_href(match.doi))}">{esc(match.doi)}</a>'
                '<small class="tag good">matched by search</small>')
    parts = []
    if ref.doi:
        parts.append(f'<a href="{esc(doi_href(ref.doi))}">{esc(ref.doi)}</a>')
    elif ref.doi_as_written:
        parts.append(f'<span class="bad">{esc(ref.doi_as_written)}</span>'
                     '<small>invalid, not looked up</small>')
    elif ref.isbn:
        parts.append(f"ISBN {esc(ref.isbn)}")
    if match is not None:
        word = "cited work found" if match.accepted else "closest candidate"
        parts.append(f'<small>{word}: <a href="{esc(doi_href(match.doi))}">'
                     f"{esc(match.doi)}</a></small>")
    return "".join(parts) or '<span class="muted">—</span>'


def evidence_cell(v: Verdict) -> str:
    e = v.evidence
    text = f"{esc(words(DESIGN_WORDS, e.design))}"
    if e.design == Design.NOT_DETERMINED:
        text = f'<span class="muted">{text}</span>'
    if e.ocebm_level:
        text += f' <span class="tag">OCEBM {e.ocebm_level}</span>'
    if e.guideline:
        marker = (e.recommendation or Recommendation.GUIDELINE).replace("-", " ")
        text += f' <span class="tag guide">{esc(marker)}</span>'
    return f'<span title="{esc(f"{e.signal} (confidence {e.confidence})")}">{text}</span>'


def status_cell(v: Verdict) -> str:
    if v.status != Status.OK:
        tone = "bad" if v.status in GONE or v.status == CONCERN_STATUSES[0] else "warn"
        notices = "; ".join(f"{u.type} {u.doi or ''} ({u.source or '?'})" for u in v.updates)
        return f'<span class="tag {tone}" title="{esc(notices)}">{esc(v.status)}</span>'
    if v.work is None:
        return '<span class="muted" title="no registry record to look for notices in">—</span>'
    return '<span title="the registry records no retraction or correction notice">ok</span>'


def reference_row(index: int, v: Verdict, anchor: str) -> str:
    ref, g = v.reference, group(v)
    title = v.work.title if v.work else ref.title
    container = v.work.container if v.work else ref.container
    tone = ("bad", "bad", "bad", "bad", "warn", "good")[g]
    age = "" if v.age_years is None else str(v.age_years)
    age_word = "" if v.recent is None else ("recent" if v.recent else "older")
    review_tone = {PeerReview.PEER_REVIEWED: "good",
                   PeerReview.NOT_PEER_REVIEWED: "warn"}.get(v.peer_review, "")
    resolution_tone = {Resolution.VERIFIED: "good", Resolution.MATCHED: "good",
                       Resolution.NOT_FOUND: "bad", Resolution.MISMATCH: "bad",
                       Resolution.UNCHECKED: "warn"}.get(v.resolution, "")
    findings = "".join(f'<li class="{esc(f.severity)}"><code>{esc(f.code)}</code> '
                       f"{esc(f.message)}</li>" for f in v.findings)
    cells = [
        f'<td data-sort="{g * 1_000_000 + index}"><span class="tag check {tone}">'
        f"{esc(check_word(v))}</span></td>",
        f'<td class="key"><strong>{esc(v.key)}</strong>'
        f"<small>{esc(ref.source.file)}:{ref.source.line}</small></td>",
        f'<td class="num" data-sort="{v.year if v.year is not None else ""}" '
        f'title="year from {esc(v.year_source or "nowhere")}">{v.year or "—"}</td>',
        f'<td class="num" data-sort="{age}">{age or "—"}<small>{age_word}</small></td>',
        f'<td title="from {esc(v.kind_source)}">{esc(words(KIND_WORDS, v.kind))}</td>',
        f'<td><span class="tag {review_tone}" '
        f'title="{esc(v.peer_review_reason)}">{esc(words(PEER_REVIEW_WORDS, v.peer_review))}'
        f'</span><small class="why">{esc(v.peer_review_reason)}</small></td>',
        f"<td>{status_cell(v)}</td>",
        f'<td><span class="tag {resolution_tone}">{esc(v.resolution)}</span>'
        + (f"<small>{esc(v.unchecked_reason)}</small>" if v.unchecked_reason else "") + "</td>",
        f"<td>{evidence_cell(v)}</td>",
        f'<td class="doi">{doi_cell(v)}</td>',
        f'<td class="title">{esc(title or "—")}'
        + (f"<small>{esc(container)}</small>" if container else "") + "</td>",
        f'<td class="findings"><ul>{findings}</ul></td>' if findings else "<td></td>",
    ]
    return f'<tr id="{anchor}" class="g{g}">{"".join(cells)}</tr>'


def input_problems(report: Report, prefix: str = "") -> str:
    if not report.problems:
        return ""
    rows = "".join(
        f'<tr id="{prefix}input-{i + 1}"><td>{esc(p.source.file)}:{p.source.line}</td>'
        f'<td><code>{esc(p.finding.code)}</code> {esc(p.finding.name)}</td>'
        f"<td>{esc(p.finding.severity)}</td><td>{esc(p.finding.message)}</td>"
        f"<td><code>{esc(p.raw[:200])}</code></td></tr>" for i, p in enumerate(report.problems))
    return (f'<section aria-labelledby="{prefix}input-h"><h2 id="{prefix}input-h">'
            f'Input problems ({len(report.problems)})</h2><table class="problems"><thead><tr>'
            "<th>Where</th><th>Code</th><th>Severity</th><th>Message</th><th>Text</th></tr></thead>"
            f"<tbody>{rows}</tbody></table></section>")
