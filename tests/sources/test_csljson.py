"""Tests for the CSL-JSON reader (auditor.sources.csljson) on small fixtures in fixtures/csl, and
its conformance on the third-party files of shared/corpus/csl-json."""

from pathlib import Path

import pytest

from auditor.judge.kind import kind_of
from auditor.model import SourceLocation
from auditor.sources.csljson import date_year, format_name, read_csljson

P = pytest.param
CSL = Path(__file__).resolve().parents[1] / "fixtures" / "csl"
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "csl-json"


def read(name: str):
    return read_csljson((CSL / name).read_text("utf-8"), name)


def by_key(name: str) -> dict:
    return {ref.key: ref for ref in read(name).references}


def codes_of(ref) -> list[str]:
    return [finding.code for finding in ref.findings]


# -- shapes of files ------------------------------------------------------------------------


def test_zotero_export_keys_lines_and_fields():
    result = read("zotero_export.json")
    assert result.problems == []
    refs = result.references
    # Zotero's own `id` is the item's URI; a `citation-key` wins over it.
    assert [(r.key, r.source.line) for r in refs] == [
        ("http://zotero.org/users/local/kRkd1f3A/items/7QW2ZJ8N", 2),
        ("http://zotero.org/users/local/kRkd1f3A/items/H8D2KQ4M", 34),
        ("garber2011", 55)]
    assert all(r.source.file == "zotero_export.json" for r in refs)
    victora, who, garber = refs
    assert victora.entry_type == "article"
    assert victora.authors == ("Victora, Cesar G.", "Bahl, Rajiv")
    assert victora.first_author_family == "Victora"
    assert victora.year == 2016  # date-parts ["2016", 1]: a string year
    assert (victora.container, victora.volume, victora.issue, victora.pages) == (
        "The Lancet", "387", "10017", "475-490")
    assert victora.doi == "10.1016/s0140-6736(15)01024-7"
    assert victora.doi_as_written == "10.1016/S0140-6736(15)01024-7"
    assert victora.url == "https://linkinghub.elsevier.com/retrieve/pii/S0140673615010247"
    assert victora.findings == ()
    assert who.entry_type == "book"
    assert who.authors == ("World Health Organization",)
    assert who.isbn == "9789240015128"
    assert who.pmid == "33369898"  # Zotero keeps "PMID: …" of Extra in `note`
    assert who.publisher == "World Health Organization"
    assert who.doi is None and who.findings == ()
    # <i>…</i> and &amp; in titles and containers are markup, not text.
    assert garber.title == ("Quantity and quality of exercise for developing and maintaining "
                            "fitness in apparently healthy adults & older adults")
    assert garber.container == "Medicine & Science in Sports & Exercise"
    assert garber.doi == "10.1249/mss.0b013e318213fefb"  # from the URL's ?doi=
    assert codes_of(garber) == ["D005"]


def test_better_bibtex_export():
    refs = read("better_bibtex_export.json").references
    assert [(r.key, r.source.line) for r in refs] == [("bull2020", 2), ("hopewell2025", 33)]
    bull, hopewell = refs
    assert bull.doi == "10.1136/bjsports-2020-102955"
    assert bull.doi_as_written == "https://doi.org/10.1136/bjsports-2020-102955"
    assert bull.findings == ()  # the URL is a landing page without a DOI: no conflict
    assert bull.year == 2020
    assert bull.pages == "1451–1462"
    assert bull.authors == ("Bull, Fiona C.", "Al-Ansari, Salih S.")
    assert hopewell.pmid == "40228833"
    assert hopewell.year == 2025


def test_single_item_object_from_crossref_content_negotiation():
    result = read("crossref_content_negotiation.json")
    assert result.problems == []
    [ref] = result.references
    assert (ref.key, ref.source.line) == ("1", 1)  # no id: its position
    assert ref.entry_type == "article"  # Crossref's "journal-article" left in its CSL
    # title and subtitle are lists in Crossref's CSL; the subtitle is joined as bibtex.py does
    assert ref.title == "Breastfeeding in the 21st century: epidemiology, mechanisms, and " \
        "lifelong effect"
    assert ref.container == "The Lancet"
    assert ref.year == 2016
    assert ref.isbn == "9780123456786"
    assert ref.doi == "10.1016/s0140-6736(15)01024-7"
    assert ref.findings == ()  # the dx.doi.org URL holds the same DOI
    assert ref.authors == ("Victora, Cesar G",)


