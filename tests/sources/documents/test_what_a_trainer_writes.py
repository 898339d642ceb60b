"""What trainers put around their bibliography, found by an independent check of the readers:
a further-reading list after it, an annex whose heading has a year, footnotes beside dated
lines, a typed list longer than the works a reference manager cited, links whose words are
"Lien vers l'article"."""

from __future__ import annotations

import docx
import pytest

from auditor.errors import InputError
from auditor.sources import read_path
from auditor.sources.documents import read_document

from . import pdf_fixtures as fixtures_pdf
from .docx_fixtures import (
    KRAMER,
    KRAMER_ITEM,
    ROLLINS,
    VICTORA,
    VICTORA_ITEM,
    add_field,
    add_hyperlink,
    to_bytes,
    with_endnotes,
    zotero_citation,
)
from .pdf_fixtures import MARGIN, Page, write_pdf

LAWRENCE = "Lawrence RA, Lawrence RM. Breastfeeding: a guide for the medical profession. " \
           "9th ed. Philadelphia: Elsevier; 2021."


def word(*blocks: tuple[str, str | None]) -> bytes:
    """A Word file of (text, style) paragraphs; a style "Heading 1" makes a heading."""
    document = docx.Document()
    for text, style in blocks:
        if style == "Heading 1":
            document.add_heading(text, 1)
        else:
            document.add_paragraph(text, style=style)
    return to_bytes(document)


def authors(raw: bytes, fmt: str = "docx") -> list[str]:
    return [r.first_author_family for r in read_document(raw, f"x.{fmt}", fmt).references]


def test_a_further_reading_list_after_the_bibliography_carries_it_on():
    raw = word(("Bibliographie", "Heading 1"), (VICTORA, None), (KRAMER, None),
               ("Pour aller plus loin", "Heading 1"), (LAWRENCE, None))
    assert authors(raw) == ["Victora", "Kramer", "Lawrence"]


def further_reading_pdf(between: float, gap: float, after: float, lawrence: str) -> bytes:
    """A numbered "Bibliographie" of two references `between` points apart, then "Pour aller
    plus loin" `gap` points below it and the entry `lawrence` `after` points below that."""
    page = Page()
    y = page.paragraph(MARGIN, 80, 480, "Bibliographie", size=14)
    for text in (f"1. {VICTORA}", f"2. {KRAMER}"):
        y = page.paragraph(MARGIN, y + between, 480, text)
    y = page.paragraph(MARGIN, y + gap, 480, "Pour aller plus loin", size=14)
    page.paragraph(MARGIN, y + after, 480, lawrence)
    return write_pdf([page])


def test_a_further_reading_list_after_the_bibliography_carries_it_on_in_a_pdf():
    raw = further_reading_pdf(6, 14, 6, f"3. {LAWRENCE}")
    assert authors(raw, "pdf") == ["Victora", "Kramer", "Lawrence"]


@pytest.mark.parametrize("style", ["Heading 1", None], ids=["heading", "bold-line"])
def test_an_annex_whose_heading_holds_a_year_ends_the_list(style):
    raw = word(("Bibliographie :", style), (VICTORA, None), (KRAMER, None),
               ("Annexe 1 : Calendrier 2024", style), ("Session 1 : 12-14 mars 2024, Lyon.", None))
    assert authors(raw) == ["Victora", "Kramer"]


def test_footnotes_are_the_list_rather_than_two_dated_lines_at_the_end():
    raw = word(("Le peau à peau favorise la mise au sein.", None),
               ("Document rédigé par l'équipe pédagogique, mis à jour en mars 2024.", None),
               ("© Association Allaiter Ensemble, Lyon, 2023.", None))
    assert authors(with_endnotes(raw, [VICTORA, KRAMER, ROLLINS])) == [
        "Victora", "Kramer", "Rollins"]


def test_a_typed_list_longer_than_the_cited_works_is_the_list():
    document = docx.Document()
    add_field(document.add_paragraph("Protège "), zotero_citation(VICTORA_ITEM), "(1)")
    add_field(document.add_paragraph("Dure "), zotero_citation(KRAMER_ITEM), "(2)")
    document.add_heading("Bibliographie", 1)
    for text in (VICTORA, KRAMER, ROLLINS):  # Rollins is listed but never cited
        document.add_paragraph(text)
    assert authors(to_bytes(document)) == ["Victora", "Kramer", "Rollins"]


