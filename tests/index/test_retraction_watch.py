"""Retraction Watch's list as a second source: a notice the CSV records for a cited DOI or
PubMed id counts even when Crossref's record lacks it; a reinstatement lifts a retraction; a
correction or an expression of concern is never a retraction; a broken row is one line."""

from __future__ import annotations

import json

from conftest import FIXTURES

from auditor.cli import main
from auditor.index.retraction_watch import read_retraction_watch

LIST = FIXTURES / "retraction-watch" / "retraction_watch.csv"
TRAINING = FIXTURES / "stand-in" / "training.bib"
RETRACTED = FIXTURES / "stand-in" / "retracted.bib"
AS_OF = ["--as-of", "2026-11-27", "--no-journals", "--no-cache"]


def by_key(report: dict) -> dict[str, dict]:
    return {r["key"]: r for r in report["references"]}


def test_the_list_is_read_row_by_row_and_a_broken_row_is_one_problem():
    listed = read_retraction_watch(LIST)
    assert listed.rows == 10
    assert [line for line, _why in listed.problems] == [10]  # a nature it does not know
    assert listed.without_id == 1  # a row that names no cited work: nothing to match, quiet
    retraction = listed.notices("10.1371/journal.pone.0033693")[0]
    assert (retraction.nature, retraction.date) == ("retraction", "2024-05-14")
    assert retraction.reasons == ("Concerns/Issues About Data",
                                  "Investigation by Journal/Publisher")
    assert [u.type for u in listed.updates(None, "25000002")] == ["reinstatement"]  # lifted


def test_check_reads_notices_crossref_lacks_and_never_calls_a_correction_a_retraction(
        crossref, capsys):
    main(["check", str(TRAINING), "--format", "json", "--retraction-watch", str(LIST),
          *AS_OF])
    report = json.loads(capsys.readouterr().out)
    refs = by_key(report)
    assert refs["sadasivan2012"]["status"] == "retracted"  # Crossref records a correction only
    assert any(u["source"] == "retraction-watch" and u["type"] == "retraction"
               and "Concerns/Issues About Data" in u["reasons"]
               for u in refs["sadasivan2012"]["updates"])
    assert refs["victora2016"]["status"] == "expression-of-concern"
    assert refs["writer2016"]["status"] != "retracted"
    assert report["run"]["retractions_as_of"]
    main(["check", str(TRAINING), "--retraction-watch", str(LIST), "--lang", "fr", *AS_OF])
    assert "Retraction Watch" in capsys.readouterr().err


def test_a_reinstatement_is_shown_beside_crossrefs_retraction(crossref, capsys):
    main(["check", str(RETRACTED), "--format", "json", "--retraction-watch", str(LIST), *AS_OF])
    coating = by_key(json.loads(capsys.readouterr().out))["coating2012"]
    assert coating["status"] == "retracted"  # Crossref's record still says so: both are shown
    assert any(f["code"] == "R009" and "still carries it" in f["message"]
               for f in coating["findings"])


def test_a_pubmed_id_alone_finds_its_notice_and_a_lifted_retraction_stands(capsys):
    main(["check", str(FIXTURES / "retraction-watch" / "by-pmid.nbib"), "--format", "json",
          "--offline", "--retraction-watch", str(LIST), *AS_OF])
    captured = capsys.readouterr()
    refs = json.loads(captured.out)["references"]
    assert refs[0]["status"] == "retracted"
    assert refs[1]["status"] != "retracted"
    assert any(f["code"] == "R009" and "the work stands" in f["message"]
               for f in refs[1]["findings"])
    assert "retraction_watch.csv:10" in captured.err  # the broken row, one line


