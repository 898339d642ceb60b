"""Retractions, withdrawals, corrections: the status of a work from Crossref `updated-by`.

Every entry is scanned (a correction can precede a retraction), deduplicated by (DOI, type)
because the publisher and Retraction Watch may both record one notice, and entries pointing at
the work itself (PLOS `new_version`) are ignored. The most severe status wins; all are listed.
"""

from __future__ import annotations

import re

from auditor import codes
from auditor.model import GONE_STATUSES, Finding, Update, Work

# Crossref update type → status, most severe first (the order decides which status wins).
STATUS_BY_UPDATE = {
    "retraction": "retracted",
    "withdrawal": "withdrawn",
    "removal": "removed",
    "partial_retraction": "partially-retracted",
    "expression_of_concern": "expression-of-concern",
    "correction": "corrected",
    "corrigendum": "corrected",
    "erratum": "corrected",
}
SEVERITY_ORDER = ("retracted", "withdrawn", "removed", "partially-retracted",
                  "expression-of-concern", "corrected", "ok")
FINDING_BY_STATUS = {
    "retracted": codes.RETRACTED,
    "withdrawn": codes.WITHDRAWN,
    "removed": codes.REMOVED,
    "partially-retracted": codes.PARTIALLY_RETRACTED,
    "expression-of-concern": codes.EXPRESSION_OF_CONCERN,
    "corrected": codes.CORRECTED,
}
_RETRACTED_TITLE = re.compile(r"^\s*(retracted|withdrawn)\s*[:.\-–]", re.IGNORECASE)


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
                 ) -> tuple[str, tuple[Update, ...], list[Finding]]:
    """(status, updates, findings): `ok` when nothing of concern is recorded. Without a record,
    only the cited title can hint at a retraction (a warning, never a status). `elsewhere` are
    updates another source recorded (PubMed's "Retracted Publication"); they count only when
    Crossref has no notice of the same type."""
    if work is None and not elsewhere:
        if cited_title and _RETRACTED_TITLE.match(cited_title):
            return "ok", (), [codes.RETRACTED_TITLE_ONLY.make(
                f"the cited title begins {cited_title.split(':')[0]!r}; no registry record was "
                "checked: look for the retraction notice")]
        return "ok", (), []
    updates = relevant_updates(work) if work is not None else ()
    known_types = {u.type for u in updates}
    updates += tuple(u for u in elsewhere if u.type not in known_types)
    statuses = {STATUS_BY_UPDATE[u.type] for u in updates if u.type in STATUS_BY_UPDATE}
    status = next((s for s in SEVERITY_ORDER if s in statuses), "ok")
    findings = []
    for found in SEVERITY_ORDER[:-1]:
        if found not in statuses:
            continue
        notices = [u for u in updates if STATUS_BY_UPDATE.get(u.type) == found]
        detail = "; ".join(
            ("PubMed type 'Retracted Publication'" if u.source == "pubmed" and not u.doi
             else f"{u.doi or 'no DOI'}") + (f" ({u.date})" if u.date else "")
            + (f" via {u.source}" if u.source and u.source != "pubmed" else "")
            for u in notices)
        findings.append(FINDING_BY_STATUS[found].make(f"{found}: notice {detail}"))
    if work is None:
        return status, updates, findings
    if status not in GONE_STATUSES and work.title and \
            _RETRACTED_TITLE.match(work.title):
        findings.append(codes.RETRACTED_TITLE_ONLY.make(
            f"the title begins {work.title.split(':')[0]!r} but Crossref records no retraction "
            "notice: check the publisher's page"))
    notice = notice_target(work)
    if notice:
        u = notice
        findings.append(codes.IS_NOTICE.make(
            f"this DOI is a {u.type.replace('_', ' ')} notice about {u.doi}; cite the work itself "
            "or remove it"))
    return status, updates, findings
