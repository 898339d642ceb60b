"""Plain words for the vocabulary, as every report shows it to a reader (the JSON keeps the
terms themselves): `journal-article` → "Journal article". One table per word of
auditor/vocabulary.py; tests/test_vocabulary.py checks that every term has its words."""

from __future__ import annotations

from auditor.vocabulary import Design, Kind, PeerReview

KIND_WORDS = {
    Kind.JOURNAL_ARTICLE: "Journal article", Kind.PREPRINT: "Preprint", Kind.BOOK: "Book",
    Kind.BOOK_CHAPTER: "Book chapter", Kind.PROCEEDINGS: "Conference paper",
    Kind.REPORT: "Report", Kind.THESIS: "Thesis", Kind.DATASET: "Dataset",
    Kind.STANDARD: "Standard", Kind.WEB: "Web page",
    Kind.PEER_REVIEW_REPORT: "Peer-review report", Kind.OTHER: "Other",
    Kind.UNKNOWN: "Unknown",
}
DESIGN_WORDS = {
    Design.SYSTEMATIC_REVIEW: "Systematic review", Design.META_ANALYSIS: "Meta-analysis",
    Design.RANDOMISED_TRIAL: "Randomised trial", Design.COHORT: "Cohort study",
    Design.CASE_CONTROL: "Case-control study", Design.CROSS_SECTIONAL: "Cross-sectional study",
    Design.CASE_REPORT: "Case report", Design.NARRATIVE_REVIEW: "Narrative review",
    Design.OPINION: "Opinion, editorial", Design.PROTOCOL: "Protocol (no results)",
    Design.NOT_DETERMINED: "Not determined",
}
PEER_REVIEW_WORDS = {
    PeerReview.PEER_REVIEWED: "peer reviewed", PeerReview.NOT_PEER_REVIEWED: "not peer reviewed",
    PeerReview.GREY: "grey literature", PeerReview.BOOK: "book",
    PeerReview.PROCEEDINGS: "conference paper", PeerReview.UNKNOWN: "unknown",
}


def words(table: dict, term: str | None) -> str:
    """The words for `term` in `table`; a term a registry made up (not in the vocabulary) is
    shown as itself, its hyphens as spaces."""
    if term is None:
        return "—"
    return table.get(term, term.replace("-", " ").replace("_", " "))
