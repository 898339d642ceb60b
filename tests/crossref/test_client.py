"""`Works` against a local HTTP server: every answer Crossref (or a fault) can give."""

from __future__ import annotations

import random
import re
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest
from pytest_httpserver import HTTPServer
from recorded import CASSETTES, read_cassette
from werkzeug import Request, Response

from auditor.crossref.cache import Cache, CachedAnswer
from auditor.crossref.client import PolitePool, Works
from auditor.crossref.records import work_from_message
from auditor.crossref.retry import (
    POLITE_SINGLE,
    PUBLIC_SINGLE,
    PoolLimits,
    RetryPolicy,
    parse_interval,
)

DOI = "10.1371/journal.pone.0033693"
MAILTO = "me@example.org"
TOOL_URL = "https://github.com/auditor-bib/auditor"
MESSAGE = {
    "DOI": DOI, "type": "journal-article", "publisher": "Public Library of Science (PLoS)",
    "title": ["Neural correlates of a PLOS ONE example"], "container-title": ["PLoS ONE"],
    "ISSN": ["1932-6203"], "author": [{"given": "Ana", "family": "Example"}],
    "issued": {"date-parts": [[2012, 3, 21]]}, "volume": "7", "issue": "3", "page": "e33693",
    "updated-by": [{"DOI": "10.1371/annotation/c76da2c1-ccb8-4797-94c1-359d3ceceeda",
                    "type": "correction", "label": "Correction", "source": "publisher",
                    "updated": {"date-parts": [[2012, 5, 8]]}}],
}
ENVELOPE = {"status": "ok", "message-type": "work", "message-version": "1.0.0",
            "message": MESSAGE}
NOT_FOUND = {"response_data": "Resource not found.", "status": 404,
             "content_type": "text/plain"}


def make_pool(base_url: str, mailto: str | None = MAILTO, read_timeout: float = 30.0,
              connect_timeout: float = 5.0) -> PolitePool:
    return PolitePool(base_url=base_url, mailto=mailto, tool_version="1.2.3", tool_url=TOOL_URL,
                      read_timeout=read_timeout, connect_timeout=connect_timeout)


def make_works(base_url: str, *, mailto: str | None = MAILTO, max_retries: int = 3,
               sleeps: list[float] | None = None, read_timeout: float = 30.0,
               connect_timeout: float = 5.0, offline: bool = False,
               cache: Cache | None = None, batch_size: int = 40) -> Works:
    """A client that never really sleeps (waits are recorded in `sleeps` when given)."""
    return Works(make_pool(base_url, mailto, read_timeout, connect_timeout), cache,
                 retry=RetryPolicy(max_retries=max_retries, backoff_base=0.01),
                 offline=offline, sleep=sleeps.append if sleeps is not None else lambda s: None,
                 rng=random.Random(0), batch_size=batch_size)


@pytest.fixture
def works(httpserver: HTTPServer) -> Iterator[Works]:
    client = make_works(httpserver.url_for(""))
    yield client
    client.close()


# --- the request itself (pure) --------------------------------------------------------------

@pytest.mark.parametrize(("doi", "path"), [
    pytest.param("10.1001/jama.285.4.413", "/works/10.1001/jama.285.4.413", id="plain"),
    pytest.param("10.1016/s0140-6736(15)01024-7", "/works/10.1016/s0140-6736(15)01024-7",
                 id="parentheses-literal"),
    pytest.param("10.1002/(sici)1097-4636(199706)35:4<437::aid-jbm5>3.0.co;2-m",
                 "/works/10.1002/(sici)1097-4636(199706)35:4%3C437::aid-jbm5%3E3.0.co;2-m",
                 id="sici-angle-brackets-encoded"),
    pytest.param("10.1000/a#b?c d%e", "/works/10.1000/a%23b%3Fc%20d%25e",
                 id="fragment-query-space-percent-encoded"),
])
def test_work_url(doi: str, path: str) -> None:
    assert make_pool("https://api.crossref.org/").work_url(doi) == "https://api.crossref.org" + path


