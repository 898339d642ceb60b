"""A local Crossref stand-in for the fault tests, the benchmarks and manual checks.

It behaves like api.crossref.org as crossref.md describes it:
- `GET /works/{doi}` (single route) and `GET /works?filter=doi:A,doi:B&rows=N` (list route);
  list answers hold only the DOIs it knows, lower-cased; unknown DOIs are silently absent;
- 404 `Resource not found.` (text/plain) for an unknown single DOI;
- the pools' limits, per route family: public (no mailto) single 5/s·1, list 1/s·1; polite
  (mailto in the query or the User-Agent) single 10/s·3, list 3/s·3 — over the limit a 429
  (HTML body), with the `x-rate-limit-*` and `x-concurrency-limit` headers on every answer;
- a fixed latency per request, and optional faults injected at a given rate (500/503, reset
  connections, truncated JSON, stalled answers, 429 bursts).

Records come from the recorded cassettes in ../shared (read in place, never copied) and, for
benchmarks, from a synthetic prefix: every DOI `10.5555/bench.N` exists.

    uv run python tests/stand_in.py --port 8765 --latency 0.15
    AUDITOR_CROSSREF_URL=http://127.0.0.1:8765 uv run auditor check some.bib
"""

from __future__ import annotations

import argparse
import json
import re
import socket
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

SYNTHETIC_PREFIX = "10.5555/bench."
LIMITS = {  # (pool, route) → (requests per interval, interval seconds, concurrency)
    ("public", "single"): (5, 1.0, 1),
    ("public", "list"): (1, 1.0, 1),
    ("polite", "single"): (10, 1.0, 3),
    ("polite", "list"): (3, 1.0, 3),
}
FAULTS = ("500", "503", "reset", "truncated", "stall", "429-burst")


def cassette_records() -> dict[str, dict]:
    """Every typed work record in the recorded cassettes, by lower-cased DOI (none when the
    shared folder is absent)."""
    from recorded import CASSETTES, typed_works_by_doi

    return typed_works_by_doi() if CASSETTES.is_dir() else {}


def synthetic_record(doi: str) -> dict:
    """A plausible journal-article record for `10.5555/bench.N`."""
    n = int(doi.rsplit(".", 1)[1]) if doi.rsplit(".", 1)[1].isdigit() else 0
    return {
        "DOI": doi, "type": "journal-article", "publisher": "Benchmark Press",
        "title": [f"Synthetic study number {n} of human lactation"],
        "container-title": ["Journal of Benchmarks"], "ISSN": ["0000-0000"],
        "author": [{"given": "Ann", "family": f"Author{n % 97}", "sequence": "first"}],
        "issued": {"date-parts": [[2000 + n % 26, 1 + n % 12]]},
        "volume": str(1 + n % 40), "page": f"{n}-{n + 9}",
    }


def search_records(records: list[dict], query: str, rows: int) -> list[dict]:
    """A crude stand-in for Crossref's relevance search: records sharing the most words with
    the query (title, authors, container), best first, with a `score`. Like Crossref, it always
    returns candidates, relevant or not — the auditor must validate them."""
    words = set(re.findall(r"\w+", query.lower()))
    scored = []
    for record in records:
        text = " ".join([*record.get("title", []), *record.get("container-title", []),
                         *(a.get("family", "") for a in record.get("author", []))])
        shared = len(words & set(re.findall(r"\w+", text.lower())))
        scored.append((shared, record["DOI"], record))
    scored.sort(key=lambda t: (-t[0], t[1]))
    return [{**record, "score": float(shared)} for shared, _, record in scored[:rows]]


