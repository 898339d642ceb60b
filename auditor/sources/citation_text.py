"""Parse one citation as pasted (Vancouver, AMA, APA, Harvard, Chicago author-date) into fields.

Heuristic and forgiving: what cannot be told apart is left empty, and the whole citation stays in
`Reference.raw` for Crossref's bibliographic search. Example: "Victora CG, Bahl R, Barros AJ, et
al. Breastfeeding in the 21st century: epidemiology, mechanisms, and lifelong effect. Lancet.
2016;387(10017):475-90." → authors ("Victora, CG", "Bahl, R", "Barros, AJ"), title "Breastfeeding
in the 21st century: …", container "Lancet", year 2016, volume 387, issue 10017, pages 475-90.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

from auditor.sources.bodies import FRENCH_BODY, ORG_KEYWORD, is_organisation, names_someone
from auditor.sources.doi import find_doi
from auditor.sources.isbn import LABELLED

YEAR = r"(?:1[6-9]|20)\d\d"
_UPPER, _LOWER = "A-ZÀ-ÖØ-Þ", "a-zß-öø-ÿ"
# Family-name particles written in lower case ("de Onis M", "van den Berg, A.").
_PARTICLES = {"van", "von", "de", "der", "den", "da", "das", "do", "dos", "del", "della", "di",
              "du", "la", "le", "ten", "ter", "el", "al", "bin", "y"}
_FAMILY = re.compile(rf"^[{_UPPER}][\w'’.\-]*$")
_INITIALS = re.compile(rf"^(?:[{_UPPER}]{{1,4}}|(?:[{_UPPER}][{_LOWER}]?\.\s?-?\s?){{1,3}}"
                       rf"[{_UPPER}][{_LOWER}]?\.?|[{_UPPER}][{_LOWER}]?\.)$")
_GIVEN = re.compile(rf"^(?:[{_UPPER}][{_LOWER}'’\-]+(?:-[{_UPPER}][{_LOWER}'’]+)*"
                    rf"|[{_UPPER}]\.?(?:-[{_UPPER}]\.?)?)$")  # "Jean-Pierre", "J.-P."
# "Family, Given" first, then "and"/"et"/"und"/"y" before the next "Family, Given".
_INVERTED_FIRST = re.compile(rf"[{_UPPER}][\w'’-]+(?: [\w'’-]+){{0,2}}, [{_UPPER}][{_LOWER}]")
_JOINED_INVERTED = re.compile(rf"\s+(?:and|et|und|y|e)\s+(?=[{_UPPER}][\w'’-]+"
                              rf"(?: [{_UPPER}][{_UPPER}'’-]+){{0,2}}, [{_UPPER}][{_LOWER}])")
_ET_AL = re.compile(r",?\s*\bet\s*al\b\.?|,?\s*(?:…|\.\.\.)\s*", re.IGNORECASE)
# Where a sentence ends: ". " "? " "! " (also after a closing quote) before a capital, digit,
# quote or bracket. Abbreviations that do not end a sentence are checked separately.
_SENTENCE_END = re.compile(r"(?<=[.?!])[\"”’']?\s+(?=[\w“\"‘'(\[])")
# Case matters: "Smith P. Title" ends the authors, "p. 12" does not end a sentence.
_ABBREVIATIONS = {"vs", "e.g", "i.e", "St", "Dr", "No", "Nos", "Vol", "vol", "ed", "eds", "edn",
                  "Ed", "Eds", "cf", "Fig", "Mr", "Mrs", "Ms", "Inc", "Ltd", "Jr", "Sr", "pp", "p",
                  "Suppl", "Pt"}
# Things that are not bibliographic fields: access notes, links, identifiers.
_NOISE = re.compile(
    r"\[(?:cited|accessed|updated|internet|epub ahead of print)[^\]]*\]"
    r"|\((?:accessed|cited|retrieved)[^)]*\)"
    r"|\b(?:available (?:from|at|online)|retrieved (?:\w+ \d+, \d{4}, )?from|accessed"
    r"(?: on)?(?: \d{1,2})? ?(?:[a-z]+\.? )?(?:\d{1,2},? )?(?:\d{4})?)\s*:?"
    r"|\bepub \d{4}(?: [a-z]{3}\.?(?: \d{1,2})?)?\.?"
    r"|https?://\S+|\bwww\.\S+|\bdoi\s*[:：]?\s*(?=10\.)|\b10\.\d{4,9}/\S+"
    r"|\bPMC?ID\s*:?\s*(?:PMC)?\d+|" + LABELLED.pattern
    + r"|[·•|]", re.IGNORECASE)
# "2016;387(10017):475-90", "2012 Mar;129(3):e827-41", "2012;(8):CD003517", "2020;15:71"
_VANCOUVER_DATE = re.compile(
    rf"^(?P<year>{YEAR})[a-z]?\b[^;:]{{0,24}}(?:;\s*(?P<vol>\d+[A-Za-z]?(?:\s*(?:Suppl|Pt)\s*\d*)?)?"
    r"\s*(?:\((?P<iss>[^)]{1,20})\))?\s*(?::\s*(?P<pages>[A-Za-z]{0,3}\d+[A-Za-z]?"
    r"(?:\s*[-–—]\s*[A-Za-z]{0,3}\d+[A-Za-z]?)?))?)?")
# "The Lancet, 387(10017), 475–490", "The Lancet 387 (10017): 475–90", "Int J, 15, 71",
# "Cochrane Database of Systematic Reviews, 2012(8), Article CD003517", "Econ, 11."
_JOURNAL = re.compile(
    r"^(?:[Ii]n:?\s+)?(?P<cont>[^\d(][^()]*?),?\s+(?P<vol>\d+[A-Za-z]?)\s*(?:\((?P<iss>[^)]{1,20})\))?"
    r"(?:\s*[,:]\s*(?:pp?\.\s*|Article\s+)?(?P<pages>[A-Za-z]{0,3}\d+[A-Za-z]?"
    r"(?:\s*[-–—]\s*[A-Za-z]{0,3}\d+[A-Za-z]?)?))?\s*(?:[.,;]|$)")
_PAGES_ONLY = re.compile(
    r"^(?:[Ii]n:?\s+)?(?P<cont>[^\d]+?),\s*pp?\.\s*(?P<pages>\d+\s*[-–—]\s*\d+)")
_EDITION = re.compile(r"\s*\(?\b\d+(?:st|nd|rd|th)\s+(?:ed|edn|edition)\b\.?\)?", re.I)
_PLACE_PUBLISHER = re.compile(
    rf"(?:^|\.\s)[{_UPPER}][\w .'’-]{{0,40}}(?:\s*\([A-Z]{{2}}\)|,\s*[A-Z]{{2}})?"  # "Geneva",
    rf"\s*:\s*(?P<pub>[^:;.]+?)\s*(?:[;,]\s*(?:{YEAR})|\.|$)")  # "Burlington (MA)", "London"
_PUBLISHER_WORDS = re.compile(
    r"\b(?:Press|Publish\w*|Publications|Learning|Elsevier|Wiley|Springer|Lippincott|Saunders|"
    r"Mosby|Livingstone|Routledge|Sage|Bartlett|Hill|Books|Verlag|Editions?)\b")
_YEAR_ANYWHERE = re.compile(rf"(?<![\d/.:-])({YEAR})(?![\d])")


@dataclass
class Citation:
    """The fields found in one citation; anything not found stays empty."""

    authors: tuple[str, ...] = ()
    year: int | None = None
    title: str | None = None
    container: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    publisher: str | None = None
    journal_like: bool = False


def split_sentences(text: str) -> list[str]:
    """Split at sentence ends, keeping "?" and "!" (which end many titles) and not splitting
    after an abbreviation such as "No." or "ed." ("et al." does end the authors)."""
    pieces, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        word = re.search(r"([\w.]+)\.$", text[max(start, match.start() - 12):match.start()])
        if word and word.group(1) in _ABBREVIATIONS:
            continue
        pieces.append(text[start:match.start()].strip())
        start = match.end()
    pieces.append(text[start:].strip())
    return [p.rstrip(". ").strip() if not p.endswith(("?", "!")) else p for p in pieces if p]


def _family_words(words: list[str]) -> bool:
    """`Victora`, `de Onis`, `Loret de Mola`, `Collard-Wexler`: capitalised words with a lower-case
    letter, or particles between them; or in capitals, as French lists write them (`VICTORA`,
    `LORET DE MOLA`), but not an organisation's acronym (`WHO`)."""
    return bool(words) and all(
        (_FAMILY.match(w) and re.search(f"[{_LOWER}]", w)) or w in _PARTICLES
        or (re.fullmatch(f"[{_UPPER}][{_UPPER}'’-]+", w) and not ORG_KEYWORD.fullmatch(w))
        for w in words
    ) and words[-1] not in _PARTICLES