def test_user_agent_and_params() -> None:
    assert make_pool("x").user_agent == f"auditor/1.2.3 ({TOOL_URL}; mailto:{MAILTO})"
    assert make_pool("x").params == {"mailto": MAILTO}
    assert make_pool("x", mailto=None).user_agent == f"auditor/1.2.3 ({TOOL_URL})"
    assert make_pool("x", mailto=None).params == {}


# --- answers ---------------------------------------------------------------------------------

def test_found(httpserver: HTTPServer, works: Works) -> None:
    httpserver.expect_request(f"/works/{DOI}").respond_with_json(ENVELOPE)
    answer = works.lookup([DOI])[DOI]
    assert answer.state == "found"
    assert answer.reason is None
    assert answer.from_cache is False
    assert answer.work == work_from_message(MESSAGE)
    assert answer.work.updated_by[0].type == "correction"
    assert works.stats.requests == 1
    assert works.stats.failures == 0


def test_not_found(httpserver: HTTPServer, works: Works) -> None:
    httpserver.expect_request("/works/10.1371/notarealdoi").respond_with_data(**NOT_FOUND)
    httpserver.expect_request("/works/10.1371/notarealdoi/agency").respond_with_data(**NOT_FOUND)
    answer = works.lookup(["10.1371/notarealdoi"])["10.1371/notarealdoi"]
    assert (answer.state, answer.work) == ("not-found", None)
    assert "no registry knows" in answer.reason
    assert len(httpserver.log) == 2  # definite answers, not retried: 404, then no agency
    assert not works.breaker.open


def test_agency_lookup_failing_leaves_crossrefs_not_found(httpserver: HTTPServer,
                                                          works: Works) -> None:
    httpserver.expect_request("/works/10.1371/notarealdoi").respond_with_data(**NOT_FOUND)
    httpserver.expect_request("/works/10.1371/notarealdoi/agency").respond_with_data(
        "down", status=503)
    answer = works.lookup(["10.1371/notarealdoi"])["10.1371/notarealdoi"]
    assert answer.state == "not-found"
    assert "other registries could not be checked" in answer.reason
    assert not works.breaker.open  # an auxiliary lookup never stops the run


@pytest.mark.parametrize("page", [
    pytest.param("<!DOCTYPE html><html><body><h1>Not Found</h1></body></html>", id="html"),
    pytest.param("\n  <html><title>404</title></html>", id="html-after-blank-lines"),
])
def test_404_web_page_is_unchecked(httpserver: HTTPServer, works: Works, page: str) -> None:
    httpserver.expect_request(f"/works/{DOI}").respond_with_data(
        page, status=404, content_type="text/html")
    answer = works.lookup([DOI])[DOI]
    assert answer.state == "unchecked"
    assert "is the Crossref URL right" in answer.reason
    assert len(httpserver.log) == 1


def test_429_then_200_is_found_after_one_retry(httpserver: HTTPServer) -> None:
    httpserver.expect_ordered_request(f"/works/{DOI}").respond_with_data(
        "<html>Too many requests</html>", status=429, headers={"Retry-After": "2"},
        content_type="text/html")
    httpserver.expect_ordered_request(f"/works/{DOI}").respond_with_json(ENVELOPE)
    sleeps: list[float] = []
    works = make_works(httpserver.url_for(""), sleeps=sleeps)
    answer = works.lookup([DOI])[DOI]
    works.close()
    assert answer.state == "found"
    assert len(httpserver.log) == 2
    assert works.stats.retries == 1
    assert sleeps[0] == 2.0  # Retry-After honoured (the throttle may add its own pauses)
    httpserver.check_assertions()


def test_429_retry_after_zero(httpserver: HTTPServer, works: Works) -> None:
    httpserver.expect_ordered_request(f"/works/{DOI}").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "0"})
    httpserver.expect_ordered_request(f"/works/{DOI}").respond_with_json(ENVELOPE)
    assert works.lookup([DOI])[DOI].state == "found"
    assert works.stats.retries == 1
    httpserver.check_assertions()


