"""Tests for the RIS reader (auditor.sources.ris) on small fixtures, and its conformance on the
third-party RIS and MEDLINE files of shared/corpus/ris."""

from pathlib import Path

import pytest

from auditor.sources.bibvalues import parse_year
from auditor.sources.nbib import read_nbib
from auditor.sources.ris import entry_type_of, looks_like_ris, read_ris
from auditor.sources.tagged import person_name

P = pytest.param
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ris"
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "ris"


def read(name: str):
    """Read a fixture as the caller would hand it over: decoded, BOM and CRLF kept."""
    return read_ris((FIXTURES / name).read_bytes().decode("utf-8"), name)


def by_key(name: str) -> dict:
    return {ref.key: ref for ref in read(name).references}


def codes_of(ref) -> list[str]:
    return [finding.code for finding in ref.findings]


def test_crlf_and_bom():
    result = read("crlf_bom.ris")
    assert result.problems == []
    smith, book = result.references
    assert (smith.key, smith.source.file, smith.source.line) == ("smith2020", "crlf_bom.ris", 1)
    assert (book.key, book.source.line) == ("2", 11)  # no ID: the position in the file
    assert smith.entry_type == "article"
    assert smith.title == "Hand hygiene compliance in two paediatric wards"  # no "\r" left
    assert smith.authors == ("Smith, Jane", "Okafor, Chidi")
    assert smith.container == "Journal of Hospital Infection"
    assert smith.doi == "10.5555/jhi.2020.0001"
    assert smith.findings == ()
    assert book.entry_type == "book"
    assert book.authors == ("Müller, Anna",)
    assert book.year == 2018  # from "2018///"
    assert (book.publisher, book.isbn) == ("Example Press", "9780306406157")


def test_multiline_values_and_tolerant_tags():
    result = read("multiline_title.ris")
    assert result.problems == []
    first, loose, lower = result.references
    assert first.title == ("Simulation-based training for neonatal resuscitation: a cluster "
                           "randomised trial in district hospitals")
    # "ER then comes a line…" is a continuation of the abstract, not the end of the record.
    assert (first.year, first.container) == (2021, "Resuscitation")
    assert first.note == "first line * second line"
    assert [(r.source.line, r.year) for r in (loose, lower)] == [(15, 2017), (21, 2016)]
    assert loose.title == "Loose tags with one space and none after the dash"
    assert loose.authors == ("Lee, Min-jun",)
    assert lower.entry_type == "article"  # `ty  - jour`
    assert lower.title == "lower-case tags from a hand-edited file"
    assert lower.authors == ("Garcia, Lucia",)


def test_dois_and_their_findings():
    refs = by_key("doi_in_url_and_note.ris")
    assert list(refs) == ["url_only", "note_only", "conflict", "invalid", "as_url",
                          "two_in_do", "l3_link"]
    url_only = refs["url_only"]
    assert (url_only.doi, codes_of(url_only)) == ("10.5555/url.only.1", ["D005"])
    assert url_only.doi_as_written == "https://doi.org/10.5555/URL.ONLY.1"
    assert url_only.url is None  # a DOI link is the DOI, not the work's URL
    note_only = refs["note_only"]
    assert (note_only.doi, codes_of(note_only)) == ("10.5555/note.only.2", ["D005"])
    assert "N1" in note_only.findings[0].message
    assert note_only.url == "https://example.org/articles/42"
    conflict = refs["conflict"]
    assert (conflict.doi, codes_of(conflict)) == ("10.5555/right.3", ["D006"])
    assert "10.5555/other.3" in conflict.findings[0].message
    invalid = refs["invalid"]
    assert (invalid.doi, invalid.doi_as_written) == (None, "10.55/too-short")
    assert codes_of(invalid) == ["D001"]
    as_url = refs["as_url"]  # a doi.org link in DO, the same DOI in a landing-page URL
    assert (as_url.doi, as_url.findings) == ("10.5555/same.5", ())
    assert as_url.doi_as_written == "http://dx.doi.org/10.5555/Same.5"
    two = refs["two_in_do"]
    assert (two.doi, codes_of(two)) == ("10.5555/first.6", ["D006"])
    l3 = refs["l3_link"]
    assert (l3.doi, codes_of(l3)) == ("10.5555/l3.7", ["D005"])
    assert "L3" in l3.findings[0].message


