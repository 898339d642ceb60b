"""From labelled tokens to the fields of a citation: the first run of each label is the field
("Victora CG, Bahl R" → the authors), cleaned of the marks around it, with the rules that
numbers need: the year out of a date, the issue out of "387(10017)", the pages without "pp.".
"""

from __future__ import annotations

import re
from dataclasses import replace

from auditor.sources.citation_text import Citation, parse_authors
from auditor.sources.citations.labels import Label
from auditor.sources.citations.tokens import Token

_YEAR_TEXT = r"(?:1[5-9]\d\d|20\d\d)"
_YEAR = re.compile(rf"\b({_YEAR_TEXT})\b")
_VOLUME_ISSUE = re.compile(
    r"^(?:vol(?:ume)?\.?\s*)?(?P<volume>[A-Za-z]?\d+[A-Za-z]?(?:\s*[-–]\s*\d+)?|[IVXLC]+)?"
    r"\s*[,.]?\s*(?:\(\s*(?P<issue>[^()]+?)\s*\)|(?:n[o°º]\.?|nr\.?|issue|suppl\.?)\s*"
    r"(?P<number>\S+))?", re.IGNORECASE)
_MARKS = " \t.,;:()[]{}\"'“”‘’«»"


def _runs(tokens: list[Token], labels: list[str]) -> dict[str, list[tuple[int, int]]]:
    """Every run of consecutive tokens with one label, as (first, last) token indices."""
    runs: dict[str, list[tuple[int, int]]] = {}
    start = 0
    for i in range(1, len(tokens) + 1):
        if i == len(tokens) or labels[i] != labels[start]:
            runs.setdefault(labels[start], []).append((start, i - 1))
            start = i
    return runs


def _text(source: str, tokens: list[Token], run: tuple[int, int]) -> str:
    return source[tokens[run[0]].start:tokens[run[1]].end]


def _title(value: str) -> str | None:
    value = re.sub(r"\s+", " ", value).strip()
    value = value.strip(" ,;:“”\"‘’'«»")
    if value.endswith(".") and not re.search(r"\b(?:[A-Z]|[a-z]{1,3})\.$", value):
        value = value[:-1]
    value = value.rstrip(" ,;:")
    return value or None


def _container(value: str) -> str | None:
    value = re.sub(r"^\s*in\s*:?\s+", "", value, flags=re.IGNORECASE)
    value = value.strip(" ,;:()[]“”\"'")
    value = re.sub(r"\s+", " ", value).removesuffix(".").rstrip(" ,;:")  # "Lancet." is Lancet
    value = re.sub(r"[,;]\s*\(?\d{1,4}\)?$", "", value).rstrip(" ,;:")  # "The Lancet, 2016"
    value = re.sub(r"\s+(?:1[5-9]|20)\d\d$", "", value)  # "Gynecol Obstet Fertil 2013"
    return value or None


def _unbracketed(value: str) -> str:
    """Without a bracket at either end that is not closed inside: "(12)" → "12", "387(10017)"
    kept."""
    while value and value[0] in "([" and not re.search(r"[)\]]", value[1:]):
        value = value[1:].strip()
    while value and value[-1] in ")]" and not re.search(r"[(\[]", value[:-1]):
        value = value[:-1].strip()
    if value[:1] == "(" and value[-1:] == ")" and value.count("(") == 1:
        value = value[1:-1].strip()
    return value


def volume_and_issue(value: str) -> tuple[str | None, str | None]:
    """`387(10017)` → ("387", "10017"); `Vol. 12, No. 3` → ("12", "3"); `20 Suppl 2` → ("20",
    "Suppl 2")."""
    value = value.strip(" \t.,;:")
    alone = re.fullmatch(r"\(\s*([^()]+?)\s*\)", value)
    if alone:  # "2016;(8):CD002771": an issue without its volume
        return None, alone.group(1)
    value = _unbracketed(value)
    suppl = re.match(r"^(\d+)\s*(Suppl(?:ement)?\.?\s*\S*)", value, re.IGNORECASE)
    if suppl:
        return suppl.group(1), suppl.group(2).strip(" .,")
    found = _VOLUME_ISSUE.match(value)
    if not found:
        return None, None
    issue = found.group("issue") or found.group("number")
    return (found.group("volume") or None), (issue.strip(" .,") if issue else None)


