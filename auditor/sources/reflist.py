"""Read a pasted reference list (plain text or Markdown) into References, one per citation.

Trainers paste lists from course pages and PDFs: numbered (`1.`, `[1]`, `1)`, `(1)`, and the
bare `1 Victora CG…` of BMJ and Lancet when the numbers run in sequence), bulleted (`-`, `*`,
`•`), one citation per paragraph or per line, or bare DOIs or PMIDs one per line. The text is
split into items (`list_items`; page furniture and headings dropped by `text_layout`), lines a
PDF wrapped are joined, and each item's fields are read by `citations.model` (a labeller and
the rules of `citation_text`); the whole citation stays in `Reference.raw` for Crossref's
bibliographic search.

Keys are unique within a file, since reports name references by key:
- a numbered item is keyed by its number as written ("12") — the first item with that number;
- an unnumbered item (bullet, paragraph, line) by its position among the items read ("1", "2"…),
  unless that is a number written elsewhere in the file or a key already given;
- any other item — an unnumbered one whose position is taken, a number used again (numbering
  that restarts under a new heading, or a number written twice in one list, which is also
  reported as I002) — gets the next number above every number written in the file and every
  key given so far. A course page with four bullets and then "1." "2." under another heading
  is keyed 3, 4, 5, 6, 1, 2.
"""

from __future__ import annotations

import re
from dataclasses import replace

from auditor import codes
from auditor.errors import InputError
from auditor.i18n import Said
from auditor.model import Finding, InputProblem, Reference, SourceLocation
from auditor.sources.base import SourceRead
from auditor.sources.bodies import names_someone
from auditor.sources.citation_text import (
    YEAR,
    Citation,
    broken_doi,
    dois_in,
    is_bookish,
    parse_title_first,
    split_sentences,
    strip_noise,
)
from auditor.sources.citations.model import read_both
from auditor.sources.isbn import find_labelled_isbn
from auditor.sources.list_items import (
    AUTHOR_START,
    BARE,
    MARKER,
    URL_ONLY,
    Item,
    is_id,
    split_items,
)
from auditor.sources.text_layout import clean_markdown, join_lines, looks_like_table

# What makes a line look like part of a reference list, for sniffing.
_SIGNAL = re.compile(
    rf"10\.\d{{4,9}}/\S|^\s*PMID\s*:?\s*\d{{1,9}}\b|\(\s*{YEAR}[a-z]?(?:-\d\d)*\s*\)"
    rf"|\b{YEAR}[a-z]?\s*;\s*\d|\bet al\b")


