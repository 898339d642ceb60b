"""Read CSL-JSON (Zotero, Better BibTeX "Better CSL JSON", manubot, pandoc, Crossref's citeproc
JSON by content negotiation) into References, each with the line where its item's `{` stands.

Accepted shapes: a JSON array of items; a single item; an object wrapping them (`{"items": […]}`,
`{"references": […]}`, a Crossref API envelope `{"message-type": …, "message": …}`); JSON Lines
(one item, or one array, per value). A file that is not valid JSON gives one problem with the
line and column of the error; an item that is not an object, or that holds nothing to audit, gives
one problem at its line and the rest is read.

Example: `[{"id": "victora2016", "type": "article-journal", "DOI": "https://doi.org/10.1016/…"}]`
→ Reference(key="victora2016", entry_type="article", doi="10.1016/…", source=file:1).
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Mapping
from typing import Any

from auditor import codes
from auditor.csl import publication_year, strip_markup
from auditor.i18n import N_, Phrase
from auditor.model import Finding, InputProblem, Reference, SourceLocation
from auditor.sources.base import SourceRead
from auditor.sources.bibtex import extract_doi
from auditor.sources.bibvalues import parse_year
from auditor.sources.isbn import find_isbn
from auditor.sources.json_positions import DECODER, elements, members, skip_space

# CSL 1.0.2 types (and the Crossref type names its citeproc JSON sometimes leaves in, e.g.
# "journal-article", "book-chapter", "posted-content", "dissertation") → the BibTeX-like entry
# types of auditor/data/kinds.toml [entry]. Anything else is "misc".
TYPE_MAP = {
    "article-journal": "article",
    "journal-article": "article",
    "review": "article",  # a review of a work, published in a journal
    "review-book": "article",
    # Magazines and newspapers are not journals: "article" would make them journal articles
    # (kind journal-article, judged as if peer reviewed by the journal); "misc" is kind other.
    "article-magazine": "misc",
    "article-newspaper": "misc",
    # CSL 1.0.2 "article": a preprint, working paper or other self-contained work not in a
    # journal (Zotero's Preprint, older Zotero's Document, Mendeley's Generic): not a journal
    # article. A preprint server in its container/publisher or a preprint DOI makes it a preprint
    # (see _PREPRINT_OVERRIDABLE).
    "article": "misc",
    "manuscript": "unpublished",  # manubot and pandoc write preprints and @unpublished so
    "posted-content": "unpublished",  # Crossref's type for preprints
    "preprint": "unpublished",  # not a CSL type, but some exporters write it
    "book": "book",
    "classic": "book",
    "monograph": "book",
    "edited-book": "book",
    "reference-book": "book",
    "book-set": "book",
    "chapter": "incollection",
    "book-chapter": "incollection",
    "book-section": "incollection",
    "book-part": "incollection",
    "entry-encyclopedia": "inreference",
    "entry-dictionary": "inreference",
    "reference-entry": "inreference",
    "paper-conference": "inproceedings",
    "proceedings-article": "inproceedings",
    "proceedings": "proceedings",
    "report": "techreport",
    "report-component": "techreport",
    "thesis": "phdthesis",
    "dissertation": "phdthesis",
    "webpage": "online",
    "post": "online",
    "post-weblog": "online",
    "dataset": "dataset",
    "database": "dataset",
    "standard": "standard",
    "software": "software",
    "patent": "patent",
    "pamphlet": "booklet",
    "periodical": "periodical",
}
# Entry types that become "unpublished" when the item's genre or subtype says "preprint" (a
# preprint server as container or publisher, or a preprint DOI, is for the judges to see).
_PREPRINT_OVERRIDABLE = {"article", "misc", "techreport", "online", "unpublished"}


_PMID_IN_NOTE = re.compile(r"\bPMID\s*:?\s*(\d{1,9})\b", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
_WRAPPER_KEYS = ("items", "references")


def read_csljson(text: str, file_name: str) -> SourceRead:
    """Read one CSL-JSON text; see the module docstring for the shapes accepted."""
    return _Reader(text, file_name).read()


class _Reader:
    def __init__(self, text: str, file_name: str) -> None:
        if text.startswith("\ufeff"):
            text = " " + text[1:]  # keep offsets: a BOM is not JSON whitespace
        if "\r" in text:  # lines are counted on "\n"; old Mac files end lines with "\r"
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        self.text = text
        self.file_name = file_name
        self._newlines = [m.start() for m in re.finditer("\n", text)]
        self.result = SourceRead()

    # -- locating items -------------------------------------------------------------------

    def line_at(self, offset: int) -> int:
        return bisect.bisect_left(self._newlines, offset) + 1

    def read(self) -> SourceRead:
        try:
            items = self._locate()
        except json.JSONDecodeError as exc:
            lines = self.text.split("\n")
            self._problem(exc.lineno, lines[exc.lineno - 1] if exc.lineno <= len(lines) else "",
                          N_("not valid JSON: {why} (line {line}, column {column}); nothing "
                             "in the file was read"), why=exc.msg, line=exc.lineno,
                          column=exc.colno)
            return self.result
        except _NotCsl as exc:
            self._problem(exc.line, "", exc.template)
            return self.result
        seen: dict[str, int] = {}
        for position, (offset, end, value) in enumerate(items, 1):
            self._item(position, offset, end, value, seen)
        return self.result

    def _locate(self) -> list[tuple[int, int, Any]]:
        """(start offset, end offset, value) of every item, in file order."""
        start = skip_space(self.text, 0)
        if start == len(self.text):
            return []
        value, end = DECODER.raw_decode(self.text, start)  # errors carry line and column
        following = skip_space(self.text, end)
        if following == len(self.text):
            return self._items_in(start, end, value)
        # More values follow: JSON Lines (or JSON values written one after another).
        items = self._items_in(start, end, value)
        while following < len(self.text):
            value, end = DECODER.raw_decode(self.text, following)
            items.extend(self._items_in(following, end, value))
            following = skip_space(self.text, end)
        return items

    def _items_in(self, start: int, end: int, value: Any) -> list[tuple[int, int, Any]]:
        """The items of one top-level value: an array's elements, a wrapper's list, or the
        value itself (one item, or a non-object that will be reported)."""
        if isinstance(value, list):
            return elements(self.text, start)
        if isinstance(value, dict):
            if isinstance(value.get("config"), dict) and _zotero_items(value.get("items")):
                raise _NotCsl(self.line_at(start), N_(
                    "a BetterBibTeX JSON export (Zotero items, not CSL-JSON): export the "
                    "collection with Better CSL JSON instead"))
            for key in _WRAPPER_KEYS:
                if isinstance(value.get(key), list) and "type" not in value:
                    inner_start, inner_end = members(self.text, start)[key]
                    return self._items_in(inner_start, inner_end, value[key])
            if "message-type" in value and isinstance(value.get("message"), dict):
                inner_start, inner_end = members(self.text, start)["message"]
                return self._items_in(inner_start, inner_end, value["message"])
        return [(start, end, value)]

    # -- one item -------------------------------------------------------------------------

    def _problem(self, at: int, raw: str, template: str, **values: object) -> None:
        self.result.problems.append(InputProblem(
            SourceLocation(self.file_name, at), codes.UNREADABLE_ENTRY.make(template, **values),
            raw))

    def _item(self, position: int, start: int, end: int, value: Any,
              seen: dict[str, int]) -> None:
        line = self.line_at(start)
        raw = self.text[start:end]
        if isinstance(value, dict) and "type" not in value and isinstance(
                value.get("csljson"), dict):  # the Zotero web API's `include=csljson`
            value = value["csljson"]
        if not isinstance(value, dict):
            kind, shown = _json_kind(value)
            self._problem(line, raw, N_("item {n} is {kind}{value}, not a CSL item object; "
                                        "skipped, the rest of the file is audited"),
                          n=position, kind=Phrase(kind), value=shown)
            return
        key = _key(value, position)
        found: list[Finding] = []
        if key in seen:
            found.append(codes.DUPLICATE_KEY.make(
                "citation key {key!r} is used more than once (also at line {line}); both are "
                "kept", key=key, line=seen[key]))
        reference = _reference(value, key, SourceLocation(self.file_name, line), found)
        if not (reference.title or reference.authors or reference.doi or reference.doi_as_written
                or reference.url or reference.isbn or reference.pmid or reference.container):
            self._problem(line, raw, N_("item {key!r} has no title, author, editor, container "
                                        "or identifier (DOI, URL, ISBN, PMID): nothing to "
                                        "audit; skipped"), key=key)
            return
        seen.setdefault(key, line)
        self.result.references.append(reference)


class _NotCsl(Exception):
    def __init__(self, line: int, template: str) -> None:
        super().__init__(template)
        self.line, self.template = line, template


def _zotero_items(items: Any) -> bool:
    return isinstance(items, list) and any(
        isinstance(item, dict) and "itemType" in item and "type" not in item for item in items)


def _json_kind(value: Any) -> tuple[str, str]:
    """What a JSON value is, in words for the catalogue, and the value shown beside them."""
    if value is None:
        return N_("null"), ""
    if isinstance(value, bool):
        return N_("a boolean"), ""
    if isinstance(value, int | float):
        return N_("a number"), f" ({value})"
    if isinstance(value, str):
        return N_("a string"), f" ({value[:40]!r})"
    if isinstance(value, list):
        return N_("an array"), ""
    return type(value).__name__, ""


def _key(item: Mapping[str, Any], position: int) -> str:
    """The citation key: `citation-key` (Zotero 7 and Better BibTeX write it; Zotero's own `id`
    is then an item URI), else `id` (ints as text), else the item's 1-based position."""
    for name in ("citation-key", "id"):
        value = item.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
    return str(position)


