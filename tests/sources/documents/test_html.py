"""Saved web pages (auditor.sources.documents.html), read as `auditor check page.html` reads them:
through read_document, into References. Each fixture is a small page written here, shaped like
what a browser saves from a journal (Springer, PMC, Wikipedia), a Zotero HTML bibliography or a
French course page; every expected value was read off the fixture by hand."""

from __future__ import annotations

import json

import pytest

from auditor.cli import main
from auditor.errors import InputError
from auditor.sources.documents import read_document
from auditor.sources.documents.html import extract_html

LANCET = "10.1016/s0140-6736(15)01024-7"
VICTORA = ("Victora CG, Bahl R, Barros AJD, et al. Breastfeeding in the 21st century: "
           "epidemiology, mechanisms, and lifelong effect. <i>Lancet</i>. "
           "2016;387(10017):475-90.")
VICTORA_TITLE = "Breastfeeding in the 21st century: epidemiology, mechanisms, and lifelong effect"
KRAMER = ("Kramer MS, Chalmers B, Hodnett ED, et al. Promotion of Breastfeeding Intervention "
          "Trial (PROBIT): a randomized trial in the Republic of Belarus. JAMA. "
          "2001;285(4):413-20.")
MOON = ("Moon RY. SIDS and other sleep-related infant deaths: evidence base for 2016 updated "
        "recommendations for a safe infant sleeping environment. Pediatrics. "
        "2016;138(5):e20162940.")
VICTORA_PLAIN = VICTORA.replace("<i>", "").replace("</i>", "")
ROLLINS = ("Rollins NC, Bhandari N, Hajeebhoy N, et al. Why invest, and what it will take to "
           "improve breastfeeding practices? Lancet. 2016;387(10017):491-504.")
LINK_WORDS = ("Google Scholar", "CrossRef", "Cross Ref", "PubMed", "PMC free article", "CAS",
              "Article", "[", "^")


def read(page: str | bytes, name: str = "page.html"):
    raw = page.encode("utf-8") if isinstance(page, str) else page
    return read_document(raw, name, "html").references


def lines_of(page: str, marker: str) -> list[int]:
    """The lines of the saved page (1-based) where `marker` stands."""
    return [n for n, line in enumerate(page.splitlines(), 1) if marker in line]


def line_of(page: str, marker: str) -> int:
    return lines_of(page, marker)[0]


def assert_no_link_words(references) -> None:
    for reference in references:
        assert not any(word in reference.raw for word in LINK_WORDS), reference.raw


SPRINGER = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Bed-sharing and breastfeeding</title>
<script>var cited = "Smith J. A scripted trial of sleep. Lancet. 2001;357:1-2.";</script>
<style>.c-article-references {{ color: black; }}</style></head>
<body>
<header><nav><a href="/">Home</a> <a href="/journals">Journals</a></nav></header>
<main><article>
<h1>Bed-sharing and breastfeeding: a review</h1>
<p>Breastfeeding protects infants<sup><a href="#ref-CR3">3</a></sup>.</p>
<noscript>Hidden J. A noscript citation. Pediatrics. 2010;125:1-9.</noscript>
<template><li>Template J. A template citation. BMJ. 2011;342:d1.</li></template>
<section><div class="c-article-section" id="Bib1-section">
<h2 class="c-article-section__title" id="Bib1">References</h2>
<ol class="c-article-references" start="3">
<li class="c-article-references__item" data-counter="3.">
<p class="c-article-references__text" id="ref-CR3">{VICTORA}</p>
<p class="c-article-references__links"><a
 href="https://doi.org/10.1016%2FS0140-6736%2815%2901024-7" aria-label="Article reference 3"
 >Article</a>
