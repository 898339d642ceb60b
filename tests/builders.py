"""Small builders shared by the tests: every judging rule is tested with a dict, not a network."""

from __future__ import annotations

import datetime as dt
from typing import Any

from auditor.config import Settings
from auditor.crossref.records import work_from_message
from auditor.judge import judge
from auditor.model import InputProblem, Lookup, Reference, RunFigures, SourceLocation, Verdict, Work
from auditor.pipeline import make_report
from auditor.report import Report


def make_reference(**fields: Any) -> Reference:
    fields.setdefault("key", "ref1")
    fields.setdefault("source", SourceLocation("list.bib", 1))
    fields.setdefault("entry_type", "article")
    return Reference(**fields)


def make_work(**message: Any) -> Work:
    """A Work from a Crossref-style message; defaults to a dated journal article."""
    message.setdefault("DOI", "10.1234/example")
    message.setdefault("type", "journal-article")
    message.setdefault("issued", {"date-parts": [[2020, 5, 1]]})
    return work_from_message(message)


def found(work: Work) -> Lookup:
    return Lookup(work.doi, "found", work=work)



AS_OF = dt.date(2026, 11, 27)


def verdict(key: str, message: dict | None = None, lookup: Lookup | None = None,
            settings: Settings | None = None, **reference: Any) -> Verdict:
    """A verdict as the pipeline makes it, from a Crossref-style message or a lookup state."""
    reference.setdefault("doi", f"10.1/{key}" if message is not None or lookup else None)
    ref = make_reference(key=key, **reference)
    if message is not None:
        lookup = found(make_work(DOI=ref.doi, **message))
    return judge(ref, lookup, settings or Settings(as_of=AS_OF))


def report_of(verdicts: list[Verdict], settings: Settings | None = None,
              problems: list[InputProblem] | None = None, inputs: list[str] | None = None,
              run: RunFigures | None = None, generated_at: dt.datetime | None = None) -> Report:
    """A Report assembled by the pipeline's own make_report, without the network."""
    report = make_report(verdicts, problems or [], settings or Settings(as_of=AS_OF),
                         inputs or ["list.bib"], run or RunFigures())
    if generated_at is not None:
        report.generated_at = generated_at
    return report


JOURNAL = {"ISSN": ["1234-5678"], "container-title": ["J"]}
RETRACTION = {"updated-by": [{"DOI": "10.1/notice", "type": "retraction",
                              "source": "retraction-watch"}]}


def sample_list() -> list[Verdict]:
    """Eight references with one problem each, or none: the report tests' shared list."""
    return [
        verdict("trial", {**JOURNAL, "title": ["A randomised trial of cup feeding"],
                          "issued": {"date-parts": [[2024]]}}),
        verdict("meta", {**JOURNAL, "title": ["A systematic review and meta-analysis of Y"],
                         "issued": {"date-parts": [[2010]]}}),
        verdict("pulled", {**JOURNAL, **RETRACTION, "issued": {"date-parts": [[2023]]}}),
        verdict("pre", {"type": "posted-content", "subtype": "preprint",
                        "issued": {"date-parts": [[2025]]},
                        "relation": {"is-preprint-of": [{"id": "10.1/pub", "id-type": "doi"}]}}),
        verdict("late", lookup=Lookup("10.1/late", "unchecked", reason="timeout"), year=2019),
        verdict("ghost", lookup=Lookup("10.1/ghost", "not-found"), year=2000),
        verdict("bk", entry_type="book", year=2022),
        verdict("who", {**JOURNAL, "title": ["WHO guideline on breastfeeding"],
                        "issued": {"date-parts": [[2015]]}}),
    ]