def _natural_to_inverted(words: list[str]) -> str:
    """`Aluísio J. D. Barros` → `Barros, Aluísio J. D.`; particles go with the family name."""
    i = len(words) - 1
    while i > 1 and words[i - 1] in _PARTICLES:
        i -= 1
    return f"{' '.join(words[i:])}, {' '.join(words[:i])}"


def parse_authors(segment: str, natural_order: bool = False) -> tuple[str, ...] | None:
    """The names in an author segment as "Family, Given", or None when it is not one.

    Vancouver `Victora CG, Bahl R` → ("Victora, CG", "Bahl, R"); APA `Victora, C. G., & Bahl,
    R.` → ("Victora, C. G.", "Bahl, R."); Chicago `Victora, Cesar G., Rajiv Bahl, and …`;
    organisations (`World Health Organization`) stay whole. With `natural_order` every name
    is read as "Given Family" (`Joan Younger Meek` → `Meek, Joan Younger`)."""
    segment = _ET_AL.sub(", ", segment).strip(" ,;")
    # "& Barros", ", and M. Rysman", "R.A. and Lawrence" — not "Health and Social Care".
    segment = re.sub(r"\s*,?\s*&\s*|(?:\s*,|(?<=\b[A-Z]\.))\s*\band\s+", ", ", segment)
    # ISO 690 "MOSCA, Fabio et GIANNÌ, Maria Lorella": every name "Family, Given names".
    inverted = bool(_INVERTED_FIRST.match(segment) and _JOINED_INVERTED.search(segment))
    if inverted:
        segment = _JOINED_INVERTED.sub(", ", segment)
    pieces = [p.strip() for p in re.split(r"[;,]", segment) if p.strip()]
    if not pieces:
        return None
    inverted = inverted or _capitals_then_given(pieces)
    names: list[str] = []
    pending: tuple[str, str] | None = None  # a family name waiting for its initials
    alone: list[int] = []  # where a "family name" had no initials after it: "Travers Ching"
    natural = natural_order
    for given in [*pieces, ""]:
        piece = given if _INITIALS.match(given) else given.rstrip(".")
        piece = re.sub(r"^(?:for|on behalf of)(?: the)?\s+(?=[A-Z])", "", piece)  # "for X Group"
        words = piece.split()
        if pending is not None:
            family, extra = pending
            pending = None
            if piece and (_INITIALS.match(piece) or (not names and _chicago_given(family, words))
                          or (inverted and 0 < len(words) <= 3 and all(
                              _GIVEN.match(w) or _INITIALS.match(w) for w in words))):
                names.append(f"{family}, {given}{' ' + extra if extra else ''}")
                continue
            alone.append(len(names))
            names.append(family)
        if not piece:
            break
        if (ORG_KEYWORD.search(piece) and is_organisation(words, 20)) or FRENCH_BODY.match(
                piece):
            names.append(piece)  # "Lancet Breastfeeding Series Group", not a person
        elif inverted and _family_words(words) and len(words) <= 3:
            pending = (piece, "")  # "LORET DE MOLA" before "Christian", not Vancouver "MOLA"
        elif len(words) >= 2 and re.fullmatch(f"[{_UPPER}]{{1,4}}", words[-1]) and _family_words(
                words[:-1]):
            names.append(f"{' '.join(words[:-1])}, {words[-1]}")  # Vancouver "Victora CG"
        elif _family_words(words) and len(words) <= 3:
            # APA "Victora" before "C. G."; "A.Richter" (a space lost) → "Richter" + "A."
            glued = re.fullmatch(rf"((?:[{_UPPER}]\.)+)([{_UPPER}][{_LOWER}].*)", piece)
            pending = (glued.group(2), glued.group(1)) if glued else (piece, "")
        elif len(words) >= 2 and _family_words(words[-1:]) and all(
                _GIVEN.match(w) or re.fullmatch(r"(?:[A-Z]\.\s?-?)+", w) for w in words[:-1]):
            names.append(_natural_to_inverted(words))  # "M. Rysman", "Rajiv Bahl"
            natural = True
        elif is_organisation(words):
            names.append(piece)
        else:
            return None
    if natural:  # a list in natural order: "Travers Ching, Daniel S Himmelstein" → "Ching, Travers"
        for i in alone:
            words = names[i].split()
            if 2 <= len(words) <= 3 and _GIVEN.match(words[0]):
                names[i] = _natural_to_inverted(words)
    return tuple(names)