def test_429_always_is_unchecked_never_not_found(httpserver: HTTPServer, works: Works) -> None:
    httpserver.expect_request(f"/works/{DOI}").respond_with_data(
        "<html>Rate limit exceeded</html>", status=429, content_type="text/html")
    answer = works.lookup([DOI])[DOI]
    assert answer.state == "unchecked"
    assert "429" in answer.reason
    assert len(httpserver.log) == 4  # first try and max_retries=3 retries
    assert works.stats.failures == 1


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_server_errors_are_unchecked_after_retries(httpserver: HTTPServer, works: Works,
                                                     status: int) -> None:
    httpserver.expect_request(f"/works/{DOI}").respond_with_data("oops", status=status)
    answer = works.lookup([DOI])[DOI]
    assert answer.state == "unchecked"
    assert str(status) in answer.reason
    assert len(httpserver.log) == 4
    assert works.stats.retries == 3


def test_server_error_then_success(httpserver: HTTPServer, works: Works) -> None:
    httpserver.expect_ordered_request(f"/works/{DOI}").respond_with_data("oops", status=503)
    httpserver.expect_ordered_request(f"/works/{DOI}").respond_with_data("oops", status=502)
    httpserver.expect_ordered_request(f"/works/{DOI}").respond_with_json(ENVELOPE)
    assert works.lookup([DOI])[DOI].state == "found"
    assert works.stats.failures == 0
    httpserver.check_assertions()


def test_400_is_unchecked_without_retry(httpserver: HTTPServer, works: Works) -> None:
    httpserver.expect_request("/works/10.1/x").respond_with_json(
        {"status": "failed", "message-type": "validation-failure",
         "message": [{"type": "doi-invalid", "value": "10.1/x", "message": "DOI …"}]},
        status=400)
    answer = works.lookup(["10.1/x"])["10.1/x"]
    assert answer.state == "unchecked"
    assert "400" in answer.reason
    assert len(httpserver.log) == 1


@pytest.mark.parametrize("body", [
    pytest.param('{"status":"ok","message-type":"work","message":{"DOI":"10.1371/jour',
                 id="truncated"),
    pytest.param("<html><body>Service temporarily unavailable</body></html>", id="html"),
    pytest.param("", id="empty"),
    pytest.param("[]", id="json-list"),
    pytest.param('"ok"', id="json-string"),
    pytest.param('{"status":"ok"}', id="no-message"),
    pytest.param('{"status":"ok","message":null}', id="null-message"),
    pytest.param('{"status":"ok","message":["x"]}', id="list-message"),
    pytest.param('{"status":"ok","message":{"title":["no DOI"]}}', id="message-without-doi"),
])
def test_unreadable_200_is_unchecked(httpserver: HTTPServer, works: Works, body: str) -> None:
    httpserver.expect_request(f"/works/{DOI}").respond_with_data(
        body, content_type="application/json")
    answer = works.lookup([DOI])[DOI]
    assert answer.state == "unchecked"
    assert re.search("not readable JSON|not the expected record|record could not be read",
                     answer.reason)


# --- faults: timeouts, refused connections, the breaker --------------------------------------

@pytest.fixture
def stalling_server() -> Iterator[tuple[HTTPServer, threading.Event]]:
    """A server of its own whose handlers wait until the test ends, so no late request reaches
    the shared `httpserver` of another test."""
    release = threading.Event()
    server = HTTPServer(threaded=True)
    server.start()
    yield server, release
    release.set()
    server.clear()
    server.stop()


def test_read_timeout_is_unchecked(stalling_server: tuple[HTTPServer, threading.Event]) -> None:
    server, release = stalling_server

    def never_answers(request: Request) -> Response:
        release.wait(10)
        return Response("{}", content_type="application/json")

    server.expect_request(f"/works/{DOI}").respond_with_handler(never_answers)
    works = make_works(server.url_for(""), max_retries=1, read_timeout=0.3)
    answer = works.lookup([DOI])[DOI]
    works.close()
    assert answer.state == "unchecked"
    assert "timeout" in answer.reason
    assert works.stats.requests == 2  # a timeout is retried


