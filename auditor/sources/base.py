"""What every reader returns: the references it could read and one problem per part it could
not, each with file and line (bibtexparser's "failed block" idea)."""

from __future__ import annotations

from dataclasses import dataclass, field

from auditor import codes
from auditor.i18n import Said
from auditor.model import Finding, InputProblem, Reference
from auditor.sources.doi import normalize_doi


@dataclass
class SourceRead:
    """What was read from one or more inputs, in input order."""

    references: list[Reference] = field(default_factory=list)
    problems: list[InputProblem] = field(default_factory=list)

    def unread(self) -> tuple[Said, Said | str]:
        """What could not be read, for a message: ("2 blocks that could not be read",
        "; first at a.bib:3: …"), the second empty when nothing was reported."""
        n = len(self.problems)
        blocks = Said("1 block that could not be read") if n == 1 else Said(
            "{n} blocks that could not be read", n=n)
        first = self.problems[0] if self.problems else None
        where = Said("; first at {place}: {problem}", place=f"{first.source.file}:"
                     f"{first.source.line}", problem=first.finding.said()) if first else ""
        return blocks, where


def decide_doi(written: str | None, label: str, elsewhere: str | None = None,
               elsewhere_field: str | None = None, elsewhere_text: str | None = None
               ) -> tuple[str | None, str | None, list[Finding]]:
    """Every reader's rule for an entry's DOI: the DOI field as `written` (its name is `label`),
    else a DOI found in another field. Returns (normalised DOI, text as written, findings): an
    invalid DOI field is D001 and never looked up; a field listing several DOIs, or another field
    holding a different one, is D006; a DOI taken from another field is D005."""
    found: list[Finding] = []
    parsed = normalize_doi(written)
    if written and parsed.doi is None:
        found.append(codes.INVALID_DOI.make(
            "{field} not a DOI of the form 10.NNNN/suffix: {written!r}; not looked up",
            field=label, written=written.strip()))
        return None, written, found
    if parsed.doi:
        if parsed.others:
            found.append(codes.CONFLICTING_DOIS.make(
                "{field} holds several DOIs ({dois}); the first, {doi}, is used", field=label,
                dois=", ".join((parsed.doi, *parsed.others)), doi=parsed.doi))
        if elsewhere and elsewhere != parsed.doi:
            found.append(codes.CONFLICTING_DOIS.make(
                "{field} says {doi} but {other_field} holds {other}", field=label,
                doi=parsed.doi, other_field=elsewhere_field, other=elsewhere))
        return parsed.doi, written, found
    if elsewhere:
        found.append(codes.DOI_FROM_FIELD.make(
            "DOI {doi} taken from the {field} field", doi=elsewhere, field=elsewhere_field))
        return elsewhere, elsewhere_text, found
    return None, None, found
