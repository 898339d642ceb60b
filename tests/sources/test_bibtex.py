"""Tests for auditor.sources (BibTeX reader, decoding, read_path) on small fixture files."""

import io
import re
import sys
from pathlib import Path

import pytest

from auditor.errors import InputError
from auditor.sources import decode_bytes, read_path, read_paths, read_text
from auditor.sources.bibtex import read_bibtex
from auditor.sources.bibvalues import parse_year, resolve_value, split_authors

P = pytest.param
BIB = Path(__file__).resolve().parents[1] / "fixtures" / "bib"


def read(name: str):
    return read_path(BIB / name)


def by_key(name: str) -> dict:
    """References of a fixture by key (the keys of these fixtures are unique where used)."""
    return {ref.key: ref for ref in read(name).references}


def codes_of(ref) -> list[str]:
    return [finding.code for finding in ref.findings]


def test_biblatex_date_and_journaltitle():
    refs = read("biblatex-date-journaltitle.bib").references
    assert [(r.key, r.source.line) for r in refs] == [
        ("victora2016", 2), ("who2019", 13), ("yearwins2020", 20)]
    victora, who, both = refs
    assert victora.entry_type == "article"
    assert victora.title == ("Breastfeeding in the 21st century: epidemiology, mechanisms, "
                             "and lifelong effect")
    assert victora.authors == ("Victora, Cesar G.", "Bahl, Rajiv", "Barros, Aluísio J. D.")
    assert victora.first_author_family == "Victora"
    assert victora.year == 2016
    assert victora.container == "The Lancet"
    assert (victora.volume, victora.issue, victora.pages) == ("387", "10017", "475–490")
    assert victora.doi == "10.1016/s0140-6736(15)01024-7"
    assert victora.doi_as_written == "10.1016/S0140-6736(15)01024-7"
    assert victora.findings == ()
    assert who.authors == ("World Health Organization",)
    assert who.year == 2019  # from a date range 2019-03-01/2019-03-05
    assert who.publisher == "World Health Organization"
    assert who.doi is None
    assert both.year == 2020  # year= wins over date=
    assert both.container == "Journaltitle field"  # journaltitle= wins over journal=
    assert victora.source.file == str(BIB / "biblatex-date-journaltitle.bib")


def test_string_macros_concatenation_and_redefinition():
    refs = by_key("string-macros.bib")
    assert [r.source.line for r in refs.values()] == [6, 14, 22, 30]
    assert refs["horton2020"].title == "Offline: COVID-19 is not a pandemic"
    assert refs["horton2020"].container == "The Lancet"
    assert refs["horton2020"].year == 2020  # a bare number
    assert refs["baden2021"].container == "The New England Journal of Medicine"  # NEJM → nejm
    assert refs["baden2021"].authors == ("Baden, Lindsey R.", "El Sahly, Hana M.")
    assert refs["baden2021"].title == "Efficacy and Safety of the mRNA-1273 SARS-CoV-2 Vaccine"
    assert refs["baden2021"].year == 2021  # a quoted year
    assert refs["global2019"].container == "Lancet Global Health"  # a macro built from a macro
    assert refs["global2019"].title == "Health in Lancet Global Health"
    # As in BibTeX, a redefinition applies to the entries after it, not to those before.
    assert refs["after2021"].container == "Lancet (redefined)"
    assert all(r.findings == () for r in refs.values())


@pytest.mark.parametrize(
    ("raw", "macros", "expected"),
    [
        P("{The Lancet}", {}, "The Lancet", id="braced"),
        P('"The Lancet"', {}, "The Lancet", id="quoted"),
        P("2020", {}, "2020", id="number"),
        P("jan", {}, "1", id="month-jan"),
        P("SEP", {}, "9", id="month-upper-case"),
        P("dec", {}, "12", id="month-dec"),
        P("jan", {"jan": "Janvier"}, "Janvier", id="user-macro-beats-month"),
        P('lan # " Global"', {"lan": "Lancet"}, "Lancet Global", id="macro-concatenation"),
        P('"a # b" # {c # d}', {}, "a # bc # d", id="hash-inside-delimiters-is-text"),
        P("IEEE_J_PROC", {}, "IEEE_J_PROC", id="undefined-macro-kept-as-written"),
    ],
)
def test_resolve_value(raw, macros, expected):
    assert resolve_value(raw, macros) == expected


