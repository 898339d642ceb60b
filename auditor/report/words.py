"""Plain words for the vocabulary, as every report shows it to a reader (the JSON keeps the
terms themselves): `journal-article` → "Journal article", `not-found` → "DOI unknown to every
registry". One table per word of auditor/vocabulary.py; tests/test_vocabulary.py checks that
every term has its words. The tables hold English; `_()` gives them in the reader's language
when they are read (`N_` only marks a table's words for the message catalogue).
"""

from __future__ import annotations

from auditor.i18n import N_, _, in_language, n_, number
from auditor.judge.scorecard import (
    CITES_A_NOTICE,
    PREPRINT_PUBLISHED,
    UNCONFIRMED_PEER_REVIEW,
    UNREADABLE_ENTRIES,
    problem_key,
)
from auditor.vocabulary import (
    Condition,
    Design,
    Kind,
    Outcome,
    PeerReview,
    PeerReviewSignal,
    Recommendation,
    Resolution,
    Status,
)

DASH = "—"  # a figure that is not known
# What a notice count says when no registry record could be read (never "0 retracted").
NOT_READ = N_("not checked (no registry record could be read)")


KIND_WORDS = {
    Kind.JOURNAL_ARTICLE: N_("Journal article"), Kind.PREPRINT: N_("Preprint"),
    Kind.BOOK: N_("Book"), Kind.BOOK_CHAPTER: N_("Book chapter"),
    Kind.PROCEEDINGS: N_("Conference paper"), Kind.REPORT: N_("Report"),
    Kind.THESIS: N_("Thesis"), Kind.DATASET: N_("Dataset"), Kind.STANDARD: N_("Standard"),
    Kind.WEB: N_("Web page"), Kind.PEER_REVIEW_REPORT: N_("Peer-review report"),
    Kind.OTHER: N_("Other"), Kind.UNKNOWN: N_("Unknown"),
}
DESIGN_WORDS = {
    Design.SYSTEMATIC_REVIEW: N_("Systematic review"), Design.META_ANALYSIS: N_("Meta-analysis"),
    Design.RANDOMISED_TRIAL: N_("Randomised trial"), Design.COHORT: N_("Cohort study"),
    Design.CASE_CONTROL: N_("Case-control study"),
    Design.CROSS_SECTIONAL: N_("Cross-sectional study"), Design.CASE_REPORT: N_("Case report"),
    Design.NARRATIVE_REVIEW: N_("Narrative review"), Design.OPINION: N_("Opinion, editorial"),
    Design.PROTOCOL: N_("Protocol (no results)"), Design.NOT_DETERMINED: N_("Not determined"),
}
PEER_REVIEW_WORDS = {
    PeerReview.PEER_REVIEWED: N_("peer reviewed"),
    PeerReview.NOT_PEER_REVIEWED: N_("not peer reviewed"),
    PeerReview.GREY: N_("grey literature"), PeerReview.BOOK: N_("book (editorial review)"),
    PeerReview.PROCEEDINGS: N_("conference paper"),
    PeerReview.RECOMMENDATION: N_("recommendation"), PeerReview.UNKNOWN: N_("not known"),
}
# How a peer-reviewed article's review is known, in the words a reader is shown.
SIGNAL_WORDS = {
    PeerReviewSignal.ASSERTED: N_("peer reviewed (the publisher says so)"),
    PeerReviewSignal.INDEXED: N_("peer reviewed (journal in MEDLINE or DOAJ)"),
    PeerReviewSignal.ISSN: N_("journal with an ISSN only, peer review not confirmed"),
    PeerReviewSignal.NONE: N_("no peer-review signal"),
}
STATUS_WORDS = {
    Status.RETRACTED: N_("retracted"), Status.WITHDRAWN: N_("withdrawn"),
    Status.REMOVED: N_("removed"), Status.PARTIALLY_RETRACTED: N_("partly retracted"),
    Status.EXPRESSION_OF_CONCERN: N_("expression of concern"),
    Status.CORRECTED: N_("corrected"), Status.OK: N_("no notice"),
}
RESOLUTION_WORDS = {
    Resolution.VERIFIED: N_("DOI checked"), Resolution.MISMATCH: N_("DOI leads to another work"),
    Resolution.MATCHED: N_("found by search"),
    Resolution.NOT_FOUND: N_("DOI unknown to every registry"),
    Resolution.UNCHECKED: N_("not checked (no answer)"), Resolution.NO_IDENTIFIER: N_("no DOI"),
}
RECOMMENDATION_WORDS = {
    Recommendation.GUIDELINE: N_("guideline"), Recommendation.CONSENSUS: N_("consensus"),
    Recommendation.POSITION_STATEMENT: N_("position statement"),
    Recommendation.CLINICAL_PROTOCOL: N_("clinical protocol"),
}
# The policy's conditions as its settings line names them: "fails on: retracted works, …".
CONDITION_WORDS = {
    Condition.RETRACTED: N_("retracted works"), Condition.WITHDRAWN: N_("withdrawn works"),
    Condition.REMOVED: N_("removed works"),
    Condition.PARTIALLY_RETRACTED: N_("partly retracted works"),
    Condition.EXPRESSION_OF_CONCERN: N_("expressions of concern"),
    Condition.CORRECTED: N_("corrected works"), Condition.NOT_FOUND: N_("unknown DOIs"),
    Condition.MISMATCH: N_("DOIs leading to another work"),
    Condition.INVALID_DOI: N_("badly written DOIs"),
    Condition.UNCHECKED: N_("references that could not be checked"),
    Condition.UNREADABLE: N_("entries that could not be read"),
    Condition.NO_IDENTIFIER: N_("references without a DOI"), Condition.PREPRINT: N_("preprints"),
    Condition.NOT_PEER_REVIEWED: N_("references not peer reviewed"),
    Condition.OUTDATED_GUIDELINE: N_("outdated recommendations"),
    Condition.MISSING_YEAR: N_("references without a year"),
    Condition.FUTURE_YEAR: N_("years after the as-of date"),
    Condition.NOT_RECENT: N_("references that are not recent"),
}
# The scorecard's problems, by their name in `problem_references`.
_K = problem_key
PROBLEM_WORDS = {
    _K(Status.RETRACTED): N_("Retracted"), _K(Status.WITHDRAWN): N_("Withdrawn"),
    _K(Status.REMOVED): N_("Removed"), _K(Status.PARTIALLY_RETRACTED): N_("Partly retracted"),
    _K(Status.EXPRESSION_OF_CONCERN): N_("Expression of concern"),
    _K(Status.CORRECTED): N_("Corrected (cite with the correction)"),
    _K(Condition.NOT_FOUND): N_("DOI unknown to every registry"),
    _K(Condition.MISMATCH): N_("DOI leads to another work"),
    _K(Condition.UNCHECKED): N_("Not checked (no answer from the registry)"),
    _K(Condition.NO_IDENTIFIER): N_("No DOI"),
    _K(Condition.INVALID_DOI): N_("DOI not written as 10.NNNN/…"),
    _K(Condition.NOT_PEER_REVIEWED): N_("Not peer reviewed"),
    _K(Condition.PREPRINT): N_("Preprints"),
    UNCONFIRMED_PEER_REVIEW: N_("Journal with an ISSN only, peer review not confirmed"),
    PREPRINT_PUBLISHED: N_("Preprints with a published version"),
    _K(Condition.NOT_RECENT): N_("Not recent"),
    _K(Condition.MISSING_YEAR): N_("No publication year"),
    _K(Condition.FUTURE_YEAR): N_("Year after the as-of date"),
    _K(Condition.OUTDATED_GUIDELINE): N_("Outdated recommendations"),
    CITES_A_NOTICE: N_("Cites a notice, not the work"),
    UNREADABLE_ENTRIES: N_("Entries that could not be read"),
}
OUTCOME_WORDS = {
    Outcome.PASSED: N_("passed"), Outcome.FAILED: N_("FAILED"),
    Outcome.INCOMPLETE: N_("INCOMPLETE"),
}


