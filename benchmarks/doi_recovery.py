"""How often is the DOI of a pasted citation found, and how often is a found DOI wrong?

Strings with a gold the project did not write: anystyle's and GROBID's labelled reference
strings (../shared/corpus/citations). A fifth of them (the first fold of
benchmarks/citation_parsing.py) is held out: the labeller used here is trained on the other
four fifths (plus the health-style strings), so it never saw a string it reads.

Registry: a stand-in whose records are built from the labelled fields of *every* string of the
corpora (title, authors, year, journal, volume, issue, pages, publisher — one record per work,
~15,000), searched with a ranked word search (idf-weighted, like a relevance search: it always
returns candidates, relevant or not). A share of the held-out works (--absent, 15 %) is left
out of the registry: a match for one of those counts as a false match.

The held-out strings are written as one numbered pasted list and audited as a user would.
recall = right DOIs / works in the registry; precision = right DOIs / DOIs given.

    uv run python benchmarks/doi_recovery.py [--limit 1000] [--absent 0.15] [--model PATH]
"""

from __future__ import annotations

import argparse
import math
import random
import re
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "scripts"))

from citation_parsing import SHARED, plain  # noqa: E402
from stand_in import Behaviour, serve  # noqa: E402

import auditor  # noqa: E402
from auditor.sources.citation_text import dois_in  # noqa: E402
from auditor.sources.citations import model  # noqa: E402
from auditor.sources.citations.corpora import read_all  # noqa: E402
from auditor.sources.citations.fields import to_citation  # noqa: E402
from auditor.sources.citations.tokens import tokenize  # noqa: E402
from auditor.sources.citations.training import token_labels, train  # noqa: E402

HELD_OUT_MODEL = Path(tempfile.gettempdir()) / "auditor-bench" / "held-out-fold1.crfsuite"


def gold_citation(item):
    tokens = tokenize(item.text)
    return to_citation(item.text, tokens, [str(x) for x in token_labels(item, tokens)])


def record_of(cited, doi: str) -> dict | None:
    """A Crossref-like work record from a string's labelled fields, or None when they are too
    thin to stand for a work (no title of three words, no author, no year)."""
    if not (cited.title and len(plain(cited.title)) >= 12 and len(cited.title.split()) >= 3
            and cited.authors and cited.year):
        return None
    authors = []
    for name in cited.authors:
        family, _, given = name.partition(",")
        authors.append({"family": family.strip(), "given": given.strip()})
    record = {"DOI": doi, "type": "journal-article" if cited.container else "book",
              "title": [cited.title], "author": authors,
              "issued": {"date-parts": [[cited.year]]}}
    for key, value in (("container-title", cited.container), ("volume", cited.volume),
                       ("issue", cited.issue), ("page", cited.pages),
                       ("publisher", cited.publisher)):
        if value:
            record[key] = [value] if key == "container-title" else value
    return record


