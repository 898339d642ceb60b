"""The order of references in every report table: problems first, the most serious at the top,
the input order within a group — the same in the HTML, Markdown and terminal reports."""

from __future__ import annotations

from typing import TYPE_CHECKING

from auditor.i18n import _
from auditor.report.words import N_, STATUS_WORDS, words
from auditor.vocabulary import CONCERN_STATUSES, GONE_STATUSES, Resolution, Severity

if TYPE_CHECKING:
    from auditor.model import Verdict

GONE = GONE_STATUSES
# Row groups, most serious first, with the words of every table's "Check" column (a row of the
# first group shows its status: retracted, withdrawn, removed).
GROUPS = (N_("gone"), N_("DOI not found"), N_("wrong DOI"), N_("error"), N_("warning"),
          N_("not checked"), N_("ok"))
OK_GROUP = len(GROUPS) - 1  # the rows without a problem; every group before it is one


def group(v: Verdict) -> int:
    """0 retracted/withdrawn/removed, 1 not found, 2 mismatch, 3 other errors, 4 warnings,
    5 not checked (no registry answered for it: nothing can be said), 6 ok."""
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
    if v.checked is False:
        return 5
    return OK_GROUP


def check_word(v: Verdict) -> str:
    """The row's most serious problem in a word or two: retracted, DOI not found, wrong DOI,
    error, warning, not checked, ok."""
    g = group(v)
    return words(STATUS_WORDS, v.status) if g == 0 else _(GROUPS[g])


def ordered(references: list[Verdict]) -> list[tuple[int, Verdict]]:
    """(index in the input, verdict), problems first; the input order within a group."""
    return sorted(enumerate(references), key=lambda iv: (group(iv[1]), iv[0]))
