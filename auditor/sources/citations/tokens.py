"""A citation string cut into the tokens the parser labels: words, numbers and single
punctuation marks, with URLs and DOIs kept whole — "Lancet. 2016;387(10017):475-90." is
`Lancet . 2016 ; 387 ( 10017 ) : 475 - 90 .`, each token knowing where it stands and whether
a space came before it."""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(
    r"(?:https?://|www\.)[^\s<>\"]+"  # a URL, whole
    r"|(?:doi:\s?)?10\.\d{4,9}/[^\s<>\"]+"  # a DOI, whole
    r"|\w+(?:['’]\w+)*"  # a word or a number ("l'enfant", "O'Brien", "21st")
    r"|[^\w\s]",  # one punctuation mark
    re.IGNORECASE)
_TRAILING = ".,;:)]"


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int
    space_before: bool


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        value = match.group(0)
        if "/" in value:
            # a URL or DOI ends before the sentence's own punctuation
            while end - start > 1 and text[end - 1] in _TRAILING and not (
                    text[end - 1] == ")" and "(" in text[start:end - 1]):
                end -= 1
            value = text[start:end]
        tokens.append(Token(value, start, end, start > 0 and text[start - 1].isspace()))
        if end != match.end():  # the punctuation cut from a URL, as tokens of its own
            for offset in range(end, match.end()):
                tokens.append(Token(text[offset], offset, offset + 1, False))
    return tokens
