"""The citation labeller's parts: tokens, the labels taught from annotated spans, the fields read
back from labels, the corpora readers, and the shipped model on strings written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.sources.citation_text import Citation
from auditor.sources.citations import model
from auditor.sources.citations.corpora import Labelled, deduplicated, read_anystyle, read_grobid
from auditor.sources.citations.features import shape, token_features
from auditor.sources.citations.fields import (
    combined,
    numbers_at_end,
    pages_of,
    to_citation,
    volume_and_issue,
)
from auditor.sources.citations.labels import Label
from auditor.sources.citations.styles import labelled, short_range
from auditor.sources.citations.tokens import tokenize
from auditor.sources.citations.training import token_labels, train


def texts(text: str) -> list[str]:
    return [t.text for t in tokenize(text)]


def test_a_vancouver_tail_is_cut_into_its_numbers_and_marks():
    assert texts("Lancet. 2016;387(10017):475-90.") == [
        "Lancet", ".", "2016", ";", "387", "(", "10017", ")", ":", "475", "-", "90", "."]


def test_a_doi_stays_whole_without_the_sentence_full_stop():
    tokens = tokenize("Pediatrics. 2012;129(3):e827. doi:10.1542/peds.2011-3552.")
    assert "doi:10.1542/peds.2011-3552" in [t.text for t in tokens]
    assert tokens[-1].text == "."


def test_a_doi_keeps_the_brackets_it_holds():
    assert "10.1016/S0140-6736(15)01024-7" in texts("Lancet. 10.1016/S0140-6736(15)01024-7.")


def test_tokens_know_the_space_before_them():
    tokens = tokenize("Hamer, R. (1982)")
    assert [t.space_before for t in tokens] == [False, False, True, False, True, False, False]


def test_shapes_tell_initials_years_and_electronic_pages_apart():
    assert shape("Victora") == "Xx"
    assert shape("CG") == "X"
    assert shape("2016") == "dddd"
    assert shape("e827") == "xddd"


def test_every_token_gets_features_with_its_neighbours():
    rows = token_features(tokenize("Kramer MS. Title here. JAMA. 2001;285:413-20."))
    assert len(rows) == len(tokenize("Kramer MS. Title here. JAMA. 2001;285:413-20."))
    assert "first" in rows[0] and "-1:none" in rows[0]
    assert "year" in rows[texts("Kramer MS. Title here. JAMA. 2001;285:413-20.").index("2001")]


def test_punctuation_takes_the_label_of_the_word_it_is_written_against():
    # GROBID leaves separators unlabelled, anystyle puts them inside fields: one habit wins
    text = "Hamer, R. (1982) Title."
    item = Labelled(text, ((0, 9, Label.AUTHOR), (11, 15, Label.DATE), (17, 22, Label.TITLE)),
                    "test")
    labels = token_labels(item, tokenize(text))
    assert [str(x) for x in labels] == ["author", "author", "author", "author", "date", "date",
                                        "date", "title", "title"]


@pytest.mark.parametrize(("written", "volume", "issue"), [
    ("387(10017)", "387", "10017"), ("Vol. 12, No. 3", "12", "3"), ("20 Suppl 2", "20", "Suppl 2"),
    ("vol. 16, n° 1", "16", "1"), ("45", "45", None), ("23(1/2)", "23", "1/2"),
    ("", None, None), ("(", None, None), ("(8)", None, "8")])
def test_volume_and_issue_are_told_apart(written, volume, issue):
    assert volume_and_issue(written) == (volume, issue)


def test_pages_lose_their_abbreviation():
    assert pages_of("pp. 475–490") == "475–490"
    assert pages_of("p. e1008184") == "e1008184"


def test_fields_are_read_back_from_labelled_tokens():
    text = "Victora CG, Bahl R. Breastfeeding in the 21st century. Lancet. 2016;387(10017):475-90."
    tokens = tokenize(text)
    words = [t.text for t in tokens]
    title_at, journal_at, year_at = words.index("Breastfeeding"), words.index("Lancet"), \
        words.index("2016")
    labels = (["author"] * title_at + ["title"] * (journal_at - title_at)
              + ["container"] * (year_at - journal_at) + ["date", "date"]
              + ["volume"] * 4 + ["pages"] * 5)
    cited = to_citation(text, tokens, labels)
    assert cited.authors == ("Victora, CG", "Bahl, R")
    assert cited.title == "Breastfeeding in the 21st century"
    assert cited.container == "Lancet"
    assert (cited.year, cited.volume, cited.issue, cited.pages) == (2016, "387", "10017", "475-90")


def test_the_rules_fill_only_what_the_labeller_left_empty():
    from_labels = Citation(title="A title", authors=("Kramer, MS",), year=None)
    from_rules = Citation(title="Another title", authors=("Other, A",), year=2001, volume="285")
    out = combined("", from_labels, from_rules)
    assert (out.title, out.authors, out.year, out.volume) == ("A title", ("Kramer, MS",), 2001,
                                                              "285")


def test_written_pieces_become_labelled_spans():
    item = labelled([("Kramer MS.", Label.AUTHOR), (" ", None), ("A title.", Label.TITLE)], "t")
    assert item.text == "Kramer MS. A title."
    assert [item.text[a:b] for a, b, _ in item.spans] == ["Kramer MS.", "A title."]
    assert short_range("475-490") == "475-90" and short_range("e736-e751") == "e736-51"


def test_anystyle_and_grobid_files_are_read_as_labelled_spans(tmp_path: Path):
    anystyle = tmp_path / "any.xml"
    anystyle.write_text(
        "<dataset><sequence><author>Hamer, R.</author> <date>(1982).</date> "
        "<title>Hydrostatic pressure.</title> <journal>Nature,</journal> "
        "<volume>12,</volume> <pages>1-9.</pages></sequence></dataset>", encoding="utf-8")
    item = next(read_anystyle(anystyle))
    assert item.text.startswith("Hamer, R. (1982).")
    assert [(item.text[a:b], str(label)) for a, b, label in item.spans][:2] == [
        ("Hamer, R.", "author"), ("(1982).", "date")]
    grobid = tmp_path / "g.xml"
    grobid.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><back><listBibl><bibl>'
        '<author>Hamer R</author>. <title level="a">Hydrostatic pressure</title>. '
        '<title level="j">Nature</title> <date>1982</date>;'
        '<biblScope unit="volume">12</biblScope>:<biblScope unit="page">1-9</biblScope>.'
        '</bibl></listBibl></back></text></TEI>', encoding="utf-8")
    item = next(read_grobid(grobid))
    found = {str(label): item.text[a:b] for a, b, label in item.spans}
    assert found["title"] == "Hydrostatic pressure" and found["container"] == "Nature"
    assert found["date"] == "1982" and found["pages"] == "1-9"
    assert len(deduplicated([item, Labelled(item.text.upper(), (), "copy")])) == 1


def test_training_learns_what_it_is_shown(tmp_path: Path):
    pieces = [("Kramer MS.", Label.AUTHOR), (" ", None), ("Breastfeeding and growth.",
                                                          Label.TITLE),
              (" ", None), ("JAMA.", Label.CONTAINER), (" ", None), ("2001", Label.DATE),
              (";", None), ("285", Label.VOLUME), (":", None), ("413-20", Label.PAGES)]
    items = [labelled(pieces, "t")] * 5
    path = tmp_path / "tiny.crfsuite"
    train(items, path, {"max_iterations": 30, "feature.minfreq": 0})
    cited = model.read_labelled("Kramer MS. Breastfeeding and growth. JAMA. 2001;285:413-20",
                                path)
    assert cited is not None and cited.title == "Breastfeeding and growth"


shipped = pytest.mark.skipif(not model.available(), reason="no shipped citation model")


@shipped
@pytest.mark.parametrize(("text", "title", "family", "container", "year", "volume", "first"), [
    # a supplement written after the volume
    ("Turck D, Vidailhet M, Bocquet A, et al. Allaitement maternel: les bénéfices pour la "
     "santé de l'enfant et de sa mère. Arch Pediatr. 2013;20 Suppl 2:S29-48.",
     "Allaitement maternel: les bénéfices pour la santé de l'enfant et de sa mère", "Turck",
     "Arch Pediatr", 2013, "20", "S29"),
    # BMC: authors, a colon, the title — the rules put the authors into the title
    ("Lefèvre P, Martin AB: Skin-to-skin contact after caesarean birth. BMC Pregnancy "
     "Childbirth 2019, 19:233.", "Skin-to-skin contact after caesarean birth", "Lefèvre",
     "BMC Pregnancy Childbirth", 2019, "19", "233"),
    # French capitals and ISO 690
    ("DUPONT M, LEROY C. Allaitement et reprise du travail. Arch Pediatr. 2018 ; 25 (3) : "
     "210-5.", "Allaitement et reprise du travail", "DUPONT", "Arch Pediatr", 2018, "25", "210"),
    ("MOREAU, A., PETIT, J. Douleur du mamelon en post-partum. Revue de Médecine Périnatale, "
     "2020, vol. 12, n° 2, p. 88-94.", "Douleur du mamelon en post-partum", "MOREAU",
     "Revue de Médecine Périnatale", 2020, "12", "88"),
    # APA
    ("Nguyen, T., & Walker, S. (2021). Donor milk banking in rural hospitals. Journal of Human "
     "Lactation, 37(2), 301–309.", "Donor milk banking in rural hospitals", "Nguyen",
     "Journal of Human Lactation", 2021, "37", "301"),
    # Nature: a colon in the title is no "Place: Publisher"; initials are no title
    ("Lawn, J. E. et al. Every newborn: progress, priorities, and potential beyond survival. "
     "Lancet 384, 189–205 (2014).", "Every newborn: progress, priorities, and potential "
     "beyond survival", "Lawn", "Lancet", 2014, "384", "189"),
    ("Andreas, N. J., Kampmann, B. & Mehring Le-Doare, K. Human breast milk: a review on its "
     "composition and bioactivity. Early Hum. Dev. 91, 629–635 (2015).", "Human breast milk: "
     "a review on its composition and bioactivity", "Andreas", "Early Hum. Dev", 2015, "91",
     "629"),
])
def test_the_shipped_model_reads_health_styles(text, title, family, container, year, volume,
                                               first):
    cited = model.read(text)
    assert cited.title == title
    assert cited.authors[0].startswith(family)
    assert cited.container == container
    assert (cited.year, cited.volume) == (year, volume)
    assert cited.pages.startswith(first)
    assert cited.journal_like and cited.publisher is None


@pytest.mark.parametrize(("ending", "fields"), [
    ("Lancet. 2016 Jan 30;387(10017):475-90.",
     {"year": "2016", "volume": "387", "issue": "10017", "pages": "475-90"}),
    ("Birth 2002, 29:83-94.", {"year": "2002", "volume": "29", "pages": "83-94"}),
    ("The Lancet, 2016, vol. 387, n° 10017, p. 475-490.",
     {"year": "2016", "volume": "387", "issue": "10017", "pages": "475-490"}),
    ("The Lancet 387, no. 10017: 475–490.", {"volume": "387", "issue": "10017",
                                             "pages": "475–490"}),
    ("Journal of Human Lactation, 37(2), 301–309.", {"volume": "37", "issue": "2",
                                                     "pages": "301–309"}),
    ("Geneva: World Health Organization; 2023.", None),
])
def test_the_numbers_a_journal_citation_ends_with(ending, fields):
    assert numbers_at_end(ending) == fields


def test_the_rules_numbers_replace_the_labellers_when_those_cannot_be_right():
    # "2016;387(10017):475-90" with the year labelled as the volume
    from_labels = Citation(title="Breastfeeding", container="Lancet", volume="2016",
                           pages="475-90", year=None)
    from_rules = Citation(title="Breastfeeding", container="Lancet", volume="387",
                          issue="10017", pages="475-90", year=2016)
    out = combined("", from_labels, from_rules)
    assert (out.year, out.volume, out.issue, out.pages) == (2016, "387", "10017", "475-90")
    kept = combined("", Citation(container="Nature", volume="12", pages="1-9", year=1982),
                    Citation(container="Nature", volume="21", pages="1-9", year=1982))
    assert kept.volume == "12"  # the labeller's, well formed, stands


def test_a_bibtex_file_never_opens_the_labeller(tmp_path: Path):
    from auditor.sources import read_path

    bib = tmp_path / "list.bib"
    bib.write_text("@article{k, author={Kramer, M. S.}, title={Optimal duration of exclusive "
                   "breastfeeding}, journal={Cochrane Database Syst Rev}, year={2012}}\n",
                   encoding="utf-8")
    model._open.cache_clear()
    assert [r.title for r in read_path(bib).references] == [
        "Optimal duration of exclusive breastfeeding"]
    assert model._open.cache_info().currsize == 0
    pasted = tmp_path / "list.txt"
    pasted.write_text("1. Kramer MS, Kakuma R: Optimal duration of exclusive breastfeeding. "
                      "Cochrane Database Syst Rev 2012, 8:CD003517.\n", encoding="utf-8")
    read_path(pasted)
    assert model._open.cache_info().currsize == (1 if model.MODEL.exists() else 0)
