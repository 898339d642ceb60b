"""Level of evidence: a study-design label from the metadata, with its OCEBM 2011 level, the
signal used and how far to trust it. Never a GRADE rating (GRADE rates a body of evidence).

Signals, strongest first (evidence.md; the tables are in auditor/data/evidence.toml): PubMed
publication types and MeSH study-design headings (with --pubmed), the container (Cochrane
Database of Systematic Reviews), the title's wording, then weak publication types ("Review").
Recommendation documents (guidelines, consensus, position statements, clinical protocols) sit
on their own axis. Overlays: a notice is not evidence; a retracted work keeps its label but
no level.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from auditor import codes
from auditor.data import Caseless, either, load_table
from auditor.i18n import N_, Phrase, Said, phrase
from auditor.judge.updates import update_words
from auditor.model import Evidence, Finding, PubMedRecord
from auditor.vocabulary import (
    GONE_STATUSES,
    REVIEW_DESIGNS,
    Confidence,
    Design,
    Kind,
    Recommendation,
    Status,
)

# Kinds whose design a title can tell; a web page or a dataset has none.
_STUDY_KINDS = frozenset({Kind.JOURNAL_ARTICLE, Kind.PREPRINT, Kind.PROCEEDINGS, Kind.REPORT,
                          Kind.THESIS, Kind.BOOK_CHAPTER, Kind.OTHER, Kind.UNKNOWN})
_KIND_WORDS = {Kind.WEB: N_("a web page"), Kind.BOOK: N_("a book"), Kind.DATASET: N_("a dataset"),
               Kind.STANDARD: N_("a standard"),
               Kind.PEER_REVIEW_REPORT: N_("a peer-review report")}
# The signals, said in English in the JSON and in the reader's language in a report.
TITLE_SAYS, CITATION_SAYS = N_("title says {words}"), N_("the citation says {words}")
_PUBMED_TYPE = N_("PubMed publication type {name}")
# What a design label and its signal are made of: (design, confidence, the words that decided).
Decision = tuple[Design, Confidence, str]


@cache
def _rules(section: str) -> tuple[dict[str, Any], ...]:
    """The rules of one section with their patterns compiled."""
    rules = []
    for rule in load_table("evidence")[section]:
        rule = dict(rule)
        rule["design"], rule["confidence"] = Design(rule["design"]), Confidence(rule["confidence"])
        for key in ("pattern", "unless"):
            if key in rule:
                rule[key] = Caseless(rule[key])
        rules.append(rule)
    return tuple(rules)


@cache
def _pattern(section: str, *path: str) -> Caseless:
    table: Any = load_table("evidence")[section]
    for key in path:
        table = table[key]
    return Caseless(table)


def ocebm_level(design: Design) -> int | None:
    """The OCEBM 2011 level of a design label (evidence.toml's `ocebm` table), or None."""
    return load_table("evidence")["ocebm"].get(design)


def _by_type(section: str, types: tuple[str, ...]) -> Decision | None:
    """(design, confidence, the type that decided) from a list of PubMed types."""
    folded = {t.casefold(): t for t in types}
    for rule in _rules(section):
        for wanted in rule.get("types", rule.get("headings", ())):
            if wanted.casefold() in folded:
                return rule["design"], rule["confidence"], folded[wanted.casefold()]
    return None


def _by_text(section: str, text: str | None) -> Decision | None:
    """(design, confidence, the words that matched) from a title or a container."""
    if not text:
        return None
    for rule in _rules(section):
        found = rule["pattern"].search(text)
        if found and not ("unless" in rule and rule["unless"].search(text)):
            return rule["design"], rule["confidence"], found.group(0).strip()
    return None


def recommendation_type(title: str | None, pubmed: PubMedRecord | None = None, *,
                        says: str = TITLE_SAYS) -> tuple[Recommendation | None, str]:
    """(guideline | consensus | position-statement | clinical-protocol, the signal), or
    (None, "") for a document that recommends nothing; `says` words the signal from the
    text read ("title says {words}"). A study *about* guidelines ("Adherence
    to breastfeeding guidelines: a cross-sectional survey") is not one."""
    table = load_table("evidence")["recommendation"]
    if pubmed is not None:
        for pubmed_type in pubmed.publication_types:
            kind = table["pubmed_types"].get(pubmed_type)
            if kind:
                return Recommendation(kind), Said(_PUBMED_TYPE, name=repr(pubmed_type))
    recommending = _recommending()
    if not title or (recommending is not None and not recommending.search(title)):
        return None, ""  # most titles: nothing to find
    if _pattern("recommendation", "research", "pattern").search(title):
        return None, ""
    delphi = _pattern("recommendation", "delphi", "pattern").search(title)
    if delphi:
        return Recommendation.CONSENSUS, Said(says, words=repr(delphi.group(0).strip()[:60]))
    if _pattern("recommendation", "about", "pattern").search(title):
        return None, ""
    for rule in _rules_of_recommendation():
        found = rule["pattern"].search(title)
        if found:
            return rule["type"], Said(says, words=repr(found.group(0).strip()))
    return None, ""


@cache
def _recommending() -> Caseless | None:
    """What a title needs for `recommendation_type` to name a type: Delphi's words or a
    rule's (None when they cannot be joined: each is then tried)."""
    table = load_table("evidence")["recommendation"]
    return either((table["delphi"]["pattern"], *(r["pattern"] for r in table["title"])))


@cache
def _rules_of_recommendation() -> tuple[dict[str, Any], ...]:
    return tuple({"type": Recommendation(r["type"]),
                  "pattern": Caseless(r["pattern"])}
                 for r in load_table("evidence")["recommendation"]["title"])


def judge_evidence(title: str | None, container: str | None, kind: Kind,
                   pubmed: PubMedRecord | None = None, *, notice: str | None = None,
                   status: Status = Status.OK, described: str | None = None) -> Evidence:
    """`Optimal duration of exclusive breastfeeding` in the Cochrane Database of Systematic
    Reviews → systematic-review, OCEBM 1, high confidence. `notice` names the kind of notice
    (retraction, correction…) when the DOI is one; `status` overlays retractions. `described`
    is what a citation says beside its title ("… Recommandations pour la pratique clinique.
    Saint-Denis : HAS ; 2002."), read for a recommendation when the title names none."""
    pubmed_types = pubmed.publication_types if pubmed else ()
    pmid = pubmed.pmid if pubmed else None
    if notice:
        return Evidence(Design.NOT_DETERMINED, None, False,
                        Said("a {notice} notice: not evidence", notice=update_words(notice)),
                        Confidence.HIGH, None, pubmed_types, pmid)
    notice_title = _pattern("notice", "pattern").search(title) if title else None
    if notice_title:
        return Evidence(Design.NOT_DETERMINED, None, False,
                        Said("title says {words}: a notice about another work, not evidence",
                             words=repr(notice_title.group(0).strip())),
                        Confidence.MEDIUM, None, pubmed_types, pmid)
    recommendation, recommendation_signal = recommendation_type(title, pubmed)
    if recommendation is None and described:
        recommendation, recommendation_signal = recommendation_type(described,
                                                                    says=CITATION_SAYS)
    guideline = recommendation is not None
    # A guideline PubMed types as "Review" too (ABM protocols) is not a narrative review.
    decided = _decide(title, container, kind, pubmed,
                      late_types=not recommendation_signal.startswith("PubMed"))
    if decided is None:
        design, level, confidence = Design.NOT_DETERMINED, None, Confidence.LOW
        if guideline:
            signal = Said("recommendation document ({why}); no study-design signal",
                          why=recommendation_signal)
            confidence = (Confidence.HIGH if recommendation_signal.startswith("PubMed")
                          else Confidence.MEDIUM)
        elif title and _pattern("qualitative", "pattern").search(title):
            signal = phrase(N_("qualitative design (title wording): outside the OCEBM "
                               "treatment levels"))
            confidence = Confidence.MEDIUM
        elif kind not in _STUDY_KINDS:
            signal = Said("{kind}: no study design",
                          kind=Phrase(_KIND_WORDS.get(kind, f"a {kind}")))
        elif pubmed:
            signal = phrase(N_("no design signal in the PubMed types, title or container: "
                               "design not determined"))
        else:
            signal = phrase(N_("no design signal in the title or container: design not "
                               "determined"))
    else:
        design, confidence, signal = decided
        level = ocebm_level(design)
        if guideline:
            signal = Said("{signal}; recommendation document ({why})", signal=signal,
                          why=recommendation_signal)
    if status in GONE_STATUSES:
        level = None
        signal = Said("{signal}; {status}: not counted as evidence", signal=signal,
                      status=Phrase(str(status)))
    return Evidence(design, level, guideline, signal, confidence, recommendation, pubmed_types,
                    pmid)


def _decide(title: str | None, container: str | None, kind: Kind,
            pubmed: PubMedRecord | None, late_types: bool = True) -> Decision | None:
    """(design, confidence, signal) from the first signal that decides, or None."""
    if pubmed is not None:
        found = _by_type("pubmed_type", pubmed.publication_types)
        if found:
            return found[0], found[1], Said(_PUBMED_TYPE, name=repr(found[2]))
        found = _by_type("mesh", pubmed.mesh_headings)
        if found:
            return found[0], found[1], Said("MeSH heading {name}", name=repr(found[2]))
    found = _by_text("container", container)
    if found:
        return found[0], found[1], Said("container: {name}", name=container)
    if kind in _STUDY_KINDS:
        found = _by_text("title", title)
        if found:
            return found[0], found[1], Said(TITLE_SAYS, words=repr(found[2]))
    if pubmed is not None and late_types:
        found = _by_type("late_pubmed_type", pubmed.publication_types)
        if found:
            return found[0], found[1], Said(_PUBMED_TYPE, name=repr(found[2]))
    return None


_REVIEW_WORDS = {Design.SYSTEMATIC_REVIEW: N_("systematic review"),
                 Design.META_ANALYSIS: N_("meta-analysis")}


def evidence_findings(evidence: Evidence, age_years: int | None, guideline_years: int
                      ) -> list[Finding]:
    """Recommendations and systematic reviews older than `guideline_years`: check for an
    update (half of guidelines are outdated by 5.8 years, Shekelle 2001; reviews stay current
    a median 5.5 years, Shojania 2007)."""
    if age_years is None or age_years <= guideline_years:
        return []
    if evidence.guideline:
        what = (evidence.recommendation or Recommendation.GUIDELINE).replace("-", " ")
        return [codes.OLD_RECOMMENDATION.make(
            "{what} {age} years old (more than {years}): check for an update",
            what=Phrase(what), age=age_years, years=guideline_years)]
    if evidence.design in REVIEW_DESIGNS and evidence.ocebm_level:
        return [codes.OLD_REVIEW.make(
            "{design} {age} years old (more than {years}): check for an updated review",
            design=Phrase(_REVIEW_WORDS[evidence.design]), age=age_years,
            years=guideline_years)]
    return []
