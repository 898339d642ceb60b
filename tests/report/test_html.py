"""The HTML report: self-contained, escaped, problems first, charts that survive odd data."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from html import escape
from html.parser import HTMLParser

import pytest
from builders import JOURNAL, RETRACTION, make_reference, report_of
from builders import verdict as make_verdict

from auditor import codes
from auditor.cli import main
from auditor.config import Settings
from auditor.judge import judge
from auditor.model import InputProblem, Lookup, RunFigures, SourceLocation, Verdict
from auditor.report import Report, as_html
from auditor.report.html_assets import SCRIPT
from auditor.report.html_charts import kinds_chart, year_bins, year_histogram

SETTINGS = Settings(as_of=dt.date(2026, 11, 27))
SCRIPT_TITLE = "<script>alert(1)</script>"
BREAKOUT = '"><img src=x onerror=alert(1)>'


def verdict(key: str, message: dict | None = None, lookup: Lookup | None = None,
            settings: Settings = SETTINGS, **reference) -> Verdict:
    return make_verdict(key, message, lookup, settings, **reference)


def make_report(verdicts: list[Verdict], settings: Settings = SETTINGS,
                problems: list[InputProblem] | None = None,
                inputs: list[str] | None = None) -> Report:
    """A Report assembled as `audit()` does, without any network."""
    return report_of(verdicts, settings, problems, inputs,
                     RunFigures(requests=3, cache_hits=1),
                     generated_at=dt.datetime(2026, 11, 27, 9, 30, tzinfo=dt.UTC))


class Page(HTMLParser):
    """Every element with its attributes, the script bodies and the visible text."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._in_script = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data
        else:
            self.text.append(data)

    def tags(self, name: str) -> list[dict[str, str | None]]:
        return [attrs for tag, attrs in self.elements if tag == name]

    def row_ids(self) -> list[str]:
        """The ids of the reference table's rows, in page order."""
        return [a["id"] for tag, a in self.elements
                if tag == "tr" and (a.get("id") or "").startswith("ref-")]


@pytest.fixture
def mixed() -> list[Verdict]:
    """Input order: clean, warning, retracted, not found, clean, mismatch, invalid DOI."""
    invalid = make_reference(key="bad", doi_as_written="10.abc/???", year=2021, findings=(
        codes.INVALID_DOI.make("invalid DOI '10.abc/???'"),))
    return [
        verdict("clean1", {**JOURNAL, "issued": {"date-parts": [[2024]]}}),
        verdict("pre", {"type": "posted-content", "subtype": "preprint",
                        "issued": {"date-parts": [[2025]]}}),
        verdict("gone", {**JOURNAL, **RETRACTION, "issued": {"date-parts": [[2019]]}}),
        verdict("typo", lookup=Lookup("10.1/typo", "not-found"), year=2000),
        verdict("clean2", {**JOURNAL, "issued": {"date-parts": [[2010]]}}),
        verdict("elsewhere", {**JOURNAL, "title": ["Vitamin D in preterm infants"],
                              "issued": {"date-parts": [[2011]]}, "volume": "9",
                              "author": [{"family": "Olsen"}]},
                title="Breastfeeding and maternal depression", authors=("Smith, J",),
                year=2019, volume="40"),
        judge(invalid, None, SETTINGS),
    ]


def test_report_renders_one_html5_document(mixed):
    report = make_report(mixed)
    text = report.render("html")
    assert text == as_html.render(report)
    assert text.startswith("<!DOCTYPE html>") and text.rstrip().endswith("</html>")
    page = Page(text)
    assert [a.get("lang") for a in page.tags("html")] == ["en"]
    assert any(a.get("charset") == "utf-8" for a in page.tags("meta"))
    assert "Reference audit" in page.text


def test_hostile_strings_stay_text():
    hostile = verdict(BREAKOUT, {**JOURNAL, "title": [SCRIPT_TITLE],
                                 "container-title": [BREAKOUT]},
                      source=SourceLocation("<script>alert(2)</script>.bib", 3),
                      doi='10.5555/"><script>alert(3)</script>')
    unknown = verdict("x' onmouseover='alert(4)", lookup=Lookup(
        "10.1/x", "not-found"), title=BREAKOUT, container=SCRIPT_TITLE, year=2020)
    problem = InputProblem(SourceLocation(BREAKOUT, 9), codes.UNREADABLE_ENTRY.make(
        SCRIPT_TITLE), raw=SCRIPT_TITLE)
    settings = dataclasses.replace(SETTINGS, fail_on=("retracted", "not-found", "unreadable"))
    text = make_report([hostile, unknown], settings, [problem],
                       inputs=[SCRIPT_TITLE]).render("html")
    assert "<script>alert" not in text
    assert "<img" not in text
    assert re.search(r"<[^>]*\sonerror=", text) is None
    page = Page(text)
    assert len(page.tags("script")) == 1 and page.scripts == [SCRIPT]
    assert page.tags("img") == []
    for tag, attrs in page.elements:
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
    seen = "".join(page.text)
    assert SCRIPT_TITLE in seen and BREAKOUT in seen  # shown to the reader as text