def _capitals_then_given(pieces: list[str]) -> bool:
    """ISO 690 "VICTORA, Cesar G., BAHL, Rajiv, BARROS, Aluísio J. D.": family names in
    capitals, each followed by its given names, two names at least."""
    pairs = len(pieces) // 2
    return pairs >= 2 and all(
        re.fullmatch(rf"[{_UPPER}][{_UPPER}'’\- ]+", pieces[2 * i])
        and pieces[2 * i + 1][:1].isupper() and not pieces[2 * i + 1].isupper()
        for i in range(pairs))


def _chicago_given(family: str, words: list[str]) -> bool:
    """Chicago inverts only the first author: `Victora, Cesar G.` or `Kramer, Michael` — one
    family word and given names ending in an initial (not "Travers Ching, Daniel S
    Himmelstein", two names in natural order)."""
    return (len([w for w in family.split() if w not in _PARTICLES]) == 1 and len(words) <= 3
            and all(_GIVEN.match(w) or _INITIALS.match(w) for w in words)
            and (len(words) == 1 or bool(re.fullmatch(f"[{_UPPER}]\\.?", words[-1]))))


def strip_noise(text: str) -> str:
    """The citation without links, identifiers and access notes, for field parsing."""
    text = _NOISE.sub(" ", text)
    text = re.sub(r"\s+([.,;:])", r"\1", re.sub(r"\s+", " ", text)).strip()
    text = re.sub(r"([.,;:])(?:\s+[.,;:])+", r"\1", text)  # "475-90. . ." once links are gone
    return text.strip(" ,;:")


