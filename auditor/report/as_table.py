"""The terminal report: one row per reference, then the findings, problems and the scorecard."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from auditor.model import Verdict
    from auditor.report import Report

STYLE = {
    "retracted": "bold red", "withdrawn": "bold red", "removed": "bold red",
    "partially-retracted": "red", "expression-of-concern": "yellow", "corrected": "cyan",
    "not-found": "red", "mismatch": "red", "unchecked": "yellow", "no-identifier": "dim",
    "verified": "green", "matched": "green",
    "peer-reviewed": "green", "not-peer-reviewed": "yellow", "unknown": "dim",
    "error": "red", "warning": "yellow", "info": "dim",
}


def _cell(value: object, style_key: str | None = None) -> Text:
    text = "—" if value is None or value == "" else str(value)
    return Text(text, style=STYLE.get(style_key or text, ""))


def _pct(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.0f} %"


def _evidence(v: Verdict) -> Text:
    """`meta-analysis L1`, `guideline`, `RCT L2 · guideline`; a dash when not determined."""
    e = v.evidence
    parts = []
    if e.design != "not-determined":
        label = {"randomised-trial": "RCT", "systematic-review": "syst. review"}.get(
            e.design, e.design.replace("-", " "))
        parts.append(f"{label} L{e.ocebm_level}" if e.ocebm_level else label)
    if e.guideline:
        parts.append("guideline")
    return Text(" · ".join(parts) or "—", style="" if parts else "dim")


def _identifier(v: Verdict) -> Text:
    """The DOI (the matched one, marked), else the ISBN, else a dash."""
    if v.match is not None and v.match.applied:
        return Text(f"{v.match.doi} (matched)", style="green", overflow="fold")
    if v.reference.doi:
        return Text(v.reference.doi, overflow="fold")
    if v.reference.isbn:
        return Text(f"ISBN {v.reference.isbn}", style="dim", overflow="fold")
    return Text("—", style="dim")


def _row(v: Verdict) -> list[Text]:
    age = _cell(v.age_years)
    if v.recent is False:
        age.stylize("yellow")
    return [
        Text(v.key, overflow="fold"),
        _cell(v.year),
        age,
        _cell(v.kind),
        _cell(v.peer_review),
        _cell(v.status if v.status != "ok" else "ok", v.status),
        _cell(v.resolution),
        _evidence(v),
        _identifier(v),
    ]


def render(report: Report, color: bool = False, width: int | None = None) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, no_color=not color,
                      width=width or 140, highlight=False, soft_wrap=False)
    table = Table(title=f"References ({len(report.references)})", title_justify="left",
                  show_lines=False, header_style="bold")
    for name, opts in (("Key", {"max_width": 30}), ("Year", {"justify": "right"}),
                       ("Age", {"justify": "right"}), ("Kind", {}), ("Peer review", {}),
                       ("Status", {}), ("Resolution", {}), ("Evidence", {"max_width": 24}),
                       ("DOI / ISBN", {"max_width": 40})):
        table.add_column(name, **opts)
    for verdict in report.references:
        table.add_row(*_row(verdict))
    console.print(table)

    noteworthy = [(v, f) for v in report.references for f in v.findings
                  if f.severity in ("error", "warning")]
    if noteworthy:
        console.print(Text("\nFindings", style="bold"))
        for v, f in noteworthy:
            line = Text(f"  {v.reference.source.file}:{v.reference.source.line} ")
            line.append(f"{f.code} {f.name}", style=STYLE[f.severity])
            line.append(f"  [{v.key}] {f.message}")
            console.print(line)
    if report.problems:
        console.print(Text("\nInput problems", style="bold"))
        for p in report.problems:
            line = Text(f"  {p.source.file}:{p.source.line} ")
            line.append(f"{p.finding.code} {p.finding.name}", style=STYLE[p.finding.severity])
            line.append(f"  {p.finding.message}")
            console.print(line)

    s = report.summary
    console.print(Text("\nSummary", style="bold"))
    console.print(f"  references {s.references} · with DOI {s.with_doi} · resolved {s.resolved}"
                  f" · unchecked {s.unchecked} · not found {s.not_found}"
                  f" · mismatch {s.mismatch} · no identifier {s.no_identifier}")
    console.print(f"  peer reviewed {_pct(s.peer_reviewed_share)} ({s.peer_reviewed} of "
                  f"{s.peer_review_known} with a known status) · recent (≤ "
                  f"{report.settings.recent_years} y) {_pct(s.recent_share)} ({s.recent} of "
                  f"{s.dated} dated) · median age "
                  f"{'—' if s.median_age is None else f'{s.median_age:g} y'}")
    console.print("  kinds: " + ", ".join(f"{k} {n}" for k, n in s.kinds.items()))
    retracted = Text(f"  retracted {len(s.retracted)}",
                     style="bold red" if s.retracted else "")
    if s.retracted:
        retracted.append(": " + ", ".join(s.retracted))
    console.print(retracted)
    verdict = Text("  policy: ")
    if report.passed:
        verdict.append("passed", style="bold green")
    else:
        verdict.append("FAILED", style="bold red")
        for failure in report.policy_failures:
            verdict.append(f"\n    {failure.rule}: {failure.message}")
    console.print(verdict)
    if report.run.get("stopped_early"):
        console.print(Text(f"  Crossref: stopped early ({report.run['stopped_early']}); "
                           "the rest is unchecked, rerun later", style="yellow"))
    return buffer.getvalue()
