import datetime as dt

import pytest
from builders import found, make_reference, make_work

from auditor import codes
from auditor.config import Settings
from auditor.judge import judge
from auditor.judge.policy import evaluate_policy
from auditor.judge.scorecard import build_summary
from auditor.model import InputProblem, Lookup, SourceLocation

SETTINGS = Settings(as_of=dt.date(2026, 11, 27))
JOURNAL = {"ISSN": ["1234-5678"], "container-title": ["J"]}
RETRACTION = {"updated-by": [{"DOI": "10.1/notice", "type": "retraction",
                              "source": "retraction-watch"}]}


def verdict(key, message=None, lookup=None, **reference):
    reference.setdefault("doi", f"10.1/{key}" if message is not None or lookup else None)
    ref = make_reference(key=key, **reference)
    if message is not None:
        lookup = found(make_work(DOI=ref.doi, **message))
    return judge(ref, lookup, SETTINGS)


@pytest.fixture
def verdicts():
    return [
        verdict("a", {**JOURNAL, "issued": {"date-parts": [[2024]]}}),
        verdict("b", {**JOURNAL, "issued": {"date-parts": [[2010]]}}),
        verdict("c", {**JOURNAL, **RETRACTION, "issued": {"date-parts": [[2023]]}}),
        verdict("d", {"type": "posted-content", "subtype": "preprint",
                      "issued": {"date-parts": [[2025]]}}),
        verdict("e", lookup=Lookup("10.1/e", "unchecked", reason="timeout"), year=2019),
        verdict("f", lookup=Lookup("10.1/f", "not-found"), year=2000),
        verdict("g", entry_type="book", year=2022),
    ]


def test_summary_counts(verdicts):
    s = build_summary(verdicts, [])
    assert (s.references, s.with_doi, s.resolved, s.unchecked, s.not_found, s.no_identifier) == (
        7, 6, 4, 1, 1, 1)
    assert s.statuses == {"ok": 6, "retracted": 1}
    assert s.retracted == ["c"]
    assert s.kinds == {"journal-article": 5, "preprint": 1, "book": 1}  # e, f from the entry


def test_shares_leave_out_retracted_and_unknown(verdicts):
    s = build_summary(verdicts, [])
    # Known peer review (retracted c excluded): a, b peer-reviewed; d not; g book → 2 of 4.
    assert (s.peer_reviewed, s.peer_review_known, s.peer_reviewed_share) == (2, 4, 0.5)
    # Dated, c excluded: a 2024 (2 y), b 2010 (16), d 2025 (1), e 2019 (7), f 2000 (26),
    # g 2022 (4) → recent a, d, g = 3 of 6; median age of 1, 2, 4, 7, 16, 26 = 5.5.
    assert (s.recent, s.dated, s.recent_share, s.median_age) == (3, 6, 0.5, 5.5)


def test_empty_list_has_no_shares():
    s = build_summary([], [])
    assert (s.peer_reviewed_share, s.recent_share, s.median_age) == (None, None, None)


def test_default_policy_fails_only_on_retraction(verdicts):
    failures = evaluate_policy(verdicts, [], SETTINGS).failures
    assert [(f.rule, f.keys) for f in failures] == [("fail_on:retracted", ("c",))]


def test_policy_conditions_are_configurable(verdicts):
    settings = Settings(as_of=SETTINGS.as_of, fail_on=("not-found", "unchecked", "unreadable"))
    problem = InputProblem(SourceLocation("x.bib", 12), codes.UNREADABLE_ENTRY.make("bad"))
    failures = evaluate_policy(verdicts, [problem], settings).failures
    assert [(f.rule, f.keys) for f in failures] == [
        ("fail_on:not-found", ("f",)), ("fail_on:unchecked", ("e",)),
        ("unreadable", ("x.bib:12",))]


def test_passing_list_has_no_failures(verdicts):
    clean = [v for v in verdicts if v.key != "c"]
    assert evaluate_policy(clean, [], SETTINGS).failures == []
