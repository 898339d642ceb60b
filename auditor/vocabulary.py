"""The auditor's words, each defined once: every status, kind, peer-review class, resolution,
design and policy condition a verdict, a rule table or a report uses.

They are string enums, so `Status.RETRACTED == "retracted"` and they go into JSON, CSV and
DataFrames as their plain values (the JSON report's contract). Code names them
(`Status.RETRACTED`), never spells them; the rule tables in auditor/data/ spell them and are
checked against this module by tests/test_vocabulary.py. Adding a word means adding it here and
to the table that describes it (its finding, its peer-review row, its design order…).
"""

from __future__ import annotations

from enum import StrEnum


class Severity(StrEnum):
    """How much a finding matters, as a linter says it."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Resolution(StrEnum):
    """Did the reference's DOI lead to the cited work? (README, "What the verdicts mean")"""

    VERIFIED = "verified"  # the DOI resolved and the cited details agree
    MISMATCH = "mismatch"  # the DOI resolved to another work
    MATCHED = "matched"  # no DOI given: found by search and validated field by field
    NOT_FOUND = "not-found"  # no registry knows the DOI
    UNCHECKED = "unchecked"  # no answer could be had: never evidence of a fault
    NO_IDENTIFIER = "no-identifier"  # no usable DOI, no validated match: judged from the entry


# The resolutions where a registry record of the cited work was read.
RESOLVED = (Resolution.VERIFIED, Resolution.MATCHED)


class LookupState(StrEnum):
    """A registry's answer for one DOI."""

    FOUND = "found"
    NOT_FOUND = Resolution.NOT_FOUND.value  # the registry said it does not know the DOI
    UNCHECKED = Resolution.UNCHECKED.value  # no answer could be had (network, limits, offline)


class PubMedState(StrEnum):
    """PubMed's answer for one DOI."""

    FOUND = LookupState.FOUND.value
    ABSENT = "absent"  # PubMed does not index it (books, many non-medical journals)
    UNCHECKED = LookupState.UNCHECKED.value


class Status(StrEnum):
    """What the registries' notices say of a work, most severe first: the order decides which
    status wins when several notices exist."""

    RETRACTED = "retracted"
    WITHDRAWN = "withdrawn"
    REMOVED = "removed"
    PARTIALLY_RETRACTED = "partially-retracted"
    EXPRESSION_OF_CONCERN = "expression-of-concern"
    CORRECTED = "corrected"
    OK = "ok"  # no notice is recorded (which is not proof that none exists)


# Statuses that take a work out of the evidence: no level, no share, first in every table.
GONE_STATUSES = (Status.RETRACTED, Status.WITHDRAWN, Status.REMOVED)
# Statuses that are a warning whatever the policy says (part of the work is in doubt).
CONCERN_STATUSES = (Status.PARTIALLY_RETRACTED, Status.EXPRESSION_OF_CONCERN)
# Every status a notice can give (all but ok), most severe first.
NOTICE_STATUSES = tuple(s for s in Status if s is not Status.OK)
# What the reports say in place of a status when no registry record could tell one (JSON
# `status`, the `statuses` counts): never "ok" for what was not read.
STATUS_UNCHECKED = Resolution.UNCHECKED.value


class Kind(StrEnum):
    """What kind of work a reference is (auditor/data/kinds.toml maps registry and entry
    types to these)."""

    JOURNAL_ARTICLE = "journal-article"
    PREPRINT = "preprint"
    BOOK = "book"
    BOOK_CHAPTER = "book-chapter"
    PROCEEDINGS = "proceedings"
    REPORT = "report"
    THESIS = "thesis"
    DATASET = "dataset"
    STANDARD = "standard"
    WEB = "web"
    PEER_REVIEW_REPORT = "peer-review-report"
    OTHER = "other"
    UNKNOWN = "unknown"


