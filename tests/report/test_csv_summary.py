"""The scorecard as CSV (`metric,value,references`): every figure, the references behind each
problem count, and the policy; the references CSV itself is unchanged."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from builders import report_of, verdict

from auditor.config import Settings
from auditor.model import Lookup, Verdict
from auditor.report import Report
from auditor.report.as_csv import render, render_summary, render_with_summary, summary_path

SETTINGS = Settings(as_of=dt.date(2026, 11, 27), fail_on=("retracted", "not-found"))
JOURNAL = {"ISSN": ["1234-5678"], "container-title": ["J"]}
RETRACTION = {"updated-by": [{"DOI": "10.1/notice", "type": "retraction",
                              "source": "retraction-watch"}]}


def make_report(verdicts: list[Verdict], settings: Settings = SETTINGS) -> Report:
    """Assembled by the pipeline's own make_report, without the network."""
    return report_of(verdicts, settings)


@pytest.fixture
def report() -> Report:
    return make_report([
        verdict("a", {**JOURNAL, "issued": {"date-parts": [[2024]]}}),
        verdict("b", {**JOURNAL, "issued": {"date-parts": [[2010]]}}),
        verdict("c", {**JOURNAL, **RETRACTION, "issued": {"date-parts": [[2023]]}}),
        verdict("d", {"type": "posted-content", "subtype": "preprint",
                      "issued": {"date-parts": [[2025]]}}),
        verdict("e", lookup=Lookup("10.1/e", "unchecked", reason="timeout"), year=2019),
        verdict("f", lookup=Lookup("10.1/f", "not-found"), year=2000),
        verdict("f2", lookup=Lookup("10.1/f2", "not-found"), year=2001),
        verdict("g", entry_type="book", year=2022),
    ])


def rows_of(text: str) -> dict[str, dict[str, str]]:
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == ["metric", "value", "references"]
    by_metric = {row["metric"]: row for row in rows}
    assert len(by_metric) == len(rows)  # every metric appears once
    return by_metric


def test_counts_shares_and_ages(report):
    rows = rows_of(render_summary(report))
    # Counted (c retracted is excluded): a 2 y, b 16, d 1, e 7, f 26, f2 25, g 4 → sorted
    # 1 2 4 7 16 25 26: median 7, quartiles 3 and 20.5; recent 3 of 7 = 0.4286.
    assert rows["references"]["value"] == "8"
    assert rows["median_age"]["value"] == "7"
    assert (rows["age_q1"]["value"], rows["age_q3"]["value"]) == ("3", "20.5")
    assert rows["recent_share"]["value"] == "0.4286"
    # Peer review known: a, b (reviewed), d (preprint), g (book) → 2 of 4.
    assert rows["peer_reviewed_share"]["value"] == "0.5"
    assert rows["age_band:11+"]["value"] == "3"
    assert rows["kind:journal-article"]["value"] == "6"
    assert rows["status:retracted"]["value"] == "1"
    assert rows["design:not-determined"]["value"] == "7"


def test_problem_counts_name_their_references(report):
    rows = rows_of(render_summary(report))
    assert (rows["not_found"]["value"], rows["not_found"]["references"]) == ("2", "f; f2")
    assert (rows["retracted"]["value"], rows["retracted"]["references"]) == ("1", "c")
    assert rows["status:retracted"]["references"] == "c"
    assert rows["preprints"]["references"] == "d"
    assert rows["references"]["references"] == ""  # not a problem count
    assert rows["withdrawn"]["value"] == "0"


def test_policy_rows(report):
    rows = rows_of(render_summary(report))
    assert rows["policy:passed"]["value"] == "false"
    failure = rows["policy:failure:fail_on:not-found"]
    assert failure["value"] == "2 DOIs that no registry knows (typos?): f, f2"
    assert failure["references"] == "f; f2"
    assert rows["policy:failure:fail_on:retracted"]["references"] == "c"


def test_unknown_figures_are_empty():
    rows = rows_of(render_summary(make_report([verdict("x", entry_type="misc")])))
    assert rows["median_age"]["value"] == rows["recent_share"]["value"] == ""
    # a misc entry without a DOI: nothing could be asked, so the list did not pass
    assert (rows["policy:passed"]["value"], rows["policy:outcome"]["value"]) == ("false",
                                                                        "incomplete")


def test_references_csv_is_unchanged_and_stdout_has_both_sections(report):
    references = render(report)
    assert references.splitlines()[0].startswith("key,")
    both = render_with_summary(report)
    head, _, tail = both.partition("\n\n")
    assert head + "\n" == references
    assert tail.startswith("metric,value,references\n")
    assert rows_of(tail)["not_found"]["references"] == "f; f2"


def test_summary_path_sits_next_to_the_csv():
    assert summary_path("out/report.csv") == Path("out/report.summary.csv")


def test_formulas_from_the_input_are_neutralised():
    from auditor.report.as_csv import neutralise

    formula = '=HYPERLINK("http://evil.example","x")'
    assert neutralise(formula) == "'" + formula
    assert [neutralise(v) for v in ("+SUM(1,2)", "-2+3", "@cmd", "Plain title", 5, None)] == [
        "'+SUM(1,2)", "'-2+3", "'@cmd", "Plain title", 5, None]


def test_policy_settings_are_all_in_the_summary(report):
    rows = rows_of(render_summary(report))
    assert rows["setting:fail_on"]["value"] == "retracted, not-found"
    assert rows["setting:min_recent_share"]["value"] == ""
    assert "setting:warn_on" in rows and "setting:max_median_age" in rows


def test_reference_rows_neutralise_formulas_in_titles():
    import csv as csv_module
    import io

    from auditor.report.as_csv import render

    hostile = verdict("h", {**JOURNAL, "title": ['=HYPERLINK("http://evil.example","Full text")'],
                            "container-title": ["+SUM(1,2)"], "issued": {"date-parts": [[2024]]}})
    row = next(csv_module.DictReader(io.StringIO(render(make_report([hostile])))))
    assert row["title"].startswith("'=HYPERLINK(")
    assert row["container"] == "'+SUM(1,2)"
    assert row["year"] == "2024"
