"""The SQLite cache, on a real file in tmp_path."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from auditor.crossref.cache import DAY, SCHEMA_VERSION, Cache, CachedAnswer, NoCache
from auditor.crossref.client import PolitePool, Works
from auditor.crossref.retry import RetryPolicy

T0 = 1_700_000_000.0
RECORD = {"DOI": "10.1371/journal.pone.0033693", "type": "journal-article",
          "title": ["A PLOS ONE article"], "issued": {"date-parts": [[2012, 3, 21]]}}


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    store = Cache(tmp_path / "sub" / "crossref.sqlite3")
    yield store
    store.close()


def pragma(path: Path, name: str) -> object:
    with sqlite3.connect(path) as db:
        return db.execute(f"PRAGMA {name}").fetchone()[0]


def test_round_trip(cache: Cache) -> None:
    cache.put_many([CachedAnswer("10.1371/journal.pone.0033693", True, RECORD, T0),
                    CachedAnswer("10.1371/notarealdoi", False, None, T0)])
    got = cache.get_many(["10.1371/journal.pone.0033693", "10.1371/notarealdoi",
                          "10.5555/never-asked"], now=T0 + 60)
    assert got == {
        "10.1371/journal.pone.0033693": CachedAnswer("10.1371/journal.pone.0033693", True,
                                                     RECORD, T0),
        "10.1371/notarealdoi": CachedAnswer("10.1371/notarealdoi", False, None, T0),
    }
    (row,) = cache.stats(now=T0)
    assert (row["server"], row["found"], row["not_found"]) == (cache.server, 1, 1)


def test_doi_case_does_not_matter(cache: Cache) -> None:
    cache.put_many([CachedAnswer("10.1016/S0140-6736(15)01024-7", True, RECORD, T0)])
    got = cache.get_many(["10.1016/s0140-6736(15)01024-7"], now=T0)
    assert list(got) == ["10.1016/s0140-6736(15)01024-7"]
    got = cache.get_many(["10.1016/S0140-6736(15)01024-7"], now=T0)
    assert list(got) == ["10.1016/s0140-6736(15)01024-7"]


def test_a_later_answer_replaces_the_earlier(cache: Cache) -> None:
    cache.put_many([CachedAnswer("10.5555/x", False, None, T0)])
    cache.put_many([CachedAnswer("10.5555/X", True, RECORD, T0 + 10)])
    assert cache.get_many(["10.5555/x"], now=T0 + 20)["10.5555/x"].found
    (row,) = cache.stats(now=T0)
    assert (row["found"], row["not_found"]) == (1, 0)


@pytest.mark.parametrize(("found", "age", "fresh"), [
    pytest.param(True, 29 * DAY, True, id="found-29-days"),
    pytest.param(True, 30 * DAY, True, id="found-30-days"),
    pytest.param(True, 31 * DAY, False, id="found-31-days"),
    pytest.param(False, 23 * 3600, True, id="not-found-23-hours"),
    pytest.param(False, 25 * 3600, False, id="not-found-25-hours"),
    pytest.param(False, 2 * DAY, False, id="not-found-2-days"),
])
def test_ttl(cache: Cache, found: bool, age: float, fresh: bool) -> None:
    cache.put_many([CachedAnswer("10.5555/ttl", found, RECORD if found else None, T0)])
    assert ("10.5555/ttl" in cache.get_many(["10.5555/ttl"], now=T0 + age)) is fresh


def test_many_dois_beyond_one_query(cache: Cache) -> None:
    dois = [f"10.5555/{n}" for n in range(1234)]
    cache.put_many([CachedAnswer(d, False, None, T0) for d in dois])
    assert len(cache.get_many(dois, now=T0)) == 1234


def test_wal_and_schema_version(cache: Cache) -> None:
    assert pragma(cache.path, "journal_mode") == "wal"
    assert pragma(cache.path, "user_version") == SCHEMA_VERSION == 3


def test_a_cache_from_a_future_version_is_reset(tmp_path: Path) -> None:
    path = tmp_path / "crossref.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE works (doi TEXT PRIMARY KEY, payload BLOB, version INTEGER)")
        db.execute("INSERT INTO works VALUES ('10.5555/x', x'00', 7)")
        db.execute("PRAGMA user_version = 7")
    store = Cache(path)
    try:
        assert store.get_many(["10.5555/x"], now=T0) == {}
        store.put_many([CachedAnswer("10.5555/x", True, RECORD, T0)])
        assert store.get_many(["10.5555/x"], now=T0)["10.5555/x"].record == RECORD
    finally:
        store.close()
    assert pragma(path, "user_version") == 3


def test_a_version_1_cache_keyed_by_doi_alone_is_reset(tmp_path: Path) -> None:
    path = tmp_path / "crossref.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE works (doi TEXT PRIMARY KEY, found INTEGER NOT NULL,"
                   " record TEXT, fetched_at REAL NOT NULL)")
        db.execute("INSERT INTO works VALUES ('10.5555/x', 0, NULL, ?)", (T0,))
        db.execute("PRAGMA user_version = 1")
    store = Cache(path)
    try:
        assert store.get_many(["10.5555/x"], now=T0) == {}  # not trusted: no server recorded
    finally:
        store.close()


def test_answers_are_kept_per_server(tmp_path: Path) -> None:
    path = tmp_path / "crossref.sqlite3"
    stand_in = Cache(path, server="http://127.0.0.1:8765")
    stand_in.put_many([CachedAnswer("10.5555/x", False, None, T0)])
    stand_in.close()
    crossref = Cache(path, server="https://api.crossref.org/")
    try:
        assert crossref.get_many(["10.5555/x"], now=T0) == {}
        crossref.put_many([CachedAnswer("10.5555/x", True, RECORD, T0)])
        assert {row["server"] for row in crossref.stats(now=T0)} == {
            "http://127.0.0.1:8765", "https://api.crossref.org"}
    finally:
        crossref.close()


def test_reopening_keeps_answers(tmp_path: Path) -> None:
    path = tmp_path / "crossref.sqlite3"
    first = Cache(path)
    first.put_many([CachedAnswer("10.5555/kept", True, RECORD, T0)])
    first.close()
    second = Cache(path)
    try:
        assert second.get_many(["10.5555/kept"], now=T0)["10.5555/kept"].record == RECORD
    finally:
        second.close()


def test_a_damaged_row_is_a_miss(cache: Cache) -> None:
    cache.put_many([CachedAnswer("10.5555/good", True, RECORD, T0)])
    with sqlite3.connect(cache.path) as db:
        db.execute("INSERT INTO works VALUES (?, '10.5555/bad', 1, '{\"DOI\": \"10.5555/b', ?)",
                   (cache.server, T0))
    got = cache.get_many(["10.5555/good", "10.5555/bad"], now=T0)
    assert list(got) == ["10.5555/good"]


def test_clear(cache: Cache) -> None:
    cache.put_many([CachedAnswer(f"10.5555/{n}", n % 2 == 0, RECORD, T0) for n in range(5)])
    assert cache.clear() == 5
    assert cache.get_many([f"10.5555/{n}" for n in range(5)], now=T0) == {}
    assert cache.stats(now=T0) == []


def test_no_cache_remembers_nothing() -> None:
    store = NoCache()
    store.put_many([CachedAnswer("10.5555/x", True, RECORD, T0)])
    assert store.get_many(["10.5555/x"]) == {}


# --- the cache seen through Works -----------------------------------------------------------

def _works(server: HTTPServer, cache: Cache) -> Works:
    pool = PolitePool(base_url=server.url_for(""), mailto="me@example.org")
    return Works(pool, cache, retry=RetryPolicy(backoff_base=0.01), sleep=lambda s: None)


def test_a_second_run_makes_no_requests(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/works/10.1371/journal.pone.0033693").respond_with_json(
        {"status": "ok", "message-type": "work", "message": RECORD})
    httpserver.expect_request("/works/10.1371/notarealdoi").respond_with_data(
        "Resource not found.", status=404, content_type="text/plain")
    httpserver.expect_request("/works/10.1371/notarealdoi/agency").respond_with_data(
        "Resource not found.", status=404, content_type="text/plain")
    dois = ["10.1371/journal.pone.0033693", "10.1371/notarealdoi"]
    path = tmp_path / "crossref.sqlite3"

    store = Cache(path)
    works = _works(httpserver, store)
    first = works.lookup(dois)
    works.close()
    store.close()
    assert len(httpserver.log) == 3  # the record, the 404, the agency lookup
    assert {d: a.state for d, a in first.items()} == {dois[0]: "found", dois[1]: "not-found"}

    store = Cache(path)
    works = _works(httpserver, store)
    second = works.lookup([d.upper() for d in dois])
    works.close()
    store.close()
    assert len(httpserver.log) == 3  # nothing new was asked
    assert works.stats.requests == 0
    assert works.stats.cache_hits == 2
    assert {d: (a.state, a.from_cache) for d, a in second.items()} == {
        dois[0]: ("found", True), dois[1]: ("not-found", True)}
    assert second[dois[0]].work == first[dois[0]].work


def test_unchecked_answers_are_not_cached(httpserver: HTTPServer, cache: Cache) -> None:
    httpserver.expect_request("/works/10.5555/flaky").respond_with_data("oops", status=500)
    works = _works(httpserver, cache)
    assert works.lookup(["10.5555/flaky"])["10.5555/flaky"].state == "unchecked"
    works.close()
    assert cache.get_many(["10.5555/flaky"]) == {}


@pytest.mark.parametrize("record", [
    pytest.param(None, id="found-without-record"),
    pytest.param({"title": ["no DOI"]}, id="record-without-doi"),
    pytest.param([1, 2], id="record-not-an-object"),
])
def test_an_unreadable_cached_record_is_asked_again(httpserver: HTTPServer, cache: Cache,
                                                     record: object) -> None:
    """A damaged found row must never read as not-found, nor stay unchecked for 30 days."""
    doi = "10.1371/journal.pone.0033693"
    cache.put_many([CachedAnswer(doi, True, record, time.time())])  # type: ignore[arg-type]
    httpserver.expect_request(f"/works/{doi}").respond_with_json(
        {"status": "ok", "message-type": "work", "message": RECORD})
    works = _works(httpserver, cache)
    answer = works.lookup([doi])[doi]
    works.close()
    assert (answer.state, answer.from_cache) == ("found", False)
    assert answer.work is not None and answer.work.title == "A PLOS ONE article"
    assert len(httpserver.log) == 1
    assert cache.get_many([doi])[doi].record == RECORD  # the row was repaired