def parse_citation(text: str) -> Citation:
    """Fields of one citation (identifiers already removed with `strip_noise`)."""
    for style in (_author_date, _vancouver):
        cited = style(text)
        if cited is not None:
            break
    else:  # pragma: no cover - _vancouver always answers
        cited = Citation()
    if cited.year is None:
        years = _YEAR_ANYWHERE.findall(_after_title(text, cited.title))
        years = years or _YEAR_ANYWHERE.findall(text)
        cited.year = int(years[0]) if years else None
    return cited


def parse_title_first(title: str, byline: str, italic: str | None) -> Citation:
    """The layout Manubot and pandoc-citeproc render: the title on its own line, then
    `Authors *Journal* (2018-04-03) <url>`; in plain text the journal is glued to the last
    author (`Michael L SmithPeerJ`), split at the first lower→upper case change that is not
    "Mc"/"Mac"."""
    date = re.search(rf"\(({YEAR})(?:-\d\d){{0,2}}\)", byline)
    names = byline[:date.start()] if date else byline
    container = None
    if italic and italic in names:
        names, container = names[:names.index(italic)], italic
    else:
        glued = next((m for m in re.finditer(r"(?<=[a-z])(?=[A-Z][a-z]{3,})", names)
                      if not re.search(r"\b(?:Mc|Mac)$", names[:m.start()])), None)
        if glued:
            names, container = names[:glued.start()], names[glued.start():].strip(" ,")
    return Citation(authors=parse_authors(names, natural_order=True) or (),
                    year=int(date.group(1)) if date else None,
                    title=title.strip().rstrip(".") or None, container=container or None,
                    journal_like=bool(container))


