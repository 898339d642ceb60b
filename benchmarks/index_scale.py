"""The local index at scale: build time and memory for many records, lookups, a whole catalogue
checked from the index with no request.

Records: synthetic, shaped like real ones — each cloned from a recorded Crossref record
(../shared/crossref-cassettes, its heavy parts dropped as the index drops them: the reference
list, links, licences) with every field varied: its DOI, a title drawn from the recorded titles'
words, authors from the recorded family names, the journal, ISSN, year, volume, issue, pages
and `created` date. Written as the 2026 public data file is (`N.jsonl.gz`, 100,000 works a
file) by two processes.

Measured, in order:
  build      `build_index` over the folder: time, records/s, peak RSS, index size per record
  lookups    10^5 DOIs (a tenth absent) in one call of LocalIndex.lookups
  catalogue  T trainings × 50 references (half without DOI: their titles, lightly changed,
             are searched in the index) — `auditor check DIR --index … --index-only` in a
             subprocess: wall time, peak RSS, requests (must be 0)

    uv run python benchmarks/index_scale.py --records 10000000 --work /var/tmp/index-scale
    uv run python benchmarks/index_scale.py --records 100000 --trainings 200   # a quick look
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing
import random
import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

PER_FILE = 100_000
DROPPED = ("reference", "link", "license", "content-domain", "indexed", "abstract", "funder")
# Runs a command and samples, every 0.2 s, the memory of it and of every process it started
# (the catalogue's workers): the peak of their sum is what the machine had to hold.
WRAPPER = """import os, subprocess, sys, time
def tree_rss(root):
    children = {}
    for pid in filter(str.isdigit, os.listdir('/proc')):
        try:
            with open(f'/proc/{pid}/stat') as f:
                parent = int(f.read().rsplit(')', 1)[1].split()[1])
            children.setdefault(parent, []).append(int(pid))
        except (OSError, ValueError, IndexError):
            pass
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        try:
            with open(f'/proc/{pid}/status') as f:
                total += next(int(line.split()[1]) for line in f if line.startswith('VmRSS:'))
        except (OSError, StopIteration):
            pass
        todo += children.get(pid, [])
    return total
start = time.monotonic()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
peak = 0
while child.poll() is None:
    peak = max(peak, tree_rss(child.pid))
    time.sleep(0.2)
