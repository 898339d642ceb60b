"""`auditor check` end to end: the policy's thresholds and warnings, --explain-policy, and
--pubmed against local Crossref and E-utilities stand-ins."""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES
from pubmed_stand_in import Article

from auditor.cli import main

TRAINING = str(FIXTURES / "stand-in" / "training.bib")
AS_OF = ["--as-of", "2026-11-27"]


def run_json(capsys, *args):
    code = main(["check", TRAINING, *args, "--format", "json", "--mailto", "qa@example.org",
                 *AS_OF])
    out, err = capsys.readouterr()
    return code, json.loads(out) if out.strip() else None, err


def by_key(report):
    return {r["key"]: r for r in report["references"]}


@pytest.fixture
def ncbi(crossref):
    """The E-utilities stand-in the crossref fixture serves (PubMed and the NLM Catalog)."""
    return crossref.eutils


def test_default_policy_passes_with_warnings_listed(crossref, capsys):
    code, report, _ = run_json(capsys)
    assert code == 0
    policy = report["policy"]
    assert policy["passed"] is True and policy["failures"] == []
    # typo2019's DOI is unknown to the stand-in: a warning (warn_on: not-found), not a failure
    assert [(w["rule"], w["references"]) for w in policy["warnings"]] == [
        ("warn_on:not-found", ["typo2019"])]
    assert report["summary"]["warned"] is True


@pytest.mark.parametrize(("flags", "rule", "references"), [
    # Ages at 2026: victora 10, sadasivan 14, writer 10, typo 7, lawrence 4, badoi 6.
    pytest.param(["--min-recent-share", "90%"], "min_recent_share",
                 ["victora2016", "sadasivan2012", "writer2016", "typo2019", "badoi"],
                 id="recent-share"),
    pytest.param(["--max-median-age", "8"], "max_median_age",  # median 8.5
                 ["victora2016", "sadasivan2012", "writer2016"], id="median-age"),
    pytest.param(["--fail-on", "preprint,not-found"], "fail_on:preprint", ["writer2016"],
                 id="fail-on-preprint"),
])
def test_thresholds_and_conditions_fail_with_the_references_behind(crossref, capsys, flags,
                                                                   rule, references):
    code, report, _ = run_json(capsys, *flags)
    assert code == 1
    failures = {f["rule"]: f for f in report["policy"]["failures"]}
    assert failures[rule]["references"] == references
    assert report["summary"]["passed"] is False


def test_shares_met_pass(crossref, capsys):
    code, report, _ = run_json(capsys, "--min-recent-share", "0.1", "--max-median-age", "20")
    assert (code, report["policy"]["failures"]) == (0, [])
    assert report["policy"]["min_recent_share"] == 0.1


