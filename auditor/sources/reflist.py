"""Read a pasted reference list (plain text or Markdown) into References, one per citation.

Trainers paste lists from course pages and PDFs: numbered (`1.`, `[1]`, `1)`, `(1)`), bulleted
(`-`, `*`, `•`), one citation per paragraph or per line, or bare DOIs one per line. The text is
split into items, lines a PDF wrapped are joined (`inter-⏎vention` → `intervention`, but
`mother-⏎infant` keeps its hyphen), and each item's fields are parsed heuristically by
`citation_text`; the whole citation stays in `Reference.raw` for Crossref's bibliographic search.
"""

from __future__ import annotations

import html
import itertools
import re
from dataclasses import dataclass, field, replace

from auditor import codes
from auditor.model import Finding, InputProblem, Reference, SourceLocation
from auditor.sources.base import SourceRead
from auditor.sources.citation_text import (
    YEAR,
    Citation,
    broken_doi,
    dois_in,
    is_bookish,
    parse_citation,
    parse_title_first,
    split_sentences,
    strip_noise,
)

_MARKER = re.compile(r"^\s*(?:\[\^?(?P<bracket>\d{1,4})\]:?|\((?P<paren>\d{1,3})\)"
                     r"|(?P<number>\d{1,3})[.)](?!\d)|(?P<bullet>[-*•◦▪–+·]))\s+(?=\S)")
_HEADING_WORDS = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:\*\*|__)?\s*(?:references?(?: list| cited)?|bibliography|works cited|"
    r"literature(?: cited)?|cited literature|sources|further reading|(?:recommended |key )?"
    r"readings?(?: list)?|citations|notes)\s*(?:\*\*|__)?\s*:?\s*\d{0,4}\s*$", re.IGNORECASE)
_SEPARATOR = re.compile(r"^\s{0,3}#{1,6}\s|^\s*(?:[=\-_*]\s*){3,}$|^\s*<!--.*-->\s*$")
_PAGE_LINE = re.compile(r"^\s*(?:page\s+|p\.\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\s*$"
                        r"|^\s*\S.*\S\s{5,}(?:page\s+)?\d{1,4}(?:\s+of\s+\d{1,4})?\s*$"
                        r"|^\s*(?:page\s+)?\d{1,4}\s{5,}\S.*$", re.IGNORECASE)
# A line that is only a DOI (valid or not: "10.154/peds.2010-3000" is reported, not merged).
_ID_ONLY = re.compile(r"^(?:doi\s*[:：]?\s*|https?://(?:dx\.|www\.)?doi\.org/|(?:dx\.)?doi\.org/)?"
                      r"10\.\d{1,9}/?\S*$|^https?://(?:dx\.)?doi\.org/\S+$", re.IGNORECASE)
_URL_ONLY = re.compile(r"^(?:(?:available (?:from|at)|url)\s*:?\s*)?<?(?:https?://|www\.)\S+>?$",
                       re.IGNORECASE)
# A line that starts a citation: `Victora CG,` `de Onis M.` `Victora, C. G.` `Dennis, C.-L.`
# `Victora, Cesar G.` or an organisation followed by a year in parentheses.
_AUTHOR_START = re.compile(
    r"^(?:[A-Z][\w'’-]+(?: (?:[a-z]{1,3} )?[A-Z][\w'’-]+){0,2} [A-Z]{1,3}[,.]"
    r"|[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?, (?:[A-Z]\.|[A-Z]{1,2}\b|[A-Z][a-z]+ [A-Z]\.)"
    rf"|[A-Z][^()]{{2,100}}\(\s*{YEAR})")
# What makes a line look like part of a reference list, for sniffing.
_SIGNAL = re.compile(
    rf"10\.\d{{4,9}}/\S|\(\s*{YEAR}[a-z]?(?:-\d\d)*\s*\)|\b{YEAR}[a-z]?\s*;\s*\d|\bet al\b")
_HAS_DATE = re.compile(rf"\b{YEAR}\b|10\.\d{{4,9}}/")
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
                    "natal", "feeding"}
_JOINED_AS_ONE = {("breast", "feeding"), ("post", "partum"), ("post", "natal")}


@dataclass
class _Item:
    line: int
    number: str | None = None
    marked: bool = False
    after_heading: bool = False
    lines: list[str] = field(default_factory=list)


