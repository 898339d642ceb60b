"""The terminal report, in words: the headline and the outcome, the references (problems first)
in a table that fits the terminal, what to look at, the scorecard, the policy.

The table never cuts a DOI: when the terminal is narrow, columns are dropped by priority
(evidence, age, status, kind…) until the rest fits; a DOI that is too long for any width folds
on its own line rather than being cut. No finding code or abbreviation is shown (they are in the
JSON and in `auditor codes`).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from auditor.i18n import _, labelled, listed, n_, number
from auditor.judge.scorecard import PREPRINT_PUBLISHED, Summary
from auditor.judge.updates import STATUS_RULES
from auditor.report.headline import Scored, headline, outcome_line
from auditor.report.ordering import check_word, group, ordered
from auditor.report.words import (
    KIND_WORDS,
    RECOMMENDATION_WORDS,
    STATUS_WORDS,
    age_spread,
    design_words,
    peer_review_words,
    read_as,
    where,
    words,
)
from auditor.vocabulary import (
    NOTICE_STATUSES,
    Condition,
    Design,
    Outcome,
    PeerReview,
    PeerReviewSignal,
    Severity,
    Status,
)

if TYPE_CHECKING:
    from auditor.model import Verdict
    from auditor.report import Report

MAX_KEYS = 8
MAX_READ_AS = 30  # pasted citations shown with what was read of them
GROUP_STYLES = ("bold red", "red", "red", "red", "yellow", "dim", "green")
OUTCOME_STYLES = {Outcome.PASSED: "bold green", Outcome.FAILED: "bold red",
                  Outcome.INCOMPLETE: "bold yellow"}
SEVERITY_STYLES = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "dim"}
REVIEW_STYLES = {PeerReviewSignal.ASSERTED: "green", PeerReviewSignal.INDEXED: "green",
                 PeerReviewSignal.ISSN: "yellow"}


@dataclass(frozen=True)
class Column:
    """A column of the reference table: its heading, how important it is (lower is kept
    longer when the terminal is narrow), its width bounds, whether it may wrap."""

    heading: str
    priority: int
    min_width: int
    max_width: int | None = None
    wrap: bool = True


def _doi_text(v: Verdict) -> Text:
    """The DOI (the matched one, marked), else the ISBN, else a dash."""
    if v.match is not None and v.match.applied:
        return Text(f"{v.match.doi} " + _("(found by search)"), style="green")
    if v.reference.doi:
        return Text(v.reference.doi)
    if v.reference.isbn:
        return Text(f"ISBN {v.reference.isbn}", style="dim")
    return Text("—", style="dim")


def _evidence(v: Verdict) -> Text:
    e = v.evidence
    parts = []
    if e.design != Design.NOT_DETERMINED:
        parts.append(design_words(e.design, e.ocebm_level))
    if e.guideline:
        parts.append(words(RECOMMENDATION_WORDS, e.recommendation or "guideline"))
    return Text(" · ".join(parts) or "—", style="" if parts else "dim")


def _status(v: Verdict) -> Text:
    if not v.status_checked:
        return Text(_("not checked"), style="dim")
    text = words(STATUS_WORDS, v.status)
    return Text(text, style="" if v.status == Status.OK else "yellow")


def _cells(v: Verdict) -> dict[str, Text]:
    g = group(v)
    age = Text("—" if v.age_years is None else str(v.age_years),
               style="yellow" if v.recent is False else "")
    review = peer_review_words(v.peer_review, v.peer_review_signal)
    return {
        "check": Text(check_word(v), style=GROUP_STYLES[g]),
        "key": Text(v.key),
        "year": Text("—" if v.year is None else str(v.year)),
        "age": age,
        "kind": Text(words(KIND_WORDS, v.kind).lower()),
        "review": Text(review, style=REVIEW_STYLES.get(v.peer_review_signal, "")
                       if v.peer_review == PeerReview.PEER_REVIEWED else
                       "yellow" if v.peer_review == PeerReview.NOT_PEER_REVIEWED else ""),
        "status": _status(v),
        "evidence": _evidence(v),
        "doi": _doi_text(v),
    }


def _columns() -> dict[str, Column]:
    return {
        "check": Column(_("Check"), 2, 6, 14),
        "key": Column(_("Key"), 0, 6, 24),
        "year": Column(_("Year"), 3, 4, 4, wrap=False),
        "age": Column(_("Age"), 7, 3, 3, wrap=False),
        "kind": Column(_("Kind"), 6, 6, 16),
        "review": Column(_("Peer review"), 4, 10, 26),
        "status": Column(_("Notices"), 5, 8, 16),
        "evidence": Column(_("Evidence"), 8, 10, 30),
        "doi": Column(_("DOI / ISBN"), 1, 12, None, wrap=False),
    }


def _fit(rows: list[dict[str, Text]], width: int) -> list[str]:
    """The columns to show: every one when they fit at their natural widths, else the most
    important ones that do (a column costs its width and two spaces)."""
    columns = _columns()
    natural = {}
    for name, column in columns.items():
        longest = max([len(column.heading.split()[0]), *(r[name].cell_len for r in rows)],
                      default=column.min_width)
        cap = column.max_width or longest
        natural[name] = max(column.min_width, min(longest, cap)) if column.wrap else longest
    shown = list(columns)
    by_priority = sorted(columns, key=lambda n: columns[n].priority, reverse=True)
    for name in by_priority:
        if sum(natural[n] + 2 for n in shown) <= width or columns[name].priority <= 1:
            break
        shown.remove(name)
    return shown


def _reference_table(console: Console, report: Report, width: int) -> None:
    verdicts = [v for _, v in ordered(report.references)]
    rows = [_cells(v) for v in verdicts]
    shown = _fit(rows, width)
    columns = _columns()
    table = Table(title=n_("References ({n}), problems first", "References ({n}), problems "
                           "first", len(verdicts)).format(n=len(verdicts)),
                  title_justify="left", header_style="bold", box=box.SIMPLE_HEAD,
                  pad_edge=False, padding=(0, 1))
    for name in shown:
        column = columns[name]
        table.add_column(column.heading, no_wrap=not column.wrap, overflow="fold",
                         max_width=column.max_width, min_width=column.min_width,
                         justify="right" if name in ("year", "age") else "left")
    for row in rows:
        table.add_row(*(row[name] for name in shown))
    console.print(table)
    left_out = [columns[n].heading.lower() for n in columns if n not in shown]
    if left_out:
        console.print(Text(_("(a wider terminal also shows: {columns})").format(
            columns=", ".join(left_out)), style="dim"))


def _keys(keys: list[str] | tuple[str, ...]) -> str:
    """Keys, cut after MAX_KEYS so one problem never floods the summary."""
    rest = len(keys) - MAX_KEYS
    return ", ".join(keys[:MAX_KEYS]) + (_(" … ({n} more)").format(n=rest) if rest > 0 else "")


def _how_read(console: Console, report: Report) -> None:
    """For pasted citations no registry record stands for, what was read of them: a
    misreading (the journal taken for the title) shows here before it is taken for a fault."""
    read = [(v, line) for v in report.references if (line := read_as(v))]
    if not read:
        return
    console.print(Text("\n" + _("How the citations without a registry record were read"),
                       style="bold"))
    for v, line in read[:MAX_READ_AS]:
        title = " ".join((v.reference.title or _("no title found")).split())
        print_hanging(console, Text(f"  {where(v.reference.source)} "
                                    f"{v.key}: “{title}” — {line}"))
    if len(read) > MAX_READ_AS:
        console.print(Text(_("  … and {n} more (all of them in --format html or markdown)").format(
            n=len(read) - MAX_READ_AS), style="dim"))


def _look_at(console: Console, report: Report) -> None:
    """Every error and warning, and every notice (a correction too), in words, with where it
    stands — a narrow terminal may have left the Notices column out."""
    notices = {rule.code.code for rule in STATUS_RULES.values()}
    noteworthy = [(v, f) for v in report.references for f in v.findings
                  if f.severity in (Severity.ERROR, Severity.WARNING) or f.code in notices]
    if noteworthy:
        console.print(Text("\n" + _("What to look at"), style="bold"))
        for v, f in noteworthy:
            line = Text(labelled(f"  {where(v.reference.source)} {v.key}", ""))
            line.append(f.text(), style=SEVERITY_STYLES[f.severity])
            print_hanging(console, line)
    if report.problems:
        console.print(Text("\n" + _("Entries that could not be read"), style="bold"))
        for p in report.problems:
            line = Text(labelled(f"  {where(p.source)}", ""))
            line.append(p.finding.text(), style=SEVERITY_STYLES[p.finding.severity])
            print_hanging(console, line)


def _pct(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.0f} %"


def _num(value: float | None) -> str:
    return "—" if value is None else number(value)


def _counts(counts: dict, table: dict) -> str:
    return " · ".join(f"{words(table, name).lower()} {n}" for name, n in counts.items()) or "—"


def _scorecard_lines(report: Report) -> list[Text]:
    s: Summary = report.summary
    settings = report.settings
    lines = [
        Text(_("  found on Crossref: {n} of {total} ({pct}); {with_doi} with a DOI, {checked} "
               "of {checkable} that could be asked got an answer").format(
            n=s.resolved, total=s.references, pct=_pct(s.resolved_share),
            with_doi=s.with_doi, checked=s.checked, checkable=s.checkable)),
        Text(_("  peer reviewed: {n} of {total} whose peer review is known ({pct})").format(
            n=s.peer_reviewed, total=s.peer_review_known, pct=_pct(s.peer_reviewed_share))
            + (_("; {n} not known").format(n=s.peer_review.get(PeerReview.UNKNOWN, 0))
               if s.peer_review.get(PeerReview.UNKNOWN) else "")),
        Text(_("  recent: {n} of {total} with a year are from the last {years} years "
               "({pct})").format(n=s.recent, total=s.dated, years=settings.recent_years,
                                 pct=_pct(s.recent_share))),
        _age_line(s),
        Text(_("  kinds: {kinds}").format(kinds=_counts(s.kinds, KIND_WORDS))),
        _notices_line(s),
        Text(_("  evidence: {designs}").format(designs=" · ".join(
            f"{design_words(Design(d), _level(report, d))} {n}"
            for d, n in s.designs.items()) or "—")),
        _recommendations_line(report),
    ]
    return lines


def _level(report: Report, design: str) -> int | None:
    return next((v.evidence.ocebm_level for v in report.references
                 if v.evidence.design == design), None)


def _age_line(s: Summary) -> Text:
    """Median, where the middle half lies, and the three age bands."""
    if s.median_age is None:
        return Text(_("  age: no reference has a year"))
    text = _("  age: median {median} years").format(median=_num(s.median_age))
    if s.age_quartiles:
        text = listed([text, age_spread(s.age_quartiles)])
    bands = " · ".join(_("{band} years: {n}").format(band=band.replace("-", "–"), n=n)
                       for band, n in s.age_bands.items())
    return Text(text + (f" · {bands}" if bands else ""))


def _notices_line(s: Summary) -> Text:
    notices = {status: s.statuses[status] for status in NOTICE_STATUSES if s.statuses.get(status)}
    line = Text(_("  retractions and corrections (of {n} checked): ").format(n=s.status_checked))
    if not notices:
        line.append(_("none") if s.status_checked else _("not checked"))
        return line
    for i, (status, n) in enumerate(notices.items()):
        if i:
            line.append(" · ")
        line.append(f"{words(STATUS_WORDS, status)} {n}",
                    style="bold red" if status in (Status.RETRACTED, Status.WITHDRAWN,
                                                   Status.REMOVED) else "yellow")
    if s.retracted:
        line.append(labelled("", _keys(s.retracted)), style="bold red")
    return line


def _recommendations_line(report: Report) -> Text:
    s = report.summary
    line = Text(n_("  recommendations: {n}", "  recommendations: {n}", s.guidelines).format(
        n=s.guidelines))
    if s.recommendations:
        line.append(" (" + ", ".join(f"{words(RECOMMENDATION_WORDS, k)} {n}"
                                     for k, n in s.recommendations.items()) + ")")
    outdated = s.behind(Condition.OUTDATED_GUIDELINE)
    if outdated:
        line.append(_(", {n} more than {years} years old: ").format(
            n=len(outdated), years=report.settings.guideline_years) + _keys(outdated),
            style="yellow")
    published = s.behind(PREPRINT_PUBLISHED)
    line.append(_(" · preprints: {n}").format(n=s.preprints))
    if published:
        line.append(_(", with a published version: ") + _keys(published), style="yellow")
    return line


def _policy_lines(report: Report) -> list[Text]:
    """The outcome, each broken rule, then each warning (in yellow)."""
    lines = []
    for failure in report.policy_failures:
        lines.append(Text("  " + _("Fails: ") + failure.message, style="red"))
    if report.policy.incomplete:
        lines.append(Text("  " + report.policy.incomplete, style="yellow"))
    for warning in report.policy_warnings:
        lines.append(Text("  " + _("Warning: ") + warning.message, style="yellow"))
    return lines


def print_hanging(console: Console, line: Text) -> None:
    """A line that wraps with its continuation lines indented under its text, not at the
    terminal's edge: `  age: median 7 years … ·` / `    11+ years: 3`."""
    indent = len(line.plain) - len(line.plain.lstrip(" "))
    hang = indent + 2
    body = line[indent:]
    for i, part in enumerate(body.wrap(console, max(console.width - hang, 20))):
        part.rstrip()
        console.print(Text(" " * (indent if i == 0 else hang)) + part)


def render(report: Report, color: bool = False, width: int | None = None) -> str:
    buffer = io.StringIO()
    width = width or 100
    console = Console(file=buffer, force_terminal=color, no_color=not color, width=width,
                      highlight=False, soft_wrap=False)
    scored = Scored(report.summary, report.policy, report.settings)
    console.print(Text(headline(scored), style="bold"))
    console.print(Text(outcome_line(scored), style=OUTCOME_STYLES[report.outcome]))
    console.print()
    _reference_table(console, report, width)
    _how_read(console, report)
    _look_at(console, report)
    console.print(Text("\n" + _("Summary"), style="bold"))
    for line in _scorecard_lines(report):
        print_hanging(console, line)
    console.print(Text("\n" + _("Policy"), style="bold"))
    print_hanging(console, Text("  " + outcome_line(scored), style=OUTCOME_STYLES[report.outcome]))
    for line in _policy_lines(report):
        print_hanging(console, line)
    if report.run.stopped_early:
        console.print(Text(_("  Crossref stopped answering ({why}); the rest is not checked — "
                             "rerun later").format(why=report.run.stopped_early),
                           style="yellow"))
    return buffer.getvalue()
