import datetime as dt

import pytest
from builders import found, make_reference, make_work

from auditor import codes
from auditor.config import Settings
from auditor.judge import judge
from auditor.judge.identity import plain_reason
from auditor.judge.pass_fail import evaluate_policy
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
    # e (no answer), f (not found) and g (a book without DOI) have no record: their status is
    # not known, never "ok"
    assert s.statuses == {"ok": 3, "retracted": 1, "unchecked": 3}
    assert s.status_checked == 4
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


def test_quartiles_bands_and_problem_references(verdicts):
    s = build_summary(verdicts, [])
    # Ages without the retracted c: 1, 2, 4, 7, 16, 26 → quartiles by linear interpolation:
    # Q1 at rank 1.25 = 2 + 0.25 × 2 = 2.5; Q3 at rank 3.75 = 7 + 0.75 × 9 = 13.75.
    assert (s.age_quartiles, s.age_iqr) == ((2.5, 13.75), 11.25)
    assert s.age_bands == {"0-5": 3, "6-10": 1, "11+": 2}
    assert s.excluded == 1 and s.unresolved == 2  # f not found, g no identifier
    assert s.problem_references["retracted"] == ["c"]
    assert s.problem_references["unchecked"] == ["e"]
    assert s.problem_references["not_found"] == ["f"]
    assert s.problem_references["preprint"] == ["d"]
    assert s.problem_references["not_recent"] == ["b", "e", "f"]
    assert "mismatch" not in s.problem_references  # empty lists are left out
    assert (s.preprints, s.preprints_published) == (1, 0)


def test_evidence_mix_and_outdated_guidelines():
    vs = [verdict("sr", {**JOURNAL, "title": ["Nipple pain: a systematic review"],
                         "issued": {"date-parts": [[2020]]}}),
          verdict("old", {**JOURNAL, "title": ["Clinical practice guideline for mastitis"],
                          "issued": {"date-parts": [[2014]]}}),
          verdict("new", {**JOURNAL, "title": ["Consensus statement on donor milk"],
                          "issued": {"date-parts": [[2024]]}}),
          verdict("plain", {**JOURNAL, "title": ["Human milk oligosaccharides"],
                            "issued": {"date-parts": [[2024]]}})]
    s = build_summary(vs, [], guideline_years=5)
    assert s.designs == {"systematic-review": 1, "not-determined": 3}
    assert s.ocebm_levels == {"1": 1, "none": 3}
    assert (s.guidelines, s.outdated_guidelines) == (2, 1)
    assert s.recommendations == {"guideline": 1, "consensus": 1}
    assert s.problem_references["outdated_guideline"] == ["old"]
    # the 2014 guideline is 12 years old: E001; the 2020 review is 6: E002
    codes_by_key = {v.key: {f.code for f in v.findings} for v in vs}
    assert "E001" in codes_by_key["old"] and "E002" in codes_by_key["sr"]
    assert not {"E001", "E002"} & codes_by_key["new"]


def _policy(verdicts, **settings):
    s = Settings(as_of=SETTINGS.as_of, **settings)
    return evaluate_policy(verdicts, [], s, build_summary(verdicts, []))


def test_thresholds_name_the_references_behind_them(verdicts):
    outcome = _policy(verdicts, fail_on=(), min_recent_share=0.6, min_peer_reviewed_share=0.75,
                      max_median_age=5.0)
    failures = {f.rule: f for f in outcome.failures}
    assert set(failures) == {"min_recent_share", "min_peer_reviewed_share", "max_median_age"}
    assert failures["min_recent_share"].keys == ("b", "e", "f")  # 50 % < 60 %
    assert "3 of 6 references with a year are from the last 5 years (50 %)" in \
        failures["min_recent_share"].message
    assert failures["min_peer_reviewed_share"].keys == ("d", "g")  # preprint, book; 50 %
    assert failures["max_median_age"].keys == ("b", "e", "f")  # median 5.5 > 5
    assert not outcome.passed


def test_thresholds_met_and_boundaries_pass(verdicts):
    # exactly at the threshold passes: 50 % recent, 50 % peer reviewed, median 5.5 (5 of the
    # 6 references with a DOI answered: 83 %, enough with a minimum of 80 %)
    outcome = _policy(verdicts, fail_on=(), min_recent_share=0.5, min_peer_reviewed_share=0.5,
                      max_median_age=5.5, min_checked_share=0.8)
    assert outcome.passed and outcome.failures == []