def _after_title(text: str, title: str | None) -> str:
    if title and title in text:
        return text[text.index(title) + len(title):]
    return text


def _author_date(text: str) -> Citation | None:
    """APA/Harvard `Authors (2016). Title. Journal, 387(10017), 475–490.`, Econometrica
    `Authors (2005): “Title,” Journal, 36(4), 771–788.`, Chicago/Harvard `Authors. 2016. “Title.”
    Journal 387 (10017): 475–90.` The year must follow a segment that reads as names."""
    match = re.search(rf"\(\s*({YEAR})[a-z]?(?:\s*[,/–-]\s*[^)]{{0,30}})?\s*\)"
                      r"|\((n\.\s?d\.|in press)\)", text, re.IGNORECASE)
    if match is None or match.start() > 400:
        match = re.search(rf"[.,]\s+({YEAR})[a-z]?[.,:]\s+", text)
        if match is None or match.start() > 400:
            return None
    before = text[:match.start()].strip(" ,;:")
    authors: tuple[str, ...] | None = ()
    if before and not re.fullmatch(r"[-—–_\s.]+", before):
        authors = parse_authors(before)
        if authors is None:
            return None
    year = int(match.group(1)) if match.group(1) else None
    rest = re.sub(r"\.\s*\.", ".", _EDITION.sub("", text[match.end():])).strip(" .,:;")
    cited = Citation(authors=authors, year=year)
    quoted = re.match(r"“(.+?)”|\"(.+?)\"|[‘'](.+?)[’'](?=\s*[,.:;]|$)", rest)
    if quoted:
        cited.title = next(g for g in quoted.groups() if g).strip().rstrip(",.")
        _container_and_numbers(cited, rest[quoted.end():].strip(" .,:;"))
        return cited
    sentences = split_sentences(rest)
    if not sentences:
        return cited
    # The title runs up to the sentence that reads as "Journal, 387(10017), 475–490"; it may
    # hold "? " or ". " itself ("What do women really want? Lessons for …").
    at = next((i for i in range(1, len(sentences)) if _journal(sentences[i])), 1)
    at = _abbreviation_start(sentences, at, 1)
    # "(4th ed.)" is gone already; "(Vital Statistics Rapid Release No. 20)" is not the title.
    cited.title = re.sub(r"\s*\([^()]*\d[^()]*\)$", "", " ".join(sentences[:at]))
    _container_and_numbers(cited, ". ".join(sentences[at:]))
    return cited


def _abbreviation_start(sentences: list[str], at: int, first: int) -> int:
    """Move back over one-word sentences that are a dotted journal abbreviation's pieces
    ("Manage. Sci., 49(11)" or "J. Hum. Lact. 2019"), keeping at least one title sentence."""
    while at - 1 >= first and re.fullmatch(
            rf"[{_UPPER}][{_LOWER}]{{0,7}}", sentences[at - 1]):
        at -= 1
    return at


def _journal(text: str) -> re.Match[str] | None:
    match = _PAGES_ONLY.match(text) or _JOURNAL.match(text)
    if match and not _PUBLISHER_WORDS.search(match.group("cont")) and not re.search(
            r"\b(?:working|discussion|meeting)\s+papers?\b", match.group("cont"), re.I):
        return match
    return None


def _container_and_numbers(cited: Citation, rest: str) -> None:
    """What follows an author-date title: a journal with volume/issue/pages, else a publisher."""
    journal = _journal(rest)
    if journal:
        fields = journal.groupdict()
        cited.container = fields["cont"].strip(" ,.")
        cited.volume, cited.issue = fields.get("vol"), fields.get("iss")
        cited.pages = fields.get("pages")
        cited.journal_like = bool(cited.volume or cited.pages)
        return
    _publisher(cited, rest)
    if cited.publisher is None and is_organisation(rest.split()):
        cited.publisher = rest  # APA: "… services. World Health Organization."


def _publisher(cited: Citation, rest: str) -> None:
    place = _PLACE_PUBLISHER.search(rest)
    if place:
        cited.publisher = place.group("pub").strip(" ,.")
    elif rest and _PUBLISHER_WORDS.search(rest):
        cited.publisher = next((s for s in split_sentences(rest) if _PUBLISHER_WORDS.search(s)),
                               rest).strip(" ,.")


