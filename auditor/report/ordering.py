"""The order of references in every report table: problems first, the most serious at the top,
the input order within a group — the same in the HTML, Markdown and terminal reports."""

from __future__ import annotations

from typing import TYPE_CHECKING

from auditor.vocabulary import CONCERN_STATUSES, GONE_STATUSES, Resolution, Severity

if TYPE_CHECKING:
    from auditor.model import Verdict

GONE = GONE_STATUSES
# Row groups, most serious first (the word is the HTML table's "Check" column).
GROUPS = ("gone", "not found", "mismatch", "error", "warning", "ok")


def group(v: Verdict) -> int:
    """0 retracted/withdrawn/removed, 1 not found, 2 mismatch, 3 other errors, 4 warnings, 5 ok."""
    if v.status in GONE:
        return 0
    if v.resolution == Resolution.NOT_FOUND:
        return 1
    if v.resolution == Resolution.MISMATCH:
        return 2
    severities = {f.severity for f in v.findings}
    if Severity.ERROR in severities:
        return 3
    if Severity.WARNING in severities or v.status in CONCERN_STATUSES:
        return 4
    return 5


def ordered(references: list[Verdict]) -> list[tuple[int, Verdict]]:
    """(index in the input, verdict), problems first; the input order within a group."""
    return sorted(enumerate(references), key=lambda iv: (group(iv[1]), iv[0]))
