"""The terminal report: its reference table fits the terminal's width by leaving out the least
needed columns — never by cutting a DOI — and it speaks without codes."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from builders import JOURNAL, report_of, sample_list, verdict

from auditor.config import Settings

SETTINGS = Settings(as_of=dt.date(2026, 11, 27))
# Real DOIs of the lengths a lactation training cites (Cochrane, Wiley, Elsevier).
LONG_DOIS = ("10.1002/14651858.cd003519.pub4", "10.1111/j.1365-2648.2011.05903.x",
             "10.1016/s0140-6736(15)01024-7")


def table_of(width: int) -> str:
    verdicts = [*sample_list(), *(verdict(f"long{i}", {**JOURNAL}, doi=doi)
                                  for i, doi in enumerate(LONG_DOIS))]
    return report_of(verdicts, SETTINGS).render("table", color=False, width=width)


@pytest.mark.parametrize("width", [100, 80])
def test_every_line_fits_and_every_doi_stays_whole(width):
    text = table_of(width)
    assert max(len(line) for line in text.splitlines()) <= width
    table = text[text.index("References ("):text.index("What to look at")]
    for doi in LONG_DOIS:
        assert any(doi in line for line in table.splitlines()), doi


def test_narrow_terminals_leave_out_columns_by_priority_and_say_which():
    wide, narrow = table_of(200), table_of(60)
    assert "a wider terminal also shows" not in wide
    flat = " ".join(narrow.split())
    note = flat[flat.index("(a wider terminal also shows"):].split(")")[0]
    # the evidence goes first, the key, the DOI and the check stay
    assert "evidence" in note
    header = next(line for line in narrow.splitlines() if line.lstrip().startswith("Check"))
    assert "Key" in header and "DOI" in header and "Evidence" not in header


def test_the_terminal_speaks_without_codes():
    text = table_of(100)
    assert re.search(r"\b[IDRYPE]\d{3}\b", text) is None  # finding codes stay in the JSON
    assert "warn_on" not in text and "fail_on" not in text and "IQR" not in text
    assert "OCEBM L" not in text and "resolved" not in text


def test_an_unanswered_reference_says_what_to_do():
    # "late" got no answer (a timeout): not a problem of the reference, rerun later
    assert "late: not checked: timeout — rerun later" in table_of(160)


def test_a_correction_is_named_even_when_the_notices_column_is_left_out():
    corrected = verdict("fixed", {**JOURNAL, "updated-by": [
        {"DOI": "10.1/erratum", "type": "correction", "source": "publisher"}]})
    text = report_of([*sample_list(), corrected], SETTINGS).render("table", width=60)
    look = text[text.index("What to look at"):text.index("Summary")]
    assert "fixed:" in look and "10.1/erratum" in look
