"""What every reader returns: the references it could read and one problem per part it could
not, each with file and line (bibtexparser's "failed block" idea)."""

from __future__ import annotations

from dataclasses import dataclass, field

from auditor.model import InputProblem, Reference


@dataclass
class SourceRead:
    """What was read from one or more inputs, in input order."""

    references: list[Reference] = field(default_factory=list)
    problems: list[InputProblem] = field(default_factory=list)