def test_broken_record_in_the_middle_is_one_problem():
    result = read("broken_record.ris")
    assert [(p.source.file, p.source.line, p.finding.code) for p in result.problems] == [
        ("broken_record.ris", 8, "I001")]
    assert "TY" in result.problems[0].finding.message
    assert "A record whose TY line was deleted" in result.problems[0].raw
    refs = result.references
    # The broken record keeps its position: the keys after it are 3, 4, 5.
    assert [(r.key, r.source.line, r.year) for r in refs] == [
        ("1", 1, 2015), ("3", 13, 2017), ("4", 19, 2018), ("5", 22, 2019)]
    assert refs[0].doi == "10.5555/before.1"
    assert refs[1].title == "The record after the broken one"
    # A record with no ER ends where the next TY starts; neither swallows the other.
    assert refs[2].title == "A record with no ER line"
    assert (refs[3].title, refs[3].entry_type) == ("The record that follows it", "techreport")


def test_endnote_export_types_editors_years_and_isbn():
    refs = by_key("endnote_export.ris")
    assert {key: ref.entry_type for key, ref in refs.items()} == {
        "101": "incollection", "102": "book", "103": "inproceedings", "104": "techreport",
        "105": "phdthesis", "106": "online", "107": "dataset", "108": "standard",
        "109": "techreport", "110": "misc", "111": "article"}
    chapter = refs["101"]
    # A2 and ED are editors, not authors; a corporate author loses EndNote's trailing comma.
    assert chapter.authors == ("Patel, Ravi", "World Health Organization")
    assert chapter.container == "Textbook of Paediatric Emergency Care"
    assert chapter.year == 2019  # "2019/05//Spring"
    assert (chapter.pages, chapter.publisher) == ("101-120", "Example Medical Books")
    assert chapter.isbn == "9780306406157"
    book = refs["102"]
    assert book.title == "Nursing Procedures Handbook"  # BT is a book's title
    assert book.container is None
    assert book.year == 2014  # PY "10 15" has no year: DA is used
    assert book.isbn == "0306406152"  # "0-306-40615-2 (paperback)"
    web = refs["106"]
    assert web.year is None  # Y2 is the access date, never the publication year
    assert web.url == "https://www.example.org/hand-hygiene"
    online = refs["111"]
    assert online.container == "J. Online Nurs."  # JA before J2
    assert online.isbn is None  # SN holds an ISSN


def test_container_preference():
    assert [ref.container for ref in read("container_preference.ris").references] == [
        "Journal From T2", "Journal From JF", "J. Abbrev. A"]


def test_duplicate_ids_are_kept_and_flagged():
    text = ("TY  - JOUR\nID  - same\nTI  - One\nER  - \n"
            "TY  - JOUR\nID  - same\nTI  - Two\nER  - \n")
    first, second = read_ris(text, "dup.ris").references
    assert (first.key, second.key) == ("same", "same")
    assert (codes_of(first), codes_of(second)) == ([], ["I002"])
    assert "line 1" in second.findings[0].message


def test_record_without_title_is_flagged():
    (ref,) = read_ris("TY  - JOUR\nDO  - 10.5555/x.1\nER  - \n", "t.ris").references
    assert (ref.title, codes_of(ref)) == (None, ["I006"])


@pytest.mark.parametrize("text", [
    P("", id="empty"),
    P("just some prose\nwith two lines\n", id="prose"),
    P("@article{a, title={T}}\n", id="bibtex"),
    P("PMID- 1\nTI  - A MEDLINE record\nAU  - Doe J\n", id="nbib-is-not-ris"),
])
def test_no_ris_structure_gives_an_empty_result(text):
    result = read_ris(text, "x.ris")
    assert (result.references, result.problems) == ([], [])
    assert not looks_like_ris(text)


