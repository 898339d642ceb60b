"""Choosing the reader: by --input-format, by suffix, by content; every corpus file through the
same entry point as the CLI; and the same verdicts whatever the format, end to end."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from auditor.cli import main
from auditor.errors import InputError
from auditor.sources import choose_format, read_path, read_text, sniff_format

P = pytest.param
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"

RIS = "TY  - JOUR\nTI  - Breastfeeding in the 21st century\nPY  - 2016\nDO  - 10.1016/x\nER  - \n"
NBIB = "PMID- 26869575\nTI  - Breastfeeding in the 21st century.\nDP  - 2016 Jan 30\n"
BIB = "@article{v16, title = {Breastfeeding in the 21st century}, year = {2016}}\n"
CSL = '[{"id": "v16", "type": "article-journal", "title": "Breastfeeding", "DOI": "10.1/x"}]'
LIST = ("[1] Victora CG, Bahl R. Breastfeeding in the 21st century. Lancet. "
        "2016;387(10017):475-90.\n[2] Rollins NC, Bhandari N. Why invest? Lancet. "
        "2016;387(10017):491-504.\n")
DOIS = "10.1016/S0140-6736(15)01024-7\nhttps://doi.org/10.1371/journal.pone.0033693\n"


@pytest.mark.parametrize(("name", "text", "expected"), [
    P("refs.bib", "anything", "bibtex", id="bib-suffix"),
    P("refs.ris", "anything", "ris", id="ris-suffix"),
    P("refs.nbib", "anything", "nbib", id="nbib-suffix"),
    P("refs.json", "anything", "csl-json", id="json-suffix"),
    P("export.txt", RIS, "ris", id="ris-saved-as-txt"),
    P("pubmed.txt", NBIB, "nbib", id="medline-saved-as-txt"),
    P("refs.txt", BIB, "bibtex", id="bibtex-saved-as-txt"),
    P("<stdin>", CSL, "csl-json", id="csl-on-stdin"),
    P("course.md", LIST, "text", id="numbered-list-with-brackets-is-not-json"),
    P("dois.txt", DOIS, "text", id="doi-list"),
])
def test_format_by_suffix_then_content(name, text, expected):
    assert choose_format(text, name) == expected


def test_input_format_overrides_the_suffix():
    assert choose_format(BIB, "refs.json", "bibtex") == "bibtex"
    assert choose_format(RIS, "refs.txt", "auto") == "ris"
    with pytest.raises(InputError, match="unknown input format 'endnote'"):
        choose_format(RIS, "refs.txt", "endnote")


@pytest.mark.parametrize("text", ["id,value\n1,2\n", "Dear colleagues,\nsee you soon.\n",
                                  "\x89PNG\r\n\x1a\n\x00\x00"])
def test_unreadable_formats_say_what_is_expected(text):
    assert sniff_format(text) is None
    with pytest.raises(InputError, match=r"not a reference list auditor can read .*"
                                         r"Word .docx, PDF and web pages"):
        read_text(text, "notes.txt")



def test_a_known_format_with_nothing_in_it_is_an_input_error():
    with pytest.raises(InputError, match=r"refs\.ris: no RIS records"):
        read_text("just words\n", "refs.ris")


# Every file of the shared corpus through read_path, as the CLI reads it: the right reader is
# chosen, and each file yields references or reports its broken records with a line.
EXPECTED_FORMAT = {"bibtex": "bibtex", "ris": "ris", "csl-json": "csl-json",
                   "reflists": "text"}


def _corpus_files() -> list[Path]:
    """The reference lists of the corpus (its citations/ and documents/ folders hold labelled
    citation strings and Word/PDF/HTML documents, read by their own tests)."""
    if not CORPUS.is_dir():
        return []
    return sorted(p for folder in EXPECTED_FORMAT for p in (CORPUS / folder).glob("*")
                  if p.is_file())


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside the project")
@pytest.mark.parametrize("path", _corpus_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_corpus_file_reads_through_the_front_door(path):
    read = read_path(path)
    text = path.read_bytes().decode("utf-8", errors="replace")
    fmt = choose_format(text, str(path))
    expected = "nbib" if path.suffix == ".nbib" else EXPECTED_FORMAT[path.parent.name]
    assert fmt == expected
    assert read.references or read.problems
    assert all(p.source.line >= 1 and p.source.file == str(path) for p in read.problems)
    assert all(r.source.line >= 1 for r in read.references)


# --- the same verdicts whatever the format ---------------------------------------------------
VICTORA = "10.1016/s0140-6736(15)01024-7"
SAME_LIST = {
    "training.bib": "@article{victora2016,\n  author = {Victora, Cesar G. and Bahl, Rajiv},\n"
                    "  title = {Breastfeeding in the 21st century: epidemiology, mechanisms, and "
                    "lifelong effect},\n  journal = {The Lancet},\n  year = {2016},\n"
                    "  doi = {10.1016/S0140-6736(15)01024-7},\n}\n",
    "training.ris": "TY  - JOUR\r\nAU  - Victora, Cesar G.\r\nAU  - Bahl, Rajiv\r\nTI  - "
                    "Breastfeeding in the 21st century: epidemiology, mechanisms, and lifelong "
                    "effect\r\nT2  - The Lancet\r\nPY  - 2016///\r\nDO  - "
                    "10.1016/S0140-6736(15)01024-7\r\nER  - \r\n",
    "training.nbib": "PMID- 26869575\nTI  - Breastfeeding in the 21st century: epidemiology, "
                     "mechanisms, and\n      lifelong effect.\nDP  - 2016 Jan 30\nFAU - Victora, "
                     "Cesar G\nJT  - Lancet (London, England)\nPT  - Journal Article\nPT  - "
                     "Review\nAID - S0140-6736(15)01024-7 [pii]\nAID - "
                     "10.1016/S0140-6736(15)01024-7 [doi]\n",
    "training.json": json.dumps([{"id": "victora2016", "type": "article-journal",
                                  "title": "Breastfeeding in the 21st century: epidemiology, "
                                           "mechanisms, and lifelong effect",
                                  "author": [{"family": "Victora", "given": "Cesar G."}],
                                  "container-title": "The Lancet",
                                  "issued": {"date-parts": [[2016, 1, 30]]},
                                  "DOI": "https://doi.org/10.1016/S0140-6736(15)01024-7"}]),
    "training.md": "## References\n\n1. Victora CG, Bahl R, Barros AJD, et al. Breastfeeding in "
                   "the 21st century: epidemiology, mechanisms, and lifelong effect. *Lancet*. "
                   "2016;387(10017):475-490. doi:10.1016/S0140-\n   6736(15)01024-7\n",
}


@pytest.mark.parametrize("name", list(SAME_LIST))
def test_the_same_reference_gets_the_same_verdict_in_every_format(crossref, capsys, tmp_path,
                                                                  name):
    path = tmp_path / name
    path.write_text(SAME_LIST[name], encoding="utf-8")
    code = main(["check", str(path), "--format", "json", "--mailto", "qa@example.org",
                 "--as-of", "2026-11-27"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0
    (ref,) = report["references"]
    assert (ref["doi"], ref["resolution"], ref["year"], ref["kind"], ref["peer_review"]) == (
        VICTORA, "verified", 2016, "journal-article", "peer-reviewed")
    assert ref["source"] == {"file": str(path), "line": 1 if name != "training.md" else 3}


def test_a_doi_list_on_standard_input(crossref, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(DOIS.encode())))
    code = main(["check", "-", "--format", "json", "--mailto", "qa@example.org"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0
    assert [(r["key"], r["doi"], r["resolution"]) for r in report["references"]] == [
        ("1", VICTORA, "verified"), ("2", "10.1371/journal.pone.0033693", "verified")]


def test_unreadable_format_is_one_line_and_exit_2(capsys, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("id,value\n1,2\n", encoding="utf-8")
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a reference list auditor can read" in err
    assert "--input-format: bibtex, ris" in err  # the CLI names the flag that says it


def test_input_format_flag_reads_a_misnamed_file(crossref, capsys, tmp_path):
    path = tmp_path / "export.json"  # a RIS export saved with the wrong suffix
    path.write_text(SAME_LIST["training.ris"], encoding="utf-8")
    assert main(["check", str(path), "--offline"]) == 2  # read as CSL-JSON: not JSON
    capsys.readouterr()
    assert main(["check", str(path), "--input-format", "ris", "--format", "json",
                 "--mailto", "qa@example.org"]) == 0
    assert json.loads(capsys.readouterr().out)["references"][0]["resolution"] == "verified"
