"""Small PDFs written with reportlab for the PDF reader's tests, each named for what it has:
a brochure with prose then a numbered list, a two-column article page, an APA list with hanging
indents, running headers and page numbers, a scanned page, encrypted files."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

WIDTH, HEIGHT = A4
MARGIN = 56.0

VICTORA = ("Victora CG, Bahl R, Barros AJD, et al. Breastfeeding in the 21st century: "
           "epidemiology, mechanisms, and lifelong effect. Lancet. 2016;387(10017):475-90. "
           "doi:10.1016/S0140-6736(15)01024-7")
ROLLINS = ("Rollins NC, Bhandari N, Hajeebhoy N, et al. Why invest, and what it will take to "
           "improve breastfeeding practices? Lancet. 2016;387(10017):491-504. "
           "doi:10.1016/S0140-6736(15)01044-2")
KRAMER = ("Kramer MS, Chalmers B, Hodnett ED, et al. Promotion of Breastfeeding Intervention "
          "Trial (PROBIT): a randomized trial in the Republic of Belarus. JAMA. "
          "2001;285(4):413-20. doi:10.1001/jama.285.4.413")
MOON = ("Moon RY; Task Force on Sudden Infant Death Syndrome. SIDS and other sleep-related "
        "infant deaths: evidence base for 2016 updated recommendations for a safe infant sleeping "
        "environment. Pediatrics. 2016;138(5):e20162940. doi:10.1542/peds.2016-2940")
SANKAR = ("Sankar MJ, Sinha B, Chowdhury R, et al. Optimal breastfeeding practices and infant "
          "and child mortality: a systematic review and meta-analysis. Acta Paediatr. "
          "2015;104(467):3-13. doi:10.1111/apa.13147")
HORTA = ("Horta BL, Loret de Mola C, Victora CG. Long-term consequences of breastfeeding on "
         "cholesterol, obesity, systolic blood pressure and type 2 diabetes: a systematic review "
         "and meta-analysis. Acta Paediatr. 2015;104(467):30-7. doi:10.1111/apa.13133")
VANCOUVER = [VICTORA, ROLLINS, KRAMER, MOON, SANKAR, HORTA]

APA = [
    "Dennis, C.-L., & McQueen, K. (2009). The relationship between infant-feeding outcomes and "
    "postpartum depression: A qualitative systematic review. Pediatrics, 123(4), e736-e751. "
    "https://doi.org/10.1542/peds.2008-1629",
    "Kendall-Tackett, K. (2007). A new paradigm for depression in new mothers: The central role "
    "of inflammation and how breastfeeding and anti-inflammatory treatments protect maternal "
    "mental health. International Breastfeeding Journal, 2(1), 6. "
    "https://doi.org/10.1186/1746-4358-2-6",
    "Meek, J. Y., & Noble, L. (2022). Policy statement: Breastfeeding and the use of human milk. "
    "Pediatrics, 150(1), e2022057988. https://doi.org/10.1542/peds.2022-057988",
    "Pérez-Escamilla, R., Tomori, C., Hernández-Cordero, S., Baker, P., Barros, A. J. D., "
    "Bégin, F., Chapman, D. J., Grummer-Strawn, L. M., McCoy, D., Menon, P., Ribeiro Neves, P. "
    "A., Piwoz, E., Rollins, N., Victora, C. G., & Richter, L. (2023). Breastfeeding: Crucially "
    "important, but increasingly challenged in a market-driven world. The Lancet, 401(10375), "
    "472-485. https://doi.org/10.1016/S0140-6736(22)01932-8",
    "World Health Organization. (2017). Guideline: Protecting, promoting and supporting "
    "breastfeeding in facilities providing maternity and newborn services. World Health "
    "Organization.",
]
APA_FIRST_AUTHORS = ["Dennis", "Kendall-Tackett", "Meek", "Pérez-Escamilla",
                     "World Health Organization"]

UNDATED_PROSE = ("Exclusive breastfeeding for six months protects infants against "
                 "gastrointestinal infections. This half-day training reviews the evidence and "
                 "the practical support that midwives and nurses can offer in the first days "
                 "after birth.")
PROSE = UNDATED_PROSE + " Trainer: A. Martin, IBCLC. Date: 12 March 2026."


@dataclass
class Page:
    """Text drawn at given places: (x, y from the top edge, text, font size, font, the width
    the line is justified to or 0)."""

    texts: list[tuple[float, float, str, float, str, float]] = field(default_factory=list)
    rectangles: list[tuple[float, float, float, float]] = field(default_factory=list)

    def text(self, x: float, y: float, text: str, size: float = 10,
             font: str = "Helvetica", justify: float = 0) -> None:
        self.texts.append((x, y, text, size, font, justify))

    def paragraph(self, x: float, y: float, width: float, text: str, size: float = 10,
                  leading: float | None = None, hang: float = 0, font: str = "Helvetica",
                  justify: bool = False) -> float:
        """`text` wrapped to `width` from (x, y), continuation lines indented by `hang`, all
        lines but the last justified if asked; the y below it."""
        leading = leading or size * 1.2
        first = simpleSplit(text, font, size, width)[0]
        rest = text[len(first):].strip()
        lines = [(x, first, width), *((x + hang, line, width - hang) for line in (
            simpleSplit(rest, font, size, width - hang) if rest else []))]
        for index, (left, line, room) in enumerate(lines):
            self.text(left, y, line, size, font, room if justify and index < len(lines) - 1
                      else 0)
            y += leading
        return y


def write_pdf(pages: list[Page], encrypt: object = None, across: bool = False,
              compressed: bool = False) -> bytes:
    """The pages as a PDF; `across`: the text is written line by line across the page (both
    columns' lines at one height, then the next), as some PDF makers do, not column by
    column; `compressed`: each page's content stream encoded (ASCII85 over Flate)."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, encrypt=encrypt, invariant=True,
                        pageCompression=int(compressed))
    for page in pages:
        texts = sorted(page.texts, key=lambda t: (t[1], t[0])) if across else page.texts
        for x, y, text, size, font, justify in texts:
            line = pdf.beginText(x, HEIGHT - y)
            line.setFont(font, size)
            if justify and text.count(" "):
                spare = justify - pdfmetrics.stringWidth(text, font, size)
                line.setWordSpace(spare / text.count(" "))
            line.textLine(text)
            pdf.drawText(line)
        for x, y, w, h in page.rectangles:
            pdf.setFillGray(0.5)
            pdf.rect(x, HEIGHT - y - h, w, h, fill=1, stroke=0)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def numbered_list_after_prose(heading: str = "References") -> bytes:
    """A training brochure: a title, a paragraph of prose, then `heading` (none if "") and six
    numbered Vancouver references in one column."""
    page = Page()
    page.text(MARGIN, 60, "Supporting breastfeeding in the first week", 16, "Helvetica-Bold")
    y = page.paragraph(MARGIN, 100, WIDTH - 2 * MARGIN, PROSE, 11)
    if heading:
        page.text(MARGIN, y + 20, heading, 13, "Helvetica-Bold")
    y += 44
    for number, reference in enumerate(VANCOUVER, start=1):
        y = page.paragraph(MARGIN, y, WIDTH - 2 * MARGIN, f"{number}. {reference}", 10,
                           hang=14) + 4
    return write_pdf([page])