def test_stall_in_the_body_is_a_timeout(stalling_server: tuple[HTTPServer, threading.Event]
                                        ) -> None:
    """Headers arrive, then the body stops: requests raises ConnectionError for that."""
    server, release = stalling_server

    def stalls(request: Request) -> Response:
        def body() -> Iterator[bytes]:
            yield b'{"status":"ok","message-type":"work",'
            release.wait(10)
            yield b'"message":{}}'
        return Response(body(), headers={"Content-Length": "60"},
                        content_type="application/json")

    server.expect_request(f"/works/{DOI}").respond_with_handler(stalls)
    works = make_works(server.url_for(""), max_retries=2, read_timeout=0.3)
    answer = works.lookup([DOI])[DOI]
    works.close()
    assert answer.state == "unchecked"
    assert "timeout" in answer.reason
    assert "connect" not in answer.reason
    assert works.stats.requests == 2  # retried once as a timeout, not given up as unreachable


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_connection_refused_opens_the_breaker() -> None:
    works = make_works(f"http://127.0.0.1:{closed_port()}", connect_timeout=1.0,
                       batch_size=3)
    works.single.limits = PoolLimits(100, 1.0, 1)  # one request at a time
    dois = [f"10.5555/refused-{n}" for n in range(5)]
    answers = works.lookup(dois)
    works.close()
    assert {a.state for a in answers.values()} == {"unchecked"}
    reasons = sorted(answers[d].reason.split(":")[0] for d in dois)
    assert reasons == ["could not connect to 127.0.0.1"] * 2 + ["stopped asking Crossref"] * 3
    assert works.stats.requests == 4  # two DOIs, each tried twice, then nothing more
    assert works.stats.stopped_early == "the server could not be reached"


def test_connection_refused_with_batches_and_threads_is_bounded() -> None:
    works = make_works(f"http://127.0.0.1:{closed_port()}", connect_timeout=1.0)
    answers = works.lookup([f"10.5555/refused-{n}" for n in range(100)])
    works.close()
    assert {a.state for a in answers.values()} == {"unchecked"}
    assert works.stats.stopped_early == "the server could not be reached"
    # Three batches and a handful of single lookups, never one request per DOI.
    assert works.stats.requests <= 3 * 2 + 4 * 2


def test_failing_server_opens_the_breaker(httpserver: HTTPServer) -> None:
    httpserver.expect_request(re.compile("/works/.*")).respond_with_data("down", status=503)
    works = make_works(httpserver.url_for(""), batch_size=3)
    works.single.limits = PoolLimits(100, 1.0, 1)  # one request at a time
    dois = [f"10.5555/{name}" for name in "abcde"]
    answers = works.lookup(dois)
    assert [answers[d].state for d in dois] == ["unchecked"] * 5
    assert len({request.path for request, _ in httpserver.log}) == 3
    assert len(httpserver.log) == 12  # 3 DOIs × (1 try + 3 retries), then the breaker is open
    stopped = [d for d in dois if answers[d].reason.startswith("stopped asking")]
    assert len(stopped) == 2
    assert "3 requests in a row failed" in answers[stopped[0]].reason
    assert works.stats.stopped_early == "3 requests in a row failed"


