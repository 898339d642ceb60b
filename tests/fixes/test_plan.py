"""The planner's rules, each on a hand-built verdict and a dict of fields: no file, no network."""

from __future__ import annotations

import datetime as dt

import pytest
from builders import found, make_reference, make_work

from auditor.config import Settings
from auditor.fixes.plan import (
    EntryFields,
    clean_doi,
    literal,
    notice_sentence,
    plan_fixes,
    published_versions,
)
from auditor.judge import judge
from auditor.judge.matching import Candidate, MatchOutcome
from auditor.model import Lookup, Update

SETTINGS = Settings(as_of=dt.date(2026, 11, 27))
JOURNAL = {"ISSN": ["1234-5678"], "container-title": ["J"], "title": ["A study"]}
RETRACTION = {"updated-by": [
    {"DOI": "10.1234/notice", "type": "retraction", "source": "retraction-watch",
     "updated": {"date-parts": [[2020, 3, 1]]}},
    {"DOI": "10.1234/notice", "type": "retraction", "source": "publisher",
     "updated": {"date-parts": [[2020, 3, 1]]}}]}
PREPRINT = {"type": "posted-content", "subtype": "preprint",
            "relation": {"is-preprint-of": [{"id-type": "doi", "id": "10.7717/PeerJ.3811",
                                             "asserted-by": "subject"}]}}


def verified(key="a", doi="10.1234/a", **message):
    ref = make_reference(key=key, doi=doi.lower(), doi_as_written=doi, title="A study")
    return judge(ref, found(make_work(DOI=doi.lower(), **{**JOURNAL, **message})), SETTINGS)


def matched(key="m", confidence="high", **message):
    """A reference without DOI that the search matched, with the confidence asked for."""
    work = make_work(DOI="10.1234/found", **{**JOURNAL, **message})
    agreed = ("title", "author", "year", "container") if confidence == "high" else (
        "title", "author", "year")
    similarity = 1.0 if confidence == "high" else 0.9
    ref = make_reference(key=key, title="A study")
    return judge(ref, None, SETTINGS, MatchOutcome(Candidate(work, similarity, agreed, ())))


def entry(key="a", line=1, **fields):
    return EntryFields(key, line, {"title": "{A study}", **fields})


def kinds(edits):
    return [(e.kind, e.field, e.value) for e in edits]


# -- rule 1: a DOI found by search --------------------------------------------------------------

def test_a_high_confidence_match_adds_its_doi():
    edits = plan_fixes([matched()], [entry("m")])
    assert kinds(edits) == [("add-doi", "doi", "10.1234/found")]
    assert edits[0].message == "added doi 10.1234/found (found by search, high confidence)"
    assert edits[0].action == "add"


def test_a_medium_match_is_only_reported_unless_the_bar_is_lowered():
    verdict = matched(confidence="medium")
    assert verdict.match.confidence == "medium"
    edits = plan_fixes([verdict], [entry("m")])
    assert kinds(edits) == [("skipped", None, None)]
    assert "--min-confidence medium" in edits[0].message
    lowered = plan_fixes([verdict], [entry("m")], min_confidence="medium")
    assert kinds(lowered) == [("add-doi", "doi", "10.1234/found")]


def test_a_match_never_overwrites_a_doi_field_the_user_wrote():
    verdict = matched()
    edits = plan_fixes([verdict], [entry("m", doi="{10.12/short}")])
    assert [e.kind for e in edits] == ["skipped"]
    assert "not a valid DOI" in edits[0].message


def test_an_unknown_confidence_setting_is_refused():
    with pytest.raises(ValueError, match="min_confidence"):
        plan_fixes([], [], min_confidence="certain")


# -- rule 2: DOI normalisation ------------------------------------------------------------------

@pytest.mark.parametrize(("written", "clean"), [
    ("https://doi.org/10.1136/BMJ.m1", "10.1136/BMJ.m1"),
    ("http://dx.doi.org/10.1136/BMJ.m1", "10.1136/BMJ.m1"),
    ("doi:10.1136/BMJ.m1", "10.1136/BMJ.m1"),
    ("DOI: 10.1136/BMJ.m1.", "10.1136/BMJ.m1"),
    (" 10.1136/BMJ.m1 ", "10.1136/BMJ.m1"),
    ("https://doi.org/10.1016/S0140-6736(15)01024-7", "10.1016/S0140-6736(15)01024-7"),
    ("10.1016/S0140-6736(15)01024-7).", "10.1016/S0140-6736(15)01024-7"),
    ("https://doi.org/10.1000%2FAbc?utm=x#top", "10.1000/Abc"),
    ("https://onlinelibrary.wiley.com/doi/full/10.1111/APA.13147", "10.1111/APA.13147"),
    ("10.1000/a\\_b", "10.1000/a\\_b"),  # a LaTeX escape is the user's: kept
])
def test_clean_doi_keeps_the_dois_own_case(written, clean):
    assert clean_doi(written) == clean


@pytest.mark.parametrize("written", ["{10.1234/x}", "10.1234/x 10.1234/y", "not a doi",
                                     "10.12/short"])
