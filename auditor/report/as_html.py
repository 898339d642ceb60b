"""HTML: one self-contained file (no external assets) with the scorecard, charts and table.

It is the view an accreditation body reads, often offline or on paper: no CDN, no web font, no
remote image; it prints (landscape, rows never cut); every string from the input file or a
registry is escaped, and the few lines of script (sort, filter) read only the page itself.
"""

from __future__ import annotations

import hashlib
import re
import urllib.parse
from collections import Counter
from typing import TYPE_CHECKING

from auditor.judge.scorecard import PROBLEMS
from auditor.report.html_assets import LEGEND, SCRIPT, STYLE
from auditor.report.html_charts import (
    DESIGN_WORDS,
    KIND_WORDS,
    PEER_REVIEW_WORDS,
    esc,
    evidence_chart,
    kinds_chart,
    words,
    year_histogram,
)
from auditor.report.ordering import GONE, GROUPS, group, ordered

if TYPE_CHECKING:
    from auditor.judge.policy import RuleFailure
    from auditor.model import Verdict
    from auditor.report import Report

PROBLEM_WORDS = {
    "retracted": "Retracted", "withdrawn": "Withdrawn", "removed": "Removed",
    "partially_retracted": "Partially retracted", "expression_of_concern":
    "Expression of concern", "corrected": "Corrected (cite with the correction)",
    "not_found": "DOI unknown to every registry", "mismatch": "DOI leads to another work",
    "unchecked": "Unchecked (no answer from the registry)", "no_identifier": "No DOI",
    "invalid_doi": "Invalid DOI", "not_peer_reviewed": "Not peer reviewed",
    "preprint": "Preprints", "preprint_published": "Preprints with a published version",
    "not_recent": "Not recent", "missing_year": "No publication year",
    "future_year": "Year after the as-of date", "outdated_guideline": "Outdated recommendations",
    "cites_a_notice": "Cites a notice, not the work", "unreadable_entries": "Unreadable entries",
}
SERIOUS = {"retracted", "withdrawn", "removed", "not_found", "mismatch", "invalid_doi",
           "unreadable_entries"}


def _doi_href(doi: str) -> str:
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


def _pct(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.0f} %"


def _years(value: float | None) -> str:
    return "—" if value is None else f"{value:g} y"


# ---- header, policy, scorecard -------------------------------------------------------------

def _header(report: Report) -> str:
    from auditor import __version__

    s = report.settings
    rows = [("Inputs", ", ".join(report.inputs) or "—"), ("As of", s.as_of.isoformat()),
            ("Recent", f"≤ {s.recent_years} years old at the as-of date"),
            ("Tool", f"auditor {__version__}"),
            ("Generated", report.generated_at.strftime("%Y-%m-%d %H:%M:%S UTC"))]
    meta = "".join(f"<div><dt>{esc(k)}</dt><dd>{esc(v)}</dd></div>" for k, v in rows)
    sub = (f"{len(report.references)} references, {report.summary.with_doi} with a DOI "
           "looked up in the DOI registries (Crossref, DataCite)")
    return (f'<header><h1>Reference audit</h1><p class="sub">{esc(sub)}</p>'
            f'<dl class="meta">{meta}</dl></header>')


def _rules(items: list[RuleFailure], anchors: Anchors, kind: str) -> str:
    """Each failure or warning: its rule, its message, then links to the rows it names."""
    lis = "".join(f'<li class="{kind}"><span class="rule">{esc(r.rule)}</span> '
                  f"{esc(r.message)}{anchors.keys(r.keys, 'references:')}</li>" for r in items)
    return f'<ul class="rules">{lis}</ul>'


