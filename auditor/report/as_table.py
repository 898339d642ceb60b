"""The terminal report: one row per reference, then the findings, problems and the scorecard."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

from auditor.judge.scorecard import PREPRINT_PUBLISHED
from auditor.report.as_markdown import design_label
from auditor.vocabulary import (
    NOTICE_STATUSES,
    Condition,
    Design,
    PeerReview,
    Resolution,
    Severity,
    Status,
)

if TYPE_CHECKING:
    from auditor.model import Verdict
    from auditor.report import Report

STYLE = {
    Status.RETRACTED: "bold red", Status.WITHDRAWN: "bold red", Status.REMOVED: "bold red",
    Status.PARTIALLY_RETRACTED: "red", Status.EXPRESSION_OF_CONCERN: "yellow",
    Status.CORRECTED: "cyan",
    Resolution.NOT_FOUND: "red", Resolution.MISMATCH: "red", Resolution.UNCHECKED: "yellow",
    Resolution.NO_IDENTIFIER: "dim", Resolution.VERIFIED: "green", Resolution.MATCHED: "green",
    PeerReview.PEER_REVIEWED: "green", PeerReview.NOT_PEER_REVIEWED: "yellow",
    PeerReview.UNKNOWN: "dim",
    Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "dim",
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
    if e.design != Design.NOT_DETERMINED:
        label = {Design.RANDOMISED_TRIAL: "RCT", Design.SYSTEMATIC_REVIEW: "syst. review"}.get(
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
        _cell(v.status, v.status) if v.status_checked else Text("—", style="dim"),
        _cell(v.resolution),
        _evidence(v),
        _identifier(v),
    ]


MAX_KEYS = 8


def _keys(keys: list[str] | tuple[str, ...]) -> str:
    """Keys, cut after MAX_KEYS so one problem never floods the summary."""
    rest = len(keys) - MAX_KEYS
    return ", ".join(keys[:MAX_KEYS]) + (f" … ({rest} more)" if rest > 0 else "")


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def _counts_line(label: str, counts: dict[str, int], styled: bool = False) -> Text:
    """`  label: a 3 · b 1`; with `styled`, every name but ok in its colour."""
    line = Text(f"  {label}: ")
    for i, (name, n) in enumerate(counts.items()):
        if i:
            line.append(" · ")
        line.append(f"{name} {n}", style=STYLE.get(name, "yellow") if styled and
                    name != Status.OK else "")
    if not counts:
        line.append("—")
    return line


def _resolution_line(report: Report) -> Text:
    s = report.summary
    return Text(f"  references {s.references} · with DOI {s.with_doi} · resolved {s.resolved}"
                f" ({_pct(s.resolved_share)}) · unchecked {s.unchecked} · not found "
                f"{s.not_found} · mismatch {s.mismatch} · no identifier {s.no_identifier}")


def _shares_line(report: Report) -> Text:
    s = report.summary
    return Text(f"  peer reviewed {_pct(s.peer_reviewed_share)} ({s.peer_reviewed} of "
                f"{s.peer_review_known} with a known status) · recent (≤ "
                f"{report.settings.recent_years} y) {_pct(s.recent_share)} ({s.recent} of "
                f"{s.dated} dated)")


def _age_line(report: Report) -> Text:
    """Median, IQR and the three age bands: the spread says more than the median alone."""
    s = report.summary
    median = "—" if s.median_age is None else f"{s.median_age:g} y"
    iqr = (f" (IQR {_num(s.age_quartiles[0])}–{_num(s.age_quartiles[1])} y)"
           if s.age_quartiles else "")
    bands = " · ".join(f"{band.replace('-', '–')} y: {n}" for band, n in s.age_bands.items())
    return Text(f"  median age {median}{iqr}" + (f" · {bands}" if bands else ""))


def _statuses_line(report: Report) -> Text:
    s = report.summary
    ordered = {k: s.statuses[k] for k in (Status.OK, *NOTICE_STATUSES) if s.statuses.get(k)}
    ordered |= s.statuses
    return _counts_line("statuses", ordered, styled=True)


def _retracted_line(report: Report) -> Text:
    s = report.summary
    line = Text(f"  retracted {len(s.retracted)}", style="bold red" if s.retracted else "")
    if s.retracted:
        line.append(": " + _keys(s.retracted))
    return line


def _evidence_line(report: Report) -> Text:
    s = report.summary
    levels = " · ".join(f"{level}: {n}" for level, n in s.ocebm_levels.items()) or "—"
    designs = " · ".join(f"{design_label(d)} {n}" for d, n in s.designs.items()) or "—"
    return Text(f"  evidence: levels {levels}; designs: {designs}")


def _recommendations_line(report: Report) -> Text:
    s = report.summary
    line = Text(f"  recommendations {s.guidelines}")
    if s.recommendations:
        line.append(" (" + ", ".join(f"{k} {n}" for k, n in s.recommendations.items()) + ")")
    outdated = s.behind(Condition.OUTDATED_GUIDELINE)
    line.append(f" · older than {report.settings.guideline_years} y {s.outdated_guidelines}",
                style="yellow" if outdated else "")
    if outdated:
        line.append(": " + _keys(outdated), style="yellow")
    published = s.behind(PREPRINT_PUBLISHED)
    line.append(f" · preprints {s.preprints}, with a published version "
                f"{s.preprints_published}", style="yellow" if published else "")
    if published:
        line.append(": " + _keys(published), style="yellow")
    return line


def _policy_text(report: Report) -> Text:
    """passed/FAILED, each failure, then each warning (in yellow), each naming references."""
    verdict = Text("  policy: ")
    if report.passed:
        verdict.append("passed", style="bold green")
    else:
        verdict.append("FAILED", style="bold red")
        for failure in report.policy_failures:
            verdict.append(f"\n    {failure.rule}: {failure.message}")
    if report.policy_warnings:
        verdict.append(f"\n  warnings ({len(report.policy_warnings)}):", style="yellow")
        for warning in report.policy_warnings:
            verdict.append(f"\n    {warning.rule}: {warning.message}", style="yellow")
    return verdict


def _print_summary(console: Console, report: Report) -> None:
    """The scorecard in about ten lines, then the policy."""
    console.print(Text("\nSummary", style="bold"))
    for line in (_resolution_line(report), _shares_line(report), _age_line(report),
                 _counts_line("kinds", report.summary.kinds), _statuses_line(report),
                 _retracted_line(report), _evidence_line(report),
                 _recommendations_line(report), _policy_text(report)):
        console.print(line)


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
                  if f.severity in (Severity.ERROR, Severity.WARNING)]
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

    _print_summary(console, report)
    if report.run.stopped_early:
        console.print(Text(f"  Crossref: stopped early ({report.run.stopped_early}); "
                           "the rest is unchecked, rerun later", style="yellow"))
    return buffer.getvalue()
