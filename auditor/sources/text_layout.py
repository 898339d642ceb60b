"""The layout of pasted text around citations: headings, page furniture, wrapped lines, Markdown.

Used by `reflist`. Page furniture is what a PDF repeats on each page — running headers and
footers, page numbers, "Downloaded from … by guest on …" — and is dropped line by line, but a
line that carries citation content (a list marker, authors, a `2016;11:CD003519` journal line, a
`(2016)` year with a title after it, the lower-case rest of a sentence) is never furniture,
however often it repeats: "World health statistics 2021 … 2022 … 2023" are three references.
"""

from __future__ import annotations

import csv
import html
import re

from auditor.sources.citation_text import YEAR

HEADING_WORDS = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:\*\*|__)?\s*(?:references?(?: list| cited)?|bibliography|works cited|"
    r"literature(?: cited)?|cited literature|sources|further reading|(?:recommended |key )?"
    r"readings?(?: list)?|citations|notes)\s*(?:\*\*|__)?\s*:?\s*\d{0,4}\s*$", re.IGNORECASE)
_SEPARATOR = re.compile(r"^\s{0,3}#{1,6}\s|^\s*(?:[=\-_*]\s*){3,}$|^\s*<!--.*-->\s*$")
# "Page 2 of 5" in the languages of our users: "Page 2 sur 5", "Seite 2 von 5", "Página 2 de 5".
_PAGE = r"(?:page|p\.|seite|s\.|p[áa]gina|pag\.)"
_OF = r"(?:of|/|sur|von|de|di|du)"
_PAGE_LINE = re.compile(rf"^\s*(?:{_PAGE}\s*)?\d{{1,4}}(?:\s*{_OF}\s*\d{{1,4}})?\s*$"
                        rf"|^\s*\S.*\S\s{{5,}}(?:{_PAGE}\s*)?\d{{1,4}}(?:\s+{_OF}\s+\d{{1,4}})?\s*$"
                        rf"|^\s*(?:{_PAGE}\s*)?\d{{1,4}}\s{{5,}}\S.*$", re.IGNORECASE)
# Footers publishers and course pages put on every page, whatever else the line holds.
_FOOTER = re.compile(
    r"^[*_\s]*(?:downloaded from\s+\S+.*\b(?:by|on)\b|last (?:updated|modified|reviewed)\b"
    r"|page last reviewed\b|this article is protected by copyright|all rights reserved\.?[*_\s]*$"
    r"|for personal use only\b|see the terms and conditions\b)", re.IGNORECASE)
# What a line of a citation holds and a running header does not.
_CITATION_CONTENT = re.compile(
    rf"\b{YEAR}[a-z]?\b[^;:\n]{{0,16}};\s*[\d(]"  # Vancouver "2016;11:", "2012 Mar;129("
    r"|\b\d+[A-Za-z]?\s*\([^()]{1,12}\)\s*[:,]\s*[A-Za-z]{0,3}\d"  # "387(10017):475", "60(1), 49"
    r"|;\s*\d+[A-Za-z]?\s*:\s*[A-Za-z]{0,3}\d"  # "; 387: 475"
    r"|\bpp?\.\s*\d+\s*[-–]\s*\d+|\bCD\d{6}\b|\b(?:PMID|ISBN)\b"
    rf"|[;,:]\s*{YEAR}[a-z]?\.?\s*$"  # a book's "Geneva: WHO; 2021"
    rf"|\(\s*{YEAR}[a-z]?(?:,[^)]{{0,20}})?\)[.,:]?\s+\S", re.IGNORECASE)  # "(2016). Title"
# A hyphen at a line end is kept when the words are a compound ("mother-infant",
# "meta-analysis", "two-sided"), else it is a PDF's hyphenation and dropped.
_COMPOUND_FIRST = {"mother", "father", "parent", "infant", "child", "baby", "two", "three", "four",
                   "one", "self", "well", "long", "short", "low", "high", "middle", "meta", "cross",
                   "follow", "full", "part", "skin", "ready", "peer", "evidence", "community",
                   "hospital", "school", "cost", "dose", "age", "sex", "birth", "large", "small",
                   "first", "second", "third", "real", "open", "single", "double", "non", "co",
                   "quasi", "post", "bottle", "formula", "donor", "breast"}
_COMPOUND_SECOND = {"based", "related", "specific", "controlled", "analysis", "analyses",
                    "infant", "child", "to", "up", "sided", "level", "income", "friendly", "led",
                    "centred", "centered", "reported", "old", "eclampsia", "skin", "partum",
                    "natal", "feeding", "driven", "free", "wide", "term", "induced", "associated",
                    "dependent", "acquired"}
