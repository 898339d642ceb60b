"""Saved web pages (.html, .htm): a training's course page or a journal's article page.

The reference list is found by what the page calls it: a list whose id or class says so (PMC,
Springer, Wikipedia, a Zotero bibliography), else a heading such as References or Bibliographie
and what follows it, else the page's whole visible text, which the pasted-list reader sorts.
Each list item or paragraph is one entry, at the line of its element in the saved file; an
`<ol>` item gets its number written out, as the browser shows it. The links article pages add
after each reference (Google Scholar, PubMed, CrossRef…) are dropped, and the DOI or PMID their
address carries is written into the entry instead."""

from __future__ import annotations

import codecs
import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from auditor.errors import InputError
from auditor.i18n import Said
from auditor.sources.documents.extracted import Extracted, Place
from auditor.sources.documents.headings import is_references_heading
from auditor.sources.documents.links import LINK_LABEL, link_ids, with_ids

if TYPE_CHECKING:
    from lxml.html import HtmlElement

# Elements that start a line of their own when a browser shows the page.
_BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "form", "h1", "h2", "h3",
    "h4", "h5", "h6", "header", "footer", "hr", "html", "li", "main", "ol", "p", "pre",
    "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"})
_CELLS = frozenset({"td", "th"})  # a row of cells with no other block in it is one entry
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_BELOW_HEADINGS = 7  # the level of a "References" paragraph standing alone
# What a reader of the page never sees, or sees only as the site's menus.
_UNSEEN = frozenset({
    "head", "script", "style", "noscript", "template", "nav", "button", "select", "option",
    "svg", "canvas", "iframe", "object", "embed", "audio", "video", "input", "textarea"})
_CHROME_ROLES = frozenset({"navigation", "banner", "contentinfo", "search", "menu", "menubar"})
_UNSEEN_CLASSES = frozenset({
    "hidden", "d-none", "sr-only", "visually-hidden", "u-visually-hidden", "screen-reader-text",
    "mw-cite-backlink", "footnote-backref", "footnote-back"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)

# An id or class that names a reference list: `references`, `ref-list` (PMC),
# `c-article-references` (Springer), `reflist` (Wikipedia), `csl-bib-body` (Zotero)…
_LIST_NAME = re.compile(
    r"(?:^|[-_])(?:references?-?list|ref-?list|reflist|references|bibliography|bibliographie|"
    r"csl-bib-body|literature-cited|referencias)\d*"
    r"(?:[-_]+(?:list|sec|section|container|content|wrap|wrapper|block|body)\d*)?$", re.IGNORECASE)
_LIST_TAGS = ("ol", "ul", "div", "section", "aside", "article")

# Wikipedia's "^ a b", a footnote's "↩": links back to where the page cites the reference.
_BACK_LINK = re.compile(r"[\^↑↩]|[a-z]{1,2}|back|jump\s+up(?:\s+to)?:?", re.IGNORECASE)
_INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff\ufe0e\ufe0f]")
_EMPTY_BRACKETS = re.compile(r"\[\s*(?:[,;|/]\s*)*\]|\(\s*(?:[,;|/]\s*)*\)")
_BACK_MARKS = re.compile(r"^\s*(?:[\^↑↩]\s*)+")
_TRAILING_SEPARATORS = re.compile(r"(?:\s*[|,;•·])+\s*$")
_WRITTEN_NUMBER = re.compile(r"\s*(?:\[\d{1,5}\]|\(\d{1,3}\)|\d{1,5}[.)]|(\d{1,5})\s)")
_SEPARATOR = "---"  # a heading to the pasted-list reader: a new list starts after it

_DECLARED = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)"
                       rb"|<\?xml[^>]+encoding\s*=\s*[\"']([\w.:-]+)", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))
_TAG = re.compile(r"<(?:!doctype\s+html|[a-z][a-z0-9]*)[\s/>]", re.IGNORECASE)
_JUNK = re.compile("[\x00-\x08\x0e-\x1f\ufffd]")


