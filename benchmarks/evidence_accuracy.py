"""How often does the evidence judge agree with an independent, hand-labelled set?

The labels (benchmarks/data/evidence_labels.tsv) were written from docs/evidence.md's rules, as a
careful health librarian would apply them to the metadata alone (title, container, kind and, for
some rows, PubMed publication types), without looking at auditor/data/evidence.toml. Columns:
title, container, kind, pubmed_types (`;`-separated, often empty), design, guideline (true/false),
note. A note starts with a tag saying why the row is there: `title`, `container`, `pt` (PubMed
types decide), `trap` (a word used in a misleading way), `order` (first match wins), `gap` (a
signal evidence.md's categories imply but its keyword list does not name), `invisible` (the design
exists but the metadata does not show it), `about-guideline`, `notice`, `guideline`, …

Reported: agreement on design (strict, and with systematic-review ≡ meta-analysis, both OCEBM 1),
on the OCEBM level, and on the guideline axis; a confusion summary (hand label → auditor label);
every disagreement with the auditor's signal, grouped by the note's tag.

    uv run python benchmarks/evidence_accuracy.py [--tsv benchmarks/data/evidence_labels.tsv]
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from auditor.judge.evidence import judge_evidence  # noqa: E402
from auditor.model import Evidence, PubMedRecord  # noqa: E402

DEFAULT_TSV = ROOT / "benchmarks" / "data" / "evidence_labels.tsv"

# OCEBM 2011 levels of the hand labels (docs/evidence.md, "Scales" and "Signals").
LEVEL = {"systematic-review": 1, "meta-analysis": 1, "randomised-trial": 2, "cohort": 3,
         "case-control": 4, "cross-sectional": 4, "case-report": 4, "narrative-review": 5,
         "opinion": 5, "protocol": None, "not-determined": None}
LEVEL_1 = {"systematic-review", "meta-analysis"}


@dataclass(frozen=True)
class Row:
    title: str
    container: str | None
    kind: str
    pubmed_types: tuple[str, ...]
    design: str
    guideline: bool
    note: str

    @property
    def tag(self) -> str:
        """The note's first tag: `trap/order: …` → `trap`."""
        head = self.note.split(":", 1)[0] if ":" in self.note else "other"
        return head.split("/", 1)[0].strip()


def read_rows(path: Path) -> list[Row]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        rows = []
        for record in reader:
            types = tuple(t.strip() for t in record["pubmed_types"].split(";") if t.strip())
            design = record["design"].strip()
            if design not in LEVEL:
                raise SystemExit(f"unknown design label {design!r} in {record['title']!r}")
            rows.append(Row(record["title"], record["container"] or None, record["kind"], types,
                            design, record["guideline"].strip().lower() == "true",
                            record["note"]))
        return rows


def judge(row: Row) -> Evidence:
    pubmed = PubMedRecord("0", row.pubmed_types) if row.pubmed_types else None
    return judge_evidence(row.title, row.container, row.kind, pubmed)


def same_design(hand: str, auditor: str, merge_level_1: bool) -> bool:
    if merge_level_1 and hand in LEVEL_1 and auditor in LEVEL_1:
        return True
    return hand == auditor


def percent(n: int, total: int) -> str:
    return f"{n}/{total} ({100 * n / total:.1f} %)" if total else "0/0"


def shorten(text: str, width: int = 110) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tsv", type=Path, default=DEFAULT_TSV)
    args = parser.parse_args(argv)

    rows = read_rows(args.tsv)
    judged = [(row, judge(row)) for row in rows]
    total = len(judged)

    strict = sum(same_design(r.design, e.design, False) for r, e in judged)
    merged = sum(same_design(r.design, e.design, True) for r, e in judged)
    level = sum(LEVEL[r.design] == e.ocebm_level for r, e in judged)
    guideline = sum(r.guideline == e.guideline for r, e in judged)
    with_types = [(r, e) for r, e in judged if r.pubmed_types]
    typed = sum(same_design(r.design, e.design, True) for r, e in with_types)
    both = sum(same_design(r.design, e.design, True) and r.guideline == e.guideline
               for r, e in judged)

    print(f"rows: {total} ({len(with_types)} with PubMed types)")
    print(f"design agreement (strict):                     {percent(strict, total)}")
    print(f"design agreement (systematic-review ≡ meta-analysis): {percent(merged, total)}")
    print(f"OCEBM level agreement:                         {percent(level, total)}")
    print(f"guideline agreement:                           {percent(guideline, total)}")
    print(f"design (merged) and guideline both right:      {percent(both, total)}")
    print(f"design (merged), rows with PubMed types:       {percent(typed, len(with_types))}")

    guideline_matrix = Counter((r.guideline, e.guideline) for r, e in judged)
    print("\nguideline (hand → auditor): " + ", ".join(
        f"{h}→{a}: {n}" for (h, a), n in sorted(guideline_matrix.items())))

    print("\nconfusion (hand label → auditor label: count)")
    confusion: dict[str, Counter[str]] = defaultdict(Counter)
    for row, evidence in judged:
        confusion[row.design][evidence.design] += 1
    for hand in LEVEL:
        if hand not in confusion:
            continue
        counts = confusion[hand]
        right = counts[hand]
        wrong = ", ".join(f"{label} {n}" for label, n in counts.most_common() if label != hand)
        print(f"  {hand:18} {right:3}/{sum(counts.values()):<3} right" + (
            f"   → {wrong}" if wrong else ""))

    disagreements = [(r, e) for r, e in judged
                     if r.design != e.design or r.guideline != e.guideline]
    print(f"\ndisagreements (strict design or guideline): {len(disagreements)}, by note tag")
    by_tag: dict[str, list[tuple[Row, Evidence]]] = defaultdict(list)
    for row, evidence in disagreements:
        by_tag[row.tag].append((row, evidence))
    for tag in sorted(by_tag, key=lambda t: (-len(by_tag[t]), t)):
        print(f"\n[{tag}] {len(by_tag[tag])}")
        for row, evidence in by_tag[tag]:
            naming = (row.design in LEVEL_1 and evidence.design in LEVEL_1
                      and row.guideline == evidence.guideline)
            flag = " (naming only: both OCEBM 1)" if naming else ""
            types = f"  PT={';'.join(row.pubmed_types)}" if row.pubmed_types else ""
            print(f"- {shorten(row.title)}{types}")
            print(f"    hand: {row.design}, guideline={row.guideline}   auditor: "
                  f"{evidence.design}, guideline={evidence.guideline}{flag}")
            print(f"    auditor signal: {evidence.signal} [{evidence.confidence}]")
            print(f"    note: {row.note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
