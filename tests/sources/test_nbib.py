"""Tests for the PubMed/MEDLINE (.nbib) reader, auditor.sources.nbib, on small fixtures."""

from pathlib import Path

import pytest

from auditor.sources.nbib import looks_like_nbib, read_nbib

P = pytest.param
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ris"


def read(name: str):
    return read_nbib((FIXTURES / name).read_bytes().decode("utf-8"), name)


def codes_of(ref) -> list[str]:
    return [finding.code for finding in ref.findings]


def test_two_records():
    result = read("two_records.nbib")
    assert result.problems == []
    first, second = result.references
    assert [(r.key, r.source.file, r.source.line) for r in (first, second)] == [
        ("30000001", "two_records.nbib", 1), ("30000002", "two_records.nbib", 31)]
    assert (first.pmid, second.pmid) == ("30000001", "30000002")
    assert first.entry_type == "article"
    # The title goes on over a line indented by six spaces.
    assert first.title == ("Bedside handover and patient safety in surgical wards: a "
                           "stepped-wedge cluster randomised trial.")
    # FAU over AU; the group author (CN) keeps its place.
    assert first.authors == ("van der Berg, Anna M", "Nakamura, Kenji", "Handover Study Group")
    assert first.first_author_family == "van der Berg"
    assert first.year == 2018  # "2018 Feb 8"
    assert first.container == "Journal of nursing safety"  # JT over TA
    assert (first.volume, first.issue) == ("12", "4")
    assert first.pages == "1203-1209"  # MEDLINE's "1203-9"
    # LID and AID give the same DOI (the `[pii]` is not one); IS is an ISSN, not an issue.
    assert (first.doi, first.doi_as_written) == ("10.5555/jns.2018.1203", "10.5555/JNS.2018.1203")
    assert first.findings == ()
    assert first.isbn is None
    assert first.pubmed_types == ("Journal Article", "Randomized Controlled Trial",
                                  "Research Support, Non-U.S. Gov't")


def test_record_with_abbreviated_authors_only():
    second = read("two_records.nbib").references[1]
    # An empty FAU line does not hide the AU lines: "Osei K" → "Osei, K".
    assert second.authors == ("Osei, K", "Greshake Tzovaras, B")
    assert second.year == 2019  # "2019 Spring"
    assert second.container == "Nurs Open"  # only TA
    assert second.pages == "e1001"
    assert second.pubmed_types == ("Systematic Review", "Meta-Analysis")  # in file order
    assert second.doi == "10.5555/no.1001"


def test_books_chapters_and_doi_findings():
    refs = {ref.key: ref for ref in read("book_chapter.nbib").references}
    chapter, book = refs["30000010"], refs["30000011"]
    assert chapter.entry_type == "incollection"
    assert chapter.title == "Sepsis Recognition"
    assert chapter.container == "Handbook of Emergency Nursing"  # BTI
    assert chapter.authors == ("Kowalski, Jan",)  # FED/ED are editors
    assert (chapter.publisher, chapter.isbn, chapter.year) == (
        "Example Medical Publishing", "9780306406157", 2023)
    assert chapter.doi is None  # "[bookaccession]" is not a DOI
    assert chapter.findings == ()
    assert (book.entry_type, book.title, book.year) == (
        "book", "Infection Prevention in Long-Term Care", 2021)
    conflict = refs["30000012"]
    assert (conflict.doi, codes_of(conflict)) == ("10.5555/lid.12", ["D006"])
    assert "10.5555/aid.12" in conflict.findings[0].message
    assert conflict.year == 2020  # "2020 Dec-2021 Jan"
    broken = refs["30000013"]
    assert (broken.doi, broken.doi_as_written, codes_of(broken)) == (None, "10.5555", ["D001"])
    assert broken.entry_type == "misc"  # PT Preprint: not a journal article
    assert broken.pubmed_types == ("Preprint",)


def test_broken_record_in_the_middle_with_crlf():
    result = read("broken_record.nbib")
    assert [(p.source.line, p.finding.code) for p in result.problems] == [(10, "I001")]
    assert "PMID" in result.problems[0].finding.message
    assert "A record whose PMID line was deleted." in result.problems[0].raw
    assert [(r.key, r.source.line, r.year) for r in result.references] == [
        ("30000020", 1, 2015), ("30000022", 16, 2017)]
    before, after = result.references
    assert before.doi == "10.5555/before.20"
    assert after.title == "The record after the broken one."  # no "\r" left
    assert after.pubmed_types == ("Letter",)


def test_bom_and_missing_blank_line_between_records():
    text = ("\ufeffPMID- 1\nTI  - First.\nDP  - 2001\n"
            "PMID- 2\nTI  - Second.\nDEP - 20020304\n")
    first, second = read_nbib(text, "x.nbib").references
    assert [(r.key, r.source.line, r.title) for r in (first, second)] == [
        ("1", 1, "First."), ("2", 4, "Second.")]
    assert (first.year, second.year) == (2001, 2002)  # no DP: the electronic date DEP


@pytest.mark.parametrize("text", [
    P("", id="empty"),
    P("TY  - JOUR\nTI  - An RIS record\nER  - \n", id="ris-is-not-nbib"),
    P("OWN - NLM\nTI  - No PMID anywhere\n", id="no-pmid"),
])
def test_no_nbib_structure_gives_an_empty_result(text):
    result = read_nbib(text, "x.nbib")
    assert (result.references, result.problems) == ([], [])
    assert not looks_like_nbib(text)
