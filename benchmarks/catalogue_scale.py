"""Does the catalogue hold 500 trainings and 50,000 references? Time, memory, requests.

A generated catalogue (deterministic seed): N .bib files of M references each, in nested
folders, the DOIs drawn from a pool of synthetic DOIs with a skewed popularity (a few works are
cited by many trainings, most by one or two, as in real course catalogues), about 2 % of the
references without a DOI (books and reports drawn from their own smaller pool: they are searched
for by title). Served by the local Crossref stand-in (tests/stand_in.py: every DOI
`10.5555/bench.N` exists, Crossref's polite limits enforced with 429s, a fixed latency).

The whole CLI runs in a subprocess, twice on the same cache:

    uv run auditor check DIR --format csv -o out.csv --mailto … --crossref-url … --cache-dir …

  cold: empty cache; warm: the same command again (every DOI answer and search in the cache).

Measured: wall time, the child's peak RSS (getrusage(RUSAGE_CHILDREN) in a fresh wrapper
process per run, so each run is measured alone), the stand-in's request and 429 counters,
distinct DOIs against references; the CSV is checked (one row per training, every reference
counted, nothing unchecked).

Crossref's list route allows 3 requests/s in the polite pool: ceil(distinct DOIs / 40) batches
is the floor. `--speed-up K` multiplies the stand-in's published limits by K (the client reads
them from the x-rate-limit headers) so that the cold run takes a minute or two instead of
several; the summary says which was used and gives the floor at the real rate too.

    uv run python benchmarks/catalogue_scale.py                      # 500 × 100, speed-up 10
    uv run python benchmarks/catalogue_scale.py --speed-up 1         # Crossref's real rate
    uv run python benchmarks/catalogue_scale.py --trainings 50 --phases   # + progress bars
"""

from __future__ import annotations

import argparse
import bisect
import csv
import itertools
import json
import math
import os
import pty
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from stand_in import SYNTHETIC_PREFIX, Behaviour, serve  # noqa: E402

MAILTO = "bench@example.org"
AS_OF = "2026-11-27"
# Runs a command, then prints its wall time and the peak RSS of its process tree (KiB on
# Linux) as the last line of stderr: a fresh process per run, so runs never share a maximum.
WRAPPER = """import json, resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run(sys.argv[1:]).returncode
wall = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"code": code, "wall": wall, "peak_kib": peak}), file=sys.stderr)
"""


def popularity(size: int, skew: float) -> list[float]:
    """Cumulative weights of a Zipf-like law over `size` items: item k weighs 1/(k+1)^skew."""
    return list(itertools.accumulate(1 / (k + 1) ** skew for k in range(size)))


def draw(rng: random.Random, cumulative: list[float], k: int) -> list[int]:
    """`k` distinct items (a list cites a work once), by popularity."""
    chosen: dict[int, None] = {}
    total = cumulative[-1]
    while len(chosen) < k:
        chosen.setdefault(bisect.bisect_left(cumulative, rng.random() * total), None)
    return list(chosen)


def doi_entry(key: str, n: int) -> str:
    """An entry agreeing with the stand-in's synthetic record for 10.5555/bench.n."""
    return (f"@article{{{key},\n  title = {{Synthetic study number {n} of human lactation}},\n"
            f"  author = {{Author{n % 97}, Ann}},\n  journal = {{Journal of Benchmarks}},\n"
            f"  year = {{{2000 + n % 26}}},\n  volume = {{{1 + n % 40}}},\n"
            f"  pages = {{{n}--{n + 9}}},\n  doi = {{{SYNTHETIC_PREFIX}{n}}},\n}}\n")


def book_entry(key: str, n: int) -> str:
    return (f"@book{{{key},\n  title = {{Handbook of infant feeding, part {n}}},\n"
            f"  author = {{Editor{n % 31}, Bea}},\n  publisher = {{Benchmark Books}},\n"
            f"  year = {{{1995 + n % 30}}},\n}}\n")