def _policy(report: Report, anchors: Anchors, compact: bool = False) -> str:
    """The policy box; `compact` leaves out the settings and the run's warning (a catalogue
    states them once for all its trainings)."""
    s = report.settings
    state, word = ("pass", "✓ Policy passed") if report.passed else ("fail", "✗ Policy FAILED")
    settings = [f"fail on: {', '.join(s.fail_on) or 'nothing'}",
                f"warn on: {', '.join(s.warn_on) or 'nothing'}"]
    for name, value in (("minimum recent share", s.min_recent_share),
                        ("minimum peer-reviewed share", s.min_peer_reviewed_share)):
        if value is not None:
            settings.append(f"{name}: {value * 100:.0f} %")
    if s.max_median_age is not None:
        settings.append(f"maximum median age: {s.max_median_age:g} years")
    heading = f"{anchors.prefix}policy-h"
    parts = [f'<section class="policy {state}" aria-labelledby="{heading}">'
             f'<h2 id="{heading}">{word}</h2>'
             + ("" if compact else f'<p class="muted">{esc(" · ".join(settings))}</p>')]
    if report.policy_failures:
        parts.append(f"<h3>Failures ({len(report.policy_failures)})</h3>"
                     + _rules(report.policy_failures, anchors, "failure"))
    if report.policy_warnings:
        parts.append(f"<h3>Warnings ({len(report.policy_warnings)})</h3>"
                     + _rules(report.policy_warnings, anchors, "warning"))
    if report.passed and not report.policy_warnings:
        parts.append("<p>No rule of the policy is broken.</p>")
    if report.run.get("stopped_early") and not compact:
        parts.append(f'<p class="warning">Crossref: stopped asking early '
                     f"({esc(report.run['stopped_early'])}); the rest is unchecked — rerun "
                     "later.</p>")
    return "".join(parts) + "</section>"


def _card(label: str, value: str, note: str = "", extra: str = "", tone: str = "") -> str:
    """One scorecard figure; `extra` is markup already escaped (the keys behind the figure)."""
    return (f'<div class="card {tone}"><div class="label">{esc(label)}</div>'
            f'<div class="value">{esc(value)}</div>'
            f'{f"<div class=note>{esc(note)}</div>" if note else ""}{extra}</div>')


def _cards(report: Report, anchors: Anchors) -> str:
    s, problems = report.summary, report.summary.problem_references

    def keys(*names: str) -> str:
        return anchors.keys([k for n in names for k in problems.get(n, [])])

    gone = sum(len(problems.get(n, [])) for n in GONE)
    quart = (f"IQR {s.age_iqr:g} y ({s.age_quartiles[0]:g}–{s.age_quartiles[1]:g})"
             if s.age_quartiles and s.age_iqr is not None else "no dated reference")
    return '<div class="cards">' + "".join([
        _card("References", str(s.references), f"{s.with_doi} with a DOI · "
              f"{s.unreadable_entries} unreadable entries", keys("unreadable_entries")),
        _card("Resolved", str(s.resolved), f"{_pct(s.resolved_share)} verified or matched"),
        _card("Peer reviewed", _pct(s.peer_reviewed_share),
              f"{s.peer_reviewed} of {s.peer_review_known} with a known status",
              '<p class="keys"><a href="#guide-h">a journal-level signal: what it means</a></p>'),
        _card(f"Recent (≤ {report.settings.recent_years} years)", _pct(s.recent_share),
              f"{s.recent} of {s.dated} dated"),
        _card("Median age", _years(s.median_age), quart),
        _card("Retracted, withdrawn, removed", str(gone),
              f"{s.excluded} left out of the peer-review and recency shares"
              if s.excluded else "none",
              keys(*GONE), "bad" if gone else "good"),
        _card("Unresolved", str(s.unresolved), f"{s.not_found} not found · {s.mismatch} "
              f"mismatch · {s.no_identifier} without DOI", keys("not_found", "mismatch"),
              "bad" if s.not_found or s.mismatch else ""),
        _card("Unchecked", str(s.unchecked), "no answer: not evidence of a fault",
              keys("unchecked"), "warn" if s.unchecked else ""),
        _card("Guidelines, recommendations", str(s.guidelines),
              f"{s.outdated_guidelines} outdated (older than "
              f"{report.settings.guideline_years} years)", keys("outdated_guideline"),
              "warn" if s.outdated_guidelines else ""),
        _card("Preprints", str(s.preprints), f"{s.preprints_published} with a published "
              "version", keys("preprint"), "warn" if s.preprints else ""),
    ]) + "</div>"


