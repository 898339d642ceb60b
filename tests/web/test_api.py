"""The HTTP API of `auditor serve` (POST /api/audit, GET /api/health) through Starlette's
TestClient, against the local Crossref stand-in: the same report as `auditor check`, and one
sentence with the right status for every input it cannot audit."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

import pytest
from conftest import FIXTURES
from starlette.testclient import TestClient

from auditor import __version__
from auditor.cli import main
from auditor.config import load_settings
from auditor.web.app import create_app

TRAINING = FIXTURES / "stand-in" / "training.bib"
AS_OF = "2026-11-27"
VICTORA = ("Victora CG, Bahl R, Barros AJ, et al. Breastfeeding in the 21st century: "
           "epidemiology, mechanisms, and lifelong effect. Lancet. 2016;387(10017):475-90. "
           "doi:10.1016/S0140-6736(15)01024-7")


def client(**options) -> TestClient:
    return TestClient(create_app(load_settings(), **options), raise_server_exceptions=False)


def cli_json(capsys, path: Path) -> dict:
    main(["check", str(path), "--format", "json", "--as-of", AS_OF])
    return json.loads(capsys.readouterr().out)


def comparable(report: dict) -> dict:
    """A JSON report without what differs between two runs on the same list: when it was
    made, how the inputs are named, what the run asked of the network."""
    out = {k: v for k, v in report.items() if k not in ("generated_at", "inputs", "run")}
    out["references"] = [{k: v for k, v in r.items() if k != "source"}
                         for r in report["references"]]
    return out


def test_health_says_ok_and_the_version():
    answer = client().get("/api/health")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok", "version": __version__}


def test_an_uploaded_file_gives_the_report_the_cli_gives(crossref, capsys):
    answer = client().post("/api/audit", data={"as_of": AS_OF},
                           files={"file": ("training.bib", TRAINING.read_bytes())})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/json")
    got = answer.json()
    expected = cli_json(capsys, TRAINING)
    for ours, theirs in zip(comparable(got)["references"], comparable(expected)["references"],
                            strict=True):
        assert ours == theirs
    assert comparable(got) == comparable(expected)
    assert got["inputs"] == ["training.bib"]  # the name it was sent under, not a path
    assert {r["source"]["file"] for r in got["references"]} == {"training.bib"}


def test_pasted_text_gives_the_report_the_cli_gives(crossref, capsys, tmp_path):
    pasted = tmp_path / "pasted.txt"
    pasted.write_text(VICTORA + "\n", "utf-8")
    answer = client().post("/api/audit", data={"text": VICTORA, "as_of": AS_OF})
    assert answer.status_code == 200
    got = answer.json()
    assert comparable(got) == comparable(cli_json(capsys, pasted))
    assert got["references"][0]["doi"] == "10.1016/s0140-6736(15)01024-7"


@pytest.mark.parametrize(("fmt", "media", "marker"), [
    ("csv", "text/csv", "victora2016"), ("markdown", "text/markdown", "| "),
    ("md", "text/markdown", "| "), ("html", "text/html", "<!DOCTYPE html>")])
def test_the_report_comes_in_the_format_asked(crossref, fmt, media, marker):
    answer = client().post("/api/audit", data={"format": fmt, "as_of": AS_OF},
                           files={"file": ("training.bib", TRAINING.read_bytes())})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith(media)
    assert marker in answer.text


def test_several_files_as_a_catalogue_give_one_row_each(crossref):
    second = FIXTURES / "stand-in" / "retracted.bib"
    answer = client().post("/api/audit", data={"mode": "catalogue", "as_of": AS_OF}, files=[
        ("file", ("training.bib", TRAINING.read_bytes())),
        ("file", ("retracted.bib", second.read_bytes()))])
    assert answer.status_code == 200
    got = answer.json()
    assert got["catalogue"] is True
    assert [t["inputs"] for t in got["trainings"]] == [["training.bib"], ["retracted.bib"]]


def test_several_files_as_one_list_are_audited_together(crossref):
    second = FIXTURES / "stand-in" / "retracted.bib"
    answer = client().post("/api/audit", data={"as_of": AS_OF}, files=[
        ("file", ("training.bib", TRAINING.read_bytes())),
        ("file", ("retracted.bib", second.read_bytes()))])
    got = answer.json()
    assert got["inputs"] == ["training.bib", "retracted.bib"]
    assert {r["source"]["file"] for r in got["references"]} == {"training.bib", "retracted.bib"}


@pytest.mark.parametrize(("data", "files", "status", "words"), [
    ({}, None, 400, "nothing to audit"),
    ({"text": "   \n "}, None, 400, "nothing to audit"),
    ({}, {"file": ("empty.bib", b"")}, 400, "empty.bib is empty"),
    ({}, {"file": ("photo.bib", bytes(range(256)) * 40)}, 400, "photo.bib"),
    ({"text": VICTORA, "as_of": "yesterday"}, None, 422, "yyyy-mm-dd"),
    ({"text": VICTORA, "as_of": "2026-02-30"}, None, 422, "yyyy-mm-dd"),
    ({"text": VICTORA, "recent_years": "-3"}, None, 422, "recency window"),
    ({"text": VICTORA, "recent_years": "1e3"}, None, 422, "recency window"),
    ({"text": VICTORA, "mode": "nonsense"}, None, 422, "mode"),
    ({"text": VICTORA, "lang": "de"}, None, 422, "lang"),
    ({"text": VICTORA, "format": "pdf"}, None, 422, "format"),
], ids=["nothing", "blank text", "empty file", "binary", "bad date", "no such day",
        "negative years", "years in exponent", "unknown mode", "unknown language",
        "unknown format"])
def test_what_cannot_be_audited_is_one_sentence_with_its_status(data, files, status, words):
    answer = client().post("/api/audit", data=data, files=files)
    assert answer.status_code == status
    body = answer.json()
    assert body["status"] == status and words in body["error"].lower()
    assert "Traceback" not in answer.text and "\n" not in body["error"]


def test_a_request_larger_than_the_cap_is_refused_with_413():
    small = client(max_upload=10_000)
    answer = small.post("/api/audit", files={"file": ("big.bib", b"@misc{a,}\n" * 5_000)})
    assert answer.status_code == 413
    assert "MB" in answer.json()["error"]

    def chunks():  # no Content-Length: refused as the body streams past the cap
        for _ in range(50):
            yield b"x" * 1_000

    streamed = small.post("/api/audit", content=chunks(),
                          headers={"content-type": "multipart/form-data; boundary=b"})
    assert streamed.status_code == 413


def test_wrong_addresses_and_methods_answer_json_under_api():
    web = client()
    assert web.get("/api/audit").status_code == 405
    assert "error" in web.get("/api/audit").json()
    missing = web.get("/api/nothing-here")
    assert missing.status_code == 404 and missing.json()["status"] == 404


def test_two_audits_at_once_both_answer_and_the_cache_stays_whole(crossref, tmp_path):
    web = client()
    answers: dict[str, dict] = {}

    def audit(name: str, text: str) -> None:
        answers[name] = web.post("/api/audit", data={"text": text, "as_of": AS_OF}).json()

    threads = [threading.Thread(target=audit, args=("bib", TRAINING.read_text("utf-8"))),
               threading.Thread(target=audit, args=("pasted", VICTORA))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers["bib"]["references"]) > 1
    assert answers["pasted"]["references"][0]["title"].startswith("Breastfeeding in the 21st")
    cache = next((tmp_path / "cache").rglob("*.sqlite*"))
    with sqlite3.connect(cache) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_format_bibtex_answers_the_corrected_file_and_keeps_every_other_byte(crossref):
    latin = ("% Fichier en Latin-1 : é\n".encode("latin-1") + TRAINING.read_bytes())
    answer = client().post("/api/audit", data={"as_of": AS_OF, "format": "bibtex"},
                           files={"file": ("C:\\cours\\liste.bib", latin)})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/x-bibtex; charset=latin-1")
    assert 'filename="liste.fixed.bib"' in answer.headers["content-disposition"]
    fixed = answer.content
    assert fixed.startswith("% Fichier en Latin-1 : é\n".encode("latin-1"))
    assert b"doi     = {10.1016/S0140-6736(15)01024-7}" in fixed
    assert b"https://doi.org/10.1016" not in fixed
    # only the DOI line and the notes added differ: every original line is still there
    kept = [line for line in latin.splitlines() if b"https://doi.org/" not in line]
    assert all(line in fixed.splitlines() for line in kept)


@pytest.mark.parametrize(("form", "files"), [
    ({"text": VICTORA}, None),  # a pasted citation, not BibTeX
    ({}, [("file", ("a.bib", TRAINING.read_bytes())), ("file", ("b.bib", TRAINING.read_bytes()))]),
])
def test_format_bibtex_needs_one_bibtex_input(form, files):
    answer = client().post("/api/audit", data={"format": "bibtex", **form}, files=files)
    assert answer.status_code == 422
    assert "one BibTeX" in answer.json()["error"]


def word_list() -> bytes:
    import io

    import docx

    document = docx.Document()
    document.add_heading("Bibliographie", 1)
    document.add_paragraph(VICTORA, style="List Number")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_format_bibtex_with_a_word_document_is_a_bad_setting_not_an_unreadable_file():
    answer = client().post("/api/audit", data={"format": "bibtex"},
                           files={"file": ("liste.docx", word_list())})
    assert answer.status_code == 422
    assert "one BibTeX" in answer.json()["error"]


def test_a_word_document_on_the_page_gets_its_report_without_a_note_on_the_bib(crossref):
    from tests.web.test_page import finished_job

    web = client()
    page = web.get(finished_job(web, files={"file": ("liste.docx", word_list())})).text
    assert "corrected.bib" not in page and "no corrected .bib" not in page
    assert "The report" in page  # the report's frame is there


def test_two_audits_at_once_keep_together_within_crossrefs_limits(monkeypatch):
    """Crossref counts a machine's requests, not an audit's: the polite pool's list route
    allows 3 requests in flight, so two audits searching at once must share those 3."""
    from stand_in import Behaviour, serve

    server, counters = serve(records={}, behaviour=Behaviour(latency=0.3, speed_up=3))
    monkeypatch.setenv("AUDITOR_CROSSREF_URL", f"http://127.0.0.1:{server.server_port}")
    monkeypatch.setenv("AUDITOR_MAILTO", "trainer@example.org")
    web = client()
    statuses: list[int] = []

    def audit(topic: str) -> None:
        text = "\n".join(f"Martin C, Durand L. {topic} in mothers of term infants, cohort "
                         f"number {n}. J Hum Lact. 2019;35(2):{100 + n}-{110 + n}."
                         for n in range(9))
        statuses.append(web.post("/api/audit", data={"text": text, "as_of": AS_OF}).status_code)

    try:
        threads = [threading.Thread(target=audit, args=(topic,))
                   for topic in ("Nipple pain", "Milk supply")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.shutdown()
    assert statuses == [200, 200]
    seen = counters.snapshot()
    assert seen["requests"]["list"] >= 18  # every reference was searched
    assert seen["429"].get("list", 0) == 0
    assert seen["peak_concurrency"]["list"] <= 3


def test_stopping_the_server_ends_a_running_audit_and_refuses_new_ones(monkeypatch):
    """Ctrl-C must not wait for an audit of many references to ask them all."""
    from stand_in import Behaviour, serve

    from auditor.web.audits import Asked, run
    from auditor.web.jobs import Jobs

    server, counters = serve(records={}, behaviour=Behaviour(latency=0.2))
    monkeypatch.setenv("AUDITOR_CROSSREF_URL", f"http://127.0.0.1:{server.server_port}")
    jobs = Jobs()
    web = TestClient(create_app(load_settings(), jobs=jobs), raise_server_exceptions=False)
    text = "\n".join(f"Martin C, Durand L. Nipple pain in mothers of term infants, cohort {n}. "
                     f"J Hum Lact. 2019;35(2):{100 + n}-{110 + n}." for n in range(40))
    try:
        job = jobs.start("en", lambda job: run(Asked([("list", text.encode())]),
                                                load_settings(), job))
        while counters.snapshot()["requests"].get("list", 0) < 2:
            threading.Event().wait(0.05)
        jobs.stop()
        while not job.finished:
            threading.Event().wait(0.05)
        refused = web.post("/api/audit", data={"text": VICTORA})
    finally:
        server.shutdown()
    assert counters.snapshot()["requests"]["list"] < 40  # it stopped asking
    assert refused.status_code == 503 and "stopping" in refused.json()["error"]


def test_a_files_name_is_shown_as_the_person_named_it():
    """Chromium sends a file named `cours "allaitement".bib` as `cours %22allaitement%22.bib`
    (the HTML standard's form encoding of `"`, LF and CR); folders are never kept."""
    from auditor.web.audits import file_name

    assert file_name('cours %22allaitement%22.bib', 1) == 'cours "allaitement".bib'
    assert file_name("C:\\Users\\léa\\été%0A.bib", 1) == "été.bib"
    assert file_name("../../etc/passwd", 1) == "passwd"
    assert file_name("", 3) == "file 3"


def test_a_download_keeps_the_accents_of_its_name(crossref):
    from urllib.parse import unquote

    answer = client().post("/api/audit", data={"as_of": AS_OF, "format": "bibtex"},
                           files={"file": ("été 2026.bib", TRAINING.read_bytes())})
    disposition = answer.headers["content-disposition"]
    assert 'filename="ete-2026.fixed.bib"' in disposition  # for a browser without RFC 6266
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == "été-2026.fixed.bib"


@pytest.mark.parametrize("data", [{"text": VICTORA, "as_of": "yesterday"},
                                  {"text": VICTORA, "mode": "x"}, {"text": "  "}])
def test_a_refusal_is_said_in_the_language_the_form_asks_for(data):
    answer = client().post("/api/audit", data={**data, "lang": "fr"})
    assert answer.status_code in (400, 422)
    error = answer.json()["error"]
    assert any(word in error for word in ("AAAA-MM-JJ", "doit valoir", "rien à vérifier")), error


def test_a_broken_form_is_said_in_the_asked_language_not_starlettes():
    answer = client().post("/api/audit?lang=fr", content=b"--b\r\nnot a part",
                           headers={"content-type": "multipart/form-data; boundary=b"})
    assert answer.status_code == 400
    assert "formulaire" in answer.json()["error"] and "Invalid" not in answer.json()["error"]


def test_a_pasted_list_in_a_french_catalogue_is_a_liste_collee(crossref):
    answer = client().post("/api/audit", data={"text": VICTORA, "mode": "catalogue",
                                               "lang": "fr", "format": "markdown",
                                               "as_of": AS_OF},
                           files={"file": ("training.bib", TRAINING.read_bytes())})
    assert answer.status_code == 200
    assert "liste collée" in answer.text and "pasted list" not in answer.text