def test_object_wrapping_items():
    refs = read("wrapped_items.json").references
    assert [(r.key, r.source.line, r.entry_type) for r in refs] == [
        ("wrapped-one", 3, "book"), ("wrapped-two", 8, "techreport")]


def test_json_lines():
    result = read("json_lines.jsonl")
    assert result.problems == []
    assert [(r.key, r.source.line) for r in result.references] == [
        ("line-one", 1), ("line-three", 3), ("line-four", 4)]
    assert result.references[1].doi == "10.1000/three"


def test_betterbibtex_debug_json_is_one_problem():
    result = read("betterbibtex_debug_json.json")
    assert result.references == []
    [problem] = result.problems
    assert (problem.source.line, problem.finding.code) == (1, "I001")
    assert "Better CSL JSON" in problem.finding.message


def test_not_json_gives_one_problem_with_line_and_column():
    result = read("not_json.json")
    assert result.references == []
    [problem] = result.problems
    assert problem.source == SourceLocation("not_json.json", 8)
    assert problem.finding.code == "I001"
    assert problem.finding.message.startswith("not valid JSON: Expecting ',' delimiter")
    assert "(line 8, column 5)" in problem.finding.message
    assert problem.raw.strip() == '"title": "Missing comma above"'


@pytest.mark.parametrize("text, line", [
    P("[\n  {\"id\": \"a\", \"title\": \"T\"},\n]\n", 3, id="trailing-comma"),
    P("[\n  {\"id\": \"a\"", 2, id="truncated"),
    P("{\"id\": \"a\", \"title\": \"T\"}\n{\"id\": \"b\",}\n", 2, id="json-lines-bad-line"),
    P("@article{x, title={BibTeX, not JSON}}", 1, id="bibtex"),
])
def test_invalid_json_reads_nothing(text, line):
    result = read_csljson(text, "bad.json")
    assert result.references == []
    assert [(p.source.line, p.finding.code) for p in result.problems] == [(line, "I001")]
    assert result.problems[0].finding.message.startswith("not valid JSON: ")


def test_broken_items_are_reported_with_their_line_and_the_rest_is_read():
    result = read("broken_item_in_array.json")
    assert [(r.key, r.source.line) for r in result.references] == [
        ("good-first", 2), ("17", 17), ("8", 22)]  # an int id becomes text; no id: position
    assert [(p.source.line, p.finding.code) for p in result.problems] == [
        (8, "I001"), (9, "I001"), (10, "I001"), (11, "I001"), (16, "I001")]
    messages = [p.finding.message for p in result.problems]
    assert messages[0].startswith("item 2 is a string ('a stray string')")
    assert messages[1].startswith("item 3 is null")
    assert "nothing to audit" in messages[2] and "'4'" in messages[2]
    assert "'only-type-and-date'" in messages[3]  # a type and a date are not enough
    assert messages[4].startswith("item 6 is an array")
    assert result.problems[3].raw.startswith('{\n    "id": "only-type-and-date"')
    webpage = result.references[2]
    assert webpage.url == "https://www.who.int/news-room/fact-sheets/detail/physical-activity"
    assert codes_of(webpage) == ["I006"]  # kept (it has a URL), its missing title reported


def test_duplicate_ids_are_kept_and_flagged():
    refs = read("duplicate_ids.json").references
    assert [(r.key, r.source.line, codes_of(r)) for r in refs] == [
        ("smith2020", 2, []), ("jones2019", 3, []), ("smith2020", 4, ["I002"])]
    assert "also at line 2" in refs[2].findings[0].message


