"""HTML: one self-contained file (no external assets) with the scorecard, charts and table.

It is the view an accreditation body reads, often offline or on paper: no CDN, no web font, no
remote image; it prints (landscape, rows never cut); every string from the input file or a
registry is escaped, and the few lines of script (sort, filter) read only the page itself.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from auditor._version import __version__
from auditor.judge.scorecard import (
    CITES_A_NOTICE,
    PREPRINT_PUBLISHED,
    PROBLEMS,
    UNREADABLE_ENTRIES,
    problem_key,
)
from auditor.report.html_assets import LEGEND, SCRIPT, STYLE
from auditor.report.html_charts import (
    esc,
    evidence_chart,
    kinds_chart,
    year_histogram,
)
from auditor.report.html_parts import (
    Anchors,
    input_problems,
    policy_box,
    reference_row,
    reference_table,
)
from auditor.report.html_parts import cards as score_cards
from auditor.report.ordering import GONE, check_word, ordered
from auditor.report.words import DESIGN_WORDS, KIND_WORDS, PEER_REVIEW_WORDS, words
from auditor.vocabulary import GONE_STATUSES, Condition, Status

if TYPE_CHECKING:
    from auditor.report import Report

_K = problem_key
PROBLEM_WORDS = {
    _K(Status.RETRACTED): "Retracted", _K(Status.WITHDRAWN): "Withdrawn",
    _K(Status.REMOVED): "Removed", _K(Status.PARTIALLY_RETRACTED): "Partially retracted",
    _K(Status.EXPRESSION_OF_CONCERN): "Expression of concern",
    _K(Status.CORRECTED): "Corrected (cite with the correction)",
    _K(Condition.NOT_FOUND): "DOI unknown to every registry",
    _K(Condition.MISMATCH): "DOI leads to another work",
    _K(Condition.UNCHECKED): "Unchecked (no answer from the registry)",
    _K(Condition.NO_IDENTIFIER): "No DOI", _K(Condition.INVALID_DOI): "Invalid DOI",
    _K(Condition.NOT_PEER_REVIEWED): "Not peer reviewed", _K(Condition.PREPRINT): "Preprints",
    PREPRINT_PUBLISHED: "Preprints with a published version",
    _K(Condition.NOT_RECENT): "Not recent", _K(Condition.MISSING_YEAR): "No publication year",
    _K(Condition.FUTURE_YEAR): "Year after the as-of date",
    _K(Condition.OUTDATED_GUIDELINE): "Outdated recommendations",
    CITES_A_NOTICE: "Cites a notice, not the work", UNREADABLE_ENTRIES: "Unreadable entries",
}
SERIOUS = {*map(_K, GONE_STATUSES), _K(Condition.NOT_FOUND), _K(Condition.MISMATCH),
           _K(Condition.INVALID_DOI), UNREADABLE_ENTRIES}


# ---- header, policy, scorecard -------------------------------------------------------------

def _header(report: Report) -> str:
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
    names = [n for n in (*PROBLEMS, UNREADABLE_ENTRIES) if found.get(n)]
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
    if name == _K(Condition.NOT_RECENT):
        word += f" (older than {report.settings.recent_years} years)"
    if name == _K(Condition.OUTDATED_GUIDELINE):
        word += f" (older than {report.settings.guideline_years} years)"
    return word


def _scorecard(report: Report, anchors: Anchors) -> str:
    return ('<section aria-labelledby="score-h"><h2 id="score-h">Scorecard</h2>'
            f"{score_cards(report, anchors)}{_breakdowns(report)}"
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


def _table(report: Report, anchors: Anchors) -> str:
    rows = "".join(reference_row(i, v, anchors.rows[i]) for i, v in ordered(report.references))
    return ('<section aria-labelledby="refs-h"><h2 id="refs-h">References '
            f"({len(report.references)})</h2>"
            '<p class="muted">Problems first: retracted, withdrawn or removed; DOI not found; '
            "DOI leading to another work; other errors; warnings; then the rest, each group "
            "in the order of the input.</p>"
            '<p class="tools" id="tools" hidden><label>Filter <input type="search" '
            'id="filter" data-table="refs" placeholder="key, title, status, code…"></label> '
            '<span id="shown" class="muted"></span> · click a column header to sort</p>'
            f'<div class="wrap">{reference_table(rows, "refs")}</div></section>')


def _run(report: Report) -> str:
    figures = ", ".join(f"{k.replace('_', ' ')} {esc(v)}" for k, v in report.run.to_dict().items()
                        if v not in (None, False, ""))
    return f'<p class="muted run">Registry requests: {figures or "none"}.</p>'


def render(report: Report) -> str:
    """The report as one HTML5 document."""
    anchors = Anchors(report)
    verdict = "passed" if report.passed else "FAILED"
    inputs = ", ".join(report.inputs)
    tally = ", ".join(f"{k} {n}" for k, n in Counter(check_word(v)
                                                     for v in report.references).items())
    return "".join([
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Reference audit — {esc(inputs)} — {verdict}</title>"
        f'<meta name="generator" content="auditor">'
        f"<style>{STYLE}</style></head><body><main>",
        _header(report), policy_box(report, anchors), _scorecard(report, anchors),
        _charts(report), _table(report, anchors), input_problems(report),
        LEGEND.format(recent=report.settings.recent_years),
        _run(report),
        f"<footer>Reference audit by auditor · {esc(tally)} · registry data as of the "
        "generation date; this report checks the references, not the training's content."
        "</footer>",
        f"</main><script>{SCRIPT}</script></body></html>\n",
    ])
