"""The PDF reader (sources/documents/pdf.py), on small PDFs written by `pdf_fixtures`: the
brochures and article pages health professionals receive their bibliographies in."""

from __future__ import annotations

import json
import re
import time

import pytest
from conftest import SHARED

from auditor.errors import InputError
from auditor.sources.documents import read_document
from auditor.sources.documents.pdf import extract_pdf
from auditor.sources.documents.pdf_layout import normalised

from . import pdf_fixtures as fixtures

VANCOUVER_FIRST_AUTHORS = ["Victora, CG", "Rollins, NC", "Kramer, MS", "Moon, RY", "Sankar, MJ",
                           "Horta, BL"]
VANCOUVER_YEARS = [2016, 2016, 2001, 2016, 2015, 2015]


def read(raw: bytes, name: str = "brochure.pdf"):
    return read_document(raw, name, "pdf")


def first_authors(references) -> list[str]:
    return [r.authors[0] if r.authors else "" for r in references]


def texts(raw: bytes) -> list[str]:
    return [text for text, _ in extract_pdf(raw, "x.pdf").lines]


def test_a_numbered_list_after_a_references_heading_is_read_and_the_prose_before_is_not():
    references = read(fixtures.numbered_list_after_prose()).references
    assert [r.key for r in references] == ["1", "2", "3", "4", "5", "6"]
    assert first_authors(references) == VANCOUVER_FIRST_AUTHORS
    assert [r.year for r in references] == VANCOUVER_YEARS
    assert references[0].doi == "10.1016/s0140-6736(15)01024-7"
    # The course's paragraph (dated 2026, with its trainer) is before the heading: not read.
    lines = texts(fixtures.numbered_list_after_prose())
    assert not any("Exclusive breastfeeding" in line or "Trainer" in line for line in lines)
    assert lines[0].startswith("1. Victora CG")


def test_without_a_heading_the_whole_text_is_handed_on_and_the_prose_skipped():
    raw = fixtures.numbered_list_after_prose(heading="")
    assert texts(raw)[0] == "Supporting breastfeeding in the first week"
    references = read(raw).references
    assert first_authors(references) == VANCOUVER_FIRST_AUTHORS  # not the 2026 course


def test_two_columns_are_read_left_column_then_right_and_never_glued():
    raw = fixtures.two_column_references()
    references = read(raw).references
    assert [r.key for r in references] == ["1", "2", "3", "4", "5", "6"]
    assert first_authors(references) == VANCOUVER_FIRST_AUTHORS
    assert [r.doi for r in references][2:4] == ["10.1001/jama.285.4.413",
                                                "10.1542/peds.2016-2940"]
    lines = texts(raw)
    # pdfminer reads "…protects infants against" (left) and "4. Moon RY…" (right, at the same
    # height, 8 pt away) as one line; they are two, each in its own column.
    assert "4. Moon RY; Task Force on Sudden Infant Death Syndrome." in lines
    assert not any("against" in line and "Moon" in line for line in lines)
    assert lines.index("doi:10.1001/jama.285.4.413") < lines.index(
        "4. Moon RY; Task Force on Sudden Infant Death Syndrome.")


def test_a_full_width_line_parts_the_page_and_each_part_is_read_column_by_column():
    lines = texts(fixtures.two_parts_around_a_full_width_line(heading=""))
    starts = [next(i for i, line in enumerate(lines) if line.startswith(start)) for start in (
        "Left column:", "Right column:", "Key readings for midwives", "1. Victora", "3. Kramer",
        "4. Moon", "6. Horta")]
    assert starts == sorted(starts)
    references = read(fixtures.two_parts_around_a_full_width_line()).references
    assert first_authors(references) == VANCOUVER_FIRST_AUTHORS


def test_a_one_column_page_keeps_its_lines_whole_and_in_order():
    lines = texts(fixtures.numbered_list_after_prose())
    assert lines[:2] == [
        "1. Victora CG, Bahl R, Barros AJD, et al. Breastfeeding in the 21st century: "
        "epidemiology, mechanisms, and",
        "lifelong effect. Lancet. 2016;387(10017):475-90. doi:10.1016/S0140-6736(15)01024-7"]


def test_an_apa_list_with_hanging_indents_is_split_at_each_first_line():
    raw = fixtures.hanging_indent_apa()
    extracted = extract_pdf(raw, "apa.pdf")
    assert [text for text, _ in extracted.lines].count("") == len(fixtures.APA) - 1
    references = read(raw).references
    assert len(references) == 5
    assert [a.split(",")[0] for a in first_authors(references)] == fixtures.APA_FIRST_AUTHORS
    assert [r.year for r in references] == [2009, 2007, 2022, 2023, 2017]
    assert references[3].doi == "10.1016/s0140-6736(22)01932-8"


