"""Render a realistic demo of the HTML report and photograph it with headless Chromium.

    uv run python benchmarks/html_screenshot.py [--out /tmp/auditor-html] [--chromium PATH]

The demo is the shipped lactation training (data/examples/lactation-training.bib, read offline)
judged against hand-made registry records, plus a few planted cases: a retracted paper, a
preprint with a published version, an unknown DOI, a DOI leading elsewhere, an unchecked one, an
invalid DOI, a corrected one, an expression of concern and two hostile entries (a title
`<script>alert(1)</script>`, a key and a container trying to break out of an attribute). It
writes demo.html, a screenshot (PNG) and a print-to-PDF, plus an edge-case page (a 1850–2026
year range), times the rendering of a 1,000-reference report, and prints where everything is.
Nothing is written in the repository; no network is used.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import auditor
from auditor.judge import judge
from auditor.model import (
    Finding,
    InputProblem,
    Lookup,
    Match,
    Reference,
    RunFigures,
    SourceLocation,
    Update,
    Verdict,
    Work,
)
from auditor.pipeline import make_report

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "examples" / "lactation-training.bib"
SETTINGS = auditor.Settings(as_of=dt.date(2026, 3, 1),
                            fail_on=("retracted", "not-found", "unreadable"),
                            min_recent_share=0.3)
ISSN = {"lancet": "0140-6736", "cochrane": "1465-1858", "acta": "0803-5253", "jama": "0098-7484",
        "pediatrics": "0031-4005", "clinics": "0031-3955", "global": "2214-109X"}
HOSTILE_TITLE = "<script>alert(1)</script> Breastfeeding & \"safety\""
EXTRA = "extra-cases.bib"


def _issn(container: str | None) -> tuple[str, ...]:
    name = (container or "").lower()
    return tuple(v for k, v in ISSN.items() if k in name)[:1] or ("1234-5678",)


def _work_for(ref: Reference, **changes: object) -> Work:
    """The record a registry would give for the cited work (journal article, with an ISSN)."""
    work = Work(doi=ref.doi or "10.0/none", type="journal-article", title=ref.title,
                container=ref.container, issn=_issn(ref.container), authors=ref.authors,
                year=ref.year, volume=ref.volume, issue=ref.issue, page=ref.pages,
                publisher="Demo Publisher")
    return dataclasses.replace(work, **changes)


def _ref(key: str, line: int, **fields: object) -> Reference:
    fields.setdefault("entry_type", "article")
    return Reference(key=key, source=SourceLocation(str(fields.pop("file", EXTRA)), line),
                     **fields)  # type: ignore[arg-type]


def example_verdicts(cache_dir: Path) -> list[Verdict]:
    """The shipped example, read by the real pipeline (offline), then judged against records."""
    offline = auditor.audit(EXAMPLE.relative_to(ROOT), offline=True, cache_dir=cache_dir,
                            as_of=SETTINGS.as_of)
    verdicts = []
    for v in offline.references:
        ref = v.reference
        lookup = Lookup(ref.doi, "found", work=_work_for(ref)) if ref.doi else None
        verdicts.append(judge(ref, lookup, SETTINGS))
    return verdicts


def planted_verdicts() -> list[Verdict]:
    """The cases a reviewer must see: each one breaks a different rule."""
    wakefield = _ref("wakefield1998", 1, title="Ileal-lymphoid-nodular hyperplasia, non-specific "
                     "colitis, and pervasive developmental disorder in children",
                     authors=("Wakefield, A J",), year=1998, container="The Lancet",
                     doi="10.1016/s0140-6736(97)11096-0")
    retracted = _work_for(wakefield, updated_by=(
        Update("retraction", "10.1016/s0140-6736(10)60175-4", "retraction-watch", "2010-02-06"),))
    preprint = _ref("nguyen2023preprint", 12, title="Donor human milk and necrotising "
                    "enterocolitis: a multicentre cohort", year=2023, container="medRxiv",
                    doi="10.1101/2023.01.02.23284101")
    preprint_work = Work(doi=preprint.doi or "", type="posted-content", subtype="preprint",
                         title=preprint.title, container="medRxiv", year=2023,
                         relation={"is-preprint-of": ("10.1001/jamapediatrics.2024.0001",)})
    typo = _ref("smith2019typo", 20, title="Skin-to-skin contact after caesarean birth",
                year=2019, container="Birth", doi="10.1111/birt.99999")
    elsewhere = _ref("jones2020", 28, title="Nipple pain in the first week postpartum",
                     year=2020, container="Journal of Human Lactation",
                     doi="10.1177/0890334420000001")
    elsewhere_work = _work_for(elsewhere, title="Vitamin D status of preterm infants in Norway",
                               authors=("Olsen, K",), year=2011)
    slow = _ref("brown2024", 36, title="Responsive feeding and infant weight gain: a "
                "randomised controlled trial", year=2024, container="Pediatrics",
                doi="10.1542/peds.2024-000123")
    bad_doi = _ref("lee2021", 44, title="Tongue-tie release and breastfeeding outcomes",
                   year=2021, container="Acta Paediatrica", doi_as_written="10.abc/???",
                   findings=(Finding("D001", "invalid-doi", "error",
                                     "invalid DOI '10.abc/???': not of the form 10.NNNN/suffix"),))
    corrected = _ref("sadasivan2012", 52, title="Breastfeeding duration and maternal "
                     "depression: a cohort study", year=2012, container="PLoS ONE",
                     doi="10.1371/journal.pone.0033693")
    concern = _ref("garcia2022", 60, title="Galactagogues for low milk supply: a systematic "
                   "review and meta-analysis", year=2022, container="Nutrients",
                   doi="10.3390/nu14000001")
    hostile = _ref('x"><img src=x onerror=alert(1)>', 68, title=HOSTILE_TITLE, year=2025,
                   container='"><img src=x onerror=alert(2)> Journal', doi="10.5555/<b>x</b>",
                   file="<b>evil</b>.bib")
    hostile2 = _ref("javascript:alert(3)", 76, title='"><svg onload=alert(4)>', year=2018,
                    entry_type="misc", url="javascript:alert(5)")
    matched = _ref("hale2023", 84, title="Medications and mothers' milk", year=2023,
                   entry_type="book")
    verdicts = [
        judge(wakefield, Lookup(wakefield.doi or "", "found", work=retracted), SETTINGS),
        judge(preprint, Lookup(preprint.doi or "", "found", work=preprint_work), SETTINGS),
        judge(typo, Lookup(typo.doi or "", "not-found"), SETTINGS),
        judge(elsewhere, Lookup(elsewhere.doi or "", "found", work=elsewhere_work), SETTINGS),
        judge(slow, Lookup(slow.doi or "", "unchecked", reason="timeout after 20 s"), SETTINGS),
        judge(bad_doi, None, SETTINGS),
        judge(corrected, Lookup(corrected.doi or "", "found", work=_work_for(corrected, updated_by=(
            Update("correction", "10.1371/annotation/1", "publisher", "2012-06-01"),))), SETTINGS),
        judge(concern, Lookup(concern.doi or "", "found", work=_work_for(concern, updated_by=(
            Update("expression_of_concern", "10.3390/nu-eoc", "publisher", "2023-01-01"),))),
            SETTINGS),
        judge(hostile, Lookup(hostile.doi or "", "found", work=_work_for(hostile)), SETTINGS),
        judge(hostile2, None, SETTINGS),
    ]
    book = judge(matched, None, SETTINGS)
    verdicts.append(dataclasses.replace(book, resolution="matched", match=Match(
        "10.1891/9780826189257", matched.title, 2023, "high", 0.97, ("title", "year"), (),
        applied=True)))
    return verdicts


def build_report(verdicts: list[Verdict], inputs: list[str],
                 problems: list[InputProblem] | None = None) -> auditor.Report:
    """Summary and policy as `audit()` assembles them (the pipeline's own make_report)."""
    return make_report(verdicts, problems or [], SETTINGS, inputs,
                       RunFigures(requests=9, list_requests=2, single_requests=7, cache_hits=14,
                                  retries=1, failures=1))


def wide_range_report() -> auditor.Report:
    """Edge case: years from 1850 to 2026 (binned bars), one reference without a year."""
    verdicts = [judge(_ref(f"old{y}", i + 1, title=f"A study of {y}", year=y,
                           entry_type="book"), None, SETTINGS)
                for i, y in enumerate((1850, 1851, 1902, 1955, 1990, 2001, 2016, 2024, 2026))]
    verdicts.append(judge(_ref("undated", 99, title="Undated leaflet", entry_type="misc"), None,
                          SETTINGS))
    return build_report(verdicts, ["wide-range.bib"])


def screenshot(chromium: str, html: Path, png: Path, pdf: Path, height: int) -> None:
    """One PNG of the page and one PDF as printed, each with a fresh, throwaway profile."""
    for option in (f"--screenshot={png}", f"--print-to-pdf={pdf}"):
        with tempfile.TemporaryDirectory(prefix="auditor-chromium-") as profile:
            subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                            "--disable-quic", "--no-first-run", "--disable-background-networking",
                            "--disable-component-update", "--disable-sync",
                            f"--user-data-dir={profile}", f"--window-size=1400,{height}",
                            "--hide-scrollbars", "--no-pdf-header-footer", option,
                            html.as_uri()], check=True, capture_output=True, timeout=120)