def test_clean_doi_refuses_what_it_cannot_reduce(written):
    assert clean_doi(written) is None


def test_a_doi_url_is_normalised_in_its_own_case():
    edits = plan_fixes([verified(doi="10.1136/BMJ.m1")],
                       [entry(doi="{https://doi.org/10.1136/BMJ.m1}")])
    assert kinds(edits) == [("normalise-doi", "doi", "10.1136/BMJ.m1")]
    assert edits[0].action == "replace"
    assert edits[0].message == "normalised doi https://doi.org/10.1136/BMJ.m1 → 10.1136/BMJ.m1"


def test_normalisation_needs_no_verdict():
    """An unchecked or unaudited entry still gets its DOI field cleaned: it is text only."""
    edits = plan_fixes([], [entry(doi='"doi:10.1234/X."')])
    assert kinds(edits) == [("normalise-doi", "doi", "10.1234/X")]


def test_a_clean_doi_macro_or_invalid_doi_is_left_alone():
    assert plan_fixes([], [entry(doi="{10.1136/BMJ.m1}")]) == []
    assert plan_fixes([], [entry(doi="mydoi")]) == []  # a @string macro: not ours
    edits = plan_fixes([], [entry(doi="{10.12/short}")])
    assert [e.kind for e in edits] == ["skipped"]
    assert edits[0].message.startswith("not changed: doi '10.12/short' is not a valid DOI")


def test_a_field_with_several_dois_is_reported_not_rewritten():
    edits = plan_fixes([], [entry(doi="{10.1234/x; 10.1234/y}")])
    assert [e.kind for e in edits] == ["skipped"]
    assert "several DOIs" in edits[0].message


# -- rules 3–5: notes ---------------------------------------------------------------------------

def test_a_retraction_is_noted_with_the_notice_doi_and_date():
    edits = plan_fixes([verified(**RETRACTION)], [entry(doi="{10.1234/a}")])
    assert kinds(edits) == [("mark-retracted", "note", "Retracted: see the retraction notice "
                             "doi:10.1234/notice (recorded 2020-03-01)")]
    assert edits[0].message.startswith("marked retracted in note: Retracted: see")


def test_a_withdrawal_is_noted_too():
    message = {"updated-by": [{"DOI": "10.1234/w", "type": "withdrawal", "source": "publisher"}]}
    edits = plan_fixes([verified(**message)], [entry(doi="{10.1234/a}")])
    assert kinds(edits) == [("mark-withdrawn", "note",
                             "Withdrawn: see the withdrawal notice doi:10.1234/w")]


def test_a_correction_is_not_noted():
    message = {"updated-by": [{"DOI": "10.1234/c", "type": "correction", "source": "publisher"}]}
    assert plan_fixes([verified(**message)], [entry(doi="{10.1234/a}")]) == []


def test_the_note_goes_to_addendum_when_note_is_taken_and_nowhere_when_both_are():
    with_note = entry(doi="{10.1234/a}", note="{Cited for its figure 2}")
    assert kinds(plan_fixes([verified(**RETRACTION)], [with_note]))[0][:2] == (
        "mark-retracted", "addendum")
    full = entry(doi="{10.1234/a}", note="{x}", addendum="{y}")
    edits = plan_fixes([verified(**RETRACTION)], [full])
    assert [e.kind for e in edits] == ["skipped"]
    assert "note and addendum are both taken" in edits[0].message


def test_a_note_already_naming_the_notice_is_not_added_again():
    fixed = entry(doi="{10.1234/a}",
                  note="{Retracted: see the retraction notice doi:10.1234/NOTICE}")
    assert plan_fixes([verified(**RETRACTION)], [fixed]) == []


def test_a_doi_with_latex_specials_is_escaped_in_the_note():
    message = {"updated-by": [{"DOI": "10.1234/n_1", "type": "retraction", "source": "publisher"}]}
    edits = plan_fixes([verified(**message)], [entry(doi="{10.1234/a}")])
    assert edits[0].value == "Retracted: see the retraction notice doi:10.1234/n\\_1"
    again = entry(doi="{10.1234/a}", note="{" + edits[0].value + "}")
    assert plan_fixes([verified(**message)], [again]) == []


def test_a_notice_without_doi_is_still_noted():
    notice = Update("retraction", None, "pubmed", None)
    assert notice_sentence("retracted", notice) == (
        "Retracted: a retraction is recorded by PubMed, with no notice DOI")


def test_a_preprint_gets_its_version_of_record_and_a_note():
    edits = plan_fixes([verified(key="p", doi="10.1101/055319", **PREPRINT)],
                       [entry("p", doi="{10.1101/055319}")])
    assert kinds(edits) == [
        ("version-of-record", "versionofrecord", "10.7717/peerj.3811"),
        ("note-version-of-record", "note", "Preprint; version of record: doi:10.7717/peerj.3811")]
    assert edits[0].message == "version of record 10.7717/peerj.3811: added versionofrecord"


