"""The fast paths of the judges give exactly the answers of the plain ones: the rules searched
in lower-cased text match where re.IGNORECASE does, and the compiled SequenceMatcher gives
difflib's ratios."""

from __future__ import annotations

import difflib
import re
from xml.etree import ElementTree

import pytest
from conftest import SHARED

from auditor.data import Caseless, either, load_table
from auditor.judge import titles

# Written to exercise case: capitals, all-capital titles, accents, French, a Kelvin sign.
TITLES = [
    "Breastfeeding and Maternal Health Outcomes: A Systematic Review and Meta-Analysis",
    "A RANDOMIZED CONTROLLED TRIAL OF NIPPLE SHIELDS",
    "Non-randomised comparison of two cup-feeding methods",
    "Quasi-Randomized study of donor milk",
    "Allaitement maternel : revue systématique et méta-analyse",
    "Étude transversale sur l'allaitement en Île-de-France",
    "Recommandations de bonne pratique : allaitement maternel",
    "ABM Clinical Protocol #3: Supplementary Feedings in the Healthy Term Breastfed Neonate",
    "Position Statement of the Academy: Infant Feeding",
    "An International Delphi Consensus on Tongue-Tie",
    "Editorial: What Next for Human Milk Banks?",
    "Case Report: A Case of Mastitis in a 3-\u212aelvin Room",  # the Kelvin sign folds to k
    "Prospective COHORT Study of Breastfeeding Duration",
    "Cross–Sectional Survey of Lactation Consultants",
    "Adherence to Breastfeeding GUIDELINES: a cross-sectional survey",
    "Cochrane Database of Systematic Reviews",
    "THE COCHRANE DATABASE OF SYSTEMATIC REVIEWS",
]


def _rule_patterns() -> list[str]:
    """Every pattern of the evidence and peer-review tables."""
    found: list[str] = []

    def walk(value, key=""):
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str) and key in ("pattern", "unless", "patterns"):
            found.append(value)

    walk(load_table("evidence"))
    walk(load_table("peer_review"))
    return found


def _citations() -> list[str]:
    """Real citation strings (anystyle's labelled corpus), when ../shared is here."""
    path = SHARED / "corpus" / "citations" / "anystyle" / "core.xml"
    if not path.is_file():
        return []
    root = ElementTree.parse(path).getroot()
    return [" ".join("".join(sequence.itertext()).split()) for sequence in root.iter("sequence")]


def _same(pattern: str, texts: list[str]) -> list[str]:
    """The texts where Caseless and re.IGNORECASE disagree on what, or where, they match."""
    plain, fast = re.compile(pattern, re.IGNORECASE), Caseless(pattern)
    differ = []
    for text in texts:
        a, b = plain.search(text), fast.search(text)
        if (a and (a.span(), a.group(0))) != (b and (b.span(), b.group(0))):
            differ.append(text)
    return differ


def test_every_rule_matches_where_ignorecase_does():
    patterns = _rule_patterns()
    assert len(patterns) > 30  # the tables were read
    texts = TITLES + [t.lower() for t in TITLES] + [t.upper() for t in TITLES]
    assert {p: d for p in patterns if (d := _same(p, texts))} == {}
    joined = either(tuple(patterns))
    assert joined is not None
    assert _same(joined.any_case.pattern, texts) == []


def test_every_rule_matches_where_ignorecase_does_on_real_citations():
    citations = _citations()
    if not citations:
        pytest.skip("../shared/corpus is absent")
    patterns = _rule_patterns()
    assert {p: d[:3] for p in patterns if (d := _same(p, citations))} == {}


@pytest.mark.parametrize(("pattern", "text"), [
    (r"\bRCT\b", "an rct of cup feeding"),  # a capital in the rule
    (r"(?-i:rct)|\bmilk\b", "Human MILK"),  # flags set inside the rule
    (r"\bk\b", "3 \u212a"),  # the Kelvin sign is a capital K to IGNORECASE
    # in ASCII text, found by IGNORECASE only: letters taken for ASCII ones, capitals written
    # otherwise (found by the independent check)
    ("\u212a", "k"), ("\u017f", "s"), ("\u017ft", "ST"), ("\u0131", "i"), ("\u0130", "i"),
    (r"\x41", "a"), (r"\101", "a"), (r"\u0041", "a"),
    ("[@-`]", "a"), ("[!-_]", "x"), (r"[\x41-\x5a]", "q"), (r"(?i)x", "X"),
])
def test_a_rule_lower_case_cannot_stand_for_is_still_matched_regardless_of_case(pattern, text):
    assert Caseless(pattern).search(text) is not None
    assert _same(pattern, [text]) == []


def test_title_similarity_uses_difflibs_ratios():
    pairs = [(a.lower(), b.lower()) for a in TITLES for b in TITLES[::3]]
    for a, b in pairs:
        fast = titles.SequenceMatcher(None, a, b, autojunk=False)
        plain = difflib.SequenceMatcher(None, a, b, autojunk=False)
        assert (fast.ratio(), fast.quick_ratio(), fast.real_quick_ratio()) == \
            (plain.ratio(), plain.quick_ratio(), plain.real_quick_ratio())


@pytest.mark.parametrize(("pattern", "words"), [
    (r"\b(cohort|prospective)\b", {"cohort", "prospective"}),
    (r"\bcase[- ]control\b", {"control"}),  # the longer of the two fixed parts
    (r"(systematic )?review", {"review"}),  # an optional part is not needed
    (r"meta-?analysis", {"analysis"}),
    (r"(?<!non-)\brandomi[sz]ed", {"randomi"}),  # what is looked behind is not in the match
    (r"(ab)+c", {"ab"}),
    (r"[a-z]+ trial|\bdelphi\b", {" trial", "delphi"}),
])
def test_the_words_every_match_holds(pattern, words):
    from re import _parser

    from auditor.data.caseless import needed

    assert needed(_parser.parse(pattern)) == words


@pytest.mark.parametrize("pattern", [r"[a-z]+", r"(a|[bc])d?", r"\w{3,}"])
def test_a_pattern_without_fixed_words_is_searched_whole(pattern):
    from re import _parser

    from auditor.data.caseless import needed

    assert needed(_parser.parse(pattern)) is None
    assert Caseless(pattern).search("Some Cards").group(0) == \
        re.search(pattern, "Some Cards", re.IGNORECASE).group(0)
