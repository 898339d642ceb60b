"""Fault drills against the Crossref stand-in (tests/stand_in.py): 500/503, resets, truncated
JSON, stalls and 429 bursts. Every DOI must end found or unchecked with a reason — never
not-found by fault — the cache must hold only whole records, and a killed run must resume."""

from __future__ import annotations

import json
import math
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from stand_in import SYNTHETIC_PREFIX, Behaviour, serve

from auditor.crossref.cache import Cache
from auditor.crossref.client import PolitePool, Works
from auditor.crossref.retry import RetryPolicy

MAILTO = "faults@example.org"


@pytest.fixture
def stand_in(request) -> Iterator[tuple[str, object]]:
    behaviour = request.param if hasattr(request, "param") else Behaviour(latency=0.01)
    server, counters = serve(records={}, behaviour=behaviour)
    yield f"http://127.0.0.1:{server.server_port}", counters
    server.shutdown()


def make_works(url: str, cache: Cache | None = None, read_timeout: float = 5.0,
               batch_size: int = 40) -> Works:
    pool = PolitePool(base_url=url, mailto=MAILTO, tool_version="test", read_timeout=read_timeout)
    return Works(pool, cache, retry=RetryPolicy(max_retries=4, backoff_base=0.02,
                                                backoff_max=0.2), batch_size=batch_size)


def dois(n: int, start: int = 0) -> list[str]:
    return [f"{SYNTHETIC_PREFIX}{i}" for i in range(start, start + n)]


FAULTY = [
    pytest.param(Behaviour(latency=0.01, speed_up=10, fault_rate=0.25, faults=("500", "503")),
                 id="server-errors"),
    pytest.param(Behaviour(latency=0.01, speed_up=10, fault_rate=0.25, faults=("reset",)),
                 id="connection-resets"),
    pytest.param(Behaviour(latency=0.01, speed_up=10, fault_rate=0.25, faults=("truncated",)),
                 id="truncated-json"),
    pytest.param(Behaviour(latency=0.01, speed_up=10, fault_rate=0.3, faults=("429-burst",),
                           retry_after="0"), id="429-with-retry-after"),
    pytest.param(Behaviour(latency=0.01, speed_up=10, fault_rate=0.3, faults=("429-burst",)),
                 id="429-without-retry-after"),
    pytest.param(Behaviour(latency=0.01, speed_up=10, fault_rate=0.1, faults=("stall",),
                           stall_seconds=1.5), id="stalled-answers"),
    pytest.param(Behaviour(latency=0.01, speed_up=10, fault_rate=0.1),
                 id="every-fault-at-10-percent"),
]


@pytest.mark.parametrize("stand_in", FAULTY, indirect=True)
def test_faults_never_make_not_found(stand_in, tmp_path):
    url, counters = stand_in
    cache = Cache(tmp_path / "c.sqlite3", server=url)
    works = make_works(url, cache, read_timeout=0.5, batch_size=8)  # 25 batches: faults do hit
    wanted = dois(200)
    answers = works.lookup(wanted)
    works.close()
    cache.close()
    assert set(answers) == set(wanted)  # every reference accounted for
    states = {a.state for a in answers.values()}
    assert "not-found" not in states  # every one of them exists
    for answer in answers.values():
        assert answer.state == "found" or answer.reason
        assert "could not connect" not in (answer.reason or "")  # it was reached every time
    assert sum(a.state == "found" for a in answers.values()) >= 150
    assert sum(counters.snapshot()["faults"].values()) > 0  # the drill really injected faults
    with sqlite3.connect(tmp_path / "c.sqlite3") as db:
        rows = db.execute("SELECT doi, found, record FROM works").fetchall()
    assert {doi for doi, _, _ in rows} == {d for d, a in answers.items() if a.state == "found"}
    for doi, found, record in rows:  # whole records only, never a partial one
        assert found == 1 and json.loads(record)["DOI"] == doi


@pytest.mark.parametrize("stand_in", [pytest.param(Behaviour(latency=0.01), id="clean")],
                         indirect=True)
def test_batches_within_the_limits(stand_in):
    url, counters = stand_in
    works = make_works(url)
    answers = works.lookup(dois(400))
    works.close()
    seen = counters.snapshot()
    assert {a.state for a in answers.values()} == {"found"}
    assert seen["requests"] == {"list": 10}  # 400 DOIs in batches of 40, nothing alone
    assert seen["429"] == {}  # the limiter kept within 3/s and 3 at a time
    assert seen["peak_concurrency"]["list"] <= 3


@pytest.mark.parametrize("stand_in", [pytest.param(Behaviour(latency=0.01), id="clean")],
                         indirect=True)
def test_absent_from_a_batch_is_confirmed_alone(stand_in):
    url, counters = stand_in
    works = make_works(url)
    unknown = [f"10.5555/unknown.{i}" for i in range(3)]
    answers = works.lookup(dois(37) + unknown)
    works.close()
    assert [answers[d].state for d in unknown] == ["not-found"] * 3
    # each confirmed alone, then its registration agency asked: none
    assert counters.snapshot()["requests"] == {"list": 1, "single": 6}