def _mini(title: str, counts: dict[str, int], table: dict[str, str] | None = None) -> str:
    rows = "".join(f"<tr><td>{esc(words(table, k) if table else k)}</td>"
                   f'<td class="num">{n}</td></tr>' for k, n in counts.items()) or \
        '<tr><td colspan="2" class="muted">none</td></tr>'
    return f'<table class="mini"><caption>{esc(title)}</caption>{rows}</table>'


def _breakdowns(report: Report) -> str:
    s = report.summary
    levels = {("no level" if k == "none" else f"OCEBM {k}"): n for k, n in s.ocebm_levels.items()}
    recommendation = {k.replace("-", " "): n for k, n in s.recommendations.items()}
    return '<div class="minis">' + "".join([
        _mini("Age bands (years)", s.age_bands), _mini("Kinds", s.kinds, KIND_WORDS),
        _mini("Peer review", s.peer_review, PEER_REVIEW_WORDS),
        _mini("Statuses", s.statuses), _mini("Designs", s.designs, DESIGN_WORDS),
        _mini("OCEBM levels", levels), _mini("Recommendations", recommendation),
    ]) + "</div>"


def _problems_table(report: Report, anchors: Anchors) -> str:
    found = report.summary.problem_references
    names = [n for n in (*PROBLEMS, "unreadable_entries") if found.get(n)]
    names += [n for n in found if n not in names]
    if not names:
        return '<p class="good">No problem counted.</p>'
    rows = "".join(
        f'<tr class="{"bad" if n in SERIOUS else ""}"><th scope="row">'
        f'{esc(_problem_word(n, report))}</th><td class="num">{len(found[n])}</td>'
        f"<td>{anchors.keys(found[n])}</td></tr>" for n in names)
    return ('<table class="problems"><thead><tr><th>Problem</th><th>Count</th>'
            f"<th>References</th></tr></thead><tbody>{rows}</tbody></table>")


def _problem_word(name: str, report: Report) -> str:
    word = PROBLEM_WORDS.get(name, name.replace("_", " ").capitalize())
    if name == "not_recent":
        word += f" (older than {report.settings.recent_years} years)"
    if name == "outdated_guideline":
        word += f" (older than {report.settings.guideline_years} years)"
    return word


def _scorecard(report: Report, anchors: Anchors) -> str:
    return ('<section aria-labelledby="score-h"><h2 id="score-h">Scorecard</h2>'
            f"{_cards(report, anchors)}{_breakdowns(report)}"
            f'<h3>Problems and the references behind them</h3>'
            f"{_problems_table(report, anchors)}</section>")


def _charts(report: Report) -> str:
    s, refs = report.summary, report.references
    levels = {v.evidence.design: v.evidence.ocebm_level for v in refs}
    cut = report.settings.as_of.year - report.settings.recent_years
    figures = [
        ("wide", year_histogram(s.years, report.settings.as_of.year,
                                report.settings.recent_years),
         f"Publication years of the {sum(s.years.values())} references with a year; the "
         f"dashed line marks the recency cut-off ({cut})."),
        ("", kinds_chart((v.kind, v.peer_review) for v in refs if v.status not in GONE),
         "Kind of every reference, split by its peer-review class (legend above; retracted, "
         "withdrawn and removed works left out, as in the scorecard)."),
        ("", evidence_chart(s.designs, s.ocebm_levels, levels),
         f"Design labels from title and journal (retracted works left out); "
         f"{s.guidelines} guideline or recommendation documents, "
         f"{s.outdated_guidelines} outdated. Not a GRADE rating."),
    ]
    body = "".join(f'<figure class="{cls}">{svg}<figcaption>{esc(cap)}</figcaption></figure>'
                   for cls, svg, cap in figures)
    return (f'<section aria-labelledby="charts-h"><h2 id="charts-h">Charts</h2>'
            f'<div class="figures">{body}</div></section>')


