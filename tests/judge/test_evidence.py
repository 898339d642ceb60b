import pytest

from auditor.judge.evidence import judge_evidence

P = pytest.param


@pytest.mark.parametrize(("title", "container", "kind", "design", "level", "confidence"), [
    P("Optimal duration of exclusive breastfeeding", "Cochrane Database of Systematic Reviews",
      "journal-article", "systematic-review", 1, "high", id="cochrane-container"),
    P("Breastfeeding and maternal health outcomes: a systematic review and meta-analysis",
      "Acta Paediatrica", "journal-article", "systematic-review", 1, "medium",
      id="systematic-review-with-meta-analysis"),
    P("Bed sharing and the risk of sudden infant death: an individual-level meta-analysis", None,
      "journal-article", "meta-analysis", 1, "medium", id="meta-analysis"),
    P("Nipple pain: a systematic review", None, "journal-article", "systematic-review", 1,
      "medium", id="systematic-review"),
    P("Interventions for breastfeeding: a scoping review", None, "journal-article",
      "narrative-review", 5, "medium", id="scoping-review-is-not-level-1"),
    P("Promotion of Breastfeeding Intervention Trial (PROBIT): a randomized trial in the "
      "Republic of Belarus", "JAMA", "journal-article", "randomised-trial", 2, "medium",
      id="randomized-trial"),
    P("A randomised controlled trial protocol for cup feeding: study protocol", None,
      "journal-article", "protocol", None, "medium", id="protocol-before-trial"),
    P("Association between breastfeeding and intelligence: a prospective birth cohort study",
      None, "journal-article", "cohort", 3, "low", id="cohort"),
    P("Mastitis in a lactating woman: a case report", None, "journal-article", "case-report", 4,
      "medium", id="case-report"),
    P("Human milk composition: nutrients and bioactive factors", None, "journal-article",
      "not-determined", None, "low", id="plain-title-not-guessed"),
    P("Breastfeeding: a guide", None, "book", "not-determined", None, "low",
      id="books-get-no-design"),
])
def test_design_from_title_and_container(title, container, kind, design, level, confidence):
    evidence = judge_evidence(title, container, kind)
    assert (evidence.design, evidence.ocebm_level, evidence.confidence) == (
        design, level, confidence)


@pytest.mark.parametrize(("title", "guideline"), [
    P("Guideline: protecting, promoting and supporting breastfeeding", True, id="who-guideline"),
    P("Policy Statement: Breastfeeding and the Use of Human Milk", True, id="aap-policy"),
    P("ABM Clinical Protocol #3: Supplementary Feedings", True, id="abm-protocol"),
    P("Human milk composition", False, id="not-a-guideline"),
])
def test_guidelines_are_their_own_axis(title, guideline):
    assert judge_evidence(title, None, "journal-article").guideline is guideline


def test_signal_says_what_was_used():
    evidence = judge_evidence("x", "Cochrane Database of Systematic Reviews", "journal-article")
    assert "container" in evidence.signal