def read_reflist(text: str, file_name: str) -> SourceRead:
    """Every citation in a pasted list → a Reference (key: its number, else its position);
    a numbered or citation-like item with no year, DOI or PMID → an I001 problem; headings,
    page numbers and prose are skipped."""
    items = _merge(_split(text))
    vocabulary = set(re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", text.lower()))
    read = SourceRead()
    seen: dict[str, int] = {}
    for item in items:
        position = len(read.references) + len(read.problems) + 1
        reference = _reference(item, file_name, vocabulary, position,
                               read.references[-1] if read.references else None)
        if isinstance(reference, InputProblem):
            read.problems.append(reference)
        elif reference is not None:
            if reference.key in seen:
                reference = _with_finding(reference, codes.DUPLICATE_KEY.make(
                    f"number {reference.key} is used more than once (also at line "
                    f"{seen[reference.key]}); both are kept"))
            seen.setdefault(reference.key, reference.source.line)
            read.references.append(reference)
    return read


def looks_like_reflist(text: str) -> bool:
    """Content sniffing for stdin, .txt and .md: several lines that carry a DOI, a year in
    parentheses, a Vancouver `2016;387` or a numbered/author-led citation with a year; never
    BibTeX, RIS, PubMed MEDLINE, Web of Science, EndNote tagged or JSON."""
    head = text.lstrip("\ufeff \t\r\n")
    if (not head or re.match(r"[\[{]\s*[\[{\"]", head) or re.search(r"@\s*[A-Za-z]+\s*[{(]", head)
            or re.search(r"^(?:TY  -|PMID- |%0 |FN |PT [A-Z]\s*$)", head, re.MULTILINE)):
        return False
    lines = [line for line in head.splitlines()[:500] if line.strip()]
    signals = sum(1 for line in lines if _SIGNAL.search(line) or (
        (_MARKER.match(line) or _AUTHOR_START.match(line.strip())) and re.search(YEAR, line)))
    return signals >= min(2, len(lines)) and signals >= 0.2 * len(lines)


def _split(text: str) -> list[_Item]:
    """Lines → items: a list marker starts one; a blank line or heading ends one; page
    headers and page numbers are passed over (a page break may fall inside a citation)."""
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    repeated = _running_headers(raw_lines)
    items: list[_Item] = []
    current: _Item | None = None
    last_number: int | None = None
    heading = False
    for number, line in enumerate(raw_lines, 1):
        line = re.sub(r"[\f\u200b\ufeff]", "", line).replace("\t", "    ").replace("\u00a0", " ")
        line = re.sub(r"^\s*>\s?", "", line).replace("\u00ad", "")
        stripped = line.strip()
        if not stripped or _is_heading(stripped):
            current, heading = None, heading or bool(stripped)
            continue
        if _PAGE_LINE.match(line) or _fold(stripped) in repeated:
            continue
        marker = _MARKER.match(line)
        value = marker and (marker.group("bracket") or marker.group("paren")
                            or marker.group("number"))
        if marker and value and not marker.group("bracket") and last_number is not None and not (
                last_number < int(value) <= last_number + 10):
            marker = None  # "90. doi: …" inside a wrapped citation is no item number
        if marker:
            last_number = int(value) if value else last_number
            current = _Item(number, value, True, heading, [line[marker.end():]])
            items.append(current)
        elif current is None:
            current = _Item(number, None, False, heading, [line])
            items.append(current)
        else:
            current.lines.append(line)
        heading = False
    out: list[_Item] = []
    for item in items:
        out.extend([item] if item.marked else _split_unmarked(item))
    return out


def _is_heading(line: str) -> bool:
    return bool(_HEADING_WORDS.match(line) or _SEPARATOR.match(line) or (
        line.endswith(":") and len(line.split()) <= 10
        and not re.search(rf"10\.\d|://|\b{YEAR}\b", line)))


def _fold(line: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"\d+", "", line)).strip().lower()


def _running_headers(lines: list[str]) -> set[str]:
    """A line repeated on three pages or more (digits aside) is a running header or footer."""
    counts: dict[str, int] = {}
    for line in lines:
        key = _fold(line)
        if len(re.sub(r"[^a-z]", "", key)) >= 4 and not re.search(r"10\.\d|://|\.$", line.strip()):
            counts[key] = counts.get(key, 0) + 1
    return {key for key, n in counts.items() if n >= 3}