# ---- the reference table -------------------------------------------------------------------

# Column and share of the table's width (a fixed layout: long titles and DOIs wrap, the
# table never runs off the page or the paper).
COLUMNS = (("Check", 7), ("Key", 9.5), ("Year", 4), ("Age", 4), ("Kind", 5.5),
           ("Peer review", 10), ("Status", 6.5), ("Resolution", 7.5), ("Evidence", 7.5),
           ("DOI", 9), ("Title", 14.5), ("Findings", 15))


def _check_word(v: Verdict) -> str:
    g = group(v)
    return v.status if g == 0 else GROUPS[g]


def _doi_cell(v: Verdict) -> str:
    ref, match = v.reference, v.match
    if match is not None and match.applied:
        return (f'<a href="{esc(_doi_href(match.doi))}">{esc(match.doi)}</a>'
                '<small class="tag good">matched by search</small>')
    parts = []
    if ref.doi:
        parts.append(f'<a href="{esc(_doi_href(ref.doi))}">{esc(ref.doi)}</a>')
    elif ref.doi_as_written:
        parts.append(f'<span class="bad">{esc(ref.doi_as_written)}</span>'
                     '<small>invalid, not looked up</small>')
    elif ref.isbn:
        parts.append(f"ISBN {esc(ref.isbn)}")
    if match is not None:
        word = "cited work found" if match.accepted else "closest candidate"
        parts.append(f'<small>{word}: <a href="{esc(_doi_href(match.doi))}">'
                     f"{esc(match.doi)}</a></small>")
    return "".join(parts) or '<span class="muted">—</span>'


def _evidence_cell(v: Verdict) -> str:
    e = v.evidence
    text = f"{esc(words(DESIGN_WORDS, e.design))}"
    if e.design == "not-determined":
        text = f'<span class="muted">{text}</span>'
    if e.ocebm_level:
        text += f' <span class="tag">OCEBM {e.ocebm_level}</span>'
    if e.guideline:
        marker = (e.recommendation or "guideline").replace("-", " ")
        text += f' <span class="tag guide">{esc(marker)}</span>'
    return f'<span title="{esc(f"{e.signal} (confidence {e.confidence})")}">{text}</span>'


def _status_cell(v: Verdict) -> str:
    if v.status != "ok":
        tone = "bad" if v.status in GONE or v.status == "partially-retracted" else "warn"
        notices = "; ".join(f"{u.type} {u.doi or ''} ({u.source or '?'})" for u in v.updates)
        return f'<span class="tag {tone}" title="{esc(notices)}">{esc(v.status)}</span>'
    if v.work is None:
        return '<span class="muted" title="no registry record to look for notices in">—</span>'
    return '<span title="the registry records no retraction or correction notice">ok</span>'