def time_large(verdicts: list[Verdict]) -> tuple[float, int]:
    """Seconds to render a 1,000-reference report, and its size in bytes."""
    many = [dataclasses.replace(v, reference=dataclasses.replace(v.reference, key=f"{v.key}-{i}"))
            for i in range(1000 // len(verdicts) + 1) for v in verdicts][:1000]
    report = build_report(many, ["large.bib"])
    start = time.perf_counter()
    text = report.render("html")
    return time.perf_counter() - start, len(text.encode())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "auditor-html")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    parser.add_argument("--height", type=int, default=2400)
    args = parser.parse_args()
    args.out = args.out.resolve()
    args.out.mkdir(parents=True, exist_ok=True)
    os.chdir(ROOT)  # the example is cited by its path in the repository, as a user would
    verdicts = example_verdicts(args.out / "cache") + planted_verdicts()
    broken = InputProblem(SourceLocation(EXTRA, 92), Finding(
        "I001", "unreadable-entry", "error", "unreadable entry: unbalanced braces"),
        raw="@article{broken2019, title = {Cup feeding versus bottle <b>feeding</b>, year = 2019")
    report = build_report(verdicts, [str(EXAMPLE.relative_to(ROOT)), EXTRA], [broken])
    pages = {"demo": report, "wide-range": wide_range_report()}
    for name, page in pages.items():
        html = page.write(args.out / f"{name}.html")
        print(f"{name}: {html} ({html.stat().st_size / 1024:.0f} KiB)")
        if Path(args.chromium).exists():
            png, pdf = args.out / f"{name}.png", args.out / f"{name}.pdf"
            screenshot(args.chromium, html, png, pdf, args.height)
            print(f"  screenshot {png}\n  print-to-PDF {pdf}")
        else:
            print(f"  no Chromium at {args.chromium}: no screenshot", file=sys.stderr)
    seconds, size = time_large(verdicts)
    print(f"1,000 references: rendered in {seconds * 1000:.0f} ms, {size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