def _split_unmarked(item: _Item) -> list[_Item]:
    """One paragraph → its citations: by hanging indent, else one per line when every line is a
    whole citation (or a bare DOI), else at lines that start like one after a line that ends one."""
    lines = item.lines
    indents = [len(line) - len(line.lstrip()) for line in lines]
    if len(lines) > 1 and indents[0] == min(indents) < max(indents):
        starts = [i for i, n in enumerate(indents) if n == indents[0]]
    elif len(lines) > 1 and all(_HAS_DATE.search(line) for line in lines) \
            and all(re.search(r"[.)\]\d]$|\S/\S+$", line.rstrip()) for line in lines[:-1]) \
            and not any(line.lstrip()[:1].islower() for line in lines if not _is_id(line)):
        starts = list(range(len(lines)))
    else:
        starts = [0]
        for i in range(1, len(lines)):
            if _starts_citation(lines[i].strip(), lines[i - 1].strip(),
                                " ".join(lines[starts[-1]:i])):
                starts.append(i)
    bounds = [*starts, len(lines)]
    return [_Item(item.line + a, None, False, item.after_heading and not k, lines[a:b])
            for k, (a, b) in enumerate(itertools.pairwise(bounds))]


def _starts_citation(line: str, prev: str, so_far: str) -> bool:
    """A bare DOI after a bare DOI (or after a citation that has one); a line that opens with
    authors after a citation that has its year and does not end mid-sentence; anything
    citation-like after a bare DOI."""
    if _is_id(line):
        return _is_id(prev) or bool(re.search(r"10\.\d{4,9}/", so_far))
    if _is_id(prev):
        return bool(_AUTHOR_START.match(line) or _URL_ONLY.match(line))
    return bool(_AUTHOR_START.match(line) and _HAS_DATE.search(so_far)
                and not re.search(r"[-,;:&]$|\band$", prev))


def _is_id(line: str) -> bool:
    return bool(_ID_ONLY.match(line.strip().strip("<>")))


def _merge(items: list[_Item]) -> list[_Item]:
    """Join a paragraph that continues the previous citation after a blank line or page break:
    it starts in lower case or with a Vancouver `2016;387…`, the previous one ends in "-", ",",
    ";" or ":", or it is the DOI line of a citation that has none."""
    out: list[_Item] = []
    for item in items:
        prev = out[-1] if out else None
        if prev is not None and not item.marked and not item.after_heading:
            before, first = " ".join(prev.lines).strip(), item.lines[0].strip()
            has_doi = re.search(r"10\.\d{4,9}/", before)
            if (re.search(r"[-,;:&]$|\band$", before)
                    or (first[:1].islower() and not re.match(r"doi|https?:|www\.", first))
                    or re.match(r"\d{4}[a-z]?\s*[;:]|\d+\s*\(\d+\)\s*:", first)
                    or (_is_id(first) and not has_doi and not _is_id(before))):
                prev.lines.extend(item.lines)
                continue
        out.append(item)
    return out


def _join(lines: list[str], vocabulary: set[str]) -> str:
    """Lines of one citation → one line: a line-end hyphen is dropped before a lower-case
    fragment unless the words form a compound; a DOI or URL broken at "-", "/" or "10." is
    closed up; otherwise lines are joined by a space."""
    out = lines[0].strip()
    for nxt in (line.strip() for line in lines[1:]):
        token = out.split()[-1] if out.split() else ""
        in_link = re.search(r"10\.\d*|://|www\.", token)
        if out.endswith(("-", "‐")) and len(token) > 1:
            out = out[:-1] + "-" if out.endswith("‐") else out
            if not in_link and nxt[:1].islower() and not _keep_hyphen(token, nxt, vocabulary):
                out = out[:-1]
            out += nxt
        elif in_link and (re.search(r"[/_(]$", token) or re.fullmatch(r"(?:doi:)?10\.\d*", token)) \
                and not re.match(r"[A-Z][a-z]+\b", nxt):
            out += nxt
        else:
            out += " " + nxt
    out = re.sub(r"(?<![\w.])(10\.)\s+(\d{4,9}/)", r"\1\2", out)  # "doi: 10. 1542/peds…"
    return re.sub(r"(?<![\w.])(10\.\d{4,9}/)\s+(?=[\w(])", r"\1", out)


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


def _clean_markdown(text: str) -> tuple[str, list[str], list[str]]:
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