def read_reflist(text: str, file_name: str, listed: bool = False, prose_around: bool = False
                 ) -> SourceRead:
    """Every citation in a pasted list → a Reference (keyed as the module says); a numbered or
    citation-like item with no year, DOI or PMID → an I001 problem; headings, page furniture
    and prose are skipped. `listed`: the text is a document's reference list (under its
    References heading), so an item with a year is a reference even when nothing else in it
    looks like one ("An Author, A Reference (London: Publisher, 2014)"). `prose_around`: the
    text is a whole document's (no reference list was found in it), so a paragraph of several
    sentences is prose unless something in it marks a citation. A CSV/TSV table is an
    InputError: it is no pasted list."""
    if looks_like_table(text):
        raise InputError(Said("{name}: a CSV/TSV table (a header row of columns), not a pasted "
                           "reference list; export the references as RIS, BibTeX or "
                           "CSL-JSON", name=file_name))
    items = split_items(text)
    vocabulary = set(re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", text.lower()))
    read = SourceRead()
    keys = _Keys({int(item.number) for item in items if item.number})
    for item in items:
        if read.references and not item.marked and _DOCUMENT_NOTE.match(
                " ".join(item.lines).strip()):
            break  # "Document validé … le 12 mars 2024": what follows is about the document
        position = len(read.references) + len(read.problems) + 1
        reference = _reference(item, file_name, vocabulary,
                               read.references[-1] if read.references else None, listed,
                               prose_around)
        if isinstance(reference, InputProblem):
            read.problems.append(reference)
        elif reference is not None:
            key, repeated = keys.key(item, position)
            reference = replace(reference, key=key)
            if repeated:
                reference = _with_finding(reference, codes.DUPLICATE_KEY.make(
                    "number {number} is used more than once (also at line {line}); both are "
                    "kept, this one keyed {key}", number=item.number, line=repeated, key=key))
            read.references.append(reference)
    return read


class _Keys:
    """Unique keys: see the module docstring."""

    def __init__(self, written: set[int]) -> None:
        self.written = written
        self.used: set[str] = set()
        self.top = max(written, default=0)
        self.run: dict[str, int] = {}  # numbers of the current numbered list → their line

    def key(self, item: Item, position: int) -> tuple[str, int | None]:
        """The item's key, and the line where its number was written before in the same list."""
        repeated = None
        if item.number is not None:
            if item.after_heading:
                self.run = {}
            repeated = self.run.get(item.number)
            self.run.setdefault(item.number, item.line)
            wanted = item.number if item.number not in self.used else None
        else:
            wanted = str(position) if position not in self.written else None
        if wanted is None or wanted in self.used:
            self.top += 1
            while str(self.top) in self.used:
                self.top += 1
            wanted = str(self.top)
        self.used.add(wanted)
        return wanted, repeated


def looks_like_reflist(text: str) -> bool:
    """Content sniffing for stdin, .txt and .md: several lines that carry a DOI, a year in
    parentheses, a Vancouver `2016;387` or a numbered/author-led citation with a year; never
    BibTeX, RIS, PubMed MEDLINE, Web of Science, EndNote tagged, JSON or a CSV/TSV table."""
    head = text.lstrip("\ufeff \t\r\n")
    if (not head or re.match(r"[\[{]\s*[\[{\"]", head) or re.search(r"@\s*[A-Za-z]+\s*[{(]", head)
            or re.search(r"^(?:TY  -|PMID- |%0 |FN |PT [A-Z]\s*$)", head, re.MULTILINE)
            or looks_like_table(head[:50_000])):
        return False
    lines = [line for line in head.splitlines()[:500] if line.strip()]
    signals = sum(1 for line in lines if _SIGNAL.search(line) or (
        (MARKER.match(line) or BARE.match(line) or AUTHOR_START.match(line.strip()))
        and re.search(YEAR, line)))
    return signals >= min(2, len(lines)) and signals >= 0.2 * len(lines)


def _reference(item: Item, file_name: str, vocabulary: set[str],
               previous: Reference | None, listed: bool = False, prose_around: bool = False
               ) -> Reference | InputProblem | None:
    """One item → a Reference (its key is given by `read_reflist`), an I001 problem, or None
    for what is no citation: a heading, prose, a footer — a year or a link alone is not one."""
    where = SourceLocation(file_name, item.line)
    text, urls, italics = clean_markdown(join_lines(item.lines, vocabulary))
    raw = re.sub(r"\s+", " ", text).strip()
    if not raw:
        return None
    key = ""  # given by read_reflist
    found = dois_in(" ".join([raw, *urls]))
    # medRxiv's and bioRxiv's links add the version to the DOI ("…/10.1101/2021.02.03.2125v1"):
    # the DOI written out beside such a link is the one
    found = [d for d in found if not (re.search(r"v\d+$", d[0]) and any(
        d[0] == other + re.search(r"v\d+$", d[0]).group() for other, _ in found))] or found
    pmid = re.search(r"\bPMID\s*:?\s*(\d{1,9})\b", raw, re.IGNORECASE)
    isbn = find_labelled_isbn(raw)
    links = [u for u in re.findall(r"(?:https?://|www\.)\S+", raw) + urls
             if not re.search(r"(?:^|[/.])doi\.org/", u)]
    url = links[0].rstrip(".,;") if links else None
    bad = None if found else broken_doi(" ".join([raw, *urls]))
    if is_id(raw) and (found or bad):  # a bare DOI: the reference is just that
        findings = () if found else (codes.INVALID_DOI.make(
            "not a DOI of the form 10.NNNN/suffix: {written!r}; not looked up", written=bad),)
        return Reference(key, where, "", doi=found[0][0] if found else None,
                         doi_as_written=found[0][1] if found else bad, findings=findings, raw=raw)
    if URL_ONLY.match(raw):
        return Reference(key, where, "online", url=url, raw=raw)
    if not (found or bad) and any(_COURSE_LABEL.match(line.strip(" \t-*•"))
                                  for line in (raw, *item.lines)):
        return None
    core = strip_noise(raw)
    cited, ruled = _parse(item, core, italics)
    _mend(cited, core)
    # arXiv registers a DOI for every preprint (with DataCite): the work, when the citation
    # names no journal — one that does ("Phys Rev Lett 116 (2016) 211603 [arXiv:…]") cites
    # the published article, to be searched
    arxiv = None if found or (cited.container and (cited.volume or cited.pages)) else \
        _ARXIV.search(" ".join([raw, *urls]))
    if arxiv:
        found, bad = [(f"10.48550/arxiv.{arxiv.group(1).lower()}", arxiv.group(0))], None
    if not cited.authors and previous and re.match(r"^(?:[-—–_]{2,}\.?,?\s*)?\(", core):
        cited.authors = previous.authors  # "——— (1970):" and "(1970):": the same authors again
    # Several sentences make a citation of a pasted line ("Victora CG. Title. Lancet. 2016."),
    # not of a paragraph in a document's prose.
    sentences = 0 if prose_around else len(split_sentences(core))
    citation_like = bool(AUTHOR_START.match(core) or re.search(
        rf"\bet al\b|[“\"].{{10,}}[”\"]|\b{YEAR}\s*;\s*\d|\(\s*{YEAR}[a-z]?\)\s*[.:]?\s*"
        rf"[A-ZÀ-Þ“\"]", core)) or (
        sentences >= 3 and len(core.split()) >= 8)
    # Structure, not a date: names, a journal's volume and pages, a quoted title, a title
    # after "(2016)" — not "Reading List (2023/24)" or "… by guest on March 12, 2024".
    structured = bool(ruled.authors or ruled.journal_like or ruled.volume or ruled.pages
                      or (cited.authors and (cited.journal_like or cited.volume or cited.pages))
                      or re.search(rf"\bet al\b|[“\"].{{10,}}[”\"]|\b{YEAR}\s*;\s*\d"
                                   rf"|\(\s*{YEAR}[a-z]?\)[.,:]?\s+\S", core)) or (
        sentences >= 3 and len(core.split()) >= 8)
    if not (found or bad or pmid or isbn or structured) and _DOCUMENT_NOTE.match(core):
        return None
    if prose_around and not (found or bad or pmid or isbn or item.marked or citation_like
                             or any(map(names_someone, ruled.authors)) or (
            cited.container and (cited.volume or cited.pages))):
        return None  # a document's line of prose with a date ("Association fondée en 1998.")
    if url and not (found or bad or pmid or isbn or item.marked or structured or sentences > 1):
        return None
    if not (found or bad or pmid or isbn or url):
        if cited.year is None:
            if citation_like or (item.marked and len(core.split()) >= 3):
                return InputProblem(where, codes.UNREADABLE_ENTRY.make(
                    "no year, DOI or PMID found: not read as a reference"), raw)
            return None
        if not (structured or item.marked or listed):
            return None
    findings: list[Finding] = []
    if arxiv:
        findings.append(codes.DOI_FROM_ARXIV.make(
            "arXiv:{arxiv} has no DOI written; arXiv's DOI {doi} is used",
            arxiv=arxiv.group(1), doi=found[0][0]))
    if len(found) > 1:
        findings.append(codes.CONFLICTING_DOIS.make(
            "the citation holds several DOIs ({dois}); the first, {doi}, is used",
            dois=", ".join(d for d, _ in found), doi=found[0][0]))
    if bad:
        findings.append(codes.INVALID_DOI.make(
            "not a DOI of the form 10.NNNN/suffix: {written!r}; not looked up", written=bad))
    if not cited.title and not found:
        findings.append(codes.NO_TITLE.make(
            "no title could be told apart in the citation; it is searched as written"))
    bookish = is_bookish(raw, cited)
    entry_type = ("article" if cited.journal_like else "online" if _web_document(raw, url, bookish)
                  else "book" if bookish else "misc")
    return Reference(
        key=key, source=where, entry_type=entry_type, title=cited.title, authors=cited.authors,
        year=cited.year, container=cited.container, volume=cited.volume, issue=cited.issue,
        pages=cited.pages, publisher=cited.publisher, url=url,
        isbn=isbn,
        doi=found[0][0] if found else None,
        doi_as_written=found[0][1] if found else bad, findings=tuple(findings), raw=raw,
        pmid=pmid.group(1) if pmid else None)


# "arXiv:2010.00699v2", "arxiv.org/abs/2010.00699", "arXiv:hep-th/9901001": the identifier,
# without its version.
_ARXIV = re.compile(r"\barxiv(?::\s*|\.org/(?:abs|pdf)/)((?:\d{4}\.\d{4,5})|(?:[a-z-]+"
                    r"(?:\.[a-z]{2})?/\d{7}))(?:v\d+)?", re.IGNORECASE)
# A document cited from the web in Vancouver style: "[Internet]", or a link with the date it
# was read ("[cited 2024 Jan 10]", "accessed 12 March 2024").
_INTERNET = re.compile(r"\[\s*internet\s*\]|\[\s*en ligne\s*\]", re.IGNORECASE)
_READ_ON = re.compile(r"\[\s*(?:cited|accessed|updated|consulté)\b|\b(?:accessed|retrieved|"
                      r"consulté le)\b", re.IGNORECASE)


def _mend(cited: Citation, core: str) -> None:
    """Four misreadings of ISO 690 citations, put right: a journal left at the end of the title
    ("…effect. The Lancet. 2016, vol. 387"); a journal with its volume, issue and pages read as
    a publisher ("Maternal & Child Nutrition, 2017, vol. 13, n° 1, e12366"); the
    first word of a journal left at the title's end ("…infants. Cochrane" + "Database of
    Systematic Reviews"); a book's page count read as volume and pages ("Genève : OMS, 2018.
    52 p.") or as its pages ("160 p.")."""
    if re.fullmatch(r"\d+\s*p\.?", cited.pages or "") and re.search(
            r"\b\d+\s*p\.?(?:\s*ISBN[\s:]*[\d-]+[Xx]?\.?)?\s*$", core):
        cited.pages = None  # "Saint-Denis : HAS ; 2002. 160 p.": the book's count of pages
    if (cited.pages or "").rstrip(".") == "p" and re.search(
            r"\b\d+\s*p\.{0,2}(?:\s*ISBN[\s:]*[\d-]+[Xx]?\.?)?\s*$", core):
        cited.volume = cited.pages = None
        if cited.container and not cited.publisher:  # "Genève : OMS" is its publisher
            cited.container, cited.publisher, cited.journal_like = None, cited.container, False
    if not cited.container and cited.title and cited.volume and cited.pages:
        # ISO 690 "…lifelong effect. The Lancet. 2016, vol. 387": the journal ends the title
        cut = re.match(r"(.{20,}[.?!])\s+([A-Z][\w&'’ -]{2,80})$", cited.title)
        if cut and re.search(re.escape(cut.group(2)) + rf"[.,]\s*{YEAR}\s*,\s*vol\.", core):
            cited.title, cited.container = cut.group(1).rstrip("."), cut.group(2)
            cited.journal_like = True
            if cited.publisher and cited.publisher in cited.title:
                cited.publisher = None
    if not cited.container and cited.publisher and cited.volume and cited.pages:
        cited.container, cited.publisher, cited.journal_like = cited.publisher, None, True
    if cited.title and cited.container:
        cut = re.match(r"(.{20,}[.?!])\s+([A-Z][a-z]+)$", cited.title)
        if cut and f"{cut.group(2)} {cited.container}" in core:
            cited.title, cited.container = cut.group(1).rstrip("."), \
                f"{cut.group(2)} {cited.container}"


def _web_document(raw: str, url: str | None, bookish: bool) -> bool:
    """ "World Health Organization. Infant and young child feeding [Internet]. Geneva: WHO;
    2023 [cited 2024 Jan 10]. Available from: https://www.who.int/…" is a web document; a
    report with its place and publisher ("London: UNICEF UK. Available at: …pdf (Accessed …)")
    stays a report, read online or not."""
    return bool(_INTERNET.search(raw) or (url and _READ_ON.search(raw) and not bookish))


# What a course page or brochure says beside its references: "Trainer: A. Martin, IBCLC.",
# "Date: 12 March 2026", "Lieu : Lyon". An item with a line led by such a label (a course's
# title, then its trainer and date, read as one paragraph) is not a reference.
_COURSE_LABEL = re.compile(
    r"^(?:trainers?|format(?:eur|rice)s?|intervenant(?:e|s|es)?|speakers?|date|dates|"
    r"dur(?:ation|ée)|lieu|location|venue|price|prix|tarifs?|fees?|contact|e-?mail|t[ée]l(?:"
    r"[ée]phone)?|phone|public|audience|pr[ée]-?requis|prerequisites?|objecti(?:ves?|fs?)|"
    r"horaires?|schedule|registration|inscriptions?|organi[sz]er|organisateur|level|niveau|"
    r"session|module|mise à jour|mis à jour|dernière mise à jour|last updated|updated|"
    r"révision|revised|version|diffusion|distribution|rédaction|auteurs? du document)"
    r"\s*:\s*\S", re.IGNORECASE)
# A note on the document itself, dated: "Document validé par le comité pédagogique le 12 mars
# 2024", "Fiche relue en 2023", "Reviewed by the board, May 2024".
_DOCUMENT_NOTE = re.compile(
    r"^(?:(?:ce |le |la |cette )?(?:document|fiche|support|programme|liste|bibliographie)\s+)?"
    r"(?:validée?|relue?|révisée?|approuvée?|mise? à jour|actualisée?|rédigée?|updated|"
    r"reviewed|approved|validated|last revised)\b", re.IGNORECASE)


def _parse(item: Item, core: str, italics: list[str]) -> tuple[Citation, Citation]:
    """The fields of one item, and the rules' reading of it (citations/model.read_both); a
    title on its own line (Manubot/pandoc layout) is read so."""
    if len(item.lines) >= 2:
        first, second = item.lines[0].strip(), item.lines[1].strip()
        bold = re.fullmatch(r"(\*\*|__)(.+)\1", first)
        dated = re.search(rf"\({YEAR}-\d\d(?:-\d\d)?\)", second)
        if bold or (dated and not re.search(YEAR, first) and not first.endswith((",", "-"))):
            title = clean_markdown(bold.group(2) if bold else first)[0]
            byline = strip_noise(clean_markdown(second)[0])
            italic = next((i for i in italics if i in second), None)
            cited = parse_title_first(title, byline, italic)
            return cited, cited
    return read_both(core)


def _with_finding(reference: Reference, finding: Finding) -> Reference:
    return replace(reference, findings=(*reference.findings, finding))
