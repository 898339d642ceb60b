"""How well are pasted citation strings read, field by field, and how fast?

1. k-fold on the labelled corpora the model learns from (anystyle + GROBID, deduplicated; the
   health-style strings written from Crossref records are added to every training fold, never
   to a test fold): a model is trained on k-1 folds and reads the held-out fold. The gold of a
   string is what its annotators labelled, read into fields by the same rules as a prediction.
2. The health set (benchmarks/health_citations.py: 45 real records × 8 styles, typed for the
   project, never trained on): the fields the shipped reader finds against the records' own,
   beside the rule-based reader alone and the labeller alone.
3. Speed: loading the shipped model, reading 1,000 strings.

Per field: precision = right / fields given, recall = right / fields in the gold, F1; a title
is right at similarity ≥ 0.9 (as the issue measures it), the other fields when equal once case,
accents and punctuation are left out; "exact" = every gold field of the string right.

    uv run python benchmarks/citation_parsing.py [--folds 5] [--skip-folds]
"""

from __future__ import annotations

import argparse
import difflib
import random
import re
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "scripts"))

from health_citations import labelled_strings  # noqa: E402

from auditor.sources.citation_text import Citation, parse_citation, strip_noise  # noqa: E402
from auditor.sources.citations import model  # noqa: E402
from auditor.sources.citations.corpora import read_all  # noqa: E402
from auditor.sources.citations.fields import to_citation  # noqa: E402
from auditor.sources.citations.tokens import tokenize  # noqa: E402
from auditor.sources.citations.training import token_labels, train  # noqa: E402

SHARED = ROOT.parent / "shared"
SHIPPED = model.MODEL
FIELDS = ("title", "first_author", "year", "container", "volume", "first_page")


def plain(value: object) -> str:
    text = unicodedata.normalize("NFKD", str(value or "")).encode("ascii", "ignore").decode()
    return re.sub(r"[\W_]+", "", text.lower())


def fields_of(cited: Citation) -> dict[str, object]:
    first = cited.authors[0] if cited.authors else None
    family = (first.split(",")[0] if "," in first else first.split()[0]) if first else None
    page = re.split(r"\s*[-–—]\s*", cited.pages)[0] if cited.pages else None
    return {"title": cited.title, "first_author": family, "year": cited.year,
            "container": cited.container, "volume": cited.volume, "first_page": page}


def right(field: str, got: object, gold: object) -> bool:
    if field == "title":
        a, b = plain(got), plain(gold)
        return bool(a) and difflib.SequenceMatcher(None, a, b).ratio() >= 0.9
    return bool(plain(got)) and plain(got) == plain(gold)


class Score:
    def __init__(self) -> None:
        self.given, self.gold, self.right = Counter(), Counter(), Counter()
        self.exact = self.strings = 0

    def add(self, got: dict, gold: dict) -> None:
        self.strings += 1
        all_right = True
        for field in FIELDS:
            if gold.get(field) in (None, ""):
                continue
            self.gold[field] += 1
            if got.get(field) not in (None, ""):
                self.given[field] += 1
            if right(field, got.get(field), gold[field]):
                self.right[field] += 1
            else:
                all_right = False
        self.exact += all_right

    def lines(self, name: str) -> list[str]:
        out = [f"{name}: {self.strings} strings, exact {self.exact / self.strings:.1%}"]
        for field in FIELDS:
            if not self.gold[field]:
                continue
            p = self.right[field] / self.given[field] if self.given[field] else 0.0
            r = self.right[field] / self.gold[field]
            f1 = 2 * p * r / (p + r) if p + r else 0.0
            out.append(f"  {field:<13} P {p:6.1%}  R {r:6.1%}  F1 {f1:6.1%}  "
                       f"({self.right[field]}/{self.gold[field]})")
        return out


def gold_of(item) -> dict:
    tokens = tokenize(item.text)
    return fields_of(to_citation(item.text, tokens, [str(x) for x in token_labels(item, tokens)]))


def folds(k: int) -> None:
    from train_citation_model import styled_works

    items = read_all(SHARED / "corpus" / "citations")
    extra = styled_works(SHARED)
    order = list(range(len(items)))
    random.Random(1).shuffle(order)
    totals = {"labeller alone": Score(), "as shipped (rules + labeller)": Score()}
    for fold in range(k):
        test = [items[i] for n, i in enumerate(order) if n % k == fold]
        learn = [items[i] for n, i in enumerate(order) if n % k != fold] + extra
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "fold.crfsuite"
            started = time.perf_counter()
            train(learn, path)
            model.MODEL = path
            for item in test:
                gold = gold_of(item)
                alone = model.read_labelled(strip_noise(item.text))
                totals["labeller alone"].add(fields_of(alone) if alone else {}, gold)
                totals["as shipped (rules + labeller)"].add(
                    fields_of(model.read(strip_noise(item.text))), gold)
            model.MODEL = SHIPPED
            print(f"fold {fold + 1}/{k}: trained on {len(learn)} in "
                  f"{time.perf_counter() - started:.0f} s", flush=True)
    for name, total in totals.items():
        print("\n".join(total.lines(f"{k}-fold on anystyle + GROBID, {name}")))


def health() -> None:
    readers = {"shipped reader": lambda t: model.read(strip_noise(t)),
               "rules alone": lambda t: parse_citation(strip_noise(t)),
               "labeller alone": lambda t: model.read_labelled(strip_noise(t))}
    by_style: dict[str, Score] = {}
    for name, read in readers.items():
        score = Score()
        for style, text, gold in labelled_strings():
            got = read(text)
            score.add(fields_of(got) if got else {}, gold)
            if name == "shipped reader":
                by_style.setdefault(style, Score()).add(fields_of(got) if got else {}, gold)
        print("\n".join(score.lines(f"health set, {name}")))
    print("shipped reader, exact by style: " + ", ".join(
        f"{style} {s.exact}/{s.strings}" for style, s in by_style.items()))


def speed() -> None:
    strings = [t for _, t, _ in labelled_strings()]
    started = time.perf_counter()
    model.read(strip_noise(strings[0]))  # the model is opened on the first string read
    loaded = time.perf_counter() - started
    strings = (strings * (1000 // len(strings) + 1))[:1000]
    started = time.perf_counter()
    for text in strings:
        model.read(strip_noise(text))
    took = time.perf_counter() - started
    print(f"speed: model loaded in {loaded * 1000:.1f} ms; 1,000 strings read in {took:.2f} s "
          f"({model.MODEL.stat().st_size / 1e6:.1f} MB model)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--skip-folds", action="store_true", help="the health set and speed only")
    args = parser.parse_args()
    if not model.available():
        raise SystemExit("no citation model: run scripts/train_citation_model.py")
    speed()
    health()
    if not args.skip_folds:
        if not (SHARED / "corpus" / "citations").is_dir():
            raise SystemExit(f"{SHARED}/corpus/citations is absent: k-fold skipped")
        folds(args.folds)


if __name__ == "__main__":
    main()
