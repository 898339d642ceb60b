"""One vocabulary: every word is defined once (auditor/vocabulary.py), every rule table in
auditor/data/ speaks it and leaves no row unreachable, every table that describes a word has a
row for each, and the code names the words instead of spelling them again."""

from __future__ import annotations

import ast
import dataclasses
import re
from enum import StrEnum
from pathlib import Path

import pytest

from auditor import vocabulary
from auditor.config import CONVERTERS, Settings
from auditor.data import load_table
from auditor.judge.peer_review import RULE_DECIDED_KINDS, by_kind
from auditor.judge.scorecard import PROBLEMS, UNREADABLE_ENTRIES, problem_of
from auditor.judge.updates import STATUS_RULES
from auditor.report.words import DESIGN_WORDS, KIND_WORDS, PEER_REVIEW_WORDS
from auditor.vocabulary import (
    NOTICE_STATUSES,
    Condition,
    Confidence,
    Design,
    Kind,
    PeerReview,
    Recommendation,
    Status,
)

PACKAGE = Path(__file__).resolve().parents[1] / "auditor"


def test_every_kind_the_kind_tables_give_is_a_kind():
    table = load_table("kinds")
    given = [*table["crossref"].values(), *table["crossref_subtype"].values(),
             *table["entry"].values()]
    assert sorted(set(given) - set(Kind)) == []


def test_every_datacite_type_becomes_a_crossref_type_the_kind_table_knows():
    table = load_table("kinds")
    assert set(table["datacite"].values()) <= set(table["crossref"])


def test_every_kind_has_one_peer_review_rule_and_no_row_is_unreachable():
    rows = set(by_kind())
    # The rules decide preprints and journal articles before the table is read: a row for them
    # would never be used (the `preprint` row of the first tables was such a row).
    assert rows & set(RULE_DECIDED_KINDS) == set()
    assert rows | set(RULE_DECIDED_KINDS) == set(Kind)
    assert {verdict for verdict, _ in by_kind().values()} <= set(PeerReview)


def _evidence_designs() -> set[str]:
    table = load_table("evidence")
    return {rule["design"] for section in ("pubmed_type", "mesh", "container", "title",
                                           "late_pubmed_type") for rule in table[section]}


def test_every_design_of_the_evidence_rules_is_a_design_and_every_design_is_reachable():
    designs = _evidence_designs()
    assert designs - set(Design) == set()
    # not-determined is what is left when no rule decides; every other design has a rule.
    assert set(Design) - designs - {Design.NOT_DETERMINED} == set()


def test_every_design_has_an_evidence_level_or_is_known_to_have_none():
    levels = load_table("evidence")["ocebm"]
    assert set(levels) <= set(Design)
    # A protocol has no results yet, and not-determined is no design: no OCEBM level.
    assert set(Design) - set(levels) == {Design.PROTOCOL, Design.NOT_DETERMINED}
    assert all(1 <= level <= 5 for level in levels.values())


def test_every_rule_confidence_and_recommendation_is_in_the_vocabulary():
    table = load_table("evidence")
    confidences = {rule["confidence"] for section in ("pubmed_type", "mesh", "container",
                                                      "title", "late_pubmed_type")
                   for rule in table[section]}
    assert confidences <= set(Confidence)
    recommendations = {r["type"] for r in table["recommendation"]["title"]} | set(
        table["recommendation"]["pubmed_types"].values())
    assert recommendations == set(Recommendation)


def test_every_status_a_notice_gives_has_its_rule_and_finding():
    assert list(STATUS_RULES) == list(NOTICE_STATUSES)  # in the order of severity
    assert [s for s in Status if s not in NOTICE_STATUSES] == [Status.OK]
    update_types = [t for rule in STATUS_RULES.values() for t in rule.update_types]
    assert len(update_types) == len(set(update_types))  # one status per Crossref update type


def test_every_policy_condition_names_a_scorecard_problem():
    assert {problem_of(c) for c in Condition} <= set(PROBLEMS) | {UNREADABLE_ENTRIES}


@pytest.mark.parametrize(("table", "vocabulary_word"), [
    pytest.param(KIND_WORDS, Kind, id="kinds"),
    pytest.param(DESIGN_WORDS, Design, id="designs"),
    pytest.param(PEER_REVIEW_WORDS, PeerReview, id="peer-review"),
])
def test_every_word_has_plain_words_for_the_reader(table, vocabulary_word):
    assert set(table) == set(vocabulary_word)


def test_every_setting_has_its_converter():
    settings = {f.name for f in dataclasses.fields(Settings)} - {"origins"}
    assert set(CONVERTERS) == settings


def test_the_words_are_spelt_once():
    values = [m.value for enum in vars(vocabulary).values()
              if isinstance(enum, type) and issubclass(enum, StrEnum) and enum is not StrEnum
              for m in enum]
    # A word may be another word's value (a condition is the status it names), never a new
    # spelling of it: each value is written once in vocabulary.py.
    source = (PACKAGE / "vocabulary.py").read_text("utf-8")
    spelt = re.findall(r'^    [A-Z_]+ = "([a-z-]+)"', source, re.MULTILINE)
    assert len(spelt) == len(set(spelt))
    assert set(spelt) == set(values)


# Modules that speak a format's or a registry's own vocabulary, which shares some words with
# ours: BibTeX/RIS/CSL entry types ("book", "report"), Crossref's and DataCite's work types
# ("journal-article"). There the words mean the format's, not ours.
FOREIGN = ("sources/", "crossref/records.py")
# Exact strings that are another vocabulary's key, not one of our words (file, text, why).
ALLOWED = {("crossref/pubmed.py", "error"),  # NCBI esearch's JSON error key
           ("config.py", "none"),  # a setting turned off: `min_recent_share = "none"`
           ("fixes/bibtex_edit.py", "none"), ("fixes/plan.py", "none"),  # Edit.action
           ("judge/evidence.py", "meta-analysis")}  # the English word in a finding's message
CODE = re.compile(r"^[IDRYPE]\d{3}$")


def _second_spellings() -> list[str]:
    words = {m.value for enum in vars(vocabulary).values()
             if isinstance(enum, type) and issubclass(enum, StrEnum) and enum is not StrEnum
             for m in enum}
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(PACKAGE).as_posix()
        if name in ("vocabulary.py", "codes.py"):
            continue
        tree = ast.parse(path.read_text("utf-8"))
        compared = {id(c) for node in ast.walk(tree) if isinstance(node, ast.Compare)
                    for side in (node.left, *node.comparators) for c in ast.walk(side)}
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                continue
            text = node.value
            if CODE.match(text):
                found.append(f"{name}:{node.lineno}: finding code {text!r}")
            elif (text in words and not name.startswith(FOREIGN)
                  and (name, text) not in ALLOWED and ("-" in text or id(node) in compared)):
                found.append(f"{name}:{node.lineno}: {text!r}")
    return found


def test_the_code_names_the_words_instead_of_spelling_them():
    # A kebab-case word anywhere, or any word in a comparison (`status == "ok"`), written as a
    # string outside vocabulary.py is a second spelling; so is a bare finding code.
    assert _second_spellings() == []
