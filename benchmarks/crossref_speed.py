"""How fast can a polite client resolve N DOIs? habanero's loop vs auditor cold vs auditor warm.

One run, one local Crossref stand-in (tests/stand_in.py: Crossref's polite limits enforced with
429s, a fixed latency, requests counted), N distinct DOIs of the stand-in's synthetic prefix:

  (a) habanero: `Crossref(base_url=…, mailto=…).works(ids=dois)` — one request per DOI, in turn;
  (b) auditor cold: `auditor check bench.bib --format json` with an empty cache (a subprocess:
      the whole CLI, start-up included);
  (c) auditor warm: the same command again, everything in the cache.

The floor is what Crossref's limits allow at best: ceil(N/40) list requests at 3 per second.

    uv run python benchmarks/crossref_speed.py             # 1,000 DOIs, 150 ms latency
    uv run python benchmarks/crossref_speed.py --dois 200 --skip-habanero
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from stand_in import SYNTHETIC_PREFIX, Behaviour, serve  # noqa: E402

MAILTO = "bench@example.org"


def write_bib(path: Path, dois: list[str]) -> None:
    entries = [
        f"@article{{bench{i},\n  title = {{Synthetic study number {i} of human lactation}},\n"
        f"  author = {{Author{i % 97}, Ann}},\n  journal = {{Journal of Benchmarks}},\n"
        f"  year = {{{2000 + i % 26}}},\n  doi = {{{doi}}},\n}}\n"
        for i, doi in enumerate(dois)]
    path.write_text("\n".join(entries), encoding="utf-8")


def run_habanero(url: str, dois: list[str]) -> tuple[float, int]:
    from habanero import Crossref

    client = Crossref(base_url=url, mailto=MAILTO, timeout=30)
    start = time.perf_counter()
    results = client.works(ids=dois, warn=True)
    elapsed = time.perf_counter() - start
    if not isinstance(results, list):
        results = [results]
    return elapsed, sum(r is None for r in results)


def run_cli(url: str, bib: Path, cache: Path) -> tuple[float, dict]:
    env = {**os.environ, "AUDITOR_CROSSREF_URL": url, "AUDITOR_CACHE_DIR": str(cache),
           "AUDITOR_MAILTO": MAILTO}
    start = time.perf_counter()
    # --no-journals: the stand-in plays Crossref only, and this measures Crossref's side
    done = subprocess.run([sys.executable, "-m", "auditor", "check", str(bib), "--format",
                           "json", "--as-of", "2026-11-27", "--no-journals"],
                          capture_output=True, text=True,
                          env=env, timeout=600, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1, 4):
        raise SystemExit(f"auditor failed ({done.returncode}): {done.stderr.strip()}")
    report = json.loads(done.stdout)
    return elapsed, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dois", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.15)
    parser.add_argument("--skip-habanero", action="store_true")
    args = parser.parse_args()

    dois = [f"{SYNTHETIC_PREFIX}{i}" for i in range(args.dois)]
    server, counters = serve(records={}, behaviour=Behaviour(latency=args.latency))
    url = f"http://127.0.0.1:{server.server_port}"
    floor = math.ceil(len(dois) / 40) / 3
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        bib = Path(tmp) / "bench.bib"
        write_bib(bib, dois)
        if not args.skip_habanero:
            counters.reset()
            wall, missing = run_habanero(url, dois)
            rows.append(("habanero works(ids=…) loop", wall, counters.snapshot(),
                         f"{missing} answers lost"))
        for label in ("auditor cold", "auditor warm"):
            counters.reset()
            wall, report = run_cli(url, bib, Path(tmp) / "cache")
            summary = report["summary"]
            note = (f"resolved {summary['resolved']}, unchecked {summary['unchecked']}, "
                    f"not found {summary['not_found']}; run {report['run']}")
            rows.append((label, wall, counters.snapshot(), note))
    server.shutdown()

    print(f"{len(dois)} DOIs, stand-in latency {args.latency * 1000:.0f} ms, polite pool "
          f"limits (single 10/s·3, list 3/s·3)")
    print(f"floor: ceil({len(dois)}/40) = {math.ceil(len(dois) / 40)} list requests at 3/s = "
          f"{floor:.2f} s\n")
    print(f"{'client':<28} {'wall s':>8} {'requests':>9} {'429s':>5} {'peak':>5} "
          f"{'x floor':>8}")
    for label, wall, seen, note in rows:
        requests = sum(seen["requests"].values())
        too_many = sum(seen["429"].values())
        peak = max(seen["peak_concurrency"].values(), default=0)
        print(f"{label:<28} {wall:>8.2f} {requests:>9} {too_many:>5} {peak:>5} "
              f"{wall / floor:>8.2f}   {note}")
    walls = {label: wall for label, wall, _, _ in rows}
    if "habanero works(ids=…) loop" in walls:
        print(f"\nhabanero / auditor cold: "
              f"{walls['habanero works(ids=…) loop'] / walls['auditor cold']:.1f} x")


if __name__ == "__main__":
    main()