def test_offline_asks_nothing(httpserver: HTTPServer, tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c.sqlite3")
    cache.put_many([CachedAnswer(DOI, True, MESSAGE, time.time())])
    works = make_works(httpserver.url_for(""), offline=True, cache=cache)
    answers = works.lookup([DOI, "10.5555/not-cached"])
    works.close()
    cache.close()
    assert answers[DOI].state == "found"
    assert answers[DOI].from_cache
    assert answers["10.5555/not-cached"].state == "unchecked"
    assert "offline" in answers["10.5555/not-cached"].reason
    assert httpserver.log == []
    assert works.stats.requests == 0


# --- what the server receives ----------------------------------------------------------------

def test_polite_pool_identification(httpserver: HTTPServer, works: Works) -> None:
    httpserver.expect_request(f"/works/{DOI}", query_string={"mailto": MAILTO}).respond_with_json(
        ENVELOPE)
    assert works.lookup([DOI])[DOI].state == "found"
    ((request, _),) = httpserver.log
    assert request.args.getlist("mailto") == [MAILTO]
    assert request.headers["User-Agent"] == f"auditor/1.2.3 ({TOOL_URL}; mailto:{MAILTO})"
    assert request.headers["Accept"] == "application/json"
    assert works.limits == POLITE_SINGLE


def test_public_pool_without_mailto(httpserver: HTTPServer) -> None:
    httpserver.expect_request(f"/works/{DOI}").respond_with_json(ENVELOPE)
    works = make_works(httpserver.url_for(""), mailto=None)
    assert works.lookup([DOI])[DOI].state == "found"
    works.close()
    ((request, _),) = httpserver.log
    assert "mailto" not in request.args
    assert "mailto" not in request.headers["User-Agent"]
    assert request.headers["User-Agent"] == f"auditor/1.2.3 ({TOOL_URL})"
    assert works.limits == PUBLIC_SINGLE
    assert works.stats.public_pool


def test_doi_path_on_the_wire(httpserver: HTTPServer, works: Works) -> None:
    doi = "10.1002/(sici)1097-4636(199706)35:4<437::aid-jbm5>3.0.co;2-m"
    httpserver.expect_request(f"/works/{doi}").respond_with_json(
        {**ENVELOPE, "message": {**MESSAGE, "DOI": doi.upper()}})
    answer = works.lookup([doi.upper()])[doi]
    assert answer.state == "found"
    assert answer.work.doi == doi
    ((request, _),) = httpserver.log
    raw_path = request.environ["RAW_URI"].split("?", 1)[0]
    assert raw_path == "/works/10.1002/(sici)1097-4636(199706)35:4%3C437::aid-jbm5%3E3.0.co;2-m"


def test_rate_limit_headers_update_the_limits(httpserver: HTTPServer, works: Works) -> None:
    httpserver.expect_request(f"/works/{DOI}").respond_with_json(ENVELOPE, headers={
        "x-rate-limit-limit": "50", "x-rate-limit-interval": "1s", "x-concurrency-limit": "5",
        "x-api-pool": "polite-single"})
    works.lookup([DOI])
    assert works.limits == PoolLimits(50, 1.0, 5)


def test_limits_from_an_error_response_count_too(httpserver: HTTPServer, works: Works) -> None:
    httpserver.expect_request("/works/10.1371/notarealdoi").respond_with_data(
        **NOT_FOUND, headers={"X-Rate-Limit-Limit": "5", "X-Rate-Limit-Interval": "1s",
                              "X-Concurrency-Limit": "1"})
    works.lookup(["10.1371/notarealdoi"])
    assert works.limits == PoolLimits(5, 1.0, 1)


def test_dois_are_deduplicated_case_insensitively(httpserver: HTTPServer, works: Works) -> None:
    httpserver.expect_request(f"/works/{DOI}").respond_with_json(ENVELOPE)
    answers = works.lookup([DOI.upper(), DOI, "10.1371/Journal.Pone.0033693"])
    assert list(answers) == [DOI]
    assert answers[DOI].state == "found"
    assert len(httpserver.log) == 1


def test_every_doi_gets_an_answer_and_progress(httpserver: HTTPServer, works: Works) -> None:
    httpserver.expect_request(f"/works/{DOI}").respond_with_json(ENVELOPE)
    httpserver.expect_request("/works/10.1371/notarealdoi").respond_with_data(**NOT_FOUND)
    httpserver.expect_request("/works/10.1/bad").respond_with_data("no", status=400)
    seen: list[int] = []
    answers = works.lookup([DOI, "10.1371/notarealdoi", "10.1/bad"], progress=seen.append)
    assert {d: a.state for d, a in answers.items()} == {
        DOI: "found", "10.1371/notarealdoi": "not-found", "10.1/bad": "unchecked"}
    assert sum(seen) == 3


# --- conformance: the recorded Crossref answers, replayed byte for byte ------------------------

_SINGLE_WORK = re.compile(r"^https://api\.crossref\.org/(?:v1/)?works/(10\.[^?]+)$")
_OTHER_ROUTE = re.compile(r"/(?:agency|transform)(?:/|$)")
_HOP_BY_HOP = {"connection", "transfer-encoding", "content-length", "date", "server"}


def _recorded_single_work_answers() -> list[tuple[str, dict]]:
    """(DOI, recorded response) for every recorded `GET /works/{doi}`."""
    files = {line.split("\t")[0] for line in
             (CASSETTES / "INDEX.tsv").read_text(encoding="utf-8").splitlines()[1:]
             if _SINGLE_WORK.match(line.split("\t")[3])}
    found = []
    for name in sorted(files):
        cassette = read_cassette(CASSETTES / name)
        for interaction in cassette["interactions"]:
            match = _SINGLE_WORK.match(interaction["request"]["uri"])
            if match and not _OTHER_ROUTE.search(match.group(1)):
                found.append((unquote(match.group(1)), interaction["response"]))
    return found


def test_recorded_answers_replayed(httpserver: HTTPServer) -> None:
    if not (CASSETTES / "INDEX.tsv").is_file():
        pytest.skip(f"recorded Crossref responses not found at {CASSETTES}")
    recorded = _recorded_single_work_answers()
    assert len(recorded) >= 60  # 58 found and 2 not found when this test was written
    works = make_works(httpserver.url_for(""))
    states = {"found": 0, "not-found": 0}
    for doi, response in recorded:
        httpserver.clear()
        headers = {name: values[0] for name, values in response["headers"].items()
                   if name.lower() not in _HOP_BY_HOP}
        body = response["body"]["string"]
        httpserver.expect_request(f"/works/{doi}").respond_with_data(
            body, status=response["status"]["code"], headers=headers)
        httpserver.expect_request(f"/works/{doi}/agency").respond_with_data(**NOT_FOUND)
        answer = works.lookup([doi])[doi.lower()]
        expected = "found" if response["status"]["code"] == 200 else "not-found"
        assert (doi, answer.state) == (doi, expected)
        if expected == "found":
            assert answer.work.doi == doi.lower()
            assert answer.work.type != "unknown"
            assert answer.work.year is not None
        assert works.limits == PoolLimits(float(headers["x-rate-limit-limit"]),
                                          parse_interval(headers["x-rate-limit-interval"]),
                                          int(headers["x-concurrency-limit"]))
        states[answer.state] += 1
    works.close()
    assert states["found"] >= 58
    assert states["not-found"] >= 2
    assert works.stats.failures == 0


# --- broken answers and a broken cache -------------------------------------------------------

@pytest.fixture
def truncating_server() -> Iterator[tuple[str, list[int]]]:
    """A raw socket server that promises 1,000 bytes of JSON, sends 20 and hangs up."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    served: list[int] = []

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                conn.recv(65536)
                served.append(1)
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                             b"Content-Length: 1000\r\n\r\n{\"status\": \"ok\", \"me")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}", served
    listener.close()


def test_truncated_answer_is_retried_then_unchecked(truncating_server) -> None:
    url, served = truncating_server
    client = make_works(url, max_retries=2)
    answer = client.lookup([DOI])[DOI]
    assert answer.state == "unchecked"
    assert "truncated" in answer.reason
    assert len(served) == 3  # the first try and two retries: not given up as "unreachable"


class _ReadOnlyCache(Cache):
    def put_many(self, answers):  # type: ignore[override]
        raise sqlite3.OperationalError("attempt to write a readonly database")


def test_cache_that_cannot_be_written_is_dropped_with_a_warning(httpserver: HTTPServer,
                                                                tmp_path: Path) -> None:
    httpserver.expect_request(f"/works/{DOI}").respond_with_json(ENVELOPE)
    said: list[str] = []
    client = Works(make_pool(httpserver.url_for("")), _ReadOnlyCache(tmp_path / "c.sqlite3"),
                   sleep=lambda s: None, warn=said.append)
    answer = client.lookup([DOI])[DOI]
    assert answer.state == "found"
    assert len(said) == 1 and "cannot be written" in said[0]


def test_public_pool_is_announced_once_and_only_when_asking(httpserver: HTTPServer) -> None:
    httpserver.expect_request(re.compile("/works/.*")).respond_with_data(**NOT_FOUND)
    said: list[str] = []
    client = Works(make_pool(httpserver.url_for(""), mailto=None), sleep=lambda s: None,
                   warn=said.append)
    client.lookup(["10.1234/a", "10.1234/b"])
    assert len(said) == 1 and "public pool" in said[0]
    offline = Works(make_pool(httpserver.url_for(""), mailto=None), offline=True,
                    warn=said.append)
    offline.lookup(["10.1234/c"])
    assert len(said) == 1
