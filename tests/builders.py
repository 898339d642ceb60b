"""Small builders shared by the tests: every judging rule is tested with a dict, not a network."""

from __future__ import annotations

import datetime as dt
from typing import Any

from auditor.config import Settings
from auditor.crossref.records import work_from_message
from auditor.judge import judge
from auditor.model import Lookup, Reference, SourceLocation, Verdict, Work
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


def report_of(verdicts: list[Verdict], settings: Settings | None = None) -> Report:
    """A Report assembled by the pipeline's own make_report, without the network."""
    return make_report(verdicts, [], settings or Settings(as_of=AS_OF), ["list.bib"], {})
