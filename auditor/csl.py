"""What Crossref's JSON and CSL-JSON files share, being the same data model (a Crossref work is
CSL-JSON with more fields): markup in text variables, and the rule that picks a publication year
among a record's dates. Neither reading (sources/) nor resolving (crossref/) owns it.

    strip_markup("Lessons from <i>C. elegans</i>")   → "Lessons from C. elegans"
    publication_year(record, date_year)              → issued, else the earlier of print and
                                                       online, else published, posted, approved
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from typing import Any

_TAG = re.compile(r"</?[A-Za-z][^<>]*>")  # a tag, not "aged <65 and >80"
# After `issued` and the earlier of print and online: the dates that can stand for publication.
# Never `accessed`, `original-date`, `event-date`, `submitted` (not when the work was published).
LATER_DATES = ("published", "posted", "approved")


def strip_markup(text: Any) -> str | None:
    """`Lessons from <i>C. elegans</i>` → `Lessons from C. elegans` (JATS/HTML/MathML tags,
    entities, line breaks)."""
    if not isinstance(text, str):
        return None
    if "<" in text:
        text = _TAG.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    text = " ".join(text.split())  # the same as re.sub(r"\s+", " ", text).strip(), faster
    return text or None


def publication_year(record: Mapping[str, Any], date_year: Callable[[Any], int | None],
                     last_resort: tuple[str, ...] = ()) -> int | None:
    """The publication year by crossref.md's rule: `issued`; else the earlier of
    `published-print` and `published-online`; else `published`, `posted`, `approved`, then
    `last_resort` (Crossref's `created` for a registry record — a cited CSL item's `created` is
    the record's date, not the work's). `date_year` reads one date (strict for a registry's
    record, lenient for a file someone wrote)."""
    year = date_year(record.get("issued"))
    if year:
        return year
    both = [y for y in (date_year(record.get("published-print")),
                        date_year(record.get("published-online"))) if y]
    if both:
        return min(both)
    for name in (*LATER_DATES, *last_resort):
        year = date_year(record.get(name))
        if year:
            return year
    return None
