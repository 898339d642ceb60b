"""What kind of work a reference is: from Crossref's type/subtype, else from the entry type."""

from __future__ import annotations

from auditor.data import compiled, load_table
from auditor.model import Reference, Work
from auditor.vocabulary import Kind

# Kinds of entry that a preprint server or a preprint DOI makes a preprint: an `@article` in
# medRxiv, a `@misc` on arXiv, manubot's CSL "report" for an arXiv preprint, Zotero's web page
# of a medRxiv preprint.
PREPRINT_CAPABLE = (Kind.JOURNAL_ARTICLE, Kind.OTHER, Kind.REPORT, Kind.WEB)


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


def kind_from_work(work: Work) -> Kind:
    """`posted-content` + `preprint` → preprint, `dissertation` → thesis, `monograph` → book…"""
    table = load_table("kinds")
    if work.type == "posted-content":
        if work.subtype in table["crossref_subtype"]:
            return Kind(table["crossref_subtype"][work.subtype])
        return Kind.PREPRINT if is_preprint_doi(work.doi) else Kind.OTHER
    return Kind(table["crossref"].get(work.type, Kind.UNKNOWN))


def kind_from_entry(reference: Reference) -> Kind:
    """For a reference with no registry record: `@book` → book, `@online` → web, an `@article`
    in medRxiv → preprint, a `@misc` with only a URL → web."""
    entry_type = reference.entry_type.lower()
    kind = Kind(load_table("kinds")["entry"].get(
        entry_type, Kind.OTHER if entry_type else Kind.UNKNOWN))
    if kind in PREPRINT_CAPABLE and (
            is_preprint_server(reference.container, reference.publisher, reference.note)
            or is_preprint_doi(reference.doi)):
        return Kind.PREPRINT
    if entry_type == "misc" and reference.url and not reference.container:
        return Kind.WEB
    return kind


def kind_of(reference: Reference, work: Work | None) -> tuple[Kind, str]:
    """(kind, where it came from: the registry that has the record, or "entry")."""
    if work is not None:
        kind = kind_from_work(work)
        if kind != Kind.UNKNOWN:
            return kind, work.agency
    return kind_from_entry(reference), "entry"
