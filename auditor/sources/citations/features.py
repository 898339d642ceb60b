"""What the labeller sees of each token: the word, its shape, the punctuation about it, where
it stands in the string and in its "sentence" — the kinds of features anystyle and GROBID give
their CRFs. A feature is a short string; the model weighs each one it saw in training."""

from __future__ import annotations

import re
from functools import lru_cache

from auditor.sources.citations.tokens import Token

_YEAR = re.compile(r"^(1[5-9]\d\d|20\d\d)[a-z]?$")
_ROMAN = re.compile(r"^(?=[ivxlcdm]+$)m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$",
                    re.IGNORECASE)
# Words that mark a field wherever they stand (lower case, without their dot).
_CUES = {
    "in": "in", "eds": "editors", "ed": "editors", "editor": "editors", "editors": "editors",
    "hrsg": "editors", "dir": "editors", "vol": "volume", "volume": "volume", "no": "number",
    "nr": "number", "issue": "number", "suppl": "supplement", "pp": "pages", "p": "pages",
    "pages": "pages", "s": "pages", "doi": "doi", "pmid": "pmid", "pmcid": "pmid",
    "isbn": "isbn", "available": "access", "accessed": "access", "cited": "access",
    "retrieved": "access", "consulté": "access", "internet": "access", "et": "etal",
    "al": "etal", "and": "and", "und": "and", "&": "and", "press": "publisher",
    "university": "publisher", "publishing": "publisher", "publishers": "publisher",
    "edn": "edition", "edition": "edition", "éd": "edition", "thesis": "thesis",
    "dissertation": "thesis", "report": "report", "journal": "journal", "proceedings": "journal",
    "conference": "journal", "rev": "journal", "review": "journal", "med": "journal",
}


def shape(word: str) -> str:
    """`Victora` → `Xx`, `CG` → `XX`, `2016` → `dddd`, `e827` → `xd`, `O'Brien` → `X'Xx`."""
    out = []
    for ch in word:
        kind = "X" if ch.isupper() else "x" if ch.isalpha() else "d" if ch.isdigit() else ch
        if not out or out[-1] != kind or kind == "d":
            out.append(kind)
    text = "".join(out)
    return text if len(text) <= 6 else text[:6]


@lru_cache(maxsize=1 << 16)
def _word(word: str, space_before: bool) -> tuple[tuple[str, ...], dict[int, tuple[str, ...]]]:
    """What a token says of itself (the same wherever it stands: worked out once per word),
    and what it tells its neighbours at each offset."""
    low = word.lower()
    own = [f"w={low}", f"shape={shape(word)}"]
    if space_before:
        own.append("space")
    near = {offset: tuple(f"{offset}:{f}" for f in own) for offset in (-2, -1, 1, 2)}
    feats = ["bias", *own]
    if len(word) > 3:
        feats += [f"pre3={low[:3]}", f"suf3={low[-3:]}"]
    if _YEAR.match(word):
        feats.append("year")
    if word.isdigit():
        feats.append(f"digits={min(len(word), 5)}")
    if word.isalpha() and word.isupper():
        feats.append("upper" if len(word) > 1 else "initial")
    if _ROMAN.match(word) and word.isupper():
        feats.append("roman")
    if "/" in word:
        feats.append("doi" if re.match(r"(?:doi:\s?)?10\.", low) else "url")
    cue = _CUES.get(low.rstrip("."))
    if cue:
        feats.append(f"cue={cue}")
    return tuple(feats), near


def token_features(tokens: list[Token]) -> list[list[str]]:
    """One list of feature strings per token."""
    n = len(tokens)
    words = [_word(t.text, t.space_before) for t in tokens]
    rows: list[list[str]] = []
    sentence = 0  # ". " seen so far: the field order of Vancouver and APA
    colon = 0
    opened = 0
    words_in_sentence = 0
    for i, token in enumerate(tokens):
        word = token.text
        low = word.lower()
        feats = list(words[i][0])
        feats.append(f"pos={min(int(10 * i / max(n, 1)), 9)}")
        feats.append(f"sentence={min(sentence, 6)}")
        feats.append(f"colon={min(colon, 3)}")
        feats.append(f"in-word={min(words_in_sentence, 4)}")
        if opened:
            feats.append("in-brackets")
        if i == 0:
            feats.append("first")
        if i == n - 1:
            feats.append("last")
        for offset in (-2, -1, 1, 2):
            j = i + offset
            if 0 <= j < n:
                feats += words[j][1][offset]
            else:
                feats.append(f"{offset}:none")
        if i > 0:
            feats.append(f"bigram={tokens[i - 1].text.lower()}|{low}")
            if _YEAR.match(tokens[i - 1].text):
                feats.append("-1:year")
        rows.append(feats)
        # the position counters move after the token
        if word == "." and i + 1 < n and tokens[i + 1].space_before and (
                i == 0 or len(tokens[i - 1].text) > 1 or not tokens[i - 1].text.isupper()):
            sentence += 1
            words_in_sentence = 0
        elif word[0].isalnum():
            words_in_sentence += 1
        if word == ":":
            colon += 1
        if word in "([":
            opened += 1
        elif word in ")]" and opened:
            opened -= 1
    return rows
