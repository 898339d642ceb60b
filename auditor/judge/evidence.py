"""Level of evidence: a study-design label from the metadata, with its OCEBM 2011 level, the
signal used and how far to trust it. Never a GRADE rating (GRADE rates a body of evidence).

This first pass reads the title and the container (evidence.md's table, first match wins);
recommendation documents (guidelines, consensus, position statements) sit on their own axis.
"""

from __future__ import annotations

import re

from auditor.judge.tables import compiled, load_table
from auditor.model import Evidence


def judge_evidence(title: str | None, container: str | None, kind: str) -> Evidence:
    """`Optimal duration of exclusive breastfeeding` in the Cochrane Database of Systematic
    Reviews → systematic-review, OCEBM 1, high confidence."""
    guideline = bool(title) and any(p.search(title) for p in compiled("evidence", "guideline",
                                                                      "pattern"))
    if kind in ("preprint", "journal-article", "unknown", "other", "proceedings"):
        for rule in load_table("evidence")["rule"]:
            text = container if rule["where"] == "container" else title
            if text and re.search(rule["pattern"], text, re.IGNORECASE):
                level = rule["ocebm"] if rule["ocebm"] > 0 else None
                field = "container" if rule["where"] == "container" else "title"
                return Evidence(rule["design"], level, guideline,
                                f"{field} matches {rule['design'].replace('-', ' ')} wording",
                                rule["confidence"])
    signal = ("recommendation document (title wording); no study-design signal" if guideline
              else "no design signal in the title or container: design not determined")
    return Evidence("not-determined", None, guideline, signal, "low")