def test_web_of_science_plain_text_export():
    result = read("wos_plain_text.ris")
    assert result.problems == []
    article, book = result.references
    # `ID` is Keywords Plus in this format: the keys are positions.
    assert [(r.key, r.source.line) for r in (article, book)] == [("1", 3), ("2", 27)]
    assert article.authors == ("Tanaka, Hiroshi", "Silva, Maria R.")  # AF over AU
    assert article.title == ("Night-shift work and medication errors: a prospective cohort "
                             "study")
    assert (article.container, article.year, article.pages) == (
        "JOURNAL OF NURSING SAFETY", 2020, "201-210")
    # The DOIs in CR are the cited works', never this record's.
    assert (article.doi, article.findings, article.pmid) == (
        "10.5555/jns.2020.201", (), "31234567")
    assert (book.entry_type, book.isbn, book.doi) == ("book", "9780306406157", None)


@pytest.mark.parametrize(("ris_type", "entry_type"), [
    P("JOUR", "article"), P("JFULL", "article"), P("EJOUR", "article"), P("MGZN", "article"),
    P("NEWS", "article"), P("BOOK", "book"), P("EBOOK", "book"), P("EDBOOK", "book"),
    P("CHAP", "incollection"), P("ECHAP", "incollection"), P("CONF", "inproceedings"),
    P("CPAPER", "inproceedings"), P("RPRT", "techreport"), P("GOVDOC", "techreport"),
    P("THES", "phdthesis"), P("ELEC", "online"), P("WEB", "online"), P("BLOG", "online"),
    P("DATA", "dataset"), P("STAND", "standard"), P(" jour ", "article"),
    P("Journal Article", "article"), P("Book Section", "incollection"), P("ART", "misc"),
    P("", "misc"), P(None, "misc"),
])
def test_type_mapping(ris_type, entry_type):
    assert entry_type_of(ris_type) == entry_type


@pytest.mark.parametrize(("values", "year"), [
    P(["2019"], 2019), P(["2019///"], 2019), P(["2019/05/12/"], 2019),
    P(["2019/05//Spring"], 2019), P(["2019/10//undefined"], 2019), P(["1997/02/01"], 1997),
    P(["10 15", "2014/02/01"], 2014), P(["10 15", None], None), P(["SEP", "2018"], 2018),
    P([None, "", "c2005"], 2005),
])
def test_ris_dates_give_the_first_year_found(values, year):
    assert parse_year(*values) == year


@pytest.mark.parametrize(("raw", "name"), [
    P("Shannon,Claude E.", "Shannon, Claude E."), P("Smith, John, Jr.", "Smith, John, Jr."),
    P("Fanning E.", "Fanning, E."), P("Himmelstein DS", "Himmelstein, DS"),
    P("Greshake Tzovaras B", "Greshake Tzovaras, B"),
    P("World Health Organization,", "World Health Organization"),
    P("Claude E. Shannon", "Claude E. Shannon"), P("  ", None), P(", Madonna", "Madonna"),
])
def test_person_name(raw, name):
    assert person_name(raw) == name


# Conformance: every file of shared/corpus/ris, counted by hand (reading the file, grepping its
# TY/PMID/PT and DO/AID/DI lines), not by running the reader.
# file → (references, references with a DOI, problems)
EXPECTED = {
    # One JOUR record; PY "10 15" and no DA: no year. No DO.
    "asreview_faulty_year.ris": (1, 0, 0),
    # 6 Zotero JOUR records from PubMed, each with a DO line.
    "asreview_pubmed_zotero.ris": (6, 6, 0),
    # 10 TY…ER records, each with a DO (record 8, "Kassin1997", also has the same DOI in UR).
    "asreview_web_of_science.ris": (10, 10, 0),
    # A JOUR with DO 10.7554/eLife.32822 and an ELEC blog post with only a URL.
    "manubot_bibliography.ris": (2, 1, 0),
    # PMIDs 29424689 and 28288103, each with an AID/LID "[doi]".
    "manubot_bibliography_pubmed.nbib": (2, 2, 0),
    # One record behind a BOM: only TY and DO.
    "rispy_example_bom.ris": (1, 1, 0),
    # One record, DO written as a dx.doi.org link; SP is empty.
    "rispy_example_empty_tag.ris": (1, 1, 0),
    # Two records between "Record #n of 2" header lines; no DOI anywhere.
    "rispy_example_extraneous_data.ris": (2, 0, 0),
    # The same two records, each behind a "1." / "2." line.
    "rispy_example_full.ris": (2, 0, 0),
    # Three records with multi-line N1/N2; "ER then second line" is text, not an ER (4 grep
    # hits for ^ER, 3 records).
    "rispy_example_multiline.ris": (3, 0, 0),
    # One record after two blank lines.
    "rispy_example_starting_newlines.ris": (1, 0, 0),
    # Four copies of one record with one or two URLs.
    "rispy_example_urls.ris": (4, 0, 0),
    # One record behind a BOM, TY "Journal Article", Cyrillic text, no DO.
    "rispy_example_utf_chars.ris": (1, 0, 0),
    # Web of Science plain text (not RIS): 2 PT J records, each with a DI; the DOIs in CR are
    # the cited references'.
    "rispy_example_wos.ris": (2, 2, 0),
}


