"""Is the reference peer reviewed, and on what signal? (evidence.md, "Peer-review classes" and
"Journal standing")

Crossref cannot prove that one article was peer reviewed. For a journal article the signal is
graded: the publisher asserts it or registered review reports (`asserted`); the journal is
currently indexed for MEDLINE or listed in DOAJ with a stated review process (`indexed`); the
journal has an ISSN, which only says a serial exists (`issn`). Notices, editorials, letters and
meeting abstracts are not peer-reviewed articles whatever their journal. A recommendation
document from an institution or society (WHO, NICE, HAS, AAP, ABM…) is on its own axis:
institutional or expert review. Every verdict carries the reason in words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from auditor import codes
from auditor.data import any_of, compiled, load_table
from auditor.i18n import N_, Phrase, Said
from auditor.judge.updates import notice_target, update_words
from auditor.model import Evidence, Finding, JournalStanding, Reference, Work
from auditor.vocabulary import Kind, PeerReview, PeerReviewSignal, Resolution

# Signals from strongest to weakest; `peer_review_requires` names the weakest that counts.
SIGNAL_ORDER = (PeerReviewSignal.ASSERTED, PeerReviewSignal.INDEXED, PeerReviewSignal.ISSN,
                PeerReviewSignal.NONE)

# A publisher's `peer_reviewed` assertion that says yes ("Yes", "true", "Peer-reviewed"…),
# compared with hyphens as spaces.
_ASSERTED_YES = ("yes", "true", "peer reviewed")


@dataclass(frozen=True)
class PeerReviewJudgement:
    """The peer-review class of a reference, why, and the signal it rests on."""

    verdict: PeerReview
    reason: str
    signal: PeerReviewSignal = PeerReviewSignal.NONE
    findings: tuple[Finding, ...] = ()
    # For a journal article: whether both journal lists answered for its journal (True),
    # were asked and did not (False: the signal rests at `issn`, unconfirmed), or were not
    # asked (None).
    journal_checked: bool | None = None


def counts_as_peer_reviewed(verdict: PeerReview, signal: PeerReviewSignal,
                            requires: PeerReviewSignal) -> bool:
    """Whether a reference counts as peer reviewed when the policy requires `requires`:
    an article with an ISSN only does not count when MEDLINE/DOAJ indexing is required."""
    return (verdict == PeerReview.PEER_REVIEWED
            and SIGNAL_ORDER.index(signal) <= SIGNAL_ORDER.index(requires))


def undecided_for(verdict: PeerReview, signal: PeerReviewSignal,
                  journal_checked: bool | None, requires: PeerReviewSignal) -> bool:
    """Whether the policy's requirement cannot be judged for this reference: MEDLINE/DOAJ
    indexing is required, its journal has an ISSN, and the lists did not both answer — the
    journal is then neither confirmed nor refused, only not known."""
    return (requires == PeerReviewSignal.INDEXED and verdict == PeerReview.PEER_REVIEWED
            and signal == PeerReviewSignal.ISSN and journal_checked is not True)


def is_non_research_title(title: str | None) -> bool:
    """`Erratum: …`, `Editorial`, `Letter to the editor`, `Reply to …` — not research articles."""
    if not title:
        return False
    joined = any_of("peer_review", "non_research_titles")
    if joined is not None:
        return joined.search(title.strip()) is not None
    return any(p.search(title.strip()) for p in compiled("peer_review", "non_research_titles"))


@cache
def _abstract_rules() -> dict[str, tuple[re.Pattern[str], ...]]:
    table = load_table("peer_review")["meeting_abstract"]
    return {key: tuple(re.compile(p, re.IGNORECASE)
                       for p in ([value] if isinstance(value, str) else value))
            for key, value in table.items()}


def meeting_abstract(title: str | None, container: str | None, issue: str | None,
                     page: str | None) -> str | None:
    """Why a journal item is a meeting abstract, or None: "J Clin Oncol 38(15_suppl):e12345"
    is one (a supplement issue and an abstract number as its page); a supplement issue alone
    is not (many supplements hold peer-reviewed papers)."""
    rules = _abstract_rules()
    page = (page or "").strip()
    # "P-123" and "OR12-3" are one abstract number; "e12345-e12346" a range
    first_page = page if re.match(r"^[A-Za-z]{1,3}-\d+$|^[A-Za-z]{1,3}\d{1,3}-\d{1,4}$", page) \
        else re.split(r"\s*[-–]\s*", page)[0]
    if title and any(p.search(title.strip()) for p in rules["titles"]):
        return Said("the title marks a meeting abstract: {title!r}", title=title[:60])
    if container and any(p.search(container) for p in rules["containers"]):
        return Said("published in {container!r}: a meeting's abstracts", container=container)
    supplement = bool(issue and any(p.search(issue.strip()) for p in rules["supplement_issue"]))
    if supplement and first_page and any(p.match(first_page) for p in rules["abstract_pages"]):
        return Said("a supplement issue ({issue}) with an abstract number as its page ({page})",
                    issue=issue, page=first_page)
    return None


def _asserted_review(work: Work) -> str | None:
    """A publisher's own statement of peer review, quoted briefly."""
    value = work.assertions.get("peer_reviewed", "").strip().lower().replace("-", " ")
    if value in _ASSERTED_YES:
        return Phrase(N_("the publisher states that it was peer reviewed"))
    statement = work.assertions.get("peerreview_statement")
    if statement:
        return Phrase(N_("the publisher deposited a peer-review statement"))
    if work.relation.get("has-review"):
        count = len(work.relation["has-review"])
        if count == 1:
            return Said("{n} peer-review report registered (has-review)", n=count)
        return Said("{n} peer-review reports registered (has-review)", n=count)
    return None