@dataclass
class Counters:
    """What the stand-in saw; read by benchmarks after a run."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: Counter = field(default_factory=Counter)  # by route
    too_many: Counter = field(default_factory=Counter)  # 429s by route (limits, not faults)
    faults: Counter = field(default_factory=Counter)
    active: Counter = field(default_factory=Counter)
    peak: Counter = field(default_factory=Counter)
    starts: dict = field(default_factory=dict)  # (pool, route) → deque of start times

    def reset(self) -> None:
        with self.lock:
            for c in (self.requests, self.too_many, self.faults, self.active, self.peak):
                c.clear()
            self.starts.clear()

    def snapshot(self) -> dict:
        with self.lock:
            return {"requests": dict(self.requests), "429": dict(self.too_many),
                    "faults": dict(self.faults), "peak_concurrency": dict(self.peak)}


@dataclass
class Behaviour:
    latency: float = 0.15
    fault_rate: float = 0.0
    faults: tuple[str, ...] = FAULTS
    retry_after: str | None = None  # value of Retry-After on 429s, None for none
    stall_seconds: float = 30.0
    speed_up: float = 1.0  # multiply the published rates (fast tests); 1 = Crossref's limits


def make_handler(records: dict[str, dict], behaviour: Behaviour, counters: Counters,
                 search=None):
    search = search or (lambda query, rows: search_records(list(records.values()), query, rows))
    served = [0]  # requests past the limiter, for the fault schedule
    schedule_lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            return None

        def _send(self, status: int, body: bytes, content_type: str, limits: tuple,
                  extra: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("x-rate-limit-limit", f"{limits[0]:g}")
            self.send_header("x-rate-limit-interval", f"{limits[1]:g}s")
            self.send_header("x-concurrency-limit", str(limits[2]))
            for k, v in (extra or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def _pool(self, query: dict[str, list[str]]) -> str:
            agent = self.headers.get("User-Agent", "")
            return "polite" if query.get("mailto") or "mailto:" in agent else "public"

        def do_GET(self) -> None:  # http.server's name
            parts = urlsplit(self.path)
            path, query = unquote(parts.path), parse_qs(parts.query)
            route = "list" if path.rstrip("/") == "/works" else "single"
            pool = self._pool(query)
            rate, interval, concurrency = LIMITS[(pool, route)]
            limits = (rate * behaviour.speed_up, interval, concurrency)
            now = time.monotonic()
            with counters.lock:
                counters.requests[route] += 1
                starts = counters.starts.setdefault((pool, route), deque())
                while starts and now - starts[0] >= limits[1]:
                    starts.popleft()
                over = len(starts) >= limits[0] or counters.active[route] >= limits[2]
                if over:
                    counters.too_many[route] += 1
                else:
                    starts.append(now)
                    counters.active[route] += 1
                    counters.peak[route] = max(counters.peak[route], counters.active[route])
            if over:
                extra = {"Retry-After": behaviour.retry_after} if behaviour.retry_after else {}
                self._send(429, b"<html><body>Too Many Requests</body></html>", "text/html",
                           limits, extra)
                return
            try:
                self._answer(route, path, query, limits)
            finally:
                with counters.lock:
                    counters.active[route] -= 1

        def _fault(self) -> str | None:
            """Exactly `fault_rate` of the requests fail (the n-th fails when n × rate crosses
            a whole number), the kinds taking turns: repeatable, whatever the thread order."""
            if not behaviour.fault_rate:
                return None
            with schedule_lock:
                n = served[0]
                served[0] += 1
            if int((n + 1) * behaviour.fault_rate) > int(n * behaviour.fault_rate):
                return behaviour.faults[int(n * behaviour.fault_rate) % len(behaviour.faults)]
            return None

        def _answer(self, route: str, path: str, query: dict, limits: tuple) -> None:
            time.sleep(behaviour.latency)
            fault = self._fault()
            if fault:
                with counters.lock:
                    counters.faults[fault] += 1
                if fault in ("500", "503"):
                    self._send(int(fault), b"<html>Server error</html>", "text/html", limits)
                    return
                if fault == "429-burst":
                    extra = {"Retry-After": behaviour.retry_after} if behaviour.retry_after \
                        else {}
                    self._send(429, b"<html>Too Many Requests</html>", "text/html", limits, extra)
                    return
                if fault == "reset":
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                               b"\x01\x00\x00\x00\x00\x00\x00\x00")
                    self.connection.close()
                    self.close_connection = True
                    return
                if fault == "stall":
                    time.sleep(behaviour.stall_seconds)
            body = self._list_body(query) if route == "list" else self._single_body(path)
            if body is None:
                self._send(404, b"Resource not found.", "text/plain", limits)
                return
            if fault == "truncated":
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2])
                self.close_connection = True
                return
            self._send(200, body, "application/json", limits)

        def _lookup(self, doi: str) -> dict | None:
            doi = doi.lower()
            if doi.startswith(SYNTHETIC_PREFIX):
                return synthetic_record(doi)
            return records.get(doi)

        def _single_body(self, path: str) -> bytes | None:
            if not path.startswith("/works/"):
                return None
            record = self._lookup(path[len("/works/"):])
            if record is None:
                return None
            return json.dumps({"status": "ok", "message-type": "work",
                               "message-version": "1.0.0", "message": record}).encode()

        def _list_body(self, query: dict) -> bytes:
            rows = int((query.get("rows") or ["20"])[0])
            if query.get("query.bibliographic"):
                items = search(query["query.bibliographic"][0], rows)
                return json.dumps({"status": "ok", "message-type": "work-list",
                                   "message": {"items": items, "total-results": len(items),
                                               "items-per-page": rows}}).encode()
            dois = []
            for value in query.get("filter", []):
                for item in value.split(","):
                    name, _, doi = item.partition(":")
                    if name.strip() == "doi" and doi.strip():
                        dois.append(doi.strip())
            items = []
            for doi in dict.fromkeys(d.lower() for d in dois):
                record = self._lookup(doi)
                if record is not None:
                    items.append({**record, "DOI": record["DOI"].lower()})
            items = items[:rows]
            return json.dumps({"status": "ok", "message-type": "work-list",
                               "message-version": "1.0.0",
                               "message": {"items": items, "total-results": len(items),
                                           "items-per-page": rows, "query": {}}}).encode()

    return Handler


class _QuietServer(ThreadingHTTPServer):
    """Clients that gave up (timeouts, kill -9) leave broken pipes behind: not worth a trace."""

    def handle_error(self, request: object, client_address: object) -> None:
        import sys

        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


def serve(port: int = 0, records: dict[str, dict] | None = None,
          behaviour: Behaviour | None = None, search=None
          ) -> tuple[ThreadingHTTPServer, Counters]:
    """Start the stand-in in a background thread; returns the server and its counters.
    `search(query, rows)` → work records replaces the word-overlap search (benchmarks give
    a ranked one over many records)."""
    counters = Counters()
    handler = make_handler(records if records is not None else cassette_records(),
                           behaviour or Behaviour(), counters, search)
    server = _QuietServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, counters


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--latency", type=float, default=0.15)
    parser.add_argument("--fault-rate", type=float, default=0.0)
    parser.add_argument("--retry-after", default=None)
    parser.add_argument("--seconds", type=float, default=3600,
                        help="stop by itself after this long")
    args = parser.parse_args()
    server, counters = serve(args.port, behaviour=Behaviour(
        latency=args.latency, fault_rate=args.fault_rate, retry_after=args.retry_after))
    print(f"Crossref stand-in on http://127.0.0.1:{server.server_port}", flush=True)
    deadline = time.monotonic() + args.seconds
    try:
        while time.monotonic() < deadline:
            time.sleep(5)
            print(counters.snapshot(), flush=True)
    except KeyboardInterrupt:
        pass
    server.shutdown()


if __name__ == "__main__":
    main()