def generate(root: Path, trainings: int, per_training: int, pool: int, no_doi_share: float,
             skew: float, seed: int) -> dict[str, int]:
    """Write the catalogue; returns its figures."""
    rng = random.Random(seed)
    dois, books = popularity(pool, skew), popularity(max(pool // 50, 10), skew)
    used: set[int] = set()
    used_books: set[int] = set()
    references = without_doi = 0
    for t in range(trainings):
        folder = root / f"programme-{t // 100:02d}" / f"module-{t // 10 % 10}"
        folder.mkdir(parents=True, exist_ok=True)
        n_books = sum(rng.random() < no_doi_share for _ in range(per_training))
        numbers = draw(rng, dois, per_training - n_books)
        titles = draw(rng, books, n_books)
        used.update(numbers)
        used_books.update(titles)
        entries = [doi_entry(f"ref{i}", n) for i, n in enumerate(numbers)]
        entries += [book_entry(f"book{i}", n) for i, n in enumerate(titles)]
        rng.shuffle(entries)
        (folder / f"training-{t:03d}.bib").write_text("\n".join(entries), encoding="utf-8")
        references += per_training
        without_doi += n_books
    return {"trainings": trainings, "references": references, "with_doi": references -
            without_doi, "without_doi": without_doi, "distinct_dois": len(used),
            "distinct_without_doi": len(used_books), "pool": pool}


def command(folder: Path, out: Path, url: str, cache: Path) -> list[str]:
    runner = ["uv", "run", "--quiet", "auditor"] if shutil.which("uv") else \
        [sys.executable, "-m", "auditor"]
    return [*runner, "check", str(folder), "--format", "csv", "-o", str(out), "--mailto",
            MAILTO, "--crossref-url", url, "--datacite-url", url, "--cache-dir", str(cache),
            "--as-of", AS_OF, "--no-journals"]  # the stand-in plays Crossref and DataCite only


def run_measured(cmd: list[str]) -> tuple[dict, str]:
    """(code, wall, peak_kib) of one run, and the run's stderr (its summary line)."""
    done = subprocess.run([sys.executable, "-c", WRAPPER, *cmd], capture_output=True,
                          text=True, cwd=ROOT, timeout=3600, check=False)
    lines = done.stderr.strip().splitlines()
    figures = json.loads(lines[-1])
    return figures, "\n".join(lines[:-1])


def check_csv(out: Path, expected: dict[str, int]) -> str:
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    total = sum(int(r["references"]) for r in rows)
    unchecked = sum(int(r["unchecked"]) for r in rows)
    not_found = sum(int(r["not_found"]) for r in rows)
    with_doi = sum(int(r["with_doi"]) for r in rows)
    ok = (len(rows) == expected["trainings"] and total == expected["references"]
          and with_doi == expected["with_doi"] and unchecked == 0 and not_found == 0)
    return (f"{'ok' if ok else 'WRONG'}: {len(rows)} rows, {total} references, {with_doi} with "
            f"a DOI, {unchecked} unchecked, {not_found} not found")


def phases_under_a_terminal(cmd: list[str]) -> list[str]:
    """The progress bars' descriptions when stderr is a terminal (the bar shows only then)."""
    master, slave = pty.openpty()
    seen: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                return
            if not chunk:
                return
            seen.append(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=slave,
                   cwd=ROOT, timeout=3600, check=False)
    os.close(slave)
    reader.join(timeout=5)
    os.close(master)
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", b"".join(seen).decode("utf-8", "replace"))
    found = re.findall(r"(?m)^\s*([A-Z][A-Za-z]+) +[━╸╺ ]*\s*\d+/\d+", text.replace("\r", "\n"))
    return list(dict.fromkeys(found))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainings", type=int, default=500)
    parser.add_argument("--per-training", type=int, default=100)
    parser.add_argument("--pool", type=int, default=15_000,
                        help="distinct synthetic DOIs the references are drawn from")
    parser.add_argument("--no-doi-share", type=float, default=0.02)
    parser.add_argument("--skew", type=float, default=0.6,
                        help="popularity exponent: larger → a few works cited everywhere")
    parser.add_argument("--seed", type=int, default=20261127)
    parser.add_argument("--latency", type=float, default=0.05,
                        help="stand-in latency per request, seconds")
    parser.add_argument("--speed-up", type=float, default=10.0,
                        help="multiply the stand-in's published rate limits (1 = Crossref's)")
    parser.add_argument("--phases", action="store_true",
                        help="also run once under a pseudo-terminal and list the progress bars")
    parser.add_argument("--keep", metavar="DIR", help="write the catalogue here and keep it")
    args = parser.parse_args()

    server, counters = serve(records={}, behaviour=Behaviour(latency=args.latency,
                                                             speed_up=args.speed_up))
    url = f"http://127.0.0.1:{server.server_port}"
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="auditor-catalogue-"))
    try:
        folder, cache = work / "catalogue", work / "cache"
        shutil.rmtree(cache, ignore_errors=True)
        start = time.perf_counter()
        figures = generate(folder, args.trainings, args.per_training, args.pool,
                           args.no_doi_share, args.skew, args.seed)
        generated = time.perf_counter() - start
        size = sum(p.stat().st_size for p in folder.rglob("*.bib"))
        runs = []
        for label in ("cold", "warm"):
            counters.reset()
            out = work / f"{label}.csv"
            measured, stderr = run_measured(command(folder, out, url, cache))
            if measured["code"] not in (0, 1, 4):
                raise SystemExit(f"auditor failed ({measured['code']}): {stderr}")
            runs.append((label, measured, counters.snapshot(), stderr, check_csv(out, figures)))
        phases = phases_under_a_terminal(command(folder, work / "tty.csv", url, cache)) \
            if args.phases else None
    finally:
        server.shutdown()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    batches = math.ceil(figures["distinct_dois"] / 40)
    rate = 3 * args.speed_up
    print(f"Catalogue: {figures['trainings']} trainings × {args.per_training} references = "
          f"{figures['references']} references ({figures['without_doi']} without a DOI, "
          f"{figures['distinct_without_doi']} distinct); {size / 1e6:.1f} MB of .bib, generated "
          f"in {generated:.1f} s (seed {args.seed})")
    print(f"DOIs: {figures['with_doi']} cited, {figures['distinct_dois']} distinct "
          f"({figures['with_doi'] / figures['distinct_dois']:.1f} citations per DOI; pool "
          f"{figures['pool']}, skew {args.skew})")
    print(f"Stand-in: latency {args.latency * 1000:.0f} ms, limits × {args.speed_up:g} "
          f"(polite list route {rate:g}/s, single {10 * args.speed_up:g}/s, 3 in flight)"
          + (" — Crossref's real rate" if args.speed_up == 1 else " — SPED UP, not Crossref's "
             "real rate"))
    print(f"Floor: ceil({figures['distinct_dois']}/40) = {batches} list requests at {rate:g}/s "
          f"= {batches / rate:.1f} s (at Crossref's 3/s: {batches / 3:.0f} s), plus one search "
          f"per distinct reference without a DOI ({figures['distinct_without_doi']}: "
          f"{figures['distinct_without_doi'] / rate:.1f} s at {rate:g}/s)\n")
    print(f"{'run':<6} {'wall s':>8} {'peak MB':>8} {'requests':>9} {'list':>6} {'single':>7} "
          f"{'429s':>5} {'x floor':>8}  check")
    for label, measured, seen, _, check in runs:
        requests = sum(seen["requests"].values())
        floor = (batches + figures["distinct_without_doi"]) / rate
        ratio = f"{measured['wall'] / floor:.2f}" if requests else "—"  # warm: nothing asked
        print(f"{label:<6} {measured['wall']:>8.1f} {measured['peak_kib'] / 1024:>8.0f} "
              f"{requests:>9} {seen['requests'].get('list', 0):>6} "
              f"{seen['requests'].get('single', 0):>7} {sum(seen['429'].values()):>5} "
              f"{ratio:>8}  {check}")
    for label, _, _, stderr, _ in runs:
        summary = [line for line in stderr.splitlines() if "trainings," in line]
        print(f"  {label}: {summary[-1].removeprefix('auditor: ') if summary else stderr}")
    if phases is not None:
        print(f"\nProgress bars seen under a terminal (warm run): {', '.join(phases) or 'none'}")
    peak = max(m["peak_kib"] for _, m, _, _, _ in runs) / 1024
    print(f"\nMemory budget 1 GB: {'within' if peak < 1024 else 'OVER'} (peak {peak:.0f} MB)")


if __name__ == "__main__":
    main()
