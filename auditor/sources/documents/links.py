"""The identifiers a document's links carry: a link to doi.org names a DOI, one to PubMed a
PMID, even when the text shows only "[CrossRef]" or the title."""

from __future__ import annotations

import re
from urllib.parse import unquote

from auditor.sources.citation_text import dois_in

_DOI_LINK = re.compile(r"^https?://(?:dx\.)?doi\.org/(10\.\d{4,9}/\S+)$|/doi/(?:abs/|full/|pdf/)?"
                       r"(10\.\d{4,9}/[^?#\s]+)", re.IGNORECASE)
_PUBMED_LINK = re.compile(r"^https?://(?:www\.)?(?:pubmed\.ncbi\.nlm\.nih\.gov/|"
                          r"ncbi\.nlm\.nih\.gov/pubmed/)(\d{1,9})\b", re.IGNORECASE)
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


def link_doi(url: str) -> str | None:
    match = _DOI_LINK.search(unquote(url.strip()))
    return (match.group(1) or match.group(2)).rstrip(".,;") if match else None


def link_pmid(url: str) -> str | None:
    match = _PUBMED_LINK.search(url.strip())
    return match.group(1) if match else None


def with_link_ids(text: str, urls: list[str]) -> str:
    """`text` with the first DOI and PMID its links name written after it, when the text does
    not already hold them."""
    extra = []
    doi = next((d for u in urls if (d := link_doi(u))), None)
    if doi and not dois_in(text):
        extra.append(f"doi:{doi}")
    pmid = next((p for u in urls if (p := link_pmid(u))), None)
    if pmid and not _PMID_IN_TEXT.search(text):
        extra.append(f"PMID: {pmid}")
    return " ".join([text, *extra]) if extra else text
