"""Conformance of the BibTeX reader on real third-party files (shared/corpus/bibtex).

The expected figures were established by reading the files (and grepping them), not by running
the reader. SOURCES.md gives `n=` and `doi=` per file; where a figure here differs, the comment
on the row says why. `dois` counts references that end with a DOI: a valid `doi` field, or a DOI
found in url/note/howpublished when there is no `doi` field.
"""

from collections import Counter
from pathlib import Path

import pytest

from auditor.sources import read_path

P = pytest.param
CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "bibtex"

# file → (references, dois, problems as (code, line), finding codes counted over all references)
EXPECTED = {
    # 9 entries between lines of free prose; Cooper2013 crosses to Classen2013, not in the file.
    "bbt_biblatex-import-549.bib": (9, 0, [], {"I005": 1}),
    # 3 @incollection children, each with its @book parent further down.
    "bbt_crossref-incollection-3514.bib": (6, 0, [], {}),
    # schiffer2005a twice (lines 1 and 36): both kept, the second flagged.
    "bbt_german-title-1350.bib": (4, 0, [], {"I002": 1}),
    # Two entries with the same DOI (10.1109/JPROC.2016.2526118); booktitle is an undefined macro.
    "bbt_math-markup-472.bib": (2, 2, [], {}),
    "bbt_percent-sign-preamble-95-96.bib": (1, 1, [], {}),
    "bbt_square-brackets-94.bib": (1, 1, [], {}),
    # 46 entries; 15 have no title of their own (xc1, xc2, circ1-3, r1-r4, b1, b2, sup2, sup3,
    # al1, al2). Only mcr's crossref names no entry: ccr1alias and alias2 are `ids` aliases of
    # ccr1 and al2, and xref (mxr → missing1) implies no inheritance in BibLaTeX.
    "biber_crossrefs.bib": (46, 0, [], {"I005": 1, "I006": 15}),
    # 34 entries; open1, open2, script1, mill1 have no title.
    "biber_dateformats.bib": (34, 0, [], {"I006": 4}),
    # SOURCES.md: doi=1 (SongLMPC05's doi field, written as a dx.doi.org URL). The reader also
    # takes BockerBK09's DOI from its note ("Online publication: doi 10.1007/…"): 2, one D005.
    # 12 entries have no title (Bachoore04, BakkerLT94, … Saurabh09): 2157 entries, 2145 titles.
    "biber_papers_2157entries.bib": (2157, 2, [], {"I006": 12, "D005": 1}),
    "bibtexparser_gbk_encoding.bib": (1, 0, [("I003", 1)], {}),
    # 14 entries, 13 doi fields; world_health_organization_effect_2012 has only a handle URL.
    # The url of adler_reduced_2014 ends "…CD009217.pub3/full": the same DOI, no conflict.
    "computable-bibliography_Salt_SRRs.bib": (14, 13, [], {}),
    # 43 entries, 36 doi fields (SOURCES.md: doi=36), plus ScoringEpidemiologicalForecasts whose
    # DOI is only in howpublished (a journals.plos.org "?id=10.1371/…" URL): 37, one D005.
    "epiforecasts_scoringutils-paper.bib": (43, 37, [], {"D005": 1}),
    # SOURCES.md's prose says 59 entries, its stats n=60: there are 60 `@` entries, 4 keys twice
    # (johansson_open_2019, reich_accuracy_2019, reis_superensemble_2019,
    # yamana_superensemble_2016), 49 doi fields; viboud_rapidd_2018 sets volume twice. The urls
    # "…21250974v1" (medRxiv) and "…17-AOAS1090.full" hold the same DOIs as the doi fields.
    "reichlab_covid19-ensemble-manuscript_bibfile.bib": (60, 49, [], {"I002": 4, "I004": 1}),
    # 4 entries (SOURCES.md n=4): the "% @manual{rlang," block is commented out, and the
    # unbalanced @Comment{thisisalsoignored is a comment, not a problem.
    "typst-biblatex_comments.bib": (4, 1, [], {}),
    # ishihara2012 at lines 747 and 803.
    "typst-biblatex_gral_duplicate-key.bib": (84, 0, [], {"I002": 1}),
    # SOURCES.md n=2 counts the broken @inproceedings (line 11), which is a problem, not a
    # reference.
    "typst-biblatex_incorrect_syntax.bib": (1, 0, [("I001", 11)], {}),
}


def _files() -> list:
    if not CORPUS.is_dir():
        return [P(None, id="corpus-absent", marks=pytest.mark.skip(
            reason=f"shared corpus not found at {CORPUS}"))]
    return [P(path, id=path.name) for path in sorted(CORPUS.iterdir()) if path.is_file()]


