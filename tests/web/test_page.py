"""The page of `auditor serve` through Starlette's TestClient: the form, an audit followed
phase by phase to its report, the downloads, and what keeps the page safe."""

from __future__ import annotations

import base64
import hashlib
import re
import time

import pytest
from conftest import FIXTURES
from starlette.testclient import TestClient

from auditor.config import load_settings
from auditor.web.app import create_app

TRAINING = FIXTURES / "stand-in" / "training.bib"
HOSTILE = ("Martin A. <script>alert(1)</script> and <img src=x onerror=alert(2)> in a title. "
           "J Hum Lact. 2021;37(2):201-9.")


def client() -> TestClient:
    return TestClient(create_app(load_settings()), raise_server_exceptions=False)


def finished_job(web: TestClient, **form) -> str:
    """Start an audit from the page's form and wait for it; its page's address."""
    files = form.pop("files", None)
    started = web.post("/audit", data={"as_of": "2026-11-27", **form}, files=files,
                       follow_redirects=False)
    assert started.status_code == 303
    page = started.headers["location"]
    job_id = re.match(r"/jobs/([^?]+)", page).group(1)
    for _ in range(200):
        state = web.get(f"/api/jobs/{job_id}").json()
        if state["finished"]:
            return page
        time.sleep(0.05)
    raise AssertionError("the audit did not finish")


def test_the_form_offers_paste_upload_and_settings():
    page = client().get("/")
    assert page.status_code == 200
    for name in ('name="text"', 'name="file"', 'type="file" multiple', 'name="as_of"',
                 'name="recent_years"', 'name="mode"'):
        assert name in page.text
    assert re.findall(r"<script[^>]*>", page.text) == ['<script src="/static/form.js">']
    from auditor.sources import SUFFIXES
    from auditor.sources.documents import DOCUMENT_SUFFIXES

    offered = re.search(r'accept="([^"]*)"', page.text).group(1).split(",")
    assert {*SUFFIXES, *DOCUMENT_SUFFIXES} <= set(offered)  # every file `check` reads


def test_an_audit_shows_its_phases_then_its_report_and_downloads(crossref):
    web = client()
    page_url = finished_job(web, files={"file": ("training.bib", TRAINING.read_bytes())})
    job_id = re.match(r"/jobs/([^?]+)", page_url).group(1)
    state = web.get(f"/api/jobs/{job_id}").json()
    names = [phase["name"] for phase in state["phases"]]
    assert names[0] == "Reading" and "Crossref" in names and names[-1] == "Judging"
    assert all(phase["finished"] and phase["done"] == phase["total"] for phase in state["phases"])
    page = web.get(page_url).text
    assert "Crossref: records by DOI" in page  # each phase named for a person
    assert f'src="/jobs/{job_id}/report.html' in page
    for suffix in ("json", "csv", "md", "html"):
        download = web.get(f"/jobs/{job_id}/report.{suffix}?download=1")
        assert download.status_code == 200
        assert download.headers["content-disposition"].startswith("attachment")
        # Excel reads a CSV as UTF-8 (accents and all) only after a byte-order mark, once
        assert (download.content.count(b"\xef\xbb\xbf"), download.content[:3] == b"\xef\xbb\xbf"
                ) == ((1, True) if suffix == "csv" else (0, False))
    json_report = web.get(f"/jobs/{job_id}/report.json").json()
    assert json_report["inputs"] == ["training.bib"]


def test_the_report_page_runs_only_its_own_script_and_style(crossref):
    web = client()
    job_id = re.match(r"/jobs/([^?]+)", finished_job(web, text=TRAINING.read_text())).group(1)
    report = web.get(f"/jobs/{job_id}/report.html")
    policy = report.headers["content-security-policy"]
    script = re.search(r"<script>(.*?)</script>", report.text, re.S).group(1)
    style = re.search(r"<style>(.*?)</style>", report.text, re.S).group(1)
    for inline, directive in ((script, "script-src"), (style, "style-src")):
        digest = base64.b64encode(hashlib.sha256(inline.encode()).digest()).decode()
        allowed = re.search(rf"{directive} ([^;]*)", policy).group(1)
        assert f"'sha256-{digest}'" in allowed
        assert "unsafe-inline" not in allowed
    assert "default-src 'none'" in policy


def test_links_to_other_sites_leave_the_reports_frame(crossref):
    """The page shows the report in a frame that may show only this server's pages
    (frame-src 'self'): a DOI's landing page has to open in a tab of its own."""
    web = client()
    job_id = re.match(r"/jobs/([^?]+)", finished_job(web, text=TRAINING.read_text())).group(1)
    page = web.get(f"/jobs/{job_id}")
    assert "frame-src 'self'" in page.headers["content-security-policy"]
    report = web.get(f"/jobs/{job_id}/report.html").text
    links = re.findall(r"<a [^>]*href=\"https?://[^>]*>", report)
    assert any("doi.org/10.1016/s0140-6736(15)01024-7" in link.lower() for link in links)
    assert all('target="_blank"' in link and "noopener" in link for link in links)


