"""The citations a reference manager leaves live in a Word document, as CSL-JSON items.

- Zotero: a field `ADDIN ZOTERO_ITEM CSL_CITATION {"citationItems": [{"itemData": {…}}]…}`
  per citation, `ADDIN ZOTERO_BIBL {…} CSL_BIBLIOGRAPHY` around the bibliography it wrote;
- Mendeley Desktop: `ADDIN CSL_CITATION {…}` (the same CSL citation object), `ADDIN Mendeley
  Bibliography CSL_BIBLIOGRAPHY`; Mendeley Cite: a content control tagged
  `MENDELEY_CITATION_v3_` + the citation object in base64;
- EndNote: `ADDIN EN.CITE <EndNote><Cite>…<record>…</record></Cite></EndNote>` (the record in
  EndNote's XML, sometimes in base64 in a nested `ADDIN EN.CITE.DATA` field).

The items carry DOIs and fields as the manager holds them, so no text needs parsing; one work
cited many times is one item (by DOI, else the manager's URI, else title and year).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Any

from lxml import etree

BIBLIOGRAPHY = re.compile(r"\bADDIN\s+(?:ZOTERO_BIBL|Mendeley\s+Bibliography|EN\.REFLIST)\b")
_CSL_CITATION = re.compile(r"\bADDIN\s+(?:ZOTERO_ITEM\s+)?CSL_CITATION\b")
_ENDNOTE = re.compile(r"\bADDIN\s+EN\.CITE(?:\.DATA)?\b")
_MENDELEY_TAG = "MENDELEY_CITATION_v3_"
# EndNote reference types → CSL types (the rest: CSL "article", read as a work of unknown kind).
_ENDNOTE_TYPES = {"journal article": "article-journal", "book": "book", "book section":
                  "chapter", "edited book": "book", "thesis": "thesis", "report": "report",
                  "conference proceedings": "paper-conference", "conference paper":
                  "paper-conference", "web page": "webpage", "electronic article":
                  "article-journal", "government document": "report", "dataset": "dataset",
                  "magazine article": "article-magazine", "newspaper article":
                  "article-newspaper"}


def items_of_instruction(instruction: str) -> list[dict[str, Any]]:
    """The CSL items a field's instruction holds (none for any other field)."""
    if _CSL_CITATION.search(instruction):
        return _csl_citation_items(instruction)
    if _ENDNOTE.search(instruction):
        return _endnote_items(instruction)
    return []


def is_citation_field(instruction: str) -> bool:
    """A reference manager's citation field (whether or not its data can be read)."""
    return bool(_CSL_CITATION.search(instruction) or _ENDNOTE.search(instruction))


def items_of_tag(tag: str) -> list[dict[str, Any]]:
    """The CSL items of a Mendeley Cite content control's tag."""
    if not tag.startswith(_MENDELEY_TAG):
        return []
    try:
        text = base64.b64decode(tag[len(_MENDELEY_TAG):] + "==", validate=False).decode()
    except (binascii.Error, UnicodeDecodeError):
        return []
    return _csl_citation_items(text)


def _csl_citation_items(text: str) -> list[dict[str, Any]]:
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end < start:
        return []
    try:
        citation = json.loads(text[start:end + 1])
    except json.JSONDecodeError:
        return []
    items = citation.get("citationItems") if isinstance(citation, dict) else None
    found = []
    for entry in items if isinstance(items, list) else ():
        data = entry.get("itemData") if isinstance(entry, dict) else None
        if isinstance(data, dict) and data:
            uris = entry.get("uris") or entry.get("uri") or []
            found.append({**data, "_uri": (uris[0] if isinstance(uris, list) and uris
                                           else uris if isinstance(uris, str) else None)})
    return found


def _endnote_items(instruction: str) -> list[dict[str, Any]]:
    start = instruction.find("<EndNote")
    text = instruction[start:] if start >= 0 else _unbase64(instruction)
    if not text:
        return []
    try:
        root = etree.fromstring(text.encode(), etree.XMLParser(recover=True,
                                                              resolve_entities=False))
    except etree.XMLSyntaxError:
        return []
    if root is None:
        return []
    return [item for record in root.iter("record") if (item := _endnote_record(record))]


def _unbase64(instruction: str) -> str | None:
    body = re.sub(r"\bADDIN\s+EN\.CITE\.DATA\b|\s", "", instruction)
    try:
        text = base64.b64decode(body + "==").decode("utf-8", errors="replace")
    except (binascii.Error, ValueError):
        return None
    start = text.find("<EndNote")
    return text[start:] if start >= 0 else None


def _endnote_record(record: etree._Element) -> dict[str, Any] | None:
    """One EndNote XML record as a CSL item: what the auditor reads of a work."""
    def text(path: str) -> str | None:
        node = record.find(path)
        value = "".join(node.itertext()).strip() if node is not None else ""
        return " ".join(value.split()) or None

    item: dict[str, Any] = {}
    kind = record.find("ref-type")
    name = (kind.get("name") or "").lower() if kind is not None else ""
    item["type"] = _ENDNOTE_TYPES.get(name, "article")
    for key, path in (("title", "titles/title"), ("container-title", "titles/secondary-title"),
                      ("volume", "volume"), ("issue", "number"), ("page", "pages"),
                      ("DOI", "electronic-resource-num"), ("ISBN", "isbn"),
                      ("publisher", "publisher"), ("URL", "urls/related-urls/url")):
        value = text(path)
        if value:
            item[key] = value
    if item.get("container-title") is None and (journal := text("periodical/full-title")):
        item["container-title"] = journal
    authors = []
    for node in record.findall("contributors/authors/author"):
        name_text = " ".join("".join(node.itertext()).split())
        family, _, given = name_text.partition(",")
        if family:
            authors.append({"family": family.strip(), "given": given.strip()}
                           if given else {"literal": family.strip()})
    if authors:
        item["author"] = authors
    year = text("dates/year")
    if year and (digits := re.search(r"\d{4}", year)):
        item["issued"] = {"date-parts": [[int(digits.group())]]}
    number = text("rec-number")
    item["id"] = f"endnote-{number}" if number else None
    return item if item.get("title") or item.get("DOI") else None


def same_work_key(item: dict[str, Any]) -> str:
    """What makes two cited items one work: the DOI, else the manager's URI, else the title
    and year (lower case)."""
    doi = item.get("DOI")
    if isinstance(doi, str) and doi.strip():
        return "doi:" + doi.strip().lower().removeprefix("https://doi.org/")
    if item.get("_uri"):
        return f"uri:{item['_uri']}"
    title = " ".join(str(item.get("title") or "").lower().split())
    issued = item.get("issued")
    year = issued.get("date-parts", [[None]])[0][0] if isinstance(issued, dict) and \
        issued.get("date-parts") else None
    return f"title:{title}|{year}" if title else f"id:{item.get('id')}"