def test_bom_and_crlf_keep_lines():
    text = ('\ufeff[\r\n  {"id": "a", "title": "T"},\r\n\r\n'
            '  {"id": "b", "title": "U"}\r\n]')
    result = read_csljson(text, "crlf.json")
    assert [(r.key, r.source.line) for r in result.references] == [("a", 2), ("b", 4)]


@pytest.mark.parametrize("text", [P("[]", id="empty-array"), P("  \n", id="blank"),
                                  P('{"items": []}', id="empty-wrapper")])
def test_nothing_to_read(text):
    result = read_csljson(text, "empty.json")
    assert (result.references, result.problems) == ([], [])


def test_zotero_web_api_csljson_wrapper():
    text = '[{"key": "ABCD1234", "csljson": {"id": "x1", "type": "book", "title": "T"}}]'
    [ref] = read_csljson(text, "api.json").references
    assert (ref.key, ref.entry_type, ref.title) == ("x1", "book", "T")


# -- names ----------------------------------------------------------------------------------


def test_literal_and_particle_names():
    refs = by_key("literal_names.json")
    assert refs["who2019"].authors == ("World Health Organization",)
    assert refs["particles"].authors == (
        "van Gogh, Vincent",         # non-dropping particle: part of the family name
        "La Fontaine, Jean de",      # dropping particle: with the given names
        "King, Martin Luther, Jr.",  # suffix last
        "d'Souza, Ana",              # an apostrophe particle joins without a space
        "Madonna",                   # given name only
        "Aristotle",                 # family name only
        "The PRISMA Group",          # Crossref's organisation `name`
        "Jane Q. Public",            # a bare string
    )                                # an empty name and a number are skipped
    assert refs["particles"].first_author_family == "van Gogh"
    assert refs["edited"].authors == ("Editor, Erin",)  # no author: the editors
    assert refs["crossref-org"].authors == ("International Olympic Committee",)
    assert refs["crossref-org"].title == "Consensus statement from a Crossref group author"
    assert [refs[k].source.line for k in ("who2019", "particles", "edited", "crossref-org")] \
        == [2, 10, 28, 35]


@pytest.mark.parametrize("name, expected", [
    P({"family": "Victora", "given": "Cesar G."}, "Victora, Cesar G.", id="family-given"),
    P({"literal": "World Health Organization"}, "World Health Organization", id="literal"),
    P({"family": "Beethoven", "given": "Ludwig", "non-dropping-particle": "van"},
      "van Beethoven, Ludwig", id="non-dropping"),
    P({"family": "  Smith ", "given": "John\n  Paul"}, "Smith, John Paul", id="whitespace"),
    P({}, None, id="empty"),
    P(None, None, id="null"),
])
def test_format_name(name, expected):
    assert format_name(name) == expected


# -- dates ----------------------------------------------------------------------------------

DATE_YEARS = {
    "full": 2019, "year-only": 2019, "strings": 2019, "empty": None, "null": None,
    "excess": 2019, "range": 2014, "raw": 2019, "literal": 2019, "literal-words": 2018,
    "season": 1985, "empty-then-raw": 2016, "bare-string": 2012, "old-year-key": 2010,
    "bc": None,                # year -334: outside 1000–2999, as bibtex's parse_year
    "print-and-online": 2017,  # no `issued`: the earlier of print (2018) and online (2017)
    "online-only": 2020, "posted": 2021,
    "null-then-print": 2011,   # `issued` [[null]] falls back to published-print
    "issued-wins": 2016,       # `issued` before an earlier online date
    "created-only": None,      # Crossref's record date is not the work's
    "accessed-only": None,     # nor is the date a web page was read
    "no-date": None,
}


def test_every_date_variant():
    refs = by_key("date_parts_variants.json")
    assert {key: ref.year for key, ref in refs.items()} == DATE_YEARS