def two_column_references(gutter: float = 8) -> bytes:
    """A journal article's last page: a full-width title, a justified paragraph in the left
    column, then "References" and six numbered references running down the left column and
    on into the right one; lines of the two columns stand side by side, `gutter` points apart
    (8 pt), and are written across the page: pdfminer reads a line of each column as one."""
    page = Page()
    column = (WIDTH - 2 * MARGIN - gutter) / 2
    page.text(MARGIN, 50, "Breastfeeding and maternal health: a review of the evidence", 14,
              "Helvetica-Bold")
    y = page.paragraph(MARGIN, 90, column, PROSE, 8.5, 10.5, justify=True)
    page.text(MARGIN, y + 8, "References", 10, "Helvetica-Bold")
    y += 24
    x = MARGIN
    for number, reference in enumerate(VANCOUVER, start=1):
        if number == 4:  # the right column starts with reference 4, at the top
            x, y = MARGIN + column + gutter, 90
        y = page.paragraph(x, y, column, f"{number}. {reference}", 8.5, 10.5, hang=10,
                           justify=True) + 3
    return write_pdf([page], across=True)


def two_parts_around_a_full_width_line(heading: str = "References") -> bytes:
    """A page in two parts: prose in two columns, a full-width title across the gutter, then
    `heading` (none if "") and six references in two columns (1-3 left, 4-6 right)."""
    page = Page()
    column = (WIDTH - 2 * MARGIN - 18) / 2
    right = MARGIN + column + 18
    page.paragraph(MARGIN, 60, column, "Left column: " + PROSE, 8.5, 10.5)
    page.paragraph(right, 60, column, "Right column: " + PROSE, 8.5, 10.5)
    page.text(MARGIN, 150, "Key readings for midwives, nurses and lactation consultants who "
              "support mothers", 12, "Helvetica-Bold")
    if heading:
        page.text(MARGIN, 180, heading, 10, "Helvetica-Bold")
    y = 196.0
    for number, reference in enumerate(VANCOUVER, start=1):
        if number == 4:
            y = 180.0
        y = page.paragraph(MARGIN if number < 4 else right, y, column,
                           f"{number}. {reference}", 8.5, 10.5, hang=10) + 3
    return write_pdf([page])