def _vancouver(text: str) -> Citation:
    """Vancouver/AMA: `Authors. Title. Journal. 2016;387(10017):475-90.` or a book `Authors.
    Title. 8th ed. Philadelphia: Elsevier; 2016.`"""
    sentences = split_sentences(text)
    date_at = next((i for i, s in enumerate(sentences) if i and _VANCOUVER_DATE.match(s)
                    and (";" in s or re.fullmatch(rf"{YEAR}[a-z]?(?: \w+)*", s))), None)
    cited = Citation()
    authors = parse_authors(sentences[0]) if len(sentences) > 1 else None
    personal = authors and any(map(names_someone, authors))
    # An organisation as author needs a title and more after it (else "Human Milk Banking."
    # would be read as an author), unless it names itself one ("… Academy of …").
    enough = len(sentences) >= 3 and (date_at is None or date_at >= 3)
    start = 1 if authors and (personal or enough) else 0
    cited.authors = authors if start else ()
    if date_at is not None and date_at > start + 1:
        date = _VANCOUVER_DATE.match(sentences[date_at])
        assert date is not None
        at = _abbreviation_start(sentences, date_at - 1, start + 1)
        cited.title = _no_bracket(" ".join(sentences[start:at]))
        cited.container = _no_bracket(". ".join(sentences[at:date_at]))
        cited.year = int(date.group("year"))
        cited.volume, cited.issue = date.group("vol"), date.group("iss")
        cited.pages = date.group("pages")
        cited.journal_like = ";" in sentences[date_at]
        return cited
    if start < len(sentences):
        cited.title = _no_bracket(sentences[start])
    tail = ". ".join(sentences[start + 1:])
    inline = re.search(rf"(?:^|\. )(?P<cont>[^.;]+?)\.? (?P<date>{YEAR}\s*;.*)$", tail)
    date = _VANCOUVER_DATE.match(inline.group("date")) if inline else None
    if inline and date and ":" not in inline.group("cont"):  # "Pediatrics 2012;129:e827"
        cited.container, cited.year = inline.group("cont").strip(), int(date.group("year"))
        cited.volume, cited.issue, cited.pages = date.group("vol", "iss", "pages")
        cited.journal_like = True
        return cited
    _publisher(cited, tail)
    years = re.findall(rf";\s*({YEAR})\b", tail)
    cited.year = int(years[0]) if years else None
    return cited


def _no_bracket(text: str) -> str | None:
    """`Infant and young child feeding [Internet]` → without the bracket."""
    return re.sub(r"\s*\[[^\]]*\]$", "", text).strip() or None


def is_bookish(text: str, cited: Citation) -> bool:
    """A book: publisher, edition or ISBN, and no journal pattern."""
    return not cited.journal_like and bool(
        cited.publisher or _EDITION.search(text) or re.search(r"\bISBN\b", text, re.I))


def dois_in(text: str) -> list[tuple[str, str]]:
    """Every DOI in a citation as (normalised, as written), in order, each once: `doi:10.…`,
    `https://doi.org/…`, `dx.doi.org/…`, a bare `10.…` with its trailing punctuation dropped."""
    found: dict[str, str] = {}
    if re.search(r"%2[Ff]", text):
        text = unquote(text)
    for token in (t for t in text.split() if re.search(r"10\.\d{4,9}/.", t)):
        doi = find_doi(token)
        if doi and doi not in found:
            found[doi] = token.rstrip(".,;")
    return list(found.items())


def broken_doi(text: str) -> str | None:
    """A DOI-looking string that is not a DOI (`doi: 10.1542/`, `10.154/peds.2011`): it is
    reported rather than silently ignored."""
    for match in re.finditer(
            r"(?:\bdoi\s*[:：]?\s*|doi\.org/)(10\.\S*)|(?<![\w.])(10\.\d{1,3}/\S+)", text, re.I):
        written = (match.group(1) or match.group(2)).rstrip(".,;")
        if not find_doi(written):
            return written
    return None
