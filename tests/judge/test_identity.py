import pytest
from builders import found, make_reference, make_work

from auditor.judge.identity import judge_identity
from auditor.judge.titles import normalize_title, title_similarity
from auditor.model import Lookup

P = pytest.param
VICTORA = {"DOI": "10.1016/s0140-6736(15)01024-7",
           "title": ["Breastfeeding in the 21st century: epidemiology, mechanisms, and "
                     "lifelong effect"],
           "author": [{"family": "Victora", "given": "Cesar G"}, {"family": "Bahl"}],
           "issued": {"date-parts": [[2016, 1]]}}


def cited(**fields):
    base = {"doi": "10.1016/s0140-6736(15)01024-7", "year": 2016,
            "authors": ("Victora, Cesar G.",),
            "title": "Breastfeeding in the 21st century: epidemiology, mechanisms, and "
                     "lifelong effect"}
    base.update(fields)
    return make_reference(**base)


@pytest.mark.parametrize("reference", [
    P(cited(), id="identical"),
    P(cited(title="BREASTFEEDING IN THE 21ST CENTURY"), id="upper-case-no-subtitle"),
    P(cited(title="Breastfeeding in the 21st century"), id="subtitle-left-out"),
    P(cited(title="Breast-feeding in the 21st century — epidemiology, mechanisms and lifelong "
                  "effect."), id="punctuation-and-hyphens"),
    P(cited(year=2015), id="year-off-by-one"),
    P(cited(title=None), id="no-cited-title"),
    P(cited(title="Allaitement au 21e siècle [Breastfeeding in the 21st century: epidemiology,"
                  " mechanisms, and lifelong effect]"), id="translated-title-in-brackets"),
])
def test_verified_despite_cosmetic_differences(reference):
    identity = judge_identity(reference, found(make_work(**VICTORA)))
    resolution, findings = identity.resolution, identity.findings
    assert resolution == "verified"
    assert findings == ()


def test_another_paper_behind_the_doi_is_a_mismatch():
    reference = cited(title="Optimal duration of exclusive breastfeeding",
                      authors=("Kramer, Michael S.",), year=2012)
    identity = judge_identity(reference, found(make_work(**VICTORA)))
    resolution, findings = identity.resolution, identity.findings
    assert resolution == "mismatch"
    assert findings[0].code == "D004"
    assert "Breastfeeding in the 21st century" in findings[0].message


def test_a_different_title_is_verified_only_when_volume_or_pages_confirm_it():
    # A French title without the original: the volume and first page vouch for the DOI.
    work = make_work(**VICTORA, volume="387", page="475-490")
    confirmed = cited(title="Allaitement : épidémiologie et effets", volume="387",
                      pages="475--490")
    assert judge_identity(confirmed, found(work)).resolution == "verified"
    # Nothing to confirm it: a clearly different title is a wrong DOI until shown otherwise.
    bare = cited(title="Allaitement : épidémiologie et effets")
    assert judge_identity(bare, found(work)).resolution == "mismatch"


@pytest.mark.parametrize(("reference", "message"), [
    P(make_reference(doi="10.1007/978-1-4842-6700-4_5", title="Designing The Small Widget",
                     authors=("Lynch, S",), year=2020),
      {"title": ["Adding Additional Widget Sizes"], "author": [{"family": "Lynch"}],
       "issued": {"date-parts": [[2020]]}, "type": "book-chapter"},
      id="sibling-chapter-same-author-and-year"),
    P(make_reference(doi="10.1016/j.coastaleng.2026.104952", year=2025, volume="196",
                     authors=("Koh, MJ",), title="Experimental study on tsunami-driven debris "
                     "damming loads on columns of an elevated coastal structure"),
      {"title": ["Experimental investigation of mechanisms leading to tsunami-driven debris "
                 "damming on elevated structures"], "issued": {"date-parts": [[2026]]},
       "author": [{"family": "Jayasekara"}, {"family": "Doyle"}, {"family": "Koh"}],
       "volume": "203"}, id="follow-up-paper-other-volume"),
    P(make_reference(doi="10.7717/peerj.1114", year=2014, pages="e616",
                     authors=("Harrison, XA",), title="Using observation-level random effects "
                     "to model overdispersion in count data in ecology and evolution"),
      {"title": ["A comparison of observation-level random effect and Beta-Binomial models "
                 "for modelling overdispersion in Binomial data in ecology & evolution"],
       "author": [{"family": "Harrison"}], "issued": {"date-parts": [[2015]]},
       "page": "e1114"}, id="same-author-next-paper-other-page"),
])
def test_another_paper_of_the_same_group_is_a_mismatch(reference, message):
    work = make_work(DOI=reference.doi, **message)
    identity = judge_identity(reference, found(work))
    resolution, findings = identity.resolution, identity.findings
    assert resolution == "mismatch"
    assert findings[0].code == "D004"



@pytest.mark.parametrize(("lookup", "resolution", "code"), [
    P(Lookup("10.1016/s0140-6736(15)01024-7", "not-found"), "not-found", "D002",
      id="not-found"),
    P(Lookup("10.1016/s0140-6736(15)01024-7", "unchecked", reason="timeout"), "unchecked",
      "D003", id="unchecked-never-not-found"),
])
def test_registry_answers(lookup, resolution, code):
    identity = judge_identity(cited(), lookup)
    result, findings = identity.resolution, identity.findings
    assert result == resolution
    assert [f.code for f in findings] == [code]


def test_no_doi_is_no_identifier():
    identity = judge_identity(make_reference(title="A book"), None)
    result, findings = identity.resolution, identity.findings
    assert result == "no-identifier"
    assert [f.code for f in findings] == ["D007"]


@pytest.mark.parametrize(("text", "expected"), [
    P("RETRACTED: Über {Milch}", "uber milch", id="retracted-prefix-accents-braces"),
    P("Breast-feeding & HIV", "breast feeding hiv", id="punctuation"),
])
def test_normalize_title(text, expected):
    assert normalize_title(text) == expected


def test_similarity_is_one_for_same_words_and_low_for_other_papers():
    assert title_similarity("Human milk composition", "HUMAN MILK COMPOSITION.") == 1.0
    assert title_similarity("Human milk composition", "Skin-to-skin contact in newborns") < 0.5


@pytest.mark.parametrize(("cited", "registered"), [
    P("The Present and Future of Aging-on-A-Chip",
      "On the logic of Schopenhauerian pessimism: the present and the future of a philosophy",
      id="shared-stop-words-only"),
    P("Panoramic cone beam computed tomography",
      "Endodontic management of a mandibular molar with four canals: a case report",
      id="unrelated-clinical-titles"),
    P("Introduction", "Introduction to the special issue on lactation", id="one-word-title"),
])
def test_different_titles_score_low(cited, registered):
    assert title_similarity(cited, registered) < 0.5


def test_wrong_doi_with_other_author_and_year_is_a_mismatch():
    work = make_work(DOI="10.5902/2179378688194", title=[
        "On the logic of Schopenhauerian pessimism"], author=[{"family": "Freitas"}],
        issued={"date-parts": [[2024]]})
    reference = make_reference(doi="10.5902/2179378688194", year=2026, authors=("Smith, J.",),
                               title="The Present and Future of Aging-on-A-Chip")
    assert judge_identity(reference, found(work)).resolution == "mismatch"
