"""What a new user tripped over on a first try (issue 12), each replayed from a small fixture
written here: a very long pasted line, a PDF or a Word file given as input, a web document pasted,
a course page's trainer line, EndNote's keyless BibTeX, a French date, and the run's plurals."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from conftest import FIXTURES

from auditor.cli import main
from auditor.sources.citations import model as citation_model

AS_OF = ["--as-of", "2026-11-27"]
VICTORA = ("1. Victora CG, Bahl R, Barros AJ, et al. Breastfeeding in the 21st century: "
           "epidemiology, mechanisms, and lifelong effect. Lancet. 2016;387(10017):475-90. "
           "doi:10.1016/S0140-6736(15)01024-7")
KRAMER = ("Kramer MS, Chalmers B, Hodnett ED, et al. Promotion of Breastfeeding Intervention "
          "Trial (PROBIT): a randomized trial in the Republic of Belarus. JAMA. "
          "2001;285(4):413-20.")


def check(capsys, path, *args):
    code = main(["check", str(path), "--offline", "--no-cache", "--format", "json", *AS_OF,
                 *args])
    out, err = capsys.readouterr()
    return code, json.loads(out) if out.strip() else None, err


def test_a_line_longer_than_the_csv_field_limit_is_read(capsys, tmp_path):
    # csv's default field limit is 131,072 characters; a pasted line may be longer.
    pasted = tmp_path / "pasted.txt"
    pasted.write_text(f"{VICTORA}\n2. {'x, ' * 50_000}\n3. {KRAMER}\n", encoding="utf-8")
    code, report, err = check(capsys, pasted)
    assert code == 4 and "Traceback" not in err and "internal error" not in err
    assert [r["year"] for r in report["references"]] == [2016, 2001]


@pytest.mark.parametrize("name", ["handout.pdf", "handout.txt", "handout.bib"])
def test_a_pdf_is_named_and_the_way_round_said(capsys, tmp_path, name):
    document = tmp_path / name
    document.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    code, report, err = check(capsys, document)
    # read as the PDF it is, whatever its name, and found to hold no page: one line, no trace
    assert (code, report) == (2, None)
    assert "PDF" in err and "Traceback" not in err
    assert "BibTeX entries" not in err and len(err.strip().splitlines()) == 1


def test_a_word_file_is_named(capsys, tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as docx:
        docx.writestr("[Content_Types].xml", "<Types/>")
        docx.writestr("word/document.xml", "<w:document/>")
    document = tmp_path / "programme.docx"
    document.write_bytes(buffer.getvalue())
    code, _, err = check(capsys, document)
    assert code == 2 and "Word document" in err and "Traceback" not in err


def test_a_pasted_web_document_is_a_web_page_not_a_book(capsys, tmp_path):
    pasted = tmp_path / "who.txt"
    pasted.write_text(
        "1. World Health Organization. Infant and young child feeding [Internet]. Geneva: WHO; "
        "2023 [cited 2024 Jan 10]. Available from: https://www.who.int/news-room/fact-sheets/"
        f"detail/infant-and-young-child-feeding\n2. {KRAMER}\n", encoding="utf-8")
    _, report, _ = check(capsys, pasted)
    who = report["references"][0]
    assert (who["cited"]["entry_type"], who["kind"]) == ("online", "web")


def test_a_course_page_trainer_and_date_are_not_a_reference(capsys, tmp_path):
    page = tmp_path / "course.txt"
    page.write_text("Breastfeeding support: an introduction\n"
                    "Trainer: A. Martin, IBCLC. Date: 12 March 2026.\nLieu : Lyon\n\n"
                    f"References\n{VICTORA}\n2. {KRAMER}\n", encoding="utf-8")
    _, report, _ = check(capsys, page)
    assert [r["year"] for r in report["references"]] == [2016, 2001]  # no "2026 book"


def test_endnote_bibtex_without_keys_is_read_with_made_keys(capsys, tmp_path):
    export = tmp_path / "endnote.bib"
    export.write_text(
        "@article{\n  author = {Victora, Cesar G. and Bahl, Rajiv},\n"
        "  title = {Breastfeeding in the 21st century},\n  journal = {The Lancet},\n"
        "  year = {2016},\n  doi = {10.1016/S0140-6736(15)01024-7}\n}\n\n"
        "@article{\n  author = {Victora, Cesar G.},\n  title = {Another paper},\n"
        "  journal = {The Lancet},\n  year = {2016}\n}\n", encoding="utf-8")
    _, report, _ = check(capsys, export)
    refs = report["references"]
    assert [r["key"] for r in refs] == ["victora2016", "victora2016b"]
    assert all("I008" in [f["code"] for f in r["findings"]] for r in refs)
    assert [r["source"]["line"] for r in refs] == [1, 9]


def test_a_day_first_date_says_which_form_to_use(capsys, tmp_path):
    listed = tmp_path / "list.txt"
    listed.write_text(f"{VICTORA}\n2. {KRAMER}\n", encoding="utf-8")
    assert main(["check", str(listed), "--as-of", "12/03/2026"]) == 2
    err = capsys.readouterr().err
    assert "use YYYY-MM-DD" in err and "isoformat" not in err


def test_the_run_line_counts_in_words(crossref, capsys):
    # one DOI is asked alone, never as "0 batches"; two are one batch, not "1 batches"
    code = main(["check", str(FIXTURES / "stand-in" / "retracted.bib"), "--format", "json",
                 "--mailto", "qa@example.org", *AS_OF])
    err = capsys.readouterr().err
    assert code == 1
    assert "1 reference, 1 with a DOI; Crossref: 1 request (1 single lookup)" in err
    assert "batch" not in err
    main(["check", str(FIXTURES / "stand-in" / "training.bib"), "--format", "json",
          "--mailto", "qa@example.org", "--no-cache", *AS_OF])
    err = capsys.readouterr().err
    assert "(1 batch, " in err and "1 batches" not in err


def test_one_unreadable_entry_is_counted_in_the_singular(capsys, tmp_path):  # not "1 entries"
    broken = tmp_path / "broken.bib"
    broken.write_text("@article{ok2020,\n  title = {Fine},\n  year = {2020}\n}\n\n"
                      "@article{broken,\n  title = {Unclosed,\n  year = 2021\n\n", "utf-8")
    _, report, _ = check(capsys, broken)
    headline = report["summary"]["headline"]
    assert "(and 1 unreadable)" in headline and "unreadable entries" not in headline


def test_an_unreadable_entry_is_said_plainly_and_never_passes(crossref, capsys, tmp_path):
    # Five references Crossref answers for, one entry nobody could read: not checked, so the
    # list cannot pass (5 of 6 < 95 %), and the reader is told what to fix, where.
    good = (FIXTURES / "stand-in" / "training.bib").read_text("utf-8")
    broken = tmp_path / "broken.bib"
    broken.write_text(good + "\n@article{unclosed,\n  title = {Unclosed,\n  year = 2021\n"
                      "\n@book{after2020,\n  title = {After},\n  year = {2020}\n}\n", "utf-8")
    code = main(["check", str(broken), "--format", "json", "--mailto", "qa@example.org",
                 *AS_OF])
    report = json.loads(capsys.readouterr().out)
    assert code == 4 and report["summary"]["outcome"] == "incomplete"
    assert "1 entry of the file could not be read" in report["policy"]["incomplete"]
    message = report["problems"][0]["message"]
    assert "a closing brace } is missing" in message or "is not closed" in message
    assert "Was still looking" not in message


def test_french_recommendations_pasted_are_recommendations(capsys, tmp_path):
    pasted = tmp_path / "bibliographie.txt"
    pasted.write_text(
        "1. Haute Autorité de Santé. Allaitement maternel : mise en œuvre et poursuite dans les "
        "6 premiers mois de vie de l'enfant. Recommandations pour la pratique clinique. "
        "Saint-Denis : HAS ; 2002.\n"
        "2. Academy of Breastfeeding Medicine. Protocole clinique n°3 de l'ABM : compléments "
        "alimentaires chez le nouveau-né à terme allaité. Breastfeed Med. 2017;12:188-198.\n"
        f"3. {KRAMER}\n", encoding="utf-8")
    _, report, _ = check(capsys, pasted)
    has, abm, kramer = report["references"]
    # The HAS document's type is in the citation, not in its title
    assert (has["evidence"]["recommendation"], has["peer_review"]) == ("guideline",
                                                                       "recommendation")
    assert "HAS (Haute Autorité de Santé)" in has["peer_review_reason"]
    assert abm["evidence"]["recommendation"] == "clinical-protocol"
    assert kramer["evidence"]["recommendation"] is None
    # 2002 and 2017 are more than 5 years before the as-of date: both to update
    assert "2 recommendations to update" in report["summary"]["headline"]


@pytest.mark.parametrize(("head", "said"), [
    ('<?xml version="1.0" encoding="UTF-8"?>\n<xml><records><record>', "an XML file"),
])
def test_web_pages_and_xml_are_named_not_read_as_text(capsys, tmp_path, head, said):
    document = tmp_path / "page.txt"
    document.write_text(head + "\n" + VICTORA + "\n", encoding="utf-8")
    code, _, err = check(capsys, document)
    assert code == 2 and said in err and len(err.strip().splitlines()) == 1


def test_a_web_page_saved_as_text_is_read_as_the_web_page_it_is(capsys, tmp_path):
    page = tmp_path / "page.txt"
    page.write_text('<!DOCTYPE html>\n<html lang="fr"><head><title>Formation</title>'
                    f"<script>var x = '2016;387';</script></head><body><h2>Bibliographie</h2>"
                    f"<ol><li>{VICTORA}</li></ol></body></html>", encoding="utf-8")
    _, report, _ = check(capsys, page)
    (victora,) = report["references"]
    assert (victora["cited"]["year"], victora["key"]) == (2016, "1")
    assert "<" not in victora["cited"]["title"]


def test_a_folder_of_documents_only_names_them(capsys, tmp_path):
    (tmp_path / "programme.pages").write_bytes(b"PK\x03\x04")
    code, _, err = check(capsys, tmp_path)
    assert code == 2 and "found programme.pages" in err


BMC_STYLE = ("1. Odom EC, Li R, Scanlon KS, Perrine CG, Grummer-Strawn L: Reasons for earlier "
             "than desired cessation of breastfeeding. Pediatrics 2013, 131(3):e726-e732.")


@pytest.mark.skipif(not citation_model.available(), reason="no shipped citation model")
def test_a_pasted_citation_shows_what_was_read_of_it(capsys, tmp_path):
    # "Authors: Title. Journal Year, vol:pages" (BMC): the authors must not end up in the title,
    # and the reader is shown the fields that were read, so a misreading can be seen.
    pasted = tmp_path / "pasted.txt"
    pasted.write_text(BMC_STYLE + "\n", encoding="utf-8")
    _, report, _ = check(capsys, pasted)
    cited = report["references"][0]["cited"]
    assert cited["title"] == "Reasons for earlier than desired cessation of breastfeeding"
    assert cited["authors"][0].startswith("Odom") and len(cited["authors"]) == 5
    assert (cited["container"], cited["volume"], cited["issue"], cited["pages"]) == (
        "Pediatrics", "131", "3", "e726-e732")
    main(["check", str(pasted), "--offline", "--no-cache", *AS_OF])
    terminal = capsys.readouterr().out
    assert "read as: Odom · 2013 · Pediatrics 131(3):e726-e732" in " ".join(terminal.split())
    main(["check", str(pasted), "--offline", "--no-cache", "--format", "markdown", *AS_OF])
    assert "_read as: Odom · 2013 · Pediatrics 131(3):e726-e732_" in capsys.readouterr().out


def test_a_bibtex_entry_is_not_shown_as_read_from_text(capsys, tmp_path):
    bib = tmp_path / "list.bib"
    bib.write_text("@article{odom, author={Odom, E. C.}, title={Reasons for earlier than "
                   "desired cessation of breastfeeding}, journal={Pediatrics}, year={2013}}\n",
                   encoding="utf-8")
    main(["check", str(bib), "--offline", "--no-cache", *AS_OF])
    assert "read as:" not in capsys.readouterr().out