def test_crossref_inheritance():
    refs = by_key("crossref-inheritance.bib")
    smith = refs["smith2019"]
    assert smith.title == "Measuring frailty in primary care"  # the book's subtitle stays out
    assert smith.container == "Geriatric Medicine"  # the parent's title → booktitle
    assert smith.year == 2019
    assert smith.publisher == "Oxford University Press"
    assert smith.authors == ("Smith, Anna",)
    assert smith.pages == "12–34"
    assert smith.findings == ()
    assert refs["lee2019"].container == "Own booktitle wins"
    assert refs["lee2019"].year == 2019
    assert refs["jones2019"].title == "Geriatric Medicine: A Handbook"
    assert refs["jones2019"].authors == ("Jones, Carol", "Patel, Dev")  # editors
    # A parent named by one of its `ids` aliases is found.
    assert refs["aliased2016"].container == "The Handbook"
    assert refs["aliased2016"].year == 2015
    assert refs["aliased2016"].findings == ()


def test_crossref_to_a_missing_parent_is_I005():
    orphan = by_key("crossref-inheritance.bib")["orphan2020"]
    assert codes_of(orphan) == ["I005"]
    assert "nosuchbook" in orphan.findings[0].message
    assert orphan.year is None
    assert orphan.container is None


def test_crossref_loop_does_not_hang():
    text = ("@book{a, title={A}, crossref={b}}\n@book{b, crossref={c}}\n"
            "@book{c, year={1999}, crossref={a}}\n")
    refs = read_bibtex(text, "loop.bib").references
    assert [r.year for r in refs] == [1999, 1999, 1999]
    assert [codes_of(r) for r in refs] == [[], ["I006"], ["I006"]]


def test_crossref_to_itself_does_not_crash():
    (ref,) = read_bibtex("@inbook{a, title={A}, crossref={a}, year={2001}}\n", "x.bib").references
    assert (ref.title, ref.container, ref.year) == ("A", None, 2001)
    assert codes_of(ref) == []


def test_latex_accents_in_names_title_and_journal():
    (ref,) = read("latex-accents.bib").references
    assert ref.authors == ("Gómez, José", "Müller, Jörg", "Ørsted, Hans", "Straßer, Eva",
                           "Kučera, Jiří")
    assert ref.title == "Über die Cañada-Studie: Erdős and Ångström"
    assert ref.container == "Revista Española de Cardiología"


def test_author_name_forms():
    (ref,) = read("author-names.bib").references
    assert ref.authors == ("Victora, Cesar G.", "van Beethoven, Ludwig",
                           "World Health Organization", "Barros, Aluísio J. D.",
                           "Barnes and Noble")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        P("Doe, Jane", ("Doe, Jane",), id="family-given"),
        P("Jane Doe", ("Doe, Jane",), id="given-family"),
        P("Aristotle", ("Aristotle",), id="single-name"),
        P("{World Health Organization}", ("World Health Organization",), id="corporate"),
        P("{Centers for Disease Control and Prevention} and Doe, J.",
          ("Centers for Disease Control and Prevention", "Doe, J."), id="corporate-with-and"),
        P("Doe, J. AND Roe, R.", ("Doe, J.", "Roe, R."), id="upper-case-AND"),
        P("Doe, J. and\n   Roe, R.", ("Doe, J.", "Roe, R."), id="and-across-lines"),
        P("Doe, J. and others", ("Doe, J.",), id="and-others-dropped"),
        P("Ludwig van Beethoven", ("van Beethoven, Ludwig",), id="particle"),
        P("M{\\\"u}ller, J{\\\"o}rg", ("Müller, Jörg",), id="latex-umlaut"),
        P("Sandersson and Anderson", ("Sandersson", "Anderson"), id="and-inside-words"),
    ],
)
def test_split_authors(value, expected):
    assert split_authors(value) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        P(("2019", None), 2019, id="year"),
        P(("{2016}", None), 2016, id="braced"),
        P((None, "2019-03-01"), 2019, id="date"),
        P((None, "2019-03-01/2019-03-05"), 2019, id="date-range"),
        P(("1995--1996", None), 1995, id="year-range"),
        P(("in press", "2021-05"), 2021, id="year-not-a-year"),
        P(("1985a", None), 1985, id="year-with-letter"),
        P((None, "199X"), None, id="unspecified-digit"),
        P(("1234", "1996-12-31"), 1234, id="year-1234-wins-over-date"),
        P(("1034~", None), 1034, id="year-before-1500"),
        P(("2999", None), 2999, id="last-year-accepted"),
        P(("3019", "2019"), 2019, id="year-3000s-not-a-year"),
        P(("0999", None), None, id="three-digit-year-not-accepted"),
        P((None, None), None, id="nothing"),
    ],
)
def test_parse_year(values, expected):
    assert parse_year(*values) == expected


