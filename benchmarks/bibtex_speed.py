"""How fast and how lean is reading a large .bib? auditor's reader vs bibtexparser's own
LaTeX decoding.

Each measurement runs in a fresh subprocess (imports done before the clock starts; peak memory
is the process's maximum resident set, interpreter included):

  (a) auditor: `auditor.sources.read_path(file)` — parse, resolve macros and crossrefs, find
      DOIs, decode LaTeX in the fields the auditor uses (fast path when there is no backslash or
      brace);
  (b) bibtexparser v2 `parse_string` with its default middlewares (no LaTeX decoding);
  (c) (b) plus `LatexDecodingMiddleware` (pylatexenc on every field of every entry).

Files: ../shared/corpus/bibtex/biber_papers_2157entries.bib (real, little LaTeX) and two
generated ones: 10,000 entries made of that file's entries (renamed keys), and 10,000
LaTeX-heavy entries (accents, math, \\textit, nested braces in every title and author list).

    uv run python benchmarks/bibtex_speed.py
    uv run python benchmarks/bibtex_speed.py --repeat 5 --file other.bib
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "bibtex" / "biber_papers_2157entries.bib"

_MEASURE = r"""
import json, resource, sys, time
from pathlib import Path
which, path = sys.argv[1], Path(sys.argv[2])
if which == "auditor":
    from auditor.sources import read_path
    start = time.perf_counter()
    read = read_path(path)
    entries = len(read.references)
else:
    import bibtexparser
    from bibtexparser.middlewares import LatexDecodingMiddleware
    text = path.read_text(encoding="utf-8")  # auditor's time includes reading and decoding
    start = time.perf_counter()
    text = path.read_text(encoding="utf-8")
    extra = [LatexDecodingMiddleware()] if which == "bibtexparser+latex" else []
    library = bibtexparser.parse_string(text, append_middleware=extra)
    entries = len(library.entries)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux → MB
print(json.dumps({"seconds": seconds, "entries": entries, "peak_mb": peak}))
"""

LATEX_TITLES = (
    r"Effect of {\"u}ber-{\'e}lite {\textit{in vitro}} feeding on $\alpha$-lactalbumin in "
    r"{M{\"o}ller}'s {{Cohort}} \& the {\v{S}}koda {\c{c}}ohort",
    r"{\em Breast-feeding} and {\`a} la carte {\textbf{IQ}}: a {\"O}sterreich study of "
    r"$\beta$-casein, {\ss}tudies and {\aa}lesund {\o}utcomes --- {part~II}",
)
LATEX_AUTHORS = r"M{\"u}ller, J{\"o}rg and Garc{\'\i}a, Jos{\'e} and {\O}stergaard, S{\o}ren"


def scaled_copy(source: Path, target: Path, entries: int) -> None:
    """`entries` entries made by repeating `source`'s entries with renamed keys."""
    text = source.read_text(encoding="utf-8")
    starts = [m.start() for m in re.finditer(r"^@", text, re.MULTILINE)]
    blocks = [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]
    out, n = [], 0
    while n < entries:
        for block in blocks:
            if n >= entries:
                break
            out.append(re.sub(r"^(@\w+\s*\{\s*)([^,\s]+)", rf"\g<1>\g<2>-{n}", block, count=1))
            n += 1
    target.write_text("".join(out), encoding="utf-8")


def latex_heavy(target: Path, entries: int) -> None:
    target.write_text("".join(
        f"@article{{tex{i},\n  author = {{{LATEX_AUTHORS}}},\n"
        f"  title = {{{LATEX_TITLES[i % 2]} {i}}},\n"
        f"  journal = {{Acta Paediatr{{\\'\\i}}ca}},\n  year = {{{2000 + i % 25}}},\n"
        f"  doi = {{10.1111/apa.{10000 + i}}},\n  note = {{\\url{{https://example.org/{i}}}}},\n}}\n\n"
        for i in range(entries)), encoding="utf-8")


def measure(which: str, path: Path, repeat: int) -> dict[str, float]:
    runs = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", _MEASURE, which, str(path)], check=True,
                             capture_output=True, text=True, cwd=ROOT)
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return {"seconds": statistics.median(r["seconds"] for r in runs),
            "entries": runs[0]["entries"], "peak_mb": max(r["peak_mb"] for r in runs)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--file", type=Path, action="append", help="measure this file too")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        if CORPUS.exists():
            files.append(CORPUS)
            scaled = Path(tmp) / "papers_x10000.bib"
            scaled_copy(CORPUS, scaled, 10_000)
            files.append(scaled)
        heavy = Path(tmp) / "latex_heavy_10000.bib"
        latex_heavy(heavy, 10_000)
        files.append(heavy)
        files.extend(args.file or [])
        for path in files:
            ours = measure("auditor", path, args.repeat)
            plain = measure("bibtexparser", path, args.repeat)
            latex = measure("bibtexparser+latex", path, args.repeat)
            per_entry = ours["seconds"] / max(1, ours["entries"]) * 1000
            print(f"{path.name}: {ours['entries']} entries")
            print(f"  auditor                       {ours['seconds']:7.3f} s  "
                  f"{per_entry:.3f} ms/entry  peak {ours['peak_mb']:.0f} MB")
            print(f"  bibtexparser (no LaTeX)       {plain['seconds']:7.3f} s  "
                  f"peak {plain['peak_mb']:.0f} MB")
            print(f"  bibtexparser + LatexDecoding  {latex['seconds']:7.3f} s  "
                  f"peak {latex['peak_mb']:.0f} MB  → auditor is "
                  f"{latex['seconds'] / ours['seconds']:.1f} × faster")


if __name__ == "__main__":
    main()
