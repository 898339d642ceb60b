"""The PubMed client against a local E-utilities stand-in, and the parsing of real efetch XML."""

from __future__ import annotations

from pathlib import Path

import pytest
from pubmed_stand_in import Article, PubMedStandIn

from auditor.crossref.cache import Cache
from auditor.crossref.limiter import NCBI_WITH_KEY as WITH_KEY
from auditor.crossref.limiter import NCBI_WITHOUT_KEY as WITHOUT_KEY
from auditor.crossref.pubmed import PubMed, parse_efetch
from auditor.crossref.retry import RetryPolicy
from auditor.crossref.transport import Transport

FIXTURE = Path(__file__).parents[1] / "fixtures" / "pubmed"


@pytest.fixture
def ncbi(httpserver):
    stand_in = PubMedStandIn(httpserver)
    stand_in.add(Article("26869575", "10.1016/S0140-6736(15)01024-7",
                         ("Journal Article", "Review")),
                 Article("11242471", "10.1001/jama.285.4.413",
                         ("Randomized Controlled Trial", "Journal Article"),
                         ("Prospective Studies",)))
    return stand_in


def client(stand_in, cache=None, **options) -> PubMed:
    options.setdefault("retry", RetryPolicy(max_retries=2, backoff_base=0.01))
    return PubMed(stand_in.url, Transport("auditor-test", 2, 5), cache, sleep=lambda s: None,
                  **options)


def test_efetch_xml_gives_types_mesh_and_own_dois_only():
    articles = parse_efetch((FIXTURE / "efetch_article_book_references.xml").read_text("utf-8"))
    by_pmid = {record.pmid: (record, dois) for record, dois in articles}
    lancet, dois = by_pmid["26869575"]
    assert lancet.publication_types == ("Journal Article", "Review",
                                        "Research Support, Non-U.S. Gov't")
    assert "Breast Feeding" in lancet.mesh_headings
    # the DOI of a cited reference (ReferenceList) is not the article's own
    assert dois == {"10.1016/s0140-6736(15)01024-7"}
    assert by_pmid["11242471"][0].mesh_headings == ("Prospective Studies",)
    book, book_dois = by_pmid["30000001"]
    assert (book.publication_types, book_dois) == (("Review",), {"10.5555/lactmed-example"})


@pytest.mark.parametrize("text", ["<html>Service unavailable</html>", "<PubmedArticleSet><P",
                                  ""])
def test_unusable_efetch_answers_raise(text):
    with pytest.raises(ValueError):
        parse_efetch(text)


def test_lookup_finds_absent_and_matches_case_insensitively(ncbi):
    answers = client(ncbi).lookup(["10.1016/s0140-6736(15)01024-7", "10.1001/JAMA.285.4.413",
                                   "10.9999/not-in-pubmed"])
    assert answers["10.1016/s0140-6736(15)01024-7"].record.publication_types[-1] == "Review"
    assert answers["10.1001/jama.285.4.413"].record.pmid == "11242471"
    assert answers["10.9999/not-in-pubmed"].state == "absent"
    # one esearch, one efetch, both POSTed with tool and the batched, quoted DOI term
    assert [(route, method) for route, method, _ in ncbi.requests] == [
        ("esearch", "POST"), ("efetch", "POST")]
    term = ncbi.requests[0][2]["term"]
    assert term.count("[doi]") == 3 and ' OR "10.1001/jama.285.4.413"[doi]' in term
    assert ncbi.requests[0][2]["tool"] == "auditor"
    assert ncbi.requests[1][2]["id"] == "26869575,11242471"


def test_batches_of_one_hundred_dois(ncbi):
    dois = [f"10.1/x{i}" for i in range(250)]
    answers = client(ncbi).lookup(dois)
    assert {a.state for a in answers.values()} == {"absent"}
    # no PMID found → no efetch; 250 DOIs → 3 searches
    assert [r[0] for r in ncbi.requests] == ["esearch"] * 3


def test_api_key_and_email_are_sent_and_raise_the_limit(ncbi):
    pubmed = client(ncbi, api_key="k3y", email="me@example.org")
    pubmed.lookup(["10.1001/jama.285.4.413"])
    assert ncbi.requests[0][2]["api_key"] == "k3y"
    assert ncbi.requests[0][2]["email"] == "me@example.org"
    assert pubmed.limiter.limits == WITH_KEY
    assert client(ncbi).limiter.limits == WITHOUT_KEY


