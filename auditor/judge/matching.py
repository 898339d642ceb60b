"""Does a registry record describe the cited work? Search-based matching with validation.

Crossref's search ranks candidates by relevance, not by truth (its `score` is not a confidence):
without validation, precision on structured references falls to 65 % (crossref.md). So each
candidate is checked field by field against the citation — title, first author, year (±1 for
print/online), container (full or abbreviated), volume, issue, first page — and accepted only
when the title agrees and enough independent fields agree with it. Example: the citation
"Kramer MS, Kakuma R. Optimal duration of exclusive breastfeeding. Cochrane Database Syst Rev.
2012" agrees with 10.1002/14651858.cd003517.pub2 on title, author, year and container.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from auditor.i18n import LIST_ITEMS, N_, Figure, Phrase, Said, joined
from auditor.judge.kind import kind_from_entry, kind_from_work
from auditor.judge.titles import STOPWORDS, normalize_title, title_similarity
from auditor.model import Reference, Work
from auditor.vocabulary import Confidence, Kind

TITLE_AGREES = 0.85
# How the finding of a search that got no answer begins (its reason follows).
SEARCH_UNANSWERED = "the search got no answer: "
TITLE_NEAR = 0.5  # below this a candidate is not even worth showing as a suggestion
# The fields that name a journal article without its title (a citation cut short by the PDF).
IDENTIFYING = frozenset({"author", "year", "container", "volume", "page"})
# The fields a candidate is checked on, in words.
FIELD_WORDS = {"title": N_("title"), "author": N_("author"), "year": N_("year"),
               "container": N_("journal"), "volume": N_("volume"), "issue": N_("issue"),
               "page": N_("pages")}


@dataclass(frozen=True)
class Candidate:
    """One registry record checked against one citation."""

    work: Work
    title_similarity: float
    agreed: tuple[str, ...]
    disagreed: tuple[str, ...]
    title_cut: bool = False  # the cited title is the record's, cut short (or absent)

    @property
    def accepted(self) -> bool:
        """Title plus two independent fields, or a near-identical title plus one; or, for a
        title the PDF cut short or the citation left out, everything else: author, year,
        journal, volume and first page together name one article."""
        if "title" not in self.agreed:
            return (self.title_cut and set(self.agreed) >= IDENTIFYING
                    and not self.disagreed_beyond_title)
        if "volume" in self.disagreed and self._volume_misread:
            return True
        if "page" in self.disagreed and self._page_misread:
            return True
        if "volume" in self.disagreed or "page" in self.disagreed:
            return False  # another edition, volume or part of the same work
        others = [f for f in self.agreed if f != "title"]
        if self.disagreed and ("author" in self.disagreed or "year" in self.disagreed):
            # A clash on author or year needs overwhelming agreement elsewhere.
            return len(others) >= 3 and self.title_similarity >= 0.95
        return len(others) >= 2 or (self.title_similarity >= 0.95 and len(others) >= 1)

    @property
    def _volume_misread(self) -> bool:
        """The same title, first author, year, journal and first page, only the volume (or
        issue) apart: the citation's volume was misread or mistyped ("141, 1–2" read as
        volume 2), not another work — an erratum or a later part has pages of its own. With no
        journal read, the very same title, author, year and first page stand for it."""
        agreed = set(self.agreed)
        return set(self.disagreed) <= {"volume", "issue"} and (
            (self.title_similarity >= 0.95 and agreed >= IDENTIFYING - {"volume"})
            or (self.title_similarity >= 0.99 and agreed >= {"author", "year", "page"}))

    @property
    def _page_misread(self) -> bool:
        """A journal article with the very same title, first author, year and journal (and
        volume, when both give one), only the first page apart: the pages were misread ("141,
        1–2 (2009): 129–138" read as pages 1–2). An erratum of the same title would sit in
        another volume, and the article itself, agreeing on its page too, would rank above it.
        Not for a book's chapters: two editions share title, author and book but not pages."""
        return (kind_from_work(self.work) is Kind.JOURNAL_ARTICLE
                and set(self.disagreed) <= {"page", "issue"} and self.title_similarity >= 0.99
                and set(self.agreed) >= {"author", "year", "container"})

    @property
    def disagreed_beyond_title(self) -> bool:
        return any(f != "title" for f in self.disagreed)

    @property
    def confidence(self) -> Confidence:
        others = len([f for f in self.agreed if f != "title"])
        if self.title_similarity >= 0.95 and others >= 3 and not self.disagreed:
            return Confidence.HIGH
        return Confidence.MEDIUM if others >= 2 else Confidence.LOW

    def describe(self) -> str:
        """`10.1/x ('Title', 2016; title similarity 0.97; agree: author, year)`, its words in
        the reader's language when shown."""
        agree = joined([Phrase(FIELD_WORDS[f]) for f in self.agreed], LIST_ITEMS) \
            or Phrase(N_("none"))
        said = Said("{doi} ({title}, {year}; title similarity {score}; agree: {agree})",
                    doi=self.work.doi, title=repr(self.work.title), year=str(self.work.year),
                    score=Figure(self.title_similarity), agree=agree)
        if self.disagreed:
            said = Said("{doi} ({title}, {year}; title similarity {score}; agree: {agree}; "
                        "differ: {differ})", doi=self.work.doi, title=repr(self.work.title),
                        year=str(self.work.year), score=Figure(self.title_similarity),
                        agree=agree, differ=joined([Phrase(FIELD_WORDS[f])
                                                    for f in self.disagreed], LIST_ITEMS))
        return said


def _fold(text: str) -> str:
    if text.isascii():  # no accent to take off
        return text.lower()
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


def _surname(name: str) -> str:
    name = _fold(name.split(",")[0] if "," in name else (name.split() or [""])[-1])
    return re.sub(r"[^a-z]", "", name)


# Particles of compound family names ("Loret de Mola", "van der Berg"): not a name on their own.
_PARTICLES = frozenset({"d", "da", "das", "de", "del", "della", "den", "der", "des", "di",
                        "do", "dos", "du", "e", "el", "la", "le", "les", "van", "von", "y",
                        "and", "for", "of", "the", "et"})


def _name_parts(family: str) -> set[str]:
    """The words of a family name or an organisation's name, folded, particles left out:
    "Peyton Jones" → {peyton, jones}; "LORET DE MOLA" → {loret, mola}."""
    return {w for w in re.findall(r"[a-z]+", _fold(family)) if w not in _PARTICLES
            and len(w) > 1}


def _same_family(cited: str, registered: str) -> bool:
    """A compound family name cited by one of its parts ("Peyton" or "Jones" for "Peyton
    Jones"), or an organisation by one of its words, is the same first author."""
    return bool(_name_parts(cited) & _name_parts(registered)) or \
        _surname(cited) == re.sub(r"[^a-z]", "", _fold(registered))


def _before_title(reference: Reference) -> set[str] | None:
    """The words of the pasted citation before its title — where its authors are — folded, or
    None when the title's first three words are not found in it."""
    if not (reference.raw and reference.title):
        return None
    words = re.findall(r"[a-z]+", _fold(reference.raw))
    opening = re.findall(r"[a-z]+", _fold(reference.title))[:3]
    for start in range(1, len(words) - len(opening) + 1):
        if opening and words[start:start + len(opening)] == opening:
            return set(words[:start])
    return None


def container_agrees(cited: str, registered: list[str]) -> bool:
    """`J Nutr` or `J. Nutr.` agrees with `The Journal of Nutrition`; `Lancet` with `The Lancet`:
    every cited word must be a prefix of the registered words, in order (ISO 4 abbreviations)."""
    cited_words = [w for w in re.findall(r"[a-z0-9]+", _fold(cited)) if w not in STOPWORDS]
    if not cited_words:
        return False
    for name in registered:
        words = [w for w in re.findall(r"[a-z0-9]+", _fold(name)) if w not in STOPWORDS]
        if cited_words == words:
            return True
        position = 0
        for word in cited_words:
            while position < len(words) and not _abbreviates(word, words[position]):
                position += 1
            if position == len(words):
                break
            position += 1
        else:
            if len(cited_words) >= max(1, len(words) - 1):
                return True
    return False


def _abbreviates(cited: str, word: str) -> bool:
    """ISO 4 abbreviations: a prefix (`Pediatr` of `pediatrics`), or, for contractions, the same
    first letter and every letter in order (`Natl` of `national`, `Assoc` of `association`,
    `Bldg`); single letters only as prefixes."""
    if word.startswith(cited):
        return True
    if len(cited) < 3 or cited[0] != word[0] or len(cited) >= len(word):
        return False
    letters = iter(word)
    return all(letter in letters for letter in cited)


def _first_page(pages: str | None) -> str | None:
    if not pages:
        return None
    match = re.match(r"\s*([A-Za-z]*\d+)", pages)
    return match.group(1).lower() if match else None


def check_candidate(reference: Reference, work: Work) -> Candidate:
    """Compare a citation with a record, field by field (fields the citation lacks are skipped)."""
    agreed: list[str] = []
    disagreed: list[str] = []

    def judge(name: str, outcome: bool | None) -> None:
        if outcome is True:
            agreed.append(name)
        elif outcome is False:
            disagreed.append(name)

    similarity = 0.0
    titles = ()
    if work.title:
        full = work.title if not work.subtitle else f"{work.title}: {work.subtitle}"
        titles = tuple(dict.fromkeys((work.title, full, *work.other_titles)))
    if reference.title and titles:
        for title in titles:
            similarity = max(similarity, title_similarity(reference.title, title))
            if similarity == 1.0:
                break
    raw = normalize_title(reference.raw) if reference.raw else ""
    if raw and titles and similarity < TITLE_AGREES:
        # The record's whole title is in the pasted citation (the labeller read it as
        # something else): as good as the same title when long, a weaker sign when short.
        similarity = max(similarity, *(_contains_title(raw, title) for title in titles))
    if titles and (reference.title or raw):
        judge("title", similarity >= TITLE_AGREES)
    cut = not reference.title or any(_cut_short(reference.title, t) for t in titles)
    if reference.first_author_family and work.authors:
        cited = reference.first_author_family
        same = any(_same_family(cited, a) for a in work.authors[:3])
        if not same and (before := _before_title(reference)) is not None:
            # The labeller misread the authors ("Irmtraud Schnell: ErziehungsHilfe! Kinder…"
            # read as author "ErziehungsHilfe!"): the record's first author among the words
            # that come before the title.
            same = bool(_name_parts(work.authors[0]) & before)
        judge("author", True if same else False if _name_parts(cited) else None)
    elif raw and work.authors:
        # A pasted citation whose authors could not be parsed: the record's first author's
        # surname among its words.
        judge("author", _surname(work.authors[0]) in raw.split() or None)
    years = {y for y in (work.year, work.print_year, work.online_year) if y}
    if reference.year:
        judge("year", any(abs(reference.year - y) <= 1 for y in years) if years else None)
    elif raw and years:
        cited_years = {int(y) for y in re.findall(r"\b(1[6-9]\d\d|20\d\d)\b", raw)}
        judge("year", any(abs(c - y) <= 1 for c in cited_years for y in years) or None)
    if reference.container:
        names = [n for n in (work.container, work.short_container) if n]
        judge("container", container_agrees(reference.container, names) if names else None)
    if reference.volume and work.volume:
        judge("volume", reference.volume.strip().lower() == work.volume.strip().lower())
    if reference.issue and work.issue:
        judge("issue", reference.issue.strip().lower() == work.issue.strip().lower())
    cited_page, registered_page = _first_page(reference.pages), _first_page(work.page)
    if cited_page and registered_page:
        judge("page", cited_page == registered_page)
    return Candidate(work, similarity, tuple(agreed), tuple(disagreed), cut)


def _cut_short(cited: str, title: str) -> bool:
    """"Alpha-synuclein binds large unilamellar" of "Alpha-synuclein binds large unilamellar
    vesicles as an extended helix": the record's title, cut after three words or more (a PDF's
    line or column end)."""
    cited_words, words = normalize_title(cited).split(), normalize_title(title).split()
    return 3 <= len(cited_words) < len(words) and words[:len(cited_words) - 1] == \
        cited_words[:-1] and words[len(cited_words) - 1].startswith(cited_words[-1])


def _contains_title(raw: str, title: str) -> float:
    """How far the normalised title appearing whole in the normalised citation text stands for
    it: 0.95 with four content words or more, 0.9 ("The architecture of the climate network",
    needing two more fields to agree) with three among five words or more, else 0."""
    wanted = normalize_title(title)
    words = [w for w in wanted.split() if w not in STOPWORDS]
    if len(words) < 3 or f" {wanted} " not in f" {raw} ":
        return 0.0
    return 0.95 if len(words) >= 4 else 0.9 if len(wanted.split()) >= 5 else 0.0


def best_match(reference: Reference, works: list[Work]) -> tuple[Candidate | None,
                                                                 Candidate | None]:
    """(accepted match, near miss): the best accepted candidate, else the closest one worth
    showing as a suggestion (never applied)."""
    checked = sorted((check_candidate(reference, w) for w in works),
                     key=lambda c: (c.accepted, len(c.agreed) - len(c.disagreed),
                                    c.title_similarity), reverse=True)
    if not checked:
        return None, None
    best = checked[0]
    if best.accepted:
        rival = checked[1] if len(checked) > 1 else None
        if rival is not None and rival.accepted and rival.work.doi != best.work.doi and (
                set(rival.agreed), round(rival.title_similarity, 3)) == (
                set(best.agreed), round(best.title_similarity, 3)):
            return None, best  # two records fit equally well: not ours to choose
        return best, None
    return None, best if best.title_similarity >= TITLE_NEAR else None


def bibliographic_query(reference: Reference) -> str | None:
    """The whole citation as one string, as Crossref advises for `query.bibliographic`: the
    citation as pasted when the list gave only text, else built from its fields."""
    if reference.raw:
        text = re.sub(r"https?://\S+|\bdoi:\s*\S+", " ", reference.raw, flags=re.IGNORECASE)
        text = re.sub(r"\s+", " ", text).strip()
        return text[:400] if len(normalize_title(text).split()) >= 4 else None
    if not reference.title:
        return None
    parts = [", ".join(reference.authors[:3]), reference.title, reference.container,
             str(reference.year) if reference.year else None, reference.volume,
             reference.pages]
    text = ". ".join(p.strip().rstrip(".") for p in parts if p and p.strip())
    return normalize_title(text) and re.sub(r"\s+", " ", text).strip()[:400]


def worth_searching(reference: Reference) -> bool:
    """Worth a search: a title and an author or a year (or a pasted citation of some length),
    and not a web page."""
    if kind_from_entry(reference) == Kind.WEB:
        return False
    if reference.raw:
        return bibliographic_query(reference) is not None
    return bool(reference.title and (reference.authors or reference.year))


def search_text(reference: Reference) -> str:
    """What a local index is searched by: the title, else the whole citation."""
    return reference.title or bibliographic_query(reference) or ""


@dataclass(frozen=True)
class MatchOutcome:
    """What searching for one citation gave: an accepted match, a near miss, or no answer."""

    accepted: Candidate | None = None
    near: Candidate | None = None
    unchecked: str | None = None


def match_outcome(reference: Reference, works: list[Work] | None, unchecked: str | None = None
                  ) -> MatchOutcome:
    """Validate the search's candidates for one citation (`works` None: no answer came)."""
    if works is None:
        return MatchOutcome(unchecked=unchecked or "no answer")
    accepted, near = best_match(reference, works)
    return MatchOutcome(accepted, near)