def pages_of(value: str) -> str | None:
    value = re.sub(r"^\s*(?:pp?\.|pages?|s\.)\s*", "", value.strip(_MARKS), flags=re.IGNORECASE)
    value = value.strip(_MARKS)
    return value or None


_PAGE = r"[A-Za-z]{0,2}\d+(?:\s*[-–]\s*[A-Za-z]{0,2}\d+)?"
_ISSUE = r"(?:Suppl\.?\s*)?\w+"  # "3", "Suppl 2"
_YEAR_NUMBERS = (
    # Vancouver, BMC: "2016;387(10017):475-90", "2016, 387(10017):475-490", "2012, 8:CD003517"
    re.compile(rf"(?P<year>{_YEAR_TEXT})[a-z]?(?:\s+\w{{3,9}}(?:\s+\d{{1,2}})?)?\s*[;,]\s*"
               rf"(?P<volume>[A-Za-z]?\d+)?\s*(?:\((?P<issue>[^()]+)\))?\s*:\s*(?P<pages>{_PAGE})"
               r"\.?$"),
    # ISO 690: "2016, vol. 387, n° 10017, p. 475-490"
    re.compile(rf"(?:(?P<year>{_YEAR_TEXT}),\s*)?vol\.\s*(?P<volume>\w+)"
               rf"(?:,\s*n[°oº]\.?\s*(?P<issue>{_ISSUE}))?,\s*pp?\.\s*(?P<pages>{_PAGE})\.?$"),
    # Chicago: "387, no. 10017: 475–490"; APA: "387(10017), 475–490"
    re.compile(rf"\b(?P<volume>\d+)(?:,\s*no\.\s*(?P<issue>{_ISSUE})|\s*\((?P<issue2>[^()]+)\))"
               rf"\s*[:,]\s*(?:pp?\.\s*)?(?P<pages>{_PAGE})\.?$"),
)


def numbers_at_end(text: str) -> dict[str, str] | None:
    """The year, volume, issue and pages a journal citation ends with, in the layouts health
    styles write them — rules read these better than a labeller does."""
    for pattern in _YEAR_NUMBERS:
        found = pattern.search(text.strip())
        if found:
            fields = {k: v for k, v in found.groupdict().items() if v}
            if _YEAR.fullmatch(fields["pages"]):
                return None  # "27, 538, 1992": the year, not a page
            if "issue2" in fields:
                fields["issue"] = fields.pop("issue2")
            return fields
    return None


_NAME = r"[A-Z][\w'’]+(?:[- ][A-Z][\w'’]+)? [A-Z]{1,3}"
_NAME_AT_START = re.compile(rf"^((?:{_NAME},\s*)*{_NAME})\s*[:.]\s+(?=\S)")
_VANCOUVER_NAME = re.compile(r"^(?P<family>.+?)\s+(?P<initials>[A-Z]{1,3})$")


def _inverted(name: str) -> str:
    """`Howard CR` → `Howard, CR`: the family name first, as the References keep it."""
    found = _VANCOUVER_NAME.match(name)
    return f"{found.group('family')}, {found.group('initials')}" if found else name


def _names_text(value: str) -> str:
    """The author run without the marks about it, an initial keeping its full stop."""
    value = value.strip(" ,;:")
    if value.endswith(".") and not re.search(r"(?:\b[A-Z]|\bal)\.$", value):
        value = value[:-1]
    return value.strip(" ,;:")


_ABBREVIATED = re.compile(r"^(?:[A-Z][\w'’&-]{0,11}\.?\s?){1,3}$")


def _journal_words_back(title: str | None, container: str | None
                        ) -> tuple[str | None, str | None]:
    """ "…newborn infants. Cochrane Database" + "Syst Rev": capitalised words after the
    title's last full stop, before an abbreviated journal, are the journal's first words."""
    if not (title and container and _ABBREVIATED.match(container)):
        return title, container
    head, dot, last = title.rpartition(". ")
    if dot and head and _ABBREVIATED.match(last) and len(head.split()) >= 3:
        return head, f"{last} {container}"
    return title, container