def test_a_preprint_already_pointing_at_its_version_is_left_alone():
    done = entry("p", doi="{10.1101/055319}", versionofrecord="{10.7717/PEERJ.3811}")
    assert plan_fixes([verified(key="p", doi="10.1101/055319", **PREPRINT)], [done]) == []
    other = entry("p", doi="{10.1101/055319}", versionofrecord="{10.9/else}")
    edits = plan_fixes([verified(key="p", doi="10.1101/055319", **PREPRINT)], [other])
    assert [e.kind for e in edits] == ["skipped"]
    assert "already says {10.9/else}" in edits[0].message


def test_a_retracted_preprint_gets_both_notes_note_then_addendum():
    verdict = verified(key="p", doi="10.1101/055319", **PREPRINT, **RETRACTION)
    edits = plan_fixes([verdict], [entry("p", doi="{10.1101/055319}")])
    assert [(e.kind, e.field) for e in edits] == [
        ("mark-retracted", "note"), ("version-of-record", "versionofrecord"),
        ("note-version-of-record", "addendum")]


def test_a_matched_work_is_noted_only_when_its_doi_is_added():
    high = matched(**RETRACTION)
    assert [e.kind for e in plan_fixes([high], [entry("m")])] == ["add-doi", "mark-retracted"]
    medium = matched(confidence="medium", **RETRACTION)
    assert [e.kind for e in plan_fixes([medium], [entry("m")])] == ["skipped"]


@pytest.mark.parametrize("lookup", [
    Lookup("10.1234/a", "unchecked", reason="timeout"), Lookup("10.1234/a", "not-found")])
def test_no_record_no_note(lookup):
    ref = make_reference(key="a", doi="10.1234/a", doi_as_written="10.1234/a", title="A study")
    assert plan_fixes([judge(ref, lookup, SETTINGS)], [entry(doi="{10.1234/a}")]) == []


def test_a_mismatched_doi_gets_no_note_from_the_wrong_record():
    ref = make_reference(key="a", doi="10.1234/a", doi_as_written="10.1234/a",
                         title="Something else entirely about lactation", year=2001)
    verdict = judge(ref, found(make_work(DOI="10.1234/a", **{**JOURNAL, **RETRACTION})), SETTINGS)
    assert verdict.resolution == "mismatch"
    assert plan_fixes([verdict], [entry(doi="{10.1234/a}")]) == []


# -- matching verdicts to entries ---------------------------------------------------------------

def test_verdicts_are_matched_by_line_and_key_and_file():
    first = verified(key="dup", doi="10.1234/a", **RETRACTION)
    entries = [EntryFields("dup", 1, {"doi": "{10.1234/a}"}), EntryFields("dup", 9, {})]
    edits = plan_fixes([first], entries)
    assert [(e.line, e.kind) for e in edits] == [(1, "mark-retracted")]
    assert plan_fixes([first], entries, file="other.bib") == []


def test_an_entry_that_cannot_be_edited_safely_is_reported():
    stuck = EntryFields("a", 1, {"doi": "{doi:10.1234/a}"}, editable=False)
    edits = plan_fixes([], [stuck])
    assert [e.kind for e in edits] == ["skipped"]
    assert "could not be located safely" in edits[0].message


def test_published_versions_skips_a_version_already_in_the_list():
    preprint = verified(key="p", doi="10.1101/055319", **PREPRINT)
    entries = [entry("p", doi="{10.1101/055319}")]
    assert [(e.key, doi) for e, doi in published_versions([preprint], entries)] == [
        ("p", "10.7717/peerj.3811")]
    entries.append(EntryFields("peerj", 9, {"doi": "{https://doi.org/10.7717/PEERJ.3811}"}))
    assert published_versions([preprint], entries) == []


@pytest.mark.parametrize(("written", "text"), [
    ("{A {B} c}", "A {B} c"), ('"A {"} b"', 'A {"} b'), ("2020", "2020"),
    ("j # {x}", None), ("jan", None), ("{a} # {b}", None), ('"a" # "b"', None)])
def test_literal_values(written, text):
    assert literal(written) == text


# -- after an independent check ---------------------------------------------------------------

def test_a_doi_only_in_howpublished_becomes_a_doi_field_before_any_note():
    from auditor import codes

    ref = make_reference(key="h", doi="10.1021/am300292v", title="A study",
                         findings=(codes.DOI_FROM_FIELD.make(
                             "DOI 10.1021/am300292v taken from the howpublished field"),))
    verdict = judge(ref, found(make_work(DOI="10.1021/am300292v", **{**JOURNAL, **RETRACTION})),
                    SETTINGS)
    edits = plan_fixes([verdict], [entry("h", howpublished="{https://doi.org/10.1021/am300292v}")])
    # the doi field comes first: the note naming the notice's DOI is then prose, not the DOI
    assert kinds(edits)[0] == ("add-doi", "doi", "10.1021/am300292v")
    assert "howpublished" in edits[0].message
    assert [e.kind for e in edits][1] == "mark-retracted"


def test_a_crossref_parent_gets_no_field_its_children_would_inherit():
    parent = matched(key="proc")
    edits = plan_fixes([parent], [entry("proc"), entry("talk", line=9, crossref="{proc}")])
    assert [e.kind for e in edits] == ["skipped"]
    assert "crossref/xdata parent of talk" in edits[0].message