def test_update_keeps_the_list_beside_the_cache_and_never_a_broken_download(httpserver,
                                                                           capsys, tmp_path):
    httpserver.expect_request("/rw.csv").respond_with_data(LIST.read_bytes(),
                                                           content_type="text/csv")
    httpserver.expect_request("/broken.csv").respond_with_data("<html>maintenance</html>")
    cache = ["--cache-dir", str(tmp_path / "cache")]
    assert main(["retractions", "update", "--url", httpserver.url_for("/rw.csv"), *cache]) == 0
    assert "10 rows" in capsys.readouterr().err
    kept = tmp_path / "cache" / "retraction_watch.csv"
    assert kept.read_bytes() == LIST.read_bytes()
    assert main(["retractions", "update", "--url", httpserver.url_for("/broken.csv"),
                 *cache]) == 2
    assert "still used" in capsys.readouterr().err
    assert kept.read_bytes() == LIST.read_bytes()  # the good copy stays
    main(["check", str(FIXTURES / "retraction-watch" / "by-pmid.nbib"), "--format", "json",
          "--offline", "--retraction-watch", "auto", *cache, "--as-of", "2026-11-27",
          "--no-journals"])
    assert json.loads(capsys.readouterr().out)["references"][0]["status"] == "retracted"


def test_a_work_retracted_again_after_its_reinstatement_is_retracted(tmp_path):
    header = LIST.read_bytes().decode("utf-8", "replace").splitlines()[0]
    rows = [f"{n},T,S,I,J,P,C,A,,Research Article;,{date} 0:00,,0,1/1/2015 0:00,10.5555/again,"
            f"0,{nature},,No," for n, date, nature in (
                (1, "1/1/2019", "Retraction"), (2, "1/1/2020", "Reinstatement"),
                (3, "1/1/2022", "Retraction"), (4, "1/1/2021", "Correction"))]
    (tmp_path / "rw.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    updates = read_retraction_watch(tmp_path / "rw.csv").updates("10.5555/AGAIN")
    assert sorted((u.type, u.date) for u in updates) == [
        ("correction", "2021-01-01"), ("retraction", "2019-01-01"),
        ("retraction", "2022-01-01")]  # the latest event is a retraction: nothing is lifted


def test_a_short_row_and_a_date_that_is_none_are_said_for_what_they_are(tmp_path):
    header = LIST.read_bytes().decode("utf-8", "replace").splitlines()[0]
    rows = ["1,T,S,I,J,P,C,A,,Research Article;,14/31/2021 0:00,,0,1/1/2015 0:00,10.5555/undated,"
            "0,Retraction,,No,", "2,T,S"]
    (tmp_path / "rw.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    listed = read_retraction_watch(tmp_path / "rw.csv")
    assert [str(why) for _line, why in listed.problems] == [
        "the row has 3 fields where the header has 20"]  # never "None"
    assert listed.undated == [(2, "14/31/2021 0:00")]  # month 14: no date, the notice kept
    assert [(u.type, u.date) for u in listed.updates("10.5555/undated")] == [("retraction", None)]


def test_a_quote_never_closed_loses_its_row_alone(tmp_path):
    """A title that opens a quote and never closes it would make the rest of the file one
    field: that row is said broken, and every row after it is still read."""
    header = LIST.read_bytes().decode("utf-8", "replace").splitlines()[0]

    def row(number: int, title: str, doi: str) -> str:
        return (f"{number},{title},S,I,J,P,C,A,,Research Article;,5/14/2024 0:00,,0,"
                f"1/1/2015 0:00,{doi},0,Retraction,+Concerns/Issues About Data;,No,")

    rows = [row(1, '"Unclosed, title', "10.5555/broken"), row(2, "Fine", "10.5555/next"),
            row(3, '"Quoted, over\ntwo lines"', "10.5555/multiline"),
            row(4, "Last", "10.5555/last")]
    (tmp_path / "rw.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    listed = read_retraction_watch(tmp_path / "rw.csv")
    assert [(line, str(why)) for line, why in listed.problems] == [
        (2, "a quote opened in this row is never closed")]
    assert listed.rows == 3
    for doi in ("10.5555/next", "10.5555/multiline", "10.5555/last"):
        assert [u.type for u in listed.updates(doi)] == ["retraction"], doi
    assert listed.notices("10.5555/multiline")[0].reasons == ("Concerns/Issues About Data",)
