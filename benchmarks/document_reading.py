"""How well are reference lists read out of Word documents, PDFs and saved web pages?

1. Real documents written by others (../shared/corpus/documents): the references found
   against the count SOURCES.md gives for each (counted by hand), the DOIs found, the time, and
   for a PDF the time per page.
2. The health set (benchmarks/health_citations.py: 46 real breastfeeding, perinatal and
   paediatric references, each in 8 styles) written out by this script, one list per style,
   as a typed Word list, a Word list with automatic numbers, a Word document whose citations
   are Zotero fields, a one-column PDF and a two-column PDF (running header, footer and page
   numbers; numbered styles numbered, author–date styles with a hanging indent), and a saved
   web page (an <ol>, DOIs as links). For each: references found against the list's count,
   DOIs found against those the document holds, and the share of references whose title
   (similarity ≥ 0.9), first author and year agree with the gold — beside the same strings
   read as a pasted list, so what the document costs shows apart from what reading costs.

    uv run python benchmarks/document_reading.py [--keep DIR]
"""

from __future__ import annotations

import argparse
import difflib
import io
import json
import re
import sys
import tempfile
import time
from collections import defaultdict
from html import escape
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from citation_parsing import SHARED, plain  # noqa: E402
from health_citations import RECORDS, STYLES, labelled_strings  # noqa: E402

from auditor.errors import InputError  # noqa: E402
from auditor.sources import read_path  # noqa: E402
from auditor.sources.citation_text import dois_in  # noqa: E402

DOCUMENTS = SHARED / "corpus" / "documents"
NUMBERED = {"vancouver", "ama", "bmc", "french-iso690"}
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


