"""A catalogue's reports: the comparison of trainings as a terminal table, CSV (one row per
training), Markdown, JSON and HTML (each training linked to its own section)."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from auditor.i18n import _
from auditor.report.as_csv import neutralise
from auditor.report.as_markdown import escape, summary_sentence
from auditor.report.comparison import ALARMS, COLUMNS, SHOWN, Shown, shown_value
from auditor.report.headline import catalogue_line
from auditor.vocabulary import Outcome

if TYPE_CHECKING:
    from auditor.catalogue import Catalogue


def _format(row: dict[str, Any], column: Shown) -> str:
    """A shown cell as plain text: `80 %`, `7 y`, `3 (1)` guidelines with the outdated ones,
    `FAILED: fail_on:retracted`, `INCOMPLETE (40 % checked)` or `passed (warnings: …)`."""
    value = shown_value(row, column)
    if column.kind == "policy":
        if value == Outcome.FAILED:
            return _("FAILED: ") + row["failures"]
        if value == Outcome.INCOMPLETE:
            return _("INCOMPLETE ({pct} checked)").format(
                pct=f"{(row['checked_share'] or 0) * 100:.0f} %")
        return _("passed") + (_(" (warnings: {rules})").format(rules=row["warnings"])
                              if row["warnings"] else "")
    if column.kind == "guidelines":
        return f"{value} ({row['outdated_guidelines']})"
    if value is None:
        return "—"
    if column.kind == "share":
        return f"{value * 100:.0f} %"
    if column.kind == "years":
        return f"{value:g} y"
    return str(value)


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
             "| " + " | ".join(c.heading for c in SHOWN) + " |", "|" + "---|" * len(SHOWN)]
    for _index, row in ordered:
        lines.append("| " + " | ".join(escape(_format(row, c)) for c in SHOWN) + " |")
    lines += ["", "### Each training", ""]
    for index, row in ordered:
        lines.append(f"- **{escape(row['training'])}** — "
                     f"{escape(summary_sentence(trainings[index]))}")
    if catalogue.skipped:
        lines += ["", "Skipped (not a readable reference list):", ""]
        lines += [f"- {escape(name)}: {escape(why)}" for name, why in catalogue.skipped]
    return "\n".join(lines) + "\n"


def as_table(catalogue: Catalogue, sort: str | None = None, color: bool = False,
             width: int | None = None) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, no_color=not color, width=width or 160,
                      highlight=False, soft_wrap=False)
    trainings = catalogue.trainings
    table = Table(title=_("Trainings ({n})").format(n=len(trainings))
                  + (_(", sorted by {column}").format(column=sort) if sort else ""),
                  title_justify="left", header_style="bold")
    for column in SHOWN:
        table.add_column(column.heading, justify="right" if column.kind in (
            "count", "share", "years") else "left", overflow="fold",
            max_width=40 if column.kind == "text" else None)
    for _index, row in catalogue.ordered(sort):
        cells = []
        for column in SHOWN:
            cell = Text(_format(row, column))
            if (column.kind == "policy" and row["outcome"] != Outcome.PASSED) or (
                    column.field in ALARMS and row[column.field]):
                cell.stylize("bold red")
            cells.append(cell)
        table.add_row(*cells)
    console.print(table)
    console.print(Text("\n" + catalogue_line([t.outcome for t in trainings],
                                              catalogue.references, len(catalogue.skipped)),
                       style="bold"))
    for report in trainings:
        for failure in report.policy_failures:
            console.print(Text(f"  {report.inputs[0]}: {failure.message}"))
        if report.outcome == Outcome.INCOMPLETE:
            console.print(Text(f"  {report.inputs[0]}: {report.policy.incomplete}"))
    for name, why in catalogue.skipped:
        console.print(Text(f"  skipped {name}: {why}", style="yellow"))
    return buffer.getvalue()
