"""Labelled citation strings as others annotated them — anystyle's XML, GROBID's TEI, ParsCit's
tagged lines — read into one shape: the string and its labelled character spans.

Used to train and to measure the parser (scripts/train_citation_model.py, benchmarks/); the
auditor itself never reads them. Each set names the same things differently: GROBID's
`<title level="j">` is anystyle's `<journal>`, ParsCit's `<booktitle>` anystyle's
`<container-title>`; LABELS maps them all to the parser's own labels (citations/labels.py).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from auditor.sources.citations.labels import Label


@dataclass(frozen=True)
class Labelled:
    """One citation string and its labelled spans (start, end, label), in order; characters
    outside every span (separators, GROBID's untagged "In") have no label."""

    text: str
    spans: tuple[tuple[int, int, Label], ...]
    origin: str  # "anystyle/gold.xml#12"

    def label_at(self, index: int) -> Label | None:
        for start, end, label in self.spans:
            if start <= index < end:
                return label
        return None


# anystyle's element names → the parser's labels.
ANYSTYLE = {
    "author": Label.AUTHOR, "editor": Label.EDITOR, "translator": Label.EDITOR,
    "director": Label.EDITOR, "producer": Label.EDITOR, "title": Label.TITLE,
    "container-title": Label.CONTAINER, "journal": Label.CONTAINER,
    "collection-title": Label.COLLECTION, "date": Label.DATE, "volume": Label.VOLUME,
    "pages": Label.PAGES, "publisher": Label.PUBLISHER, "location": Label.LOCATION,
    "edition": Label.EDITION, "genre": Label.NOTE, "note": Label.NOTE, "medium": Label.NOTE,
    "source": Label.NOTE, "url": Label.URL, "doi": Label.DOI, "isbn": Label.IDENTIFIER,
    "citation-number": Label.NUMBER,
}
# ParsCit's tags → the parser's labels.
PARSCIT = {
    "author": Label.AUTHOR, "editor": Label.EDITOR, "title": Label.TITLE,
    "booktitle": Label.CONTAINER, "journal": Label.CONTAINER, "volume": Label.VOLUME,
    "pages": Label.PAGES, "date": Label.DATE, "publisher": Label.PUBLISHER,
    "institution": Label.PUBLISHER, "location": Label.LOCATION, "tech": Label.NOTE,
    "note": Label.NOTE, "notes": Label.NOTE,
}
_TEI = "{http://www.tei-c.org/ns/1.0}"


def read_anystyle(path: Path) -> Iterator[Labelled]:
    """`<sequence><author>…</author><title>…</title></sequence>`: every token in one child."""
    for n, sequence in enumerate(ET.parse(path).getroot().iter("sequence")):
        text, spans = "", []
        for child in sequence:
            value = " ".join((child.text or "").split())
            if not value:
                continue
            if text:
                text += " "
            label = ANYSTYLE.get(child.tag, Label.NOTE)
            spans.append((len(text), len(text) + len(value), label))
            text += value
        if text:
            yield Labelled(text, tuple(spans), f"{path.parent.name}/{path.name}#{n}")


def _grobid_label(element: ET.Element, has_article_title: bool) -> Label | None:
    tag = element.tag.replace(_TEI, "").lower()
    level = element.get("level")
    unit = element.get("unit") or element.get("type") or ""
    if tag == "title":
        if level == "a":
            return Label.TITLE
        if level == "j":
            return Label.CONTAINER
        if level == "s":
            return Label.COLLECTION
        return Label.CONTAINER if has_article_title else Label.TITLE  # "m": a book
    if tag == "biblscope":
        return {"volume": Label.VOLUME, "vol": Label.VOLUME, "issue": Label.VOLUME,
                "page": Label.PAGES, "pp": Label.PAGES}.get(unit, Label.NOTE)
    if tag == "idno":
        kind = (element.get("type") or "").upper()
        return Label.DOI if kind == "DOI" else Label.IDENTIFIER
    return {"author": Label.AUTHOR, "editor": Label.EDITOR, "date": Label.DATE,
            "publisher": Label.PUBLISHER, "pubplace": Label.LOCATION,
            "orgname": Label.PUBLISHER, "ptr": Label.URL, "note": Label.NOTE}.get(tag)


def _flatten(element: ET.Element, has_article_title: bool, text: list[str],
             spans: list[tuple[int, int, Label]], label: Label | None) -> None:
    """Walk GROBID's mixed content in order, collecting text and labelled spans."""
    def add(piece: str | None, as_label: Label | None) -> None:
        if not piece:
            return
        piece = re.sub(r"\s+", " ", piece)
        start = sum(map(len, text))
        text.append(piece)
        if as_label is not None and piece.strip():
            spans.append((start, start + len(piece), as_label))

    add(element.text, label)
    for child in element:
        tag = child.tag.replace(_TEI, "").lower()
        if tag == "lb":
            add(" ", None)
        else:
            own = _grobid_label(child, has_article_title) or label
            _flatten(child, has_article_title, text, spans, own)
        add(child.tail, label)


def read_grobid(path: Path) -> Iterator[Labelled]:
    """TEI `<bibl>` elements: fields inside, separators between them (left unlabelled)."""
    root = ET.parse(path).getroot()
    for n, bibl in enumerate(b for b in root.iter() if b.tag.replace(_TEI, "") == "bibl"):
        has_article_title = any(t.tag.replace(_TEI, "") == "title" and t.get("level") == "a"
                                for t in bibl.iter())
        pieces: list[str] = []
        spans: list[tuple[int, int, Label]] = []
        _flatten(bibl, has_article_title, pieces, spans, None)
        raw = "".join(pieces)
        text = raw.strip()
        if not text:
            continue
        offset = len(raw) - len(raw.lstrip())
        trimmed = tuple((max(s - offset, 0), min(e - offset, len(text)), label)
                        for s, e, label in spans if e - offset > 0 and s - offset < len(text))
        yield Labelled(text, _tighten(text, trimmed), f"grobid/{path.name}#{n}")


def read_parscit(path: Path) -> Iterator[Labelled]:
    """`<author> A. Cau, … </author> <title> … </title>` — one reference per line."""
    for n, line in enumerate(path.read_text("utf-8", errors="replace").splitlines()):
        text, spans = "", []
        for match in re.finditer(r"<(\w[\w-]*)>(.*?)</\1>", line.replace("<br>", " ")):
            value = " ".join(match.group(2).split())
            if not value:
                continue
            if text:
                text += " "
            spans.append((len(text), len(text) + len(value),
                          PARSCIT.get(match.group(1).lower(), Label.NOTE)))
            text += value
        if text:
            yield Labelled(text, tuple(spans), f"parscit/{path.name}#{n}")


def _tighten(text: str, spans: tuple[tuple[int, int, Label], ...]
             ) -> tuple[tuple[int, int, Label], ...]:
    """Spans without the spaces at their ends."""
    out = []
    for start, end, label in spans:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            out.append((start, end, label))
    return tuple(out)


def read_all(root: Path, *, parscit: bool = False) -> list[Labelled]:
    """Every labelled string under `../shared/corpus/citations` (ParsCit's LGPL set only when
    asked: it may train nothing that ships), without repeats: the sets overlap heavily."""
    found: list[Labelled] = []
    for path in sorted((root / "anystyle").glob("*.xml")):
        found += read_anystyle(path)
    for path in sorted((root / "grobid").rglob("*.xml")):
        if path.parent.name == "evaluation":
            continue  # every one of them is also in corpus/ (SOURCES.md, "Overlaps")
        found += read_grobid(path)
    if parscit:
        for path in sorted((root / "parscit").glob("*.tagged.txt")):
            found += read_parscit(path)
    return deduplicated(found)


def fingerprint(text: str) -> str:
    """Letters and digits only, lower case: how SOURCES.md finds the sets' shared strings."""
    return re.sub(r"[\W_]+", "", text.lower())


def deduplicated(items: list[Labelled]) -> list[Labelled]:
    seen: set[str] = set()
    unique = []
    for item in items:
        key = fingerprint(item.text)
        if key and key not in seen:
            seen.add(key)
            unique.append(item)
    return unique
