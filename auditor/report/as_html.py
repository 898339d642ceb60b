"""HTML: one self-contained file (no external assets) with the scorecard, charts and table.

It is the view an accreditation body reads, often offline or on paper: no CDN, no web font, no
remote image; it prints (landscape, rows never cut); every string from the input file or a
registry is escaped, and the few lines of script (sort, filter) read only the page itself.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from auditor._version import __version__
from auditor.i18n import LANGUAGE, _, in_language
from auditor.judge.scorecard import (
    NO_LEVEL,
    PROBLEMS,
    UNREADABLE_ENTRIES,
    problem_key,
)
from auditor.report.headline import run_sentence
from auditor.report.html_assets import SCRIPT, STYLE
from auditor.report.html_charts import (
    esc,
    evidence_chart,
    kinds_chart,
    year_histogram,
)
from auditor.report.html_parts import (
    Anchors,
    input_problems,
    legend,
    policy_box,
    reference_row,
    reference_table,
    shown_counter,
)
from auditor.report.html_parts import cards as score_cards
from auditor.report.ordering import GONE, check_word, ordered
from auditor.report.words import (
    DESIGN_WORDS,
    KIND_WORDS,
    OUTCOME_WORDS,
    PEER_REVIEW_WORDS,
    PROBLEM_WORDS,
    RECOMMENDATION_WORDS,
    SIGNAL_WORDS,
    STATUS_WORDS,
    words,
)
from auditor.vocabulary import GONE_STATUSES, Condition

if TYPE_CHECKING:
    from auditor.report import Report

_K = problem_key
SERIOUS = {*map(_K, GONE_STATUSES), _K(Condition.NOT_FOUND), _K(Condition.MISMATCH),
           _K(Condition.INVALID_DOI), UNREADABLE_ENTRIES}


# ---- header, policy, scorecard -------------------------------------------------------------

def _header(report: Report) -> str:
    s = report.settings
    rows = [(_("Inputs"), ", ".join(map(in_language, report.inputs)) or "—"),
            (_("As of"), s.as_of.isoformat()),
            (_("Recent"), _("at most {years} years old at the as-of date").format(
                years=s.recent_years)),
            (_("Tool"), f"auditor {__version__}"),
            (_("Generated"), report.generated_at.strftime("%Y-%m-%d %H:%M:%S UTC"))]
    meta = "".join(f"<div><dt>{esc(k)}</dt><dd>{esc(v)}</dd></div>" for k, v in rows)
    return (f'<header><h1>{esc(_("Reference audit"))}</h1>'
            f'<p class="sub headline">{esc(report.headline)}</p>'
            f'<dl class="meta">{meta}</dl></header>')


def _mini(title: str, counts: dict[str, int], table: dict[str, str] | None = None) -> str:
    rows = "".join(f"<tr><td>{esc(words(table, k) if table else k)}</td>"
                   f'<td class="num">{n}</td></tr>' for k, n in counts.items()) or \
        f'<tr><td colspan="2" class="muted">{esc(_("none"))}</td></tr>'
    return f'<table class="mini"><caption>{esc(title)}</caption>{rows}</table>'


def _breakdowns(report: Report) -> str:
    s = report.summary
    levels = {(_("no evidence level") if k == NO_LEVEL else
               _("evidence level {level}").format(level=k)): n for k, n in s.ocebm_levels.items()}
    statuses = {(_("not checked") if k not in STATUS_WORDS else words(STATUS_WORDS, k)): n
                for k, n in s.statuses.items()}
    signals = {words(SIGNAL_WORDS, k): n for k, n in s.peer_review_signals.items()}
    return '<div class="minis">' + "".join([
        _mini(_("Age bands (years)"), s.age_bands), _mini(_("Kinds"), s.kinds, KIND_WORDS),
        _mini(_("Peer review"), s.peer_review, PEER_REVIEW_WORDS),
        _mini(_("Journal articles: what their peer review rests on"), signals),
        _mini(_("Notices"), statuses), _mini(_("Designs"), s.designs, DESIGN_WORDS),
        _mini(_("Evidence levels (OCEBM)"), levels),
        _mini(_("Recommendations"), s.recommendations, RECOMMENDATION_WORDS),
    ]) + "</div>"


def _problems_table(report: Report, anchors: Anchors) -> str:
    found = report.summary.problem_references
    names = [n for n in (*PROBLEMS, UNREADABLE_ENTRIES) if found.get(n)]
    names += [n for n in found if n not in names]
    if not names:
        return f'<p class="good">{esc(_("No problem counted."))}</p>'
    rows = "".join(
        f'<tr class="{"bad" if n in SERIOUS else ""}"><th scope="row">'
        f'{esc(_problem_word(n, report))}</th><td class="num">{len(found[n])}</td>'
        f"<td>{anchors.keys(found[n])}</td></tr>" for n in names)
    return (f'<table class="problems"><thead><tr><th>{esc(_("Problem"))}</th>'
            f'<th>{esc(_("Count"))}</th><th>{esc(_("References"))}</th></tr></thead>'
            f"<tbody>{rows}</tbody></table>")


def _problem_word(name: str, report: Report) -> str:
    word = _(PROBLEM_WORDS[name]) if name in PROBLEM_WORDS else \
        name.replace("_", " ").capitalize()
    if name == _K(Condition.NOT_RECENT):
        word += _(" (more than {years} years old)").format(years=report.settings.recent_years)
    if name == _K(Condition.OUTDATED_GUIDELINE):
        word += _(" (more than {years} years old)").format(
            years=report.settings.guideline_years)
    return word


def _scorecard(report: Report, anchors: Anchors) -> str:
    return (f'<section aria-labelledby="score-h"><h2 id="score-h">{esc(_("Scorecard"))}</h2>'
            f"{score_cards(report, anchors)}{_breakdowns(report)}"
            f'<h3>{esc(_("Problems and the references behind them"))}</h3>'
            f"{_problems_table(report, anchors)}</section>")


def _charts(report: Report) -> str:
    s, refs = report.summary, report.references
    levels = {v.evidence.design: v.evidence.ocebm_level for v in refs}
    cut = report.settings.as_of.year - report.settings.recent_years
    figures = [
        ("wide", year_histogram(s.years, report.settings.as_of.year,
                                report.settings.recent_years),
         _("Publication years of the {n} references with a year; the dashed line marks the "
           "recency cut-off ({cut}).").format(n=sum(s.years.values()), cut=cut)),
        ("", kinds_chart((v.kind, v.peer_review) for v in refs if v.status not in GONE),
         _("Kind of every reference, split by its peer-review class (legend above; retracted, "
           "withdrawn and removed works left out, as in the scorecard).")),
        ("", evidence_chart(s.designs, s.ocebm_levels, levels),
         _("Study designs from the title, journal and PubMed (retracted works left out), with "
           "their evidence level (OCEBM 2011: 1 strongest, 5 weakest); {n} guideline or "
           "recommendation documents, {old} outdated. Not a GRADE rating.").format(
             n=s.guidelines, old=s.outdated_guidelines)),
    ]
    body = "".join(f'<figure class="{cls}">{svg}<figcaption>{esc(cap)}</figcaption></figure>'
                   for cls, svg, cap in figures)
    return (f'<section aria-labelledby="charts-h"><h2 id="charts-h">{esc(_("Charts"))}</h2>'
            f'<div class="figures">{body}</div></section>')


# ---- the reference table -------------------------------------------------------------------


def _table(report: Report, anchors: Anchors) -> str:
    rows = "".join(reference_row(i, v, anchors.rows[i]) for i, v in ordered(report.references))
    return ('<section aria-labelledby="refs-h"><h2 id="refs-h">'
            + esc(_("References ({n})").format(n=len(report.references))) + "</h2>"
            '<p class="muted">' + esc(_(
                "Problems first: retracted, withdrawn or removed; DOI not found; DOI leading to "
                "another work; other errors; warnings; then the rest, each group in the order "
                "of the input.")) + "</p>"
            f'<p class="tools" id="tools" hidden><label>{esc(_("Filter"))} <input '
            f'type="search" id="filter" data-table="refs" '
            f'placeholder="{esc(_("key, title, words…"))}"></label> '
            f'{shown_counter()} · '
            f'{esc(_("click a column header to sort"))}'
            f'</p><div class="wrap">{reference_table(rows, "refs")}</div></section>')


def _run(report: Report) -> str:
    return (f'<p class="muted run">{esc(_("What the registries were asked:"))} '
            f'{esc(run_sentence(report.run, report.settings.offline))}.</p>')


def render(report: Report) -> str:
    """The report as one HTML5 document."""
    anchors = Anchors(report)
    verdict = words(OUTCOME_WORDS, report.outcome)
    inputs = ", ".join(map(in_language, report.inputs))
    tally = ", ".join(f"{k} {n}" for k, n in Counter(check_word(v)
                                                     for v in report.references).items())
    return "".join([
        f'<!DOCTYPE html><html lang="{LANGUAGE.get()}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(_('Reference audit'))} — {esc(inputs)} — {esc(verdict)}</title>"
        f'<meta name="generator" content="auditor">'
        f"<style>{STYLE}</style></head><body><main>",
        _header(report), policy_box(report, anchors), _scorecard(report, anchors),
        _charts(report), _table(report, anchors), input_problems(report),
        legend(report.settings),
        _run(report),
        "<footer>" + esc(_("Reference audit by auditor · {tally} · registry data as of the "
                           "generation date; this report checks the references, not the "
                           "training's content.").format(tally=tally)) + "</footer>",
        f"</main><script>{SCRIPT}</script></body></html>\n",
    ])