<a href="https://pubmed.ncbi.nlm.nih.gov/26869575">PubMed</a>
<a href="http://scholar.google.com/scholar_lookup?title=Breastfeeding">Google Scholar</a></p></li>
<li class="c-article-references__item" data-counter="4.">
<p class="c-article-references__text" id="ref-CR4">{KRAMER}</p>
<p class="c-article-references__links"><a href="https://doi.org/10.1001/jama.285.4.413">CrossRef</a>
<a href="http://www.ncbi.nlm.nih.gov/pubmed/11242425">PubMed</a> <a href="#">CAS</a>
<a href="http://scholar.google.com/scholar_lookup?title=PROBIT">Google Scholar</a></p></li>
<li hidden>Hidden A. A hidden citation. Lancet. 2012;380:1-2.</li>
<li aria-hidden="true">Hidden B. An aria-hidden citation. Lancet. 2013;381:1-2.</li>
</ol>
<p class="c-article-references__download"><a href="refs.ris">Download references</a></p>
</div></section>
</article></main>
<footer><p>Footer F. A footer citation. Lancet. 2014;383:1-2.</p></footer>
</body></html>
"""


def test_a_journal_page_takes_dois_and_pmids_from_its_links_and_drops_their_words():
    references = read(SPRINGER)
    assert [(r.doi, r.pmid) for r in references] == [(LANCET, "26869575"),
                                                     ("10.1001/jama.285.4.413", "11242425")]
    assert references[0].title == VICTORA_TITLE
    assert references[0].authors[:2] == ("Victora, CG", "Bahl, R")
    assert references[1].year == 2001
    assert_no_link_words(references)


def test_an_ordered_list_keys_references_by_the_numbers_it_shows():
    assert [r.key for r in read(SPRINGER)] == ["3", "4"]
    page = f"<html><body><h2>References</h2><ol><li>{VICTORA}</li><li value='9'>{KRAMER}</li>" \
           f"<li>{MOON}</li></ol></body></html>"
    assert [r.key for r in read(page)] == ["1", "9", "10"]


def test_scripts_hidden_elements_menus_and_footers_are_never_read():
    texts = " ".join(r.raw for r in read(SPRINGER))
    for never in ("Smith J", "Hidden J", "Template J", "Hidden A", "Hidden B", "Footer F",
                  "Download references"):
        assert never not in texts
    # Nor on a page without a reference list, where the whole visible text is read.
    page = SPRINGER.replace('class="c-article-references" ', "").replace(
        '<h2 class="c-article-section__title" id="Bib1">References</h2>', "")
    assert [r.year for r in read(page)] == [2016, 2001]


def test_each_reference_is_placed_at_its_element_in_the_saved_file():
    assert [r.source.line for r in read(SPRINGER)] == [
        line_of(SPRINGER, 'data-counter="3."'), line_of(SPRINGER, 'data-counter="4."')]


PMC = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>PMC</title></head><body>
<div class="article">
<div id="reference-list" class="ref-list-sec sec"><h2>References</h2>
<ul class="back-ref-list">
<li id="B1"><a class="bk_tag">1.</a> <span class="element-citation">{VICTORA_PLAIN}
[<a href="https://pubmed.ncbi.nlm.nih.gov/26869575">PubMed</a>]
[<a href="https://dx.doi.org/10.1016/S0140-6736(15)01024-7">CrossRef</a>]
[<a href="https://scholar.google.com/scholar_lookup?journal=Lancet">Google Scholar</a>]</span></li>
<li id="B2"><a class="bk_tag">2.</a> <span class="element-citation">{ROLLINS}
[<a href="/pubmed/26869576">PubMed</a>]
[<a href="https://doi.org/10.1016/S0140-6736(15)01044-2">Cross Ref</a>]
[<a href="https://www.ncbi.nlm.nih.gov/pmc/articles/PMC4751234/">PMC free article</a>]</span></li>
</ul></div></div></body></html>
"""


def test_a_pmc_reference_list_with_its_bracketed_links():
    references = read(PMC)
    assert [(r.key, r.doi, r.pmid) for r in references] == [
        ("1", LANCET, "26869575"), ("2", "10.1016/s0140-6736(15)01044-2", "26869576")]
    assert references[1].title.startswith("Why invest")
    assert_no_link_words(references)
    assert [r.source.line for r in references] == [line_of(PMC, 'id="B1"'),
                                                   line_of(PMC, 'id="B2"')]


