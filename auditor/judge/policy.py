"""Pass or fail a list. Default: fail when any reference is retracted (exit code 1).

`fail_on` names the conditions that fail the list; each failed rule is reported with the
references behind it, so a CI log says exactly what to fix.
"""

from __future__ import annotations

from dataclasses import dataclass

from auditor.config import STATUSES, Settings
from auditor.model import InputProblem, Verdict


@dataclass(frozen=True)
class RuleFailure:
    rule: str
    message: str
    keys: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {"rule": self.rule, "message": self.message, "references": list(self.keys)}


def _offenders(condition: str, verdicts: list[Verdict]) -> list[str]:
    if condition in STATUSES:
        return [v.key for v in verdicts if v.status == condition]
    if condition in ("not-found", "mismatch", "unchecked"):
        return [v.key for v in verdicts if v.resolution == condition]
    if condition == "invalid-doi":
        return [v.key for v in verdicts if any(f.code == "D001" for f in v.findings)]
    return []


def evaluate_policy(verdicts: list[Verdict], problems: list[InputProblem], settings: Settings
                    ) -> list[RuleFailure]:
    """Every rule of `settings.fail_on` that the list breaks; empty when it passes."""
    failures = []
    for condition in settings.fail_on:
        if condition == "unreadable":
            broken = [f"{p.source.file}:{p.source.line}" for p in problems
                      if p.finding.code == "I001"]
            if broken:
                failures.append(RuleFailure(condition, f"{len(broken)} unreadable entr"
                                            f"{'y' if len(broken) == 1 else 'ies'}",
                                            tuple(broken)))
            continue
        keys = _offenders(condition, verdicts)
        if keys:
            failures.append(RuleFailure(
                f"fail_on:{condition}",
                f"{len(keys)} reference{'s' if len(keys) > 1 else ''} {condition}: "
                + ", ".join(keys[:10]) + (" …" if len(keys) > 10 else ""), tuple(keys)))
    return failures
