"""The level-of-evidence rules as docs/evidence.md says they should behave.

Written from evidence.md by hand, independently of the rule table; the 16 cases where the first
rules disagreed were fixed in auditor/data/evidence.toml.
"""

import pytest

from auditor.judge.evidence import evidence_findings, judge_evidence
from auditor.model import PubMedRecord

P = pytest.param
JA = "journal-article"
COCHRANE = "Cochrane Database of Systematic Reviews"


# --- study design from title, container and kind ------------------------------------------------
@pytest.mark.parametrize(("title", "container", "kind", "design", "level"), [
    # level 1, said in different ways
    P("Nipple pain in breastfeeding women: a systematic review", None, JA,
      "systematic-review", 1, id="sr-title"),
    P("Breastfeeding and reduced risk of sudden infant death syndrome: a meta-analysis", None, JA,
      "meta-analysis", 1, id="ma-title"),
    P("Infant feeding and later health outcomes: an umbrella review", None, JA,
      "systematic-review", 1, id="umbrella-review"),
    P("Interventions for supporting breastfeeding: an overview of reviews", None, JA,
      "systematic-review", 1, id="overview-of-reviews"),
    P("Meta analysis of randomized trials of kangaroo mother care", None, JA,
      "meta-analysis", 1, id="meta-analysis-spelt-with-space"),
    P("Frenotomy for tongue-tie in newborn infants", COCHRANE, JA, "systematic-review", 1,
      id="cochrane-container-plain-title"),
    P("Antenatal breastfeeding education for increasing breastfeeding duration",
      "The Cochrane Database of Systematic Reviews", JA, "systematic-review", 1,
      id="cochrane-container-nlm-form"),
    # reviews that are not level 1
    P("Skin-to-skin contact after caesarean birth: a scoping review", None, JA,
      "narrative-review", 5, id="scoping-review-not-level-1"),
    P("Breastfeeding support in the workplace: a systematic scoping review", None, JA,
      "narrative-review", 5, id="systematic-scoping-review-not-level-1"),
    P("The Baby-Friendly Hospital Initiative in high-income countries: an integrative review",
      None, JA, "narrative-review", 5, id="integrative-review-not-level-1"),
    # randomised trials
    P("Effect of peer support on postnatal depression: multisite randomised controlled trial",
      None, JA, "randomised-trial", 2, id="randomised"),
    P("A stepped-wedge cluster-randomised trial of the Baby-Friendly Community Initiative", None,
      JA, "randomised-trial", 2, id="cluster-randomised"),
    P("Telephone peer support for mothers of preterm infants: an RCT", None, JA,
      "randomised-trial", 2, id="rct-abbreviation"),
    P("A pragmatic trial of proactive telephone support for breastfeeding women", None, JA,
      "not-determined", None, id="pragmatic-trial-without-random-is-not-guessed"),
    P("Standardised feeding protocol for very preterm infants: a randomised controlled trial",
      None, JA, "randomised-trial", 2, id="protocol-as-intervention-in-an-rct"),
    P("Non-randomised controlled trial of a breastfeeding peer support service", None, JA,
      "cohort", 3, id="non-randomised-is-level-3"),
    P("Quasi-randomised controlled trial of cup feeding versus bottle feeding", None, JA,
      "cohort", 3, id="quasi-randomised-is-level-3"),
    P("Randomness in infant sleep-wake patterns: a time-series analysis", None, JA,
      "not-determined", None, id="randomness-is-not-randomised"),
    P("Randomised controlled trials in lactation research: a methodological commentary", None,
      JA, "opinion", 5, id="commentary-about-rcts"),
    # protocols
    P("The ABA trial: study protocol for a randomised controlled trial", "Trials", JA,
      "protocol", None, id="trial-protocol-has-no-level"),
    P("Interventions for maternal mental health and breastfeeding: protocol for a systematic "
      "review and meta-analysis", "Systematic Reviews", JA, "protocol", None,
      id="review-protocol-is-not-a-review"),
    # observational
    P("Association between breastfeeding and intelligence at 30 years: a prospective birth "
      "cohort study from Brazil", None, JA, "cohort", 3, id="birth-cohort"),
    P("Prospective mothers' intentions to breastfeed: a cross-sectional survey", None, JA,
      "cross-sectional", 4, id="prospective-mothers-is-not-a-cohort"),
    P("Breastfeeding duration and ovarian cancer: a nested case-control study in the EPIC "
      "cohort", None, JA, "case-control", 4, id="nested-case-control"),
    P("Breastfeeding and childhood leukaemia: a population-based case–control study", None, JA,
      "case-control", 4, id="case-control-en-dash"),
    P("Midwives' knowledge of breastfeeding and medication safety: a national survey", None,
      JA, "cross-sectional", 4, id="survey-is-cross-sectional"),
    P("Nipple vasospasm in a breastfeeding mother: a case report", None, JA, "case-report", 4,
      id="case-report"),
    P("Galactocele in a lactating woman: a case report and review of the literature", None, JA,
      "case-report", 4, id="case-report-and-literature-review"),
    # outside the scale, or nothing to see
    P("Women's experiences of breastfeeding support: a qualitative interview study", None, JA,
      "not-determined", None, id="qualitative-outside-ocebm"),
    P("Nurses' views on breastfeeding support: a qualitative study of a cohort of graduates",
      None, JA, "not-determined", None, id="qualitative-with-cohort-word"),
    P("Perspectives of fathers on breastfeeding: a qualitative study", None, JA,
      "not-determined", None, id="perspectives-of-in-a-qualitative-title"),
    P("Re: Breastfeeding and Childhood Leukemia Incidence: A Meta-analysis and Systematic "
      "Review", None, JA, "opinion", 5, id="letter-quoting-a-review-title"),
    P("Breastfeeding in the 21st century: epidemiology, mechanisms, and lifelong effect",
      "The Lancet", JA, "not-determined", None, id="plain-title-do-not-guess"),
    P("Cochrane Handbook for Systematic Reviews of Interventions", "Wiley", "book",
      "not-determined", None, id="book-about-systematic-reviews"),
])
def test_design(title, container, kind, design, level):
    evidence = judge_evidence(title, container, kind)
    assert (evidence.design, evidence.ocebm_level) == (design, level), evidence.signal


