"""The catalogue's HTML page: escaped, linked, problems only, ids unique, sorted, not too big."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import re
from html.parser import HTMLParser

import pytest
from builders import JOURNAL, RETRACTION
from builders import verdict as make_verdict

from auditor import codes
from auditor.catalogue import Catalogue
from auditor.cli import main
from auditor.config import Settings
from auditor.model import InputProblem, Lookup, RunFigures, SourceLocation, Verdict
from auditor.pipeline import make_report
from auditor.report import Report
from auditor.report.as_html_catalogue import render_catalogue
from auditor.report.html_assets import SCRIPT
from auditor.report.ordering import OK_GROUP, group

SETTINGS = Settings(as_of=dt.date(2026, 11, 27))
SCRIPT_TITLE = "<script>alert(1)</script>"
BREAKOUT = '"><img src=x onerror=alert(1)>'
GENERATED = dt.datetime(2026, 11, 27, 9, 30, tzinfo=dt.UTC)


def verdict(key: str, message: dict | None = None, lookup: Lookup | None = None,
            file: str = "list.bib", **reference) -> Verdict:
    return make_verdict(key, message, lookup, SETTINGS, source=SourceLocation(file, 1),
                        **reference)


def clean(key: str, year: int = 2024, file: str = "list.bib", **message) -> Verdict:
    return verdict(key, {**JOURNAL, "issued": {"date-parts": [[year]]}, **message}, file=file)


def retracted(key: str, file: str = "list.bib") -> Verdict:
    return verdict(key, {**JOURNAL, **RETRACTION, "issued": {"date-parts": [[2019]]}},
                   file=file)


def preprint(key: str, file: str = "list.bib") -> Verdict:
    return verdict(key, {"type": "posted-content", "subtype": "preprint",
                         "issued": {"date-parts": [[2025]]}}, file=file)


def not_found(key: str, file: str = "list.bib") -> Verdict:
    return verdict(key, lookup=Lookup(f"10.1/{key}", "not-found"), year=2000, file=file)


def report_of(name: str, verdicts: list[Verdict],
              problems: list[InputProblem] | None = None) -> Report:
    report = make_report(verdicts, problems or [], SETTINGS, [name], RunFigures(requests=2))
    report.generated_at = GENERATED
    return report


def catalogue_of(*reports: Report, skipped: list[tuple[str, str]] | None = None) -> Catalogue:
    return Catalogue(list(reports), SETTINGS, skipped or [],
                     RunFigures(requests=7, list_requests=2, cache_hits=1),
                     generated_at=GENERATED)


class Page(HTMLParser):
    """Elements with attributes, script bodies, visible text, the comparison table's links and
    the training sections (id → the row ids inside it)."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self.comparison: list[tuple[str, str]] = []  # (href, link text) per training row
        self.sections: dict[str, list[str]] = {}
        self._script = self._in_table = False
        self._link: list[str] | None = None
        self._section: str | None = None
        self._depth = 0
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.elements.append((tag, attrs))
        if tag == "script":
            self._script = True
            self.scripts.append("")
        if tag == "table" and attrs.get("id") == "trainings":
            self._in_table = True
        if tag == "a" and self._in_table:
            self._link = [attrs["href"], ""]
        if tag == "section":
            if self._section is not None:
                self._depth += 1
            elif "training" in (attrs.get("class") or "").split():
                self._section = attrs["id"]
                self.sections[self._section] = []
        if tag == "tr" and self._section and (attrs.get("id") or "").startswith("t"):
            self.sections[self._section].append(attrs["id"])

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = False
        if tag == "table" and self._in_table:
            self._in_table = False
        if tag == "a" and self._link is not None:
            self.comparison.append((self._link[0], self._link[1]))
            self._link = None
        if tag == "section" and self._section is not None:
            if self._depth:
                self._depth -= 1
            else:
                self._section = None

    def handle_data(self, data):
        if self._script:
            self.scripts[-1] += data
            return
        self.text.append(data)
        if self._link is not None:
            self._link[1] += data

    def tags(self, name: str) -> list[dict[str, str | None]]:
        return [attrs for tag, attrs in self.elements if tag == name]

    def ids(self) -> list[str]:
        return [a["id"] for _, a in self.elements if a.get("id")]


@pytest.fixture
def two() -> Catalogue:
    """Two trainings sharing citation keys: "shared" a problem in both, "old" in the second
    only, "fine" in neither. The first fails the policy (a retraction)."""
    a = report_of("courses/a.bib", [clean("fine", file="courses/a.bib"),
                                    retracted("gone", "courses/a.bib"),
                                    preprint("shared", "courses/a.bib"),
                                    clean("old", 2001, file="courses/a.bib")])
    b = report_of("courses/deep/b.ris", [preprint("shared", "courses/deep/b.ris"),
                                         not_found("old", "courses/deep/b.ris"),
                                         clean("fine", 2023, file="courses/deep/b.ris")])
    return catalogue_of(a, b, skipped=[("courses/notes.txt", "no readable reference")])


