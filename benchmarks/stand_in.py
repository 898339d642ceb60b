"""A local Crossref stand-in for measurements and manual checks (not used by the tests).

Serves `/works/{doi}` from work records it is given (by default every work record found in the
recorded cassettes of ../shared/crossref-cassettes, read at start, never copied), answers 404
"Resource not found." for the rest, adds a fixed latency and enforces a rate limit with 429s,
counting requests, 429s and peak concurrency.

    uv run python benchmarks/stand_in.py --port 8765 --latency 0.15 --limit 10
    AUDITOR_CROSSREF_URL=http://127.0.0.1:8765 uv run auditor check some.bib
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit


def cassette_records() -> dict[str, dict]:
    """Every typed work record in the recorded cassettes, by lower-cased DOI."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from recorded import typed_works_by_doi

    return typed_works_by_doi()


class Counters:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests = 0
        self.too_many = 0
        self.active = 0
        self.peak = 0
        self.starts: deque[float] = deque()


def make_handler(records: dict[str, dict], latency: float, limit: int, interval: float,
                 concurrency: int, counters: Counters):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            return None

        def _send(self, status: int, body: bytes, content_type: str,
                  extra: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("x-rate-limit-limit", str(limit))
            self.send_header("x-rate-limit-interval", f"{interval:g}s")
            self.send_header("x-concurrency-limit", str(concurrency))
            for k, v in (extra or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            now = time.monotonic()
            with counters.lock:
                counters.requests += 1
                while counters.starts and now - counters.starts[0] > interval:
                    counters.starts.popleft()
                over = len(counters.starts) >= limit or counters.active >= concurrency
                if over:
                    counters.too_many += 1
                else:
                    counters.starts.append(now)
                    counters.active += 1
                    counters.peak = max(counters.peak, counters.active)
            if over:
                self._send(429, b"<html>Too Many Requests</html>", "text/html")
                return
            try:
                time.sleep(latency)
                path = unquote(urlsplit(self.path).path)
                if not path.startswith("/works/"):
                    self._send(404, b"Resource not found.", "text/plain")
                    return
                doi = path[len("/works/"):].lower()
                record = records.get(doi)
                if record is None:
                    self._send(404, b"Resource not found.", "text/plain")
                    return
                body = json.dumps({"status": "ok", "message-type": "work",
                                   "message-version": "1.0.0", "message": record}).encode()
                self._send(200, body, "application/json")
            finally:
                with counters.lock:
                    counters.active -= 1

    return Handler


def serve(port: int = 0, records: dict[str, dict] | None = None, latency: float = 0.15,
          limit: int = 10, interval: float = 1.0, concurrency: int = 3
          ) -> tuple[ThreadingHTTPServer, Counters]:
    """Start the stand-in in a background thread; returns the server and its counters."""
    counters = Counters()
    handler = make_handler(records if records is not None else cassette_records(), latency,
                           limit, interval, concurrency, counters)
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, counters


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--latency", type=float, default=0.15)
    parser.add_argument("--limit", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=3)
    args = parser.parse_args()
    server, counters = serve(args.port, latency=args.latency, limit=args.limit,
                             concurrency=args.concurrency)
    print(f"Crossref stand-in on http://127.0.0.1:{server.server_port} (Ctrl-C to stop)")
    try:
        while True:
            time.sleep(5)
            print(f"requests {counters.requests}, 429s {counters.too_many}, "
                  f"peak concurrency {counters.peak}")
    except KeyboardInterrupt:
        server.shutdown()


if __name__ == "__main__":
    main()
