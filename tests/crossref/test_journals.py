"""Journal standing by ISSN — the NLM Catalog (MEDLINE) and DOAJ — against local stand-ins:
batches, the cache, faults that leave the signal at `issn`, and the records' real shapes."""

from __future__ import annotations

import pytest
from pubmed_stand_in import CatalogJournal, DoajStandIn, PubMedStandIn

from auditor.crossref.cache import Cache
from auditor.crossref.journals import Journals, doaj_standing, nlm_standing, normalize_issn
from auditor.crossref.retry import RetryPolicy
from auditor.crossref.transport import Transport

LANCET, PLOS, UNLISTED, DROPPED = "0140-6736", "1932-6203", "1234-5679", "0003-9926"


@pytest.fixture
def lists(httpserver):
    nlm = PubMedStandIn(httpserver, journals=[
        CatalogJournal("1", (LANCET, "1474-547X"), True, "Lancet"),
        CatalogJournal("2", (PLOS,), True, "PLoS One"),
        # in the NLM Catalog, no longer indexed for MEDLINE (it ceased)
        CatalogJournal("3", (DROPPED,), False, "Arch Intern Med")])
    doaj = DoajStandIn(httpserver, journals={PLOS: "Anonymous peer review"})
    return nlm, doaj


def client(nlm, doaj, cache_path=None, **options) -> Journals:
    options.setdefault("retry", RetryPolicy(max_retries=0, backoff_base=0.01))
    caches = {}
    if cache_path is not None:
        caches = {"nlm_cache": Cache(cache_path, server=f"{nlm.url}#nlmcatalog"),
                  "doaj_cache": Cache(cache_path, server=doaj.url)}
    return Journals(nlm.url, doaj.url, Transport("auditor-test", 2, 5), sleep=lambda s: None,
                    **caches, **options)


def test_each_list_says_what_it_knows(lists):
    nlm, doaj = lists
    standings = client(nlm, doaj).lookup([LANCET, PLOS, UNLISTED, DROPPED])
    lancet, plos = standings[LANCET], standings[PLOS]
    assert (lancet.medline, lancet.medline_title, lancet.doaj) == (True, "Lancet", False)
    assert (plos.medline, plos.doaj, plos.doaj_review) == (True, True, "Anonymous peer review")
    # in neither list: "not confirmed" — the lists answered, they just do not list it
    assert (standings[UNLISTED].medline, standings[UNLISTED].doaj) == (False, False)
    # a catalog record that is not currently indexed is not MEDLINE
    assert standings[DROPPED].medline is False


def test_one_request_per_batch_and_the_term_names_every_issn(lists):
    nlm, doaj = lists
    issns = [f"2{n:03d}-{n:04d}" for n in range(150)]  # 150 journals no list knows
    client(nlm, doaj).lookup(issns)
    searches = [values for route, _, values in nlm.requests if route == "esearch"]
    assert len(searches) == -(-len(issns) // 100)  # batches of 100 terms
    assert sum(v["term"].count("[ISSN]") for v in searches) == len(issns)
    assert all(v["db"] == "nlmcatalog" and v["tool"] == "auditor" for v in searches)
    assert len(doaj.requests) == -(-len(issns) // 50)


def test_the_second_run_is_answered_from_the_cache(lists, tmp_path):
    nlm, doaj = lists
    first = client(nlm, doaj, tmp_path / "cache.sqlite3").lookup([LANCET, UNLISTED])
    asked = (len(nlm.requests), len(doaj.requests))
    again = client(nlm, doaj, tmp_path / "cache.sqlite3").lookup([LANCET, UNLISTED])
    assert (len(nlm.requests), len(doaj.requests)) == asked
    assert again == first


def test_a_fault_leaves_that_list_unanswered_and_the_other_answers(lists):
    nlm, doaj = lists
    nlm.faults.append(("esearch", 500, {}))
    standings = client(nlm, doaj).lookup([PLOS])
    # NLM said nothing usable: unknown (None), not "not in MEDLINE"; DOAJ still answered
    assert (standings[PLOS].medline, standings[PLOS].doaj) == (None, True)


def test_unreachable_lists_give_no_answer_and_no_error():
    closed = Journals("http://127.0.0.1:9/eutils", "http://127.0.0.1:9/doaj",
                      Transport("auditor-test", 1, 1),
                      retry=RetryPolicy(max_retries=0, backoff_base=0.01), sleep=lambda s: None)
    standing = closed.lookup([LANCET])[LANCET]
    assert (standing.medline, standing.doaj) == (None, None)


def test_offline_asks_nothing(lists):
    nlm, doaj = lists
    standing = client(nlm, doaj, offline=True).lookup([LANCET])[LANCET]
    assert (standing.medline, standing.doaj) == (None, None)
    assert nlm.requests == [] and doaj.requests == []


@pytest.mark.parametrize(("value", "issn"), [
    ("0140-6736", "0140-6736"), ("01406736", "0140-6736"), ("0102-311x", "0102-311X"),
    ("1474-547X ", "1474-547X"), ("140-6736", None), ("ISBN 978-92", None), ("", None)])
def test_issns_are_normalised(value, issn):
    assert normalize_issn(value) == issn


def test_esummary_and_doaj_records_as_the_services_shape_them():
    # An esummary `result` (db=nlmcatalog): the ISSN in lower case, a linking ISSN, status "N"
    result = {"uids": ["101", "102"],
              "101": {"uid": "101", "medlineta": "Breastfeed Med", "currentindexingstatus": "Y",
                      "issnlist": [{"issn": "1556-8253", "issntype": "Print"},
                                   {"issn": "1556-8342", "issntype": "Electronic"}]},
              "102": {"uid": "102", "medlineta": "", "currentindexingstatus": "N",
                      "issnlist": [{"issn": "0102-311x", "issntype": "Linking"}]}}
    assert nlm_standing(result, ["1556-8342", "0102-311X", "9999-9999"]) == {
        "1556-8342": (True, "Breastfeed Med"), "0102-311X": (False, None),
        "9999-9999": (False, None)}
    # DOAJ `results`: pissn/eissn, the review process as a list, or none named
    results = [{"bibjson": {"eissn": "1932-6203", "editorial": {
                   "review_process": ["Anonymous peer review", "Editorial review"]}}},
               {"bibjson": {"pissn": "2049-1115", "editorial": {}}}]
    assert doaj_standing(results, ["1932-6203", "2049-1115", "0140-6736"]) == {
        "1932-6203": "Anonymous peer review, Editorial review", "2049-1115": "",
        "0140-6736": None}