def to_citation(source: str, tokens: list[Token], labels: list[str]) -> Citation:
    """The Citation that the labelled tokens spell."""
    runs = _runs(tokens, labels)

    def first(label: Label) -> str | None:
        found = runs.get(str(label))
        return _text(source, tokens, found[0]) if found else None

    authors_text = first(Label.AUTHOR)
    title = _title(first(Label.TITLE) or "")
    if authors_text and title and authors_text.rstrip().endswith(","):
        # the list goes on into what was labelled title: "Perrine CG, | Grummer-Strawn L: Title"
        more = _NAME_AT_START.match(title)
        if more:
            authors_text, title = f"{authors_text} {more.group(1)}", title[more.end():] or None
    authors = ()
    if authors_text:
        names = _names_text(authors_text)
        authors = parse_authors(names) or parse_authors(names, natural_order=True) or tuple(
            _inverted(name) for name in re.split(r"\s*[,;]\s*", names) if name)
    date = first(Label.DATE)
    year_match = _YEAR.search(date) if date else None
    volume, issue = volume_and_issue(first(Label.VOLUME) or "")
    container = _container(first(Label.CONTAINER) or "")
    pages = pages_of(first(Label.PAGES) or "")
    publisher = first(Label.PUBLISHER)
    title, container = _journal_words_back(title, container)
    return Citation(
        authors=tuple(authors), year=int(year_match.group(1)) if year_match else None,
        title=title, container=container, volume=volume, issue=issue, pages=pages,
        publisher=(publisher.strip(_MARKS) or None) if publisher else None,
        journal_like=bool(container and (volume or pages) and not publisher))


def _words(text: str | None) -> str:
    return " ".join(re.findall(r"\w+", (text or "").lower()))


def _spill(longer: str, shorter: str) -> str | None:
    """Where `longer` holds `shorter` and more: "start" (words before it), "end", or None."""
    if not shorter or longer == shorter:
        return None
    if longer.endswith(" " + shorter):
        return "start"
    if longer.startswith(shorter + " "):
        return "end"
    return None


def _title_reader(labelled: Citation, ruled: Citation) -> str:
    """Whose title to keep: the rules' when the labeller's holds more words at one end and
    those are the rules' authors or journal ("Grummer-Strawn L. Reasons for…", "…infants.
    Cochrane Database"); else the labeller's (on anystyle's and GROBID's strings, preferring
    the rules' longer titles cost 7 points of title accuracy)."""
    mine, theirs = _words(labelled.title), _words(ruled.title)
    if not theirs or mine == theirs:
        return "labelled"
    if not mine:
        return "ruled"
    extra = _spill(mine, theirs)
    if extra == "start" and ruled.authors:
        return "ruled-authors"
    if extra == "end" and _words(ruled.container).startswith(mine[len(theirs):].strip()):
        return "ruled-container"
    return "labelled"


def complete(ruled: Citation) -> bool:
    """A rules' reading with every part a citation of a journal article or a book has, and none
    holding another's words (a title led by "Name AB, Name CD:" holds the authors)."""
    if not (ruled.authors and ruled.title and ruled.year):
        return False
    if re.match(r"^[^:]{0,200}\b[A-Z][a-z'-]+ [A-Z]{1,3}\s*:", ruled.title):
        return False
    return bool((ruled.container and ruled.volume and ruled.pages) or ruled.publisher)


def _family(cited: Citation) -> str:
    first = cited.authors[0] if cited.authors else ""
    return _words(first.split(",")[0] if "," in first else first.split()[0] if first else "")


def agree(labelled: Citation, ruled: Citation) -> bool:
    """The two readings name the same first author, title, journal and first page (the
    rules' "G" and "Cooperman and M" for "G. Cooperman and M. Tselman. New Sequential…" do
    not)."""
    def first_page(cited: Citation) -> str:
        return _words(re.split(r"[-–—]", cited.pages or "")[0])

    return (_family(labelled) == _family(ruled) and _words(labelled.title) == _words(ruled.title)
            and _words(labelled.container) in ("", _words(ruled.container))
            and first_page(labelled) in ("", first_page(ruled)))