def test_policy_from_pyproject_and_explained(crossref, capsys, tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text(
        "[tool.auditor]\nmin_peer_reviewed_share = 0.95\nwarn_on = []\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, report, _ = run_json(capsys)
    assert code == 1
    assert [f["rule"] for f in report["policy"]["failures"]] == ["min_peer_reviewed_share"]
    assert report["policy"]["warnings"] == []
    assert main(["check", "--explain-policy", "--max-median-age", "8"]) == 0
    out = capsys.readouterr().out
    lines = {line.split("#")[0].strip(): line.rsplit("#", 1)[1].strip()
             for line in out.splitlines() if "=" in line and not line.startswith("# eff")}
    assert lines["min_peer_reviewed_share = 0.95"] == str(tmp_path / "pyproject.toml")
    assert lines["max_median_age = 8"] == "the command line"
    assert lines["recent_years = 5"] == "default"
    assert lines["warn_on = []"] == str(tmp_path / "pyproject.toml")


@pytest.mark.parametrize(("flags", "message"), [
    (["--min-recent-share", "150%"], "share from 0 to 1"),
    (["--min-peer-reviewed-share", "lots"], "min-peer-reviewed-share"),
    (["--warn-on", "retracted,bogus"], "bogus"),
    (["--max-median-age", "-1"], "max-median-age"),
])
def test_bad_policy_values_are_one_line_usage_errors(capsys, flags, message):
    assert main(["check", TRAINING, *flags]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_check_without_paths_is_a_usage_error(capsys):
    assert main(["check"]) == 2
    assert "PATH" in capsys.readouterr().err


def test_pubmed_types_decide_the_design(crossref, ncbi, capsys):
    ncbi.add(Article("26869575", "10.1016/S0140-6736(15)01024-7", ("Journal Article", "Review")),
             Article("22479394", "10.1371/journal.pone.0033693",
                     ("Journal Article", "Retracted Publication"), ("Cohort Studies",)))
    code, report, _ = run_json(capsys, "--pubmed")
    refs = by_key(report)
    victora = refs["victora2016"]["evidence"]
    assert (victora["design"], victora["ocebm_level"], victora["pmid"]) == (
        "narrative-review", 5, "26869575")
    assert "PubMed publication type 'Review'" in victora["signal"]
    # PubMed's "Retracted Publication" is a retraction even where Crossref records none
    sadasivan = refs["sadasivan2012"]
    assert sadasivan["status"] == "retracted"
    assert (sadasivan["evidence"]["design"], sadasivan["evidence"]["ocebm_level"]) == (
        "cohort", None)
    assert code == 1
    # the unknown DOI is not asked; the two found and the preprint are, in one search
    searches = [r for r in ncbi.requests if r[0] == "esearch" and r[2]["db"] == "pubmed"]
    assert len(searches) == 1 and "does-not-exist" not in searches[0][2]["term"]
    assert report["run"]["pubmed_requests"] == 2


def test_pubmed_unreachable_leaves_title_signals_and_says_so(crossref, capsys, monkeypatch):
    monkeypatch.setenv("AUDITOR_NCBI_URL", "http://127.0.0.1:9/eutils")
    code, report, err = run_json(capsys, "--pubmed", "--retries", "0")
    assert code == 0
    victora = by_key(report)["victora2016"]
    assert victora["evidence"]["pmid"] is None
    assert any(f["code"] == "E003" for f in victora["findings"])
    assert "PubMed: 3 of 3 DOIs unchecked (could not connect" in err


def test_without_pubmed_flag_pubmed_is_never_asked(crossref, ncbi, capsys):
    run_json(capsys)
    assert [r for r in ncbi.requests if r[2]["db"] == "pubmed"] == []
    assert {r[2]["db"] for r in ncbi.requests} == {"nlmcatalog"}  # the journal lists are


def test_csv_to_a_file_writes_the_scorecard_beside_it(crossref, capsys, tmp_path):
    import csv

    out = tmp_path / "audit.csv"
    assert main(["check", TRAINING, "-o", str(out), *AS_OF]) == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # a BOM: Excel reads UTF-8 accents
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert [r["key"] for r in rows][:2] == ["victora2016", "sadasivan2012"]
    summary = {r["metric"]: r for r in csv.DictReader(
        (tmp_path / "audit.summary.csv").open(encoding="utf-8-sig"))}
    assert summary["references"]["value"] == "6"
    assert summary["not_found"]["references"] == "typo2019"


def test_csv_on_stdout_has_the_scorecard_as_a_second_section(crossref, capsys):
    assert main(["check", TRAINING, "--format", "csv", *AS_OF]) == 0
    references, scorecard = capsys.readouterr().out.split("\n\n", 1)
    assert len(references.splitlines()) == 7  # header + 6 references
    assert scorecard.startswith("metric,value,references")


def test_markdown_report_end_to_end(crossref, capsys, tmp_path):
    out = tmp_path / "audit.md"
    assert main(["check", TRAINING, "-o", str(out), *AS_OF]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("6 references · 6 checked on Crossref")
    assert "[10.1016/s0140-6736(15)01024-7](https://doi.org/" in text


def test_journal_lists_grade_the_peer_review_signal(crossref, capsys):
    code, report, _ = run_json(capsys)
    assert code == 0
    refs = by_key(report)
    # The stand-in NLM Catalog indexes PLoS ONE (1932-6203): a MEDLINE journal, named so
    assert refs["sadasivan2012"]["peer_review_signal"] == "indexed"
    assert "MEDLINE journal" in refs["sadasivan2012"]["peer_review_reason"]
    # a preprint has no journal signal, whatever its server
    assert refs["writer2016"]["peer_review_signal"] == "none"
    assert report["summary"]["peer_review_signals"] == {"indexed": 2}
    # one batch per list for the 2 journals' ISSNs, counted in the run
    assert report["run"]["journal_requests"] == len(crossref.doaj.requests) + len(
        [r for r in crossref.eutils.requests if r[2]["db"] == "nlmcatalog"])


def test_a_journal_in_neither_list_keeps_the_issn_signal(crossref, capsys):
    code = main(["check", str(FIXTURES / "stand-in" / "retracted.bib"), "--format", "json",
                 "--mailto", "qa@example.org", *AS_OF])
    report = json.loads(capsys.readouterr().out)
    assert code == 1  # retracted
    ref = report["references"][0]
    assert ref["peer_review_signal"] == "issn"
    assert "not currently indexed for MEDLINE nor listed in DOAJ" in ref["peer_review_reason"]
    assert "peer review not confirmed" in ref["peer_review_reason"]


def test_no_journals_asks_no_list_and_stays_at_the_issn(crossref, capsys):
    _, report, _ = run_json(capsys, "--no-journals")
    assert crossref.doaj.requests == []
    assert [r for r in crossref.eutils.requests if r[2]["db"] == "nlmcatalog"] == []
    assert report["summary"]["peer_review_signals"] == {"issn": 2}
    assert "journal lists (MEDLINE, DOAJ) were not asked" in by_key(report)["victora2016"][
        "peer_review_reason"]


def test_unreachable_journal_lists_never_lower_the_signal(crossref, capsys, monkeypatch):
    monkeypatch.setenv("AUDITOR_NCBI_URL", "http://127.0.0.1:9/eutils")
    monkeypatch.setenv("AUDITOR_DOAJ_URL", "http://127.0.0.1:9/doaj")
    code, report, err = run_json(capsys, "--retries", "0")
    assert code == 0  # the journals' lists are not what "checked" means: Crossref answered
    assert report["summary"]["peer_review_signals"] == {"issn": 2}
    assert report["summary"]["peer_reviewed"] == 2
    assert "the NLM Catalog: 2 of 2 journals could not be asked about (could not connect" in err
    assert "DOAJ: 2 of 2 journals could not be asked about" in err and "ISSN-only signal" in err


@pytest.mark.parametrize(("requires", "peer_reviewed"), [
    ("issn", 2), ("indexed", 2), ("asserted", 0)])
def test_peer_review_requires_sets_what_counts(crossref, capsys, requires, peer_reviewed):
    # Both journal articles are in journals the stand-in NLM Catalog indexes; no publisher of
    # the stand-in records asserts peer review.
    _, report, _ = run_json(capsys, "--peer-review-requires", requires)
    assert report["summary"]["peer_reviewed"] == peer_reviewed
    assert report["policy"]["peer_review_requires"] == requires


def test_requiring_indexing_when_the_lists_cannot_be_reached_refuses_no_journal(
        crossref, capsys, monkeypatch):
    # The Lancet cannot be said to be outside MEDLINE because NLM did not answer: with
    # indexing required, its articles are "not known", never "not peer reviewed".
    monkeypatch.setenv("AUDITOR_NCBI_URL", "http://127.0.0.1:9/eutils")
    monkeypatch.setenv("AUDITOR_DOAJ_URL", "http://127.0.0.1:9/doaj")
    code, report, _ = run_json(capsys, "--retries", "0", "--peer-review-requires", "indexed",
                               "--fail-on", "retracted,not-peer-reviewed")
    failures = {f["rule"]: f["references"] for f in report["policy"]["failures"]}
    # writer2016 is a preprint: not peer reviewed whatever the lists say
    assert failures == {"fail_on:not-peer-reviewed": ["writer2016"]} and code == 1
    victora = by_key(report)["victora2016"]
    assert (victora["peer_review_signal"], victora["journal_checked"]) == ("issn", False)
    assert "could not all be reached" in victora["peer_review_reason"]
    summary = report["summary"]
    # victora and sadasivan left out of the share: writer (not) and lawrence (book) remain
    assert (summary["peer_reviewed"], summary["peer_review_known"]) == (0, 2)


def test_requiring_indexing_when_the_lists_answered_refuses_an_unlisted_journal(
        crossref, capsys):
    code = main(["check", str(FIXTURES / "stand-in" / "retracted.bib"), "--format", "json",
                 "--mailto", "qa@example.org", "--peer-review-requires", "indexed",
                 "--fail-on", "not-peer-reviewed", *AS_OF])
    report = json.loads(capsys.readouterr().out)
    ref = report["references"][0]
    assert ref["journal_checked"] is True  # both lists answered: neither lists the journal
    failure = report["policy"]["failures"][0]
    assert code == 1 and failure["references"] == ["coating2012"]
    assert "in a journal neither in MEDLINE nor in DOAJ" in failure["message"]


def test_a_pmid_alone_is_looked_up_by_the_doi_pubmed_holds(crossref, ncbi, capsys, tmp_path):
    ncbi.add(Article("26869575", "10.1016/S0140-6736(15)01024-7", ("Journal Article",)))
    listed = tmp_path / "pmids.txt"
    listed.write_text("PMID: 26869575\nPMID: 99999999\n", "utf-8")
    main(["check", str(listed), "--format", "json", "--mailto", "qa@example.org", *AS_OF])
    report = json.loads(capsys.readouterr().out)
    victora, unknown = report["references"]
    assert victora["doi"] == "10.1016/s0140-6736(15)01024-7"
    assert victora["resolution"] == "verified" and victora["year"] == 2016  # the record read
    assert "D012" in [f["code"] for f in victora["findings"]]
    assert unknown["doi"] is None and "D012" not in [f["code"] for f in unknown["findings"]]
    fetches = [r for r in ncbi.requests if r[0] == "efetch"]
    assert len(fetches) == 1 and set(fetches[0][2]["id"].split(",")) == {"26869575", "99999999"}


def test_a_pmid_offline_and_not_cached_is_said_and_not_guessed(crossref, ncbi, capsys, tmp_path):
    listed = tmp_path / "pmids.txt"
    listed.write_text("PMID: 26869575\n", "utf-8")
    main(["check", str(listed), "--offline", "--format", "json", *AS_OF])
    out, err = capsys.readouterr()
    assert json.loads(out)["references"][0]["doi"] is None
    assert "1 of 1 PMIDs could not be asked for their DOI (offline" in err
    assert ncbi.requests == []
