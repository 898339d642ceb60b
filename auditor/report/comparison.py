"""A catalogue's comparison: one row per training, the same columns in every format.

`COLUMNS` are the row's fields (CSV, JSON, `audit_many()`'s DataFrame, `--sort`); `SHOWN` is the
shorter choice the terminal, Markdown and HTML tables show, each with its heading and the kind of
value it holds, so that each renderer only decides how a kind looks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from auditor.judge.scorecard import LEVELS
from auditor.report.words import N_

if TYPE_CHECKING:
    from auditor.report import Report

# The comparison columns, in order; `--sort` takes any of them (prefix `-` for descending).
COLUMNS = ("training", "references", "with_doi", "resolved_share", "peer_reviewed_share",
           "recent_share", "median_age", "age_iqr", "retracted", "not_found", "mismatch",
           "unchecked", *(f"level_{level}" for level in LEVELS), "guidelines",
           "outdated_guidelines", "preprints", "passed", "outcome", "checked_share",
           "failures", "warnings")
# Columns holding counts (whole numbers in a DataFrame, even when some are missing).
COUNT_COLUMNS = ("references", "with_doi", "retracted", "not_found", "mismatch", "unchecked",
                 *(f"level_{level}" for level in LEVELS), "guidelines", "outdated_guidelines",
                 "preprints")
# Counts that are a problem whenever they are not zero (shown in red).
ALARMS = ("retracted", "not_found")


def parse_sort(sort: str) -> tuple[str, bool]:
    """`--sort` as (column, descending): `recent_share`, `-recent_share` and
    `recent_share:desc` (or `:asc`); raises ValueError naming the columns otherwise."""
    text = sort.strip()
    descending = text.startswith("-")
    column = text.lstrip("-")
    if column.endswith((":desc", ":asc")):
        column, _, direction = column.rpartition(":")
        if descending:
            raise ValueError(f"--sort {sort}: give - or :{direction}, not both")
        descending = direction == "desc"
    if column not in COLUMNS:
        raise ValueError(f"--sort {sort}: choose a column among {', '.join(COLUMNS)} (prefix "
                         "- or add :desc for descending)")
    return column, descending


@dataclass(frozen=True)
class Shown:
    """A column of the shown comparison: its heading, the row field, the kind of value (text,
    count, share, years, guidelines with the outdated ones, policy) and its priority — the
    columns a narrow terminal leaves out first have the highest."""

    heading: str
    field: str
    kind: str
    priority: int = 9


SHOWN = (Shown(N_("Training"), "training", "text", 0),
         Shown(N_("References"), "references", "count", 1),
         Shown(N_("Found on Crossref"), "resolved_share", "share", 6),
         Shown(N_("Peer reviewed"), "peer_reviewed_share", "share", 2),
         Shown(N_("Recent"), "recent_share", "share", 2),
         Shown(N_("Median age"), "median_age", "years", 4),
         Shown(N_("Retracted"), "retracted", "count", 1),
         Shown(N_("DOI unknown"), "not_found", "count", 3),
         Shown(N_("Level 1"), "level_1", "count", 7), Shown(N_("Level 2"), "level_2", "count", 7),
         Shown(N_("Level 3"), "level_3", "count", 8),
         Shown(N_("Level 4–5"), "level_4_5", "count", 8),
         Shown(N_("Recommendations (outdated)"), "guidelines", "guidelines", 5),
         Shown(N_("Preprints"), "preprints", "count", 6),
         Shown(N_("Outcome"), "outcome", "policy", 0))


def comparison_row(report: Report) -> dict[str, Any]:
    """The comparison row of one training (every field of COLUMNS)."""
    s = report.summary
    return {
        "training": report.inputs[0] if len(report.inputs) == 1 else ", ".join(report.inputs),
        "references": s.references, "with_doi": s.with_doi,
        "resolved_share": s.resolved_share, "peer_reviewed_share": s.peer_reviewed_share,
        "recent_share": s.recent_share, "median_age": s.median_age, "age_iqr": s.age_iqr,
        # none when nothing could tell them: "0 retracted" would claim a check never made
        "retracted": len(s.retracted) if s.status_checked else None,
        "not_found": s.not_found if s.checked or not s.checkable else None,
        "mismatch": s.mismatch if s.checked or not s.checkable else None,
        "unchecked": s.unchecked,
        **{f"level_{level}": s.ocebm_levels.get(level, 0) for level in LEVELS},
        "guidelines": s.guidelines, "outdated_guidelines": s.outdated_guidelines,
        "preprints": s.preprints, "passed": report.passed, "outcome": str(report.outcome),
        "checked_share": s.checked_share,
        "failures": "; ".join(f.rule for f in report.policy_failures),
        "warnings": "; ".join(w.rule for w in report.policy_warnings),
    }


def shown_value(row: dict[str, Any], column: Shown) -> Any:
    """The value a shown column holds for a row (L4–5 adds two levels)."""
    if column.field == "level_4_5":
        return (row["level_4"] or 0) + (row["level_5"] or 0)
    return row[column.field]
