"""How fast does `--pubmed` get publication types for N DOIs within NCBI's limits?

A local E-utilities stand-in (tests/pubmed_stand_in.py) with a fixed latency that answers 429
"API rate limit exceeded" beyond 3 requests in any second (10 with an API key), as NCBI does.
N DOIs, 70 % of them indexed. The floor is what the limit allows: the requests made at 3 (or 10)
per second.

    uv run python benchmarks/pubmed_speed.py               # 1,000 DOIs, 150 ms latency
    uv run python benchmarks/pubmed_speed.py --dois 300 --latency 0.05
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from collections import deque
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import logging  # noqa: E402

from pubmed_stand_in import Article, PubMedStandIn  # noqa: E402
from pytest_httpserver import HTTPServer  # noqa: E402
from werkzeug import Response  # noqa: E402

from auditor.crossref.pubmed import PubMed  # noqa: E402
from auditor.crossref.transport import Transport  # noqa: E402


class LimitedStandIn(PubMedStandIn):
    """The stand-in with NCBI's rate enforced (sliding one-second window) and a latency."""

    limit: int = 3
    latency: float = 0.15
    rejected: int = 0

    def handle(self, request):  # type: ignore[no-untyped-def]
        now = time.monotonic()
        with LOCK:
            while STARTS and now - STARTS[0] >= 1.0:
                STARTS.popleft()
            over = len(STARTS) >= self.limit
            if not over:
                STARTS.append(now)
        time.sleep(self.latency)
        if over:
            self.rejected += 1
            return Response('{"error":"API rate limit exceeded"}', status=429)
        return super().handle(request)


LOCK = threading.Lock()
STARTS: deque[float] = deque()


def run(dois: int, latency: float, api_key: str | None) -> dict[str, float]:
    server = HTTPServer(port=0, threaded=True)
    server.start()
    try:
        stand_in = LimitedStandIn(server)
        stand_in.limit = 10 if api_key else 3
        stand_in.latency = latency
        wanted = [f"10.5555/bench.{i}" for i in range(dois)]
        stand_in.add(*(Article(str(30000000 + i), doi, ("Journal Article",
                                                        "Randomized Controlled Trial"))
                       for i, doi in enumerate(wanted) if i % 10 < 7))
        STARTS.clear()
        client = PubMed(stand_in.url, Transport("auditor-bench", 5, 20), api_key=api_key)
        start = time.perf_counter()
        answers = client.lookup(wanted)
        elapsed = time.perf_counter() - start
        found = sum(a.state == "found" for a in answers.values())
        absent = sum(a.state == "absent" for a in answers.values())
        unchecked = sum(a.state == "unchecked" for a in answers.values())
        floor = max(0.0, (client.requests - 1) / stand_in.limit) + latency
        return {"seconds": elapsed, "requests": client.requests, "rejected": stand_in.rejected,
                "found": found, "absent": absent, "unchecked": unchecked, "floor": floor}
    finally:
        server.stop()


def main() -> None:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dois", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.15)
    args = parser.parse_args()
    for label, key in (("without a key (3/s)", None), ("with NCBI_API_KEY (10/s)", "k")):
        r = run(args.dois, args.latency, key)
        print(f"{args.dois} DOIs {label}: {r['seconds']:.2f} s, {r['requests']:.0f} requests, "
              f"{r['rejected']:.0f} × 429; found {r['found']:.0f}, absent {r['absent']:.0f}, "
              f"unchecked {r['unchecked']:.0f}; floor {r['floor']:.2f} s "
              f"({r['seconds'] / r['floor']:.2f} × floor)")


if __name__ == "__main__":
    main()