def section_between_headings() -> bytes:
    """Two pages: a "Sources" heading over one citation, prose, then "References" (the last
    heading: the list) with two references; page 2 repeats "References" at its top, has a
    third reference, then "Appendix 1. Search strategy" and a citation-like line after it."""
    first, second = Page(), Page()
    first.text(MARGIN, 100, "Sources", 12, "Helvetica-Bold")
    first.paragraph(MARGIN, 120, WIDTH - 2 * MARGIN, f"1. {KRAMER}", 10, hang=14)
    y = first.paragraph(MARGIN, 170, WIDTH - 2 * MARGIN, PROSE, 10)
    first.text(MARGIN, y + 20, "References", 12, "Helvetica-Bold")
    y += 44
    for number, reference in enumerate([VICTORA, ROLLINS], start=1):
        y = first.paragraph(MARGIN, y, WIDTH - 2 * MARGIN, f"{number}. {reference}", 10, hang=14)
    second.text(MARGIN, 100, "References", 12, "Helvetica-Bold")
    y = second.paragraph(MARGIN, 124, WIDTH - 2 * MARGIN, f"3. {MOON}", 10, hang=14)
    second.text(MARGIN, y + 20, "Appendix 1. Search strategy", 12, "Helvetica-Bold")
    second.paragraph(MARGIN, y + 44, WIDTH - 2 * MARGIN, f"1. {SANKAR}", 10, hang=14)
    return write_pdf([first, second])


def numbered_list_then_a_box() -> bytes:
    """Three numbered references, then, after a gap, what a BMC article prints under its list:
    the article's own DOI and a "Cite this article as" box."""
    page = Page()
    page.text(MARGIN, 60, "References", 12, "Helvetica-Bold")
    y = 84.0
    for number, reference in enumerate([VICTORA, ROLLINS, KRAMER], start=1):
        y = page.paragraph(MARGIN, y, WIDTH - 2 * MARGIN, f"{number}. {reference}", 9, 11,
                           hang=14)
    page.text(MARGIN + 6, y + 14, "doi:10.1186/1472-6963-14-1", 8.5)
    page.paragraph(MARGIN + 6, y + 25, WIDTH - 2 * MARGIN - 12, "Cite this article as: Agyeman-"
                   "Duah et al.: Understanding the barriers to setting up a healthcare quality "
                   "improvement process in resource-limited settings. BMC Health Services "
                   "Research 2014, 14:1.", 8.5)
    return write_pdf([page])


def list_then_figure_pages() -> bytes:
    """A manuscript: a page of prose, then "References" with three author–year references
    ending half-way down the page, then a page of figure captions (dated, with a link)."""
    prose, references, figures = Page(), Page(), Page()
    y = 60.0
    while y < HEIGHT - 100:
        y = prose.paragraph(MARGIN, y, WIDTH - 2 * MARGIN, UNDATED_PROSE, 10) + 6
    references.text(MARGIN, 60, "References", 12, "Helvetica-Bold")
    y = 84.0
    for reference in APA[:3]:
        y = references.paragraph(MARGIN, y, WIDTH - 2 * MARGIN, reference, 10, 12, hang=18)
    figures.paragraph(MARGIN, 500, WIDTH - 2 * MARGIN, "Figure 1: Exclusive breastfeeding at "
                      "six months, 2010 to 2020 (World Health Organization, 2021). Source: "
                      "https://www.who.int/data/gho. The dashed line marks the 2025 target of "
                      "the World Health Assembly.", 10)
    return write_pdf([prose, references, figures])


def hanging_indent_apa() -> bytes:
    """An APA list without numbers: each entry's first line at the left margin, the others
    indented 18 pt, with no extra space between entries."""
    page = Page()
    page.text(MARGIN, 60, "Reference list", 12, "Helvetica-Bold")
    y = 90.0
    for reference in APA:
        y = page.paragraph(MARGIN, y, WIDTH - 2 * MARGIN, reference, 10, 12, hang=18)
    return write_pdf([page])


