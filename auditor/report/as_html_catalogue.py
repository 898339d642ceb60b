"""HTML for a catalogue: one self-contained page comparing many trainings.

The same rules as the single report (as_html): no external asset, every string escaped —
training names are file paths chosen by users —, one small script that reads only the page,
a print stylesheet. A comparison table (one row per training, sortable by its headers, already
in the asked order without script) links each training to its own section: the policy box, the
scorecard cards and the training's problem references only (errors and warnings; the clean ones
are counted, not listed, so that 500 trainings of 100 references stay a page a browser opens).
Every id is prefixed per training (`t3-ref-smith2020`): two trainings may share a citation key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from auditor._version import __version__
from auditor.i18n import LANGUAGE, _, in_language, n_
from auditor.report.comparison import ALARMS, SHOWN, Shown, shown_value
from auditor.report.headline import catalogue_line, run_sentence
from auditor.report.html_assets import SCRIPT, STYLE
from auditor.report.html_charts import esc
from auditor.report.html_parts import (
    Anchors,
    cards,
    input_problems,
    legend,
    pct,
    policy_box,
    reference_row,
    reference_table,
    settings_line,
    shown_counter,
)
from auditor.report.ordering import OK_GROUP, group, ordered
from auditor.report.words import OUTCOME_WORDS, skip_reason, words, years
from auditor.vocabulary import Outcome

if TYPE_CHECKING:
    from auditor.catalogue import Catalogue
    from auditor.report import Report

PROBLEM_GROUPS = OK_GROUP  # ordering.group(): the groups before it are problems to look at

# The single report's stylesheet, its reference-table rules applied to every training's
# table (ids are unique per page, so the table is a class here), plus the catalogue's parts.
EXTRA_STYLE = """
.summary-box{margin-top:4px}
.summary-box .keys{max-height:5.2em}
#trainings{width:100%;background:#fff;font-size:13px}
#trainings th,#trainings td{padding:5px 8px;border-top:1px solid var(--line);text-align:left;
vertical-align:top}
#trainings thead th{position:sticky;top:0;z-index:1;background:#eef1f4;font-size:12px;
border-bottom:2px solid #8d99a6}
#trainings td.num,#trainings th.num{text-align:right;white-space:nowrap}
#trainings td.name{overflow-wrap:anywhere;min-width:220px;max-width:420px}
#trainings tr.failed td{background:#fff6f5} #trainings tr.incomplete td{background:#fffbef}
#trainings td.warn{color:var(--warn);font-weight:700}
#trainings td.bad{color:var(--bad);font-weight:700}
#trainings td.verdict{min-width:90px} #trainings td.verdict small{white-space:nowrap}
#trainings small{display:block;color:var(--muted);font-size:11px;overflow-wrap:anywhere}
.skipped td{overflow-wrap:anywhere}
.training{margin-top:38px;padding-top:14px;border-top:3px solid var(--ink)}
.training>h2{margin:0 0 2px;font-size:21px;overflow-wrap:anywhere}
.training>h2 .tag{font-size:13px;vertical-align:middle;margin-right:8px}
.training .policy{margin:10px 0 12px;padding:8px 16px} .training .policy h2{font-size:17px}
.training h3{margin:18px 0 6px} .training .clean{margin:8px 0 0}
.back{font-size:12.5px;margin:0}
@media print{#trainings{font-size:7.5pt} #trainings thead th{position:static;font-size:7.5pt}
#trainings th,#trainings td{padding:2px 4px} .training{break-before:page;border-top:0}
.back{display:none} .summary-box .keys{max-height:none}}
"""
STYLE_CATALOGUE = STYLE + EXTRA_STYLE

def _cell(row: dict[str, Any], column: Shown, target: str) -> str:
    """One comparison cell: the figure as words, its number in data-sort for the script."""
    value = shown_value(row, column)
    sort = "" if value is None else f"{value:g}" if isinstance(value, float) else str(value)
    if column.kind == "text":
        return f'<td class="name"><a href="#{target}">{esc(in_language(value))}</a></td>'
    if column.kind == "policy":
        if value == Outcome.PASSED:
            return f'<td class="verdict" data-sort="2">{esc(_("passed"))}</td>'
        if value == Outcome.INCOMPLETE:
            share = f"{(row['checked_share'] or 0) * 100:.0f} %"
            return (f'<td class="verdict warn" data-sort="1">{esc(_("INCOMPLETE"))}'
                    f"<small>{esc(_('{pct} checked').format(pct=share))}</small></td>")
        rules = "".join(f"<small>{esc(rule)}</small>" for rule in row["failures"].split("; "))
        return f'<td class="verdict bad" data-sort="0">{esc(_("FAILED"))}{rules}</td>'
    if column.kind == "guidelines":
        outdated = row["outdated_guidelines"]
        return f'<td class="num" data-sort="{sort}">{value} ({outdated})</td>'
    text = {"share": pct, "years": years}.get(column.kind,
                                              lambda v: "—" if v is None else str(v))(value)
    tone = " bad" if column.field in ALARMS and value else ""
    return f'<td class="num{tone}" data-sort="{esc(sort)}">{esc(text)}</td>'


def _comparison(ordered_rows: list[tuple[int, dict[str, Any]]], sort: str | None) -> str:
    sorted_field = (sort or "").lstrip("-")
    direction = "descending" if (sort or "").startswith("-") else "ascending"
    heads = []
    for column in SHOWN:
        cls = ' class="num"' if column.kind not in ("text", "policy") else ""
        state = f' aria-sort="{direction}"' if column.field == sorted_field else ""
        heads.append(f'<th scope="col"{cls}{state}>{esc(_(column.heading))}</th>')
    body = []
    for index, row in ordered_rows:
        tds = "".join(_cell(row, column, f"t{index}") for column in SHOWN)
        look = {Outcome.FAILED: "failed", Outcome.INCOMPLETE: "incomplete"}.get(row["outcome"], "")
        body.append(f'<tr class="{look}">{tds}</tr>')
    order = _("One row per training, sorted by {field}").format(field=sort) if sort \
        else _("One row per training")
    return ('<section aria-labelledby="cmp-h"><h2 id="cmp-h">' + esc(_("Comparison")) + "</h2>"
            '<p class="muted">' + esc(_(
                "{order}; the name leads to the training's section. The peer-review and "
                "recency shares and the ages leave out retracted, withdrawn and removed works "
                "(the resolved share counts every reference); L1–L5 are OCEBM 2011 levels from "
                "the design labels (not GRADE).").format(order=order)) + "</p>"
            f'<p class="tools" id="tools" hidden><label>{esc(_("Filter"))} <input '
            'type="search" id="filter" data-table="trainings" data-match="first" '
            f'placeholder="{esc(_("training name…"))}"></label> '
            f'{shown_counter()} · {esc(_("click a column header to sort"))}</p>'
            '<div class="wrap"><table id="trainings" class="js-sort">'
            f'<thead><tr>{"".join(heads)}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div></section>')


def _problem_rows(report: Report, anchors: Anchors) -> tuple[str, int]:
    """The training's problem references (errors, warnings), problems first, as the single
    report's table rows; and the number of clean ones left out."""
    shown = [(i, v) for i, v in ordered(report.references) if group(v) < PROBLEM_GROUPS]
    rows = "".join(reference_row(i, v, anchors.rows[i]) for i, v in shown)
    return rows, len(report.references) - len(shown)