@cache
def _issuers() -> tuple[tuple[str, re.Pattern[str] | None, re.Pattern[str] | None], ...]:
    """(issuer, its names, its acronyms) from issuers.toml."""
    rules = []
    for issuer in load_table("issuers")["issuer"]:
        names = "|".join(issuer["names"])
        acronyms = "|".join(issuer["acronyms"])
        rules.append((issuer["name"],
                      re.compile(rf"(?<!\w)(?:{names})(?!\w)", re.IGNORECASE) if names else None,
                      re.compile(rf"(?<![\w-])(?:{acronyms})(?![\w-])") if acronyms else None))
    return tuple(rules)


def issuer_of(*texts: str | None) -> str | None:
    """The institution or society a recommendation comes from, named in its authors,
    publisher, container, title or citation: "ABM Clinical Protocol #3" → Academy of
    Breastfeeding Medicine; None when none of issuers.toml is named."""
    for text in texts:
        if not text:
            continue
        capitals = text.upper() == text
        for name, names, acronyms in _issuers():
            if (names is not None and names.search(text)) or (
                    acronyms is not None and not capitals and acronyms.search(text)):
                return name
    return None


# Why a reference has no record to judge from, by its resolution (said in the reason).
WITHOUT_RECORD = {
    Resolution.UNCHECKED: N_("not checked on Crossref (no answer)"),
    Resolution.NOT_FOUND: N_("Crossref does not know its DOI"),
    Resolution.MISMATCH: N_("its DOI leads to another work"),
    Resolution.NO_IDENTIFIER: N_("no DOI to check"),
}


@cache
def by_kind() -> dict[Kind, tuple[PeerReview, str]]:
    """peer_review.toml's `by_kind` table: the class and reason of every kind the rules leave
    to it."""
    return {Kind(kind): (PeerReview(verdict), Phrase(reason))
            for kind, (verdict, reason) in load_table("peer_review")["by_kind"].items()}


def _journal_signal(work: Work, standings: dict[str, JournalStanding]
                    ) -> tuple[PeerReviewSignal, str, bool | None]:
    """The journal's standing in words — MEDLINE or DOAJ (indexed), else the ISSN alone — and
    whether the lists answered (PeerReviewJudgement.journal_checked)."""
    journal = work.container or Phrase(N_("the journal"))
    known = [standings[i] for i in work.issn if i in standings]
    medline = next((s for s in known if s.medline), None)
    if medline is not None:
        return PeerReviewSignal.INDEXED, Said(
            "peer reviewed — MEDLINE journal ({journal}, currently indexed in the NLM Catalog)",
            journal=medline.medline_title or journal), True
    doaj = next((s for s in known if s.doaj and s.doaj_review), None)
    if doaj is not None:
        return PeerReviewSignal.INDEXED, Said(
            "peer reviewed — listed in DOAJ with a stated process: {process} ({journal})",
            process=doaj.doaj_review, journal=journal), True
    answered = [s for s in known if s.medline is not None and s.doaj is not None]
    if answered:
        checked, lists = True, N_("; not currently indexed for MEDLINE nor listed in DOAJ "
                                  "with a review process")
    elif known:
        checked, lists = False, N_("; the journal lists (MEDLINE, DOAJ) could not all be "
                                   "reached — rerun later")
    else:
        checked, lists = None, N_("; the journal lists (MEDLINE, DOAJ) were not asked")
    return PeerReviewSignal.ISSN, Said(
        "journal with an ISSN only ({journal}, ISSN {issn}): peer review not confirmed{lists}",
        journal=journal, issn=work.issn[0], lists=Phrase(lists)), checked