@pytest.mark.parametrize("headers", [{"Retry-After": "0"}, {}], ids=["retry-after", "backoff"])
def test_a_429_is_waited_out(ncbi, headers):
    ncbi.faults.append(("esearch", 429, headers))
    answers = client(ncbi).lookup(["10.1001/jama.285.4.413"])
    assert answers["10.1001/jama.285.4.413"].state == "found"
    assert [r[0] for r in ncbi.requests] == ["esearch", "esearch", "efetch"]


def test_faults_leave_dois_unchecked_never_absent(ncbi):
    ncbi.faults.extend([("efetch", 500, {})] * 3)
    answers = client(ncbi).lookup(["10.1001/jama.285.4.413", "10.9999/not-in-pubmed"])
    assert {a.state for a in answers.values()} == {"unchecked"}
    assert "500" in answers["10.9999/not-in-pubmed"].reason


def test_broken_xml_is_unchecked(ncbi):
    ncbi.broken_xml = True
    answer = client(ncbi).lookup(["10.1001/jama.285.4.413"])["10.1001/jama.285.4.413"]
    assert answer.state == "unchecked" and "unusable" in answer.reason


def test_unreachable_ncbi_is_unchecked():
    pubmed = PubMed("http://127.0.0.1:9/eutils", Transport("t", 1, 1),
                    retry=RetryPolicy(max_retries=1, backoff_base=0.01), sleep=lambda s: None)
    answer = pubmed.lookup(["10.1/a"])["10.1/a"]
    assert answer.state == "unchecked" and "connect" in answer.reason


def test_answers_are_cached_per_server_and_offline_reads_them(ncbi, tmp_path):
    path = tmp_path / "cache.sqlite3"
    cache = Cache(path, server=ncbi.url)
    client(ncbi, cache).lookup(["10.1001/jama.285.4.413", "10.9999/not-in-pubmed"])
    cache.close()
    ncbi.requests.clear()
    again = client(ncbi, Cache(path, server=ncbi.url), offline=True).lookup(
        ["10.1001/jama.285.4.413", "10.9999/not-in-pubmed", "10.1/never-asked"])
    assert ncbi.requests == []
    assert again["10.1001/jama.285.4.413"].record.publication_types[0] == (
        "Randomized Controlled Trial")
    assert again["10.9999/not-in-pubmed"].state == "absent"
    assert again["10.1/never-asked"].state == "unchecked"
    # Crossref's rows for the same file are another server's: PubMed's answers never leak there
    assert Cache(path).get_many(["10.1001/jama.285.4.413"]) == {}


def test_a_doi_with_a_quote_is_not_searched(ncbi):
    answer = client(ncbi).lookup(['10.1/a"b'])['10.1/a"b']
    assert answer.state == "unchecked" and ncbi.requests == []


def test_a_widened_search_is_split_so_no_hit_is_crowded_out(ncbi):
    answers = client(ncbi).lookup(["10.1/widened-typo", "10.1001/jama.285.4.413",
                                   "10.9999/not-in-pubmed", "10.1016/s0140-6736(15)01024-7"])
    assert answers["10.1001/jama.285.4.413"].state == "found"
    assert answers["10.1016/s0140-6736(15)01024-7"].state == "found"
    assert answers["10.9999/not-in-pubmed"].state == "absent"
    assert answers["10.1/widened-typo"].state == "unchecked"
    assert "ambiguous" in answers["10.1/widened-typo"].reason


def test_the_article_is_kept_rather_than_an_erratum_sharing_its_doi(ncbi):
    ncbi.add(Article("30000002", "10.1000/shared", ("Published Erratum",)))
    # the same DOI on the research article, served after the erratum
    ncbi.articles["another record"] = Article("30000003", "10.1000/shared",
                                              ("Journal Article", "Randomized Controlled Trial"))
    record = client(ncbi).lookup(["10.1000/shared"])["10.1000/shared"].record
    assert record.pmid == "30000003"


def test_pmids_give_their_article_doi_cached_and_faults_leave_them_out(ncbi, tmp_path):
    path = tmp_path / "cache.sqlite3"
    cache = Cache(path, server=ncbi.url)
    assert client(ncbi, cache).dois_of(["11242471", "99999999"]) == {
        "11242471": "10.1001/jama.285.4.413", "99999999": None}  # no such article: no DOI
    cache.close()
    ncbi.requests.clear()
    offline = client(ncbi, Cache(path, server=ncbi.url), offline=True)
    assert offline.dois_of(["11242471", "99999999", "26869575"]) == {
        "11242471": "10.1001/jama.285.4.413", "99999999": None}  # 26869575 was never asked
    assert ncbi.requests == []
    ncbi.faults.extend([("efetch", 500, {})] * 3)
    assert client(ncbi).dois_of(["26869575"]) == {}  # unanswered: left out, never "no DOI"