def test_one_html5_document_with_the_catalogue_figures(two):
    text = two.render("html")
    assert text == render_catalogue(two)
    assert text.startswith("<!DOCTYPE html>") and text.rstrip().endswith("</html>")
    page = Page(text)
    seen = " ".join(page.text)
    assert "2 trainings, 7 references: 1 FAILED the policy, 1 passed; 1 file skipped" in seen
    assert "1 of 2 trainings FAILED" in seen
    assert "2026-11-27" in seen
    assert "courses/notes.txt" in seen and "no readable reference" in seen  # skipped, listed
    assert page.scripts == [SCRIPT]


def test_every_training_row_links_to_its_own_section(two):
    page = Page(two.render("html"))
    assert [name for _, name in page.comparison] == ["courses/a.bib", "courses/deep/b.ris"]
    assert [href for href, _ in page.comparison] == ["#t0", "#t1"]
    assert list(page.sections) == ["t0", "t1"]
    headings = [a.get("id") for a in page.tags("h2")]
    assert "t0-h" in headings and "t1-h" in headings


def test_ids_are_unique_and_every_link_lands(two):
    page = Page(two.render("html"))
    ids = page.ids()
    assert len(ids) == len(set(ids))
    # The keys "shared" and "old" are in both trainings: one row each, prefixed per training.
    assert {"t0-ref-shared", "t1-ref-shared", "t1-ref-old"} <= set(ids)
    assert "t0-ref-old" not in ids and "t0-ref-fine" not in ids  # clean: not on the page
    targets = [a["href"][1:] for a in page.tags("a") if a["href"].startswith("#")]
    assert set(targets) <= set(ids), set(targets) - set(ids)
    assert "t0-ref-gone" in targets and "t1-ref-old" in targets  # from the policy and cards


def test_problem_references_listed_and_clean_ones_counted(two):
    page = Page(two.render("html"))
    # Problems first, the most serious at the top; no clean row.
    assert page.sections["t0"] == ["t0-ref-gone", "t0-ref-shared"]
    assert page.sections["t1"] == ["t1-ref-old", "t1-ref-shared"]
    seen = " ".join(page.text)
    assert "2 clean references (no error, no warning) not shown" in seen
    assert "1 clean reference (no error, no warning) not shown" in seen
    assert "Problem references (2 of 4)" in seen and "Problem references (2 of 3)" in seen
    for n, report in enumerate(two.trainings):
        problems = {f"t{n}-ref-{v.key}" for v in report.references if group(v) < OK_GROUP}
        assert set(page.sections[f"t{n}"]) == problems


def test_a_clean_training_says_so():
    catalogue = catalogue_of(report_of("ok.bib", [clean("a"), clean("b", 2023)]))
    page = Page(catalogue.render("html"))
    seen = " ".join(page.text)
    assert page.sections["t0"] == []
    assert "No reference with an error or a warning." in seen
    assert "The training passed the policy" in seen and "Outcome: FAILED" not in seen
    assert "1 training, 2 references: 0 passed" not in seen  # the counts say what passed
    assert "1 training, 2 references: 1 passed" in seen


def test_hostile_training_names_titles_and_keys_stay_text():
    names = [f"{SCRIPT_TITLE}.bib", f"dir/{BREAKOUT}.ris"]
    hostile = verdict(BREAKOUT, {**JOURNAL, **RETRACTION, "title": [SCRIPT_TITLE],
                                 "container-title": [BREAKOUT]}, file=names[0],
                      doi='10.5555/"><script>alert(3)</script>')
    unknown = verdict("x' onmouseover='alert(4)", lookup=Lookup("10.1/x", "not-found"),
                      title=BREAKOUT, container=SCRIPT_TITLE, year=2020, file=names[1])
    problem = InputProblem(SourceLocation(names[1], 9),
                           codes.UNREADABLE_ENTRY.make(SCRIPT_TITLE), raw=SCRIPT_TITLE)
    catalogue = catalogue_of(report_of(names[0], [hostile]),
                             report_of(names[1], [unknown], [problem]),
                             skipped=[(f"{BREAKOUT}.txt", SCRIPT_TITLE)])
    text = catalogue.render("html")
    assert "<script>alert" not in text and "<img" not in text
    assert re.search(r"<[^>]*\son\w+=", text) is None
    page = Page(text)
    assert page.scripts == [SCRIPT]
    assert page.tags("img") == []
    for tag, attrs in page.elements:
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        href = attrs.get("href")
        assert href is None or href.startswith(("#", "https://doi.org/10.")), href
    assert [name for _, name in page.comparison] == names
    seen = "".join(page.text)
    assert SCRIPT_TITLE in seen and BREAKOUT in seen  # shown to the reader as text
    ids = page.ids()
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[A-Za-z0-9_-]+", i) for i in ids)


def test_input_problems_are_prefixed_and_linked():
    problem = InputProblem(SourceLocation("x.bib", 12), codes.UNREADABLE_ENTRY.make("bad"))
    catalogue = catalogue_of(report_of("x.bib", [clean("a")], [problem]),
                             report_of("y.bib", [clean("a")], [problem]))
    page = Page(catalogue.render("html"))
    ids = page.ids()
    assert "t0-input-1" in ids and "t1-input-1" in ids and len(ids) == len(set(ids))
    assert {"#t0-input-1", "#t1-input-1"} <= {a["href"] for a in page.tags("a")}


