"""The parts of a citation string the parser labels, one label per token."""

from __future__ import annotations

from enum import StrEnum


class Label(StrEnum):
    AUTHOR = "author"
    EDITOR = "editor"  # editors, translators, with their "In … (Eds.)" words
    TITLE = "title"  # the item's own title
    CONTAINER = "container"  # the journal, or the book or proceedings the item is in
    COLLECTION = "collection"  # a series
    DATE = "date"
    VOLUME = "volume"  # volume and issue: "387(10017)" (split by rules afterwards)
    PAGES = "pages"
    PUBLISHER = "publisher"  # a publisher or an institution
    LOCATION = "location"  # the place of publication
    EDITION = "edition"
    DOI = "doi"
    URL = "url"
    IDENTIFIER = "identifier"  # PMID, PMCID, ISBN, ISSN, arXiv id, report number
    NUMBER = "number"  # the list's own label: "12.", "[3]"
    NOTE = "note"  # thesis type, "in press", "[Internet]", access dates, anything else
    OTHER = "other"  # separators no annotator labelled ("In", "eds.")
