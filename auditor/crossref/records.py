"""Crossref work JSON → Work. Defensive: any field may be missing, empty, null or oddly typed.

Example: the `message` of `GET /works/10.1371/journal.pone.0033693` becomes a Work of type
journal-article, year 2012, with one `updated-by` correction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from auditor.csl import publication_year, strip_markup
from auditor.data import load_table
from auditor.model import Update, Work

# Parts of a Crossref record no verdict reads and that make it heavy: the list of the works it
# cites ("reference", often most of the record), full-text links, licences, indexing stamps.
HEAVY_FIELDS = frozenset({"reference", "link", "license", "content-domain", "indexed"})


# The fields work_from_message reads: all a local index keeps of a record (auditor/index/), so
# that a Work built from the index is the Work built from the API's answer. `created` dates
# the snapshot (and is the year's last resort); of each person only the names are read.
READ_FIELDS = ("DOI", "type", "subtype", "title", "original-title", "subtitle",
               "container-title", "short-container-title", "ISSN", "ISBN", "publisher",
               "author", "editor", "issued", "published-print", "published-online",
               "published", "posted", "approved", "created", "volume", "issue", "page",
               "article-number", "relation", "assertion", "updated-by", "update-to")
PERSON_FIELDS = ("family", "given", "name")


def slim_record(record: Any) -> Any:
    """The record without HEAVY_FIELDS, for the cache (a warm run reads it back 1,000 times)."""
    if isinstance(record, dict) and HEAVY_FIELDS & record.keys():
        return {k: v for k, v in record.items() if k not in HEAVY_FIELDS}
    return record


def _first(value: Any) -> str | None:
    """Crossref puts titles and container titles in lists; take the first non-empty one."""
    if isinstance(value, str):
        return strip_markup(value)
    if isinstance(value, list):
        for item in value:
            text = strip_markup(item)
            if text:
                return text
    return None


def date_year(value: Any) -> int | None:
    """Year of a Crossref date: `{"date-parts": [[2019, 7, 26]]}` → 2019; `[[null]]` → None."""
    if not isinstance(value, Mapping):
        return None
    parts = value.get("date-parts")
    try:
        year = parts[0][0]
    except (TypeError, IndexError, KeyError):
        year = None
    if isinstance(year, str) and year.isdigit():
        year = int(year)
    if isinstance(year, int) and 1000 <= year <= 2999:
        return year
    date_time = value.get("date-time")
    if isinstance(date_time, str) and date_time[:4].isdigit():
        return int(date_time[:4])
    return None


def _date_text(value: Any) -> str | None:
    if not isinstance(value, Mapping):
        return None
    parts = value.get("date-parts")
    try:
        numbers = [int(p) for p in parts[0] if p is not None]
    except (TypeError, IndexError, ValueError):
        return None
    if not numbers:
        return None
    return "-".join(f"{n:02d}" if i else str(n) for i, n in enumerate(numbers[:3]))


def work_year(message: Mapping[str, Any]) -> int | None:
    """The publication year by crossref.md's rule (auditor/csl.py), `created` the last resort."""
    return publication_year(message, date_year, last_resort=("created",))


def _other_titles(message: Mapping[str, Any]) -> tuple[str, ...]:
    """Titles beyond the first: Crossref often stores an English title second, and keeps the
    original one in `original-title` (e.g. "Penisverletzung durch eine Moulinette")."""
    titles = []
    for name in ("title", "original-title"):
        value = message.get(name)
        for item in value if isinstance(value, list) else [value]:
            text = strip_markup(item)
            if text:
                titles.append(text)
    first = _first(message.get("title"))
    return tuple(t for t in dict.fromkeys(titles) if t != first)


def _authors(value: Any) -> tuple[str, ...]:
    """Family names (or the organisation's name) in the order given."""
    names = []
    if isinstance(value, list):
        for person in value:
            if not isinstance(person, Mapping):
                continue
            name = person.get("family") or person.get("name") or person.get("given")
            name = strip_markup(name)
            if name:
                names.append(name)
    return tuple(names)


def _updates(value: Any) -> tuple[Update, ...]:
    updates = []
    if isinstance(value, list):
        for item in value:
            if not isinstance(item, Mapping) or not isinstance(item.get("type"), str):
                continue
            doi = item.get("DOI")
            updates.append(Update(
                type=item["type"].strip().lower().replace("-", "_"),
                doi=doi.lower() if isinstance(doi, str) else None,
                source=item.get("source") if isinstance(item.get("source"), str) else None,
                date=_date_text(item.get("updated")),
                label=item.get("label") if isinstance(item.get("label"), str) else None,
            ))
    return tuple(updates)