WIKIPEDIA = """<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8"><title>Breastfeeding - Wikipedia</title></head>
<body><div id="mw-navigation"><nav><ul><li>Main page</li></ul></nav></div>
<div id="content"><h1>Breastfeeding</h1>
<p>Breastfeeding has many benefits.<sup class="reference"><a href="#cite_note-V-1">[1]</a></sup>
</p>
<h2><span class="mw-headline" id="References">References</span></h2>
<div class="reflist columns references-column-width">
<ol class="references">
<li id="cite_note-V-1"><span class="mw-cite-backlink">^ <a href="#cite_ref-V_1-0"><sup><i><b
>a</b></i></sup></a> <a href="#cite_ref-V_1-1"><sup><i><b>b</b></i></sup></a></span>
<span class="reference-text"><cite>Victora CG, Bahl R, Barros AJ, et al. (2016).
<a href="https://www.thelancet.com/x">"Breastfeeding in the 21st century: epidemiology,
mechanisms, and lifelong effect"</a>. <i>Lancet</i>. <b>387</b> (10017): 475–90.
<a href="/wiki/Doi_(identifier)">doi</a>:<a
href="https://doi.org/10.1016%2FS0140-6736%2815%2901024-7">10.1016/S0140-6736(15)01024-7</a>.
<a href="/wiki/PMID_(identifier)">PMID</a>&#160;<a
href="https://pubmed.ncbi.nlm.nih.gov/26869575">26869575</a>.</cite></span></li>
<li id="cite_note-2"><span class="mw-cite-backlink"><b><a href="#cite_ref-2">^</a></b></span>
<span class="reference-text"><cite>World Health Organization (2017). <i>Guideline: protecting,
promoting and supporting breastfeeding in facilities providing maternity and newborn
services</i>. Geneva: WHO. <a href="/wiki/ISBN_(identifier)">ISBN</a>&#160;978-92-4-155008-6.
</cite></span></li>
</ol></div>
<h2><span class="mw-headline" id="External_links">External links</span></h2>
<ul><li><a href="https://www.who.int/health-topics/breastfeeding">WHO: Breastfeeding</a></li></ul>
</div></body></html>
"""


def test_a_wikipedia_reference_list_without_its_back_links():
    references = read(WIKIPEDIA)
    assert [(r.key, r.doi, r.pmid, r.year) for r in references] == [
        ("1", LANCET, "26869575", 2016), ("2", None, None, 2017)]
    assert references[0].raw.startswith("Victora CG")  # not "^ a b Victora CG"
    assert references[0].raw.lower().count(LANCET) == 1  # written once: not added again
    assert references[1].isbn is not None
    assert_no_link_words(references)