_JOINED_AS_ONE = {("breast", "feeding"), ("post", "partum"), ("post", "natal")}


def is_heading(line: str, before: str = "", after: str = "") -> bool:
    """"References", "## Articles", "----", or a short line ending in ":" ("Pour aller plus
    loin :") — unless the line `before` it stops mid-sentence or the line `after` it carries
    the sentence on in lower case: then the ":" ends a wrapped line of a citation (BMC's "…,
    Shapiro S, Collet JP:" before the title, "…in the 21st century:" before its subtitle)."""
    return bool(HEADING_WORDS.match(line) or _SEPARATOR.match(line) or (
        line.endswith(":") and len(line.split()) <= 10
        and not re.search(rf"10\.\d|://|\b{YEAR}\b", line)
        and not re.search(r"[\w,;&-]$", before.strip())
        and not re.match(r"(?!https?:|www\.|doi\b)[a-zà-ÿ]", after.strip())))


def furniture_lines(lines: list[str], starts: set[int]) -> set[int]:
    """Indexes of the lines that are page furniture: page numbers, "Journal 40(2)   13"
    headers, known footers, and lines repeated three times or more (digits aside) that carry no
    citation content, do not start an item (`starts`) and do not start in lower case (the rest
    of a sentence)."""
    counts: dict[str, int] = {}
    folded = [_fold(line) for line in lines]
    for key in folded:
        counts[key] = counts.get(key, 0) + 1
    out = set()
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        repeated = (counts[folded[i]] >= 3 and len(re.sub(r"[^a-z]", "", folded[i])) >= 4
                    and i not in starts and not re.search(r"10\.\d|[.,;:&-]$", stripped)
                    and not _CITATION_CONTENT.search(stripped) and not stripped[:1].islower())
        # "7" after "…/S0140-6736(15)01024-" is the end of a DOI, not a page number
        in_link = i > 0 and re.search(r"(?:10\.|://)\S*[-/.]$", lines[i - 1].rstrip())
        if repeated or (_PAGE_LINE.match(line) and not in_link) or _FOOTER.match(stripped):
            out.add(i)
    return out


def _fold(line: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"\d+", "", line)).strip().lower()


def join_lines(lines: list[str], vocabulary: set[str]) -> str:
    """Lines of one citation → one line: a line-end hyphen is dropped before a lower-case
    fragment unless the words form a compound or it follows a digit ("e1048-⏎e1056"); a DOI or
    URL broken at "-", "/", "10.", a dot ("14651858.⏎CD003517.pub2") or before "(" is closed
    up; otherwise lines are joined by a space."""
    out = lines[0].strip()
    for nxt in (line.strip() for line in lines[1:]):
        token = out.split()[-1] if out.split() else ""
        in_link = re.search(r"10\.\d*|://|www\.", token)
        if out.endswith(("-", "‐")) and len(token) > 1:
            out = out[:-1] + "-" if out.endswith("‐") else out
            if not in_link and nxt[:1].islower() and not token[-2:-1].isdigit() \
                    and not _keep_hyphen(token, nxt, vocabulary):
                out = out[:-1]
            out += nxt
        elif in_link and _link_continues(token, nxt):
            out += nxt
        else:
            out += " " + nxt
    out = re.sub(r"(?<![\w.])(10\.)\s+(\d{4,9}/)", r"\1\2", out)  # "doi: 10. 1542/peds…"
    out = re.sub(r"(?<![\w.])(10\.\d{4,9}/)\s+(?=[\w(])", r"\1", out)
    return _INLINE_HYPHEN.sub(lambda m: _rejoin(m, vocabulary), out)


# "cen- tury": a line break a copy from a PDF turned into a space — not "low- and middle-income".
_INLINE_HYPHEN = re.compile(r"(?<![\w/.-])([^\W\d_]{2,}-) ([a-zà-ÿ][^\W\d_]*)")
_SUSPENDED = {"and", "or", "to", "nor", "as", "et", "ou", "und", "oder", "bis", "y", "o", "e"}


def _rejoin(match: re.Match[str], vocabulary: set[str]) -> str:
    head, rest = match.groups()
    if rest in _SUSPENDED:
        return match.group(0)
    return head + rest if _keep_hyphen(head, rest, vocabulary) else head[:-1] + rest


