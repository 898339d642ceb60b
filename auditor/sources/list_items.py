"""A pasted list's lines → its items, one per citation, before any field is read.

A list marker starts an item (`1.`, `[1]`, `1)`, `(1)`, bullets, and the bare `1 Victora CG…`
of BMJ and Lancet when the numbers run in sequence); a blank line, a heading or a section title
between two citations ends one; page furniture is passed over (a page break may fall inside a
citation); a paragraph holding several citations is cut at hanging indents or at lines that
start like a citation after one that ends like one; a paragraph that carries on the previous
citation (after a page break, a DOI on its own line) is joined back to it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from auditor.sources.citation_text import YEAR
from auditor.sources.text_layout import furniture_lines, is_heading

MARKER = re.compile(r"^\s*(?:\[\^?(?P<bracket>\d{1,5})\]:?|\((?P<paren>\d{1,5})\)"
                     r"|(?P<number>\d{1,5})[.)](?!\d)|(?P<bullet>[-*•◦▪–+·]))\s+(?=\S)")
# BMJ "1 Victora CG…", Lancet "1  Victora CG…": a list marker only when the numbers run in order.
BARE = re.compile(r"^(?P<indent>\s{0,3})(?P<bare>\d{1,5})\s{1,4}(?=[A-ZÀ-Þ\"“‘(\[])")
# A line that is only a DOI (valid or not: "10.154/peds.2010-3000" is reported, not merged).
_ID_ONLY = re.compile(r"^(?:doi\s*[:：]?\s*|https?://(?:dx\.|www\.)?doi\.org/|(?:dx\.)?doi\.org/)?"
                      r"10\.\d{1,9}/?\S*$|^https?://(?:dx\.)?doi\.org/\S+$"
                      r"|^PMID\s*[:：]?\s*\d{1,9}\.?$", re.IGNORECASE)
URL_ONLY = re.compile(r"^(?:(?:available (?:from|at)|url)\s*:?\s*)?<?(?:https?://|www\.)\S+>?$",
                       re.IGNORECASE)
# A line that starts a citation: `Victora CG,` `de Onis M.` `Victora, C. G.` `Dennis, C.-L.`
# `Victora, Cesar G.` or an organisation followed by a year in parentheses.
AUTHOR_START = re.compile(
    r"^(?!(?:In|Proc|Vol|Eds?)\b)"  # "In ACL." opens no citation
    r"(?:[A-Z][\w'’-]+(?: (?:[a-z]{1,3} )?[A-Z][\w'’-]+){0,2} [A-Z]{1,3}[,.]"
    r"|[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?, (?:[A-Z]\.|[A-Z]{1,2}\b|[A-Z][a-z]+ [A-Z]\.)"
    rf"|[A-Z][^()]{{2,100}}\(\s*{YEAR})")
_HAS_DATE = re.compile(rf"\b{YEAR}\b|10\.\d{{4,9}}/")


@dataclass
class Item:
    """One citation's lines, where it starts, and its list number as written (if any)."""

    line: int
    number: str | None = None
    marked: bool = False
    after_heading: bool = False
    lines: list[str] = field(default_factory=list)


def _clean(line: str) -> str:
    line = re.sub(r"[\f\u200b\ufeff]", "", line).replace("\t", "    ").replace("\u00a0", " ")
    return re.sub(r"^\s*>\s?", "", line).replace("\u00ad", "")