ZOTERO_VANCOUVER = """<!DOCTYPE html PUBLIC "-//W3C//DTD HTML 4.01//EN"
"http://www.w3.org/TR/html4/strict.dtd">
<html>
  <head>
    <meta http-equiv="Content-Type" content="text/html; charset=utf-8"/>
    <title>Bibliography</title>
  </head>
  <body>
    <div class="csl-bib-body" style="line-height: 1.35; ">
      <div class="csl-entry" style="clear: left; ">
        <div class="csl-left-margin" style="float: left; padding-right: 0.5em;">1. </div><div
 class="csl-right-inline" style="margin: 0 .4em 0 1.5em;">Victora CG, Bahl R, Barros AJD,
 França GVA, Horton S, Krasevec J, et al. Breastfeeding in the 21st century: epidemiology,
 mechanisms, and lifelong effect. Lancet. 2016 Jan 30;387(10017):475–90. </div>
      </div>
      <span class="Z3988" title="url_ver=Z39.88-2004&amp;ctx_ver=Z39.88-2004"></span>
      <div class="csl-entry" style="clear: left; ">
        <div class="csl-left-margin" style="float: left; padding-right: 0.5em;">2. </div><div
 class="csl-right-inline" style="margin: 0 .4em 0 1.5em;">Moon RY, Task Force on Sudden Infant
 Death Syndrome. SIDS and Other Sleep-Related Infant Deaths: Evidence Base for 2016 Updated
 Recommendations for a Safe Infant Sleeping Environment. Pediatrics. 2016 Nov;138(5):e20162940.
 </div>
      </div>
    </div>
  </body>
</html>
"""
ZOTERO_APA = """<html><head><meta charset="utf-8"></head><body>
<div class="csl-bib-body" style="line-height: 2; padding-left: 1em; text-indent:-1em;">
  <div class="csl-entry">Victora, C. G., Bahl, R., Barros, A. J. D., França, G. V. A.,
Horton, S., Krasevec, J., Murch, S., Sankar, M. J., Walker, N., &amp; Rollins, N. C. (2016).
Breastfeeding in the 21st century: Epidemiology, mechanisms, and lifelong effect. <i>The
Lancet</i>, <i>387</i>(10017), 475–490. https://doi.org/10.1016/S0140-6736(15)01024-7</div>
  <div class="csl-entry">Kramer, M. S., Chalmers, B., Hodnett, E. D., Sevkovskaya, Z.,
Dzikovich, I., Shapiro, S., Collet, J. P., Vanilovich, I., Mezen, I., Ducruet, T., Shishko, G.,
Zubovich, V., Mknuik, D., Gluchanina, E., Dombrovskiy, V., Ustinovitch, A., Kot, T.,
Bogdanovich, N., Ovchinikova, L., &amp; Helsing, E. (2001). Promotion of Breastfeeding
Intervention Trial (PROBIT): A randomized trial in the Republic of Belarus. <i>JAMA</i>,
<i>285</i>(4), 413–420. https://doi.org/10.1001/jama.285.4.413</div>
</div></body></html>
"""


def test_a_zotero_bibliography_exported_as_html():
    numbered = read(ZOTERO_VANCOUVER)
    assert [(r.key, r.year, r.authors[0]) for r in numbered] == [
        ("1", 2016, "Victora, CG"), ("2", 2016, "Moon, RY")]
    assert [r.source.line for r in numbered] == lines_of(ZOTERO_VANCOUVER, 'class="csl-entry"')
    author_date = read(ZOTERO_APA)
    assert [(r.doi, r.year) for r in author_date] == [(LANCET, 2016),
                                                      ("10.1001/jama.285.4.413", 2001)]


COURS = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Formation allaitement</title></head>
<body>
<h1>Formation : accompagner l’allaitement maternel</h1>
<p>Formatrice : A. Martin, IBCLC</p>
<h2>Programme</h2>
<ul><li>Physiologie de la lactation (2 h)</li><li>Positions et prise du sein</li></ul>
<h2>Bibliographie :</h2>
<p>Victora CG, Bahl R, Barros AJD, et al. Breastfeeding in the 21st century: epidemiology,
mechanisms, and lifelong effect. <em>Lancet</em>. 2016;387(10017):475-90.</p>
<p>Haute Autorité de Santé. Allaitement maternel : mise en œuvre et poursuite dans les 6
premiers mois de vie de l’enfant. Saint-Denis : HAS ; 2002.</p>
<p>Organisation mondiale de la Santé. Protection, encouragement et soutien de l’allaitement dans
les établissements qui fournissent des services de maternité et de néonatologie.
Genève : OMS ; 2017.</p>
<h2>Informations pratiques</h2>
<p>Smith J, Jones K. Tarifs et inscriptions pour la session de 2026. Lyon : Centre ; 2026.</p>
</body></html>
"""


def test_a_french_course_page_with_a_bibliographie_heading_and_paragraphs():
    references = read(COURS)
    assert [(r.key, r.year) for r in references] == [("1", 2016), ("2", 2002), ("3", 2017)]
    assert references[0].title == VICTORA_TITLE
    assert references[1].authors == ("Haute Autorité de Santé",)
    assert [r.source.line for r in references] == [
        line_of(COURS, "<p>Victora"), line_of(COURS, "<p>Haute"), line_of(COURS, "<p>Organisation")]
    assert not any("Smith J" in r.raw for r in references)  # after the next heading


def test_a_references_heading_ends_at_the_next_heading_of_its_level():
    page = f"""<html><body><h2>Introduction</h2><p>{MOON}</p>