@pytest.fixture(scope="module")
def corpus():
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    return {name: read_path(CORPUS / name) for name in EXPECTED if (CORPUS / name).is_file()}


@pytest.mark.parametrize("path", _files())
def test_every_file_is_read_as_expected(path):
    assert path.name in EXPECTED, f"new corpus file {path.name}: count it and add it above"
    references, dois, problems, findings = EXPECTED[path.name]
    read = read_path(path)
    assert len(read.references) == references
    assert sum(1 for ref in read.references if ref.doi) == dois
    assert [(p.finding.code, p.source.line) for p in read.problems] == problems
    assert Counter(f.code for ref in read.references for f in ref.findings) == Counter(findings)
    assert all(ref.source.file == str(path) for ref in read.references)
    lines = [ref.source.line for ref in read.references]
    assert lines == sorted(lines) and len(set(lines)) == len(lines)


def test_gbk_file_is_decoded_with_a_warning(corpus):
    read = corpus["bibtexparser_gbk_encoding.bib"]
    (ref,) = read.references
    assert (ref.key, ref.authors, ref.container, ref.title, ref.year) == (
        "凯撒2013", ("凯撒",), "测试期刊", "Test Title", 2013)
    (problem,) = read.problems
    assert problem.finding.code == "I003"
    assert "gb18030" in problem.finding.message


def test_reichlab_bom_file_keeps_every_entry(corpus):
    assert (CORPUS / "reichlab_covid19-ensemble-manuscript_bibfile.bib").read_bytes()[:3] == (
        b"\xef\xbb\xbf")
    refs = corpus["reichlab_covid19-ensemble-manuscript_bibfile.bib"].references
    assert (refs[0].key, refs[0].source.line) == ("mcgowanCollaborativeEffortsForecast2019", 3)
    assert (refs[-1].key, refs[-1].source.line) == ("ray_reichlabcovidensembles_2020", 1030)
    keys = Counter(ref.key for ref in refs)
    assert sorted(key for key, n in keys.items() if n == 2) == [
        "johansson_open_2019", "reich_accuracy_2019", "reis_superensemble_2019",
        "yamana_superensemble_2016"]
    flagged = {(ref.key, ref.source.line): ref.findings[0].message
               for ref in refs if [f.code for f in ref.findings] == ["I002"]}
    assert sorted(flagged) == [("johansson_open_2019", 829), ("reich_accuracy_2019", 903),
                               ("reis_superensemble_2019", 849),
                               ("yamana_superensemble_2016", 866)]
    assert "also at line 206" in flagged[("johansson_open_2019", 829)]
    assert "also at line 438" in flagged[("reich_accuracy_2019", 903)]
    rlowe = next(ref for ref in refs if ref.key == "Rlowe2016")  # "@article {Rlowe2016,"
    assert (rlowe.source.line, rlowe.doi) == (44, "10.7554/elife.11285")
    viboud = next(ref for ref in refs if ref.key == "viboud_rapidd_2018")
    assert [f.code for f in viboud.findings] == ["I004"]
    assert viboud.authors[0] == "Viboud, Cécile"
    cramer = next(ref for ref in refs if ref.key == "cramerEvaluationIndividualEnsemble2021")
    assert cramer.doi == "10.1101/2021.02.03.21250974"
    assert cramer.findings == ()


def test_incorrect_syntax_reports_its_broken_block(corpus):
    read = corpus["typst-biblatex_incorrect_syntax.bib"]
    (ref,) = read.references
    assert (ref.key, ref.source.line, ref.year) == ("rashid2016", 1, 2016)
    assert ref.authors == ("Rashid, Bushra", "Rehmani, Mubashir Husain")
    (problem,) = read.problems
    assert problem.source.line == 11
    assert "@inproceedings{conigliocorbalan" in problem.finding.message
    assert problem.raw.startswith("@inproceedings{conigliocorbalan,")


def test_2157_entries(corpus):
    refs = corpus["biber_papers_2157entries.bib"].references
    assert len(refs) == 2157
    assert (refs[0].key, refs[0].source.line) == ("AardalHLT02", 11)
    assert (refs[-1].key, refs[-1].source.line) == ("Koster2008", 15127)
    song = next(ref for ref in refs if ref.key == "SongLMPC05")
    assert song.doi == "10.1109/csb.2005.52"  # written http://dx.doi.org/10.1109/CSB.2005.52
    bocker = next(ref for ref in refs if ref.key == "BockerBK09")
    assert bocker.doi == "10.1007/s00453-009-9339-7"
    assert [f.code for f in bocker.findings] == ["D005"]
    # A techreport with no url field, only `note = {Available at http://…}`.
    bachoore = next(ref for ref in refs if ref.key == "BachooreB06a")
    assert bachoore.url == "http://www.cs.uu.nl/people/bachoore"