class RankedSearch:
    """An idf-weighted word search over titles, journals and authors' family names."""

    def __init__(self, records: list[dict]) -> None:
        self.records = records
        self.postings: dict[str, list[int]] = defaultdict(list)
        for n, record in enumerate(records):
            text = " ".join([*record.get("title", []), *record.get("container-title", []),
                             *(a.get("family", "") for a in record.get("author", []))])
            for word in set(re.findall(r"\w+", text.lower())):
                self.postings[word].append(n)
        self.idf = {w: math.log(len(records) / len(p)) for w, p in self.postings.items()}

    def __call__(self, query: str, rows: int) -> list[dict]:
        scores: Counter = Counter()
        for word in set(re.findall(r"\w+", query.lower())):
            for n in self.postings.get(word, ()):
                scores[n] += self.idf[word]
        best = scores.most_common(rows) or [(n, 0.0) for n in range(min(rows, len(self.records)))]
        return [{**self.records[n], "score": round(score, 3)} for n, score in best]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=1000, help="held-out strings at most")
    parser.add_argument("--absent", type=float, default=0.15,
                        help="share of the held-out works left out of the registry")
    parser.add_argument("--model", type=Path, default=None,
                        help="a labeller to use (default: one trained without the held-out "
                             "fold, made once and kept in the temporary folder)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rules-only", action="store_true",
                        help="read the citations with the rules alone (no labeller)")
    parser.add_argument("--show", type=int, default=10, help="misses to show")
    parser.add_argument("--articles", action="store_true",
                        help="show only the misses of journal articles")
    args = parser.parse_args()
    if not (SHARED / "corpus" / "citations").is_dir():
        raise SystemExit(f"{SHARED}/corpus/citations is absent")
    items = read_all(SHARED / "corpus" / "citations")
    order = list(range(len(items)))
    random.Random(1).shuffle(order)  # the folds of benchmarks/citation_parsing.py
    held_out = {i for n, i in enumerate(order) if n % 5 == 0}
    path = args.model or HELD_OUT_MODEL
    if not path.exists():
        from train_citation_model import styled_works

        path.parent.mkdir(parents=True, exist_ok=True)
        print(f"training a labeller without the held-out fold → {path} (a few minutes)",
              flush=True)
        train([items[i] for i in range(len(items)) if i not in held_out]
              + styled_works(SHARED), path)
    model.MODEL = Path("/nonexistent/rules-only") if args.rules_only else path

    # One record per work (the corpora hold some works several times).
    work_of: dict[int, str] = {}
    records: dict[str, dict] = {}
    for i, item in enumerate(items):
        cited = gold_citation(item)
        record = record_of(cited, "")
        if record is None:
            continue
        key = f"{plain(cited.title)}|{cited.year}"
        doi = records.get(key, {}).get("DOI") or f"10.5555/bench.{len(records) + 1}"
        records.setdefault(key, {**record, "DOI": doi})
        work_of[i] = doi
    rng = random.Random(args.seed)
    chosen = [i for i in sorted(held_out) if i in work_of and not dois_in(items[i].text)]
    rng.shuffle(chosen)
    chosen = chosen[:args.limit]
    works = sorted({work_of[i] for i in chosen})
    absent = set(rng.sample(works, round(len(works) * args.absent)))
    registry = {r["DOI"]: r for r in records.values() if r["DOI"] not in absent}
    search = RankedSearch(list(registry.values()))
    server, _ = serve(records=registry, behaviour=Behaviour(latency=0.0, speed_up=20),
                      search=search)
    url = f"http://127.0.0.1:{server.server_port}"
    with tempfile.TemporaryDirectory() as tmp:
        pasted = Path(tmp) / "held-out.txt"
        pasted.write_text("".join(f"{n + 1}. {' '.join(items[i].text.split())}\n"
                                  for n, i in enumerate(chosen)), encoding="utf-8")
        report = auditor.audit(pasted, crossref_url=url, datacite_url=url,
                               cache_dir=Path(tmp) / "cache", mailto="bench@example.org",
                               as_of="2026-12-01", journals=False, warn=lambda m: None)
    server.shutdown()

    by_line = {v.reference.source.line: v for v in report.references}
    by_doi = {r["DOI"]: r for r in records.values()}
    articles = [0, 0]  # journal articles (journal, volume and pages in the gold): right, all
    right = wrong = false = missed = unread = 0
    misses: list[str] = []
    for n, i in enumerate(chosen):
        v = by_line.get(n + 1)
        expected = work_of[i]
        given = v.match.doi if v is not None and v.match is not None and v.match.applied \
            else None
        if v is None:
            unread += expected not in absent
        record = by_doi[expected]
        if expected not in absent and all(record.get(k) for k in ("container-title", "volume",
                                                                   "page")):
            articles[0] += given == expected
            articles[1] += 1
        if expected in absent:
            false += given is not None
            if given is not None:
                misses.insert(0, f"  FALSE: {items[i].text[:140]!r} → {given} "
                                 f"{registry[given]['title'][0][:80]!r}; {v.match.agreed}")
        elif given == expected:
            right += 1
        elif given is not None:
            wrong += 1
            misses.insert(0, f"  WRONG: {items[i].text[:140]!r} → {given} "
                             f"{registry[given]['title'][0][:80]!r}; {v.match.agreed}")
        else:
            missed += 1
            if v is not None and len(misses) < args.show and (not args.articles or all(
                    record.get(k) for k in ("container-title", "volume", "page"))):
                why = next((f.message for f in v.findings if f.code in ("D009", "D011")),
                           "no candidate worth showing")
                misses.append(f"  missed: {items[i].text[:110]!r}\n    read: "
                              f"{(v.reference.title or '')[:60]!r}, "
                              f"{v.reference.first_author_family}, {v.reference.year}, "
                              f"{v.reference.container}, {v.reference.volume}, "
                              f"{v.reference.pages}\n    {why[:300]}")
    present = len(chosen) - sum(work_of[i] in absent for i in chosen)
    given_total = right + wrong + false
    print(f"registry: {len(registry)} records; held-out strings: {len(chosen)} "
          f"({present} of works in the registry, {len(chosen) - present} of works left out); "
          f"{'rules alone' if args.rules_only else 'labeller ' + path.name}")
    print(f"recall    (right DOI / works in the registry): {right}/{present} = "
          f"{right / present:.1%}")
    print(f"precision (right DOI / DOIs given):            {right}/{given_total} = "
          f"{(right / given_total if given_total else 1):.1%}")
    print(f"  of which journal articles (journal, volume, pages): {articles[0]}/{articles[1]} = "
          f"{articles[0] / max(articles[1], 1):.1%}")
    print(f"  wrong DOI for a work in the registry: {wrong}")
    print(f"  a DOI for a work left out (false):    {false}/{len(chosen) - present}")
    print(f"  not read as a reference:              {unread}")
    print("\n".join(misses))


if __name__ == "__main__":
    main()