def test_duplicate_keys_keep_both_and_flag_the_later():
    read_ = read("duplicate-keys.bib")
    assert [(r.key, r.source.line, r.title) for r in read_.references] == [
        ("smith2020", 1, "First entry with this key"),
        ("jones2021", 6, "An entry in between"),
        ("smith2020", 11, "Second entry with the same key"),
    ]
    first, between, later = read_.references
    assert codes_of(first) == []
    assert codes_of(between) == []
    assert codes_of(later) == ["I002"]
    assert "line 1" in later.findings[0].message
    assert read_.problems == []


def test_duplicate_fields_first_value_wins():
    refs = read("duplicate-fields.bib").references
    assert [(r.key, r.source.line) for r in refs] == [
        ("twice2019", 1), ("twice2019", 8), ("macro2016", 16)]
    first, again, macro = refs
    assert first.title == "The first title is used"  # `Title` repeats `title`, in another case
    assert first.year == 2019
    assert codes_of(first) == ["I004"]
    assert "title, year" in first.findings[0].message
    # The first twice2019 has a duplicated field; the second is still a duplicate key.
    assert codes_of(again) == ["I002"]
    assert "line 1" in again.findings[0].message
    # @string defined twice: no crash, the later definition is used from there on.
    assert macro.container == "Journal of the American Medical Association"


def test_broken_entries_are_problems_and_the_rest_is_read():
    read_ = read("broken-entry-in-middle.bib")
    assert [(r.key, r.source.line, r.year) for r in read_.references] == [
        ("before2018", 1, 2018), ("between2020", 12, 2020), ("after2022", 22, 2022)]
    assert [(p.finding.code, p.source.line) for p in read_.problems] == [("I001", 6),
                                                                       ("I001", 17)]
    noequals, unclosed = read_.problems
    assert noequals.source.file == str(BIB / "broken-entry-in-middle.bib")
    assert "noequals2019" in noequals.finding.message
    assert noequals.finding.severity == "error"
    assert noequals.raw.startswith("@article{noequals2019,")
    assert "unclosed2021" in unclosed.finding.message
    assert unclosed.raw.startswith("@article{unclosed2021,")
    assert "after2022" not in unclosed.raw


def test_missing_comma_between_fields_is_reported_and_recovered():
    # bibtexparser reads `{T}⏎ year = {2019}` as one value; nothing may be lost.
    text = ("@article{a,\n  title = {T}\n  year = {2019},\n  journal = {J}\n  pages = "
            "{1--2},\n  note = {a = b\n c = d}\n}\n")
    (ref,) = read_bibtex(text, "x.bib").references
    assert (ref.title, ref.year, ref.container, ref.pages) == ("T", 2019, "J", "1–2")
    assert ref.note == "a = b c = d"  # inside braces a "name =" is text
    (finding,) = [f for f in ref.findings if f.code == "I007"]
    assert "year" in finding.message and "pages" in finding.message


def test_utf8_bom():
    read_ = read("utf8-bom.bib")
    (ref,) = read_.references
    assert ref.key == "bom2021"  # not "\ufeff@article…" nor a key with the BOM in it
    assert ref.source.line == 1
    assert ref.authors == ("Sánchez, María",)
    assert read_.problems == []


