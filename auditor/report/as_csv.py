"""CSV: one row per reference (via pandas), lists flattened to `; `-joined text; and the
scorecard as a second CSV (`metric,value,references`)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditor.config import POLICY_FIELDS
from auditor.judge.scorecard import PREPRINT_PUBLISHED, PROBLEMS, problem_key, problem_of
from auditor.vocabulary import NOTICE_STATUSES, Condition

if TYPE_CHECKING:
    from auditor.judge.scorecard import Summary
    from auditor.report import Report


def _flatten(value: Any) -> Any:
    if isinstance(value, list):
        parts = []
        for item in value:
            if isinstance(item, dict):
                parts.append((item.get("code") and f"{item['code']} {item.get('message', '')}")
                             or " ".join(f"{v}" for v in item.values() if v is not None))
            else:
                parts.append(str(item))
        return "; ".join(parts)
    return value


# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets: a
# title or a journal from a .bib file or a registry could run one (CSV injection). Such text is
# prefixed with an apostrophe, which spreadsheets show as text (OWASP's advice).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """`=HYPERLINK(…)` → `'=HYPERLINK(…)`; numbers and other text unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def render(report: Report) -> str:
    from pandas.api.types import is_string_dtype

    frame = report.to_frame()
    if frame.empty:
        return ""
    for column in frame.columns:
        if frame[column].map(lambda v: isinstance(v, list)).any():
            frame[column] = frame[column].map(_flatten)
        if frame[column].dtype == object or is_string_dtype(frame[column]):
            frame[column] = frame[column].map(neutralise)
    return frame.to_csv(index=False, lineterminator="\n")


# --- the scorecard as CSV: metric,value,references ------------------------------------------

SUMMARY_COLUMNS = ("metric", "value", "references")
# Plain scorecard figures, in the JSON summary's order, and the problems (conditions, or names
# in summary.problem_references) whose keys make each of them.
_C = Condition
_FIGURES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("references", ()), ("with_doi", ()), ("resolved", ()), ("resolved_share", ()),
    ("unresolved", (_C.NOT_FOUND, _C.MISMATCH, _C.NO_IDENTIFIER)),
    ("unchecked", (_C.UNCHECKED,)), ("not_found", (_C.NOT_FOUND,)),
    ("mismatch", (_C.MISMATCH,)), ("no_identifier", (_C.NO_IDENTIFIER,)),
    ("invalid_doi", (_C.INVALID_DOI,)), ("unreadable_entries", (_C.UNREADABLE,)),
    ("excluded", ()),
    ("checkable", ()), ("checked", ()), ("checked_share", ()), ("status_checked", ()),
    ("peer_reviewed", ()), ("peer_review_known", ()), ("peer_reviewed_share", ()),
    ("recent", ()), ("dated", ()), ("recent_share", ()),
    ("median_age", ()), ("age_q1", ()), ("age_q3", ()), ("age_iqr", ()),
)
# Per-category counts: (row prefix, Summary attribute).
_BREAKDOWNS = (("age_band", "age_bands"), ("kind", "kinds"), ("status", "statuses"),
               ("peer_review", "peer_review"), ("peer_review_signal", "peer_review_signals"),
               ("design", "designs"),
               ("ocebm_level", "ocebm_levels"), ("recommendation", "recommendations"),
               ("year", "years"))
_METRIC_NAMES = {"excluded": "excluded_from_scores"}

Row = tuple[str, object, Sequence[str]]