<h2>7. References:</h2><h3>Breastfeeding</h3><ol><li>{VICTORA}</li><li>{KRAMER}</li></ol>
<h3>Sleep</h3><ol><li>{MOON}</li></ol>
<h2>Acknowledgements</h2><p>{ROLLINS}</p></body></html>"""
    references = read(page)
    assert [r.year for r in references] == [2016, 2001, 2016]
    # The list under "Sleep" starts again at 1: a new list, not a number written twice.
    assert [r.key for r in references] == ["1", "2", "3"]
    assert not any(r.findings for r in references if r.key == "3")


def test_a_references_line_standing_alone_and_citations_split_by_line_breaks():
    page = f"""<html><body><div class="content">
<p><strong>References</strong></p>
<p>{VICTORA}<br>
{KRAMER}<br>
{MOON}</p></div></body></html>"""
    references = read(page)
    assert [r.year for r in references] == [2016, 2001, 2016]
    assert [r.source.line for r in references] == [line_of(page, "Victora"),
                                                   line_of(page, "Kramer"), line_of(page, "Moon")]


def test_a_course_page_without_a_heading_hands_on_its_visible_text():
    page = f"""<html><body><nav><ul><li>{ROLLINS}</li></ul></nav>
<h1>Atelier allaitement</h1><p>Lectures conseillées pour préparer l’atelier&nbsp;:</p>
<ul><li>{VICTORA}</li><li>{KRAMER}</li></ul>
<p>Contact&nbsp;: formation@example.org</p></body></html>"""
    references = read(page)
    assert [(r.key, r.year) for r in references] == [("1", 2016), ("2", 2001)]


def test_text_as_the_browser_shows_it():
    victora = ("Victo\u00adra CG, Bahl\u00a0R, Barros AJD, et al. <b>Breastfeeding</b> in the "
               "21st <em>century</em>:<br>epidemiology, mechanisms, and\n   lifelong effect. "
               "<i>Lancet</i>. 2016;387(10017):475-90.")
    page = ("<html><body><h2>References</h2><ol><li>" + victora + "</li><li>Haute "
            "Autorite\u0301 de Sante\u0301. Allaitement maternel. Saint-Denis : HAS ; 2002.</li>"
            "</ol></body></html>")
    first, second = read(page)
    assert first.raw == ("Victora CG, Bahl R, Barros AJD, et al. Breastfeeding in the 21st "
                         "century: epidemiology, mechanisms, and lifelong effect. Lancet. "
                         "2016;387(10017):475-90.")
    assert first.title == VICTORA_TITLE
    assert second.authors == ("Haute Autorité de Santé",)  # composed: é, not e + accent


@pytest.mark.parametrize("raw", [
    '<html><head><meta charset="iso-8859-1"></head><body><h2>Références</h2><p>Haute Autorité '
    'de Santé. Allaitement maternel. Saint-Denis : HAS ; 2002.</p></body></html>'.encode("latin-1"),
    '<?xml version="1.0" encoding="iso-8859-1"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'
    '<body><h2>Références</h2><p>Haute Autorité de Santé. Allaitement maternel. Saint-Denis : '
    'HAS ; 2002.</p></body></html>'.encode("latin-1"),
    '<html><body><h2>Références</h2><p>Haute Autorité de Santé. Allaitement maternel. '
    'Saint-Denis : HAS ; 2002.</p></body></html>'.encode(),
    '<html><body><h2>Références</h2><p>Haute Autorité de Santé. Allaitement maternel. '
    'Saint-Denis : HAS ; 2002.</p></body></html>'.encode("cp1252"),
    '\ufeff<html><body><h2>Références</h2><p>Haute Autorité de Santé. Allaitement maternel. '
    'Saint-Denis : HAS ; 2002.</p></body></html>'.encode("utf-16"),
], ids=["meta-latin-1", "xml-declaration", "undeclared-utf-8", "undeclared-windows-1252",
        "utf-16-bom"])
def test_a_page_is_decoded_by_what_it_declares_else_utf8_else_windows_1252(raw):
    (reference,) = read(raw)
    assert reference.authors == ("Haute Autorité de Santé",)
    assert reference.year == 2002


@pytest.mark.parametrize(("head", "said"), [
    ("", "not UTF-8 and declares no charset"),
    ('<head><meta charset="utf-8"></head>', "declared as UTF-8 but is not")])
def test_a_page_read_as_windows_1252_without_saying_so_is_noted(head, said):
    # the accents may be wrong: the reader is told where to look (I003), and which guess
    raw = (f"<html>{head}<body>\n<h2>Références</h2>\n<p>Haute Autorité de Santé. Allaitement "
           "maternel. Saint-Denis : HAS ; 2002.</p></body></html>").encode("cp1252")
    got = read_document(raw, "page.html", "html")
    assert [r.authors for r in got.references] == [("Haute Autorité de Santé",)]
    (problem,) = got.problems
    assert (problem.finding.code, problem.source.line) == ("I003", 2)
    assert said in problem.finding.message and "Windows-1252" in problem.finding.message


def test_a_page_in_the_encoding_it_declares_has_no_encoding_note():
    raw = ('<html><head><meta charset="iso-8859-1"></head><body><h2>Références</h2><p>Haute '
           "Autorité de Santé. Allaitement maternel. Saint-Denis : HAS ; 2002.</p></body></html>"
           ).encode("latin-1")
    assert read_document(raw, "page.html", "html").problems == []


def test_a_page_without_references_is_said_so():
    page = """<html><body><h1>Nous contacter</h1><p>Écrivez-nous à contact@example.org.</p>
