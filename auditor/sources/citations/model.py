"""The trained labeller that ships with the package (auditor/data/citations.crfsuite), opened
once, on first use: a list without pasted citations never pays for it."""

from __future__ import annotations

import threading
from functools import cache
from pathlib import Path

from auditor.sources.citation_text import Citation, parse_citation
from auditor.sources.citations.features import token_features
from auditor.sources.citations.fields import (
    agree,
    combined,
    complete,
    misread_colon,
    plausible,
    title_holds,
    to_citation,
    volume_and_issue,
)
from auditor.sources.citations.tokens import tokenize

MODEL = Path(__file__).resolve().parents[2] / "data" / "citations.crfsuite"
_ONE_AT_A_TIME = threading.Lock()  # a crfsuite tagger holds the string it is labelling


def _tagger(path: Path | None = None):  # -> pycrfsuite.Tagger | None
    return _open(path or MODEL)


@cache
def _open(path: Path):  # -> pycrfsuite.Tagger | None
    """The tagger, or None when the model or the library is missing (the rules then read)."""
    try:
        import pycrfsuite
    except ImportError:
        return None
    if not path.exists():
        return None
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    return tagger


def available() -> bool:
    return _tagger() is not None


def label(text: str, path: Path | None = None) -> tuple[list, list[str]]:
    """The tokens of `text` and their labels ([] when no model can be had)."""
    tagger = _tagger(path)
    tokens = tokenize(text)
    if tagger is None or not tokens:
        return tokens, []
    features = token_features(tokens)
    with _ONE_AT_A_TIME:
        return tokens, tagger.tag(features)


def read_labelled(text: str, path: Path | None = None) -> Citation | None:
    """The fields of one citation string as the labeller reads them; None without a model."""
    tokens, labels = label(text, path)
    if not labels:
        return None
    return to_citation(text, tokens, labels)


def read(text: str) -> Citation:
    """The fields of one citation string (identifiers already removed, as for the rules)."""
    return read_both(text)[0]


def _supplement_apart(cited: Citation) -> Citation:
    """ "2013;20 Suppl 2:S29-48": volume 20, issue Suppl 2."""
    if cited.volume and not cited.issue and "suppl" in cited.volume.lower():
        cited.volume, cited.issue = volume_and_issue(cited.volume)
    return cited


def read_both(text: str) -> tuple[Citation, Citation]:
    """(what is read, what the rules read) of one citation string: the rules' reading when it
    is whole — personal authors, a title, a year and a journal with its numbers or a
    publisher — and the labeller reads the same first author and title, or nothing in it
    looks misread; else the labeller's, combined with what the rules found
    (citations/fields.combined); the rules alone without a model. The rules' own reading is
    handed back too: whether a line is a citation at all stays theirs to say."""
    ruled = _supplement_apart(parse_citation(text))
    labelled = read_labelled(text)
    if labelled is None:
        return ruled, ruled
    whole = complete(ruled) and not misread_colon(labelled, ruled)
    if whole and agree(labelled, ruled):
        return ruled, ruled
    read = combined(text, labelled, ruled)
    if read.container and read.title and read.authors and read.title in read.container and (
            read.container.startswith(read.authors[0])):
        read.container = None  # "Santé publique France. Allaitement maternel": its byline
    if read.container and read.title and read.container.startswith(read.title + ".") and (
            rest := read.container[len(read.title) + 1:].strip()):
        read.container = rest  # "…essai randomisé. Santé publique": the title, then the journal
    if whole and plausible(ruled):
        # who wrote it and what it is called: the rules' (tuned on real lists); where it
        # was published: the labeller's unless misread
        read.authors, read.title, read.year = ruled.authors, ruled.title, ruled.year
        if title_holds(read.title, read.container):  # the title's words taken for a journal
            read.container, read.publisher = ruled.container, ruled.publisher
            read.journal_like = ruled.journal_like
    return read, ruled
