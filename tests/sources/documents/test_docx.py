"""The Word reader, on documents written by code the way Word, Zotero, Mendeley and EndNote
write them."""

from __future__ import annotations

import json

import pytest

from auditor.cli import main
from auditor.errors import InputError
from auditor.sources import read_path
from auditor.sources.documents import read_document
from auditor.sources.documents.docx import extract_docx

from .docx_fixtures import (
    KRAMER,
    KRAMER_ITEM,
    ROLLINS,
    VICTORA,
    VICTORA_ITEM,
    add_content_control,
    add_field,
    add_hyperlink,
    add_tracked,
    delete_paragraph,
    docx,
    endnote_citation,
    mendeley_citation,
    mendeley_cite_tag,
    to_bytes,
    with_endnotes,
    zotero_citation,
)

PROSE = ("Exclusive breastfeeding for six months has been recommended by the WHO since 2001; "
         "in 2016 the Lancet series gathered the evidence.")


def read(document, name: str = "training.docx"):
    return read_document(to_bytes(document) if not isinstance(document, bytes) else document,
                         name, "docx")


def typed(heading: str = "References", items=(VICTORA, ROLLINS, KRAMER), style=None):
    document = docx.Document()
    document.add_heading("Breastfeeding support: a one-day training", 0)
    document.add_paragraph(PROSE)
    document.add_heading(heading, 1)
    for text in items:
        document.add_paragraph(text, style=style)
    return document


def test_the_typed_list_under_a_references_heading_is_read_and_the_prose_is_not():
    read_ = read(typed())
    assert [r.first_author_family for r in read_.references] == ["Victora", "Rollins", "Kramer"]
    assert [r.year for r in read_.references] == [2016, 2016, 2012]
    assert read_.references[0].container == "Lancet"
    assert not read_.problems


def test_a_french_heading_opens_the_list_and_an_annex_closes_it():
    document = typed("Bibliographie", (VICTORA, KRAMER))
    document.add_heading("Annexe 1", 1)
    document.add_paragraph("Grille d'évaluation remplie par 12 stagiaires en 2023, 2024.")
    assert [r.first_author_family for r in read(document).references] == ["Victora", "Kramer"]


def test_word_automatic_numbers_are_written_out_as_the_keys():
    document = typed(items=(VICTORA, ROLLINS, KRAMER), style="List Number")
    # the numbers Word shows are in no paragraph's text
    assert not any(p.text[:1].isdigit() for p in document.paragraphs)
    lines = [text for text, _ in extract_docx(to_bytes(document), "x.docx").lines if text]
    assert [line[:3] for line in lines] == ["1. ", "2. ", "3. "]
    read_ = read(document)
    assert [r.key for r in read_.references] == ["1", "2", "3"]
    assert [r.first_author_family for r in read_.references] == ["Victora", "Rollins", "Kramer"]
    # the number was not in the paragraph's text: the title is read whole
    assert read_.references[2].title.startswith("Optimal duration")


def test_a_list_that_ends_the_document_is_read_without_a_heading():
    document = docx.Document()
    document.add_paragraph(PROSE)
    document.add_paragraph("Twelve midwives took part.")
    for text in (VICTORA, KRAMER):
        document.add_paragraph(text)
    assert [r.first_author_family for r in read(document).references] == ["Victora", "Kramer"]


def test_zotero_fields_are_read_as_their_items_once_each():
    document = docx.Document()
    first = document.add_paragraph("Breastfeeding protects children ")
    add_field(first, zotero_citation(VICTORA_ITEM), "(1)", split=40)
    document.add_paragraph(PROSE)
    second = document.add_paragraph("and is rarely long enough ")
    add_field(second, zotero_citation(VICTORA_ITEM, KRAMER_ITEM), "(1,2)", split=40)
    document.add_heading("References", 1)
    bibliography = document.add_paragraph()
    add_field(bibliography, ' ADDIN ZOTERO_BIBL {"uncited":[],"omitted":[],"custom":[]} '
              "CSL_BIBLIOGRAPHY ", "1. Victora CG, Bahl R. Breastfeeding in the 21st century.")
    read_ = read(document)
    assert [r.doi for r in read_.references] == ["10.1016/s0140-6736(15)01024-7",
                                                 "10.1002/14651858.cd003517.pub2"]
    assert read_.references[0].first_author_family == "Victora"
    assert read_.references[1].year == 2012
    # each where it is first cited: paragraphs 1 and 3
    assert [r.source.line for r in read_.references] == [1, 3]