<p>Nos bureaux sont ouverts du lundi au vendredi.</p></body></html>"""
    with pytest.raises(InputError, match=r"^page\.html: no reference"):
        read(page)
    with pytest.raises(InputError, match="no reference list found in this web page"):
        read("<html><head><title>x</title><script>var x = 1;</script></head><body></body></html>")
    assert extract_html(b"<html><body><p hidden>x</p></body></html>", "page.html").lines == []


@pytest.mark.parametrize("raw", [bytes(range(256)) * 20, b"\x89PNG\r\n\x1a\n" + b"\x00\x17" * 999,
                                 b"Victora CG. Lancet. 2016;387:475-90. (no markup at all)"])
def test_a_file_that_is_no_web_page_is_an_input_error(raw):
    with pytest.raises(InputError) as error:
        read(raw, "saved.html")
    message = str(error.value)
    assert message.startswith("saved.html: not a web page") and "\n" not in message


def test_a_saved_page_is_checked_from_the_command_line(tmp_path):
    page = tmp_path / "article.html"
    page.write_text(SPRINGER, encoding="utf-8")
    out = tmp_path / "report.json"
    code = main(["check", str(page), "--offline", "--format", "json", "-o", str(out),
                 "--cache-dir", str(tmp_path / "cache")])
    assert code in (0, 1, 4)
    report = json.loads(out.read_text("utf-8"))
    assert [(r["key"], r["doi"], r["source"]["line"]) for r in report["references"]] == [
        ("3", LANCET, line_of(SPRINGER, 'data-counter="3."')),
        ("4", "10.1001/jama.285.4.413", line_of(SPRINGER, 'data-counter="4."'))]
