"""Photograph the page of `auditor serve` in English and French, for a person to look at:
the form, then a finished audit of the shipped example with its report. Headless Chromium
(Debian's) driven by Playwright; the server runs on 127.0.0.1 with a local Crossref stand-in
(tests/stand_in.py), so no network is used. The stand-in holds the recorded records and, for the
example's other DOIs, a record made from what the example itself cites (title, authors,
journal, year, pages): the pictures show a report as Crossref would answer it, not a page of
unknown DOIs. They are for looking at, never for measuring.

    uv run python benchmarks/page_screenshots.py [--out docs/screenshots] [--chromium PATH]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

EXAMPLE = ROOT / "data" / "examples" / "lactation-training.bib"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _records_as_cited(path: Path) -> dict[str, dict]:
    """A Crossref work record per DOI of `path`, made from the entry that cites it."""
    from auditor.sources import read_path

    records = {}
    for ref in read_path(path).references:
        if not ref.doi or not ref.title:
            continue
        first, _, last = (ref.pages or "").partition("-")
        records[ref.doi.lower()] = {
            "DOI": ref.doi, "type": "journal-article" if ref.container else "book",
            "title": [ref.title], "container-title": [ref.container] if ref.container else [],
            "author": [{"family": name.split(",")[0].split()[-1], "sequence": "first"}
                       for name in ref.authors[:3]],
            "issued": {"date-parts": [[ref.year]]} if ref.year else {},
            "volume": ref.volume, "page": ref.pages, "publisher": "(as cited)",
            "ISSN": ["0000-0000"] if ref.container else [], "first-page": first or None,
            "last-page": last or None}
    return records


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/auditor-page"))
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args()
    if not Path(args.chromium).exists():
        print(f"no Chromium at {args.chromium} (Debian: apt-get install chromium)")
        return 1
    from playwright.sync_api import sync_playwright
    from stand_in import Behaviour, cassette_records, serve

    crossref, _ = serve(records={**cassette_records(), **_records_as_cited(EXAMPLE)},
                        behaviour=Behaviour(latency=0.05, speed_up=20.0))
    os.environ["AUDITOR_CROSSREF_URL"] = f"http://127.0.0.1:{crossref.server_address[1]}"
    os.environ["AUDITOR_DATACITE_URL"] = os.environ["AUDITOR_CROSSREF_URL"]
    os.environ["AUDITOR_CACHE_DIR"] = tempfile.mkdtemp(prefix="auditor-page-cache-")
    os.environ["AUDITOR_MAILTO"] = "screenshots@example.org"
    import uvicorn

    from auditor.config import load_settings
    from auditor.web.app import create_app

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(load_settings({"journals": False})),
                                           host="127.0.0.1", port=port, log_level="critical"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.02)
    site = f"http://127.0.0.1:{port}"
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=args.chromium, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        for lang in ("en", "fr"):
            page.goto(f"{site}/?lang={lang}")
            page.screenshot(path=args.out / f"form-{lang}.png", full_page=True)
            page.set_input_files("input[name=file]", str(EXAMPLE))
            page.click("button[type=submit]")
            page.wait_for_selector("#progress[data-finished=yes]", timeout=60_000)
            page.wait_for_timeout(500)  # the report's frame
            page.wait_for_function("document.querySelector('iframe.report').style.height")
            # the headline, the downloads and the report's first screen (the whole page is
            # several thousand pixels tall: too much for a README)
            page.screenshot(path=args.out / f"report-{lang}.png", full_page=True,
                            clip={"x": 0, "y": 0, "width": 1280, "height": 1500})
        browser.close()
    server.should_exit = True
    crossref.shutdown()
    for path in sorted(args.out.glob("*.png")):
        print(f"{path}  {path.stat().st_size / 1024:.0f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