class PeerReview(StrEnum):
    """The peer-review class of a reference and, in `peer_review_reason`, the signal behind
    it (auditor/data/peer_review.toml)."""

    PEER_REVIEWED = "peer-reviewed"
    NOT_PEER_REVIEWED = "not-peer-reviewed"
    GREY = "grey"  # reports, theses, datasets, standards, web pages
    BOOK = Kind.BOOK.value  # editorial review, not journal peer review
    PROCEEDINGS = Kind.PROCEEDINGS.value  # review practice varies by field
    # A guideline, consensus, position statement or protocol from an institution or society:
    # institutional or expert review, on its own axis (never counted against the share).
    RECOMMENDATION = "recommendation"
    UNKNOWN = Kind.UNKNOWN.value  # no record, or no signal


class PeerReviewSignal(StrEnum):
    """What a journal article's peer review rests on, strongest first."""

    ASSERTED = "asserted"  # the publisher asserts it, or review reports are registered
    INDEXED = "indexed"  # the journal is currently indexed for MEDLINE, or in DOAJ with review
    ISSN = "issn"  # only an ISSN: a journal exists; its review is not confirmed
    NONE = "none"  # no signal (not a journal article, or no record)


class Outcome(StrEnum):
    """A list's verdict: what the exit code and every headline say."""

    PASSED = "passed"  # every rule of the policy holds on enough checked references
    FAILED = "failed"  # a rule fails on what was checked (exit code 1)
    INCOMPLETE = "incomplete"  # too few references got an answer to say (exit code 4)


class Design(StrEnum):
    """A study-design label, in the order reports list them (strongest evidence first); the
    OCEBM level of each is in auditor/data/evidence.toml."""

    SYSTEMATIC_REVIEW = "systematic-review"
    META_ANALYSIS = "meta-analysis"
    RANDOMISED_TRIAL = "randomised-trial"
    COHORT = "cohort"
    CASE_CONTROL = "case-control"
    CROSS_SECTIONAL = "cross-sectional"
    CASE_REPORT = "case-report"
    NARRATIVE_REVIEW = "narrative-review"
    OPINION = "opinion"
    PROTOCOL = "protocol"
    NOT_DETERMINED = "not-determined"


# Designs whose age asks for an updated review (E002).
REVIEW_DESIGNS = (Design.SYSTEMATIC_REVIEW, Design.META_ANALYSIS)


class Recommendation(StrEnum):
    """The kind of a recommendation document, on its own axis beside the design."""

    GUIDELINE = "guideline"
    CONSENSUS = "consensus"
    POSITION_STATEMENT = "position-statement"
    CLINICAL_PROTOCOL = "clinical-protocol"


class Confidence(StrEnum):
    """How far to trust a design label or a search match, weakest first."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Condition(StrEnum):
    """What `fail_on` and `warn_on` can name: each singles out the references of one problem of
    the scorecard (auditor/judge/scorecard.py says which). Most are another word's value: a
    status, a resolution, a kind."""

    RETRACTED = Status.RETRACTED.value
    WITHDRAWN = Status.WITHDRAWN.value
    REMOVED = Status.REMOVED.value
    PARTIALLY_RETRACTED = Status.PARTIALLY_RETRACTED.value
    EXPRESSION_OF_CONCERN = Status.EXPRESSION_OF_CONCERN.value
    CORRECTED = Status.CORRECTED.value
    NOT_FOUND = Resolution.NOT_FOUND.value
    MISMATCH = Resolution.MISMATCH.value
    INVALID_DOI = "invalid-doi"
    UNCHECKED = Resolution.UNCHECKED.value
    UNREADABLE = "unreadable"
    NO_IDENTIFIER = Resolution.NO_IDENTIFIER.value
    PREPRINT = Kind.PREPRINT.value
    NOT_PEER_REVIEWED = PeerReview.NOT_PEER_REVIEWED.value
    OUTDATED_GUIDELINE = "outdated-guideline"
    MISSING_YEAR = "missing-year"
    FUTURE_YEAR = "future-year"
    NOT_RECENT = "not-recent"
