"""Is the work behind the DOI the one the citation names? (first pass; issue 4 deepens it)

Conservative on purpose: a DOI is called a mismatch only when the titles clearly differ AND the
first author or the year disagrees too, so accents, case, markup, subtitles and print/online
years never make a false alarm.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

from auditor import codes
from auditor.judge.dates import cited_year_agrees
from auditor.model import Finding, Lookup, Reference, Resolution, Work

_NON_WORD = re.compile(r"[^0-9a-z]+")
_BRACKETED = re.compile(r"\[[^\]]*\]")


def normalize_title(text: str) -> str:
    """`{RETRACTED}: Breast-Feeding — a Review!` → `breast feeding a review`."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"^\s*(retracted|withdrawn)\s*[:.]\s*", "", text)
    return _NON_WORD.sub(" ", text).strip()


# Words that carry no identity: two titles sharing only these are not alike.
STOPWORDS = frozenset({
    "a", "an", "the", "of", "in", "on", "and", "or", "for", "to", "with", "by", "at", "from",
    "as", "is", "are", "be", "its", "their", "this", "that", "into", "via", "vs", "versus", "not",
    "than", "after", "before", "during", "between", "among", "about", "over", "under",
})
_SUBTITLE = re.compile(r"\s*[:?!]\s+|\s+[—–-]{1,2}\s+|\.\s+")


def _variants(title: str) -> list[str]:
    """Normalised forms to compare: the title, a bracketed translation, the title without it,
    and the main title before a subtitle (when it still has two content words)."""
    forms = [title, *(m.group(0)[1:-1] for m in _BRACKETED.finditer(title))]
    without = _BRACKETED.sub(" ", title).strip()
    if without and without != title:
        forms.append(without)
    for form in list(forms):
        main = _SUBTITLE.split(form, maxsplit=1)[0]
        if main != form and len(_content_words(normalize_title(main))) >= 2:
            forms.append(main)
    normalised = (normalize_title(f) for f in forms)
    return list(dict.fromkeys(n for n in normalised if n))


def _content_words(normalised: str) -> set[str]:
    return {w for w in normalised.split() if w not in STOPWORDS}


def _pair_similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    ratio = SequenceMatcher(None, a, b, autojunk=False).ratio()
    words_a, words_b = _content_words(a), _content_words(b)
    jaccard = len(words_a & words_b) / len(words_a | words_b) if words_a and words_b else 0.0
    return max(ratio, jaccard)


def title_similarity(cited: str, registered: str) -> float:
    """0..1, the best over the two titles' variants of character similarity and shared content
    words: case, accents, markup, a subtitle left out or added, a translation in brackets do not
    lower it; stop-words alone never raise it."""
    pairs = [(a, b) for a in _variants(cited) for b in _variants(registered)]
    return max((_pair_similarity(a, b) for a, b in pairs), default=0.0)


def _surname(text: str | None) -> str:
    return normalize_title(text).split()[-1] if text and normalize_title(text) else ""


def authors_agree(reference: Reference, work: Work) -> bool | None:
    """None when either side has no author; else does the cited first author appear among the
    registry's first authors (order slips happen)?"""
    cited = _surname(reference.first_author_family)
    if not cited or not work.authors:
        return None
    registered = {_surname(a) for a in work.authors[:3]}
    return cited in registered


def judge_identity(reference: Reference, lookup: Lookup | None
                   ) -> tuple[Resolution, list[Finding]]:
    """(resolution, findings) from the registry's answer for the reference's DOI."""
    if reference.doi is None or lookup is None:
        if not any(f.code == codes.INVALID_DOI.code for f in reference.findings):
            return "no-identifier", [codes.NO_IDENTIFIER.make(
                "no DOI: judged from the entry alone (matching by title comes later)")]
        return "no-identifier", []
    if lookup.state == "unchecked":
        return "unchecked", [codes.UNCHECKED.make(f"unchecked: {lookup.reason}")]
    if lookup.state == "not-found":
        why = lookup.reason or "Crossref does not know this DOI"
        return "not-found", [codes.DOI_NOT_FOUND.make(
            f"not-found: {why} — {reference.doi}; check it for a typo")]
    work = lookup.work
    assert work is not None
    if not reference.title or not work.title:
        return "verified", []
    registered = work.title if not work.subtitle else f"{work.title}: {work.subtitle}"
    similarity = max(title_similarity(reference.title, work.title),
                     title_similarity(reference.title, registered))
    if similarity >= 0.5:
        return "verified", []
    authors = authors_agree(reference, work)
    year_ok = cited_year_agrees(reference.year, work) if reference.year else None
    if authors is False or year_ok is False:
        differs = [f"title similarity {similarity:.2f}"]
        if authors is False:
            differs.append(f"first author {reference.first_author_family!r} not among "
                           f"{', '.join(work.authors[:3])}")
        if year_ok is False:
            differs.append(f"year {reference.year} vs {work.year}")
        return "mismatch", [codes.DOI_MISMATCH.make(
            f"{reference.doi} is {work.title!r} ({work.year}), not the cited work: "
            + "; ".join(differs))]
    return "verified", []