@pytest.mark.parametrize("value, year", [
    P({"date-parts": [[2019, 5, 1]]}, 2019, id="ints"),
    P({"date-parts": [["2019"]]}, 2019, id="string"),
    P({"date-parts": [[]]}, None, id="empty"),
    P({"date-parts": []}, None, id="no-parts"),
    P({"date-parts": [[None]]}, None, id="null"),
    P({"date-parts": [[2018, 10, 21, 13]]}, 2018, id="excess"),
    P({"raw": "2019-05"}, 2019, id="raw"),
    P({"literal": "13th cent"}, None, id="literal-no-year"),
    P([[2001]], 2001, id="bare-parts"),
    P(2003, 2003, id="int"),
    P(True, None, id="bool"),
    P(None, None, id="none"),
])
def test_date_year(value, year):
    assert date_year(value) == year


# -- DOIs -----------------------------------------------------------------------------------


def test_doi_normalisation_and_findings():
    refs = by_key("doi_variants.json")
    got = {key: (ref.doi, codes_of(ref)) for key, ref in refs.items()}
    assert got == {
        "https-prefix": ("10.1001/jama.2018.14854", []),
        "dx-prefix": ("10.1016/s0140-6736(15)01024-7", []),
        "doi-colon": ("10.1249/mss.0000000000002180", []),
        "lowercase-key": ("10.1136/bjsports-2020-102955", []),
        "invalid": (None, ["D001"]),
        "conflict": ("10.1000/aaa", ["D006"]),
        "same-in-url": ("10.1101/2021.02.03.21250974", []),  # the URL's v1.full is cut
        "url-only": ("10.1111/apa.13147", ["D005"]),
        "note-only": ("10.1007/s40279-020-01377-4", ["D005"]),
        "short-doi-url": (None, []),  # https://doi.org/ckcj is a shortDOI, not a DOI
        "empty-doi": (None, []),
        "several": ("10.1000/xyz", ["D006"]),
    }
    assert refs["invalid"].doi_as_written == "not a doi at all"
    assert refs["url-only"].doi_as_written == \
        "https://onlinelibrary.wiley.com/doi/full/10.1111/apa.13147"
    assert "10.1000/bbb" in refs["conflict"].findings[0].message


# -- types ----------------------------------------------------------------------------------

TYPES = {
    # key: (entry type, kind the kind rules give it without a Crossref record)
    "article-journal": ("article", "journal-article"),
    "journal-article": ("article", "journal-article"),  # Crossref's type name
    "article": ("misc", "other"),               # CSL 1.0.2: preprint/working paper/document
    "article-magazine": ("misc", "other"),      # a magazine is not a journal
    "article-newspaper": ("misc", "other"),
    "book": ("book", "book"),
    "chapter": ("incollection", "book-chapter"),
    "paper-conference": ("inproceedings", "proceedings"),
    "report": ("techreport", "report"),
    "thesis": ("phdthesis", "thesis"),
    "masters": ("mastersthesis", "thesis"),
    "webpage": ("online", "web"),
    "post-weblog": ("online", "web"),
    "dataset": ("dataset", "dataset"),  # in Authorea, but a dataset stays a dataset
    "standard": ("standard", "standard"),
    "entry-encyclopedia": ("inreference", "book-chapter"),
    "manuscript": ("unpublished", "other"),
    "posted-content": ("unpublished", "preprint"),  # medRxiv DOI
    # The reader keeps the type the file gives; the kind rules see the preprint server.
    "medrxiv-article": ("misc", "preprint"),  # publisher medRxiv
    "arxiv-report": ("techreport", "preprint"),  # manubot writes arXiv items as "report"
    "biorxiv-doi-journal": ("article", "preprint"),
    "genre-preprint": ("unpublished", "other"),  # kind rules know servers, not genres
    "unknown-type": ("misc", "other"),
    "no-type": ("misc", "other"),
}


def test_type_mapping_and_the_kind_rules_it_feeds():
    refs = by_key("type_mapping.json")
    assert {key: (ref.entry_type, kind_of(ref, None)[0]) for key, ref in refs.items()} == TYPES
    assert refs["book"].container == "WHO Technical Report Series"  # collection-title
    assert refs["journal-article"].container == "BMJ"  # a list, as Crossref writes it


# -- conformance on shared/corpus/csl-json ----------------------------------------------------

