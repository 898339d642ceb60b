"""The same work listed twice in one list (the same DOI under two numbers, a PDF's list that
repeats an entry): each copy counts in the list's figures, so the later ones say so."""

from __future__ import annotations

from dataclasses import replace

from auditor import codes
from auditor.model import Verdict


def mark_duplicates(verdicts: list[Verdict]) -> list[Verdict]:
    """`verdicts` with an I009 finding on every reference whose DOI (as given, or as matched)
    an earlier reference of the same file already has."""
    first: dict[tuple[str, str], Verdict] = {}
    out = []
    for verdict in verdicts:
        match = verdict.match
        doi = match.doi if match is not None and match.applied else verdict.reference.doi
        if doi:
            place = (verdict.reference.source.file, doi.lower())
            earlier = first.setdefault(place, verdict)
            if earlier is not verdict:
                verdict = replace(verdict, findings=(*verdict.findings, codes.DUPLICATE_REFERENCE
                                                     .make("the same work as {key} (DOI {doi}), "
                                                           "listed again: both count in the "
                                                           "list's figures", key=earlier.key,
                                                           doi=doi)))
        out.append(verdict)
    return out
