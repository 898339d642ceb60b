import pytest
from builders import make_reference, make_work

from auditor.judge.kind import kind_of

P = pytest.param


@pytest.mark.parametrize(("message", "expected"), [
    P({"type": "journal-article"}, "journal-article", id="journal-article"),
    P({"type": "posted-content", "subtype": "preprint", "DOI": "10.1101/055319"}, "preprint",
      id="biorxiv-preprint"),
    P({"type": "posted-content", "subtype": "blog", "DOI": "10.53731/ybhah-9jy85"}, "web",
      id="blog-post"),
    P({"type": "posted-content", "DOI": "10.1101/2020.12.01.406702"}, "preprint",
      id="posted-content-without-subtype-on-preprint-prefix"),
    P({"type": "posted-content", "subtype": "other", "DOI": "10.57099/11h5yt3819"}, "other",
      id="posted-content-other"),
    P({"type": "proceedings-article"}, "proceedings", id="proceedings-article"),
    P({"type": "dissertation"}, "thesis", id="dissertation"),
    P({"type": "monograph"}, "book", id="monograph"),
    P({"type": "edited-book"}, "book", id="edited-book"),
    P({"type": "book-chapter"}, "book-chapter", id="book-chapter"),
    P({"type": "reference-entry"}, "book-chapter", id="reference-entry"),
    P({"type": "report"}, "report", id="report"),
    P({"type": "dataset"}, "dataset", id="dataset"),
    P({"type": "standard"}, "standard", id="standard"),
    P({"type": "peer-review"}, "peer-review-report", id="peer-review"),
    P({"type": "component"}, "other", id="component"),
])
def test_kind_from_crossref_type(message, expected):
    kind, source = kind_of(make_reference(), make_work(**message))
    assert (kind, source) == (expected, "crossref")


@pytest.mark.parametrize(("entry", "expected"), [
    P({"entry_type": "book"}, "book", id="book"),
    P({"entry_type": "incollection"}, "book-chapter", id="incollection"),
    P({"entry_type": "inproceedings"}, "proceedings", id="inproceedings"),
    P({"entry_type": "phdthesis"}, "thesis", id="phdthesis"),
    P({"entry_type": "techreport"}, "report", id="techreport"),
    P({"entry_type": "online"}, "web", id="online"),
    P({"entry_type": "misc", "url": "https://www.who.int/x"}, "web", id="misc-with-url-only"),
    P({"entry_type": "misc"}, "other", id="misc-bare"),
    P({"entry_type": "misc", "note": "medRxiv preprint"}, "preprint", id="misc-medrxiv-note"),
    P({"entry_type": "article", "container": "bioRxiv"}, "preprint", id="article-in-biorxiv"),
    P({"entry_type": "article", "container": "arXiv preprint arXiv:2101.00001"}, "preprint",
      id="article-in-arxiv"),
    P({"entry_type": "article", "container": "The Lancet"}, "journal-article",
      id="article-in-journal"),
    P({"entry_type": "article", "container": "Archives of Disease"}, "journal-article",
      id="journal-name-starting-like-arxiv-is-not-a-preprint"),
    P({"entry_type": "unpublished", "doi": "10.1101/2020.05.04.20089995"}, "preprint",
      id="unpublished-with-medrxiv-doi"),
])
def test_kind_from_entry_type_when_no_record(entry, expected):
    kind, source = kind_of(make_reference(**entry), None)
    assert (kind, source) == (expected, "entry")


@pytest.mark.parametrize(("doi", "expected"), [
    P("10.1101/055319", "preprint", id="biorxiv"),
    P("10.1101/2020.05.04.20089995", "preprint", id="medrxiv"),
    P("10.1101/gad.1234567", "journal-article", id="genes-and-development"),
    P("10.1101/gr.123456.111", "journal-article", id="genome-research"),
])
def test_cold_spring_harbor_journals_are_not_preprints(doi, expected):
    kind, _ = kind_of(make_reference(entry_type="article", doi=doi,
                                     container="Genes & Development"), None)
    assert kind == expected
