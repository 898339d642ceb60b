"""The Markdown report: the summary sentence, the policy, the scorecard, and a references table
whose cells can never turn into markup, HTML or extra columns."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from builders import report_of, sample_list, verdict

from auditor.config import Settings
from auditor.model import Lookup, Verdict
from auditor.report import Report
from auditor.report.as_markdown import escape

SETTINGS = Settings(as_of=dt.date(2026, 11, 27))
HOSTILE = "Effect of <script>alert(1)</script> | *bold* _it_ `code` [x](y)\nsecond line"


def make_report(verdicts: list[Verdict], settings: Settings = SETTINGS) -> Report:
    """Assembled by the pipeline's own make_report, without the network."""
    return report_of(verdicts, settings)


@pytest.fixture
def verdicts() -> list[Verdict]:
    return sample_list()


def test_summary_sentence_has_the_hand_computed_figures(verdicts):
    # Retracted "pulled" counts in no share. Peer review known: trial, meta, who (peer
    # reviewed), pre (not), bk (book) → 3 of 5 = 60 %. Ages at 2026: trial 2, meta 16, pre 1,
    # late 7, ghost 26, bk 4, who 11 → sorted 1 2 4 7 11 16 26, median 7, quartiles
    # (inclusive) 3 and 13.5; recent (≤ 5): 1, 2, 4 → 3 of 7 = 43 %.
    text = make_report(verdicts).render("markdown")
    assert text.splitlines()[0] == (
        "References: 8, 60 % peer-reviewed (of 5 with a known status; 2 not known), median "
        "age 7 years "
        "(IQR 3–13.5), 43 % from the last 5 years, 1 retracted, 1 DOI not found, "
        "1 unchecked.")


def test_sentence_always_counts_retractions_and_dashes_empty_shares():
    report = make_report([verdict("bare", entry_type="misc", title="Notes")])
    first = report.render("markdown").splitlines()[0]
    # No year, no peer-review signal: every share is unknown, and "0 retracted" is still said.
    assert first == ("References: 1, — peer-reviewed (of 0 with a known status; 1 not known), "
                     "median age —, "
                     "— from the last 5 years, 0 retracted.")


def test_policy_verdict_lists_failures_then_warnings(verdicts):
    text = make_report(verdicts).render("markdown")
    assert "**Policy: FAILED**" in text
    failure = text.index("- `fail_on:retracted`: 1 reference retracted: pulled")
    warnings = text.index("Warnings:")
    assert failure < warnings < text.index(
        "- `warn_on:not-found`: 1 reference not-found (no registry knows the DOI): ghost")


def test_passing_list_says_passed(verdicts):
    trial = [v for v in verdicts if v.key == "trial"]
    assert "**Policy: passed**" in make_report(trial).render("markdown")


def test_scorecard_rows(verdicts):
    text = make_report(verdicts).render("markdown")
    assert "| Median age | 7 years (IQR 3–13.5) |" in text
    assert "| Age bands | 0–5 y: 3 · 6–10 y: 1 · 11+ y: 3 |" in text
    assert ("| Evidence levels | Systematic reviews/meta-analyses (OCEBM 1): 1; randomised "
            "trials (2): 1; design not determined: 5 |") in text
    assert "| Guidelines and recommendations | 1 (guideline 1); 1 older than 5 years: who |" \
        in text
    assert "| Preprints | 1, of which 1 with a published version: pre |" in text
    assert "| Retracted | 1: pulled |" in text


def test_guideline_window_follows_the_settings(verdicts):
    # "who" is 11 years old: outdated at a 5-year window, not at 12 years.
    settings = dataclasses.replace(SETTINGS, guideline_years=12)
    text = make_report(verdicts, settings).render("markdown")
    assert "| Guidelines and recommendations | 1 (guideline 1); 0 older than 12 years |" in text


def _reference_rows(text: str) -> list[str]:
    start = text.index("| Key | Title |")
    return [line for line in text[start:].splitlines()[2:] if line.startswith("|")]


def test_problem_references_come_first(verdicts):
    rows = _reference_rows(make_report(verdicts).render("markdown"))
    keys = [row.split(" | ")[0].removeprefix("| ") for row in rows]
    # as in the HTML: retracted, DOI not found, then warnings (the preprint before the
    # outdated guideline, in input order); the clean trial last.
    assert keys[:2] == ["pulled", "ghost"]
    assert keys.index("pre") < keys.index("who") < keys.index("trial")
    assert keys[-3:] == ["trial", "meta", "bk"]  # info findings only: input order
    assert len(keys) == 8


def test_doi_is_a_link_and_status_is_bold_when_serious(verdicts):
    rows = _reference_rows(make_report(verdicts).render("markdown"))
    assert rows[0].startswith("| pulled | — | 2023 | 3 | journal-article | peer-reviewed | "
                              "**retracted** | — | [10.1/pulled](https://doi.org/10.1/pulled) |")


def test_hostile_title_stays_one_inert_cell():
    report = make_report([verdict("x|y", entry_type="misc", title=HOSTILE, year=2020)])
    text = report.render("markdown")
    row = _reference_rows(text)[0]
    assert "<script>" not in text and "&lt;script&gt;" in row
    assert "\\*bold\\*" in row and "\\_it\\_" in row and "\\`code\\`" in row
    assert "\\[x\\](y)" in row
    assert "x\\|y" in row  # the key's pipe is escaped too
    assert "second line" in row  # the newline became a space: still one row
    # Unescaped pipes delimit exactly the 9 columns (10 bars).
    assert row.replace("\\|", "").count("|") == 10


def test_escape_backslash_and_ampersand():
    assert escape("a\\b & c > d") == "a\\\\b &amp; c &gt; d"


def test_odd_doi_is_percent_encoded_in_the_link():
    doi = "10.1002/(sici)1097-0258(19980430)17:8<857::aid-sim777>3.0.co;2-e"
    report = make_report([verdict("odd", lookup=Lookup(doi, "not-found"), doi=doi)])
    row = _reference_rows(report.render("markdown"))[0]
    assert "(https://doi.org/10.1002/%28sici%291097-0258%2819980430%2917%3A8%3C857" in row
    assert "&lt;857::aid-sim777&gt;" in row