def test_the_words_of_a_doi_link_are_no_part_of_the_citation():
    document = docx.Document()
    document.add_heading("Bibliographie", 1)
    paragraph = document.add_paragraph("HORTA BL, LORET DE MOLA C, VICTORA CG. Long-term "
                                       "consequences of breastfeeding. Acta Paediatrica, 2015, "
                                       "vol. 104, n° 467, p. 30-37. ")
    add_hyperlink(paragraph, "https://doi.org/10.1111/apa.13139", "Lien vers l'article")
    (reference,) = read_document(to_bytes(document), "x.docx", "docx").references
    assert reference.doi == "10.1111/apa.13139"
    assert "Lien" not in reference.raw and reference.pages == "30-37"


def test_a_word_file_locked_by_a_password_says_so(tmp_path):
    # Word keeps an encrypted .docx in the old compound-file container, as "EncryptedPackage"
    path = tmp_path / "locked.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512
                     + "EncryptedPackage".encode("utf-16-le") + b"\0" * 512)
    with pytest.raises(InputError, match="protected by a password"):
        read_path(path)


def test_forcing_a_text_format_on_a_document_says_to_leave_it_out(tmp_path):
    path = tmp_path / "brochure.docx"
    path.write_bytes(word(("References", "Heading 1"), (VICTORA, None)))
    with pytest.raises(InputError, match="leave --input-format out"):
        read_path(path, "text")


def test_every_frame_has_the_page_column(tmp_path):
    import auditor

    path = tmp_path / "brochure.docx"
    path.write_bytes(word(("References", "Heading 1"), (VICTORA, None)))
    frame = auditor.audit(path, offline=True).to_frame()
    assert frame["source.page"].isna().all() and frame["source.line"].tolist() == [2]


def test_a_damaged_zotero_field_is_reported_where_it_stands():
    document = docx.Document()
    add_field(document.add_paragraph("Protège "), zotero_citation(VICTORA_ITEM), "(1)")
    add_field(document.add_paragraph("Dure "), zotero_citation(KRAMER_ITEM)[:80], "(2)")
    read = read_document(to_bytes(document), "x.docx", "docx")
    assert [r.first_author_family for r in read.references] == ["Victora"]
    (problem,) = read.problems
    assert problem.finding.code == "I001" and problem.source.line == 2
    assert "damaged" in problem.finding.message


def test_forcing_another_document_format_names_what_the_file_is(tmp_path):
    path = tmp_path / "brochure.docx"
    path.write_bytes(word(("References", "Heading 1"), (VICTORA, None)))
    with pytest.raises(InputError, match="a Word document, not a PDF as --input-format says"):
        read_path(path, "pdf")


@pytest.mark.parametrize(("name", "content", "said"), [
    ("empty.pdf", b"", "empty file"),
    ("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
     r"an old Word document \(\.doc\)"),
])
def test_an_empty_or_renamed_file_says_what_it_is(tmp_path, name, content, said):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=said):
        read_path(path)


def test_a_heading_over_nothing_says_the_list_holds_no_reference():
    raw = word(("Bibliographie", "Heading 1"), ("À venir.", None))
    with pytest.raises(InputError, match="holds no reference that can be read"):
        read_document(raw, "x.docx", "docx")


def test_a_further_reading_list_after_a_gap_in_a_pdf_is_read():
    assert authors(further_reading_pdf(2, 40, 20, LAWRENCE), "pdf") == [
        "Victora", "Kramer", "Lawrence"]


def test_a_sidebar_beside_the_references_is_read_apart_from_them():
    # a handout's grey box of short lines on the left, the references on the right
    page = Page()
    for n, line in enumerate(["À retenir", "Allaitement exclusif", "jusqu'à 6 mois (OMS).",
                              "Tétées : 8 à 12 par 24 h.", "Consultation IBCLC :",
                              "04 78 00 00 00", "Mise à jour : mars 2024."]):
        page.text(MARGIN, 80 + 13 * n, line, size=9)
    y = page.paragraph(220, 80, 330, "Références", size=12)
    for text in (f"1. {VICTORA}", f"2. {KRAMER}", f"3. {ROLLINS}"):
        y = page.paragraph(220, y + 4, 330, text, size=9)
    read = read_document(write_pdf([page]), "handout.pdf", "pdf")
    assert [r.first_author_family for r in read.references] == ["Victora", "Kramer", "Rollins"]
    assert not any("retenir" in r.raw or "IBCLC" in r.raw or "mars 2024" in r.raw
                   for r in read.references)


