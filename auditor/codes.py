"""Every finding the auditor can report, in one registry that reads as documentation.

Codes are stable (scripts filter on them); the letter tells the family:
I input, D DOI and identity, R retractions and other updates, Y year and age, P peer review,
E level of evidence.
A finding is made with `CODE.make("message")`, e.g. `RETRACTED.make("Retracted by 10.1021/…")`.
"""

from __future__ import annotations

from dataclasses import dataclass

from auditor.model import Finding, Severity


@dataclass(frozen=True)
class Code:
    code: str
    name: str
    severity: Severity
    summary: str

    def make(self, message: str) -> Finding:
        return Finding(self.code, self.name, self.severity, message)


REGISTRY: dict[str, Code] = {}


def _code(code: str, name: str, severity: Severity, summary: str) -> Code:
    entry = Code(code, name, severity, summary)
    assert code not in REGISTRY, code
    REGISTRY[code] = entry
    return entry


# I — input: the file and its entries
UNREADABLE_ENTRY = _code("I001", "unreadable-entry", "error",
                         "A block could not be parsed; it is skipped, the rest is audited.")
DUPLICATE_KEY = _code("I002", "duplicate-key", "warning",
                      "Two entries share a citation key; both are kept and audited.")
FALLBACK_ENCODING = _code("I003", "fallback-encoding", "warning",
                          "The file is not UTF-8; it was decoded with a guessed encoding.")
DUPLICATE_FIELD = _code("I004", "duplicate-field", "warning",
                        "An entry sets the same field twice; the first value is used.")
MISSING_PARENT = _code("I005", "missing-crossref-parent", "warning",
                       "An entry inherits from a `crossref`/`xdata` key that is not in the file.")
MISSING_COMMA = _code("I007", "missing-comma", "warning",
                      "A comma seems missing between two fields; they were read separately.")
NO_TITLE = _code("I006", "missing-title", "info", "The entry has no title.")

# D — DOI and identity
INVALID_DOI = _code("D001", "invalid-doi", "error",
                    "The DOI as written is not of the form 10.NNNN/suffix; it was not looked up.")
DOI_NOT_FOUND = _code("D002", "doi-not-found", "error",
                      "Crossref answered that it does not know this DOI.")
UNCHECKED = _code("D003", "unchecked", "warning",
                  "No answer could be had for this DOI (network, limits, offline): not verified.")
DOI_MISMATCH = _code("D004", "doi-mismatch", "error",
                     "The DOI resolves to a work other than the cited one.")
DOI_FROM_FIELD = _code("D005", "doi-from-other-field", "info",
                       "The DOI was found in another field (url, eprint, note, howpublished).")
CONFLICTING_DOIS = _code("D006", "conflicting-dois", "warning",
                         "Two fields of the entry hold different DOIs; the `doi` field is used.")
NO_IDENTIFIER = _code("D007", "no-identifier", "info",
                      "The entry has no DOI; it was judged from what the entry says.")
MATCHED = _code("D008", "matched", "info",
                "No DOI was given; Crossref's search found the work and it was validated.")
NO_MATCH = _code("D009", "no-match", "info",
                 "Searched by title and authors; no candidate agreed with enough fields.")
CITED_WORK_FOUND = _code("D010", "cited-work-found", "warning",
                         "The DOI is wrong or unknown; the search found the work the citation "
                         "names.")
SEARCH_UNCHECKED = _code("D011", "search-unchecked", "info",
                         "The search for this reference got no answer (network, offline).")

# R — retractions, withdrawals, corrections (from Crossref `updated-by`)
RETRACTED = _code("R001", "retracted", "error", "The work was retracted.")
WITHDRAWN = _code("R002", "withdrawn", "error", "The work was withdrawn.")
REMOVED = _code("R003", "removed", "error", "The work was removed.")
PARTIALLY_RETRACTED = _code("R004", "partially-retracted", "warning",
                            "Part of the work was retracted.")
EXPRESSION_OF_CONCERN = _code("R005", "expression-of-concern", "warning",
                              "The publisher issued an expression of concern about the work.")
CORRECTED = _code("R006", "corrected", "info",
                  "The work has a correction, erratum or corrigendum; cite it with the correction.")
RETRACTED_TITLE_ONLY = _code("R007", "retracted-title", "warning",
                             "The title says RETRACTED but Crossref records no retraction notice.")
IS_NOTICE = _code("R008", "cites-a-notice", "warning",
                  "The DOI is a retraction or correction notice, not the work it concerns.")

# Y — year and age
MISSING_YEAR = _code("Y001", "missing-year", "warning", "No publication year could be found.")
FUTURE_YEAR = _code("Y002", "future-year", "warning",
                    "The publication year is after the as-of date.")
NOT_RECENT = _code("Y003", "not-recent", "info",
                   "The work is older than the recency window (--recent-years).")
YEAR_DIFFERS = _code("Y004", "year-differs", "info",
                     "The cited year differs from Crossref's by more than the print/online gap.")

# P — peer review
PREPRINT = _code("P001", "preprint", "warning",
                 "A preprint: not peer reviewed; look for the published version.")
NOT_PEER_REVIEWED = _code("P002", "not-peer-reviewed", "info",
                          "An editorial, letter, comment or other item that is not peer reviewed.")
HAS_PUBLISHED_VERSION = _code("P003", "preprint-published", "info",
                              "This preprint has a published version of record; cite that.")

# E — level of evidence
OLD_RECOMMENDATION = _code("E001", "recommendation-check-update", "warning",
                           "A guideline, consensus or position statement older than "
                           "guideline_years (5): check for an update.")
OLD_REVIEW = _code("E002", "review-check-update", "info",
                   "A systematic review or meta-analysis older than guideline_years (5): check "
                   "for an updated review.")
PUBMED_UNCHECKED = _code("E003", "pubmed-unchecked", "info",
                         "--pubmed was asked but PubMed gave no answer for this DOI (network, "
                         "limits, offline): the design rests on the title only.")


def documented_codes() -> list[Code]:
    """All codes in registry order, for the README and `--list-codes`."""
    return list(REGISTRY.values())
