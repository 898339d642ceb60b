"""The identifiers a document's links carry: a link to doi.org names a DOI, one to PubMed a
PMID, even when the text shows only "[CrossRef]" or the title."""

from __future__ import annotations

import re
from urllib.parse import unquote

from auditor.sources.citation_text import dois_in
from auditor.sources.doi import find_doi

_DOI_LINK = re.compile(r"(?:^|//)(?:dx\.|www\.)?doi\.org/10\.|/doi/(?:[a-z]+/)?10\.", re.I)
_PUBMED_LINK = re.compile(
    r"(?:pubmed\.ncbi\.nlm\.nih\.gov/|ncbi\.nlm\.nih\.gov/pubmed/(?:\?term=)?|^/pubmed/|"
    r"europepmc\.org/(?:abstract|article)/med/|list_uids=)(\d{1,9})(?!\d)", re.IGNORECASE)
# The links an article page (or a Word file) puts after each reference: no part of the
# citation.
LINK_LABEL = re.compile(
    r"(?:search\s+(?:in\s+)?)?google\s+scholar|pub\s?med(?:\s+central|\s+abstract|/ncbi)?|"
    r"pmc\s+free\s+article|europe\s?pmc|cross\s?ref(?:\s+full\s+text)?|cas|isi|medline|"
    r"(?:view\s+)?article|(?:view\s+in\s+)?scopus(?:\s+\d+)?|web\s+of\s+science|"
    r"(?:free\s+)?full\s+text|abstract(?:/free\s+full\s+text)?|find\s+this\s+article\s+online|"
    r"view\s+pdf|pdf(?:\s+[\d.]+\s*[km]?b)?|openurl(?:\s+placeholder\s+text)?|worldcat|"
    r"(?:search\s+)?ads|wiley\s+online\s+library|publisher\s+full\s+text|chemport|link|"
    r"back\s+to\s+(?:text|top)|[\^↑↩]|"
    # the same in French: "Lien vers l'article", "Texte intégral", "Résumé"
    r"lien(?:\s+vers\s+l['’]\s?article)?|texte\s+(?:int[ée]gral|complet)|r[ée]sum[ée]|"
    r"(?:voir|consulter|acc[ée]der\s+[àa])\s+l['’]\s?article|article\s+en\s+ligne",
    re.IGNORECASE)
_PMID_IN_TEXT = re.compile(r"\bPMID\s*:?\s*\d", re.IGNORECASE)


def link_ids(href: str) -> list[str]:
    """"doi:10.…" for a link to doi.org or a publisher's /doi/10.… page, "PMID: NNN" for a
    link to PubMed."""
    address = unquote(href)
    found = []
    if _DOI_LINK.search(address):
        doi = find_doi(address)
        if doi:
            start = address.lower().find(doi)
            found.append("doi:" + (address[start:start + len(doi)] if start >= 0 else doi))
    pubmed = _PUBMED_LINK.search(address)
    if pubmed:
        found.append(f"PMID: {pubmed.group(1)}")
    return found


def with_ids(text: str, ids: list[str], context: str) -> str:
    """`text` with each DOI and PMID of its links written after it, unless the entry
    (`context`) already gives it."""
    if not ids:
        return text
    dois = {doi.lower() for doi, _ in dois_in(context)}
    has_pmid = bool(re.search(r"\bPMID\b", context, re.IGNORECASE))
    for found in dict.fromkeys(ids):
        if found.startswith("doi:") and found[4:].lower() not in dois:
            dois.add(found[4:].lower())
            text = f"{text} {found}"
        elif found.startswith("PMID") and not has_pmid:
            has_pmid, text = True, f"{text} {found}"
    return text.strip()
