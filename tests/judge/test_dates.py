import datetime as dt

import pytest
from builders import make_reference, make_work

from auditor.judge.dates import judge_dates

P = pytest.param
AS_OF = dt.date(2026, 11, 27)


@pytest.mark.parametrize(("cited", "message", "year", "source", "age", "recent"), [
    P(2016, {"issued": {"date-parts": [[2016, 1, 30]]}}, 2016, "crossref", 10, False,
      id="registry-year"),
    P(2021, {"issued": {"date-parts": [[2021]]}}, 2021, "crossref", 5, True,
      id="exactly-five-years-is-recent"),
    P(2020, None, 2020, "cited", 6, False, id="cited-year-when-no-record"),
    P(None, {"issued": {"date-parts": [[None]]}, "created": {"date-parts": [[2003, 7, 1]]}},
      2003, "crossref", 23, False, id="null-issued-falls-back"),
    P(2028, None, 2028, "cited", 0, True, id="future-year-clamped"),
])
def test_year_age_recent(cited, message, year, source, age, recent):
    work = make_work(**message) if message is not None else None
    dating = judge_dates(make_reference(year=cited), work, AS_OF, 5)
    assert (dating.year, dating.source, dating.age_years, dating.recent) == (
        year, source, age, recent)


def test_missing_year_is_a_warning_and_nothing_is_guessed():
    dating = judge_dates(make_reference(), None, AS_OF, 5)
    assert (dating.year, dating.age_years, dating.recent) == (None, None, None)
    assert [f.code for f in dating.findings] == ["Y001"]


def test_future_year_is_flagged():
    assert "Y002" in [f.code for f in judge_dates(make_reference(year=2030), None, AS_OF,
                                                  5).findings]


def test_not_recent_is_info_and_names_the_window():
    finding = next(f for f in judge_dates(make_reference(year=2001), None, AS_OF, 5).findings)
    assert (finding.code, finding.severity) == ("Y003", "info")
    assert "25 years" in finding.message and "≤ 5" in finding.message


@pytest.mark.parametrize(("cited", "expect_flag"), [
    P(2015, False, id="print-year-accepted"),
    P(2014, False, id="online-year-accepted"),
    P(2016, False, id="one-year-slack"),
    P(2010, True, id="five-years-off-flagged"),
])
def test_cited_year_against_print_and_online(cited, expect_flag):
    work = make_work(**{"issued": {"date-parts": [[2014, 11, 2]]},
                        "published-online": {"date-parts": [[2014, 11, 2]]},
                        "published-print": {"date-parts": [[2015, 3]]}})
    findings = judge_dates(make_reference(year=cited), work, AS_OF, 5).findings
    assert ("Y004" in [f.code for f in findings]) is expect_flag


def test_recent_window_is_configurable():
    assert judge_dates(make_reference(year=2017), None, AS_OF, 10).recent is True
    assert judge_dates(make_reference(year=2017), None, AS_OF, 5).recent is False
