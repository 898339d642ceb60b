"""Is the work behind the DOI the one the citation names?

The citation and the record are compared field by field (auditor/judge/matching.py). Cosmetic
differences — accents, case, markup, subtitles, abbreviations, translated titles in brackets,
print/online years — keep the title similarity high and never make a mismatch. The lower the
title similarity, the more the other fields must confirm the DOI:

- title similarity >= 0.85: verified;
- 0.7 to 0.85: a mismatch when the first author, year, volume, issue or first page disagree;
- below 0.7: verified only when volume, issue or first page confirm it and nothing disagrees;
  a clearly different title with nothing to confirm it is the most common real error (a DOI
  copied from the neighbouring reference, or from another paper of the same group).
"""

from __future__ import annotations

from dataclasses import dataclass

from auditor import codes
from auditor.i18n import N_, Figure, Phrase, Said, _, in_language, joined, phrase
from auditor.judge.matching import FIELD_WORDS, check_candidate
from auditor.model import Finding, Lookup, Reference
from auditor.vocabulary import LookupState, Resolution

ANCHORS = ("volume", "issue", "page")
CHECKED = ("author", "year", *ANCHORS)


@dataclass(frozen=True)
class Identity:
    """Where the reference's DOI led: its resolution and the findings that say why. Worked out
    once per reference (the pipeline needs it to choose what to search; judge() reuses it)."""

    resolution: Resolution
    findings: tuple[Finding, ...] = ()


# Why a DOI is unchecked under --index-only (auditor/index/): the index has no record of it.
NOT_IN_INDEX = N_("not in the local index of {date}")
# What an unchecked reference's reason tells a reader to do, for Crossref (marked for the
# catalogue: a report translates them where it shows them).
_PLAIN_CROSSREF = {
    "offline": N_("the run was offline and the cache had no answer — run again without "
                  "--offline"),
    "stopped": N_("Crossref kept failing, so the auditor stopped asking — rerun later"),
    "unreachable": N_("Crossref could not be reached — check the connection and rerun later"),
    "slow": N_("Crossref did not answer in time — rerun later"),
    "limited": N_("Crossref asked the auditor to slow down — rerun later"),
}


def plain_reason(reason: str, service: str = "Crossref") -> str:
    """An unchecked reference's reason as a reader can act on it: "could not connect to
    api.crossref.org" → "Crossref could not be reached — rerun later" (in English: `_()`
    gives a known one in the reader's language)."""
    known = known_reason(reason, service)
    return known if known is not None else f"{reason} — rerun later"


def reason_read(reason: str) -> str:
    """An unchecked reference's reason in the reader's language: the plain sentence of a
    known kind of failure, else the reason as the registry's answer gave it."""
    known = known_reason(reason)
    return _(known) if known is not None else in_language(reason)


def known_reason(reason: str, service: str = "Crossref") -> str | None:
    """The catalogue's sentence for the kind of failure `reason` tells of, or None."""
    text = reason.lower()
    if "offline" in text:
        kind = "offline"
    elif "stopped asking" in text and "reached" not in text:
        kind = "stopped"
    elif "could not connect" in text or "could not be reached" in text:
        kind = "unreachable"
    elif "did not answer in time" in text or "too slowly" in text:
        kind = "slow"
    elif "rate limit" in text or "429" in text:
        kind = "limited"
    else:
        return None
    return _PLAIN_CROSSREF[kind].replace("Crossref", service)


def not_in_the_index(reason: str) -> bool:
    """Whether a reason to be unchecked is --index-only's (which no rerun changes)."""
    return isinstance(reason, Said) and reason.template == NOT_IN_INDEX


def _unchecked(reason: str) -> Finding:
    """U… "not checked: Crossref could not be reached — …", said in the reader's language."""
    if not_in_the_index(reason):
        return codes.UNCHECKED.make("not checked: {why}; audit without --index-only to ask "
                                    "Crossref", why=reason)
    known = known_reason(reason)
    if known is not None:
        return codes.UNCHECKED.make("not checked: {why}", why=Phrase(known))
    return codes.UNCHECKED.make("not checked: {why} — rerun later", why=phrase(reason))


def judge_identity(reference: Reference, lookup: Lookup | None) -> Identity:
    """The Identity of the reference's DOI, from the registry's answer for it."""
    if reference.doi is None or lookup is None:
        if not codes.INVALID_DOI.found_in(reference.findings):
            return Identity(Resolution.NO_IDENTIFIER, (codes.NO_IDENTIFIER.make(
                "no DOI given: judged from the entry"),))
        return Identity(Resolution.NO_IDENTIFIER)
    if lookup.state == LookupState.UNCHECKED:
        return Identity(Resolution.UNCHECKED, (_unchecked(lookup.reason or N_("no answer")),))
    if lookup.state == LookupState.NOT_FOUND:
        why = lookup.reason or N_("Crossref does not know this DOI")
        return Identity(Resolution.NOT_FOUND, (codes.DOI_NOT_FOUND.make(
            "{why}: {doi} — check it for a typo", why=Phrase(why), doi=reference.doi),))
    work = lookup.work
    assert work is not None
    if not reference.title or not work.title:
        return Identity(Resolution.VERIFIED)
    candidate = check_candidate(reference, work)
    similarity = candidate.title_similarity
    clashes = [f for f in candidate.disagreed if f in CHECKED]
    if similarity >= 0.85:
        return Identity(Resolution.VERIFIED)
    if similarity >= 0.7:
        if not clashes:
            return Identity(Resolution.VERIFIED)
    elif not clashes and any(f in ANCHORS for f in candidate.agreed):
        return Identity(Resolution.VERIFIED)
    differs = [Said("title similarity {score}", score=Figure(similarity)),
               *(Said("{field} differs", field=Phrase(FIELD_WORDS[name])) for name in clashes)]
    return Identity(Resolution.MISMATCH, (codes.DOI_MISMATCH.make(
        "{doi} is {title!r} ({authors}, {year}), not the cited work: {differs}",
        doi=reference.doi, title=work.title, authors=", ".join(work.authors[:2]) or "—",
        year=work.year, differs=joined(differs)),))
