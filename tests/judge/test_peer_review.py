import pytest
from builders import make_reference, make_work

from auditor.judge.kind import kind_of
from auditor.judge.peer_review import is_non_research_title, judge_peer_review

P = pytest.param
ISSN = {"ISSN": ["0140-6736"], "container-title": ["The Lancet"]}


def review_of(message=None, **reference):
    work = make_work(**message) if message is not None else None
    ref = make_reference(**reference)
    kind, _ = kind_of(ref, work)
    return judge_peer_review(kind, ref, work)


@pytest.mark.parametrize(("message", "expected", "reason_part"), [
    P({**ISSN, "title": ["Breastfeeding in the 21st century"]}, "peer-reviewed",
      "ISSN 0140-6736", id="journal-with-issn"),
    P({**ISSN, "assertion": [{"name": "peer_reviewed", "value": "Yes"}]}, "peer-reviewed",
      "asserts peer_reviewed: Yes", id="publisher-assertion"),
    P({**ISSN, "relation": {"has-review": [{"id-type": "doi", "id": "10.7554/eLife.1.016"}]}},
      "peer-reviewed", "has-review", id="registered-review-reports"),
    P({"type": "journal-article", "title": ["A paper"]}, "unknown", "without an ISSN",
      id="journal-article-without-issn"),
    P({**ISSN, "title": ["Erratum: Breastfeeding in the 21st century"]}, "not-peer-reviewed",
      "editorial, letter", id="erratum"),
    P({**ISSN, "title": ["Editorial"]}, "not-peer-reviewed", "editorial", id="editorial"),
    P({**ISSN, "title": ["Letter to the editor: on skin-to-skin care"]}, "not-peer-reviewed",
      "letter", id="letter"),
    P({**ISSN, "title": ["Retraction notice"],
       "update-to": [{"DOI": "10.1234/other", "type": "retraction"}]},
      "not-peer-reviewed", "retraction notice about 10.1234/other", id="retraction-notice"),
    P({"type": "posted-content", "subtype": "preprint", "DOI": "10.1101/2020.01.01.1"},
      "not-peer-reviewed", "preprint", id="preprint"),
    P({"type": "posted-content", "subtype": "preprint", "DOI": "10.1101/055319",
       "relation": {"is-preprint-of": [{"id-type": "doi", "id": "10.7717/peerj.3811"}]}},
      "not-peer-reviewed", "published version: 10.7717/peerj.3811", id="published-preprint"),
    P({"type": "book"}, "book", "editorial review", id="book"),
    P({"type": "book-chapter"}, "book", "chapter", id="chapter"),
    P({"type": "proceedings-article"}, "proceedings", "varies", id="proceedings"),
    P({"type": "report"}, "grey", "grey literature", id="report"),
    P({"type": "dissertation"}, "grey", "thesis", id="thesis"),
    P({"type": "dataset"}, "grey", "dataset", id="dataset"),
    P({"type": "other"}, "unknown", "no peer-review signal", id="other"),
    P({"type": "posted-content", "subtype": "other", "DOI": "10.57099/11h5yt3819"}, "grey",
      "posted content (other)", id="posted-content-other"),
])
def test_peer_review_from_crossref(message, expected, reason_part):
    verdict, reason, _ = review_of(message)
    assert verdict == expected
    assert reason_part in reason


def test_a_self_link_new_version_is_not_a_notice():
    # PLOS records point `update-to` at themselves, type new_version (10.1371/journal.ppat.1008184)
    verdict, _, _ = review_of({**ISSN, "DOI": "10.1371/journal.ppat.1008184", "update-to": [
        {"DOI": "10.1371/journal.ppat.1008184", "type": "new_version"}]})
    assert verdict == "peer-reviewed"


def test_preprint_findings_point_to_the_published_version():
    _, _, findings = review_of({"type": "posted-content", "subtype": "preprint",
                                "relation": {"is-preprint-of": [{"id-type": "doi",
                                                                 "id": "10.1/PUB"}]}})
    assert [f.code for f in findings] == ["P001", "P003"]
    assert "10.1/pub" in findings[1].message


@pytest.mark.parametrize(("resolution", "says"), [
    P("unchecked", "not checked on Crossref", id="unchecked"),
    P("mismatch", "its DOI leads to another work", id="mismatch"),
    P("not-found", "Crossref does not know its DOI", id="not-found"),
    P("no-identifier", "no DOI to check", id="no-doi"),
])
def test_unresolved_journal_article_is_unknown_and_says_why(resolution, says):
    ref = make_reference(entry_type="article", container="Breastfeeding Medicine")
    verdict, reason, _ = judge_peer_review("journal-article", ref, None, resolution)
    assert verdict == "unknown"
    assert "Breastfeeding Medicine" in reason and says in reason


def test_unresolved_book_is_judged_from_the_entry_type():
    verdict, reason, _ = review_of(None, entry_type="book")
    assert verdict == "book"
    assert "entry type" in reason


@pytest.mark.parametrize(("title", "expected"), [
    P("Reply to Smith et al.", True, id="reply"),
    P("Correction to: Early skin-to-skin contact", True, id="correction-to"),
    P("Corrections", True, id="corrections"),
    P("Correctional nursing and lactation", False, id="word-starting-like-correction"),
    P("Editorials in nursing journals: a content analysis", False, id="editorials-as-topic"),
    P("Newborn weight loss", False, id="news-prefix-of-a-word"),
])
def test_non_research_titles(title, expected):
    assert is_non_research_title(title) is expected


@pytest.mark.parametrize("title", [
    P("Response to neoadjuvant chemotherapy in breast cancer: a cohort study", id="response"),
    P("Retraction of the nipple in lactating women: a case series", id="nipple-retraction"),
    P("Correction of hallux valgus deformity: a randomized controlled trial", id="correction-of"),
    P("News media coverage of breastfeeding in France", id="news-media"),
    P("Reply rates to online breastfeeding surveys", id="reply-rates"),
])
def test_research_titles_with_notice_like_first_words(title):
    assert is_non_research_title(title) is False


@pytest.mark.parametrize("title", [
    P("Retraction: Probiotics in breast milk", id="retraction-colon"),
    P("Retraction notice to “Probiotics in breast milk”", id="retraction-notice"),
    P("Response to the letter by Smith et al.", id="response-to-letter"),
    P("Reply to Jones et al.", id="reply-to-et-al"),
    P("In reply", id="in-reply"),
    P("Correction to: Early skin-to-skin contact", id="correction-to"),
    P("Notice of retraction", id="notice-of-retraction"),
])
def test_notices_and_replies(title):
    assert is_non_research_title(title) is True