# --- PubMed publication types and MeSH headings -------------------------------------------------
@pytest.mark.parametrize(("title", "types", "mesh", "design", "confidence"), [
    P("Home visits and exclusive breastfeeding in rural Bangladesh",
      ("Randomized Controlled Trial",), (), "randomised-trial", "high", id="pt-rct-plain-title"),
    P("Randomised trials of breastfeeding support need an attention control", ("Letter",), (),
      "opinion", "high", id="pt-letter-beats-randomised-title"),
    P("Systematic reviews of breastfeeding interventions: what we still do not know",
      ("Editorial",), (), "opinion", "high", id="pt-editorial-beats-review-title"),
    P("Maternal smoking and breastfeeding duration: a systematic review",
      ("Journal Article", "Review"), (), "systematic-review", "medium",
      id="pre-2019-sr-typed-review"),
    P("Maternal smoking and breastfeeding duration: a systematic review",
      ("Journal Article", "Review", "Systematic Review"), (), "systematic-review", "high",
      id="pt-systematic-review"),
    P("Breastfeeding and the prevention of allergy", ("Journal Article", "Review"), (),
      "narrative-review", "high", id="pt-review-is-narrative"),
    P("Duration of lactation and risk factors for maternal cardiovascular disease",
      ("Journal Article",), (), "not-determined", "low", id="pt-journal-article-only"),
    P("Duration of lactation and incidence of type 2 diabetes", ("Journal Article",),
      ("Humans", "Cohort Studies", "Female"), "cohort", "medium", id="mesh-cohort-studies"),
    P("Does breastfeeding reduce the risk of sudden infant death syndrome?",
      ("Journal Article",), ("Case-Control Studies",), "case-control", "medium",
      id="mesh-case-control"),
    P("Hypoglycaemia prevention with oral dextrose: rationale and design",
      ("Journal Article", "Clinical Trial Protocol"), (), "protocol", "high",
      id="pt-clinical-trial-protocol"),
    P("Nipple blebs and milk blisters in a lactating woman", ("Case Reports",), (),
      "case-report", "high", id="pt-case-reports"),
])
def test_pubmed(title, types, mesh, design, confidence):
    evidence = judge_evidence(title, None, JA, PubMedRecord("1", types, mesh))
    assert (evidence.design, evidence.confidence) == (design, confidence), evidence.signal