def _reference(item: _Item, file_name: str, vocabulary: set[str], position: int,
               previous: Reference | None) -> Reference | InputProblem | None:
    where = SourceLocation(file_name, item.line)
    joined = _join(item.lines, vocabulary)
    text, urls, italics = _clean_markdown(joined)
    raw = re.sub(r"\s+", " ", text).strip()
    if not raw:
        return None
    key = item.number or str(position)
    found = dois_in(" ".join([raw, *urls]))
    pmid = re.search(r"\bPMID\s*:?\s*(\d{1,9})\b", raw, re.IGNORECASE)
    isbn = re.search(r"\bISBN(?:-1[03])?\s*:?\s*((?:97[89][-\s]?)?(?:\d[-\s]?){9}[\dXx])", raw)
    links = [u for u in re.findall(r"(?:https?://|www\.)\S+", raw) + urls
             if not re.search(r"(?:^|[/.])doi\.org/", u)]
    url = links[0].rstrip(".,;") if links else None
    bad = None if found else broken_doi(" ".join([raw, *urls]))
    if _is_id(raw) and (found or bad):  # a bare DOI: the reference is just that
        findings = () if found else (codes.INVALID_DOI.make(
            f"not a DOI of the form 10.NNNN/suffix: {bad!r}; not looked up"),)
        return Reference(key, where, "", doi=found[0][0] if found else None,
                         doi_as_written=found[0][1] if found else bad, findings=findings, raw=raw)
    if _URL_ONLY.match(raw):
        return Reference(key, where, "online", url=url, raw=raw)
    core = strip_noise(raw)
    cited = _parse(item, core, italics)
    if not cited.authors and previous and re.match(r"^(?:[-—–_]{2,}\.?,?\s*)?\(", core):
        cited.authors = previous.authors  # "——— (1970):" and "(1970):": the same authors again
    citation_like = bool(_AUTHOR_START.match(core) or re.search(
        rf"\bet al\b|[“\"].{{10,}}[”\"]|\b{YEAR}\s*;\s*\d|\(\s*{YEAR}", core)) or (
        len(split_sentences(core)) >= 3 and len(core.split()) >= 8)
    if not (found or bad or pmid or isbn or url):
        if cited.year is None:
            if citation_like or (item.marked and len(core.split()) >= 3):
                return InputProblem(where, codes.UNREADABLE_ENTRY.make(
                    "no year, DOI or PMID found: not read as a reference"), raw)
            return None
        if not (citation_like or item.marked):
            return None
    findings: list[Finding] = []
    if len(found) > 1:
        findings.append(codes.CONFLICTING_DOIS.make(
            f"the citation holds several DOIs ({', '.join(d for d, _ in found)}); the first, "
            f"{found[0][0]}, is used"))
    if bad:
        findings.append(codes.INVALID_DOI.make(
            f"not a DOI of the form 10.NNNN/suffix: {bad!r}; not looked up"))
    if not cited.title and not found:
        findings.append(codes.NO_TITLE.make(
            "no title could be told apart in the citation; it is searched as written"))
    entry_type = ("article" if cited.journal_like else "book" if is_bookish(raw, cited)
                  else "misc")
    return Reference(
        key=key, source=where, entry_type=entry_type, title=cited.title, authors=cited.authors,
        year=cited.year, container=cited.container, volume=cited.volume, issue=cited.issue,
        pages=cited.pages, publisher=cited.publisher, url=url,
        isbn=re.sub(r"[-\s]", "", isbn.group(1)) if isbn else None,
        doi=found[0][0] if found else None,
        doi_as_written=found[0][1] if found else bad, findings=tuple(findings), raw=raw,
        pmid=pmid.group(1) if pmid else None)


def _parse(item: _Item, core: str, italics: list[str]) -> Citation:
    """The fields of one item; a title on its own line (Manubot/pandoc layout) is read so."""
    if len(item.lines) >= 2:
        first, second = item.lines[0].strip(), item.lines[1].strip()
        bold = re.fullmatch(r"(\*\*|__)(.+)\1", first)
        dated = re.search(rf"\({YEAR}-\d\d(?:-\d\d)?\)", second)
        if bold or (dated and not re.search(YEAR, first) and not first.endswith((",", "-"))):
            title = _clean_markdown(bold.group(2) if bold else first)[0]
            byline = strip_noise(_clean_markdown(second)[0])
            italic = next((i for i in italics if i in second), None)
            return parse_title_first(title, byline, italic)
    return parse_citation(core)


def _with_finding(reference: Reference, finding: Finding) -> Reference:
    return replace(reference, findings=(*reference.findings, finding))