@pytest.mark.parametrize("sort", ["-references", "references", "recent_share", "-retracted",
                                  "training"])
def test_sort_order_is_honoured_in_the_table_and_the_sections(sort):
    reports = [report_of(f"t{n}.bib", [clean(f"k{i}", 2000 + (n * 7 + i) % 26)
                                       for i in range(n + 1)]
                         + ([retracted("r")] if n % 2 else [])) for n in (3, 0, 4, 1, 2)]
    catalogue = catalogue_of(*reports)
    page = Page(catalogue.render("html", sort=sort))
    expected = [row["training"] for row in catalogue.rows(sort)]
    assert [name for _, name in page.comparison] == expected
    names = [r.inputs[0] for r in reports]
    assert list(page.sections) == [f"t{names.index(n)}" for n in expected]
    marked = [a for a in page.tags("th") if a.get("aria-sort")]
    assert [m["aria-sort"] for m in marked] == [
        "descending" if sort.startswith("-") else "ascending"]


def test_no_external_resource_and_a_print_stylesheet(two):
    text = two.render("html")
    for tag, attrs in Page(text).elements:
        assert "src" not in attrs and "srcset" not in attrs, tag
        assert tag not in ("link", "iframe", "object", "embed", "img", "base")
    assert "@import" not in text and "url(" not in text
    assert not re.search(r"https?://(?!doi\.org/|www\.w3\.org/2000/svg)", text)
    style = text[text.index("<style>"):text.index("</style>")]
    assert "@page" in style and "break-before:page" in style[style.rindex("@media print"):]


def test_usable_without_javascript(two):
    page = Page(two.render("html"))
    tools = [a for a in page.tags("p") if a.get("id") == "tools"]
    assert tools and "hidden" in tools[0]
    assert len(page.comparison) == 2  # every row is in the markup, already in order


def generated_catalogue(trainings: int = 500, per_training: int = 100,
                        seed: int = 20261127) -> Catalogue:
    """`trainings` × `per_training` references drawn from a few dozen verdicts (about one in
    eight with an error or a warning), keys renamed per training, without any network."""
    rng = random.Random(seed)
    pool = [clean(f"c{i}", 1995 + i % 31) for i in range(40)]
    pool += [clean(f"t{i}", 2015 + i % 10, title=[f"Long title {'of many words ' * 8}{i}"])
             for i in range(20)]
    pool += [retracted("r1"), preprint("p1"), preprint("p2"), not_found("n1"),
             verdict("u1", lookup=Lookup("10.1/u1", "unchecked", reason="timeout"), year=2019)]
    weights = [1.0] * 60 + [0.25, 2, 2, 2, 2]
    reports = []
    for n in range(trainings):
        name = f"catalogue/programme-{n // 50:02d}/training-{n:03d}.bib"
        chosen = rng.choices(pool, weights, k=per_training)
        verdicts = [dataclasses.replace(v, reference=dataclasses.replace(
            v.reference, key=f"ref{i}", source=SourceLocation(name, 1 + 8 * i)))
            for i, v in enumerate(chosen)]
        reports.append(report_of(name, verdicts))
    return catalogue_of(*reports)


def test_five_hundred_trainings_of_a_hundred_references_stay_a_reasonable_page():
    catalogue = generated_catalogue()
    problems = sum(group(v) < OK_GROUP for t in catalogue.trainings for v in t.references)
    assert 0.05 < problems / 50_000 < 0.25
    text = catalogue.render("html", sort="-not_found")  # timed by benchmarks/catalogue_scale.py
    size = len(text.encode())
    assert size < 30_000_000, f"{size / 1e6:.1f} MB"
    ids = re.findall(r'\sid="([^"]*)"', text)
    assert len(ids) == len(set(ids))
    assert len(re.findall(r'<tr id="t\d+-ref-', text)) == problems  # only the problems
    assert text.count('<section class="training"') == 500


def test_cli_writes_a_catalogue_page(tmp_path):
    folder = tmp_path / "trainings"
    (folder / "nested").mkdir(parents=True)
    for name in ("a.bib", "nested/b.bib"):
        (folder / name).write_text("@book{lawrence2022,\n  author = {Lawrence, Ruth A.},\n"
                                   "  title = {Breastfeeding: A Guide for the Medical "
                                   "Profession},\n  year = {2022},\n  publisher = {Elsevier},"
                                   "\n}\n", encoding="utf-8")
    out = tmp_path / "cat.html"
    code = main(["check", str(folder), "--offline", "-o", str(out), "--as-of", "2026-11-27",
                 "--cache-dir", str(tmp_path / "cache")])
    assert code == 4  # offline and nothing cached: no book could be asked, nothing passed
    page = Page(out.read_text(encoding="utf-8"))
    # named from the folder given, short whatever its location
    assert [name for _, name in page.comparison] == ["trainings/a.bib", "trainings/nested/b.bib"]
    assert list(page.sections) == ["t0", "t1"]