def _training(index: int, report: Report) -> str:
    prefix = f"t{index}-"
    anchors = Anchors(report, prefix)
    # Only the rows on the page can be linked to: a key of a clean reference stays plain text.
    shown = {anchors.rows[i] for i, v in enumerate(report.references)
             if group(v) < PROBLEM_GROUPS}
    anchors.ids = {}
    for i, v in enumerate(report.references):
        if anchors.rows[i] in shown:
            anchors.ids.setdefault(v.key, anchors.rows[i])
    for i, p in enumerate(report.problems):
        anchors.ids.setdefault(f"{p.source.file}:{p.source.line}", f"{prefix}input-{i + 1}")
    rows, clean = _problem_rows(report, anchors)
    problems = len(report.references) - clean
    name = ", ".join(map(in_language, report.inputs))
    tone = {Outcome.PASSED: "good", Outcome.FAILED: "bad"}.get(report.outcome, "warn")
    tag = f'<span class="tag {tone}">{esc(words(OUTCOME_WORDS, report.outcome))}</span>'
    s = report.summary
    lead = (n_("{n} reference", "{n} references", s.references).format(n=s.references)
            + _(", {with_doi} with a DOI; {problems} with an error or a warning listed below")
            .format(with_doi=s.with_doi, problems=problems))
    if rows:
        table = f'<div class="wrap">{reference_table(rows)}</div>'
    else:
        table = f'<p class="good">{esc(_("No reference with an error or a warning."))}</p>'
    clean_line = ('<p class="muted clean">' + esc(n_(
        "{n} clean reference (no error, no warning) not shown: audit this file alone for the "
        "full list with charts.", "{n} clean references (no error, no warning) not shown: "
        "audit this file alone for the full list with charts.", clean).format(n=clean))
        + "</p>" if clean else "")
    return (f'<section class="training" id="t{index}" aria-labelledby="{prefix}h">'
            f'<h2 id="{prefix}h">{tag}{esc(name)}</h2>'
            f'<p class="muted">{esc(lead)}</p>'
            f'<p class="back"><a href="#cmp-h">{esc(_("↑ back to the comparison"))}</a></p>'
            f"{policy_box(report, anchors, compact=True)}{cards(report, anchors)}"
            f'<h3 id="{prefix}refs-h">' + esc(_("Problem references ({n} of {total})").format(
                n=problems, total=s.references)) + "</h3>"
            f"{table}{clean_line}{input_problems(report, prefix)}</section>")