def test_latin1_file_is_read_with_a_warning_and_accents_right():
    read_ = read("latin1-encoded.bib")
    (ref,) = read_.references
    assert ref.authors == ("Peña, Íñigo", "Gärtner, Åsa", "Müller, Jörg")
    assert ref.title == "Evaluación de la atención primaria en España"
    assert ref.container == "Atención Primaria"
    assert ref.source.line == 1
    ((problem),) = read_.problems
    assert problem.finding.code == "I003"
    assert problem.source.line == 2  # the first line that is not UTF-8
    assert "cp1252" in problem.finding.message


def test_mixed_file_keeps_its_utf8_lines():
    read_ = read("mixed-utf8-latin1.bib")
    assert [r.authors for r in read_.references] == [
        ("Müller, Jörg",), ("Peña, Íñigo",), ("Åström, Åsa",)]
    assert read_.references[2].title == "Written in UTF-8 again: Straße"
    ((problem),) = read_.problems
    assert (problem.finding.code, problem.source.line) == ("I003", 8)
    assert "1 line is not valid UTF-8" in problem.finding.message


# A Latin-1 entry whose only non-ASCII letter is in its first author's NAME.
ONE_ACCENT = """@article{sadasivan2023,
  author = {NAME, Heather and Smith, John},
  title = {Rapid real-time squiggle classification for read until using RawMap},
  journal = {Archives of Clinical and Biomedical Research},
  year = {2023},
}
"""


@pytest.mark.parametrize(
    ("text", "encoding", "expected_encoding"),
    [
        P("@book{x, author = {Åström, Øystein and Ærø, Jørgen}, title = {Sjukvård i Malmö}}\n",
          "latin-1", "cp1252", id="nordic-latin1-not-cp1250"),
        P("@book{x, author = {Dvořák, Antonín and Čapek, Jiří}, title = {Příliš žluťoučký}}\n",
          "cp1250", "cp1250", id="czech-cp1250"),
        P("@book{x, author = {王小明 and 李华}, title = {中国医学研究进展}, journal={中华医学}}\n",
          "gbk", "gb18030", id="chinese-gbk"),
        P("@book{x, author = {Иванов, Иван}, title = {Исследование здоровья}}\n",
          "cp1251", "cp1251", id="russian-cp1251"),
        # A single accent reads as a GB18030 character too (`á` + `n` → `醤`): a lone
        # non-ASCII character between ASCII ones is a Latin accent, not half of a CJK pair.
        P(ONE_ACCENT.replace("NAME", "Sadasiván"), "latin-1", "cp1252",
          id="one-accent-a-acute-latin1"),
        P(ONE_ACCENT.replace("NAME", "Müller"), "latin-1", "cp1252",
          id="one-accent-u-umlaut-latin1"),
        P(ONE_ACCENT.replace("NAME", "François"), "cp1252", "cp1252",
          id="one-accent-c-cedilla-cp1252"),
    ],
)
def test_decode_bytes_legacy_encodings(text, encoding, expected_encoding):
    decoded, problem = decode_bytes(text.encode(encoding), "x.bib")
    assert decoded == text
    assert problem.finding.code == "I003"
    assert f"read as {expected_encoding}" in problem.finding.message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        P("@book{x, title={Über}}\n".encode(), "@book{x, title={Über}}\n", id="utf8"),
        P(b"\xef\xbb\xbf@book{x}\n", "@book{x}\n", id="utf8-bom-dropped"),
        P("@book{x, title={Über}}\n".encode("utf-16"), "@book{x, title={Über}}\n",
          id="utf16-with-bom"),
    ],
)
def test_decode_bytes_unicode_needs_no_warning(raw, expected):
    assert decode_bytes(raw, "x.bib") == (expected, None)


def test_doi_in_url_note_and_eprint_fields():
    refs = by_key("doi-in-url-field.bib")
    assert refs["urlonly2023"].doi == "10.1542/peds.2022-057988"
    assert refs["urlonly2023"].doi_as_written == "https://doi.org/10.1542/peds.2022-057988"
    assert codes_of(refs["urlonly2023"]) == ["D005"]
    assert "url" in refs["urlonly2023"].findings[0].message
    assert refs["note2023"].doi == "10.1542/peds.2022-057988"
    assert codes_of(refs["note2023"]) == ["D005"]
    assert refs["medrxiv2021"].doi == "10.1101/2021.02.03.21250974"  # not …21250974v1
    assert refs["eprint2016"].doi == "10.1001/jama.2016.0287"
    assert codes_of(refs["eprint2016"]) == ["D005"]
    assert refs["pmc2020"].doi is None
    assert codes_of(refs["pmc2020"]) == []


