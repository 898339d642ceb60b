"""Labelled strings written from work records in the styles health bibliographies use, to teach
the labeller what the annotated corpora hold little of: anystyle's and GROBID's strings come
mostly from the humanities, physics and computer science, where "Lancet. 2016;387(10017):475-90."
and "VICTORA CG, BAHL R." are rare.

Training only (scripts/train_citation_model.py); the auditor never writes citations. Each style
is written with the variations real lists show (issue left out, month in the date, "et al." after
3 or 6 names, a DOI or PMID after the citation), so that no one template is learnt by heart.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable
from typing import Any

from auditor.sources.citations.corpora import Labelled
from auditor.sources.citations.labels import Label

Piece = tuple[str, Label | None]
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_DASH = "–"


def labelled(pieces: Iterable[Piece], origin: str) -> Labelled:
    """Pieces of text with their labels → one Labelled string."""
    text, spans = "", []
    for piece, label in pieces:
        if label is not None and piece.strip():
            spans.append((len(text), len(text) + len(piece), label))
        text += piece
    return Labelled(text, tuple(spans), origin)


class Work:
    """What a style needs of a Crossref work record."""

    def __init__(self, message: dict[str, Any]) -> None:
        self.authors = [(a["family"], a.get("given", "")) for a in message.get("author", [])
                        if a.get("family")]
        self.title = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", message["title"][0])).strip()
        self.journal = (message.get("container-title") or [""])[0]
        self.abbrev = (message.get("short-container-title") or [self.journal])[0]
        parts = (message.get("issued") or {}).get("date-parts") or [[None]]
        self.year = parts[0][0]
        self.month = parts[0][1] if len(parts[0]) > 1 else None
        self.volume = message.get("volume")
        self.issue = message.get("issue")
        self.pages = (message.get("page") or "").replace("--", "-")
        self.doi = message.get("DOI")

    @property
    def usable(self) -> bool:
        return bool(self.authors and self.title and self.journal and self.year
                    and len(self.title.split()) >= 3)


def initials(given: str, dots: bool, space: bool = True) -> str:
    letters = [w[0].upper() for w in re.split(r"[\s.-]+", given) if w and w[0].isalpha()]
    if not dots:
        return "".join(letters)
    return (" " if space else "").join(f"{c}." for c in letters)


def short_range(pages: str) -> str:
    """`475-490` → `475-90`, as Vancouver writes it."""
    m = re.fullmatch(r"([A-Za-z]?)(\d+)-[A-Za-z]?(\d+)", pages)
    if not m or len(m.group(2)) != len(m.group(3)):
        return pages
    a, b = m.group(2), m.group(3)
    i = 0
    while i < len(a) - 1 and a[i] == b[i]:
        i += 1
    return f"{m.group(1)}{a}-{b[i:]}"


def _cut(work: Work, limit: int, rng: random.Random) -> tuple[list[tuple[str, str]], bool]:
    if len(work.authors) > limit:
        keep = rng.choice([1, 3, limit]) if limit > 3 else 1
        return work.authors[:keep], True
    return work.authors, False


def _tail(work: Work, rng: random.Random) -> list[Piece]:
    """What often follows the citation: its DOI, its PMID."""
    out: list[Piece] = []
    if work.doi and rng.random() < 0.35:
        out += [(" ", None), (rng.choice(["doi: ", "doi:", "DOI: ", "https://doi.org/"]), None)]
        out[-1] = (out[-1][0] + work.doi, Label.DOI)
    if rng.random() < 0.15:
        out += [(" ", None), (f"PMID: {rng.randrange(10**7, 4 * 10**7)}", Label.IDENTIFIER)]
    return out


def _numbers(work: Work, rng: random.Random, issue_share: float, spaced: bool = False
             ) -> str:
    volume = work.volume or ""
    if work.issue and rng.random() < issue_share:
        volume += (" " if spaced else "") + f"({work.issue})"
    return volume


def vancouver(work: Work, rng: random.Random, capitals: bool = False) -> list[Piece]:
    names, cut = _cut(work, 6, rng)
    family = (lambda f: f.upper()) if capitals else (lambda f: f)
    authors = ", ".join(f"{family(f)} {initials(g, False)}".strip() for f, g in names)
    authors += (", et al." if cut else ".")
    date = str(work.year)
    if work.month and rng.random() < 0.3:
        date += f" {_MONTHS[work.month - 1]}"
    spaced = capitals and rng.random() < 0.6
    pieces: list[Piece] = [(authors, Label.AUTHOR), (" ", None), (work.title + ".", Label.TITLE),
                           (" ", None), (work.abbrev + ".", Label.CONTAINER), (" ", None),
                           (date, Label.DATE), (" ; " if spaced else ";", None)]
    if work.volume:
        pieces.append((_numbers(work, rng, 0.85, spaced), Label.VOLUME))
    if work.pages:
        pieces += [(" : " if spaced else ":", None), (short_range(work.pages) if rng.random() < 0.6
                                                      else work.pages, Label.PAGES)]
    pieces.append((".", None))
    return pieces + _tail(work, rng)


def bmc(work: Work, rng: random.Random) -> list[Piece]:
    names, cut = _cut(work, 10, rng)
    authors = ", ".join(f"{f} {initials(g, False)}".strip() for f, g in names)
    authors += ", et al" if cut else ""
    pieces: list[Piece] = [(authors, Label.AUTHOR), (": ", None), (work.title + ".", Label.TITLE),
                           (" ", None), (work.abbrev, Label.CONTAINER), (" ", None),
                           (str(work.year), Label.DATE)]
    if work.volume:
        pieces += [(", ", None), (_numbers(work, rng, 0.4), Label.VOLUME)]
    if work.pages:
        pieces += [(":", None), (work.pages, Label.PAGES)]
    return [*pieces, (".", None), *_tail(work, rng)]


def apa(work: Work, rng: random.Random) -> list[Piece]:
    names = [f"{f}, {initials(g, True)}".strip(", ") for f, g in work.authors[:20]]
    authors = names[0] if len(names) == 1 else ", ".join(names[:-1]) + ", & " + names[-1]
    pieces: list[Piece] = [(authors, Label.AUTHOR), (" ", None), (f"({work.year}).", Label.DATE),
                           (" ", None), (work.title + ".", Label.TITLE), (" ", None),
                           (work.journal, Label.CONTAINER)]
    if work.volume:
        pieces += [(", ", None), (_numbers(work, rng, 0.9), Label.VOLUME)]
    if work.pages:
        pieces += [(", ", None), (work.pages.replace("-", _DASH), Label.PAGES)]
    pieces.append((".", None))
    if work.doi and rng.random() < 0.7:
        pieces += [(" ", None), (f"https://doi.org/{work.doi}", Label.DOI)]
    return pieces


def harvard(work: Work, rng: random.Random) -> list[Piece]:
    names = [f"{f}, {initials(g, True, space=False)}".strip(", ") for f, g in work.authors]
    if len(names) > 3:
        authors = f"{names[0]} et al."
    else:
        authors = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    quote = rng.choice(["'", "‘", ""])
    close = {"'": "'", "‘": "’", "": ""}[quote]
    pieces: list[Piece] = [(authors, Label.AUTHOR), (" ", None), (f"({work.year})", Label.DATE),
                           (" ", None), (f"{quote}{work.title}{close},", Label.TITLE),
                           (" ", None), (work.journal, Label.CONTAINER)]
    if work.volume:
        pieces += [(", ", None), (_numbers(work, rng, 0.8), Label.VOLUME)]
    if work.pages:
        pieces += [(", ", None), ("pp. " + work.pages.replace("-", _DASH), Label.PAGES)]
    return [*pieces, (".", None)]


def nature(work: Work, rng: random.Random) -> list[Piece]:
    """`Victora, C. G. et al. Title. Lancet 387, 475–490 (2016).`"""
    names, cut = _cut(work, 5, rng)
    authors = ", ".join(f"{f}, {initials(g, True)}".strip(", ") for f, g in names)
    authors += " et al." if cut else "."
    pieces: list[Piece] = [(authors, Label.AUTHOR), (" ", None), (work.title + ".", Label.TITLE),
                           (" ", None), (work.abbrev, Label.CONTAINER)]
    if work.volume:
        pieces += [(" ", None), (work.volume + ",", Label.VOLUME)]
    if work.pages:
        pieces += [(" ", None), (work.pages.replace("-", _DASH), Label.PAGES)]
    return [*pieces, (" ", None), (f"({work.year}).", Label.DATE), *_tail(work, rng)]


def iso690(work: Work, rng: random.Random) -> list[Piece]:
    """`VICTORA, C.G., BAHL, R. Title. The Lancet, 2016, vol. 387, n° 10017, p. 475-490.`"""
    names = [f"{f.upper()}, {initials(g, True, space=False)}".strip(", ")
             for f, g in work.authors[:3]]
    authors = ", ".join(names) + (", et al." if len(work.authors) > 3 else ".")
    pieces: list[Piece] = [(authors, Label.AUTHOR), (" ", None), (work.title + ".", Label.TITLE),
                           (" ", None), (work.journal, Label.CONTAINER), (", ", None),
                           (str(work.year), Label.DATE)]
    if work.volume:
        pieces += [(", ", None), (f"vol. {work.volume}", Label.VOLUME)]
        if work.issue:
            pieces += [(", ", None), (f"{rng.choice(['n°', 'no', 'n°'])} {work.issue}",
                                      Label.VOLUME)]
    if work.pages:
        pieces += [(", ", None), (f"p. {work.pages}", Label.PAGES)]
    return [*pieces, (".", None)]


STYLES: dict[str, Callable[[Work, random.Random], list[Piece]]] = {
    "vancouver": vancouver, "capitals": lambda w, r: vancouver(w, r, capitals=True),
    "bmc": bmc, "apa": apa, "harvard": harvard, "nature": nature, "iso690": iso690,
}


def styled(messages: Iterable[dict[str, Any]], seed: int = 7, per_work: int = 2
           ) -> list[Labelled]:
    """`per_work` strings of each usable journal article, in styles drawn at random."""
    rng = random.Random(seed)
    out: list[Labelled] = []
    names = sorted(STYLES)
    for message in messages:
        if message.get("type") != "journal-article" or not message.get("title"):
            continue
        work = Work(message)
        if not work.usable:
            continue
        for style in rng.sample(names, per_work):
            out.append(labelled(STYLES[style](work, rng), f"styled/{style}/{work.doi}"))
    return out