def extract_html(raw: bytes, file_name: str) -> Extracted:
    """The reference list of a saved web page (see the module docstring); an empty Extracted
    when the page shows no text."""
    text, guessed = _decode(raw)
    extracted = Extracted(encoding_note=guessed)
    if not text.strip():
        return extracted
    sample = text[:200_000]
    if not _TAG.search(sample) or len(_JUNK.findall(sample)) > len(sample) / 100:
        raise InputError(Said("{name}: not a web page (HTML): the file is damaged, or is another "
                           "kind of file; save the page again from your browser",
            name=file_name))
    import lxml.html
    from lxml import etree

    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as error:
        raise InputError(Said("{name}: this web page cannot be read ({why}); save the page again "
                           "from your browser", name=file_name, why=error)) from None
    _drop_unseen(root)
    page = next(root.iter("body"), root)
    reader = _Reader()
    parts = [part for part in map(reader.read, _reference_containers(page))  # not a contents
             if any(line.level is None and _heading_level(line) is None for line in part)]
    extracted.listed = bool(parts)
    if not parts:
        lines = reader.read(page)
        parts = _sections(lines)
        extracted.listed = bool(parts)
        parts = parts or [lines]  # the whole text: the reader sorts citations from prose
    for part in parts:
        if part:
            _separate(extracted, Place(part[0].line))
            reader.hand_on(part, extracted)
    return extracted


def _decode(raw: bytes) -> tuple[str, tuple[str, int] | None]:
    """The page's text, as a browser decodes it: by its byte-order mark, else the charset it
    declares, else UTF-8, else Windows-1252 — and, in that last case, a note saying so with
    the line of the first byte that is not UTF-8."""
    for bom, name in _BOMS:
        if raw.startswith(bom):
            return raw[len(bom):].decode(name, errors="replace"), None
    declared = _DECLARED.search(raw[:8192])
    name = _codec(declared.group(1) or declared.group(2)) if declared else None
    if name and name != "utf-8":
        return raw.decode(name, errors="replace"), None
    try:  # a page that says UTF-8 and is not was saved in Windows-1252 all the same
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as error:
        line = raw[:error.start].count(b"\n") + 1
        said = "declared as UTF-8 but is not" if name else "not UTF-8 and declares no charset"
        return raw.decode("cp1252", errors="replace"), (
            f"the page is {said} (first such byte on line {line}); read as Windows-1252 "
            "(cp1252): check accented names", line)


def _codec(label: bytes) -> str | None:
    """The codec of a declared charset, as browsers read it (WHATWG Encoding)."""
    try:
        name = codecs.lookup(label.decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    if name.startswith("utf-16"):
        return "utf-8"
    return "cp1252" if name in ("iso8859-1", "latin-1", "ascii") else name


def _drop_unseen(root: HtmlElement) -> None:
    """Take out what the reader of the page does not see as its content: scripts and styles,
    hidden elements, menus, the site's header and footer, links back to the text."""
    unseen = []
    for element in root.iterdescendants("*"):  # elements only
        tag = element.tag
        if (tag in _UNSEEN or element.get("hidden") is not None
                or element.get("aria-hidden", "").strip().lower() == "true"
                or element.get("role", "").strip().lower() in _CHROME_ROLES
                or _UNSEEN_CLASSES.intersection(element.get("class", "").split())
                or _HIDDEN_STYLE.search(element.get("style", ""))
                or (tag in ("header", "footer") and next(element.iterancestors(
                    "article", "section", "main", "aside"), None) is None)):
            unseen.append(element)
    for element in unseen:
        element.drop_tree()  # its tail, the text after it, stays


def _reference_containers(page: HtmlElement) -> list[HtmlElement]:
    """The elements named as reference lists that hold text, innermost first met: Wikipedia's
    `div.reflist` holds the `ol.references` that is the list."""
    named = [element for element in page.iter(*_LIST_TAGS)
             if _names_a_list(element) and element.text_content().strip()]
    kept = set(named)
    outer = {ancestor for element in named for ancestor in element.iterancestors()
             if ancestor in kept}
    return [element for element in named if element not in outer]


def _names_a_list(element: HtmlElement) -> bool:
    names = [*element.get("class", "").split(), element.get("id", "")]
    return (element.get("role") == "doc-bibliography" or "bibliography" in element.get(
        "epub:type", "").split() or any(_LIST_NAME.search(name) for name in names if name))


def _sections(lines: list[_Line]) -> list[list[_Line]]:
    """What follows each heading that says References, Bibliographie…, up to the next heading of
    the same or a higher level; a "References" paragraph standing alone runs to the next
    heading."""
    sections: list[list[_Line]] = []
    level = None
    for line in lines:
        heading = _heading_level(line)
        if heading is not None:
            sections.append([])
            level = heading
        elif level is not None and line.level is not None and line.level <= level:
            level = None
        elif level is not None:
            sections[-1].append(line)
    return sections


def _heading_level(line: _Line) -> int | None:
    """The level of a line that heads a reference list, or None."""
    if line.owner.tag == "li" or not is_references_heading(line.text):
        return None
    return line.level or _BELOW_HEADINGS


@dataclass(eq=False)
class _Line:
    """A block's text up to a `<br>`, as shown: the line of the saved file it starts on, the list
    item or block it belongs to, its heading level, the DOIs and PMIDs of its links."""

    line: int
    owner: HtmlElement
    level: int | None
    parts: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)

    @cached_property
    def text(self) -> str:
        return _tidy("".join(self.parts))