def test_a_level_of_evidence_column_beside_each_reference_stays_with_its_row():
    # "N° | Référence | Niveau de preuve": the level, at the height of its row's first line,
    # belongs to that row's reference, as in a Word table; the page number below is no cell
    page = Page()
    page.text(MARGIN, 70, "Tableau 2. Références et niveaux de preuve", size=12)
    page.text(MARGIN, 95, "N°", size=9)
    page.text(MARGIN + 30, 95, "Référence", size=9)
    page.text(440, 95, "Niveau de preuve", size=9)
    levels = ["Grade A (niveau 2)", "Accord d'experts", "Grade B (niveau 1)", "Grade C"]
    y = 112.0
    for number, (text, level) in enumerate(zip((VICTORA, KRAMER, ROLLINS, LAWRENCE), levels,
                                               strict=True), start=1):
        page.text(MARGIN, y, str(number), size=8.5)
        page.text(440, y, level, size=8.5)
        y = page.paragraph(MARGIN + 30, y, 340, text, size=8.5, leading=10.5) + 5
    page.text(280, 800, "Page 1", size=8)
    read = read_document(write_pdf([page]), "niveaux.pdf", "pdf")
    assert [r.first_author_family for r in read.references] == [
        "Victora", "Kramer", "Rollins", "Lawrence"]
    for reference, level in zip(read.references, levels, strict=True):
        assert reference.raw.endswith(level), reference.raw
        assert not any(other in reference.raw for other in levels if other != level)
    assert [r.year for r in read.references] == [2016, 2012, 2016, 2021]


def test_a_short_second_column_of_references_is_still_a_column():
    # the last page of an article: three references at the top of the right-hand column,
    # at the heights of lines of the left one, are references, not a table's cells
    page = Page()
    page.text(MARGIN, 60, "References", size=12)
    y = 80.0
    for number, text in enumerate((VICTORA, KRAMER, ROLLINS, LAWRENCE, VICTORA), start=1):
        y = page.paragraph(MARGIN, y, 230, f"{number}. {text}", size=8.5, leading=10) + 4
    y = 80.0
    for number, text in enumerate((KRAMER, ROLLINS, LAWRENCE), start=6):
        y = page.paragraph(310, y, 230, f"{number}. {text}", size=8.5, leading=10) + 4
    read = read_document(write_pdf([page]), "article.pdf", "pdf")
    assert [r.first_author_family for r in read.references] == [
        "Victora", "Kramer", "Rollins", "Lawrence", "Victora", "Kramer", "Rollins", "Lawrence"]


TABLE_REFERENCES = [VICTORA, KRAMER, ROLLINS, LAWRENCE]
TABLE_LEVELS = ["Grade A (niveau 1)", "Accord d'experts", "Grade B (niveau 2)",
                "Grade C (niveau 4)"]


@pytest.mark.parametrize("layout", [
    {"valign": "MIDDLE"}, {"valign": "MIDDLE", "numbers": False},
    {"level_first": True}, {"valign": "MIDDLE", "grid": False, "numbers": False},
    {"intro": False, "grid": False},
], ids=["centred cells", "centred, no numbers", "level on the left", "no grid, centred",
        "no grid, no title"])
def test_each_level_of_a_table_stays_with_its_reference_whatever_the_layout(layout):
    # found by an independent check: a title and a paragraph above the table, cells centred
    # in their rows, the level left of the reference
    raw = fixtures_pdf.table_of_levels(TABLE_REFERENCES, TABLE_LEVELS, **layout)
    read = read_document(raw, "niveaux.pdf", "pdf")
    assert [r.first_author_family for r in read.references] == [
        "Victora", "Kramer", "Rollins", "Lawrence"]
    for reference, level in zip(read.references, TABLE_LEVELS, strict=True):
        assert reference.raw.endswith(level), reference.raw
    assert [r.year for r in read.references] == [2016, 2012, 2016, 2021]
    if layout.get("numbers", True):
        assert [r.key for r in read.references] == ["1", "2", "3", "4"]


