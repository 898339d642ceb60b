"""Small builders shared by the tests: every judging rule is tested with a dict, not a network."""

from __future__ import annotations

from typing import Any

from auditor.crossref.records import work_from_message
from auditor.model import Lookup, Reference, SourceLocation, Work


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