def test_threshold_without_data_fails():
    outcome = _policy([verdict("x", entry_type="misc")], fail_on=(), min_recent_share=0.5)
    assert [f.message for f in outcome.failures] == [
        "no reference has a year, so the 50 % from the last 5 years required cannot be met"]


def test_warn_on_reports_without_failing(verdicts):
    outcome = _policy(verdicts, fail_on=("retracted",), warn_on=("preprint", "retracted",
                                                                  "unchecked"))
    assert [f.rule for f in outcome.failures] == ["fail_on:retracted"]
    # a condition in both lists fails; it is not warned about twice
    assert [(w.rule, w.keys, w.severity) for w in outcome.warnings] == [
        ("warn_on:preprint", ("d",), "warning"), ("warn_on:unchecked", ("e",), "warning")]


def test_publication_types_from_a_pubmed_export_decide_the_design():
    v = verdict("nbib", {**JOURNAL, "title": ["Skin-to-skin contact and breastfeeding"],
                         "issued": {"date-parts": [[2024]]}},
                pmid="38000001", pubmed_types=("Journal Article", "Randomized Controlled Trial"))
    assert (v.evidence.design, v.evidence.ocebm_level, v.evidence.pmid) == (
        "randomised-trial", 2, "38000001")
    assert v.to_dict()["cited"]["pmid"] == "38000001"


def test_peer_review_threshold_says_how_many_are_not_known(verdicts):
    outcome = _policy(verdicts, fail_on=(), min_peer_reviewed_share=0.9)
    # known: a, b (peer reviewed), d (preprint), g (book); e and f unknown; c retracted
    assert outcome.failures[0].message.startswith(
        "2 of 4 references whose peer review is known are peer reviewed (50 %), fewer than the "
        "90 % required; 2 references whose peer review is not known (not checked, not found, or "
        "no signal) are left out")


# --- incomplete: never passed on what was not checked ---------------------------------------

def test_too_few_answers_make_the_outcome_incomplete_not_passed(verdicts):
    # without the retracted c, 4 of the 5 references with a DOI got an answer (e timed out):
    # 80 % < 95 %
    outcome = _policy([v for v in verdicts if v.key != "c"], fail_on=("retracted",))
    assert outcome.failures == [] and outcome.outcome == "incomplete" and not outcome.passed
    assert outcome.incomplete == ("1 of 5 references could not be checked: timeout — rerun "
                                  "later")


def test_a_failure_on_what_was_checked_wins_over_incomplete(verdicts):
    outcome = _policy(verdicts)  # c is retracted, e unchecked
    assert outcome.outcome == "failed" and outcome.incomplete is not None


def test_enough_answers_pass(verdicts):
    outcome = _policy([v for v in verdicts if v.key not in ("c", "e")])
    assert outcome.outcome == "passed" and outcome.incomplete is None


def test_nothing_to_check_is_incomplete_never_passed():
    # books without DOI, not searched: nothing could be asked, so nothing was checked
    books = [verdict("b1", entry_type="book", year=2020), verdict("b2", entry_type="book",
                                                                 year=2021)]
    outcome = _policy(books)
    assert (build_summary(books, []).checkable, outcome.outcome) == (0, "incomplete")
    assert "none of the 2 references has a DOI" in outcome.incomplete


@pytest.mark.parametrize(("reason", "words"), [
    pytest.param("stopped asking Crossref: the server could not be reached",
                 "Crossref could not be reached — check the connection and rerun later",
                 id="unreachable"),
    pytest.param("offline and not in the cache", "run again without --offline", id="offline"),
    pytest.param("api.crossref.org did not answer in time (timeout)",
                 "Crossref did not answer in time — rerun later", id="timeout"),
    pytest.param("rate limited by Crossref (429)", "asked the auditor to slow down",
                 id="rate-limited"),
])
def test_why_it_is_incomplete_is_said_in_words(reason, words):
    assert words in plain_reason(reason)


def test_recommendations_are_counted_apart_from_the_peer_reviewed_share():
    who = judge(make_reference(key="who", entry_type="techreport", year=2023,
                               title="WHO guideline on breastfeeding counselling",
                               authors=("World Health Organization",)), None, SETTINGS)
    article = verdict("a", {**JOURNAL, "issued": {"date-parts": [[2024]]}})
    s = build_summary([who, article], [])
    assert who.peer_review == "recommendation"
    assert (s.peer_reviewed, s.peer_review_known, s.recommendation_documents) == (1, 1, 1)
    outcome = _policy([who, article], min_peer_reviewed_share=1.0)
    assert outcome.failures == []  # the WHO guideline is not held against the share