class _Reader:
    """A page's visible text as lines, then as the entries handed on."""

    def __init__(self) -> None:
        self.lines: list[_Line] = []
        self.current: _Line | None = None
        self.next_line = 1
        self.open: list[tuple[HtmlElement, int | None]] = []  # (line owner, heading level)
        self.entries: set[HtmlElement] = set()  # list items, table rows, Zotero entries
        self.numbers: dict[HtmlElement, int] = {}  # an <ol> item's number as shown

    def read(self, element: HtmlElement) -> list[_Line]:
        self.lines, self.current, self.open = [], None, []
        self._walk(element)
        return [line for line in self.lines if line.text or line.links]

    def _walk(self, element: HtmlElement) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        in_row = tag in _CELLS and bool(self.open) and self.open[-1][0].tag == "tr" \
            and self.open[-1][0] in self.entries
        block = (tag in _BLOCKS or "csl-entry" in element.get("class", "").split()) and not in_row
        if block:
            self._open(element, tag)
        elif tag == "br":  # the text after it may start on a line below
            tail = element.tail or ""
            self._break((element.sourceline or self.next_line)
                        + tail[:len(tail) - len(tail.lstrip())].count("\n"))
        elif in_row:
            self._write(" ")
        if tag == "ol":
            self._count(element)
        if not (tag == "a" and self._link(element)):
            self._write(element.text)
            for child in element:
                self._walk(child)
                self._write(child.tail)
        if block:
            self.open.pop()
            self._break(element.sourceline)

    def _open(self, element: HtmlElement, tag: str) -> None:
        """A block starts a line; a list item, a table row of cells or a Zotero entry is one
        entry, whatever blocks it holds."""
        owner, level = self.open[-1] if self.open else (element, None)
        row = tag == "tr" and next(element.iterdescendants(*_BLOCKS - _CELLS), None) is None
        if row or tag == "li" or element.get("role") == "doc-biblioentry" or "csl-entry" in (
                element.get("class", "").split()):
            self.entries.add(element)
            owner = element
        elif owner not in self.entries:
            owner = element
        self.open.append((owner, _HEADINGS.get(tag, level)))
        self._break(element.sourceline)

    def _break(self, line: int | None) -> None:
        self.current, self.next_line = None, line or self.next_line

    def _line(self) -> _Line:
        if self.current is None:
            owner, level = self.open[-1] if self.open else (None, None)
            self.current = _Line(self.next_line, owner, level)
            self.lines.append(self.current)
        return self.current

    def _write(self, text: str | None) -> None:
        if text and (self.current is not None or not text.isspace()):
            self._line().parts.append(text)

    def _link(self, link: HtmlElement) -> bool:
        """Note the DOI or PMID a link's address carries; True when its words are to be left
        out (a "Google Scholar", "[PubMed]", "DOI" or back link)."""
        href = (link.get("href") or "").strip()
        found = link_ids(href)
        if found:
            self._line().links.extend(found)
        words = re.sub(r"[\s\[\](){}®™*.:,]+", " ", link.text_content()).strip()
        return bool(not words or LINK_LABEL.fullmatch(words)
                    or (words.lower() == "doi" and found)
                    or (href.startswith("#") and _BACK_LINK.fullmatch(words)))

    def _count(self, ol: HtmlElement) -> None:
        """The numbers a browser shows on an ordered list's items: from `start` (or down from
        the count, `reversed`), `value` setting an item's own."""
        items = [child for child in ol if child.tag == "li"]
        step = -1 if ol.get("reversed") is not None else 1
        number = _whole(ol.get("start"), len(items) if step < 0 else 1)
        for item in items:
            number = _whole(item.get("value"), number)
            self.numbers[item] = number
            number += step

    def hand_on(self, lines: list[_Line], extracted: Extracted) -> None:
        """Lines → entries: a list item (or row, or Zotero entry) as one line, a paragraph as
        its lines split at `<br>`; a heading inside the list as a separator."""
        for owner, run in itertools.groupby(lines, key=lambda line: line.owner):
            group = list(run)
            if group[0].level is not None:
                _separate(extracted, Place(group[0].line))
            elif owner in self.entries:
                text = _numbered(" ".join(line.text for line in group if line.text),
                                 self.numbers.get(owner))
                ids = [found for line in group for found in line.links]
                if text:
                    extracted.add_entry(with_ids(text, ids, text),
                                        Place(owner.sourceline or group[0].line))
                else:  # PLOS's list of links inside each reference
                    _give_ids(extracted, ids)
            else:
                self._paragraph(group, extracted)

    @staticmethod
    def _paragraph(group: list[_Line], extracted: Extracted) -> None:
        """A paragraph's lines, each with the DOIs and PMIDs of its links (those of a line left
        empty once its links are gone go to the line before)."""
        kept: list[tuple[str, int, list[str]]] = []
        for line in group:
            if line.text:
                kept.append((line.text, line.line, list(line.links)))
            elif kept:
                kept[-1][2].extend(line.links)
            else:
                _give_ids(extracted, line.links)
        whole = " ".join(text for text, _, _ in kept)
        for index, (text, number, ids) in enumerate(kept):
            add = extracted.add_entry if index == 0 else extracted.add
            add(with_ids(text, ids, whole), Place(number))


