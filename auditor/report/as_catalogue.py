"""A catalogue's reports: the comparison of trainings as a terminal table, CSV (one row per
training), Markdown, JSON and HTML (each training linked to its own section)."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from auditor.i18n import _, in_language, labelled, n_
from auditor.report.as_csv import neutralise
from auditor.report.as_markdown import escape, summary_sentence
from auditor.report.as_table import print_hanging
from auditor.report.comparison import ALARMS, COLUMNS, SHOWN, Shown, shown_value
from auditor.report.headline import catalogue_line
from auditor.report.words import DASH, skip_reason, years
from auditor.vocabulary import Outcome

if TYPE_CHECKING:
    from auditor.catalogue import Catalogue
    from auditor.report import Report


def _count_rules(rules: str) -> int:
    return len(rules.split("; ")) if rules else 0


def _format(row: dict[str, Any], column: Shown) -> str:
    """A shown cell as plain text: `80 %`, `7 years`, `3 (1)` recommendations with the
    outdated ones, `FAILED (2 rules)`, `INCOMPLETE (40 % checked)` or `passed (1 warning)`;
    the rules themselves are said in words below the table."""
    value = shown_value(row, column)
    if column.kind == "policy":
        if value == Outcome.FAILED:
            n = _count_rules(row["failures"])
            return n_("FAILED ({n} rule)", "FAILED ({n} rules)", n).format(n=n)
        if value == Outcome.INCOMPLETE:
            return _("INCOMPLETE ({pct} checked)").format(
                pct=f"{(row['checked_share'] or 0) * 100:.0f} %")
        n = _count_rules(row["warnings"])
        return _("passed") + (n_(" ({n} warning)", " ({n} warnings)", n).format(n=n) if n
                              else "")
    if column.kind == "guidelines":
        return f"{value} ({row['outdated_guidelines']})"
    if column.kind == "text":  # a training's name: a pasted list's, translated
        return in_language(value) if value is not None else DASH
    if value is None:
        return DASH
    if column.kind == "share":
        return f"{value * 100:.0f} %"
    if column.kind == "years":
        return years(value)
    return str(value)


def _what_failed(report: Report) -> list[str]:
    """The broken rules and the incomplete outcome of one training, in words."""
    said = [_("Fails: ") + f.message for f in report.policy_failures]
    if report.policy.incomplete:
        said.append(report.policy.incomplete)
    return said


def as_csv(catalogue: Catalogue, sort: str | None = None) -> str:
    """One row per training, the columns of report/comparison.COLUMNS."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in catalogue.rows(sort):
        writer.writerow({k: neutralise("" if v is None else
                                       str(v).lower() if isinstance(v, bool) else v)
                         for k, v in row.items()})
    return buffer.getvalue()


def as_markdown(catalogue: Catalogue, sort: str | None = None) -> str:
    trainings = catalogue.trainings
    ordered = catalogue.ordered(sort)
    line = catalogue_line([t.outcome for t in trainings], catalogue.references,
                          len(catalogue.skipped))
    lines = [f"**{escape(line)}**", "",
             "| " + " | ".join(_(c.heading) for c in SHOWN) + " |", "|" + "---|" * len(SHOWN)]
    for _index, row in ordered:
        lines.append("| " + " | ".join(escape(_format(row, c)) for c in SHOWN) + " |")
    lines += ["", "### " + _("Each training"), ""]
    for index, row in ordered:
        lines.append(f"- **{escape(in_language(row['training']))}** — "
                     f"{escape(summary_sentence(trainings[index]))}")
        lines += [f"  - {escape(said)}" for said in _what_failed(trainings[index])]
    if catalogue.skipped:
        lines += ["", _("Skipped (not a readable reference list):"), ""]
        lines += ["- " + labelled(escape(name), escape(skip_reason(name, why)))
                  for name, why in catalogue.skipped]
    return "\n".join(lines) + "\n"


def _fitting(rows: list[dict[str, Any]], width: int) -> list[Shown]:
    """The shown columns that fit `width`: all at their natural widths when they can, else
    without the ones of highest priority number (levels first, the outcome never)."""
    def natural(column: Shown) -> int:
        heading = len(_(column.heading))
        widest = max([heading, *(len(_format(row, column)) for row in rows)])
        return min(widest, 40) if column.kind == "text" else widest

    shown = list(SHOWN)
    for column in sorted(SHOWN, key=lambda c: c.priority, reverse=True):
        if sum(natural(c) + 2 for c in shown) <= width or column.priority == 0:
            break
        shown.remove(column)
    return shown


def as_table(catalogue: Catalogue, sort: str | None = None, color: bool = False,
             width: int | None = None) -> str:
    buffer = io.StringIO()
    width = width or 100
    console = Console(file=buffer, force_terminal=color, no_color=not color, width=width,
                      highlight=False, soft_wrap=False)
    trainings = catalogue.trainings
    ordered = catalogue.ordered(sort)
    shown = _fitting([row for _index, row in ordered], width)
    table = Table(title=_("Trainings ({n})").format(n=len(trainings))
                  + (_(", sorted by {column}").format(column=sort) if sort else ""),
                  title_justify="left", header_style="bold", box=box.SIMPLE_HEAD,
                  pad_edge=False, padding=(0, 1))
    for column in shown:
        table.add_column(_(column.heading), justify="right" if column.kind in (
            "count", "share", "years") else "left", overflow="fold",
            max_width=40 if column.kind == "text" else None)
    for _index, row in ordered:
        cells = []
        for column in shown:
            cell = Text(_format(row, column))
            if (column.kind == "policy" and row["outcome"] != Outcome.PASSED) or (
                    column.field in ALARMS and row[column.field]):
                cell.stylize("bold red")
            cells.append(cell)
        table.add_row(*cells)
    console.print(table)
    left_out = [_(c.heading) for c in SHOWN if c not in shown]
    if left_out:
        console.print(Text(_("(a wider terminal also shows: {columns})").format(
            columns=", ".join(left_out)), style="dim"))
    console.print(Text("\n" + catalogue_line([t.outcome for t in trainings],
                                              catalogue.references, len(catalogue.skipped)),
                       style="bold"))
    for index, row in ordered:
        for said in _what_failed(trainings[index]):
            print_hanging(console, Text(labelled(f"  {in_language(row['training'])}", said)))
    for name, why in catalogue.skipped:
        print_hanging(console, Text("  " + _("skipped {name}: {why}").format(
            name=name, why=skip_reason(name, why)), style="yellow"))
    return buffer.getvalue()