# -- fields -------------------------------------------------------------------------------


def _field(item: Mapping[str, Any], name: str) -> Any:
    """`item[name]`, else the same name in another case (`doi`, `Url`): CSL names are
    case-sensitive, but hand-written files and some tools use lower case."""
    if name in item:
        return item[name]
    lowered = name.lower()
    for key, value in item.items():
        if key.lower() == lowered:
            return value
    return None


def _text(value: Any) -> str | None:
    """A text variable: a string (markup stripped, whitespace collapsed), a number (`"volume":
    7`), or a list of them (Crossref's `container-title: ["…"]`): its first non-empty one."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return str(int(value)) if float(value).is_integer() else str(value)
    if isinstance(value, str):
        return strip_markup(value)
    if isinstance(value, list):
        for part in value:
            text = _text(part)
            if text:
                return text
    return None


def _plain(value: Any) -> str | None:
    """An identifier-like variable (URL, DOI, ISBN): no markup stripping, only trimmed."""
    if isinstance(value, list):
        texts = [t for t in (_plain(v) for v in value) if t]
        return " ".join(texts) or None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        return _SPACE.sub(" ", value).strip() or None
    return None


def format_name(name: Any) -> str | None:
    """A CSL name → "Family, Given" as the BibTeX reader writes it.

    `{"family": "Gogh", "given": "Vincent", "non-dropping-particle": "van"}` → "van Gogh,
    Vincent"; a dropping particle stays with the given names ("La Fontaine, Jean de"), as CSL
    drops it when only the family name is shown; a suffix comes last ("King, Martin Luther,
    Jr."); `{"literal": "World Health Organization"}` (or Crossref's `name`) as it is.
    """
    if isinstance(name, str):
        return _text(name)
    if not isinstance(name, Mapping):
        return None
    literal = _text(name.get("literal")) or _text(name.get("name"))
    family = _text(name.get("family"))
    given = _text(name.get("given"))
    if not family:
        return literal or given
    particle = _text(name.get("non-dropping-particle"))
    if particle:
        joiner = "" if particle.endswith(("'", "’", "-")) else " "
        family = f"{particle}{joiner}{family}"
    dropping = _text(name.get("dropping-particle"))
    given = " ".join(p for p in (given, dropping) if p) or None
    suffix = _text(name.get("suffix"))
    return ", ".join(p for p in (family, given, suffix) if p)


def _names(value: Any) -> tuple[str, ...]:
    if isinstance(value, str | Mapping):
        value = [value]
    if not isinstance(value, list):
        return ()
    return tuple(n for n in (format_name(v) for v in value) if n)


def date_year(value: Any) -> int | None:
    """The year of a CSL date, 1000–2999, or None.

    `{"date-parts": [[2019, 5, 1]]}`, `[[2019]]`, `[["2019", "05"]]`, a range (its first date),
    extra parts `[[2019, 1, 1, 5]]` → 2019; `[[]]`, `[[null]]` → None (then `raw`/`literal` are
    tried); `{"raw": "2019-05"}`, `{"literal": "Spring 2019"}`, the old `{"year": 2019}`, a bare
    `"2019-05-01"` → 2019. A `season` changes nothing.
    """
    if isinstance(value, str):
        return parse_year(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        year = int(value)
        return year if 1000 <= year <= 2999 else None
    if isinstance(value, list):  # date-parts given without their object
        value = {"date-parts": value}
    if not isinstance(value, Mapping):
        return None
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        year = date_year(parts[0][0])
        if year:
            return year
    for name in ("year", "raw", "literal", "date-time"):
        year = date_year(value.get(name))
        if year:
            return year
    return None


def item_year(item: Mapping[str, Any]) -> int | None:
    """`issued`; else the earlier of `published-print` and `published-online` (Crossref's CSL);
    else `published`, `posted`, `approved` (auditor/csl.py); never Crossref's `created`."""
    return publication_year(item, date_year)


def entry_type_of(item: Mapping[str, Any]) -> str:
    """CSL `type` → entry type (TYPE_MAP); a genre or subtype "preprint" → "unpublished"; a
    master's thesis → "mastersthesis"."""
    csl_type = (_text(item.get("type")) or "").lower()
    entry_type = TYPE_MAP.get(csl_type, "misc")
    genre = " ".join(t for t in (_text(item.get("genre")), _text(item.get("subtype"))) if t)
    if entry_type in _PREPRINT_OVERRIDABLE and "preprint" in genre.lower():
        return "unpublished"
    if entry_type == "phdthesis" and re.search(r"master|\bm\.?\s?s\.?c?\b|\bma\b", genre, re.I):
        return "mastersthesis"
    return entry_type


def _pmid(item: Mapping[str, Any], note: str | None) -> str | None:
    value = _plain(_field(item, "PMID"))
    if value:
        digits = re.search(r"\d{1,9}", value)
        if digits:
            return digits.group(0)
    match = _PMID_IN_NOTE.search(note or "")  # Zotero keeps "PMID: 123" in Extra → note
    return match.group(1) if match else None


def _reference(item: Mapping[str, Any], key: str, where: SourceLocation,
               found: list[Finding]) -> Reference:
    title = _text(item.get("title")) or _text(item.get("title-short"))
    subtitle = _text(item.get("subtitle"))  # Crossref's citeproc keeps it apart, as a list
    if title and subtitle and subtitle.lower() not in title.lower():
        title = f"{title}: {subtitle}"
    if not title:
        found.append(codes.NO_TITLE.make("the item has no title"))
    container = (_text(item.get("container-title")) or _text(item.get("container-title-short"))
                 or _text(item.get("short-container-title")))
    url = _plain(_field(item, "URL"))
    note = _text(item.get("note"))
    doi_text = _plain(_field(item, "DOI"))
    doi, doi_written, doi_findings = extract_doi(
        {name: value for name, value in (("doi", doi_text), ("url", url), ("note", note))
         if value})
    entry_type = entry_type_of(item)
    if container is None and entry_type in ("book", "techreport"):
        container = _text(item.get("collection-title"))  # the series, as bibtex.py does
    return Reference(
        key=key,
        source=where,
        entry_type=entry_type,
        title=title,
        authors=_names(item.get("author")) or _names(item.get("editor")),
        year=item_year(item),
        container=container,
        volume=_text(item.get("volume")),
        issue=_text(item.get("issue")),
        pages=_text(item.get("page")),
        publisher=_text(item.get("publisher")),
        url=url,
        isbn=find_isbn(_plain(_field(item, "ISBN"))),
        note=note,
        doi=doi,
        doi_as_written=doi_written,
        findings=tuple(found + doi_findings),
        pmid=_pmid(item, note),
    )
