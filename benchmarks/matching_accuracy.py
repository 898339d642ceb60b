"""How often does matching recover the right DOI, and how often is an accepted match wrong?

Registry: the real work records recorded in ../shared/crossref-cassettes (journal articles,
chapters, proceedings… with titles and authors), served by the test stand-in with its
word-overlap search (like Crossref's, it always returns candidates, relevant or not).
Citations: written from those records the way reference lists write them — Vancouver-style
abbreviated journals, dropped subtitles, case and accent changes, a year off by one for some,
missing volume or pages for others — then:

- held:    the work is in the registry, DOI hidden → must come back matched to that DOI (recall);
- absent:  the work is removed from the registry, DOI hidden → must come back "no match";
- correct: the citation keeps its right DOI → must be "verified" (false mismatches counted).

precision = right matches / all accepted matches (held and absent together).

    uv run python benchmarks/matching_accuracy.py [--limit 300] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from recorded import CASSETTES, typed_works_by_doi  # noqa: E402
from stand_in import Behaviour, serve  # noqa: E402

import auditor  # noqa: E402
from auditor.crossref.records import work_from_message  # noqa: E402

STOP = {"of", "the", "and", "for", "in", "on", "a", "an", "to"}


def abbreviate(journal: str) -> str:
    """`The Journal of Nutrition` → `J Nutr` (a rough ISO-4: first four letters, no stop-words)."""
    words = [w for w in re.findall(r"[A-Za-z]+", journal) if w.lower() not in STOP]
    return " ".join(w if len(w) <= 4 else w[:4] for w in words)


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def bibtex_escape(text: str) -> str:
    return text.replace("{", "").replace("}", "").replace("&", r"\&").replace("%", r"\%")


def cite(work, rng: random.Random, key: str, with_doi: bool) -> str:
    """A BibTeX entry for a work, written with the liberties real lists take."""
    title = work.title or ""
    if work.subtitle and rng.random() < 0.5:
        title = f"{title}: {work.subtitle}"
    if rng.random() < 0.2 and ":" in title:
        title = title.split(":")[0]  # subtitle dropped
    if rng.random() < 0.2:
        title = title.lower()
    if rng.random() < 0.2:
        title = strip_accents(title)
    fields = {"title": title}
    if work.authors:
        fields["author"] = " and ".join(f"{a}, X." for a in work.authors[:6])
    if work.year:
        year = work.year
        if work.online_year and work.print_year and rng.random() < 0.5:
            year = rng.choice([work.online_year, work.print_year])
        fields["year"] = str(year)
    if work.container:
        fields["journal"] = abbreviate(work.container) if rng.random() < 0.5 else work.container
    if work.volume and rng.random() < 0.8:
        fields["volume"] = work.volume
    if work.issue and rng.random() < 0.6:
        fields["number"] = work.issue
    if work.page and rng.random() < 0.7:
        fields["pages"] = work.page.replace("-", "--")
    if with_doi:
        fields["doi"] = work.doi
    body = ",\n".join(f"  {k} = {{{bibtex_escape(v)}}}" for k, v in fields.items())
    return f"@article{{{key},\n{body}\n}}\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=400, help="citations per group at most")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if not CASSETTES.is_dir():
        raise SystemExit(f"{CASSETTES} is absent")
    rng = random.Random(args.seed)
    records = typed_works_by_doi()
    usable = {}
    for doi, message in records.items():
        work = work_from_message(message)
        # A citable work: a real title (not a test record) and at least one author.
        if work.title and work.authors and len(work.title.split()) >= 3 \
                and not work.title.lower().startswith("test"):
            usable[doi] = work
    dois = sorted(usable)
    rng.shuffle(dois)
    absent = set(dois[: len(dois) // 5])  # a fifth of the works are not in the registry
    registry = {d: m for d, m in records.items() if d not in absent}
    held = [d for d in dois if d not in absent][: args.limit]
    gone = [d for d in dois if d in absent][: args.limit]

    server, _ = serve(records=registry, behaviour=Behaviour(latency=0.0, speed_up=20))
    url = f"http://127.0.0.1:{server.server_port}"
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        citations = {}
        for group, chosen, with_doi in (("held", held, False), ("absent", gone, False),
                                        ("correct", held, True)):
            citations[group] = Path(tmp) / f"{group}.bib"
            citations[group].write_text("\n".join(cite(usable[d], rng, f"k{i}", with_doi)
                                                  for i, d in enumerate(chosen)),
                                        encoding="utf-8")
        chosen_of = {"held": held, "absent": gone, "correct": held}
        api = {group: (chosen_of[group], auditor.audit(
            bib, crossref_url=url, datacite_url=url, cache_dir=Path(tmp) / "cache",
            mailto="bench@example.org", as_of="2026-11-27", warn=lambda m: None).references)
            for group, bib in citations.items()}
        # The same citations matched in a local index of the same registry (no request).
        import gzip
        import json

        from auditor.index import build_index

        with gzip.open(Path(tmp) / "0.jsonl.gz", "wt", encoding="utf-8") as lines:
            lines.writelines(json.dumps(m) + "\n" for m in registry.values())
        build_index([Path(tmp) / "0.jsonl.gz"], Path(tmp) / "registry.duckdb")
        local = {group: (chosen_of[group], auditor.audit(
            bib, index=Path(tmp) / "registry.duckdb", index_only=True, use_cache=False,
            crossref_url="http://127.0.0.1:9", as_of="2026-11-27", journals=False,
            warn=lambda m: None).references) for group, bib in citations.items()}
    server.shutdown()
    print(f"registry: {len(registry)} recorded works ({len(absent)} citable works removed); "
          f"citations: {len(held)} held, {len(gone)} absent, {len(held)} with their right DOI")
    report(api, held, gone, "Crossref's API (the stand-in's search)", details=True)
    report(local, held, gone, "the local index (auditor index build)", details=False)


def report(outcomes, held, gone, path: str, details: bool) -> None:
    """Recall, precision, false mismatches of one path; with `details`, each error."""
    print(f"— {path}")
    held_refs = outcomes["held"][1]
    right = sum(v.resolution == "matched" and v.match.doi == d
                for d, v in zip(held, held_refs, strict=True))
    wrong_held = sum(v.resolution == "matched" and v.match.doi != d
                     for d, v in zip(held, held_refs, strict=True))
    wrong_absent = sum(v.resolution == "matched" for v in outcomes["absent"][1])
    accepted = right + wrong_held + wrong_absent
    correct_refs = outcomes["correct"][1]
    false_mismatch = sum(v.resolution == "mismatch" for v in correct_refs)
    verified = sum(v.resolution == "verified" for v in correct_refs)
    print(f"recall (held → exactly its DOI):        {right}/{len(held)} = "
          f"{right / len(held):.1%}")
    print(f"precision (accepted matches right):      {right}/{accepted} = "
          f"{(right / accepted if accepted else 1):.1%}")
    print(f"  wrong match on a held work:            {wrong_held}")
    print(f"  match on an absent work (must be 0):   {wrong_absent}/{len(gone)}")
    print(f"false mismatches on right DOIs:          {false_mismatch}/{len(held)} "
          f"(verified {verified})")
    if not details:
        return
    wrongs = [(d, v) for d, v in zip(held, held_refs, strict=True)
              if v.resolution == "matched" and v.match.doi != d]
    wrongs += [(d, v) for d, v in zip(gone, outcomes["absent"][1], strict=True)
               if v.resolution == "matched"]
    for d, v in wrongs:
        print(f"  wrong: cited {d} {v.reference.title!r} ({v.reference.year}, "
              f"{v.reference.container}) → {v.match.doi} {v.match.title!r} ({v.match.year}); "
              f"agreed {v.match.agreed}, differ {v.match.disagreed}")
    for d, v in zip(held, correct_refs, strict=True):
        if v.resolution == "mismatch":
            print(f"  false mismatch: {d} cited {v.reference.title!r} "
                  f"({v.reference.year}, {v.reference.container}, vol {v.reference.volume}, "
                  f"pages {v.reference.pages}): "
                  + next(f.message for f in v.findings if f.code == "D004")[:300])
    misses = [(d, v) for d, v in zip(held, held_refs, strict=True) if v.resolution != "matched"]
    for d, v in misses[:8]:
        why = next((f.message for f in v.findings if f.code in ("D009", "D011")), "")
        print(f"  missed {d}: {why[:300]}")


if __name__ == "__main__":
    main()