def _row(index: int, v: Verdict, anchor: str) -> str:
    ref, g = v.reference, group(v)
    title = v.work.title if v.work else ref.title
    container = v.work.container if v.work else ref.container
    tone = ("bad", "bad", "bad", "bad", "warn", "good")[g]
    age = "" if v.age_years is None else str(v.age_years)
    age_word = "" if v.recent is None else ("recent" if v.recent else "older")
    review_tone = {"peer-reviewed": "good", "not-peer-reviewed": "warn"}.get(v.peer_review, "")
    resolution_tone = {"verified": "good", "matched": "good", "not-found": "bad",
                       "mismatch": "bad", "unchecked": "warn"}.get(v.resolution, "")
    findings = "".join(f'<li class="{esc(f.severity)}"><code>{esc(f.code)}</code> '
                       f"{esc(f.message)}</li>" for f in v.findings)
    cells = [
        f'<td data-sort="{g * 1_000_000 + index}"><span class="tag check {tone}">'
        f"{esc(_check_word(v))}</span></td>",
        f'<td class="key"><strong>{esc(v.key)}</strong>'
        f"<small>{esc(ref.source.file)}:{ref.source.line}</small></td>",
        f'<td class="num" data-sort="{v.year if v.year is not None else ""}" '
        f'title="year from {esc(v.year_source or "nowhere")}">{v.year or "—"}</td>',
        f'<td class="num" data-sort="{age}">{age or "—"}<small>{age_word}</small></td>',
        f'<td title="from {esc(v.kind_source)}">{esc(words(KIND_WORDS, v.kind))}</td>',
        f'<td><span class="tag {review_tone}" '
        f'title="{esc(v.peer_review_reason)}">{esc(words(PEER_REVIEW_WORDS, v.peer_review))}'
        f'</span><small class="why">{esc(v.peer_review_reason)}</small></td>',
        f"<td>{_status_cell(v)}</td>",
        f'<td><span class="tag {resolution_tone}">{esc(v.resolution)}</span>'
        + (f"<small>{esc(v.unchecked_reason)}</small>" if v.unchecked_reason else "") + "</td>",
        f"<td>{_evidence_cell(v)}</td>",
        f'<td class="doi">{_doi_cell(v)}</td>',
        f'<td class="title">{esc(title or "—")}'
        + (f"<small>{esc(container)}</small>" if container else "") + "</td>",
        f'<td class="findings"><ul>{findings}</ul></td>' if findings else "<td></td>",
    ]
    return f'<tr id="{anchor}" class="g{g}">{"".join(cells)}</tr>'


def _table(report: Report, anchors: Anchors) -> str:
    cols = "".join(f'<col style="width:{w}%">' for _, w in COLUMNS)
    head = "".join(f'<th scope="col">{c}</th>' for c, _ in COLUMNS)
    rows = "".join(_row(i, v, anchors.rows[i]) for i, v in ordered(report.references))
    return ('<section aria-labelledby="refs-h"><h2 id="refs-h">References '
            f"({len(report.references)})</h2>"
            '<p class="muted">Problems first: retracted, withdrawn or removed; DOI not found; '
            "DOI leading to another work; other errors; warnings; then the rest, each group "
            "in the order of the input.</p>"
            '<p class="tools" id="tools" hidden><label>Filter <input type="search" '
            'id="filter" placeholder="key, title, status, code…"></label> '
            '<span id="shown" class="muted"></span> · click a column header to sort</p>'
            f'<div class="wrap"><table id="refs"><colgroup>{cols}</colgroup>'
            f"<thead><tr>{head}</tr></thead>"
            f"<tbody>{rows}</tbody></table></div></section>")


def _input_problems(report: Report, prefix: str = "") -> str:
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


def _run(report: Report) -> str:
    run = report.run
    if not run:
        return ""
    figures = ", ".join(f"{k.replace('_', ' ')} {esc(v)}" for k, v in run.items()
                        if v not in (None, False, ""))
    return f'<p class="muted run">Registry requests: {figures or "none"}.</p>'


def render(report: Report) -> str:
    """The report as one HTML5 document."""
    anchors = Anchors(report)
    verdict = "passed" if report.passed else "FAILED"
    inputs = ", ".join(report.inputs)
    tally = ", ".join(f"{k} {n}" for k, n in Counter(_check_word(v)
                                                     for v in report.references).items())
    return "".join([
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Reference audit — {esc(inputs)} — {verdict}</title>"
        f'<meta name="generator" content="auditor">'
        f"<style>{STYLE}</style></head><body><main>",
        _header(report), _policy(report, anchors), _scorecard(report, anchors),
        _charts(report), _table(report, anchors), _input_problems(report),
        LEGEND.format(recent=report.settings.recent_years),
        _run(report),
        f"<footer>Reference audit by auditor · {esc(tally)} · registry data as of the "
        "generation date; this report checks the references, not the training's content."
        "</footer>",
        f"</main><script>{SCRIPT}</script></body></html>\n",
    ])