def _split(text: str) -> list[Item]:
    """Lines → items: a list marker starts one; a blank line or heading ends one; page
    headers and page numbers are passed over (a page break may fall inside a citation)."""
    lines = [_clean(line) for line in
             text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    starts = {i for i, line in enumerate(lines)
              if MARKER.match(line) or AUTHOR_START.match(line.strip())}
    furniture = furniture_lines(lines, starts)
    bare = _bare_markers(lines, furniture)
    numbered = {i for i, line in enumerate(lines) if MARKER.match(line)} | bare
    headings = _headings_between(lines, furniture, numbered)
    items: list[Item] = []
    current: Item | None = None
    last_number: int | None = None
    heading, previous = False, ""
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped or index in headings or (not MARKER.match(line) and is_heading(
                stripped, lines[index - 1] if index else "",
                lines[index + 1] if index + 1 < len(lines) else "")):
            current, heading = None, heading or bool(stripped)
            continue
        if index in furniture:
            continue
        marker = BARE.match(line) if index in bare else MARKER.match(line)
        value = marker and (marker.groupdict().get("bracket") or marker.groupdict().get("paren")
                            or marker.groupdict().get("number") or marker.groupdict().get("bare"))
        if marker and value and not marker.groupdict().get("bracket") and (not _in_sequence(
                int(value), None if heading else last_number, line[marker.end():], previous)
                or re.search(r"\d\s*[-–—,]$", previous)):
            # "90. doi: …", "2016. Title", "248–⏎249." or "7,⏎9. https://…" in a citation
            marker = None
        if marker:
            last_number = int(value) if value else last_number
            current = Item(index + 1, value, True, heading, [line[marker.end():]])
            items.append(current)
        elif current is None or (current.marked and _starts_citation(
                stripped, previous, " ".join(current.lines))):
            current = Item(index + 1, None, False, heading, [line])  # unnumbered, or after
            items.append(current)  # a numbered one ("3. Moon RY… ⏎ 10.1542/… ⏎ Smith J. …")
        else:
            current.lines.append(line)
        heading, previous = False, stripped
    out: list[Item] = []
    for item in items:
        out.extend([item] if item.marked else _split_unmarked(item))
    return out


def _headings_between(lines: list[str], furniture: set[int], numbered: set[int]
                      ) -> set[int]:
    """Section titles written without a blank line between two citations ("… 2016;387:491-504.
    ⏎ Allaitement et sommeil ⏎ 3. Moon RY…"): a short line of words (no digit, no colon, no
    final punctuation) after a line that ends a dated citation and before a numbered or
    bulleted one. Such a line is not the end of the citation before it. (Before an unnumbered
    citation it may be the next one's title, written on its own line.)"""
    kept = [i for i, line in enumerate(lines) if line.strip() and i not in furniture]
    out = set()
    for before, i, after in zip(kept, kept[1:], kept[2:], strict=False):
        line, prev = lines[i].strip(), lines[before].strip()
        if (after in numbered and i not in numbered and len(line.split()) <= 8
                and re.fullmatch(r"[A-ZÀ-Þ][^\d:;,.()\[\]/]*[^\W\d_]", line)
                and not re.search(r"\b(?:and|et|of|de|in|the|for)$", line, re.IGNORECASE)
                and _HAS_DATE.search(prev) and re.search(r"[.)\]\d]$", prev)):
            out.add(i)
    return out


def _in_sequence(value: int, last: int | None, rest: str, previous: str) -> bool:
    """Is this number the next item's? A list starts below 1000; then within ten of the last
    number (a number that could be a year must be the very next one), or out of order when
    a capital follows it and the line before ends a citation ("14 Higgins JPT…" then "6 Ip
    S…", or a number written twice)."""
    if last is None:
        return value < 1000
    if re.fullmatch(YEAR, str(value)):
        return value == last + 1
    return last < value <= last + 10 or bool(
        re.match(r"[A-ZÀ-Þ]", rest) and re.search(r"[.)\]\d]$", previous))


def _bare_markers(lines: list[str], furniture: set[int]) -> set[int]:
    """The lines whose bare leading number is a list marker: none in a list numbered `1.` or
    `[1]`; else the numbers at one indentation that run in order (two at least, or a lone 1).
    Markers that do not count up from a list's start, or fewer than the bare numbers, are a
    citation's wrapped lines ("2011. Bulletin…", "(467) : 30-7."), not the list's numbers."""
    explicit = _numbers_in_order(MARKER.match(line) for line in lines)
    found: list[tuple[int, int]] = []
    indent, previous = None, ""
    for i, line in enumerate(lines):
        bare = BARE.match(line) if i not in furniture else None
        if bare is not None and (indent is None or len(bare.group("indent")) == indent):
            value = int(bare.group("bare"))
            if _in_sequence(value, found[-1][1] if found else None, line[bare.end():],
                            previous) and (found or value <= 10):
                found.append((i, value))
                indent = len(bare.group("indent"))
        if line.strip() and i not in furniture:
            previous = line.strip()
    if (len(found) >= 2 or (found and found[0][1] == 1)) and len(found) > explicit:
        return {i for i, _ in found}
    return set()


def _numbers_in_order(markers: Iterable[re.Match[str] | None]) -> int:
    """How many `1.`, `(2)` or `[3]` markers count up from a list's start (ten or less)."""
    count, last = 0, None
    for marker in markers:
        if marker is None or marker.group("bullet"):
            continue
        value = int(marker.group("bracket") or marker.group("paren") or marker.group("number"))
        if (last is None and value <= 10) or (last is not None and last < value <= last + 10):
            count, last = count + 1, value
    return count


def _split_unmarked(item: Item) -> list[Item]:
    """One paragraph → its citations: by hanging indent, else one per line when every line is a
    whole citation (or a bare DOI), else at lines that start like one after a line that ends one."""
    lines = item.lines
    indents = [len(line) - len(line.lstrip()) for line in lines]
    if len(lines) > 1 and indents[0] == min(indents) < max(indents):
        starts = [i for i, n in enumerate(indents) if n == indents[0]]
    elif len(lines) > 1 and all(_HAS_DATE.search(line) for line in lines) \
            and all(re.search(r"[.)\]\d]$|\S/\S+$", line.rstrip()) for line in lines[:-1]) \
            and not any(line.lstrip()[:1].islower() for line in lines if not is_id(line)):
        starts = list(range(len(lines)))
    else:
        starts = [0]
        for i in range(1, len(lines)):
            if _starts_citation(lines[i].strip(), lines[i - 1].strip(),
                                " ".join(lines[starts[-1]:i])):
                starts.append(i)
    bounds = [*starts, len(lines)]
    return [Item(item.line + a, None, False, item.after_heading and not k, lines[a:b])
            for k, (a, b) in enumerate(itertools.pairwise(bounds))]


def _starts_citation(line: str, prev: str, so_far: str) -> bool:
    """A bare DOI after a bare DOI (or after a citation that has one); a line that opens with
    authors after a citation that has its year and does not end mid-sentence; anything
    citation-like after a bare DOI."""
    if is_id(line):
        # a DOI after a citation that has one starts the next — unless it is the same DOI
        # (the citation's link held it: "…/content/10.1101/2021.02.03.21250974v1. ⏎ doi:…")
        written = re.sub(r"^\D*?(?=10\.)", "", line.strip()).rstrip(".").lower()
        return is_id(prev) or bool(re.search(r"10\.\d{4,9}/", so_far)
                                   and written not in so_far.lower())
    if is_id(prev):
        return bool(AUTHOR_START.match(line) or URL_ONLY.match(line))
    return bool(AUTHOR_START.match(line) and _HAS_DATE.search(so_far)
                and not re.search(r"[-,;:&]$|\band$", prev))


def is_id(line: str) -> bool:
    return bool(_ID_ONLY.match(line.strip().strip("<>")))


def _merge(items: list[Item]) -> list[Item]:
    """Join a paragraph that continues the previous citation after a blank line or page break:
    it starts in lower case or with a Vancouver `2016;387…`, the previous one ends in "-", ",",
    ";" or ":", or it is the DOI line of a citation that has none."""
    out: list[Item] = []
    for item in items:
        prev = out[-1] if out else None
        if prev is not None and not item.marked and not item.after_heading:
            before, first = " ".join(prev.lines).strip(), item.lines[0].strip()
            has_doi = re.search(r"10\.\d{4,9}/", before)
            if (re.search(r"[,;:&]$|\band$", before)
                    or (before.endswith("-") and not AUTHOR_START.match(first))
                    or (first[:1].islower() and not re.match(r"doi|https?:|www\.", first))
                    or re.match(r"\d{4}[a-z]?\s*[;:]|\d+\s*\(\d+\)\s*:", first)
                    or (is_id(first) and not has_doi and not is_id(before))):
                prev.lines.extend(item.lines)
                continue
        out.append(item)
    return out


def split_items(text: str) -> list[Item]:
    """The items of a pasted list, in order (see the module docstring)."""
    return _merge(_split(text))