def spaced_apa() -> bytes:
    """An APA list without numbers or indents, entries told apart only by a blank space."""
    page = Page()
    page.text(MARGIN, 60, "Bibliography", 12, "Helvetica-Bold")
    y = 90.0
    for reference in APA:
        y = page.paragraph(MARGIN, y, WIDTH - 2 * MARGIN, reference, 10, 12) + 8
    return write_pdf([page])


def running_headers_three_pages() -> bytes:
    """Three pages, each with the journal's running header, a footer with the page number
    ("Page 2 of 3") and a centred page number; the references run over the pages, two each."""
    pages = []
    for number in range(1, 4):
        page = Page()
        page.text(MARGIN, 30, f"Journal of Human Lactation 2016; 32({number})", 8)
        page.text(WIDTH - MARGIN - 90, 30, "Breastfeeding review", 8)
        page.text(MARGIN, HEIGHT - 30, f"Page {number} of 3", 8)
        page.text(WIDTH / 2, HEIGHT - 45, str(number), 8)
        y = 80.0
        if number == 1:
            page.text(MARGIN, y, "References", 12, "Helvetica-Bold")
            y += 24
        for index in (2 * number - 1, 2 * number):
            y = page.paragraph(MARGIN, y, WIDTH - 2 * MARGIN,
                               f"{index}. {VANCOUVER[index - 1]}", 10, hang=14) + 4
        pages.append(page)
    return write_pdf(pages)


def hyphenated_word_and_broken_doi() -> bytes:
    """A numbered list where "breast-" ends a line (the word goes on as "feeding") and where
    DOIs are broken at line ends after their "/" and after a hyphen of their own."""
    page = Page()
    page.text(MARGIN, 60, "References", 12, "Helvetica-Bold")
    lines = ["1. Sankar MJ, Sinha B, Chowdhury R, et al. Optimal breast-",
             "feeding practices and infant and child mortality: a systematic review. Acta",
             "Paediatr. 2015;104(467):3-13. doi:10.1111/",
             "apa.13147",
             "2. Victora CG, Bahl R, Barros AJD, et al. Breastfeeding in the 21st century. Lancet.",
             "2016;387(10017):475-90. doi:10.1016/S0140-",
             "6736(15)01024-7"]
    for index, line in enumerate(lines):
        page.text(MARGIN + (0 if line[:2] in ("1.", "2.") else 14), 90 + 12 * index, line, 10)
    return write_pdf([page])


def ligature_fi(font_path: str) -> bytes:
    """A reference whose "fi" of "Benefits" and "first" are drawn as the ligature U+FB01."""
    pdfmetrics.registerFont(TTFont("Vera", font_path))
    page = Page()
    page.text(MARGIN, 60, "References", 12, "Vera")
    page.text(MARGIN, 90, "1. Smith J, Jones K. Bene\ufb01ts of breastfeeding in the \ufb01rst "
              "week. BMJ. 2019;365:l1234.", 10, "Vera")
    return write_pdf([page])


def scanned_page() -> bytes:
    """A page as a scanner leaves it: a picture of text (here a grey rectangle), no text."""
    page = Page()
    page.rectangles.append((MARGIN, 60, WIDTH - 2 * MARGIN, 600))
    return write_pdf([page])


def encrypted(user_password: str, owner_password: str = "owner") -> bytes:
    """The numbered brochure, encrypted (RC4 128-bit, as reportlab writes it)."""
    from reportlab.lib.pdfencrypt import StandardEncryption

    page = Page()
    page.text(MARGIN, 60, "References", 12, "Helvetica-Bold")
    y = 90.0
    for number, reference in enumerate(VANCOUVER[:3], start=1):
        y = page.paragraph(MARGIN, y, WIDTH - 2 * MARGIN, f"{number}. {reference}", 10, hang=14)
    return write_pdf([page], StandardEncryption(user_password, owner_password, strength=128))


def article_of_ten_pages() -> bytes:
    """A journal article of ten two-column pages, with a running header and page numbers:
    eight pages of prose (9 pt), then "References" and two pages of numbered references (8 pt)."""
    pages = []
    column = (WIDTH - 2 * MARGIN - 18) / 2
    number = 0
    for page_number in range(1, 11):
        page = Page()
        page.text(MARGIN, 30, "Journal of Human Lactation 2016; 32(3)", 8)
        page.text(WIDTH / 2, HEIGHT - 30, str(page_number), 8)
        for x in (MARGIN, MARGIN + column + 18):
            y = 60.0
            if page_number == 9 and x == MARGIN:
                page.text(x, y, "References", 10, "Helvetica-Bold")
                y += 20
            while y < HEIGHT - 80:
                if page_number < 9:
                    y = page.paragraph(x, y, column, PROSE, 9, 11) + 4
                    continue
                number += 1
                y = page.paragraph(x, y, column, f"{number}. {VANCOUVER[number % 6]}", 8, 9.6,
                                   hang=10) + 2
        pages.append(page)
    return write_pdf(pages)


