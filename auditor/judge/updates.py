"""Retractions, withdrawals, corrections: the status of a work from Crossref `updated-by`.

Every entry is scanned (a correction can precede a retraction), deduplicated by (DOI, type)
because the publisher and Retraction Watch may both record one notice, and entries pointing at
the work itself (PLOS `new_version`) are ignored. The most severe status wins; all are listed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from auditor import codes
from auditor.codes import Code
from auditor.i18n import N_, Phrase, Said
from auditor.model import PUBMED_SOURCE, Finding, Update, Work
from auditor.vocabulary import GONE_STATUSES, NOTICE_STATUSES, Status


@dataclass(frozen=True)
class StatusRule:
    """What gives a work a status: Crossref's update types for it, and the finding it makes."""

    update_types: tuple[str, ...]
    code: Code


# Every status a notice can give (vocabulary.NOTICE_STATUSES, most severe first) and what gives
# it; the severity order of Status decides which status wins.
STATUS_RULES = {
    Status.RETRACTED: StatusRule(("retraction",), codes.RETRACTED),
    Status.WITHDRAWN: StatusRule(("withdrawal",), codes.WITHDRAWN),
    Status.REMOVED: StatusRule(("removal",), codes.REMOVED),
    Status.PARTIALLY_RETRACTED: StatusRule(("partial_retraction",), codes.PARTIALLY_RETRACTED),
    Status.EXPRESSION_OF_CONCERN: StatusRule(("expression_of_concern",),
                                             codes.EXPRESSION_OF_CONCERN),
    Status.CORRECTED: StatusRule(("correction", "corrigendum", "erratum"), codes.CORRECTED),
}
# The first words of each status's finding: "retracted: see the notice 10.1021/… (2020-03-01)".
STATUS_SENTENCES = {
    Status.RETRACTED: N_("retracted — see the retraction notice"),
    Status.WITHDRAWN: N_("withdrawn — see the notice"),
    Status.REMOVED: N_("removed by the publisher — see the notice"),
    Status.PARTIALLY_RETRACTED: N_("partly retracted — see the notice"),
    Status.EXPRESSION_OF_CONCERN: N_("the publisher issued an expression of concern"),
    Status.CORRECTED: N_("corrected since publication — cite it with the correction"),
}
# A notice that lifts a retraction (Retraction Watch's "Reinstatement"): no status of its own.
REINSTATEMENT = "reinstatement"
# Crossref update type → status.
STATUS_BY_UPDATE = {update_type: status for status, rule in STATUS_RULES.items()
                    for update_type in rule.update_types}
_RETRACTED_TITLE = re.compile(r"^\s*(retracted|withdrawn)\s*[:.\-–]", re.IGNORECASE)


# Who recorded a notice, in Crossref's `updated-by[].source`.
_RECORDED_BY = {"publisher": N_("recorded by the publisher"),
                "retraction-watch": N_("recorded by Retraction Watch")}
# Crossref's update types in words.
UPDATE_WORDS = {"retraction": N_("retraction"), "withdrawal": N_("withdrawal"),
                "removal": N_("removal"), "partial_retraction": N_("partial retraction"),
                "expression_of_concern": N_("expression of concern"),
                "correction": N_("correction"), "corrigendum": N_("corrigendum"),
                "erratum": N_("erratum")}


def notice_target(work: Work) -> Update | None:
    """When the DOI is itself a notice (retraction, correction…) about another work, the
    `update-to` entry naming that work; else None (PLOS `new_version` self-links do not count)."""
    for update in work.update_to:
        if update.doi and update.doi != work.doi and update.type in STATUS_BY_UPDATE:
            return update
    return None


def relevant_updates(work: Work) -> tuple[Update, ...]:
    """`updated-by` without self-references and duplicates, in the order Crossref gave them."""
    seen: set[tuple[str | None, str]] = set()
    kept = []
    for update in work.updated_by:
        if update.doi and update.doi == work.doi:
            continue
        key = (update.doi, update.type)
        if key in seen:
            continue
        seen.add(key)
        kept.append(update)
    return tuple(kept)


def judge_status(work: Work | None, cited_title: str | None = None,
                 elsewhere: tuple[Update, ...] = ()
                 ) -> tuple[Status, tuple[Update, ...], list[Finding]]:
    """(status, updates, findings): `ok` when nothing of concern is recorded. Without a record,
    only the cited title can hint at a retraction (a warning, never a status). `elsewhere` are
    updates another source recorded (PubMed's "Retracted Publication"); they count only when
    Crossref has no notice of the same type."""
    if work is None and not elsewhere:
        if cited_title and _RETRACTED_TITLE.match(cited_title):
            return Status.OK, (), [codes.RETRACTED_TITLE_ONLY.make(
                "the cited title begins {start!r}; no registry record was checked: look for "
                "the retraction notice", start=cited_title.split(":")[0])]
        return Status.OK, (), []
    updates = relevant_updates(work) if work is not None else ()
    known_types = {u.type for u in updates}
    updates += tuple(u for u in elsewhere if u.type not in known_types)
    statuses = {STATUS_BY_UPDATE[u.type] for u in updates if u.type in STATUS_BY_UPDATE}
    status = next((s for s in NOTICE_STATUSES if s in statuses), Status.OK)
    findings = []
    for found in NOTICE_STATUSES:
        if found not in statuses:
            continue
        notices = [u for u in updates if STATUS_BY_UPDATE.get(u.type) == found]
        detail = _notice_words(notices[0])
        for u in notices[1:]:
            detail = Said("{one}; {other}", one=detail, other=_notice_words(u))
        findings.append(STATUS_RULES[found].code.make(
            "{status}: {notices}", status=Phrase(STATUS_SENTENCES[found]), notices=detail))
    if work is None:
        return status, updates, findings
    if status not in GONE_STATUSES and work.title and \
            _RETRACTED_TITLE.match(work.title):
        findings.append(codes.RETRACTED_TITLE_ONLY.make(
            "the title begins {start!r} but Crossref records no retraction notice: check the "
            "publisher's page", start=work.title.split(":")[0]))
    notice = notice_target(work)
    if notice:
        u = notice
        findings.append(codes.IS_NOTICE.make(
            "this DOI is a {kind} notice about {doi}; cite the work itself or remove it",
            kind=update_words(u.type), doi=u.doi))
    return status, updates, findings


def update_words(update_type: str) -> Phrase:
    """A Crossref update type in words: `expression_of_concern` → "expression of concern"."""
    return Phrase(UPDATE_WORDS.get(update_type, update_type.replace("_", " ")))


def _notice_words(u: Update) -> str:
    """`10.1021/… (2020-03-01), recorded by Retraction Watch`, in the reader's language."""
    said: str = Phrase(N_("PubMed marks it 'Retracted Publication'")) \
        if u.source == PUBMED_SOURCE and not u.doi else (
        u.doi or Phrase(N_("notice without a DOI")))
    if u.date:
        said = Said("{notice} ({date})", notice=said, date=u.date)
    if u.source and u.source != PUBMED_SOURCE:
        said = Said("{notice}, {by}", notice=said, by=Phrase(_RECORDED_BY[u.source])
                    if u.source in _RECORDED_BY else u.source)
    if u.reasons:
        said = Said("{notice}; reasons given: {reasons}", notice=said,
                    reasons=", ".join(u.reasons))
    return said