def test_biber_crossrefs_inherit(corpus):
    refs = {ref.key: ref for ref in corpus["biber_crossrefs.bib"].references}
    cr1 = refs["cr1"]
    assert (cr1.title, cr1.container, cr1.year, cr1.publisher) == (
        "Great and Good Graphs", "Graphs of the Continent", 1974, "Grimble")
    assert cr1.authors == ("Gullam, Graham",)
    assert refs["cr6"].container == "Manual booktitle"  # the child's own booktitle stays
    assert refs["cr6"].publisher == "Publisher of proceeding"
    # The parent's SUBTITLE is the book's, not the chapter's.
    assert (refs["cr7"].title, refs["cr7"].container) == ("Title of Book bit", "Book Title")
    assert refs["cr7i"].title == "Book Title: Book Subtitle"
    # Through the alias ccr1alias (IDS of ccr1), and a chain ccr3 → ccr2 → ccr1.
    assert refs["ccr2"].container == "Stuff Concerning Varia"
    assert refs["ccr3"].container == "Misc etc."
    assert refs["xc2"].container == "Title"
    assert refs["xr1"].container is None  # XREF does not inherit
    assert [f.code for f in refs["mcr"].findings] == ["I005"]
    assert "missing1" in refs["mcr"].findings[0].message
    assert [f.code for f in refs["circ1"].findings] == ["I006"]  # a loop: no crash, no I005


def test_bbt_crossref_children_get_the_parent_date(corpus):
    refs = {ref.key: ref for ref in corpus["bbt_crossref-incollection-3514.bib"].references}
    assert (refs["Hauck_2011"].year, refs["Hauck_2007"].year, refs["Hauck_2023j"].year) == (
        2011, 2007, 2023)
    assert refs["Hauck_2023j"].container == "Cosmopolítica e linguagem"
    assert refs["Hauck_2007"].publisher == "Brasilienkunde Verlag"
    assert refs["Hauck_2007"].isbn == "9783885590897"


def test_typst_comments(corpus):
    refs = corpus["typst-biblatex_comments.bib"].references
    assert [(ref.key, ref.source.line) for ref in refs] == [
        ("mcelreath2007mathematical", 18), ("fischer2022equivalence", 27),
        ("roes2003belief", 46), ("wong2016null", 59)]
    fischer, roes, wong = refs[1:]
    assert fischer.publisher == "PsyArXiv"
    assert fischer.url.startswith("https://files.osf.io/")
    assert roes.title == "Belief in moralizing gods"
    assert roes.doi == "10.1016/s1090-5138(02)00134-4"
    assert wong.publisher == "Hong Kong College of Psychiatrists"


def test_biber_dateformats_years(corpus):
    years = {ref.key: ref.year for ref in corpus["biber_dateformats.bib"].references}
    assert years["L1"] == 1995  # YEAR = {1995--1996}
    assert years["L4"] == 1995  # DATE = {1995-1-04}
    assert years["L8"] == 1985  # YEAR = {1985a}
    assert years["L11"] == 1998  # YEAR wins over DATE
    assert years["L13"] == 1996  # open-ended 1996-01-01/..
    assert years["L15"] is None
    assert years["time1"] == 2001
    assert years["unspec2"] == 1999
    assert years["era1"] is None  # -0379-02
    # A year before 1500 is a year, and EVENTDATE (a conference's date) is never used: the
    # counts above do not change, but these years were all 1565 or 1996, from EVENTDATE.
    assert years["L9"] == 1234  # YEAR = {1234}, EVENTDATE = {1996-12-31}
    assert years["L10"] == 1239
    assert years["L16"] is None  # only EVENTDATE = {1996-01-01}
    assert years["range1"] == 1034  # DATE = {1034/}, EVENTDATE = {1565/..}
    assert years["era4"] == 1034  # DATE = {1034~}, EVENTDATE = {1565?}


def test_salt_reviews_have_their_dois(corpus):
    refs = corpus["computable-bibliography_Salt_SRRs.bib"].references
    assert refs[0].key == "adler_reduced_2014"
    assert refs[0].doi == "10.1002/14651858.cd009217.pub3"
    who = next(ref for ref in refs if ref.key == "world_health_organization_effect_2012")
    assert who.doi is None


def test_square_brackets_doi_keeps_parentheses(corpus):
    (ref,) = corpus["bbt_square-brackets-94.bib"].references
    assert ref.doi == "10.1016/0921-4534(89)90484-x"
    assert (ref.container, ref.year) == ("Physica C", 1989)
