"""What kind of work a reference is: from Crossref's type/subtype, else from the entry type."""

from __future__ import annotations

from auditor.judge.tables import compiled, load_table
from auditor.model import Reference, Work


def is_preprint_server(*texts: str | None) -> bool:
    """True when a container, publisher or note names a preprint server (medRxiv, arXiv…)."""
    names = load_table("kinds")["preprint_servers"]["names"]
    for text in texts:
        if text:
            lowered = text.lower()
            if any(lowered == n or lowered.startswith(n + " ") or f"{n} preprint" in lowered
                   or lowered.startswith(n + ":") for n in names):
                return True
    return False


def is_preprint_doi(doi: str | None) -> bool:
    """bioRxiv/medRxiv (10.1101), arXiv (10.48550), SSRN, Research Square… by DOI prefix."""
    if not doi:
        return False
    return any(p.search(doi) for p in compiled("kinds", "preprint_servers", "doi_patterns"))


def kind_from_work(work: Work) -> str:
    """`posted-content` + `preprint` → preprint, `dissertation` → thesis, `monograph` → book…"""
    table = load_table("kinds")
    if work.type == "posted-content":
        if work.subtype in table["crossref_subtype"]:
            return table["crossref_subtype"][work.subtype]
        return "preprint" if is_preprint_doi(work.doi) else "other"
    return table["crossref"].get(work.type, "unknown")


def kind_from_entry(reference: Reference) -> str:
    """For a reference with no registry record: `@book` → book, `@online` → web, an `@article`
    in medRxiv → preprint, a `@misc` with only a URL → web."""
    entry_type = reference.entry_type.lower()
    kind = load_table("kinds")["entry"].get(entry_type, "unknown" if not entry_type else "other")
    if kind in ("journal-article", "other") and (
            is_preprint_server(reference.container, reference.publisher, reference.note)
            or is_preprint_doi(reference.doi)):
        return "preprint"
    if entry_type == "misc" and reference.url and not reference.container:
        return "web"
    return kind


def kind_of(reference: Reference, work: Work | None) -> tuple[str, str]:
    """(kind, where it came from: "crossref" or "entry")."""
    if work is not None:
        kind = kind_from_work(work)
        if kind != "unknown":
            return kind, work.agency
    return kind_from_entry(reference), "entry"