@pytest.mark.parametrize("path", ["/", "/api/health"])
def test_every_answer_carries_the_safety_headers(path):
    answer = client().get(path)
    policy = answer.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["referrer-policy"] == "same-origin"  # no address leaves for a DOI


def test_a_hostile_title_stays_text_in_the_page_and_the_report():
    web = client()  # nothing answers for Crossref: the title is shown as it was read
    job_id = re.match(r"/jobs/([^?]+)", finished_job(web, text=HOSTILE)).group(1)
    for address in (f"/jobs/{job_id}", f"/jobs/{job_id}/report.html",
                    f"/jobs/{job_id}/report.md"):  # Markdown escapes it as \<img
        text = web.get(address).text
        assert not re.search(r"(?<!\\)<(?:script>alert|img src=x)", text), address
    report = web.get(f"/jobs/{job_id}/report.html").text
    assert "&lt;/script&gt;" in report and "&lt;img src=x onerror=alert(2)&gt;" in report


def test_an_unreadable_input_says_why_on_the_page():
    web = client()
    page = web.get(finished_job(web, files={"file": ("photo.bib", bytes(range(256)) * 40)}))
    assert "The audit could not be done" in page.text
    assert re.search(r'class="error"[^>]*>photo\.bib: \w', page.text)
    assert 'src="/jobs/' not in page.text  # no report to show


def test_nothing_to_audit_is_said_at_once():
    answer = client().post("/audit", data={"text": "  "})
    assert answer.status_code == 400
    assert "nothing to audit" in answer.text


def test_a_form_too_large_is_refused_with_a_page_in_the_readers_language():
    small = TestClient(create_app(load_settings(), max_upload=10_000),
                       raise_server_exceptions=False)
    answer = small.post("/audit?lang=fr", files={"file": ("big.bib", b"@misc{a,}\n" * 5_000)})
    assert answer.status_code == 413
    assert answer.headers["content-type"].startswith("text/html")
    assert "<html" in answer.text and "Mo" in answer.text and "larger than" not in answer.text


@pytest.mark.parametrize(("form", "french"), [
    ({"text": "  "}, "rien à vérifier"),
    ({"text": HOSTILE, "as_of": "hier"}, "AAAA-MM-JJ"),
    ({"text": HOSTILE, "recent_years": "1e3"}, "fenêtre"),
])
def test_a_setting_or_input_refused_is_said_in_the_pages_language(form, french):
    answer = client().post("/audit?lang=fr", data=form)
    assert answer.status_code in (400, 422)
    assert french in answer.text
    assert 'lang="fr"' in answer.text


def test_the_form_without_a_language_keeps_the_one_of_the_page(crossref):
    started = client().post("/audit?lang=fr", data={"text": HOSTILE}, follow_redirects=False)
    assert started.status_code == 303 and started.headers["location"].endswith("lang=fr")


def test_ages_are_counted_on_the_day_of_the_audit_not_the_day_the_server_started():
    import dataclasses
    import datetime as dt

    from auditor.web import audits

    started = dataclasses.replace(load_settings(), as_of=dt.date(2020, 1, 1))  # as on that day
    assert audits.current(started).as_of == dt.date.today()
    fixed = load_settings({"as_of": "2020-01-01"})
    assert audits.current(fixed).as_of == dt.date(2020, 1, 1)  # a date the settings chose


def test_an_unknown_audit_is_a_page_that_says_so():
    answer = client().get("/jobs/12-nosuchjob")
    assert answer.status_code == 404
    assert "no such audit" in answer.text


def test_a_bib_upload_offers_the_file_auditor_fix_writes(crossref, tmp_path):
    from auditor.cli import main

    web = client()
    page_url = finished_job(web, files={"file": ("training.bib", TRAINING.read_bytes())})
    job_id = re.match(r"/jobs/([^?]+)", page_url).group(1)
    page = web.get(page_url).text
    assert f'href="/jobs/{job_id}/corrected.bib"' in page
    assert "1 DOI normalised" in page  # the URL-form DOI of victora2016 is normalised
    download = web.get(f"/jobs/{job_id}/corrected.bib")
    assert download.status_code == 200
    assert 'filename="training.fixed.bib"' in download.headers["content-disposition"]
    written = tmp_path / "training.fixed.bib"
    assert main(["fix", str(TRAINING), "-o", str(written), "--as-of", "2026-11-27"]) == 0
    assert download.content == written.read_bytes()
    assert download.content != TRAINING.read_bytes()