def _header(catalogue: Catalogue, failed: list[tuple[int, dict[str, Any]]]) -> str:
    trainings, s = catalogue.trainings, catalogue.settings
    references, with_doi = catalogue.references, catalogue.with_doi
    meta = [(_("Trainings"), str(len(trainings))),
            (_("References"), _("{n} ({with_doi} with a DOI)").format(n=references,
                                                                       with_doi=with_doi)),
            (_("As of"), s.as_of.isoformat()),
            (_("Recent"), _("at most {years} years old at the as-of date").format(
                years=s.recent_years)),
            (_("Tool"), f"auditor {__version__}"),
            (_("Generated"), catalogue.generated_at.strftime("%Y-%m-%d %H:%M:%S UTC"))]
    dl = "".join(f"<div><dt>{esc(k)}</dt><dd>{esc(v)}</dd></div>" for k, v in meta)
    sub = catalogue_line([t.outcome for t in trainings], references, len(catalogue.skipped))
    incomplete = [(i, row) for i, row in catalogue.ordered()
                  if row["outcome"] == Outcome.INCOMPLETE]
    if failed or incomplete:
        state = "fail" if failed else "incomplete"
        lines = []
        for rows, sentence in ((failed, _("✗ {n} of {total} trainings FAILED the policy")),
                               (incomplete, _("? {n} of {total} trainings could not be "
                                              "checked enough (INCOMPLETE)"))):
            if rows:
                links = ", ".join(f'<a href="#t{i}">{esc(in_language(row["training"]))}</a>'
                                  for i, row in rows)
                lines.append(f"<h2>{esc(sentence.format(n=len(rows), total=len(trainings)))}"
                             f'</h2><p class="keys">{links}</p>')
        box = (f'<section class="policy {state} summary-box" aria-labelledby="verdict-h">'
               f'<span id="verdict-h" hidden>{esc(_("Outcome"))}</span>{"".join(lines)}')
    else:
        passed_all = n_("✓ The training passed the policy", "✓ All {n} trainings passed the policy",
                        len(trainings)).format(n=len(trainings))
        box = ('<section class="policy pass summary-box" aria-labelledby="verdict-h">'
               f'<h2 id="verdict-h">'
               f'{esc(passed_all)}'
               "</h2>")
    box += f'<p class="muted">{esc(settings_line(s))}</p>'
    if catalogue.run.stopped_early:
        box += ('<p class="warning">' + esc(_(
            "Crossref: stopped asking early ({why}); the rest is unchecked — rerun later.")
            .format(why=in_language(catalogue.run.stopped_early))) + "</p>")
    return (f'<header><h1>{esc(_("Catalogue audit"))}</h1><p class="sub">{esc(sub)}</p>'
            f'<dl class="meta">{dl}</dl></header>{box}</section>')


def _skipped(catalogue: Catalogue) -> str:
    if not catalogue.skipped:
        return ""
    rows = "".join(f"<tr><td>{esc(name)}</td><td>{esc(skip_reason(name, why))}</td></tr>"
                   for name, why in catalogue.skipped)
    heading = _("Skipped files ({n})").format(n=len(catalogue.skipped))
    why = _("Not a readable reference list: not audited, in no figure above.")
    return (f'<section aria-labelledby="skipped-h"><h2 id="skipped-h">{esc(heading)}</h2>'
            f'<p class="muted">{esc(why)}</p><table class="problems skipped"><thead><tr>'
            f"<th>{esc(_('File'))}</th><th>{esc(_('Why'))}</th></tr></thead><tbody>{rows}"
            "</tbody></table></section>")


def _run(catalogue: Catalogue) -> str:
    said = _("What the registries were asked for the whole catalogue (each DOI once):")
    return (f'<p class="muted run">{esc(said)} '
            f'{esc(run_sentence(catalogue.run, catalogue.settings.offline))}.</p>')


def render_catalogue(catalogue: Catalogue, sort: str | None = None) -> str:
    """The catalogue as one HTML5 document; `sort` as for Catalogue.rows()."""
    rows = catalogue.ordered(sort)
    failed = [(i, row) for i, row in rows if row["outcome"] == Outcome.FAILED]
    verdict = (_("{n} FAILED").format(n=len(failed)) if failed
               else words(OUTCOME_WORDS, catalogue.outcome))
    n = len(catalogue.trainings)
    title = n_("{n} training", "{n} trainings", n).format(n=n)
    sections = "".join(_training(i, catalogue.trainings[i]) for i, _ in rows)
    return "".join([
        f'<!DOCTYPE html><html lang="{LANGUAGE.get()}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(_('Catalogue audit'))} — {esc(title)} — {esc(verdict)}</title>"
        '<meta name="generator" content="auditor">'
        f"<style>{STYLE_CATALOGUE}</style></head><body><main>",
        _header(catalogue, failed), _comparison(rows, sort), _skipped(catalogue),
        f'<div class="trainings">{sections}</div>',
        legend(catalogue.settings), _run(catalogue),
        "<footer>" + esc(_("Catalogue audit by auditor · registry data as of the generation "
                           "date; this report checks the references, not the trainings' "
                           "content.")) + "</footer>",
        f"</main><script>{SCRIPT}</script></body></html>\n",
    ])