def test_doi_field_and_url_disagree_is_D006_and_doi_field_wins():
    refs = by_key("doi-in-url-field.bib")
    conflict = refs["conflict2016"]
    assert conflict.doi == "10.1016/s0140-6736(15)01024-7"
    assert codes_of(conflict) == ["D006"]
    assert "10.1001/jama.2016.0287" in conflict.findings[0].message
    assert codes_of(refs["agree2016"]) == []  # same DOI, different case: no conflict
    assert refs["agree2016"].doi == "10.1001/jama.2016.0287"


def test_arxiv_eprint_is_not_taken_for_a_doi():
    text = "@misc{a, title={T}, eprinttype={arXiv}, eprint={10.1234/5678}}\n"
    (ref,) = read_bibtex(text, "x.bib").references
    assert ref.doi is None
    assert codes_of(ref) == []


def test_invalid_doi_is_D001_and_never_a_doi():
    refs = by_key("invalid-doi.bib")
    for key, written in [("shortprefix2020", "10.123/x"), ("notapplicable2020", "n/a"),
                         ("wrongdirectory2020", "11.1234/abc")]:
        assert refs[key].doi is None, key
        assert refs[key].doi_as_written == written
        assert codes_of(refs[key]) == ["D001"], key
        assert refs[key].findings[0].severity == "error"
    assert refs["emptydoi2020"].doi is None
    assert refs["emptydoi2020"].doi_as_written is None
    assert codes_of(refs["emptydoi2020"]) == []


@pytest.mark.parametrize(
    ("doi_field", "expected", "codes"),
    [
        P("https://doi.org/10.1000/abc#sec1", "10.1000/abc", [], id="doi-url-fragment-dropped"),
        P("https://doi.org/10.1000/abc?utm_source=x", "10.1000/abc", [],
          id="doi-url-query-dropped"),
        P("https://onlinelibrary.wiley.com/doi/full/10.1111/apa.13147", "10.1111/apa.13147", [],
          id="publisher-url-in-doi-field"),
        P("10.1000/xyz 10.1000/abc", "10.1000/xyz", ["D006"], id="two-dois-space"),
        P("10.1000/xyz, 10.1000/abc", "10.1000/xyz", ["D006"], id="two-dois-comma"),
        P("10.1000/xyz;10.1000/abc", "10.1000/xyz", ["D006"], id="two-dois-semicolon"),
        P("10.1000/XYZ 10.1000/xyz", "10.1000/xyz", [], id="same-doi-twice-no-conflict"),
    ],
)
def test_doi_field_cleaning(doi_field, expected, codes):
    (ref,) = read_bibtex(f"@article{{a, title={{T}}, doi={{{doi_field}}}}}\n", "x.bib").references
    assert ref.doi == expected
    assert ref.doi_as_written == doi_field
    assert codes_of(ref) == codes
    if codes:
        assert "several DOIs (10.1000/xyz, 10.1000/abc)" in ref.findings[0].message
        assert "10.1000/xyz, is used" in ref.findings[0].message


@pytest.mark.parametrize(
    ("fields", "url"),
    [
        P("howpublished = {\\url{https://www.who.int/news-room/fact-sheets/detail/obesity}}",
          "https://www.who.int/news-room/fact-sheets/detail/obesity", id="howpublished-url"),
        P("howpublished = {\\href{https://www.who.int/a_b}{WHO fact sheet}}",
          "https://www.who.int/a_b", id="howpublished-href"),
        P("note = {Available at https://www.cs.uu.nl/people/a\\_b.}",
          "https://www.cs.uu.nl/people/a_b", id="note-plain-url-escape-and-period"),
        P("url = {https://example.org/own}, howpublished = {\\url{https://example.org/other}}",
          "https://example.org/own", id="url-field-wins"),
        P("howpublished = {Online}, note = {Accessed 2020-01-01}", None, id="no-url-anywhere"),
    ],
)
def test_url_from_howpublished_or_note(fields, url):
    (ref,) = read_bibtex(f"@misc{{who2024, title = {{Obesity}}, {fields}}}\n", "x.bib").references
    assert ref.url == url
    assert ref.entry_type == "misc"


