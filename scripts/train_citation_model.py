"""Rebuild the citation labeller that ships in auditor/data/citations.crfsuite.

Trained on anystyle's and GROBID's labelled reference strings (BSD-2-Clause and Apache-2.0;
../shared/corpus/citations, deduplicated — ParsCit's LGPL set is left out) and on strings
written in health styles (Vancouver, BMC, APA, Harvard, Nature, French capitals, ISO 690) from
the journal-article records in ../shared/crossref-cassettes (auditor/sources/citations/styles.py).

    uv run python scripts/train_citation_model.py [--shared ../shared] [-o MODEL]

Takes about 6 minutes on 2 cores; the same inputs and parameters give the same model.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from auditor.sources.citations.corpora import read_all  # noqa: E402
from auditor.sources.citations.model import MODEL  # noqa: E402
from auditor.sources.citations.styles import styled  # noqa: E402
from auditor.sources.citations.training import train  # noqa: E402


def styled_works(shared: Path) -> list:
    """Health-style strings written from the recorded journal articles, in a fixed order."""
    from recorded import typed_works_by_doi

    works = typed_works_by_doi(shared / "crossref-cassettes")
    return styled(works[doi] for doi in sorted(works))


def training_set(shared: Path) -> list:
    """Every string the shipped model learns from, in a fixed order."""
    return read_all(shared / "corpus" / "citations") + styled_works(shared)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("-o", "--output", type=Path, default=MODEL)
    args = parser.parse_args()
    if not (args.shared / "corpus" / "citations").is_dir():
        raise SystemExit(f"{args.shared}/corpus/citations is absent")
    items = training_set(args.shared)
    started = time.perf_counter()
    train(items, args.output)
    print(f"{len(items)} labelled strings → {args.output} "
          f"({args.output.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