def test_chart_labels_are_escaped():
    svg = kinds_chart([(SCRIPT_TITLE, "peer-reviewed"), ("book", BREAKOUT)])
    assert "<script>" not in svg and "<img" not in svg
    assert escape(SCRIPT_TITLE) in svg


def test_doi_links_point_to_doi_org(mixed):
    hostile = verdict("h", {**JOURNAL}, doi='10.5555/"><script>x</script>')
    web = verdict("web", url="javascript:alert(1)", entry_type="misc", title="A page")
    page = Page(make_report([*mixed, hostile, web]).render("html"))
    hrefs = [a["href"] for a in page.tags("a")]
    assert "https://doi.org/10.1/clean1" in hrefs
    external = [h for h in hrefs if not h.startswith("#")]
    assert external and all(h.startswith("https://doi.org/10.") for h in external)
    assert any(h.startswith("https://doi.org/10.5555/%22") for h in external)
    assert not any("javascript:" in (v or "") for _, a in page.elements for v in a.values())


def test_matched_doi_is_the_one_linked(mixed):
    book = verdict("hale", entry_type="book", title="Medications and mothers' milk", year=2023)
    from auditor.model import Match

    matched = dataclasses.replace(book, resolution="matched", match=Match(
        "10.1891/9780826189257", "Medications", 2023, "high", 0.97, ("title",), (),
        applied=True))
    page = Page(make_report([matched]).render("html"))
    assert [a["href"] for a in page.tags("a") if not a["href"].startswith("#")] == [
        "https://doi.org/10.1891/9780826189257"]


def test_no_external_resource_is_loaded(mixed):
    text = make_report(mixed).render("html")
    page = Page(text)
    for tag, attrs in page.elements:
        assert "src" not in attrs and "srcset" not in attrs, tag
        assert tag not in ("link", "iframe", "object", "embed", "img", "base")
        href = attrs.get("href")
        assert href is None or href.startswith(("#", "https://doi.org/")), href
    assert "@import" not in text and "url(" not in text
    assert not re.search(r"https?://(?!doi\.org/|www\.w3\.org/2000/svg)", text)


def test_problem_references_come_first_in_a_stable_order(mixed):
    assert mixed[5].resolution == "mismatch"
    ids = Page(make_report(mixed).render("html")).row_ids()
    assert ids == ["ref-gone", "ref-typo", "ref-elsewhere", "ref-bad", "ref-pre",
                   "ref-clean1", "ref-clean2"]


def test_every_problem_key_links_to_its_row(mixed):
    report = make_report(mixed)
    page = Page(report.render("html"))
    ids = {a["id"] for _, a in page.elements if a.get("id")}
    targets = [a["href"][1:] for a in page.tags("a") if a["href"].startswith("#")]
    assert set(targets) <= ids  # no dangling link
    for name, keys in report.summary.problem_references.items():
        for key in keys:
            assert f"ref-{key}" in targets, (name, key)


def test_odd_and_duplicate_keys_get_unique_safe_ids():
    refs = [verdict("same", year=2020), verdict("same", year=2021),
            verdict("a b", year=2020), verdict("a-b", year=2020), verdict(BREAKOUT, year=2020)]
    ids = Page(make_report(refs).render("html")).row_ids()
    assert len(ids) == len(set(ids)) == 5
    assert all(re.fullmatch(r"ref-[A-Za-z0-9_-]+", i) for i in ids)


def test_policy_failures_and_warnings_are_spelt_out(mixed):
    report = make_report(mixed)
    assert not report.passed and report.policy_warnings
    text = report.render("html")
    assert "Outcome: FAILED" in text
    for rule in (*report.policy_failures, *report.policy_warnings):
        assert escape(rule.message) in text
    passed = make_report([mixed[0]]).render("html")
    assert "Outcome: passed" in passed and "Outcome: FAILED" not in passed