def test_mendeley_desktop_and_mendeley_cite_citations_are_read():
    document = docx.Document()
    add_field(document.add_paragraph("Text "), mendeley_citation(KRAMER_ITEM), "(Kramer 2012)")
    add_content_control(document, mendeley_cite_tag(VICTORA_ITEM), "(Victora 2016)")
    dois = {r.doi for r in read(document).references}
    assert dois == {"10.1002/14651858.cd003517.pub2", "10.1016/s0140-6736(15)01024-7"}


def test_an_endnote_citation_field_gives_its_record():
    document = docx.Document()
    add_field(document.add_paragraph("As shown "), endnote_citation(
        "10.1016/S0140-6736(15)01024-7", "Breastfeeding in the 21st century", "Victora, C. G.",
        2016), "(Victora 2016)")
    (reference,) = read(document).references
    assert (reference.doi, reference.year, reference.first_author_family) == (
        "10.1016/s0140-6736(15)01024-7", 2016, "Victora")


def test_a_doi_link_and_a_pubmed_link_give_their_identifiers():
    document = typed(items=())
    with_doi = document.add_paragraph(VICTORA + " ")
    add_hyperlink(with_doi, "https://doi.org/10.1016/S0140-6736(15)01024-7", "Full text")
    with_pmid = document.add_paragraph(KRAMER + " ")
    add_hyperlink(with_pmid, "https://pubmed.ncbi.nlm.nih.gov/22895934/", "PubMed")
    victora, kramer = read(document).references
    assert victora.doi == "10.1016/s0140-6736(15)01024-7"
    assert kramer.pmid == "22895934" and kramer.doi is None


def test_tracked_changes_read_as_accepted():
    document = typed(items=())
    paragraph = document.add_paragraph("Kramer MS, Kakuma R. Optimal duration of exclusive "
                                       "breastfeeding. Cochrane Database Syst Rev. ")
    add_tracked(paragraph, inserted="2012;(8):CD003517.", deleted="2002;(1):CD003517.")
    (reference,) = read(document).references
    assert reference.year == 2012
    assert "2002" not in reference.raw


def test_a_paragraph_deleted_in_tracked_changes_is_gone_and_counts_no_line():
    # accepted, the reviewer's deletion leaves neither the citation nor its paragraph: the
    # reference after it stands on the paragraph it has once the change is accepted
    document = typed(items=())
    delete_paragraph(document.add_paragraph(VICTORA))
    document.add_paragraph(KRAMER)
    accepted = typed(items=())
    accepted.add_paragraph(KRAMER)
    (reference,) = read(document).references
    assert reference.first_author_family == "Kramer"
    assert reference.source.line == read(accepted).references[0].source.line


def test_a_table_row_reads_number_reference_then_level_whatever_the_columns_order():
    # "N° | Niveau de preuve | Référence | Commentaire": the level is no first author
    document = typed(items=())
    table = document.add_table(rows=0, cols=4)
    for number, level, text in (("1", "Grade A (niveau 1)", VICTORA), ("2", "AE", KRAMER)):
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = number, level, text
        cells[3].text = "Cité en séance 2."
    read_ = read(document)
    assert [r.first_author_family for r in read_.references] == ["Victora", "Kramer"]
    assert [r.key for r in read_.references] == ["1", "2"]
    assert read_.references[0].raw.endswith("Grade A (niveau 1) Cité en séance 2.")