def _link_continues(token: str, nxt: str) -> bool:
    """Does the next line carry on the DOI or URL that ends this one?"""
    first = nxt.split()[0] if nxt.split() else ""
    if re.search(r"[/_(]$", token) or re.fullmatch(r"(?:doi:)?10\.\d*", token):
        return not re.match(r"[A-Z][a-z]+\b", nxt)
    if re.search(r"10\.\d{4,9}/\S", token) and re.match(r"\(\d+\)\S", first):
        return True  # "S0140-6736⏎(22)01932-8"
    if re.search(r"(?:doi\.org/|doi:)10\.\d{0,8}$", token, re.IGNORECASE):
        return bool(re.match(r"\d", nxt))  # "https://doi.org/10.1⏎002/14651858.CD003519.pub4"
    if re.search(r"10\.\d{4,9}/\S*$", token) and nxt == first and re.fullmatch(
            r"[\w.()\-/;<>]*\d[\w.()\-/;<>]*", first) and not re.match(
            rf"{YEAR}\.?$|(?:PMID|PMC)", first, re.IGNORECASE):
        return True  # a DOI cut anywhere, its rest alone on the last line: "…/1465⏎1858.CD…"
    return bool(token.endswith(".") and re.search(r"10\.\d{4,9}/\S", token)
                and re.fullmatch(r"[A-Za-z0-9][\w.()\-/]*[\w)]\.?", first)
                and re.search(r"\d", first) and not re.match(rf"{YEAR}(?:\.?$|[;:,])", first))


def _keep_hyphen(token: str, nxt: str, vocabulary: set[str]) -> bool:
    """Is "mother-" + "infant…" a compound? The list's own spelling decides ("fore-milk" or
    "foremilk" elsewhere), then the word lists; unknown words are joined."""
    head = token[:-1]
    words = re.findall(r"[^\W\d_]+", head.lower())
    after = re.match(r"[^\W\d_]+", nxt.lower())
    if not words or not after:
        return True
    before, second = words[-1], after.group(0)
    if len(words) > 1 and "-" in head:  # already a compound: "skin-to-⏎skin"
        return True
    if f"{before}{second}" in vocabulary or (before, second) in _JOINED_AS_ONE:
        return False
    return f"{before}-{second}" in vocabulary or before in _COMPOUND_FIRST or (
        second in _COMPOUND_SECOND and len(before) > 2)


def clean_markdown(text: str) -> tuple[str, list[str], list[str]]:
    """Markdown/HTML → text, with the link targets (kept for DOI finding) and the italic spans
    (a journal in Manubot's and AMA's Markdown)."""
    urls: list[str] = []
    italics: list[str] = []

    def link(label: str, url: str) -> str:
        urls.append(url)
        return label or url

    text = re.sub(r"<((?:https?://|www\.)[^>\s]+)>", r" \1 ", text)
    text = re.sub(r"!?\[([^\]]*)\]\(((?:[^()\s]|\([^()\s]*\))+)\)",
                  lambda m: link(m.group(1), m.group(2)), text)
    text = re.sub(r"<a\s[^>]*href=[\"']([^\"']+)[\"'][^>]*>(.*?)</a>",
                  lambda m: link(m.group(2), m.group(1)), text, flags=re.I)
    text = re.sub(r"</?(?:i|em|b|strong|u|sup|sub|span|cite|br|p|div)\b[^>]*>", "", text,
                  flags=re.I)
    text = re.sub(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", r"\2", text)

    def italic(span: str, glued: str = "") -> str:  # "McKinney*arXiv*" → "McKinney arXiv"
        italics.append(span)
        return f"{glued} {span}" if glued else span

    text = re.sub(r"(\w?)\*(?=\S)(.+?)(?<=\S)\*", lambda m: italic(m.group(2), m.group(1)), text)
    text = re.sub(r"(?<![\w\\])_(?=\S)(.+?)(?<=\S)_(?!\w)", lambda m: italic(m.group(1)), text)
    text = re.sub(r"`([^`]+)`", r"\1", text)
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!])", r"\1", text)
    return html.unescape(text), urls, italics


def looks_like_table(text: str) -> bool:
    """A CSV/TSV table (a Scopus or Web of Science CSV export, a spreadsheet saved as text):
    a header row of three or more short column names without a year or DOI, and most of the
    following rows split into as many fields."""
    lines = [line for line in text.lstrip("\ufeff").splitlines() if line.strip()][:60]
    if len(lines) < 2:
        return False
    for delimiter in (",", "\t", ";"):
        try:
            rows = list(csv.reader(lines, delimiter=delimiter))
        except csv.Error:  # a field longer than csv's limit (131,072 characters): not a table
            continue
        header = rows[0]
        if len(header) < 3 or any(len(name) > 40 or re.search(rf"{YEAR}|10\.\d", name)
                                  for name in header):
            continue
        same = sum(1 for row in rows[1:] if len(row) == len(header))
        if same >= 0.8 * (len(rows) - 1):
            return True
    return False
