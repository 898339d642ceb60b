import pytest
from builders import make_reference, make_work

from auditor.judge.kind import kind_of
from auditor.judge.peer_review import (
    counts_as_peer_reviewed,
    is_non_research_title,
    issuer_of,
    judge_peer_review,
)
from auditor.model import Evidence, JournalStanding

P = pytest.param
ISSN = {"ISSN": ["0140-6736"], "container-title": ["The Lancet"]}


def review_of(message=None, standings=None, evidence=None, pubmed_types=(), **reference):
    work = make_work(**message) if message is not None else None
    ref = make_reference(**reference)
    kind, _ = kind_of(ref, work)
    return judge_peer_review(kind, ref, work, evidence=evidence, standings=standings,
                             pubmed_types=pubmed_types)


@pytest.mark.parametrize(("message", "expected", "reason_part"), [
    P({**ISSN, "title": ["Breastfeeding in the 21st century"]}, "peer-reviewed",
      "ISSN 0140-6736", id="journal-with-issn"),
    P({**ISSN, "assertion": [{"name": "peer_reviewed", "value": "Yes"}]}, "peer-reviewed",
      "the publisher states that it was peer reviewed", id="publisher-assertion"),
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
    review = review_of(message)
    assert review.verdict == expected
    assert reason_part in review.reason


def test_a_self_link_new_version_is_not_a_notice():
    # PLOS records point `update-to` at themselves, type new_version (10.1371/journal.ppat.1008184)
    review = review_of({**ISSN, "DOI": "10.1371/journal.ppat.1008184", "update-to": [
        {"DOI": "10.1371/journal.ppat.1008184", "type": "new_version"}]})
    assert review.verdict == "peer-reviewed"


def test_preprint_findings_point_to_the_published_version():
    findings = review_of({"type": "posted-content", "subtype": "preprint",
                          "relation": {"is-preprint-of": [{"id-type": "doi",
                                                           "id": "10.1/PUB"}]}}).findings
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
    review = judge_peer_review("journal-article", ref, None, resolution)
    assert review.verdict == "unknown" and review.signal == "none"
    assert "Breastfeeding Medicine" in review.reason and says in review.reason


def test_unresolved_book_is_judged_from_the_entry_type():
    review = review_of(None, entry_type="book")
    assert review.verdict == "book"
    assert "entry type" in review.reason


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


# --- the signal a journal article's peer review rests on -------------------------------------

LANCET = JournalStanding("0140-6736", medline=True, medline_title="Lancet", doaj=False)
OPEN = JournalStanding("1932-6203", medline=False, doaj=True, doaj_review="Anonymous peer review")
NOWHERE = JournalStanding("0140-6736", medline=False, doaj=False)


@pytest.mark.parametrize(("standing", "signal", "says"), [
    P(LANCET, "indexed", "MEDLINE journal (Lancet", id="medline"),
    P(OPEN, "indexed", "DOAJ with a stated process: Anonymous peer review", id="doaj"),
    P(NOWHERE, "issn", "not currently indexed for MEDLINE nor listed in DOAJ", id="in-neither"),
    P(None, "issn", "journal lists (MEDLINE, DOAJ) were not asked", id="lists-not-asked"),
    P(JournalStanding("0140-6736"), "issn", "ISSN only", id="lists-unanswered"),
])
def test_the_journal_lists_grade_the_signal(standing, signal, says):
    issn = standing.issn if standing else "0140-6736"
    review = review_of({"ISSN": [issn], "container-title": ["J"]},
                       standings={issn: standing} if standing else {})
    assert review.verdict == "peer-reviewed" and review.signal == signal
    assert says in review.reason


def test_a_publisher_assertion_is_the_strongest_signal_whatever_the_lists_say():
    review = review_of({**ISSN, "assertion": [{"name": "peer_reviewed", "value": "Yes"}]},
                       standings={"0140-6736": NOWHERE})
    assert review.signal == "asserted"


@pytest.mark.parametrize(("requires", "counted"), [
    P("issn", {"asserted", "indexed", "issn"}, id="issn"),
    P("indexed", {"asserted", "indexed"}, id="indexed"),
    P("asserted", {"asserted"}, id="asserted"),
])
def test_the_required_signal_decides_what_counts_as_peer_reviewed(requires, counted):
    assert {s for s in ("asserted", "indexed", "issn", "none")
            if counts_as_peer_reviewed("peer-reviewed", s, requires)} == counted
    assert not counts_as_peer_reviewed("grey", "asserted", "issn")


@pytest.mark.parametrize(("message", "says"), [
    P({**ISSN, "issue": "15_suppl", "page": "e12345", "title": ["Breastfeeding and cancer"]},
      "supplement issue (15_suppl) with an abstract number", id="asco-supplement"),
    P({**ISSN, "issue": "Suppl 1", "page": "P-123", "title": ["Donor milk banking"]},
      "abstract number", id="poster-number"),
    P({**ISSN, "title": ["Abstracts of the 12th congress"]}, "meeting abstract",
      id="abstracts-title"),
    P({**ISSN, "container-title": ["Abstracts of the ISRHML Conference"]},
      "a meeting's abstracts", id="abstracts-container"),
])
def test_meeting_abstracts_are_not_peer_reviewed(message, says):
    review = review_of(message, standings={"0140-6736": LANCET})
    assert review.verdict == "not-peer-reviewed" and says in review.reason
    assert [f.code for f in review.findings] == ["P002"]


@pytest.mark.parametrize("message", [
    P({**ISSN, "issue": "Suppl 2", "page": "S12-S19", "title": ["Breastfeeding and cancer"]},
      id="supplement-article"),
    P({"ISSN": ["1932-6203"], "container-title": ["PLoS ONE"], "page": "e0033693"},
      id="e-page-outside-a-supplement"),
])
def test_supplement_articles_and_e_pages_alone_are_not_abstracts(message):
    assert review_of(message).verdict == "peer-reviewed"


@pytest.mark.parametrize(("title", "types"), [
    P("Letter: breastfeeding and the neonatal unit", (), id="letter-colon"),
    P("Correspondence", (), id="correspondence"),
    P("Breastfeeding and neonatal jaundice", ("Letter",), id="pubmed-letter"),
    P("On skin-to-skin care", ("Comment",), id="pubmed-comment"),
])
def test_letters_and_comments_are_not_peer_reviewed(title, types):
    review = review_of({**ISSN, "title": [title]}, standings={"0140-6736": LANCET},
                       pubmed_types=types)
    assert review.verdict == "not-peer-reviewed"


GUIDELINE = Evidence(guideline=True, recommendation="guideline")


@pytest.mark.parametrize(("reference", "issuer"), [
    P({"authors": ("World Health Organization",), "title": "Guideline: protecting "
       "breastfeeding", "entry_type": "techreport"}, "World Health Organization", id="who"),
    P({"title": "ABM Clinical Protocol #3: supplementary feedings", "container":
       "Breastfeeding Medicine"}, "Academy of Breastfeeding Medicine", id="abm-protocol"),
    P({"title": "Allaitement maternel", "publisher": "Haute Autorité de Santé",
       "entry_type": "techreport"}, "HAS (Haute Autorité de Santé)", id="has"),
])
def test_a_recommendation_from_an_institution_is_its_own_class(reference, issuer):
    review = review_of(None, evidence=GUIDELINE, **reference)
    assert review.verdict == "recommendation" and issuer in review.reason


def test_a_guideline_without_a_named_issuer_keeps_its_usual_class():
    review = review_of({**ISSN, "title": ["Guideline for donor milk use in two hospitals"],
                        "author": [{"family": "Smith", "given": "J"}]}, evidence=GUIDELINE)
    assert review.verdict == "peer-reviewed"


@pytest.mark.parametrize(("text", "issuer"), [
    P("WHO guideline on breastfeeding", "World Health Organization", id="who-acronym"),
    P("WHAT HAS CHANGED IN BREASTFEEDING", None, id="capitals-are-not-acronyms"),
    P("Whooping cough in infants", None, id="no-acronym-inside-a-word"),
])
def test_issuers_are_named_as_words(text, issuer):
    assert issuer_of(text) == issuer