def where(source) -> str:  # SourceLocation
    """`training.bib:12`, and for a PDF `training.pdf:40 (page 3)`: where to look."""
    place = f"{in_language(source.file)}:{source.line}"  # a pasted list's name, translated
    return place if source.page is None else _("{place} (page {page})").format(
        place=place, page=source.page)


def words(table: dict, term: str | None) -> str:
    """The words for `term` in `table`, in the reader's language; a term a registry made up
    (not in the vocabulary) is shown as itself, its hyphens as spaces."""
    if term is None:
        return "—"
    if term in table:
        return _(table[term])
    return term.replace("-", " ").replace("_", " ")


def design_words(design: Design, level: int | None) -> str:
    """`systematic review (evidence level 1, OCEBM)`; `cohort study (evidence level 3, OCEBM)`;
    a design without a level alone."""
    name = words(DESIGN_WORDS, design)
    if level is None:
        return name
    return _("{design} (evidence level {level}, OCEBM)").format(design=name, level=level)


def peer_review_words(peer_review: PeerReview, signal: PeerReviewSignal) -> str:
    """A reference's peer review as a reader is told it: the signal for a peer-reviewed
    article ("journal with an ISSN only, peer review not confirmed"), else its class."""
    if peer_review == PeerReview.PEER_REVIEWED and signal != PeerReviewSignal.NONE:
        return words(SIGNAL_WORDS, signal)
    return words(PEER_REVIEW_WORDS, peer_review)