def test_an_apa_list_without_indents_is_split_at_the_gaps_between_entries():
    references = read(fixtures.spaced_apa()).references
    assert [a.split(",")[0] for a in first_authors(references)] == fixtures.APA_FIRST_AUTHORS
    assert [r.year for r in references] == [2009, 2007, 2022, 2023, 2017]


def test_running_headers_footers_and_page_numbers_are_dropped():
    raw = fixtures.running_headers_three_pages()
    lines = texts(raw)
    assert not any("Journal of Human Lactation" in line or "Breastfeeding review" in line
                   for line in lines)
    assert not any(line.startswith("Page ") or line.isdigit() for line in lines)
    references = read(raw).references
    assert first_authors(references) == VANCOUVER_FIRST_AUTHORS
    assert not any("Lactation" in r.raw for r in references)


def test_each_reference_has_its_page_and_its_line_in_the_document():
    # Lines are counted over every page, header and page numbers included: page 1 holds the
    # header (1), "References" (2), references 1 (3-4) and 2 (5-6), "1" and "Page 1 of 3"
    # (7-8); page 2 starts with its header (9).
    references = read(fixtures.running_headers_three_pages()).references
    assert [(r.source.page, r.source.line) for r in references] == [
        (1, 3), (1, 5), (2, 10), (2, 12), (3, 18), (3, 20)]
    assert {r.source.file for r in references} == {"brochure.pdf"}


def test_a_word_hyphenated_at_a_line_end_is_rejoined_and_a_broken_doi_kept_whole():
    references = read(fixtures.hyphenated_word_and_broken_doi()).references
    assert "Optimal breastfeeding practices" in references[0].raw
    assert references[0].doi == "10.1111/apa.13147"  # broken after "10.1111/"
    assert references[1].doi == "10.1016/s0140-6736(15)01024-7"  # broken after "S0140-"


def test_the_fi_ligature_is_read_as_two_letters():
    lines = texts(fixtures.ligature_fi("Vera.ttf"))  # Vera ships with reportlab
    assert lines == ["1. Smith J, Jones K. Benefits of breastfeeding in the first week. BMJ. "
                     "2019;365:l1234."]


@pytest.mark.parametrize(("drawn", "read_as"), [
    ("Bene\ufb01ts of \ufb02uids", "Benefits of fluids"),
    ("breast\u00adfeeding", "breastfeeding"),  # a soft hyphen inside a line is dropped
    ("Optimal breast\u00ad", "Optimal breast-"),  # at the end, it is the hyphen drawn
    ("Lancet.\u00a02016;387:475\u201390", "Lancet. 2016;387:475\u201390"),
])
def test_normalised_text(drawn, read_as):
    assert normalised(drawn) == read_as


def test_the_references_run_from_the_last_heading_to_an_appendix():
    raw = fixtures.section_between_headings()
    references = read(raw).references
    # Not Kramer (under "Sources", before the last heading), not Sankar (in the appendix); the
    # "References" repeated at the top of page 2 does not drop page 1's references.
    assert first_authors(references) == ["Victora, CG", "Rollins, NC", "Moon, RY"]
    assert [r.source.page for r in references] == [1, 1, 2]


def test_a_box_after_a_wide_gap_below_the_last_numbered_entry_is_not_read():
    references = read(fixtures.numbered_list_then_a_box()).references
    assert first_authors(references) == VANCOUVER_FIRST_AUTHORS[:3]
    # The article's own DOI, under the list, is not taken for Kramer's second DOI.
    assert references[2].doi == "10.1001/jama.285.4.413"
    assert not any("1472-6963" in r.raw or "Cite this" in r.raw for r in references)


def test_a_list_that_ends_half_way_down_its_page_is_not_followed_onto_the_next():
    references = read(fixtures.list_then_figure_pages()).references
    # The figure caption on the next page (2010 to 2020, WHO 2021, a link) is no reference.
    assert [a.split(",")[0] for a in first_authors(references)] == fixtures.APA_FIRST_AUTHORS[:3]


def test_a_ten_page_article_is_read_quickly_with_its_references_on_its_last_pages():
    raw = fixtures.article_of_ten_pages()
    started = time.perf_counter()
    references = read(raw, "article.pdf").references
    elapsed = time.perf_counter() - started
    assert [r.key for r in references] == [str(n) for n in range(1, 67)]
    assert {r.source.page for r in references} == {9, 10}
    assert all(r.doi for r in references)
    assert elapsed < 15  # about 1.1 s here; a bound that only a runaway would cross


def test_a_scanned_pdf_without_text_says_so():
    with pytest.raises(InputError, match="text layer") as error:
        read(fixtures.scanned_page(), "scan.pdf")
    assert str(error.value).startswith("scan.pdf: ") and "OCR" in str(error.value)