# --- 1. real documents ---------------------------------------------------------------------
def hand_counts() -> list[tuple[str, int, bool]]:
    rows = []
    for line in (DOCUMENTS / "SOURCES.md").read_text("utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) > 8 and re.match(r"`(docx|pdf|html)/", cells[0]):
            count = re.match(r"(≈)?(\d+)", cells[7])
            if count:
                rows.append((cells[0].strip("`"), int(count.group(2)), bool(count.group(1))))
    return rows


def pages_of(path: Path) -> int:
    if path.suffix != ".pdf":
        return 0
    from pdfminer.pdfpage import PDFPage

    with path.open("rb") as handle:
        return sum(1 for _ in PDFPage.get_pages(handle))


def real_documents() -> None:
    print("Real documents (../shared/corpus/documents), against SOURCES.md's hand counts")
    total = [0, 0]
    exact = 0
    for name, count, approximate in hand_counts():
        path = DOCUMENTS / name
        started = time.perf_counter()
        try:
            read = read_path(path)
            found, dois, problems = len(read.references), sum(
                1 for r in read.references if r.doi), len(read.problems)
            said = ""
        except InputError as exc:
            found = dois = problems = 0
            said = f"  ({str(exc)[:80]})"
        took = time.perf_counter() - started
        pages = pages_of(path)
        per_page = f", {took / pages * 1000:.0f} ms/page" if pages else ""
        close = found == count or (approximate and abs(found - count) <= 1)
        exact += close
        total[0] += min(found, count)
        total[1] += count
        print(f"  {'ok' if close else '--'} {name:58} {found:3}/{'≈' if approximate else ''}"
              f"{count:<3} DOIs {dois:3}  problems {problems:2}  {took:5.2f} s{per_page}{said}")
    print(f"  lists read whole: {exact}/{len(hand_counts())}; entries found (at most the hand "
          f"count per file): {total[0]}/{total[1]} = {total[0] / total[1]:.1%}")


# --- 2. the health set written out -----------------------------------------------------------
def entries_by_style() -> dict[str, list[tuple[str, dict, object]]]:
    """style → [(string, gold, record)], in the records' order."""
    by_style: dict[str, list] = defaultdict(list)
    for n, (style, text, gold) in enumerate(labelled_strings()):
        by_style[style].append((text, gold, RECORDS[n // len(STYLES)]))
    return by_style


def write_docx(entries, numbered: bool, zotero: bool = False) -> bytes:
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    document.add_heading("Allaitement et sommeil du nourrisson : journée de formation", 0)
    document.add_paragraph("Objectifs : connaître les données récentes (2016-2024) sur "
                           "l'allaitement et le sommeil. Durée : 7 heures.")
    document.add_heading("Références bibliographiques", 1)
    for n, (text, _, record) in enumerate(entries, 1):
        paragraph = document.add_paragraph(style="List Number" if numbered else None)
        if not zotero:
            paragraph.add_run(text)
            continue
        item = {"id": n, "type": "article-journal", "title": record.title,
                "container-title": record.journal, "volume": record.volume,
                "issue": record.issue, "page": record.pages, "DOI": record.doi,
                "author": [{"family": f, "given": g} for f, g in record.authors],
                "issued": {"date-parts": [[record.year]]}}
        citation = {"citationID": f"c{n}", "citationItems": [
            {"id": n, "uris": [f"http://zotero.org/users/1/items/{n}"],
             "itemData": {k: v for k, v in item.items() if v}}]}
        instruction = xml_escape(" ADDIN ZOTERO_ITEM CSL_CITATION " + json.dumps(citation))
        for inner in ('<w:fldChar w:fldCharType="begin"/>',
                      f'<w:instrText xml:space="preserve">{instruction}</w:instrText>',
                      '<w:fldChar w:fldCharType="separate"/>',
                      f'<w:t xml:space="preserve">{xml_escape(text)}</w:t>',
                      '<w:fldChar w:fldCharType="end"/>'):
            paragraph._p.append(parse_xml(f"<w:r {nsdecls('w')}>{inner}</w:r>"))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def write_pdf(entries, numbered: bool, columns: int) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, Spacer

    font = "Helvetica"
    if FONT.exists():
        pdfmetrics.registerFont(TTFont("DejaVu", str(FONT)))
        font = "DejaVu"
    width, height = A4
    margin, gap = 2 * cm, 0.8 * cm
    column = (width - 2 * margin - (columns - 1) * gap) / columns
    frames = [Frame(margin + i * (column + gap), margin, column, height - 2 * margin,
                    id=f"c{i}") for i in range(columns)]

    def furniture(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.drawString(margin, height - 1.2 * cm, "Formation allaitement — bibliographie")
        canvas.drawRightString(width - margin, 1.2 * cm, f"Page {doc.page}")
        canvas.restoreState()

    out = io.BytesIO()
    doc = BaseDocTemplate(out, pagesize=A4, pageTemplates=[
        PageTemplate(id="page", frames=frames, onPage=furniture)])
    body = ParagraphStyle("body", fontName=font, fontSize=9, leading=11)
    entry = ParagraphStyle("entry", parent=body, leftIndent=0 if numbered else 14,
                           firstLineIndent=0 if numbered else -14, spaceAfter=3)
    heading = ParagraphStyle("heading", parent=body, fontSize=13, leading=16, spaceAfter=6)
    story = [Paragraph("Allaitement et sommeil du nourrisson", heading),
             Paragraph("Cette journée fait le point sur les données publiées depuis 2016. "
                       "Chaque notion est reliée à la référence qui la fonde.", body),
             Spacer(1, 8), Paragraph("Références", heading)]
    for n, (text, _, _) in enumerate(entries, 1):
        story.append(Paragraph(xml_escape(f"{n}. {text}" if numbered else text), entry))
    doc.build(story)
    return out.getvalue()


LEVELS = ["Grade A (niveau 1)", "Grade B (niveau 2)", "Accord d'experts", "Grade C (niveau 4)"]


def write_pdf_table(entries) -> bytes:
    """The list as a table "N° | Référence | Niveau de preuve", a grid around each cell, the
    header row repeated on each page — as French training documents give a level per
    reference."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    font = "Helvetica"
    if FONT.exists():
        pdfmetrics.registerFont(TTFont("DejaVu", str(FONT)))
        font = "DejaVu"
    body = ParagraphStyle("body", fontName=font, fontSize=8.5, leading=10.5)
    rows = [[Paragraph("N°", body), Paragraph("Référence", body),
             Paragraph("Niveau de preuve", body)]]
    for n, (text, _, _) in enumerate(entries, 1):
        rows.append([Paragraph(str(n), body), Paragraph(xml_escape(text), body),
                     Paragraph(LEVELS[n % len(LEVELS)], body)])
    table = Table(rows, colWidths=[1 * cm, 12 * cm, 3.5 * cm], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4).build(
        [Paragraph("Tableau 2. Références et niveaux de preuve", body), table])
    return out.getvalue()


def write_html(entries) -> bytes:
    items = []
    for text, _, record in entries:
        link = (f' <a href="https://doi.org/{escape(record.doi)}">CrossRef</a>'
                if record.doi and not dois_in(text) else "")
        items.append(f"<li>{escape(text)}{link}</li>")
    return ("<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'><title>Formation"
            "</title><script>var refs = '2016;387(10017):475-90';</script></head><body>"
            "<nav><a href='/'>Accueil</a></nav><h1>Allaitement et sommeil</h1><p>Objectifs de "
            "la journée (2024).</p><h2>Bibliographie</h2><ol>" + "".join(items)
            + "</ol><footer>© 2024 Centre de formation</footer></body></html>").encode()


def agreement(read, entries) -> tuple[int, int, int]:
    """(references found, DOIs found among those the document holds, references whose title,
    first author and year agree with the gold)."""
    refs = list(read.references)
    agreed = dois = 0
    for _, gold, record in entries:
        best, score = None, 0.0
        for ref in refs:
            s = difflib.SequenceMatcher(None, plain(ref.title), plain(gold["title"])).ratio()
            if s > score:
                best, score = ref, s
        if best is None:
            continue
        family = (best.first_author_family or "")
        if score >= 0.9 and plain(family) == plain(gold["first_author"]) and \
                best.year == gold["year"]:
            agreed += 1
        if record.doi and best.doi == record.doi.lower():
            dois += 1
    return len(refs), dois, agreed


def health_documents(keep: Path | None) -> None:
    print("\nThe health set written out (46 references per list, 8 styles)")
    writers = {
        "pasted text": lambda e, s: ("\n\n".join(t for t, _, _ in e) + "\n").encode(),
        "Word, typed": lambda e, s: write_docx(e, numbered=False),
        "Word, automatic numbers": lambda e, s: write_docx(e, numbered=True),
        "Word, Zotero fields": lambda e, s: write_docx(e, numbered=True, zotero=True),
        "PDF, one column": lambda e, s: write_pdf(e, s in NUMBERED, 1),
        "PDF, two columns": lambda e, s: write_pdf(e, s in NUMBERED, 2),
        "PDF, table with levels": lambda e, s: write_pdf_table(e),
        "web page": lambda e, s: write_html(e),
    }
    suffixes = {"pasted text": ".txt", "web page": ".html"}
    by_style = entries_by_style()
    with tempfile.TemporaryDirectory() as tmp:
        folder = keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for name, write in writers.items():
            totals = [0, 0, 0, 0, 0]  # found, expected, DOIs found, DOIs held, agreed
            levelled = [0, 0]  # references that end with their own row's level, rows
            seconds = pages = 0.0
            worst = []
            for style, entries in by_style.items():
                suffix = suffixes.get(name, ".pdf" if name.startswith("PDF") else ".docx")
                path = folder / f"{plain(name)}-{style}{suffix}"
                path.write_bytes(write(entries, style))
                started = time.perf_counter()
                read = read_path(path)
                seconds += time.perf_counter() - started
                pages += pages_of(path)
                found, dois, agreed = agreement(read, entries)
                if name == "PDF, table with levels":  # each level with its own reference
                    levelled[0] += sum(1 for n, ref in enumerate(read.references, 1)
                                       if (ref.raw or "").endswith(LEVELS[n % len(LEVELS)]))
                    levelled[1] += len(entries)
                held = sum(1 for t, _, r in entries if r.doi and (
                    dois_in(t) or name in ("web page", "Word, Zotero fields")))
                for i, value in enumerate((found, len(entries), dois, held, agreed)):
                    totals[i] += value
                if found != len(entries) or agreed < len(entries) - 3:
                    worst.append(f"{style} {found}/{len(entries)} found, {agreed} agree")
            per_page = f", {seconds / pages * 1000:.0f} ms per page" if pages else ""
            print(f"  {name:24} found {totals[0]}/{totals[1]}  DOIs {totals[2]}/{totals[3]}  "
                  f"title+author+year agree {totals[4]}/{totals[1]} = "
                  f"{totals[4] / totals[1]:.1%}  ({seconds:.2f} s{per_page})")
            if levelled[1]:
                print(f"      level of evidence in its own row's reference: "
                      f"{levelled[0]}/{levelled[1]}")
            for line in worst:
                print(f"      {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, default=None,
                        help="write the generated documents into this folder")
    args = parser.parse_args()
    if (DOCUMENTS / "SOURCES.md").exists():
        real_documents()
    else:
        print(f"{DOCUMENTS} is absent: the real documents are skipped")
    health_documents(args.keep)


if __name__ == "__main__":
    main()