def age_spread(quartiles: tuple[float, float]) -> str:
    """Where the middle half of the ages lies: `half of them between 3 and 13.5 years old`, or
    `at least half of them 6 years old` when both quartiles are one age."""
    low, high = quartiles
    if low == high:
        return _("at least half of them {age} years old").format(age=number(low))
    return _("half of them between {low} and {high} years old").format(low=number(low),
                                                                       high=number(high))


def years(value: float | None) -> str:
    """`7 years`, `1 year`, `5.5 years` (French `5,5 ans`); a dash when unknown."""
    if value is None:
        return DASH
    whole = float(value).is_integer()
    return n_("{n} year", "{n} years", int(value) if whole else 2).format(n=number(value))


def read_as(verdict) -> str | None:  # Verdict; the report's own type would import in a circle
    """What was read of a pasted citation that no registry record stands for — its first
    author, year, journal and numbers — so a reader sees a misreading before blaming the
    reference: "read as: Odom · 2013 · Pediatrics 131(3):e726-e732"."""
    ref = verdict.reference
    if not ref.raw or verdict.work is not None:
        return None
    numbers = (ref.volume or "") + (f"({ref.issue})" if ref.issue else "")
    numbers += (":" if numbers and ref.pages else "") + (ref.pages or "")
    first = ref.authors[0] if ref.authors else None
    # "Kramer, M. S." → Kramer; an organisation ("World Health Organization") whole
    author = ref.first_author_family if first and "," in first else first
    parts = [author, str(ref.year) if ref.year else None,
             " ".join(p for p in (ref.container or ref.publisher, numbers) if p)]
    parts = [p for p in parts if p]
    return _("read as: {fields}").format(fields=" · ".join(parts)) if parts else None


def skip_reason(name: str, why: str, *, english: bool = False) -> str:
    """Why `name` was skipped, in the reader's language (in English for the JSON), without
    the name its message may begin with ("a.txt: not a reference list…")."""
    text = str.__str__(why) if english else in_language(why)
    for separator in (": ", " : ", "\u00a0: ", "\u202f: "):
        if text.startswith(name + separator):
            return text[len(name) + len(separator):]
    return text