def test_a_pasted_list_that_is_no_bibtex_has_no_corrected_file(crossref):
    web = client()
    page_url = finished_job(web, text=HOSTILE)
    job_id = re.match(r"/jobs/([^?]+)", page_url).group(1)
    assert "corrected.bib" not in web.get(page_url).text
    assert web.get(f"/jobs/{job_id}/corrected.bib").status_code == 404


def test_the_corrected_file_is_announced_in_french(crossref):
    web = client()
    page_url = finished_job(web, lang="fr",
                            files={"file": ("training.bib", TRAINING.read_bytes())})
    page = web.get(page_url).text
    assert "Le fichier .bib corrigé</a> : 3 modifications" in page  # French: a space before :
    assert "publiée) ; 1 laissée telle quelle" in page
    assert "1 DOI normalisé" in page
    assert re.search(r"\d+,\d s au total", page)  # a decimal comma


def test_an_audit_waiting_for_its_turn_says_so_and_a_finished_ones_time_stands_still():
    import threading

    from auditor.errors import InputError
    from auditor.web.jobs import Jobs

    jobs = Jobs(workers=1)
    web = TestClient(create_app(load_settings(), jobs=jobs), raise_server_exceptions=False)
    release = threading.Event()

    def audit(job):  # ends as an audit of an unreadable list does
        release.wait(10)
        raise InputError("nothing readable")

    first, second = jobs.start("en", audit), jobs.start("fr", audit)
    try:
        assert second.snapshot()["waiting"] is True
        page = web.get(f"/jobs/{second.id}").text
        assert "En attente" in page
    finally:
        release.set()
    while not (first.finished and second.finished):
        time.sleep(0.02)
    assert second.snapshot()["waiting"] is False
    before = first.snapshot()["seconds"]
    time.sleep(0.3)
    assert first.snapshot()["seconds"] == before


def test_the_language_links_of_an_error_page_lead_to_the_form():
    answer = client().post("/audit?lang=fr", data={"text": " "})
    links = re.findall(r'<a href="([^"]*)" hreflang', answer.text)
    assert links == ["/?lang=en"]
    assert client().get(links[0]).status_code == 200


def test_other_websites_cannot_start_audits_or_read_the_page():
    """A page of another site may make the browser POST here (its Origin says so), or reach
    127.0.0.1 under a name of its own that resolves there (its Host says so)."""
    local = TestClient(create_app(load_settings(), hosts=frozenset({"127.0.0.1", "localhost"})),
                       base_url="http://127.0.0.1:8000", raise_server_exceptions=False)
    assert local.get("/").status_code == 200
    assert local.get("/", headers={"host": "localhost:8000"}).status_code == 200
    rebound = local.get("/", headers={"host": "attacker.example:8000"})
    assert rebound.status_code == 403 and "127.0.0.1" in rebound.text
    for origin in ("https://attacker.example", "null"):
        sent = local.post("/audit", data={"text": HOSTILE}, headers={"origin": origin},
                          follow_redirects=False)
        assert sent.status_code == 403 and "another website" in sent.text
    own = local.post("/audit", data={"text": "  "}, headers={"origin": "http://127.0.0.1:8000"})
    assert own.status_code == 400  # its own form gets as far as reading what was sent


def test_a_catalogue_audit_leads_with_its_summary_line(crossref):
    web = client()
    second = FIXTURES / "stand-in" / "retracted.bib"
    page = web.get(finished_job(web, mode="catalogue", files=[
        ("file", ("training.bib", TRAINING.read_bytes())),
        ("file", ("retracted.bib", second.read_bytes()))])).text
    assert re.search(r'class="headline">2 trainings, \d+ references: ', page)


def test_an_address_that_leads_nowhere_says_so_in_the_readers_language():
    web = client()
    page = web.get("/nope?lang=fr")
    assert page.status_code == 404 and "Not Found" not in page.text
    assert "Rien n" not in page.text  # not "nothing could be audited": nothing was asked
    audit = web.get("/jobs/1-nosuchjob?lang=fr")
    assert audit.status_code == 404 and "no such audit" not in audit.text
    api = web.get("/api/nope?lang=fr")
    assert api.status_code == 404 and api.json()["status"] == 404
    refused = TestClient(create_app(load_settings(), hosts=frozenset({"127.0.0.1"})),
                         base_url="http://127.0.0.1:8000").get(
        "/api/health?lang=fr", headers={"host": "evil.example"})
    assert refused.status_code == 403 and "evil.example" in refused.json()["error"]
