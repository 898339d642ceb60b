"""The terminal scorecard: the spread of ages, the evidence, recommendations, preprints, and
the policy with its warnings — each naming the references behind it."""

from __future__ import annotations

import datetime as dt

from builders import JOURNAL, RETRACTION, report_of, sample_list, verdict

from auditor.config import Settings
from auditor.model import Verdict
from auditor.report import Report

SETTINGS = Settings(as_of=dt.date(2026, 11, 27))


def make_report(verdicts: list[Verdict], settings: Settings = SETTINGS) -> Report:
    """Assembled by the pipeline's own make_report, without the network."""
    return report_of(verdicts, settings)


def summary_of(report: Report) -> list[str]:
    out = report.render("table", color=False, width=160)
    return out[out.index("\nSummary\n"):].splitlines()[2:]


def test_ages_show_median_iqr_and_bands():
    # Counted ages 1 2 4 7 11 16 26 (pulled is retracted): median 7, quartiles 3 and 13.5;
    # 0–5: 1, 2, 4; 6–10: 7; 11+: 11, 16, 26.
    lines = summary_of(make_report(sample_list()))
    assert "  median age 7 y (IQR 3–13.5 y) · 0–5 y: 3 · 6–10 y: 1 · 11+ y: 3" in lines
    assert any("resolved 5 (62 %)" in line for line in lines)


def test_evidence_recommendations_and_preprints():
    lines = summary_of(make_report(sample_list()))
    assert ("  evidence: levels 1: 1 · 2: 1 · none: 5; designs: systematic review 1 · randomised "
            "trial 1 · not determined 5") in lines
    assert ("  recommendations 1 (guideline 1) · older than 5 y 1: who · preprints 1, with a "
            "published version 1: pre") in lines
    assert "  statuses: ok 7 · retracted 1" in lines


def test_policy_failures_then_warnings_name_their_references():
    lines = summary_of(make_report(sample_list()))
    start = lines.index("  policy: FAILED")
    assert lines[start + 1:start + 5] == [
        "    fail_on:retracted: 1 reference retracted: pulled",
        "  warnings (2):",
        "    warn_on:not-found: 1 reference not-found (no registry knows the DOI): ghost",
        "    warn_on:outdated-guideline: 1 reference outdated-guideline (recommendations older "
        "than 5 years): who",
    ]


def test_summary_stays_compact():
    assert len(summary_of(make_report(sample_list()))) <= 14


def test_long_key_lists_are_cut():
    retracted = [verdict(f"r{i}", {**JOURNAL, **RETRACTION}) for i in range(11)]
    lines = summary_of(make_report(retracted))
    assert "  retracted 11: r0, r1, r2, r3, r4, r5, r6, r7 … (3 more)" in lines


def test_warnings_are_yellow_in_colour():
    out = make_report(sample_list()).render("table", color=True, width=160)
    assert "\x1b[33m    warn_on:not-found" in out
