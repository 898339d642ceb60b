"""The Report (what `audit()` returns) and its renderers, one small module per output format."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditor.config import POLICY_FIELDS, Settings
from auditor.judge.policy import RuleFailure
from auditor.judge.scorecard import Summary
from auditor.model import InputProblem, Verdict

if TYPE_CHECKING:
    import pandas as pd

SCHEMA_VERSION = 1
FORMATS = ("table", "json", "csv", "markdown", "html")
INTEGER_COLUMNS = {"year", "age_years", "source.line", "cited.year", "evidence.ocebm_level",
                   "match.year"}
BOOLEAN_COLUMNS = {"recent", "evidence.guideline"}
SUFFIX_FORMATS = {".json": "json", ".csv": "csv", ".txt": "table", ".md": "markdown",
                  ".markdown": "markdown", ".html": "html", ".htm": "html"}


@dataclass
class Report:
    """The audit of one or more reference lists: `summary`, `references` (one Verdict each),
    the input `problems` (unreadable blocks with file and line) and the policy outcome."""

    references: list[Verdict]
    summary: Summary
    problems: list[InputProblem]
    policy_failures: list[RuleFailure]
    settings: Settings
    inputs: list[str]
    generated_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    run: dict[str, Any] = field(default_factory=dict)
    policy_warnings: list[RuleFailure] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.policy_failures

    def to_dict(self) -> dict[str, Any]:
        """The JSON report as a dict (schema_version 1; fields are added, never renamed)."""
        from auditor import __version__

        s = self.settings
        return {
            "schema_version": SCHEMA_VERSION,
            "tool": {"name": "auditor", "version": __version__},
            "generated_at": self.generated_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "as_of": s.as_of.isoformat(),
            "inputs": self.inputs,
            "policy": {**{name: list(v) if isinstance(v := getattr(s, name), tuple) else v
                          for name in POLICY_FIELDS},
                       "passed": self.passed,
                       "failures": [f.to_dict() for f in self.policy_failures],
                       "warnings": [w.to_dict() for w in self.policy_warnings]},
            "summary": self.summary.to_dict(),
            "problems": [p.to_dict() for p in self.problems],
            "run": self.run,
            "references": [v.to_dict() for v in self.references],
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def to_frame(self) -> pd.DataFrame:
        """One row per reference, columns as in the JSON (nested fields joined by dots:
        `source.file`, `evidence.design`); lists stay Python lists."""
        import pandas as pd

        rows = [v.to_dict() for v in self.references]
        if not rows:
            return pd.DataFrame()
        frame = pd.json_normalize(rows, sep=".", max_level=1)
        # Whole numbers stay whole when some are missing (2016, not 2016.0), flags stay flags.
        for column in INTEGER_COLUMNS & set(frame.columns):
            frame[column] = frame[column].astype("Int64")
        for column in BOOLEAN_COLUMNS & set(frame.columns):
            frame[column] = frame[column].astype("boolean")
        return frame

    def render(self, fmt: str = "table", **options: Any) -> str:
        """The report as text in one of FORMATS."""
        from auditor.report import as_csv, as_html, as_markdown, as_table

        if fmt == "json":
            return self.to_json() + "\n"
        if fmt == "csv":
            return as_csv.render(self)
        if fmt == "markdown":
            return as_markdown.render(self)
        if fmt == "html":
            return as_html.render(self)
        if fmt == "table":
            return as_table.render(self, **options)
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")

    def write(self, path: str | Path, fmt: str | None = None) -> Path:
        """Write the report; the format follows the suffix (.json, .csv, .md, .html) unless
        given. A CSV report also writes its scorecard beside it (`NAME.summary.csv`)."""
        path = Path(path)
        fmt = fmt or SUFFIX_FORMATS.get(path.suffix.lower(), "table")
        path.write_text(self.render(fmt, color=False), encoding="utf-8")
        if fmt == "csv":  # the scorecard as a second file: report.summary.csv
            from auditor.report import as_csv

            as_csv.summary_path(path).write_text(as_csv.render_summary(self), encoding="utf-8")
        return path