def _run_cli(url: str, bib: Path, cache_dir: Path) -> subprocess.Popen:
    env = {**os.environ, "AUDITOR_CROSSREF_URL": url, "AUDITOR_CACHE_DIR": str(cache_dir),
           "AUDITOR_MAILTO": MAILTO}
    return subprocess.Popen([sys.executable, "-m", "auditor", "check", str(bib), "--format",
                             "json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=env, text=True)


@pytest.mark.parametrize("stand_in", [pytest.param(Behaviour(latency=0.3), id="slow")],
                         indirect=True)
def test_kill_9_midway_then_rerun_fetches_only_what_is_missing(stand_in, tmp_path):
    url, counters = stand_in
    wanted = dois(480)  # 12 batches: about 4 s at 3 list requests per second
    bib = tmp_path / "list.bib"
    bib.write_text("".join(  # cited as the stand-in's synthetic records describe them
        f"@article{{b{i}, title = {{Synthetic study number {i} of human lactation}}, "
        f"year = {2000 + i % 26}, doi = {{{d}}}}}\n" for i, d in enumerate(wanted)), "utf-8")
    cache_dir = tmp_path / "cache"
    first = _run_cli(url, bib, cache_dir)
    database = cache_dir / "crossref.sqlite3"
    deadline = time.monotonic() + 60
    cached = 0
    while time.monotonic() < deadline and cached < 80:  # let a few batches land
        time.sleep(0.05)
        if database.exists():
            try:
                with sqlite3.connect(database, timeout=1) as db:
                    cached = db.execute("SELECT COUNT(*) FROM works").fetchone()[0]
            except sqlite3.Error:
                cached = 0
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    assert first.returncode == -signal.SIGKILL
    with sqlite3.connect(database) as db:
        kept = db.execute("SELECT COUNT(*) FROM works").fetchone()[0]
    assert 0 < kept < len(wanted)
    assert kept % 40 == 0  # whole batches only: one transaction each

    time.sleep(1.5)  # the killed run's last requests leave the stand-in's one-second window
    counters.reset()
    second = _run_cli(url, bib, cache_dir)
    out, err = second.communicate(timeout=120)
    assert second.returncode == 0, err
    report = json.loads(out)
    assert report["summary"]["resolved"] == len(wanted)
    assert report["run"]["cache_hits"] == kept
    assert report["run"]["list_requests"] == math.ceil((len(wanted) - kept) / 40)
    assert report["run"]["rate_limited"] == 0
    assert counters.snapshot()["requests"] == {"list": math.ceil((len(wanted) - kept) / 40)}


@pytest.mark.parametrize("stand_in", [pytest.param(
    Behaviour(latency=0.0, fault_rate=1.0, faults=("stall",), stall_seconds=1), id="hanging")],
    indirect=True)
def test_a_hanging_server_cannot_hold_the_run(stand_in):
    url, _ = stand_in
    works = make_works(url, read_timeout=0.3)
    answers = works.lookup(dois(400))
    works.close()
    assert {a.state for a in answers.values()} == {"unchecked"}
    assert works.stats.stopped_early == "the server stopped answering (timeouts)"
    # Ten batches were due; the breaker stopped it after the first few timed out, twice each.
    assert works.stats.requests <= 20


def test_one_failing_batch_does_not_turn_batches_off(httpserver):
    """A batch that keeps failing is asked DOI by DOI; the other batches stay batches."""
    import re as _re

    from werkzeug import Response

    poisoned = "10.5555/bench.7"
    records = {f"10.5555/bench.{i}": i for i in range(120)}

    def handle(request):
        if request.path.rstrip("/") == "/works":
            wanted = [v.split(":", 1)[1] for v in request.args.get("filter", "").split(",")]
            if poisoned in wanted:
                return Response("down", status=500)
            items = [{"DOI": d, "type": "journal-article", "title": [f"T {d}"],
                      "issued": {"date-parts": [[2020]]}} for d in wanted if d in records]
            return Response(json.dumps({"status": "ok", "message-type": "work-list",
                                        "message": {"items": items}}),
                            content_type="application/json")
        doi = request.path[len("/works/"):]
        if doi == poisoned:
            return Response("down", status=500)
        return Response(json.dumps({"status": "ok", "message-type": "work", "message": {
            "DOI": doi, "type": "journal-article", "issued": {"date-parts": [[2020]]}}}),
            content_type="application/json")

    httpserver.expect_request(_re.compile("/works.*")).respond_with_handler(handle)
    works = make_works(httpserver.url_for("").rstrip("/"))
    works.listing.limits = works.listing.limits.updated({"x-rate-limit-limit": "100"})
    works.single.limits = works.single.limits.updated({"x-rate-limit-limit": "100"})
    answers = works.lookup(sorted(records))
    works.close()
    assert answers[poisoned].state == "unchecked"
    assert sum(a.state == "found" for a in answers.values()) == 119
    # 3 batches (one retried 5 times), and only the poisoned batch's 40 DOIs asked alone.
    assert works.stats.list_requests == 3 + 4
    assert works.stats.single_requests <= 40 + 4



def test_an_answer_dripping_byte_by_byte_cannot_hold_the_run():
    """Headers, then one byte every 0.1 s for ever: each read is quick, the answer never ends.
    The whole answer is bounded (twice the read timeout), then retried once as a stall."""
    import socket
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    listener.settimeout(0.5)
    stop = threading.Event()

    def drip():
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            with conn:
                conn.recv(65536)
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                             b"Content-Length: 100000\r\n\r\n")
                while not stop.is_set():
                    try:
                        conn.sendall(b" ")
                    except OSError:
                        break
                    time.sleep(0.1)

    threading.Thread(target=drip, daemon=True).start()
    works = make_works(f"http://127.0.0.1:{listener.getsockname()[1]}", read_timeout=0.5)
    answer = works.lookup([f"{SYNTHETIC_PREFIX}1"])[f"{SYNTHETIC_PREFIX}1"]
    works.close()
    stop.set()
    listener.close()
    assert answer.state == "unchecked"
    assert "too slowly" in answer.reason
    assert works.stats.requests == 2  # a stall: retried once, then given up