def _corpus_files() -> list[str]:
    if not CORPUS.is_dir():
        return []
    return sorted(p.name for p in CORPUS.iterdir() if p.suffix in (".ris", ".nbib"))


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no shared corpus at {CORPUS}")
def test_every_corpus_file_is_in_the_table():
    assert _corpus_files() == sorted(EXPECTED)


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no shared corpus at {CORPUS}")
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_conformance(name):
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"{name} is not in {CORPUS}")
    text = path.read_bytes().decode("utf-8")
    result = (read_nbib if name.endswith(".nbib") else read_ris)(text, name)
    references, dois, problems = EXPECTED[name]
    assert len(result.references) == references
    assert sum(1 for ref in result.references if ref.doi) == dois
    assert len(result.problems) == problems
    assert all(ref.source.file == name and ref.source.line >= 1 for ref in result.references)


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no shared corpus at {CORPUS}")
def test_corpus_details():
    """A few values read by hand from the corpus files."""
    def corpus(name):
        return read_ris((CORPUS / name).read_bytes().decode("utf-8"), name).references

    (faulty,) = corpus("asreview_faulty_year.ris")
    assert faulty.year is None
    wos = corpus("asreview_web_of_science.ris")
    assert [r.source.line for r in wos] == [1, 48, 90, 139, 205, 241, 284, 339, 357, 408]
    assert [r.key for r in wos][6:9] == ["7", "Kassin1997", "9"]
    assert wos[0].publisher == "ELSEVIER SCIENCE INC"  # WoS writes PU, not PB
    assert wos[0].year == 2018  # DA is only "SEP"
    (empty_tag,) = corpus("rispy_example_empty_tag.ris")
    assert (empty_tag.key, empty_tag.doi) == ("2006713348", "10.1177/2325967120950040")
    assert empty_tag.authors == ("Fanning, E.",)
    assert empty_tag.pages is None
    full = corpus("rispy_example_full.ris")
    assert [(r.key, r.source.line, r.year, codes_of(r)) for r in full] == [
        ("12345", 2, 2014, []), ("12345", 27, 2006, ["I002"])]
    assert full[0].url == "http://example_url.com"  # UR wins over the L2 above it
    urls = corpus("rispy_example_urls.ris")
    assert {r.url for r in urls} == {"http://example.com"}
    (utf,) = corpus("rispy_example_utf_chars.ris")
    assert (utf.entry_type, utf.volume, utf.pages) == ("article", "8", "52-57")
    manubot = corpus("manubot_bibliography.ris")
    assert manubot[1].entry_type == "online"
    assert manubot[1].year is None  # only Y2, the access date


def test_a_cochrane_library_record_link_is_not_the_trials_doi():
    from auditor.sources.ris import read_ris

    text = ("TY  - JOUR\nTI  - Skin-to-skin contact after caesarean birth: a randomised trial\n"
            "PY  - 2019\nID  - CN-01495743\n"
            "UR  - https://www.cochranelibrary.com/central/doi/10.1002/central/CN-01495743/full\n"
            "ER  - \n")
    (reference,) = read_ris(text, "cochrane.ris").references
    assert reference.doi is None


def test_a_doi_in_a_note_beside_do_is_prose_not_a_clash():
    from auditor.sources.ris import read_ris

    text = ("TY  - JOUR\nTI  - Cup feeding of preterm infants\nPY  - 2019\nDO  - 10.1000/abc\n"
            "N1  - Erratum in: 10.1000/erratum1\nER  - \n")
    (reference,) = read_ris(text, "n1.ris").references
    assert reference.doi == "10.1000/abc"
    assert [f.code for f in reference.findings if f.code.startswith("D")] == []