def _value(value: object) -> str:
    """Machine-readable text: empty for unknown, `true`/`false`, shares as fractions."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _figure(s: Summary, name: str) -> object:
    """A Summary attribute, or one end of the age quartiles (`age_q1`, `age_q3`)."""
    if name in ("age_q1", "age_q3"):
        return s.age_quartiles[name == "age_q3"] if s.age_quartiles else None
    return getattr(s, name)


def _figure_rows(report: Report, used: set[str]) -> list[Row]:
    s = report.summary
    rows: list[Row] = []
    for name, behind in _FIGURES:
        keys = [k for p in behind for k in s.behind(p)]
        if len(behind) == 1:
            used.add(problem_of(behind[0]))
        rows.append((_METRIC_NAMES.get(name, name), _figure(s, name), keys))
    return rows


def _breakdown_rows(report: Report, used: set[str]) -> list[Row]:
    """`kind:journal-article`, `status:retracted`…; a status row carries its references (a
    status is counted over every reference, like its problem list)."""
    rows: list[Row] = []
    for prefix, attribute in _BREAKDOWNS:
        for name, count in getattr(report.summary, attribute).items():
            keys: list[str] = []
            if prefix == "status":
                keys = report.summary.behind(name)
                used.add(problem_key(name))
            rows.append((f"{prefix}:{name}", count, keys))
    return rows


def _problem_rows(report: Report, used: set[str]) -> list[Row]:
    """Recommendations, preprints, then every other problem count not already given, each
    with the references behind it; `retracted` always, as it is the one people look for."""
    s, problems = report.summary, report.summary.problem_references
    rows: list[Row] = [
        ("guidelines", s.guidelines, []),
        ("outdated_guidelines", s.outdated_guidelines, s.behind(Condition.OUTDATED_GUIDELINE)),
        ("preprints", s.preprints, s.behind(Condition.PREPRINT)),
        ("preprints_published", s.preprints_published, s.behind(PREPRINT_PUBLISHED)),
        ("retracted", len(s.retracted) if s.status_checked else "", s.retracted),
    ]
    used.update((problem_of(Condition.OUTDATED_GUIDELINE), problem_of(Condition.PREPRINT),
                 PREPRINT_PUBLISHED, problem_of(Condition.RETRACTED)))
    # a notice count is empty, not 0, when no registry record could tell one
    unread = set() if s.status_checked else {problem_key(status) for status in NOTICE_STATUSES}
    rows += [(name, "" if name in unread else len(problems.get(name, [])),
              problems.get(name, [])) for name in PROBLEMS if name not in used]
    return rows


def _policy_rows(report: Report) -> list[Row]:
    rows: list[Row] = [("policy:outcome", str(report.outcome), []),
                       ("policy:passed", report.passed, []),
                       ("policy:warned", bool(report.policy_warnings), [])]
    if report.policy.incomplete:
        rows.append(("policy:incomplete", report.policy.incomplete, []))
    rows += [(f"policy:failure:{f.rule}", f.message, f.keys) for f in report.policy_failures]
    rows += [(f"policy:warning:{w.rule}", w.message, w.keys) for w in report.policy_warnings]
    settings = report.settings
    rows += [("setting:as_of", settings.as_of.isoformat(), [])]
    for name in POLICY_FIELDS:
        value = getattr(settings, name)
        rows.append((f"setting:{name}", ", ".join(value) if isinstance(value, tuple) else value,
                     []))
    return rows


def summary_rows(report: Report) -> list[tuple[str, str, str]]:
    """(metric, value, `; `-joined keys) for every scorecard figure, then the policy."""
    used: set[str] = set()
    rows: list[Row] = [("headline", report.headline, []), *_figure_rows(report, used),
                       *_breakdown_rows(report, used), *_problem_rows(report, used),
                       *_policy_rows(report)]
    return [(metric, neutralise(_value(value)), neutralise("; ".join(keys)))
            for metric, value, keys in rows]


def render_summary(report: Report) -> str:
    """The scorecard as CSV (`metric,value,references`): written next to the references CSV
    (`out.summary.csv`), since one CSV file cannot hold two tables."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(SUMMARY_COLUMNS)
    writer.writerows(summary_rows(report))
    return buffer.getvalue()


def render_with_summary(report: Report) -> str:
    """For standard output: the references CSV, a blank line, then the scorecard CSV."""
    return render(report) + "\n" + render_summary(report)


def summary_path(path: str | Path) -> Path:
    """Where the scorecard goes next to `-o out.csv`: `out.summary.csv`."""
    path = Path(path)
    return path.with_name(f"{path.stem}.summary.csv")


def companions(report: Report, path: str | Path) -> dict[Path, str]:
    """The file a CSV report writes beside `path`: its scorecard (one CSV holds one table)."""
    return {summary_path(path): render_summary(report)}