def _numbered(text: str, number: int | None) -> str:
    """An ordered list item's text with its number, unless the text writes one itself."""
    if number is None or not text:
        return text
    written = _WRITTEN_NUMBER.match(text)
    if written and (written.group(1) is None or int(written.group(1)) == number):
        return text
    return f"{number}. {text}"


def _tidy(text: str) -> str:
    """Text as shown: one space for any run of white space (a no-break space too), soft hyphens
    gone, the brackets and separators left by dropped links gone, composed (NFC)."""
    text = _EMPTY_BRACKETS.sub(" ", unicodedata.normalize("NFC", _INVISIBLE.sub("", text)))
    text = _TRAILING_SEPARATORS.sub("", _BACK_MARKS.sub("", text))
    return re.sub(r"\s+", " ", text).strip()


def _separate(extracted: Extracted, place: Place) -> None:
    """A separator before the next list, so that its numbers start again."""
    last = next((text for text, _ in reversed(extracted.lines) if text), None)
    if last is not None and last != _SEPARATOR:
        extracted.add_entry(_SEPARATOR, place)


def _give_ids(extracted: Extracted, ids: list[str]) -> None:
    """Links left without words after a citation are its own: to its last line."""
    if ids and extracted.lines and extracted.lines[-1][0] not in ("", _SEPARATOR):
        text, place = extracted.lines[-1]
        extracted.lines[-1] = (with_ids(text, ids, text), place)


def _whole(value: str | None, default: int) -> int:
    return int(value) if value and value.strip().lstrip("-").isdigit() else default