def numbered_list_on_three_pages(damaged: tuple[int, ...] = ()) -> bytes:
    """"References" then two numbered references on each of three pages, the content stream
    of the pages numbered in `damaged` (from 1) scrambled, as a damaged download leaves it."""
    pages = []
    for number in range(3):
        page = Page()
        y = page.paragraph(MARGIN, 80, 480, "References", size=14) if number == 0 else 80.0
        for offset, text in enumerate(VANCOUVER[2 * number:2 * number + 2], start=1):
            y = page.paragraph(MARGIN, y + 4, 480, f"{2 * number + offset}. {text}")
        pages.append(page)
    raw = write_pdf(pages, compressed=True)
    streams = [m.end() for m in re.finditer(rb"(?<!end)stream\r?\n", raw)]
    for number in damaged:
        start = streams[number - 1] + 5
        end = raw.index(b"endstream", start) - 5
        raw = raw[:start] + bytes(byte ^ 0x5A for byte in raw[start:end]) + raw[end:]
    return raw


def text_without_character_map(lines: list[str]) -> bytes:
    """A one-page PDF written by hand whose font (Type0, Identity-H) has no ToUnicode map, as
    some PDF makers leave it: a viewer draws the text, but which letter each glyph is, is not
    said (pdfminer gives "(cid:82)")."""
    shown = b" ".join(b"<" + "".join(f"{ord(c):04x}" for c in line).encode() + b"> Tj T*"
                      for line in lines)
    content = b"BT /F1 11 Tf 14 TL 56 780 Td " + shown + b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R"
        b" >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /Sans /Encoding /Identity-H "
        b"/DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Sans /CIDSystemInfo << /Registry "
        b"(Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 7 0 R /DW 600 >>",
        b"<< /Type /FontDescriptor /FontName /Sans /Flags 4 /FontBBox [0 0 1000 1000] "
        b"/ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def table_of_levels(references: list[str], levels: list[str], *, numbers: bool = True,
                    level_first: bool = False, valign: str = "TOP", grid: bool = True,
                    studies: list[str] | None = None, intro: bool = True,
                    comments: list[str] | None = None) -> bytes:
    """A training's table of references with a level of evidence beside each, as a word
    processor lays it out: a title and a paragraph above it (`intro`), a number column, the
    level left or right of the reference, an optional "type of study" column, cells at the
    top or the middle of their rows, with or without a grid."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    body = ParagraphStyle("body", fontName="Helvetica", fontSize=8.5, leading=10.5)
    title = ParagraphStyle("title", fontName="Helvetica-Bold", fontSize=14, leading=18)
    head = ["N°"] * numbers + (["Niveau de preuve", "Référence"] if level_first
                               else ["Référence", *(["Type d'étude"] if studies else []),
                                     "Niveau de preuve"]) + ["Commentaire"] * bool(comments)
    rows = [[Paragraph(text, body) for text in head]]
    for n, reference in enumerate(references):
        cells = [str(n + 1)] * numbers
        cells += ([levels[n], reference] if level_first
                  else [reference, *([studies[n]] if studies else []), levels[n]])
        cells += [comments[n]] if comments else []
        rows.append([Paragraph(text, body) for text in cells])
    short = 3.2 if studies else 3.6
    widths = [0.9] * numbers + ([short, 11.0] if level_first
                                else [11.0 - (2.6 if studies else 0), *([2.6] if studies
                                                                        else []), short])
    if comments:  # the reference's column gives the comment its room
        widths = [w - 4.0 if w == max(widths) else w for w in widths] + [4.0]
    table = Table(rows, colWidths=[w * 28.35 for w in widths], repeatRows=1)
    style = [("VALIGN", (0, 0), (-1, -1), valign)]
    if grid:
        style.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
    table.setStyle(TableStyle(style))
    story = []
    if intro:
        story += [Paragraph("Formation : accompagnement de l'allaitement maternel", title),
                  Paragraph("Les références ci-dessous fondent le contenu de la formation ; "
                            "le niveau de preuve de chacune est indiqué selon la gradation "
                            "de la Haute Autorité de Santé (2013), de A (preuve scientifique "
                            "établie) à C (faible niveau de preuve).", body), Spacer(1, 8)]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, invariant=True).build([*story, table])
    return buffer.getvalue()
