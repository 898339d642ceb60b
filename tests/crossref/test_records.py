"""Crossref work JSON → Work: hand-written records, then every work in the recorded responses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from recorded import CASSETTES, recorded_works

from auditor.crossref.records import date_year, work_from_datacite, work_from_message, work_year
from auditor.csl import strip_markup
from auditor.model import Update, Work

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "crossref"
DATE_FIELDS = ("issued", "published-print", "published-online", "published", "posted",
               "approved", "created")


def load(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


# --- hand-written records: the whole Work is compared, so every field is asserted -------------

@pytest.mark.parametrize(("fixture", "expected"), [
    pytest.param("journal_article_issn_peer_reviewed.json", Work(
        doi="10.1107/s2059798318011506",
        type="journal-article",
        title="Macromolecular diffraction data in the test journal",
        container="Acta Crystallographica Section D Structural Biology",
        short_container="Acta Cryst D",
        issn=("2059-7983", "2059-7984"),
        publisher="International Union of Crystallography (IUCr)",
        authors=("García", "The Example Consortium", "Bo"),
        year=2018, print_year=2018, online_year=2018,
        volume="74", issue="10", page="1005-1011",
        relation={},
        assertions={"peer_reviewed": "Yes", "review_process": "Single blind"},
    ), id="journal-article-issn-peer-reviewed"),
    pytest.param("retraction_watch_and_publisher_notice.json", Work(
        doi="10.1021/am300292v",
        type="journal-article",
        title="RETRACTED: Layered nanostructures for surface coatings",
        container="ACS Applied Materials & Interfaces",
        year=2012,
        updated_by=(
            Update("retraction", "10.1021/acsami.9b11759", "retraction-watch", "2019-07-26",
                   "Retraction"),
            Update("retraction", "10.1021/acsami.9b11759", "publisher", "2019-07-26",
                   "Retraction"),
            Update("expression_of_concern", "10.1021/acsami.2c00001", "publisher", "2018"),
        ),
    ), id="retraction-watch-plus-publisher"),
    pytest.param("title_markup_entities.json", Work(
        doi="10.1016/j.arr.2020.101001",
        type="journal-article",
        title="The dire side of C. elegans autophagy: H2O & CO2 in patients aged <65 and "
              ">80 years",
        subtitle="A review",
        container="Ageing Research Reviews & Reports",
        authors=("Nowak & Sons",),
        year=2020,
    ), id="title-markup-and-entities"),
    pytest.param("posted_content_preprint_is_preprint_of.json", Work(
        doi="10.1101/055319",
        type="posted-content",
        subtype="preprint",
        title="Preprint of a later journal article",
        publisher="Cold Spring Harbor Laboratory",
        year=2016,
        relation={"is-preprint-of": ("10.1093/bioinformatics/btw600",),
                  "has-review": ("https://Example.org/Review/1",),
                  "is-version-of": ()},
    ), id="preprint-is-preprint-of"),
    pytest.param("select_doi_title_only.json", Work(
        doi="10.1890/14-0545.1", type="unknown", title="Ecology of a select query",
    ), id="select-doi-title-only"),
])
def test_work_from_fixture(fixture: str, expected: Work) -> None:
    assert work_from_message(load(fixture)) == expected


@pytest.mark.parametrize(("fixture", "year", "print_year", "online_year"), [
    pytest.param("journal_article_issn_peer_reviewed.json", 2018, 2018, 2018, id="issued"),
    pytest.param("issued_null_print_and_online.json", 2018, 2019, 2018,
                 id="issued-null-earlier-of-print-and-online"),
    pytest.param("issued_null_online_only.json", 2021, None, 2021, id="issued-null-online"),
    pytest.param("issued_null_posted.json", 2020, None, None, id="issued-null-posted"),
    pytest.param("issued_null_approved.json", 2020, None, None, id="issued-null-approved"),
    pytest.param("issued_null_created_only.json", 2004, None, None, id="issued-null-created"),
    pytest.param("no_dates_at_all.json", None, None, None, id="no-usable-date"),
])
def test_year_rule(fixture: str, year: int | None, print_year: int | None,
                   online_year: int | None) -> None:
    work = work_from_message(load(fixture))
    assert (work.year, work.print_year, work.online_year) == (year, print_year, online_year)


@pytest.mark.parametrize(("value", "expected"), [
    pytest.param({"date-parts": [[2019, 7, 26]]}, 2019, id="full-date"),
    pytest.param({"date-parts": [[2019]]}, 2019, id="year-only"),
    pytest.param({"date-parts": [["2019", "7"]]}, 2019, id="year-as-text"),
    pytest.param({"date-parts": [[None]]}, None, id="null"),
    pytest.param({"date-parts": [[]]}, None, id="empty-parts"),
    pytest.param({"date-parts": []}, None, id="no-parts"),
    pytest.param({"date-parts": None}, None, id="parts-null"),
    pytest.param({"date-parts": [[None]], "date-time": "2004-06-22T20:27:43Z"}, 2004,
                 id="date-time-fallback"),
    pytest.param({"date-parts": [[20190]]}, None, id="implausible-year"),
    pytest.param({"date-parts": [[True]]}, None, id="boolean"),
    pytest.param("2019", None, id="not-an-object"),
    pytest.param(None, None, id="missing"),
])
def test_date_year(value: object, expected: int | None) -> None:
    assert date_year(value) == expected


def test_issued_wins_over_an_earlier_print_date() -> None:
    message = {"issued": {"date-parts": [[2020]]},
               "published-print": {"date-parts": [[2019]]},
               "created": {"date-parts": [[2018]]}}
    assert work_year(message) == 2020


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param("Lessons from <i>C. elegans</i>", "Lessons from C. elegans", id="italic"),
    pytest.param("CO<sub>2</sub> &amp; H<sup>+</sup>", "CO2 & H+", id="sub-sup-entity"),
    pytest.param("<mml:math><mml:mi>x</mml:mi></mml:math>-ray", "x-ray", id="mathml"),
    pytest.param("aged &lt;65 years", "aged <65 years", id="escaped-less-than"),
    pytest.param("patients aged <65 and >80 years", "patients aged <65 and >80 years",
                 id="literal-less-and-greater-than"),
    pytest.param("p < 0.05 and q > 1", "p < 0.05 and q > 1", id="spaced-comparison"),
    pytest.param("  two\n   lines\t", "two lines", id="whitespace"),
    pytest.param("<i> </i>", None, id="only-markup"),
    pytest.param("", None, id="empty"),
    pytest.param(None, None, id="none"),
    pytest.param(["a list"], None, id="not-a-string"),
])
def test_strip_markup(text: object, expected: str | None) -> None:
    assert strip_markup(text) == expected


@pytest.mark.parametrize("message", [
    pytest.param({"DOI": "10.5555/odd", "title": 42, "author": {"family": "X"},
                  "ISSN": 12345, "ISBN": {"978": 1}, "relation": ["x"],
                  "assertion": {"name": "x"}, "updated-by": {"type": "retraction"},
                  "issued": {"date-parts": "2019"}, "type": None, "subtype": 3},
                 id="every-field-oddly-typed"),
    pytest.param({"DOI": "10.5555/odd", "title": [None, 3, ""], "container-title": None,
                  "author": [None, {"family": None, "name": ""}], "update-to": [{}],
                  "relation": {"has-preprint": [None, {"id": 5}]}},
                 id="nulls-inside-lists"),
])
def test_oddly_typed_fields_do_not_crash(message: dict[str, Any]) -> None:
    work = work_from_message(message)
    assert work.doi == "10.5555/odd"
    assert work.type == "unknown"
    assert work.title is None
    assert work.authors == ()
    assert work.updated_by == ()
    assert work.update_to == ()
    assert work.year is None


@pytest.mark.parametrize("message", [
    pytest.param([], id="list"),
    pytest.param("10.5555/x", id="string"),
    pytest.param({"title": ["no DOI"]}, id="no-doi"),
    pytest.param({"DOI": "  "}, id="blank-doi"),
    pytest.param({"DOI": 10.5555}, id="numeric-doi"),
])
def test_not_a_work_record_is_a_value_error(message: object) -> None:
    with pytest.raises(ValueError):
        work_from_message(message)  # type: ignore[arg-type]


# --- conformance: every work record in the recorded Crossref responses -------------------------

@pytest.fixture(scope="module")
def recorded() -> list[tuple[str, str, dict[str, Any], Work]]:
    if not CASSETTES.is_dir():
        pytest.skip(f"recorded Crossref responses not found at {CASSETTES}")
    return [(name, uri, message, work_from_message(message))
            for name, uri, message in recorded_works()]


def _has_date(message: dict[str, Any]) -> bool:
    return any(date_year(message.get(name)) for name in DATE_FIELDS)


def test_every_recorded_work_converts(recorded: list) -> None:
    # 714 work records were in the cassettes when this test was written (SOURCES.md: 521 in
    # habanero's lists plus singletons and commonmeta-py's responses).
    assert len(recorded) >= 700
    problems = []
    for name, _uri, message, work in recorded:
        if not work.type:
            problems.append((name, message.get("DOI"), "empty type"))
        if work.doi != message["DOI"].strip().lower():
            problems.append((name, message.get("DOI"), f"doi {work.doi}"))
        if "type" not in message and work.type != "unknown":
            problems.append((name, message.get("DOI"), f"untyped record got {work.type}"))
        if _has_date(message) and work.year is None:
            problems.append((name, message.get("DOI"), "dated record without a year"))
    assert problems == []


def test_select_queries_give_untyped_records_type_unknown(recorded: list) -> None:
    selected = [(message, work) for _, uri, message, work in recorded
                if "select=" in uri and "type" not in message]
    assert len(selected) >= 20
    assert {work.type for _, work in selected} == {"unknown"}
    titled = [work for message, work in selected if any(message.get("title") or [])]
    assert titled
    assert all(work.title for work in titled)


def _by_doi(recorded: list, doi: str) -> list[Work]:
    works = [work for _, _, _, work in recorded if work.doi == doi]
    assert works, f"{doi} is not in the recorded responses"
    return works


def test_recorded_correction_in_updated_by(recorded: list) -> None:
    for work in _by_doi(recorded, "10.1371/journal.pone.0033693"):
        assert work.type == "journal-article"
        assert work.year == 2012
        assert [(u.type, u.source) for u in work.updated_by] == [("correction", "publisher")]
        assert work.updated_by[0].doi.startswith("10.1371/annotation/")


def test_recorded_issued_null_still_gets_a_year(recorded: list) -> None:
    (work,) = _by_doi(recorded, "10.1109/icdcsw.2003.1203662")
    assert work.type == "proceedings-article"
    assert work.year == 2004  # from `created`: issued is [[null]]


def test_recorded_review_and_preprint_relations(recorded: list) -> None:
    (work,) = _by_doi(recorded, "10.7717/peerj.3811")
    assert work.relation["has-preprint"] == ("10.7287/peerj.preprints.3020",)
    assert len(work.relation["has-review"]) == 2
    assert all(r.startswith("10.7287/peerj.3811") for r in work.relation["has-review"])


def test_recorded_biorxiv_preprint(recorded: list) -> None:
    (work,) = _by_doi(recorded, "10.1101/055319")
    assert (work.type, work.subtype, work.year) == ("posted-content", "preprint", 2016)


def test_recorded_dissertation_year_from_approved(recorded: list) -> None:
    works = _by_doi(recorded, "10.14264/uql.2020.791")
    assert {(w.type, w.year) for w in works} == {("dissertation", 2020)}
    message = next(m for _, _, m, w in recorded if w.doi == "10.14264/uql.2020.791")
    assert date_year(message["issued"]) is None
    assert date_year(message["approved"]) == 2020


def test_recorded_print_and_online_years_differ(recorded: list) -> None:
    (work,) = _by_doi(recorded, "10.1080/0305215x.2018.1497613")
    assert (work.year, work.print_year, work.online_year) == (2018, 2019, 2018)
    assert "peerreview_statement" in work.assertions


def test_recorded_peer_reviewed_assertion(recorded: list) -> None:
    (work,) = _by_doi(recorded, "10.1107/s2059798318011506")
    assert work.assertions["peer_reviewed"] == "Yes"
    assert work.assertions["review_process"] == "Single blind"


def test_recorded_peer_review_report(recorded: list) -> None:
    (work,) = _by_doi(recorded, "10.7554/elife.55167.sa2")
    assert work.type == "peer-review"
    assert work.relation["is-review-of"] == ("10.7554/elife.55167",)


def test_recorded_new_version_self_link(recorded: list) -> None:
    (work,) = _by_doi(recorded, "10.1371/journal.ppat.1008184")
    assert [(u.type, u.doi) for u in work.updated_by] == [
        ("new_version", "10.1371/journal.ppat.1008184")]


@pytest.mark.parametrize(("data", "expected"), [
    pytest.param({"id": "10.48550/arXiv.2005.01234", "attributes": {
        "titles": [{"title": "A preprint"}], "publicationYear": 2020,
        "types": {"resourceTypeGeneral": "Text"}, "creators": [{"familyName": "Example"}]}},
        ("10.48550/arxiv.2005.01234", "posted-content", "preprint", 2020, ("Example",)),
        id="arxiv-is-always-a-preprint"),
    pytest.param({"id": "10.5281/zenodo.1", "attributes": {
        "doi": "10.5281/ZENODO.1", "titles": [{"title": "Data", "titleType": None}],
        "publicationYear": "2019", "types": {"resourceTypeGeneral": "Dataset"},
        "creators": [{"name": "Survey Team"}], "publisher": {"name": "Zenodo"}}},
        ("10.5281/zenodo.1", "dataset", None, 2019, ("Survey Team",)), id="zenodo-dataset"),
    pytest.param({"id": "10.1234/x", "attributes": {"types": {"resourceTypeGeneral": "Preprint"},
                                                    "publicationYear": "n.d."}},
                 ("10.1234/x", "posted-content", "preprint", None, ()), id="odd-year"),
])
def test_work_from_datacite(data, expected):
    work = work_from_datacite(data)
    assert (work.doi, work.type, work.subtype, work.year, work.authors) == expected
    assert work.agency == "datacite"


def test_datacite_record_without_doi_is_a_value_error():
    with pytest.raises(ValueError):
        work_from_datacite({"attributes": {}})