def test_each_row_of_a_table_is_one_reference():
    document = typed(items=())
    table = document.add_table(rows=0, cols=2)
    for number, text in (("1", VICTORA), ("2", KRAMER)):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = number, text
    read_ = read(document)
    assert [r.first_author_family for r in read_.references] == ["Victora", "Kramer"]
    assert [r.key for r in read_.references] == ["1", "2"]


def test_endnotes_hold_the_references_when_the_body_has_no_list():
    document = docx.Document()
    document.add_paragraph(PROSE)
    raw = with_endnotes(to_bytes(document), [VICTORA, KRAMER])
    read_ = read(raw)
    assert [r.first_author_family for r in read_.references] == ["Victora", "Kramer"]
    assert [r.key for r in read_.references] == ["1", "2"]


def test_a_document_without_references_says_so(tmp_path):
    document = docx.Document()
    document.add_paragraph("Programme of the day: welcome, workshops, lunch.")
    with pytest.raises(InputError, match="no reference"):
        read(document)


@pytest.mark.parametrize(("content", "said"), [
    pytest.param(b"PK\x03\x04 truncated", "not a readable Word document", id="truncated"),
    pytest.param(b"Victora CG. Breastfeeding. Lancet. 2016.", "not a Word document",
                 id="text-renamed"),
])
def test_a_broken_word_file_is_one_clear_line(tmp_path, content, said):
    path = tmp_path / "syllabus.docx"
    path.write_bytes(content)
    with pytest.raises(InputError, match=said) as raised:
        read_path(path)
    assert "syllabus.docx" in str(raised.value) and "\n" not in str(raised.value)


def test_a_word_file_cut_in_half_is_one_clear_line(tmp_path):
    raw = to_bytes(typed())
    path = tmp_path / "half.docx"
    path.write_bytes(raw[:len(raw) // 2])
    with pytest.raises(InputError, match=r"half\.docx: not a readable Word document"):
        read_path(path)


def test_an_old_doc_or_an_odt_is_told_to_be_saved_as_docx(tmp_path):
    path = tmp_path / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(InputError, match=r"save it as a Word document \(\.docx\)"):
        read_path(path)


def test_a_docx_is_found_by_its_content_whatever_its_name(tmp_path):
    path = tmp_path / "syllabus.bin"
    path.write_bytes(to_bytes(typed()))
    assert len(read_path(path).references) == 3


def test_the_command_audits_a_word_document(tmp_path, capsys):
    path = tmp_path / "training.docx"
    path.write_bytes(to_bytes(typed(style="List Number")))
    out = tmp_path / "report.json"
    code = main(["check", str(path), "--offline", "--format", "json", "-o", str(out)])
    assert code not in (2, 3), capsys.readouterr().err
    report = json.loads(out.read_text())
    assert [r["key"] for r in report["references"]] == ["1", "2", "3"]
    assert report["references"][0]["source"]["file"] == str(path)


def test_an_entry_wrongly_in_a_heading_style_does_not_end_the_list():
    document = typed(items=(VICTORA,))
    document.add_heading(ROLLINS, 1)
    document.add_paragraph(KRAMER)
    assert [r.first_author_family for r in read(document).references] == ["Victora", "Rollins",
                                                                         "Kramer"]


def test_under_its_heading_a_plain_dated_entry_is_a_reference_and_a_thank_you_is_not():
    document = typed(items=("Odent M, The Scientification of Love (London: Free Association "
                            "Books, 1999)", "The author thanks the midwives of Lyon for their "
                            "patience."))
    read_ = read(document)
    assert [(r.first_author_family, r.year) for r in read_.references] == [("Odent", 1999)]
    assert not read_.problems


def test_items_cited_through_mendeley_are_keyed_by_their_order_of_first_citation():
    document = docx.Document()
    add_field(document.add_paragraph("One "), mendeley_citation(KRAMER_ITEM), "(1)")
    add_field(document.add_paragraph("Two "), mendeley_citation(VICTORA_ITEM), "(2)")
    # Mendeley calls the first item of every citation "ITEM-1"
    assert [(r.key, r.first_author_family) for r in read(document).references] == [
        ("1", "Kramer"), ("2", "Victora")]
