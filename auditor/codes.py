"""Every finding the auditor can report, in one registry that reads as documentation.

Codes are stable (scripts filter on them); the letter tells the family:
I input, D DOI and identity, R retractions and other updates, Y year and age, P peer review,
E level of evidence.
A finding is made with `CODE.make("message")`, e.g. `RETRACTED.make("Retracted by 10.1021/…")`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from auditor.model import Finding
from auditor.vocabulary import Severity


@dataclass(frozen=True)
class Code:
    code: str
    name: str
    severity: Severity
    summary: str

    def make(self, message: str, **values: Any) -> Finding:
        """The finding with `message`, a template when `values` are given:
        `NOT_RECENT.make("{age} years old at {as_of}", age=7, as_of="2026-11-27")` (the
        template is what a translation translates)."""
        if not values:
            return Finding(self.code, self.name, self.severity, message)
        return Finding(self.code, self.name, self.severity, message.format(**values),
                       template=message, values=tuple(values.items()))

    def found_in(self, findings: Iterable[Finding]) -> bool:
        """Whether one of `findings` has this code: `INVALID_DOI.found_in(v.findings)`."""
        return any(f.code == self.code for f in findings)


REGISTRY: dict[str, Code] = {}


def _code(code: str, name: str, severity: Severity, summary: str) -> Code:
    entry = Code(code, name, severity, summary)
    assert code not in REGISTRY, code
    REGISTRY[code] = entry
    return entry


# I — input: the file and its entries
UNREADABLE_ENTRY = _code("I001", "unreadable-entry", Severity.ERROR,
                         "A block could not be parsed; it is skipped, the rest is audited.")
DUPLICATE_KEY = _code("I002", "duplicate-key", Severity.WARNING,
                      "Two entries share a citation key; both are kept and audited.")
FALLBACK_ENCODING = _code("I003", "fallback-encoding", Severity.WARNING,
                          "The file is not UTF-8; it was decoded with a guessed encoding.")
DUPLICATE_FIELD = _code("I004", "duplicate-field", Severity.WARNING,
                        "An entry sets the same field twice; the first value is used.")
MISSING_PARENT = _code("I005", "missing-crossref-parent", Severity.WARNING,
                       "An entry inherits from a `crossref`/`xdata` key that is not in the file.")
MISSING_COMMA = _code("I007", "missing-comma", Severity.WARNING,
                      "A comma seems missing between two fields; they were read separately.")
NO_TITLE = _code("I006", "missing-title", Severity.INFO, "The entry has no title.")
MISSING_KEY = _code("I008", "missing-key", Severity.INFO,
                    "The entry has no citation key (an EndNote export); one was made from its "
                    "first author and year.")
DUPLICATE_REFERENCE = _code("I009", "duplicate-reference", Severity.WARNING,
                            "The list holds the same work twice (the same DOI); each copy "
                            "counts in the list's figures.")

# D — DOI and identity
INVALID_DOI = _code("D001", "invalid-doi", Severity.ERROR,
                    "The DOI as written is not of the form 10.NNNN/suffix; it was not looked up.")
DOI_NOT_FOUND = _code("D002", "doi-not-found", Severity.ERROR,
                      "Crossref answered that it does not know this DOI.")
UNCHECKED = _code("D003", "unchecked", Severity.WARNING,
                  "No answer could be had for this DOI (network, limits, offline): not verified.")
DOI_MISMATCH = _code("D004", "doi-mismatch", Severity.ERROR,
                     "The DOI resolves to a work other than the cited one.")
DOI_FROM_FIELD = _code("D005", "doi-from-other-field", Severity.INFO,
                       "The DOI was found in another field (url, eprint, note, howpublished).")
CONFLICTING_DOIS = _code("D006", "conflicting-dois", Severity.WARNING,
                         "Two fields of the entry hold different DOIs; the `doi` field is used.")
NO_IDENTIFIER = _code("D007", "no-identifier", Severity.INFO,
                      "The entry has no DOI; it was judged from what the entry says.")
MATCHED = _code("D008", "matched", Severity.INFO,
                "No DOI was given; Crossref's search found the work and it was validated.")
NO_MATCH = _code("D009", "no-match", Severity.INFO,
                 "Searched by title and authors; no candidate agreed with enough fields.")
CITED_WORK_FOUND = _code("D010", "cited-work-found", Severity.WARNING,
                         "The DOI is wrong or unknown; the search found the work the citation "
                         "names.")
SEARCH_UNCHECKED = _code("D011", "search-unchecked", Severity.INFO,
                         "The search for this reference got no answer (network, offline).")
DOI_FROM_PMID = _code("D012", "doi-from-pmid", Severity.INFO,
                      "The citation gives a PubMed id and no DOI; the DOI is the one PubMed "
                      "holds for that id.")
DOI_FROM_ARXIV = _code("D013", "doi-from-arxiv", Severity.INFO,
                       "The citation gives an arXiv identifier and no DOI; the DOI arXiv "
                       "registers for it (10.48550/arXiv.…) is used.")

# R — retractions, withdrawals, corrections (from Crossref `updated-by`)
RETRACTED = _code("R001", "retracted", Severity.ERROR, "The work was retracted.")
WITHDRAWN = _code("R002", "withdrawn", Severity.ERROR, "The work was withdrawn.")
REMOVED = _code("R003", "removed", Severity.ERROR, "The work was removed.")
PARTIALLY_RETRACTED = _code("R004", "partially-retracted", Severity.WARNING,
                            "Part of the work was retracted.")
EXPRESSION_OF_CONCERN = _code("R005", "expression-of-concern", Severity.WARNING,
                              "The publisher issued an expression of concern about the work.")
CORRECTED = _code("R006", "corrected", Severity.INFO,
                  "The work has a correction, erratum or corrigendum; cite it with the correction.")
RETRACTED_TITLE_ONLY = _code("R007", "retracted-title", Severity.WARNING,
                             "The title says RETRACTED but Crossref records no retraction notice.")
IS_NOTICE = _code("R008", "cites-a-notice", Severity.WARNING,
                  "The DOI is a retraction or correction notice, not the work it concerns.")
REINSTATED = _code("R009", "reinstated", Severity.WARNING,
                   "Retraction Watch records that a retraction of the work was lifted "
                   "(a reinstatement).")

# Y — year and age
MISSING_YEAR = _code("Y001", "missing-year", Severity.WARNING,
                     "No publication year could be found.")
FUTURE_YEAR = _code("Y002", "future-year", Severity.WARNING,
                    "The publication year is after the as-of date.")
NOT_RECENT = _code("Y003", "not-recent", Severity.INFO,
                   "The work is older than the recency window (--recent-years).")
YEAR_DIFFERS = _code("Y004", "year-differs", Severity.INFO,
                     "The cited year differs from Crossref's by more than the print/online gap.")

# P — peer review
PREPRINT = _code("P001", "preprint", Severity.WARNING,
                 "A preprint: not peer reviewed; look for the published version.")
NOT_PEER_REVIEWED = _code("P002", "not-peer-reviewed", Severity.INFO,
                          "An editorial, letter, comment or other item that is not peer reviewed.")
HAS_PUBLISHED_VERSION = _code("P003", "preprint-published", Severity.INFO,
                              "This preprint has a published version of record; cite that.")

# E — level of evidence
OLD_RECOMMENDATION = _code("E001", "recommendation-check-update", Severity.WARNING,
                           "A guideline, consensus or position statement older than "
                           "--guideline-years: check for an update.")
OLD_REVIEW = _code("E002", "review-check-update", Severity.INFO,
                   "A systematic review or meta-analysis older than --guideline-years: check "
                   "for an updated review.")
PUBMED_UNCHECKED = _code("E003", "pubmed-unchecked", Severity.INFO,
                         "--pubmed was asked but PubMed gave no answer for this DOI (network, "
                         "limits, offline): the design rests on the title only.")


def documented_codes() -> list[Code]:
    """All codes in registry order, for the README and `auditor codes`."""
    return list(REGISTRY.values())