# --- recommendation documents: their own axis ---------------------------------------------------
@pytest.mark.parametrize(("title", "kind", "types", "guideline", "design"), [
    P("Hypoglycemia in the breastfed neonate", JA, ("Practice Guideline",), True,
      "not-determined", id="pt-practice-guideline"),
    P("ABM Clinical Protocol #4: Mastitis, Revised March 2014", JA, (), True, "not-determined",
      id="abm-clinical-protocol-is-not-a-study-protocol"),
    P("Policy Statement: Breastfeeding and the Use of Human Milk", JA, (), True,
      "not-determined", id="policy-statement"),
    P("ACOG Committee Opinion No. 756: Optimizing Support for Breastfeeding as Part of "
      "Obstetric Practice", JA, (), True, "not-determined",
      id="committee-opinion-is-a-recommendation-not-opinion-design"),
    P("Clinical Consensus Statement: Ankyloglossia in Children", JA, (), True, "not-determined",
      id="consensus-statement"),
    P("Postnatal care. NICE guideline [NG194]", "web", (), True, "not-determined",
      id="nice-guideline-web"),
    P("Neonatal jaundice. Clinical guideline [CG98]", "web", (), True, "not-determined",
      id="clinical-guideline-bracket-code"),
    P("Primary Care Interventions to Support Breastfeeding: US Preventive Services Task Force "
      "Recommendation Statement", JA, (), True, "not-determined",
      id="uspstf-recommendation-statement"),
    # studies about guidelines are not guidelines
    P("Adherence to WHO infant feeding guidelines: a cross-sectional study", JA, (), False,
      "cross-sectional", id="adherence-to-guidelines"),
    P("Quality of clinical practice guidelines on breastfeeding: a systematic review using the "
      "AGREE II instrument", JA, (), False, "systematic-review", id="agree-ii-appraisal"),
    P("Clinical practice guidelines for the management of mastitis: a systematic review", JA,
      (), False, "systematic-review", id="systematic-review-of-guidelines"),
    P("Guideline adherence in the management of neonatal jaundice: a retrospective cohort "
      "study", JA, (), False, "cohort", id="guideline-adherence-word-order"),
    P("Physicians' awareness of the AAP breastfeeding policy statement: a national survey", JA,
      (), False, "cross-sectional", id="survey-about-a-policy-statement"),
])
def test_guideline_axis(title, kind, types, guideline, design):
    pubmed = PubMedRecord("1", types) if types else None
    evidence = judge_evidence(title, None, kind, pubmed)
    assert (evidence.guideline, evidence.design) == (guideline, design), evidence.signal


def test_guideline_kinds_are_named():
    assert judge_evidence("ABM Clinical Protocol #3: Supplementary Feedings", None,
                          JA).recommendation == "clinical-protocol"
    assert judge_evidence("Policy Statement: Breastfeeding and the Use of Human Milk", None,
                          JA).recommendation == "position-statement"


# --- overlays -----------------------------------------------------------------------------------
def test_a_retraction_notice_is_not_evidence():
    evidence = judge_evidence("Guideline: breastfeeding support: a systematic review", COCHRANE,
                              JA, PubMedRecord("1", ("Practice Guideline", "Systematic Review")),
                              notice="retraction")
    assert (evidence.design, evidence.ocebm_level, evidence.guideline) == (
        "not-determined", None, False)


def test_a_retracted_work_keeps_its_label_but_loses_its_level():
    evidence = judge_evidence("Effect of probiotics on milk supply: a randomised controlled "
                              "trial", None, JA, status="retracted")
    assert evidence.design == "randomised-trial"
    assert evidence.ocebm_level is None
    assert "retracted" in evidence.signal