@pytest.mark.parametrize("damage", ["first half", "tail cut", "only a catalogue", "noise"])
def test_a_broken_pdf_is_one_line_naming_the_file(damage):
    whole = fixtures.numbered_list_after_prose()
    raw = {"first half": whole[:len(whole) // 2], "tail cut": whole[:-200],
           "only a catalogue": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\n"
                               b"endobj\n",
           "noise": b"%PDF-1.4\n" + bytes(range(256)) * 8}[damage]
    with pytest.raises(InputError) as error:
        read(raw, "handout.pdf")
    message = str(error.value)
    assert message.startswith("handout.pdf: not a readable PDF (damaged or truncated)")
    assert "\n" not in message


def test_a_damaged_page_is_reported_and_the_other_pages_are_read():
    read_ = read(fixtures.numbered_list_on_three_pages(damaged=(2,)), "handout.pdf")
    assert [r.first_author_family for r in read_.references] == [
        "Victora", "Rollins", "Sankar", "Horta"]
    assert [r.source.page for r in read_.references] == [1, 1, 3, 3]
    assert [(p.source.page, p.finding.code) for p in read_.problems] == [(2, "I001")]
    assert "page 2 of the PDF (damaged)" in read_.problems[0].finding.message


def test_a_pdf_whose_every_page_is_damaged_is_one_line():
    with pytest.raises(InputError) as error:
        read(fixtures.numbered_list_on_three_pages(damaged=(1, 2, 3)), "handout.pdf")
    assert str(error.value).startswith("handout.pdf: not a readable PDF (damaged or truncated)")


def test_a_pdf_whose_fonts_map_no_letters_says_so():
    raw = fixtures.text_without_character_map(["References", f"1. {fixtures.VICTORA}"])
    with pytest.raises(InputError) as error:
        read(raw, "brochure.pdf")
    message = str(error.value)
    assert message.startswith("brochure.pdf: the letters of this PDF cannot be read")
    assert "OCR" in message and "cid" not in message and "\n" not in message


def test_a_pdf_that_needs_a_password_says_so():
    with pytest.raises(InputError, match="password") as error:
        read(fixtures.encrypted(user_password="midwife2026"), "locked.pdf")
    assert str(error.value).startswith("locked.pdf: ")


def test_a_pdf_encrypted_with_only_an_owner_password_is_read():
    references = read(fixtures.encrypted(user_password="", owner_password="owner")).references
    assert first_authors(references) == VANCOUVER_FIRST_AUTHORS[:3]


def test_the_cli_checks_a_pdf_and_reports_the_page_of_each_reference(tmp_path, capsys):
    from auditor.cli import main

    pdf = tmp_path / "training.pdf"
    pdf.write_bytes(fixtures.running_headers_three_pages())
    out = tmp_path / "report.json"
    code = main(["check", str(pdf), "--offline", "--cache-dir", str(tmp_path / "cache"),
                 "--format", "json", "-o", str(out), "--as-of", "2026-11-27"])
    assert code in (0, 1, 4), capsys.readouterr().err
    report = json.loads(out.read_text("utf-8"))
    assert [(r["source"]["page"], r["source"]["line"]) for r in report["references"]] == [
        (1, 3), (1, 5), (2, 10), (2, 12), (3, 18), (3, 20)]
    assert report["references"][0]["doi"] == "10.1016/s0140-6736(15)01024-7"


DOCUMENTS = SHARED / "corpus" / "documents"


def hand_counts() -> dict[str, tuple[int, bool]]:
    """PDF → (the count of its reference list, whether SOURCES.md marks it "≈")."""
    counts = {}
    for line in (DOCUMENTS / "SOURCES.md").read_text("utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        count = re.match(r"(≈)?(\d+)", cells[7]) if len(cells) > 8 else None
        if count and cells[0].startswith("`pdf/"):
            counts[cells[0].strip("`")] = (int(count.group(2)), bool(count.group(1)))
    return counts


@pytest.mark.skipif(not (DOCUMENTS / "SOURCES.md").exists(),
                    reason="../shared/corpus/documents is absent")
@pytest.mark.parametrize("name", sorted(hand_counts()) if (DOCUMENTS / "SOURCES.md").exists()
                         else ["none"])
def test_real_pdfs_give_the_references_counted_by_hand(name):
    # Two-column ACM, ACL, BMC and IEEE-like pages, JSS and APA author–year lists with running
    # headers, figures and a "Cite this article" box: one reference per entry ("≈": ±1).
    count, about = hand_counts()[name]
    found = len(read_document((DOCUMENTS / name).read_bytes(), name, "pdf").references)
    assert abs(found - count) <= (1 if about else 0)
