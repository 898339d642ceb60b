"""A document with no reference list to find (no heading, no list at its end) is read whole:
its citations are references, its prose is not — not even a paragraph of three sentences with
a year in it, which pasted alone would pass for a citation."""

from __future__ import annotations

import docx

from auditor.sources.documents import read_document

from .docx_fixtures import KRAMER, VICTORA, to_bytes

PROSE = ["Bed-sharing is discussed with parents. The recommendations changed in 2016. Health "
         "professionals should give balanced advice.",
         "Sessions take place in Lyon. Registration closes soon. Places are limited to twelve "
         "participants per session."]


def test_a_web_page_without_a_list_keeps_its_citations_and_leaves_its_prose():
    body = "".join(f"<p>{text}</p>" for text in (PROSE[0], VICTORA, PROSE[1], KRAMER))
    page = f"<html><body><h1>Allaitement</h1>{body}</body></html>".encode()
    read = read_document(page, "course.html", "html")
    assert [r.first_author_family for r in read.references] == ["Victora", "Kramer"]
    assert not read.problems


def test_a_word_file_without_a_list_keeps_its_citations_and_leaves_its_prose():
    document = docx.Document()
    for text in (PROSE[0], VICTORA, PROSE[1], KRAMER, "Lunch is served at noon."):
        document.add_paragraph(text)
    read = read_document(to_bytes(document), "course.docx", "docx")
    assert [r.first_author_family for r in read.references] == ["Victora", "Kramer"]
    assert not read.problems


def test_a_dated_sentence_of_a_page_read_whole_is_no_book():
    page = ("<html><body><p>Écrivez-nous. Association fondée en 1998. Siège : Lyon.</p>"
            f"<p>{VICTORA}</p></body></html>").encode()
    read = read_document(page, "contact.html", "html")
    assert [r.first_author_family for r in read.references] == ["Victora"]