def test_a_type_of_study_column_and_a_level_column_stay_apart_and_with_their_row():
    studies = ["Revue systématique", "Revue Cochrane", "Revue narrative", "Ouvrage de référence"]
    raw = fixtures_pdf.table_of_levels(TABLE_REFERENCES, TABLE_LEVELS, studies=studies,
                                       valign="MIDDLE")
    read = read_document(raw, "niveaux.pdf", "pdf")
    assert [r.first_author_family for r in read.references] == [
        "Victora", "Kramer", "Rollins", "Lawrence"]
    for reference, study, level in zip(read.references, studies, TABLE_LEVELS, strict=True):
        assert reference.raw.endswith(f"{study} {level}"), reference.raw


OMS = ("Organisation mondiale de la Santé. Allaitement au sein [Internet]. Genève : OMS ; 2023 "
       "[cité le 12 mars 2024]. Disponible sur : https://www.who.int/fr/health-topics/"
       "breastfeeding")
SFP = ("Société française de pédiatrie. Allaitement maternel : guide pratique à l'usage des "
       "professionnels de santé. Paris : SFP ; 2019.")


def test_the_citations_ending_a_word_file_leave_its_dated_prose_out():
    # no heading: the list is the citations that end the document; the paragraph of prose
    # before them has a year but is no reference, the French bodies' references are
    raw = word(("Fiche pratique : le peau-à-peau en salle de naissance", "Heading 1"),
               ("Le peau-à-peau précoce favorise la première tétée. Il doit être proposé à "
                "toutes les dyades. La surveillance du nouveau-né est indispensable. Cette "
                "fiche a été relue par le groupe de travail en 2023.", None),
               (OMS, None), (SFP, None), (VICTORA, None), (KRAMER, None))
    read = read_document(raw, "fiche.docx", "docx")
    assert [r.authors[0] for r in read.references] == [
        "Organisation mondiale de la Santé", "Société française de pédiatrie", "Victora, CG",
        "Kramer, MS"]


@pytest.mark.parametrize("note", [
    "Document validé par le comité pédagogique le 12 mars 2024",
    "Mise à jour : février 2024",
    "Dernière mise à jour : 3 janvier 2025.",
    "Reviewed by the education board, May 2024."])
def test_a_dated_note_on_the_document_under_its_list_is_no_reference(note):
    raw = word(("Bibliographie", "Heading 1"), (VICTORA, None), (KRAMER, None), (note, None))
    assert authors(raw) == ["Victora", "Kramer"]
    page = (f"<html><body><h2>Références</h2><ol><li>{VICTORA}</li><li>{KRAMER}</li></ol>"
            f"<p>{note}</p></body></html>").encode()
    assert authors(page, "html") == ["Victora", "Kramer"]


def test_a_comment_column_of_several_lines_stays_with_its_row():
    comments = ["Série du Lancet. Modélisation des effets de l'allaitement à l'échelle "
                "mondiale ; chiffres repris dans la séance 1.",
                "Revue Cochrane : la durée optimale de l'allaitement exclusif est de six mois.",
                "Revue de la série du Lancet, citée pour les politiques de soutien.",
                "Ouvrage de référence pour la pratique clinique ; chapitres 4 à 7."]
    for numbers in (True, False):
        raw = fixtures_pdf.table_of_levels(TABLE_REFERENCES, TABLE_LEVELS, comments=comments,
                                           numbers=numbers)
        read = read_document(raw, "niveaux.pdf", "pdf")
        assert [r.first_author_family for r in read.references] == [
            "Victora", "Kramer", "Rollins", "Lawrence"]
        for reference, level, comment in zip(read.references, TABLE_LEVELS, comments,
                                             strict=True):
            assert reference.raw.endswith(f"{level} {comment}"), reference.raw


def test_what_follows_a_note_on_the_document_is_no_reference():
    raw = word(("Bibliographie", "Heading 1"), (VICTORA, None), (KRAMER, None),
               ("Document validé par le comité de lactation le 12 mars 2024.", None),
               ("Dr Claire Martin, sage-femme coordinatrice. Version 3 du 12/03/2024, "
                "prochaine révision en mars 2027.", None),
               ("Diffusion : CHU de Toulouse, pôle Femme-Mère-Couple, 2024.", None))
    assert authors(raw) == ["Victora", "Kramer"]