# file → (references, with a DOI, problem lines, years in order), counted by reading each file.
# SOURCES.md in the corpus describes each file; where it differs, the comment says so.
CORPUS_EXPECTED = {
    # One arXiv item (manubot: type "report", container "arXiv"), 16 literal author names,
    # date-parts of strings ["2017", "07", "07"], DOI 10.7717/peerj-cs.147.
    "manubot_arxiv-joss-csl_raw.json": (1, 1, [], [2017]),
    # Two items: the eLife article (DOI, PMID, JATS abstract) and a Naturejobs blog webpage with
    # no id, no DOI and only an `accessed` date: key "2", line 56, no year.
    "manubot_bibliography.json": (2, 1, [], [2018, None]),
    # One Crossref citeproc item; its 555 `reference` entries are cited works, not items.
    "manubot_crossref-deep-review-csl_raw.json": (1, 1, [], [2018]),
    # One figshare (DataCite) item typed article-journal, issued [[2017]].
    "manubot_datacite-thesis-csl_raw.json": (1, 1, [], [2017]),
    # One Authorea dataset, issued [[]]: no year.
    "manubot_empty-date-parts-csl_raw.json": (1, 1, [], [None]),
    # One item with only id, type "entry" and issued [[2018, 10, 21, 13]]: no title, author,
    # container or identifier, so it is a problem at line 2, not a reference.
    "manubot_excess-date-parts-csl_raw.json": (0, 0, [2], []),
    # SOURCES.md says 7 items; the file holds 3 (lines 2, 41, 70), each with a DOI.
    "manubot_input-bibliography.json": (3, 3, [], [2018, 2014, 2018]),
    # One item with a DOI and issued [[null]]; no title (I006), no year.
    "manubot_null-date-parts-csl_raw.json": (1, 1, [], [None]),
    # One PubMed-derived item with DOI and PMID.
    "manubot_pubmed-scihub-study-csl_raw.json": (1, 1, [], [2018]),
}


def test_corpus_table_covers_every_file():
    if not CORPUS.is_dir():
        pytest.skip(f"no CSL-JSON corpus at {CORPUS}")
    assert sorted(p.name for p in CORPUS.iterdir()) == sorted(CORPUS_EXPECTED)


@pytest.mark.parametrize("name", sorted(CORPUS_EXPECTED))
def test_corpus_file(name):
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"corpus file absent: {path}")
    result = read_csljson(path.read_text("utf-8"), name)
    references, dois, problem_lines, years = CORPUS_EXPECTED[name]
    assert len(result.references) == references
    assert sum(1 for r in result.references if r.doi) == dois
    assert [p.source.line for p in result.problems] == problem_lines
    assert [r.year for r in result.references] == years
    assert all(r.source.file == name and r.source.line >= 1 for r in result.references)


def test_corpus_details():
    if not CORPUS.is_dir():
        pytest.skip(f"no CSL-JSON corpus at {CORPUS}")

    def refs(name):
        return read_csljson((CORPUS / name).read_text("utf-8"), name).references

    [joss] = refs("manubot_arxiv-joss-csl_raw.json")
    assert (joss.key, joss.entry_type, kind_of(joss, None)[0]) == (
        "oGNtTmrp", "techreport", "preprint")
    assert len(joss.authors) == 16 and joss.first_author_family == "Smith"
    elife, blog = refs("manubot_bibliography.json")
    assert (elife.key, elife.pmid, elife.doi) == (
        "doi:10.7554/elife.32822", "29424689", "10.7554/elife.32822")
    assert (blog.key, blog.source.line, blog.entry_type, blog.doi) == ("2", 56, "online", None)
    [review] = refs("manubot_crossref-deep-review-csl_raw.json")
    assert review.container == "Journal of The Royal Society Interface"
    assert review.authors[:2] == ("Ching, Travers", "Himmelstein, Daniel S.")
    assert [r.key for r in refs("manubot_input-bibliography.json")] == [
        "s33GCagP", "5thZNGfr", "299ObJlC"]
    [null_date] = refs("manubot_null-date-parts-csl_raw.json")
    assert codes_of(null_date) == ["I006"]
