"""The Markdown report: the summary sentence, the policy, the scorecard, and a references table
whose cells can never turn into markup, HTML or extra columns."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html

import pytest
from builders import report_of, sample_list, verdict
from markdown_it import MarkdownIt

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
    # 8 references, 7 with a DOI (bk has none and is not searched here); "late" got no answer:
    # 6 of 7 checked. Journal articles whose peer review is known: trial and meta (peer
    # reviewed on their ISSN; the journal lists were not asked); "who" is a WHO guideline, a
    # recommendation counted apart; late and ghost have no record. Retracted "pulled" counts in
    # no share: ages 2, 16, 1, 7, 26, 4, 11 → 3 of 7 recent (≤ 5). Notices could be read for
    # trial, meta, pulled, pre, who: 5 checked, 1 retracted. "who" (2015) is 11 years old.
    text = make_report(verdicts).render("markdown")
    assert text.splitlines()[0] == escape(
        "1 of 7 references could not be checked: timeout — rerun later · 8 references · 6 "
        "checked on Crossref, 1 not looked up (no DOI, nothing to search by) · 2 of 2 journal "
        "articles in peer-reviewed journals (0 confirmed by MEDLINE, DOAJ or the publisher) · "
        "3 of 7 from the last 5 years · 1 retracted, withdrawn or removed (of 5 records found) "
        "· 1 DOI no registry knows · 1 recommendation to update · 1 preprint")


def test_sentence_never_says_no_retraction_for_what_was_not_checked():
    report = make_report([verdict("bare", entry_type="misc", title="Notes")])
    first = report.render("markdown").splitlines()[0]
    # No DOI, no record: nothing was asked, no "0 retracted" is claimed, and nothing passed.
    assert first == escape("The reference has no DOI and nothing to search Crossref by: "
                           "nothing could be checked · 1 reference · 0 checked on Crossref, 1 "
                           "not looked up (no DOI, nothing to search by) · retractions not "
                           "checked (no registry record could be read)")


def test_policy_verdict_lists_failures_then_warnings(verdicts):
    text = make_report(verdicts).render("markdown")
    assert "**Outcome: FAILED — 1 rule of the policy is broken**" in text
    failure = text.index("- Fails: 1 reference retracted: pulled")
    warnings = text.index("Warnings:")
    assert failure < warnings < text.index(
        "- 1 DOI that no registry knows (a typo?): ghost")
    assert "warn_on" not in text and "fail_on" not in text  # the rules' codes are for JSON


def test_passing_list_says_passed(verdicts):
    trial = [v for v in verdicts if v.key == "trial"]
    assert "**Outcome: passed**" in make_report(trial).render("markdown")


def test_an_incomplete_list_is_never_said_to_pass(verdicts):
    late = [v for v in verdicts if v.key in ("trial", "late")]  # 1 of 2 answered
    text = make_report(late).render("markdown")
    assert "**Outcome: INCOMPLETE — not enough could be checked to pass**" in text
    assert "passed" not in text.split("### Scorecard")[0]


def test_scorecard_rows(verdicts):
    text = make_report(verdicts).render("markdown")
    assert "| Median age | 7 years (half of them between 3 and 13.5 years old) |" in text
    assert "| Age bands | 0–5 years: 3 · 6–10 years: 1 · 11+ years: 3 |" in text
    assert ("| Evidence levels | Systematic reviews/meta-analyses (evidence level 1, OCEBM): "
            "1; randomised trials (level 2): 1; design not determined: 5 |") in text
    # trial and meta: ISSN only, the journal lists not asked; who is a guideline.
    assert ("| Peer reviewed | 50 % (2 of 4 whose peer review is known); on what signal: "
            "journal with an ISSN only, peer review not confirmed (2); 1 recommendation counted "
            "apart |") in text
    assert ("| Guidelines and recommendations | 1 (guideline 1); 1 more than 5 years old: who |"
            in text)
    assert "| Preprints | 1, of which 1 with a published version: pre |" in text
    assert "| Retracted | 1: pulled |" in text
    assert "| Checked | 6 of 7 that could be asked got an answer |" in text


def test_guideline_window_follows_the_settings(verdicts):
    # "who" is 11 years old: outdated at a 5-year window, not at 12 years.
    settings = dataclasses.replace(SETTINGS, guideline_years=12)
    text = make_report(verdicts, settings).render("markdown")
    assert ("| Guidelines and recommendations | 1 (guideline 1); 0 more than 12 years old |"
            in text)


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
    assert rows[0].startswith("| pulled | — | 2023 | 3 | Journal article | journal with an ISSN "
                              "only, peer review not confirmed | **retracted** | — | "
                              "[10.1/pulled](https://doi.org/10.1/pulled) |")


def test_hostile_title_stays_one_inert_cell():
    report = make_report([verdict("x|y", entry_type="misc", title=HOSTILE, year=2020)])
    text = report.render("markdown")
    row = _reference_rows(text)[0]
    rendered = MarkdownIt("commonmark").enable("table").render(text)
    assert "<script>" not in rendered and "&lt;script&gt;" in rendered  # shown, not run
    assert "\\*bold\\*" in row and "\\_it\\_" in row and "\\`code\\`" in row
    assert "\\[x\\](y)" in row
    assert "x\\|y" in row  # the key's pipe is escaped too
    assert "second line" in row  # the newline became a space: still one row
    # Unescaped pipes delimit exactly the 9 columns (10 bars).
    assert row.replace("\\|", "").count("|") == 10


def test_escape_keeps_plain_text_readable_and_renders_it_as_written():
    written = "a\\b & c > d &amp; e <b>"
    assert escape(written) == "a\\\\b & c \\> d \\&amp; e \\<b\\>"
    rendered = MarkdownIt("commonmark").renderInline(escape(written))
    assert html.unescape(rendered) == written  # every character shown as it was written


def test_odd_doi_is_percent_encoded_in_the_link():
    doi = "10.1002/(sici)1097-0258(19980430)17:8<857::aid-sim777>3.0.co;2-e"
    report = make_report([verdict("odd", lookup=Lookup(doi, "not-found"), doi=doi)])
    row = _reference_rows(report.render("markdown"))[0]
    assert "(https://doi.org/10.1002/%28sici%291097-0258%2819980430%2917%3A8%3C857" in row
    assert "\\<857::aid-sim777\\>" in row


def test_one_age_for_the_middle_half_is_said_once():
    same = [verdict(f"r{i}", entry_type="book", title=f"Book {i}", year=2020) for i in range(4)]
    text = make_report(same).render("markdown")
    assert "| Median age | 6 years (at least half of them 6 years old) |" in text