print(f"{time.monotonic() - start:.1f} {peak} {child.returncode}", file=sys.stderr)
"""


def _shapes() -> tuple[list[dict], list[str], list[str], list[tuple[str, str]]]:
    """The recorded records (slimmed), their title words, family names and journals."""
    from recorded import CASSETTES, typed_works_by_doi

    if not CASSETTES.is_dir():
        raise SystemExit(f"{CASSETTES} is absent: the records are cloned from it")
    records = [{k: v for k, v in m.items() if k not in DROPPED}
               for m in typed_works_by_doi().values()]
    words, families, journals = [], [], []
    for record in records:
        for title in record.get("title") or []:
            words += [w for w in re.findall(r"[A-Za-z][a-z]{2,}", title)]
        families += [a["family"] for a in record.get("author") or [] if a.get("family")]
        if record.get("container-title") and record.get("ISSN"):
            journals.append((record["container-title"][0], record["ISSN"][0]))
    return records, words, families, journals


def _invented(n: int) -> str:
    """The n-th invented word: `zobeka`, `tirumo`…, the same for the same n."""
    syllables = ("ba", "ko", "ri", "tu", "me", "sa", "lo", "ni", "pe", "da", "gu", "vi")
    word = ""
    n = n % 50_000_000
    while True:
        word += syllables[n % len(syllables)]
        n //= len(syllables)
        if not n:
            return word + "x" if len(word) < 4 else word


def _clone(base: dict, n: int, rng: random.Random, words: list[str], families: list[str],
           journals: list[tuple[str, str]]) -> dict:
    record = dict(base)
    year = rng.randint(1960, 2026)
    record["DOI"] = f"10.{5000 + n % 4000}/scale.{n}"
    # As in real titles, common words (the recorded titles') and rarer ones (names of genes,
    # places, methods: here invented, each in about ten titles of ten million)
    rare = [_invented(rng.randrange(3_000_000)) for _ in range(rng.randint(2, 4))]
    common = [rng.choice(words) for _ in range(rng.randint(3, 9))]
    title = common + rare
    rng.shuffle(title)
    record["title"] = [" ".join(title).capitalize()]
    record["author"] = [{"given": "A.", "family": rng.choice(families),
                         "sequence": "first" if i == 0 else "additional"}
                        for i in range(rng.randint(1, 6))]
    journal, issn = rng.choice(journals)
    record["container-title"], record["ISSN"] = [journal], [issn]
    record["issued"] = {"date-parts": [[year, rng.randint(1, 12)]]}
    record["created"] = {"date-parts": [[year, 1, 1]],
                         "date-time": f"{year}-01-{rng.randint(1, 28):02d}T00:00:00Z"}
    record["volume"], record["issue"] = str(rng.randint(1, 120)), str(rng.randint(1, 12))
    first = rng.randint(1, 2000)
    record["page"] = f"{first}-{first + rng.randint(2, 20)}"
    record.pop("published-print", None)
    record.pop("published-online", None)
    return record


def _write_file(job: tuple[Path, int, int]) -> int:
    """One N.jsonl.gz of records start … start + count."""
    path, start, count = job
    records, words, families, journals = _shapes()
    rng = random.Random(start)
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as out:
        for n in range(start, start + count):
            out.write(json.dumps(_clone(records[n % len(records)], n, rng, words, families,
                                        journals)) + "\n")
    return count


def generate(folder: Path, total: int) -> float:
    folder.mkdir(parents=True, exist_ok=True)
    jobs = [(folder / f"{i}.jsonl.gz", start, min(PER_FILE, total - start))
            for i, start in enumerate(range(0, total, PER_FILE))]
    started = time.monotonic()
    with multiprocessing.Pool(2) as pool:
        pool.map(_write_file, [job for job in jobs if not job[0].exists()])
    return time.monotonic() - started


def _sample(index_path: Path, total: int, n: int, rng: random.Random) -> list[dict]:
    """n records of the index (their slim JSON), drawn at random."""
    from auditor.index import LocalIndex

    with LocalIndex(index_path) as index:
        dois = [f"10.{5000 + k % 4000}/scale.{k}" for k in rng.sample(range(total), n)]
        found = index.records(dois)
    return [found[d.lower()] for d in dois if d.lower() in found]


def write_catalogue(folder: Path, records: list[dict], trainings: int, rng: random.Random
                    ) -> int:
    """`trainings` .bib files of 50 references: 25 with their DOI, 25 without (searched)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    for t in range(trainings):
        entries = []
        for k in range(50):
            r = records[(t * 50 + k) % len(records)]
            title = r["title"][0]
            if k % 2:  # cited without a DOI, its title slightly changed
                words = title.split()
                if len(words) > 6:
                    words.pop(rng.randrange(1, len(words)))
                title = " ".join(words).lower()
            year = r["issued"]["date-parts"][0][0]
            doi = f"  doi = {{{r['DOI']}}},\n" if k % 2 == 0 else ""
            entries.append(f"@article{{r{k},\n  title = {{{title}}},\n  author = "
                           f"{{{r['author'][0]['family']}, A.}},\n  journal = "
                           f"{{{r['container-title'][0]}}},\n  year = {{{year}}},\n{doi}}}\n")
        (folder / f"training-{t:05d}.bib").write_text("\n".join(entries), encoding="utf-8")
        written += 50
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--trainings", type=int, default=10_000)
    parser.add_argument("--lookups", type=int, default=100_000)
    parser.add_argument("--work", type=Path, default=Path("/var/tmp/auditor-index-scale"))
    parser.add_argument("--keep", action="store_true", help="keep the data file and index")
    parser.add_argument("--resume", action="store_true",
                        help="finish an interrupted build of the same --work instead of a new one")
    parser.add_argument("--built", action="store_true",
                        help="measure the index already built in --work (no generation, no build)")
    args = parser.parse_args()
    from auditor.index import LocalIndex, build_index

    data, index_path = args.work / "data", args.work / "crossref.duckdb"
    if not args.built:
        print(f"generating {args.records:,} records in {data} …", flush=True)
        seconds = generate(data, args.records)
        raw = sum(p.stat().st_size for p in data.glob("*.jsonl.gz"))
        print(f"  {seconds:.0f} s, {raw / 1e9:.2f} GB gzipped ({raw / args.records:.0f} B/record)")
        if not args.resume:
            index_path.unlink(missing_ok=True)
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        built = build_index([data], index_path)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        size = index_path.stat().st_size
        print(f"build: {built.records:,} records in {built.seconds:.0f} s = "
              f"{built.records / built.seconds:,.0f} records/s; peak RSS {rss / 1024:.0f} MB "
              f"(before {rss_before / 1024:.0f} MB); index {size / 1e9:.2f} GB = "
              f"{size / built.records:.0f} B/record")

    rng = random.Random(7)
    wanted = [f"10.{5000 + k % 4000}/scale.{k}" for k in
              rng.sample(range(args.records), min(args.lookups, args.records) * 9 // 10)]
    wanted += [f"10.9999/absent.{k}" for k in range(args.lookups - len(wanted))]
    with LocalIndex(index_path) as index:
        started = time.monotonic()
        texts = index.texts(wanted)
        queried = time.monotonic() - started
        assert len(index.lookups(wanted)) == len(texts)
        elapsed = time.monotonic() - started - queried
    print(f"lookups: {len(wanted):,} DOIs ({len(texts):,} found, {len(wanted) - len(texts):,} "
          f"absent): the index's answer in {queried:.2f} s; answered and every record decoded "
          f"into the Work the judges read, {elapsed:.2f} s")

    sample = _sample(index_path, args.records, min(args.records, args.trainings * 50), rng)
    catalogue = args.work / "catalogue"
    shutil.rmtree(catalogue, ignore_errors=True)
    references = write_catalogue(catalogue, sample, args.trainings, rng)
    command = [sys.executable, "-c", WRAPPER, sys.executable, "-m", "auditor", "check",
               str(catalogue), "--index", str(index_path), "--index-only", "--no-journals",
               "--no-cache", "--crossref-url", "http://127.0.0.1:9", "--format", "csv", "-o",
               str(args.work / "catalogue.csv"), "--as-of", "2026-11-27"]
    done = subprocess.run(command, capture_output=True, text=True)
    wall, peak, code = done.stderr.strip().splitlines()[-1].split()
    asked = re.findall(r"Crossref: (\d+) requests?", done.stderr)
    local = re.findall(r"(\d+) from the local index", done.stderr)
    print(f"catalogue: {args.trainings:,} trainings, {references:,} references (half "
          f"without DOI) in {wall} s, peak RSS of its processes together "
          f"{int(peak) / 1024:.0f} MB, exit {code}; "
          f"Crossref requests: {asked[-1] if asked else '?'}; answered by the index: "
          f"{local[-1] if local else '?'} (DOIs, and searches matched)")
    if not args.keep:
        shutil.rmtree(args.work / "catalogue", ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
