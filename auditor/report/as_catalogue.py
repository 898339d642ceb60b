"""A catalogue's reports: the comparison of trainings as a terminal table, CSV (one row per
training), Markdown, JSON and HTML (each training linked to its own section)."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from auditor.report.as_csv import neutralise
from auditor.report.as_markdown import escape, summary_sentence

if TYPE_CHECKING:
    from auditor.catalogue import Catalogue

# Terminal and Markdown columns: (heading, row field, kind of value).
SHOWN = (("Training", "training", "text"), ("Refs", "references", "int"),
         ("Resolved", "resolved_share", "share"), ("Peer rev.", "peer_reviewed_share", "share"),
         ("Recent", "recent_share", "share"), ("Median age", "median_age", "years"),
         ("Retracted", "retracted", "int"), ("Not found", "not_found", "int"),
         ("L1", "level_1", "int"), ("L2", "level_2", "int"), ("L3", "level_3", "int"),
         ("L4–5", "level_4_5", "int"), ("Guidelines (old)", "guidelines_old", "text"),
         ("Preprints", "preprints", "int"), ("Policy", "policy", "text"))


_SHOWN_FIELDS = [f for _, f, _ in SHOWN]


def _cells(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "level_4_5": row["level_4"] + row["level_5"],
            "guidelines_old": f"{row['guidelines']} ({row['outdated_guidelines']})",
            "policy": ("FAILED: " + row["failures"]) if not row["passed"] else
            "passed" + (f" (warnings: {row['warnings']})" if row["warnings"] else "")}


def _format(value: Any, kind: str) -> str:
    if value is None:
        return "—"
    if kind == "share":
        return f"{value * 100:.0f} %"
    if kind == "years":
        return f"{value:g} y"
    return str(value)


def render(catalogue: Catalogue, fmt: str, sort: str | None = None, color: bool = False,
           width: int | None = None) -> str:
    if fmt == "json":
        return catalogue.to_json() + "\n"
    if fmt == "csv":
        return as_csv(catalogue, sort)
    if fmt == "markdown":
        return as_markdown(catalogue, sort)
    if fmt == "html":
        from auditor.report.as_html_catalogue import render_catalogue

        return render_catalogue(catalogue, sort)
    if fmt == "table":
        return as_table(catalogue, sort, color, width)
    raise ValueError(f"unknown format {fmt!r}")


def as_csv(catalogue: Catalogue, sort: str | None = None) -> str:
    """One row per training, the columns of auditor.catalogue.COLUMNS."""
    from auditor.catalogue import COLUMNS

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
    failed = sum(not t.passed for t in trainings)
    lines = [f"**{len(trainings)} trainings, {sum(t.summary.references for t in trainings)} "
             f"references; {failed} failed the policy.**", "",
             "| " + " | ".join(h for h, _, _ in SHOWN) + " |", "|" + "---|" * len(SHOWN)]
    rows = catalogue.rows(sort)
    for row in map(_cells, rows):
        lines.append("| " + " | ".join(escape(_format(row[f], kind)) for _, f, kind in SHOWN)
                     + " |")
    lines += ["", "### Each training", ""]
    # rows() keeps one row per training; sorted rows are matched back by training name
    by_name = {row["training"]: report for row, report in zip(catalogue.rows(), trainings,
                                                                strict=True)}
    for row in rows:
        report = by_name[row["training"]]
        lines.append(f"- **{escape(row['training'])}** — {escape(summary_sentence(report))}")
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
    table = Table(title=f"Trainings ({len(trainings)})" + (f", sorted by {sort}" if sort else ""),
                  title_justify="left", header_style="bold")
    for heading, _, kind in SHOWN:
        table.add_column(heading, justify="left" if kind == "text" else "right",
                         overflow="fold", max_width=40 if heading == "Training" else None)
    for row in map(_cells, catalogue.rows(sort)):
        cells = [Text(_format(row[f], kind)) for _, f, kind in SHOWN]
        if not row["passed"]:
            cells[-1].stylize("bold red")
        if row["retracted"]:
            cells[_SHOWN_FIELDS.index("retracted")].stylize("bold red")
        table.add_row(*cells)
    console.print(table)
    failed = [t for t in trainings if not t.passed]
    console.print(Text(f"\n{len(trainings)} trainings, "
                       f"{sum(t.summary.references for t in trainings)} references; "
                       f"{len(failed)} failed the policy", style="bold"))
    for report in failed:
        for failure in report.policy_failures:
            console.print(Text(f"  {report.inputs[0]}: {failure.rule}: {failure.message}"))
    for name, why in catalogue.skipped:
        console.print(Text(f"  skipped {name}: {why}", style="yellow"))
    return buffer.getvalue()
