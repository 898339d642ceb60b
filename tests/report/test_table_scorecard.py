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
    assert ("  age: median 7 years; half of them between 3 and 13.5 years old · 0–5 years: 3 · "
            "6–10 years: 1 · 11+ years: 3") in lines
    # 8 references, 5 with a Crossref record (ghost unknown, late unanswered, bk no DOI).
    assert any("found on Crossref: 5 of 8 (62 %)" in line for line in lines)


def test_evidence_recommendations_and_preprints():
    lines = summary_of(make_report(sample_list()))
    assert ("  evidence: Systematic review (evidence level 1, OCEBM) 1 · Randomised trial "
            "(evidence level 2, OCEBM) 1 · Not determined 5") in lines
    assert ("  recommendations: 1 (guideline 1), 1 more than 5 years old: who · preprints: 1, "
            "with a published version: pre") in lines
    assert "  retractions and corrections (of 5 checked): retracted 1: pulled" in lines


def test_policy_failures_then_warnings_name_their_references():
    lines = summary_of(make_report(sample_list()))
    start = lines.index("  Outcome: FAILED — 1 rule of the policy is broken")
    assert lines[start + 1:start + 5] == [
        "  Fails: 1 reference retracted: pulled",
        "  1 of 7 references could not be checked: timeout — rerun later",
        "  Warning: 1 DOI that no registry knows (a typo?): ghost",
        "  Warning: 1 recommendation more than 5 years old: check for an update: who",
    ]


def test_summary_stays_compact():
    # 9 scorecard lines, a blank line, the policy heading, the outcome and its 4 reasons.
    assert len(summary_of(make_report(sample_list()))) <= 16


def test_long_lines_wrap_under_their_text_within_the_width():
    out = make_report(sample_list()).render("table", color=False, width=80)
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80
    age = next(i for i, line in enumerate(lines) if line.startswith("  age: median"))
    assert lines[age + 1].startswith("    ") and not lines[age + 1].startswith("     ")


def test_long_key_lists_are_cut():
    retracted = [verdict(f"r{i}", {**JOURNAL, **RETRACTION}) for i in range(11)]
    lines = summary_of(make_report(retracted))
    assert ("  retractions and corrections (of 11 checked): retracted 11: r0, r1, r2, r3, r4, "
            "r5, r6, r7 … (3 more)") in lines


def test_warnings_are_yellow_in_colour():
    out = make_report(sample_list()).render("table", color=True, width=160)
    assert "\x1b[33mWarning: 1 DOI that no registry knows" in out