def _relation(value: Any) -> dict[str, tuple[str, ...]]:
    """`{"has-preprint": [{"id": "10.1101/x"}]}` → `{"has-preprint": ("10.1101/x",)}`."""
    out: dict[str, tuple[str, ...]] = {}
    if isinstance(value, Mapping):
        for name, targets in value.items():
            items = targets if isinstance(targets, list) else [targets]
            ids = []
            for target in items:
                if isinstance(target, Mapping) and isinstance(target.get("id"), str):
                    ident = target["id"]
                    ids.append(ident.lower() if target.get("id-type") == "doi" else ident)
            out[str(name)] = tuple(dict.fromkeys(ids))
    return out


def _assertions(value: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    if isinstance(value, list):
        for item in value:
            if isinstance(item, Mapping) and isinstance(item.get("name"), str):
                text = item.get("value")
                out.setdefault(item["name"], str(text) if text is not None else "")
    return out


def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, Iterable):
        return ()
    return tuple(dict.fromkeys(v.strip() for v in value if isinstance(v, str) and v.strip()))


def _text(value: Any) -> str | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return strip_markup(value)


def work_from_message(message: Mapping[str, Any], agency: str = "crossref") -> Work:
    """Build a Work from one Crossref work object (a `/works/{doi}` message or a list item)."""
    if not isinstance(message, Mapping):
        raise ValueError("a Crossref work record must be a JSON object")
    doi = message.get("DOI")
    if not isinstance(doi, str) or not doi.strip():
        raise ValueError("the Crossref work record has no DOI")
    type_ = message.get("type")
    return Work(
        doi=doi.strip().lower(),
        type=type_ if isinstance(type_, str) and type_ else "unknown",
        subtype=message.get("subtype") if isinstance(message.get("subtype"), str) else None,
        title=_first(message.get("title")),
        other_titles=_other_titles(message),
        subtitle=_first(message.get("subtitle")),
        container=_first(message.get("container-title")),
        short_container=_first(message.get("short-container-title")),
        issn=_strings(message.get("ISSN")),
        isbn=_strings(message.get("ISBN")),
        publisher=_text(message.get("publisher")),
        authors=_authors(message.get("author")) or _authors(message.get("editor")),
        year=work_year(message),
        print_year=date_year(message.get("published-print")),
        online_year=date_year(message.get("published-online")),
        volume=_text(message.get("volume")),
        issue=_text(message.get("issue")),
        page=_text(message.get("page")) or _text(message.get("article-number")),
        relation=_relation(message.get("relation")),
        assertions=_assertions(message.get("assertion")),
        updated_by=_updates(message.get("updated-by")),
        update_to=_updates(message.get("update-to")),
        agency=agency,
    )


ARXIV_PREFIX = "10.48550/"


def work_from_datacite(data: Mapping[str, Any]) -> Work:
    """A Work from DataCite's REST API (`GET /dois/{doi}` → `data`), e.g. 10.48550/arxiv.2101.
    00001 (arXiv: always a preprint) or a Zenodo dataset (10.5281/zenodo.…)."""
    if not isinstance(data, Mapping):
        raise ValueError("a DataCite record must be a JSON object")
    attributes = data.get("attributes") if isinstance(data.get("attributes"), Mapping) else {}
    doi = attributes.get("doi") or data.get("id")
    if not isinstance(doi, str) or not doi.strip():
        raise ValueError("the DataCite record has no DOI")
    doi = doi.strip().lower()
    types = attributes.get("types") if isinstance(attributes.get("types"), Mapping) else {}
    general = types.get("resourceTypeGeneral")
    type_ = load_table("kinds")["datacite"].get(general, "other") \
        if isinstance(general, str) else "unknown"
    subtype = "preprint" if type_ == "posted-content" else None
    if doi.startswith(ARXIV_PREFIX):
        type_, subtype = "posted-content", "preprint"
    titles = attributes.get("titles") if isinstance(attributes.get("titles"), list) else []
    title = next((strip_markup(t.get("title")) for t in titles
                  if isinstance(t, Mapping) and not t.get("titleType")), None)
    creators = attributes.get("creators") if isinstance(attributes.get("creators"), list) else []
    authors = tuple(n for n in (strip_markup(c.get("familyName") or c.get("name"))
                                for c in creators if isinstance(c, Mapping)) if n)
    publisher = attributes.get("publisher")
    if isinstance(publisher, Mapping):
        publisher = publisher.get("name")
    container = attributes.get("container")
    container_title = container.get("title") if isinstance(container, Mapping) else None
    year = attributes.get("publicationYear")
    try:
        year = int(year) if year not in (None, "") else None
    except (TypeError, ValueError):
        year = None
    return Work(doi=doi, type=type_, subtype=subtype, title=title,
                container=strip_markup(container_title), publisher=_text(publisher),
                authors=authors, year=year, agency="datacite")
