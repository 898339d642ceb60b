"""The Report (what `audit()` returns) and its renderers, one small module per output format;
report/formats.py is the table of formats and the renderer of each."""

from __future__ import annotations

import datetime as dt
import html
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditor._version import __version__
from auditor.config import POLICY_FIELDS, Settings
from auditor.i18n import DEFAULT_LANGUAGE, LANGUAGE, use_language
from auditor.judge.pass_fail import PolicyOutcome, RuleFailure, evaluate_policy
from auditor.judge.scorecard import Summary
from auditor.model import InputProblem, RunFigures, Verdict
from auditor.report import formats
from auditor.report.headline import Scored, headline, outcome_line
from auditor.vocabulary import Outcome

if TYPE_CHECKING:
    import pandas as pd

SCHEMA_VERSION = 1
INTEGER_COLUMNS = {"year", "age_years", "source.line", "source.page", "cited.year",
                   "evidence.ocebm_level", "match.year"}
BOOLEAN_COLUMNS = {"recent", "evidence.guideline"}


def header(generated_at: dt.datetime) -> dict[str, Any]:
    """The first fields of every JSON report, a list's or a catalogue's."""
    return {"schema_version": SCHEMA_VERSION, "tool": {"name": "auditor", "version": __version__},
            "generated_at": generated_at.strftime("%Y-%m-%dT%H:%M:%SZ")}


@dataclass
class Report:
    """The audit of one or more reference lists: `summary`, `references` (one Verdict each;
    a list, or in a catalogue packed: workers.Packed), the input `problems` (unreadable
    blocks with file and line) and the policy's outcome."""

    references: Sequence[Verdict]
    summary: Summary
    problems: list[InputProblem]
    policy: PolicyOutcome
    settings: Settings
    inputs: list[str]
    generated_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    run: RunFigures = field(default_factory=RunFigures)
    _worded: dict[str, PolicyOutcome] = field(default_factory=dict, repr=False, compare=False)

    def _policy(self) -> PolicyOutcome:
        """The policy's outcome with its sentences in the language of the moment (the same
        rules as `policy`, said again: the audit may have run in another language)."""
        language = LANGUAGE.get()
        if language not in self._worded:
            self._worded[language] = evaluate_policy(self.references, self.problems,
                                                     self.settings, self.summary)
        return self._worded[language]

    @property
    def outcome(self) -> Outcome:
        """passed (exit code 0), failed (1: a rule fails on what was checked) or incomplete (4:
        too few references got an answer to say)."""
        return self.policy.outcome

    @property
    def passed(self) -> bool:
        """Whether the outcome is passed: never when too little could be checked."""
        return self.policy.passed

    @property
    def policy_failures(self) -> list[RuleFailure]:
        return self._policy().failures

    @property
    def policy_warnings(self) -> list[RuleFailure]:
        return self._policy().warnings

    @property
    def headline(self) -> str:
        """The sentence every format leads with (report/headline.py)."""
        return headline(Scored(self.summary, self._policy(), self.settings))

    def __str__(self) -> str:
        """A short summary: the headline and the outcome (`print(report)`)."""
        scored = Scored(self.summary, self._policy(), self.settings)
        return f"{headline(scored)}\n{outcome_line(scored)}"

    def _repr_html_(self) -> str:
        """Jupyter shows the report as its HTML page, in a frame of its own so that the page's
        stylesheet and script leave the notebook alone."""
        page = html.escape(self.render("html"), quote=True)
        return (f'<iframe srcdoc="{page}" title="{html.escape(self.headline, quote=True)}" '
                'style="width:100%;height:640px;border:1px solid #d9dee4"></iframe>')

    def to_dict(self) -> dict[str, Any]:
        """The JSON report as a dict (schema_version 1; fields are added, never renamed),
        its sentences in English whatever the reader's language (JSON is a contract)."""
        with use_language(DEFAULT_LANGUAGE):
            return self._as_dict()

    def _as_dict(self) -> dict[str, Any]:
        s = self.settings
        return {
            **header(self.generated_at),
            "as_of": s.as_of.isoformat(),
            "inputs": self.inputs,
            "policy": {**{name: list(v) if isinstance(v := getattr(s, name), tuple) else v
                          for name in POLICY_FIELDS},
                       "passed": self.passed, "outcome": str(self.outcome),
                       "incomplete": self._policy().incomplete,
                       "failures": [f.to_dict() for f in self.policy_failures],
                       "warnings": [w.to_dict() for w in self.policy_warnings]},
            "summary": {**self.summary.to_dict(), "headline": self.headline,
                        "outcome": str(self.outcome),
                        "passed": self.passed, "warned": bool(self.policy_warnings)},
            "problems": [p.to_dict() for p in self.problems],
            "run": self.run.to_dict(),
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
        if "source.page" not in frame.columns:  # only a PDF gives pages: the column is always there
            frame.insert(frame.columns.get_loc("source.line") + 1, "source.page", None)
        # Whole numbers stay whole when some are missing (2016, not 2016.0), flags stay flags.
        for column in INTEGER_COLUMNS & set(frame.columns):
            frame[column] = frame[column].astype("Int64")
        for column in BOOLEAN_COLUMNS & set(frame.columns):
            frame[column] = frame[column].astype("boolean")
        return frame

    def render(self, fmt: str = formats.DEFAULT, **options: Any) -> str:
        """The report as text in one of formats.NAMES (`color`, `width` for the table)."""
        return formats.render(self, fmt, **options)

    def write(self, path: str | Path, fmt: str | None = None) -> Path:
        """Write the report; the format follows the suffix (.json, .csv, .md, .html) unless
        given. A CSV report also writes its scorecard beside it (`NAME.summary.csv`)."""
        return formats.write(self, path, fmt)