def test_url_from_howpublished_keeps_the_note():
    text = "@misc{a, title={T}, howpublished={\\url{https://www.who.int/x}}, note={Accessed}}\n"
    (ref,) = read_bibtex(text, "x.bib").references
    assert (ref.url, ref.note) == ("https://www.who.int/x", "Accessed")


@pytest.mark.parametrize(
    ("fields", "year"),
    [
        P("year = {1234}, eventdate = {1996-12-31}", 1234, id="year-1234-not-eventdate"),
        P("eventdate = {1996-01-01}", None, id="eventdate-alone-is-no-year"),
        P("date = {2019-03-01}, eventdate = {2018-09-10}", 2019, id="date-not-eventdate"),
    ],
)
def test_year_never_comes_from_eventdate(fields, year):
    (ref,) = read_bibtex(f"@proceedings{{a, title = {{T}}, {fields}}}\n", "x.bib").references
    assert ref.year == year


def test_percent_comments_are_skipped_outside_values():
    read_ = read("percent-comments.bib")
    assert [(r.key, r.source.line) for r in read_.references] == [
        ("roes2003", 2), ("wong2016", 14), ("afterbrokencomment2017", 21)]
    roes, wong, _ = read_.references
    assert roes.title == "Belief in moralizing gods"  # after "% a comment after the key"
    assert roes.year == 2003  # after "% a comment line between two fields"
    assert roes.publisher == "Elsevier"  # not "Elsevier  % a comment after the last value"
    assert wong.title == "Null hypothesis testing (I)-5% significance level"
    assert wong.url == "https://example.org/a%2Fb"
    assert wong.note == "50% of a quoted note"
    assert read_.problems == []  # the broken @comment is a comment: nothing is lost


@pytest.mark.parametrize(
    ("text", "title"),
    [
        P('@article(a, title = "50% of adults", year = 2020)\n', "50% of adults",
          id="paren-entry-quoted-value"),
        P('@article{a, title = "50% of adults", year = 2020}\n', "50% of adults",
          id="brace-entry-quoted-value"),
        P("@article{a, title = {50% of {adults}}, year = 2020}\n", "50% of adults",
          id="braced-value"),
        P("@article{a, title = {Adults}, year = 2020} % 50% of them\n", "Adults",
          id="comment-after-entry"),
    ],
)
def test_percent_in_values_is_text(text, title):
    (ref,) = read_bibtex(text, "x.bib").references
    assert (ref.title, ref.year) == (title, 2020)


@pytest.mark.parametrize("newline", [P("\r\n", id="crlf-windows"), P("\r", id="cr-old-mac")])
def test_line_endings(newline):
    text = ("@article{a,\n  title = {A long\n  title},\n  year = 2020\n}\n\n"
            "@article{b, title={B}, year={2021}}\n").replace("\n", newline)
    read_ = read_bibtex(text, "x.bib")
    assert [(r.key, r.source.line, r.title) for r in read_.references] == [
        ("a", 1, "A long title"), ("b", 7, "B")]
    assert read_.problems == []


def test_entry_without_title_is_I006():
    (ref,) = read_bibtex("@misc{notitle, year = {2020}}\n", "x.bib").references
    assert codes_of(ref) == ["I006"]


def test_paren_delimited_entry_and_isbn():
    text = "@book(who2020,\n  title = {Guidelines},\n  isbn = {978-92-4-001512-8},\n)\n"
    (ref,) = read_bibtex(text, "x.bib").references
    assert (ref.key, ref.title, ref.isbn) == ("who2020", "Guidelines", "9789240015128")


