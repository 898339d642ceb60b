"""Is the reference peer reviewed, and on what signal? (evidence.md, "Peer-review classes")

Crossref cannot prove that one article was peer reviewed. For a journal article the signal is
the journal (an ISSN: journal-level, the item's own review assumed), made stronger by a
publisher's assertion or registered review reports, and overridden by notices, editorials and
letters. Every verdict carries the reason in words.
"""

from __future__ import annotations

from functools import cache

from auditor import codes
from auditor.data import compiled, load_table
from auditor.judge.updates import notice_target
from auditor.model import Finding, Reference, Work
from auditor.vocabulary import Kind, PeerReview, Resolution

# Kinds decided by the rules below, not by peer_review.toml's `by_kind` table (which holds a
# row for every other kind: tests/test_vocabulary.py checks it).
RULE_DECIDED_KINDS = (Kind.PREPRINT, Kind.JOURNAL_ARTICLE)

# A publisher's `peer_reviewed` assertion that says yes ("Yes", "true", "Peer-reviewed"…),
# compared with hyphens as spaces.
_ASSERTED_YES = ("yes", "true", "peer reviewed")


def is_non_research_title(title: str | None) -> bool:
    """`Erratum: …`, `Editorial`, `Letter to the editor`, `Reply to …` — not research articles."""
    if not title:
        return False
    return any(p.search(title.strip()) for p in compiled("peer_review", "non_research_titles"))


def _asserted_review(work: Work) -> str | None:
    """A publisher's own statement of peer review, quoted briefly."""
    value = work.assertions.get("peer_reviewed", "").strip().lower().replace("-", " ")
    if value in _ASSERTED_YES:
        return "the publisher asserts peer_reviewed: Yes"
    statement = work.assertions.get("peerreview_statement")
    if statement:
        return "the publisher deposited a peer-review statement"
    if work.relation.get("has-review"):
        count = len(work.relation["has-review"])
        return f"{count} peer-review report{'s' if count > 1 else ''} registered (has-review)"
    return None


# Why a reference has no record to judge from, by its resolution (said in the reason).
WITHOUT_RECORD = {
    Resolution.UNCHECKED: "not checked on Crossref (no answer)",
    Resolution.NOT_FOUND: "Crossref does not know its DOI",
    Resolution.MISMATCH: "its DOI leads to another work",
    Resolution.NO_IDENTIFIER: "no DOI to check",
}


@cache
def by_kind() -> dict[Kind, tuple[PeerReview, str]]:
    """peer_review.toml's `by_kind` table: the class and reason of every kind the rules leave
    to it."""
    return {Kind(kind): (PeerReview(verdict), reason)
            for kind, (verdict, reason) in load_table("peer_review")["by_kind"].items()}


def judge_peer_review(kind: Kind, reference: Reference, work: Work | None,
                      resolution: Resolution = Resolution.NO_IDENTIFIER
                      ) -> tuple[PeerReview, str, list[Finding]]:
    """(class, reason, findings) for one reference; `resolution` explains a missing record."""
    findings: list[Finding] = []
    title = work.title if work else reference.title
    if kind == Kind.PREPRINT:
        reason = "a preprint: posted before (or without) peer review"
        findings.append(codes.PREPRINT.make("preprint: not peer reviewed"))
        published = work.relation.get("is-preprint-of") if work else None
        if published:
            reason += f"; published version: {published[0]}"
            findings.append(codes.HAS_PUBLISHED_VERSION.make(
                f"this preprint was published as {published[0]}; cite the published version"))
        return PeerReview.NOT_PEER_REVIEWED, reason, findings
    if kind == Kind.JOURNAL_ARTICLE:
        notice = notice_target(work) if work is not None else None
        if notice is not None:
            return (PeerReview.NOT_PEER_REVIEWED, f"a {notice.type.replace('_', ' ')} notice "
                    f"about {notice.doi}, not a research article", findings)
        if is_non_research_title(title):
            findings.append(codes.NOT_PEER_REVIEWED.make(
                f"the title marks an editorial, letter, notice or reply: {title!r}"))
            return (PeerReview.NOT_PEER_REVIEWED,
                    "the title marks an editorial, letter, correction or reply", findings)
        if work is None:
            where = f" in {reference.container}" if reference.container else ""
            why = WITHOUT_RECORD.get(resolution, "no registry record")
            return (PeerReview.UNKNOWN, f"cited as a journal article{where}, but {why}: the "
                    "journal could not be confirmed", findings)
        asserted = _asserted_review(work)
        if asserted:
            return PeerReview.PEER_REVIEWED, asserted, findings
        if work.issn:
            journal = f"{work.container} " if work.container else ""
            return (PeerReview.PEER_REVIEWED, f"article in a journal with an ISSN ({journal}"
                    f"ISSN {work.issn[0]}): journal-level signal, this article's review "
                    "not confirmed", findings)
        return (PeerReview.UNKNOWN, "journal article without an ISSN: the journal could not "
                "be identified", findings)
    if work is not None and work.type == "posted-content" and kind == Kind.OTHER:
        return (PeerReview.GREY, f"posted content ({work.subtype or 'no subtype'}), not a "
                "preprint or an article: not peer reviewed", findings)
    verdict, reason = by_kind()[kind]
    if work is None and kind != Kind.UNKNOWN:
        reason += " (kind from the entry type)"
    return verdict, reason, findings
