"""DOI normalisation: whatever a reference list holds → a lower-case `10.prefix/suffix` or nothing.

DOIs are case-insensitive (the DOI Handbook) and Crossref returns them lower-cased, so lower case
is the one spelling used for lookups, the cache and the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

VALID_DOI = re.compile(r"^10\.\d{4,9}/\S+$")

# A DOI inside free text (url, note, howpublished): stop at whitespace, quotes, braces and angle
# brackets (`<https://doi.org/…>`), but keep a SICI's `<…>` (`10.1175/…078<0001:VOFEIT>2.0.CO;2`).
_DOI_IN_TEXT = re.compile(r"10\.\d{4,9}/(?:[^\s\"'<>{}]|<[^\s\"'<>{}]*>)+")
_PREFIXES = re.compile(
    r"^(?P<url>(?:https?://)?(?:(?:dx\.|www\.)?doi\.org/|doi\.acm\.org/|hdl\.handle\.net/))"
    r"|^doi\s*(?:[:：]\s*|(?=10\.))|^info:doi/|^urn:doi:",
    re.IGNORECASE,
)
# Where a field that holds several DOIs passes to the next: `10.1000/xyz 10.1000/abc`,
# `10.1000/xyz; doi:10.1000/abc`, `…, https://doi.org/10.1000/abc`. A SICI's `;2-2` is no break.
_NEXT_DOI = re.compile(r"[\s,;]+(?=(?:doi\s*:?\s*|https?://\S*?)?10\.\d{4,9}/)", re.IGNORECASE)
_TRAILING = ".,;:)]}>'\"»。"
# What a landing-page URL adds after the DOI: `…/10.3389/fpsyg.2019.00123/full`,
# `…/10.1214/17-AOAS1090.full`, `…/10.1101/2021.02.03.21250974v1.full.pdf`; and the version of a
# bioRxiv/medRxiv preprint (`v1`), which is not part of its DOI `10.1101/2021.02.03.21250974`.
_LANDING_TAIL = re.compile(
    r"(?:[./](?:full|abstract|pdf|epdf|full-text|fulltext|supplementary-material))+$", re.I)
_PREPRINT_VERSION = re.compile(r"^(10\.1101/(?:\d{4}\.\d\d\.\d\d\.)?\d{6,})v\d+$", re.I)


@dataclass(frozen=True)
class DoiParse:
    """Result of normalising one DOI-bearing text: `doi` when valid, else `problem`; `others`
    holds the further DOIs of a field that lists several (the first is `doi`)."""

    doi: str | None
    problem: str | None = None
    others: tuple[str, ...] = ()


def _strip_trailing(doi: str) -> str:
    """Drop punctuation that ends a sentence, but keep a ")" that closes a "(" inside the DOI,
    as in 10.1016/s0140-6736(15)01024-7 or 10.1002/(sici)1097-0258(19980815/30)17:15/16<…>."""
    while doi and doi[-1] in _TRAILING:
        last = doi[-1]
        pairs = {")": "(", "]": "[", ">": "<", "}": "{"}
        if last in pairs and doi.count(pairs[last]) >= doi.count(last):
            break
        doi = doi[:-1]
    return doi


def normalize_doi(text: str | None) -> DoiParse:
    """Normalise a `doi` field: `https://doi.org/10.1001/JAMA.285.4.413.` → lower-case DOI.

    Handles doi.org / dx.doi.org URLs (their `?query` and `#fragment` dropped), `doi:` prefixes,
    %-encodings (`10.1000%2Fxyz`), surrounding whitespace and trailing punctuation. A field that
    is not a DOI but holds one (`https://onlinelibrary.wiley.com/doi/full/10.1111/apa.13147`)
    gives that one; a field that lists several (`10.1000/xyz; 10.1000/abc`) gives the first, the
    rest in `others`. An empty field gives `DoiParse(None)`.
    """
    if text is None:
        return DoiParse(None)
    value = text.strip().strip("{}").strip()
    if not value:
        return DoiParse(None)
    dois = [doi for piece in _NEXT_DOI.split(value) if (doi := _clean(piece) or find_doi(piece))]
    if dois:
        others = tuple(doi for doi in dict.fromkeys(dois) if doi != dois[0])
        return DoiParse(dois[0], None, others)
    return DoiParse(None, f"not a DOI of the form 10.NNNN/suffix: {text.strip()!r}")


def _clean(value: str) -> str | None:
    """One DOI as written, with its prefixes, escapes and trailing punctuation → the lower-case
    DOI, or None when what is left is not one."""
    doi = strip_doi(value)
    return doi.lower() if doi else None


def strip_doi(value: str, unescape: bool = True) -> str | None:
    """One DOI as written without its prefixes (`doi:`, doi.org URLs and their `?query`),
    %-escapes, inner spaces and trailing punctuation, its letter case kept — `auditor fix`
    writes this back; `unescape` also turns LaTeX's `\\_` into `_`. None when what is left is
    not a DOI."""
    previous, from_url = None, False
    while previous != value:  # prefixes can be stacked: "doi: https://doi.org/10…"
        previous = value
        match = _PREFIXES.match(value)
        if match:
            from_url = from_url or bool(match.group("url"))
            value = value[match.end():].strip()
    if from_url:  # `https://doi.org/10.1000/abc#sec1`: the query and fragment are the URL's
        value = re.split(r"[?#]", value, maxsplit=1)[0]
    if "%" in value:
        value = unquote(value)
    value = re.sub(r"\s+", "", value) if value.startswith("10.") else value
    if unescape:
        value = value.replace("\\_", "_").replace("\\%", "%")
    value = _strip_trailing(value)
    return value if VALID_DOI.match(value) else None


def find_doi(text: str | None) -> str | None:
    """Find a DOI inside a URL or a sentence (url, eprint, note, howpublished fields):
    `see https://doi.org/10.1542/peds.2022-057988` → `10.1542/peds.2022-057988`."""
    if not text or "10." not in text:
        return None
    candidate = unquote(text) if "%2" in text.upper() else text
    candidate = candidate.replace("\\_", "_")
    match = _DOI_IN_TEXT.search(candidate)
    if not match:
        return None
    doi = _url_doi(match.group(0)) if _in_url(candidate, match.start()) else match.group(0)
    return _clean(doi)


def _in_url(text: str, start: int) -> bool:
    """True when what starts at `start` is inside a URL (`https://…/10.1101/…`), not a sentence."""
    word = re.split(r"\s", text[:start])[-1]
    return "://" in word or word.lower().startswith("www.")


def _url_doi(doi: str) -> str:
    """The DOI in a URL path: cut the query and fragment, the landing-page tail, the preprint
    version (`10.1101/2021.02.03.21250974v1.full` → `10.1101/2021.02.03.21250974`)."""
    doi = re.split(r"[?#&]", doi, maxsplit=1)[0]
    doi = _LANDING_TAIL.sub("", doi)
    return _PREPRINT_VERSION.sub(r"\1", doi)


def is_valid_doi(doi: str) -> bool:
    return bool(VALID_DOI.match(doi))