def test_scorecard_figures(mixed):
    report = make_report(mixed)
    s = report.summary
    text = report.render("html")
    assert f"{s.peer_reviewed} of {s.peer_review_known} whose peer review is known" in text
    assert "Recent (≤ 5 years)" in text
    # Ages with the retracted one left out: 1, 2, 5, 7, 16, 26 → quartiles 2.75 and 13.75.
    assert "half of them between 2.75 and 13.75 years old" in text
    assert f"{s.preprints_published} with a published version" in text


def test_recency_cutoff_is_marked(mixed):
    text = make_report(mixed).render("html")
    assert 'class="cutoff"' in text and "recent from 2021" in text
    ten = dataclasses.replace(SETTINGS, recent_years=10)
    assert "recent from 2016" in make_report(mixed, ten).render("html")


def test_no_year_at_all_does_not_crash():
    undated = make_report([verdict("u", entry_type="misc", title="Leaflet")])
    assert undated.summary.years == {}
    assert "No reference has a publication year" in undated.render("html")
    empty = make_report([])
    text = empty.render("html")
    assert "References (0)" in text and Page(text).row_ids() == []


def test_one_year_and_very_wide_ranges():
    one = year_histogram({"2016": 3}, 2026, 5)
    assert one.count("<rect") == 1 and "recent from 2021" in one
    assert year_bins([1850, 2026], 2021) == (1850, 5, 36)
    wide = year_histogram({"1850": 2, "1902": 1, "2020": 1, "2024": 4}, 2026, 5)
    assert wide.count("<rect") == 4  # 1850–54, 1900–04, and 2020–24 split older/recent
    assert "2020–2024: 1 older reference" in wide and "2020–2024: 4 recent" in wide
    ancient = year_histogram({"1": 1, "2026": 1}, 2026, 5)
    assert ancient.count("<rect") == 2
    assert year_bins([1, 2026], 2021)[2] <= 40


def test_table_columns_and_reasons(mixed):
    page = Page(make_report(mixed).render("html"))
    text = "".join(page.text)
    for column in ("Key", "Year", "Age", "Kind", "Peer review", "Status", "Resolution",
                   "Evidence", "DOI", "Title", "Findings"):
        assert column in text
    reasons = [a["title"] for a in page.tags("span") if "ISSN 1234-5678" in (a.get("title") or "")]
    assert reasons  # the peer-review reason as a tooltip (and as small text)
    assert "list.bib:1" in text and "retracted — see the retraction notice" in text
    codes_shown = {a["data-code"] for a in page.tags("li") if a.get("data-code")}
    assert "R001" in codes_shown  # the finding's code stays in the markup, out of the words


def test_usable_without_javascript(mixed):
    page = Page(make_report(mixed).render("html"))
    tools = [a for a in page.tags("p") if a.get("id") == "tools"]
    assert tools and "hidden" in tools[0]  # the filter shows only when the script runs
    assert len(page.row_ids()) == len(mixed)  # every row is in the markup


def test_print_stylesheet(mixed):
    text = make_report(mixed).render("html")
    style = text[text.index("<style>"):text.index("</style>")]
    print_rules = style[style.index("@media print"):]
    assert "@page" in style
    assert "print-color-adjust:exact" in print_rules
    assert "break-inside:avoid" in print_rules and "position:static" in print_rules


def test_a_thousand_references_render_small(mixed):
    many = [dataclasses.replace(v, reference=dataclasses.replace(v.reference, key=f"k{i}"))
            for i in range(143) for v in mixed][:1000]
    report = make_report(many)
    text = report.render("html")  # its speed is measured by benchmarks/catalogue_scale.py
    assert len(text.encode()) < 5_000_000
    assert len(Page(text).row_ids()) == 1000


def test_cli_writes_an_html_report(tmp_path):
    bib = tmp_path / "training.bib"
    bib.write_text("@book{lawrence2022,\n  author = {Lawrence, Ruth A.},\n"
                   "  title = {Breastfeeding: A Guide for the Medical Profession},\n"
                   "  year = {2022},\n  publisher = {Elsevier},\n}\n", encoding="utf-8")
    out = tmp_path / "report.html"
    code = main(["check", str(bib), "--offline", "--format", "html", "-o", str(out),
                 "--cache-dir", str(tmp_path / "cache"), "--as-of", "2026-11-27"])
    # Offline, the one book could not be asked: nothing was checked, so nothing passed.
    assert code == 4
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert Page(text).row_ids() == ["ref-lawrence2022"]
    assert "Outcome: INCOMPLETE" in text and "passed" not in text.split("Scorecard")[0]