def misread_colon(labelled: Citation, ruled: Citation) -> bool:
    """The rules took a title's colon for "Place: Publisher" ("Every Newborn: progress,
    priorities…" read as published by "progress, priorities…")."""
    words = _words(ruled.publisher)
    return bool(words) and f" {words} " in f" {_words(labelled.title)} "


def plausible(ruled: Citation) -> bool:
    """Nothing in a rules' reading that looks misread: a first author's family name of one
    letter ("G" of "G. Cooperman and M. Tselman"), a title of one or two words, a title led by
    the rest of the names ("Jones and Jon Salldld. The Model…")."""
    title = ruled.title or ""
    quoted = re.search(r"[“\"«]\s*(.{10,}?)\s*[”\"»]", title)
    return (len(_family(ruled)) >= 2 and len(title.split()) >= 3
            and not re.match(r"^[A-Z][\w'’-]+,? (?:and|&) [A-Z]|^\[|^[A-Z]\.[,\s]", title)
            and not (quoted and _words(quoted.group(1)) != _words(title)))


_PAGE_NUMBER = r"[A-Za-z]{0,3}\d+[A-Za-z]?"
_PAGES_ALONE = re.compile(rf"{_PAGE_NUMBER}(?:\s*[-–—]\s*{_PAGE_NUMBER})?(?:ff?)?")


def _numbers_misread(cited: Citation) -> bool:
    """The labeller's volume and pages cannot be right: none at all, pages that are no page
    range ("467):30", "CD002771. 10.1093"), a volume that is no volume or is a year ("2016"
    of "2016;387(10017)")."""
    volume, pages = cited.volume or "", cited.pages or ""
    return (not (volume or pages) or bool(pages and not _PAGES_ALONE.fullmatch(pages))
            or bool(volume and not re.fullmatch(r"[A-Za-z]?\d+[A-Za-z]?|[IVXLC]+", volume))
            or bool(_YEAR.fullmatch(volume)))


def title_holds(title: str | None, container: str | None) -> bool:
    """The container's words begin the title: one reading's title was the other's journal."""
    words = _words(container)
    return bool(words) and (_words(title) + " ").startswith(words + " ")


def combined(text: str, labelled: Citation, ruled: Citation) -> Citation:
    """One reading from the labeller's and the rules': the labeller's fields; the rules'
    numbers (and year) where the labeller's cannot be right, else the numbers a journal
    citation ends with; the rules' title where the labeller's spilled over an author or the
    journal; every empty field filled from the rules — the two fail on different strings."""
    out = replace(labelled)
    if _numbers_misread(labelled):
        if ruled.pages and (ruled.volume or ruled.container):
            out.volume, out.issue, out.pages = ruled.volume, ruled.issue, ruled.pages
            out.year = ruled.year or out.year
        elif out.container and not out.publisher and (ending := numbers_at_end(text)):
            out.volume = ending.get("volume") or out.volume
            out.issue, out.pages = ending.get("issue"), ending["pages"]
            if "year" in ending and not out.year:
                out.year = int(ending["year"])
    reader = _title_reader(labelled, ruled)
    if reader != "labelled":
        out.title = ruled.title
    if reader == "ruled-authors":
        out.authors = ruled.authors
    if reader == "ruled-container":
        out.container = ruled.container
    for name in ("authors", "year", "title", "container", "volume", "issue", "pages",
                 "publisher"):
        if not getattr(out, name) and not (name == "publisher" and out.container):
            setattr(out, name, getattr(ruled, name))  # a journal has no publisher to add
    if out.publisher and out.container and _words(out.publisher) == _words(out.container):
        out.publisher = None  # the labeller took the journal for a publisher
    if out.publisher and ruled.container and _words(out.publisher) == _words(ruled.container):
        out.container, out.publisher = ruled.container, None
    out.journal_like = bool(out.container and (out.volume or out.pages) and not out.publisher)
    return out