def _journal_article(reference: Reference, work: Work | None, resolution: Resolution,
                     standings: dict[str, JournalStanding], pubmed_types: tuple[str, ...]
                     ) -> PeerReviewJudgement:
    title = work.title if work else reference.title
    notice = notice_target(work) if work is not None else None
    if notice is not None:
        return PeerReviewJudgement(PeerReview.NOT_PEER_REVIEWED, Said(
            "a {kind} notice about {doi}, not a research article",
            kind=update_words(notice.type), doi=notice.doi))
    if is_non_research_title(title):
        return PeerReviewJudgement(
            PeerReview.NOT_PEER_REVIEWED,
            Phrase(N_("the title marks an editorial, letter, correction or reply")),
            findings=(codes.NOT_PEER_REVIEWED.make(
                "the title marks an editorial, letter, notice or reply: {title!r}",
                title=title),))
    typed = [t for t in pubmed_types
             if t in load_table("peer_review")["not_research"]["pubmed_types"]]
    if typed:
        return PeerReviewJudgement(
            PeerReview.NOT_PEER_REVIEWED, Said("PubMed types it as {type!r}", type=typed[0]),
            findings=(codes.NOT_PEER_REVIEWED.make(
                "PubMed publication type {type!r}: not a peer-reviewed article",
                type=typed[0]),))
    abstract = meeting_abstract(title, work.container if work else reference.container,
                                work.issue if work else reference.issue,
                                work.page if work else reference.pages)
    if abstract:
        return PeerReviewJudgement(
            PeerReview.NOT_PEER_REVIEWED, Said("a meeting abstract: {why}", why=abstract),
            findings=(codes.NOT_PEER_REVIEWED.make(
                "a meeting abstract, not a peer-reviewed article: {why}", why=abstract),))
    if work is None:
        why = Phrase(WITHOUT_RECORD.get(resolution, N_("no registry record")))
        return PeerReviewJudgement(PeerReview.UNKNOWN, Said(
            "cited as a journal article in {journal}, but {why}: the journal could not be "
            "confirmed", journal=reference.container, why=why) if reference.container else Said(
            "cited as a journal article, but {why}: the journal could not be confirmed",
            why=why))
    asserted = _asserted_review(work)
    if asserted:
        return PeerReviewJudgement(PeerReview.PEER_REVIEWED,
                                   Said("peer reviewed — {how}", how=asserted),
                                   PeerReviewSignal.ASSERTED)
    if work.issn:
        signal, reason, checked = _journal_signal(work, standings)
        return PeerReviewJudgement(PeerReview.PEER_REVIEWED, reason, signal,
                                   journal_checked=checked)
    return PeerReviewJudgement(PeerReview.UNKNOWN, Phrase(N_(
        "journal article without an ISSN: the journal could not be identified")))


def _preprint(reference: Reference, work: Work | None, resolution: Resolution,
              standings: dict[str, JournalStanding], pubmed_types: tuple[str, ...]
              ) -> PeerReviewJudgement:
    reason: str = Phrase(N_("a preprint: posted before (or without) peer review"))
    findings = [codes.PREPRINT.make("a preprint: not peer reviewed; look for a published "
                                    "version")]
    published = work.relation.get("is-preprint-of") if work else None
    if published:
        reason = Said("a preprint: posted before (or without) peer review; published version: "
                      "{doi}", doi=published[0])
        findings.append(codes.HAS_PUBLISHED_VERSION.make(
            "this preprint was published as {doi}; cite the published version",
            doi=published[0]))
    return PeerReviewJudgement(PeerReview.NOT_PEER_REVIEWED, reason, findings=tuple(findings))


# The kinds decided by rules rather than by peer_review.toml's `by_kind` table, which holds a
# row for every other kind (tests/test_vocabulary.py checks it).
RULES = {Kind.PREPRINT: _preprint, Kind.JOURNAL_ARTICLE: _journal_article}
RULE_DECIDED_KINDS = tuple(RULES)


def _recommendation(reference: Reference, work: Work | None, evidence: Evidence | None
                    ) -> PeerReviewJudgement | None:
    """A recommendation document whose issuer is named: its own class, with the issuer."""
    if evidence is None or not evidence.guideline:
        return None
    issuer = issuer_of(*(work.authors if work else reference.authors),
                       work.publisher if work else reference.publisher,
                       work.container if work else reference.container,
                       work.title if work else reference.title, reference.raw)
    if issuer is None:
        return None
    what = Phrase((evidence.recommendation or "recommendation").replace("-", " "))
    return PeerReviewJudgement(PeerReview.RECOMMENDATION, Said(
        "a {what} issued by {issuer}: institutional or expert review, not journal peer review",
        what=what, issuer=issuer))


def judge_peer_review(kind: Kind, reference: Reference, work: Work | None,
                      resolution: Resolution = Resolution.NO_IDENTIFIER, *,
                      evidence: Evidence | None = None,
                      standings: dict[str, JournalStanding] | None = None,
                      pubmed_types: tuple[str, ...] = ()) -> PeerReviewJudgement:
    """The peer-review class of one reference and the signal it rests on. `evidence` says
    whether it is a recommendation document; `standings` are the journal lists' answers by
    ISSN; `resolution` explains a missing record."""
    if kind != Kind.PREPRINT:  # a preprint is never more than a preprint
        recommended = _recommendation(reference, work, evidence)
        if recommended is not None:
            return recommended
    if kind in RULES:
        return RULES[kind](reference, work, resolution, standings or {}, pubmed_types)
    if work is not None and work.type == "posted-content" and kind == Kind.OTHER:
        return PeerReviewJudgement(PeerReview.GREY, Said(
            "posted content ({subtype}), not a preprint or an article: not peer reviewed",
            subtype=work.subtype or Phrase(N_("no subtype"))))
    verdict, reason = by_kind()[kind]
    if work is None and kind != Kind.UNKNOWN:
        return PeerReviewJudgement(verdict, Said("{reason} (kind from the entry type)",
                                                 reason=reason))
    return PeerReviewJudgement(verdict, reason)