def test_read_paths_keeps_each_file():
    read_ = read_paths([BIB / "duplicate-keys.bib", BIB / "latin1-encoded.bib"])
    assert [(Path(r.source.file).name, r.key) for r in read_.references] == [
        ("duplicate-keys.bib", "smith2020"), ("duplicate-keys.bib", "jones2021"),
        ("duplicate-keys.bib", "smith2020"), ("latin1-encoded.bib", "pena2017")]
    assert [(Path(p.source.file).name, p.finding.code) for p in read_.problems] == [
        ("latin1-encoded.bib", "I003")]


def test_read_path_stdin(monkeypatch):
    raw = "@article{fromstdin, title = {Über}, year = {2020}}\n".encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    (ref,) = read_path("-").references
    assert (ref.key, ref.title, ref.source.file, ref.source.line) == (
        "fromstdin", "Über", "<stdin>", 1)


@pytest.mark.parametrize(
    "raw", [P(b"", id="empty-stdin"), P(b" \n\t\n", id="whitespace-only-stdin")])
def test_read_path_empty_stdin(monkeypatch, raw):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    with pytest.raises(InputError, match=r"^<stdin>: empty input$"):
        read_path("-")


def test_read_paths_stdin_twice(monkeypatch):
    raw = b"@article{a, title = {T}}\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    with pytest.raises(InputError, match=r"^standard input can be read only once$"):
        read_paths(["-", BIB / "duplicate-keys.bib", "-"])


def test_read_text_picks_bibtex_by_content_when_suffix_is_other():
    (ref,) = read_text("@article{a, title={T}}\n", "refs.txt").references
    assert ref.key == "a"


def test_read_path_missing_file(tmp_path):
    missing = tmp_path / "nowhere.bib"
    with pytest.raises(InputError, match=re.escape(f"{missing}: no such file")):
        read_path(missing)


def test_read_path_directory(tmp_path):
    with pytest.raises(InputError, match="is a directory") as info:
        read_path(tmp_path)
    assert str(tmp_path) in str(info.value)


def test_read_path_file_without_entries():
    path = BIB / "no-entries.bib"
    with pytest.raises(InputError, match=re.escape(f"{path}: no BibTeX entries found")):
        read_path(path)


@pytest.mark.parametrize(
    "content",
    [P(b"", id="empty"), P(b"% only a comment\n@string{x = {y}}\n", id="only-a-string")],
)
def test_read_path_nothing_to_read(tmp_path, content):
    path = tmp_path / "empty.bib"
    path.write_bytes(content)
    with pytest.raises(InputError, match=re.escape(str(path))):
        read_path(path)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        P("empty.bib", b"", id="empty-bib"),
        P("empty.txt", b"", id="empty-other-suffix"),
        P("blank.txt", b"  \r\n\n\t", id="whitespace-only"),
        P("bom.bib", b"\xef\xbb\xbf\n", id="utf8-bom-only"),
    ],
)
def test_read_path_empty_file(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=f"^{re.escape(str(path))}: empty file$"):
        read_path(path)


def test_read_path_unknown_format(tmp_path):
    path = tmp_path / "data.txt"
    path.write_text("id,value\n1,2\n3,4\n", encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(f"{path}: not a reference list auditor can")):
        read_path(path)


def test_only_broken_entries_is_not_an_input_error(tmp_path):
    path = tmp_path / "broken.bib"
    path.write_text("@article{a,\n  title {T},\n}\n", encoding="utf-8")
    read_ = read_path(path)
    assert read_.references == []
    assert [(p.finding.code, p.source.line) for p in read_.problems] == [("I001", 1)]


def test_a_pubmed_id_is_read_from_its_field_or_the_note():
    """JabRef, Better BibTeX and PubMed's export write `pmid = {…}`; Zotero's Extra puts
    "PMID: …" in the note. A reference without a DOI is then looked up by its PMID."""
    read = read_bibtex("""
@article{field, title = {A}, pmid = {27777777}}
@article{labelled, title = {B}, pmid = {PMID: 123}}
@article{noted, title = {C}, note = {PMID: 31415926; PMCID: PMC123}}
@article{none, title = {D}, note = {page 12}}
@article{junk, title = {E}, pmid = {see above}}
""", "pmids.bib")
    assert [r.pmid for r in read.references] == ["27777777", "123", "31415926", None, None]