# --- age: "check for an update" -----------------------------------------------------------------
GUIDELINE = judge_evidence("Policy Statement: Breastfeeding and the Use of Human Milk", None, JA)
REVIEW = judge_evidence("Nipple pain: a systematic review", None, JA)
TRIAL = judge_evidence("Cup feeding: a randomised controlled trial", None, JA)


@pytest.mark.parametrize(("evidence", "age", "codes"), [
    P(GUIDELINE, 8, ["E001"], id="old-guideline"),
    P(REVIEW, 8, ["E002"], id="old-systematic-review"),
    P(REVIEW, 3, [], id="young-systematic-review"),
    P(GUIDELINE, 5, [], id="five-years-is-not-older-than-five"),
    P(TRIAL, 12, [], id="old-trial-is-no-update-case"),
    P(REVIEW, None, [], id="unknown-age"),
])
def test_evidence_findings(evidence, age, codes):
    assert [f.code for f in evidence_findings(evidence, age, 5)] == codes


# --- found by a second, held-out hand-labelled set (177 titles) ----------------------------------
@pytest.mark.parametrize(("title", "types", "design", "guideline", "recommendation"), [
    P("CONSORT 2010 Statement: updated guidelines for reporting parallel group randomised "
      "trials", (), "not-determined", False, None, id="reporting-guideline-is-not-a-trial"),
    P("The PRISMA 2020 statement: an updated guideline for reporting systematic reviews", (),
      "not-determined", False, None, id="prisma-is-not-a-review"),
    P("Randomised controlled trials in lactation research: a bibliometric analysis", (),
      "not-determined", False, None, id="bibliometric-analysis"),
    P("ABM Clinical Protocol #3: Supplementary Feedings in the Healthy Term Breastfed Neonate",
      ("Practice Guideline", "Review"), "not-determined", True, "guideline",
      id="guideline-typed-review-is-not-a-narrative-review"),
    P("Position of the Academy of Nutrition and Dietetics: Promoting and Supporting "
      "Breastfeeding", (), "not-determined", True, "position-statement",
      id="position-of-the-academy"),
    P("Infant Feeding Guidelines: information for health workers", (), "not-determined", True,
      "guideline", id="guidelines-colon"),
    P("Expert consensus on the management of ankyloglossia: a Delphi study", (),
      "not-determined", True, "consensus", id="delphi-consensus-on-care"),
    P("Core outcome set for lactation trials: an international Delphi consensus study", (),
      "not-determined", False, None, id="core-outcome-set-is-about-research"),
    P("Breastfeeding education for maternity nurses: a controlled before-and-after study", (),
      "cohort", False, None, id="controlled-before-after"),
    P("Effect of an antenatal lactation class: a one-group pretest–posttest study", (), "cohort",
      False, None, id="pretest-posttest"),
    P("Donor human milk banking: a perspective from paediatrics", (), "opinion", False, None,
      id="perspective-from"),
    P("Breast-feeding: A commentary by the ESPGHAN Committee on Nutrition", (), "opinion",
      False, None, id="commentary-by"),
    P("Allaitement maternel : recommandations pour la pratique clinique", (), "not-determined",
      True, "guideline", id="french-recommandations"),
    P("Effets du peau-à-peau précoce : revue systématique et méta-analyse", (),
      "systematic-review", False, None, id="french-revue-systematique"),
    P("Soutien à l'allaitement en maternité : essai contrôlé randomisé", (), "randomised-trial",
      False, None, id="french-essai-randomise"),
    P("Mastite chez une femme allaitante : à propos d'un cas", (), "case-report", False, None,
      id="french-a-propos-d-un-cas"),
])
def test_held_out_wordings(title, types, design, guideline, recommendation):
    evidence = judge_evidence(title, None, JA, PubMedRecord("1", types) if types else None)
    assert (evidence.design, evidence.guideline, evidence.recommendation) == (
        design, guideline, recommendation), evidence.signal
