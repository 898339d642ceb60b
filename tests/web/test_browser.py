"""The page of `auditor serve` in a real browser: headless Chromium (Debian's, driven by
Playwright — never a browser download) against the server on 127.0.0.1, whose Crossref is a
local stand-in answering slowly enough for the progress to be seen. Skipped, with the reason,
when no Chromium can be had (.ci/run installs it)."""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest
from conftest import FIXTURES

from auditor.cli import main
from auditor.config import load_settings

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine "
                                "(Debian: apt-get install chromium)")

TRAINING = FIXTURES / "stand-in" / "training.bib"
AS_OF = "2026-11-27"
PASTED = ("Victora CG, Bahl R, Barros AJ, et al. Breastfeeding in the 21st century: "
          "epidemiology, mechanisms, and lifelong effect. Lancet. 2016;387(10017):475-90. "
          "doi:10.1016/S0140-6736(15)01024-7\n\n"
          "Kramer MS, Kakuma R. Optimal duration of exclusive breastfeeding. Cochrane Database "
          "Syst Rev. 2012;(8):CD003517.\n")


@pytest.fixture
def slow_crossref(monkeypatch):
    """The Crossref stand-in of tests/stand_in.py with its recorded records, a quarter of a
    second per answer: an audit takes long enough for its phases to be watched."""
    from stand_in import Behaviour, serve

    server, _ = serve(behaviour=Behaviour(latency=0.25, speed_up=20.0))
    url = f"http://127.0.0.1:{server.server_address[1]}"
    for name in ("AUDITOR_CROSSREF_URL", "AUDITOR_DATACITE_URL"):
        monkeypatch.setenv(name, url)
    monkeypatch.setenv("AUDITOR_MAILTO", "qa@example.org")
    yield url
    server.shutdown()


@pytest.fixture
def site(slow_crossref):
    """`auditor serve`'s application under uvicorn on a free port of 127.0.0.1."""
    import uvicorn

    from auditor.web.app import create_app

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(load_settings({"journals": False})),
                                           host="127.0.0.1", port=port, log_level="critical"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def browser():
    with playwright.sync_playwright() as driver:
        chromium = driver.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield chromium
        chromium.close()


def audit_pasted(page, site: str, text: str) -> None:
    page.goto(f"{site}/?lang=en")
    page.fill("textarea[name=text]", text)
    page.click("details summary")
    page.fill("input[name=as_of]", AS_OF)
    page.click("button[type=submit]")


def test_paste_follow_the_progress_read_the_report_and_download_the_json(
        site, browser, tmp_path, capsys):
    page = browser.new_page(accept_downloads=True)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    audit_pasted(page, site, PASTED)
    page.wait_for_selector("#progress .phase")  # the phases, live, before the end
    assert page.inner_text("h1") == "Auditing…"
    page.wait_for_selector("text=Audit done", timeout=30_000)
    phases = page.locator(".phase .name").all_inner_texts()
    assert phases[0] == "Reading the list" and "Crossref: records by DOI" in phases
    assert page.locator(".phase.finished").count() == len(phases)
    headline = page.inner_text(".headline")
    assert "2 references" in headline
    report = page.frame_locator("iframe.report")
    assert report.locator("table").first.is_visible()
    with page.expect_download() as downloading:
        page.click("text=JSON")
    got = json.loads(Path(downloading.value.path()).read_text("utf-8"))
    pasted = tmp_path / "pasted.txt"
    pasted.write_text(PASTED, "utf-8")
    main(["check", str(pasted), "--format", "json", "--as-of", AS_OF, "--no-journals"])
    expected = json.loads(capsys.readouterr().out)
    assert [(r["key"], r["doi"], r["kind"], r["status"]) for r in got["references"]] == [
        (r["key"], r["doi"], r["kind"], r["status"]) for r in expected["references"]]
    assert got["summary"]["headline"] == expected["summary"]["headline"]
    assert not [e for e in errors if "Content Security Policy" in e]  # nothing refused


def test_upload_a_file_and_read_its_scorecard(site, browser, capsys):
    main(["check", str(TRAINING), "--format", "json", "--as-of", AS_OF, "--no-journals"])
    expected = json.loads(capsys.readouterr().out)
    page = browser.new_page()
    page.goto(f"{site}/")
    page.set_input_files("input[name=file]", str(TRAINING))
    page.click("details summary")
    page.fill("input[name=as_of]", AS_OF)
    page.click("button[type=submit]")
    page.wait_for_selector("text=Audit done", timeout=30_000)
    report = page.frame_locator("iframe.report")
    keys = report.locator("tbody tr td.key strong").all_inner_texts()
    assert sorted(keys) == sorted(r["key"] for r in expected["references"])
    assert page.inner_text(".headline") == expected["summary"]["headline"]
    # the frame grows to the report's height: the page scrolls once, not the frame inside it
    page.wait_for_function("document.querySelector('iframe.report').style.height !== ''")
    frame_height, report_height = page.evaluate(
        "[document.querySelector('iframe.report').clientHeight, document.querySelector("
        "'iframe.report').contentDocument.documentElement.scrollHeight]")
    assert frame_height >= report_height


def test_switch_to_french(site, browser):
    page = browser.new_page()
    page.goto(f"{site}/?lang=en")
    assert page.inner_text("button[type=submit]") == "Audit"
    page.locator("textarea[name=text]").type("Smith J. A pasted reference.")
    page.click("text=Français")
    # what was pasted is still there in the page's other language
    assert page.locator("textarea[name=text]").input_value() == "Smith J. A pasted reference."
    assert page.get_attribute("html", "lang") == "fr"
    button = page.inner_text("button[type=submit]")
    assert button != "Audit" and button.strip()
    audit_pasted_fr = page.locator("textarea[name=text]")
    audit_pasted_fr.fill(PASTED)
    page.click("button[type=submit]")
    page.wait_for_selector("#progress[data-finished=yes]", timeout=30_000)
    assert page.get_attribute("html", "lang") == "fr"
    assert "Audit done" not in page.inner_text("body")
    report = page.frame_locator("iframe.report")
    assert report.locator("html[lang=fr]").count() == 1
