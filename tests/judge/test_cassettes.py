"""Verdicts on real recorded Crossref records (../shared/crossref-cassettes): each record is judged
as if a list cited it by DOI, and the verdicts must follow the rules of evidence.md."""

from __future__ import annotations

import datetime as dt

import pytest
from builders import found, make_reference
from recorded import CASSETTES, typed_works_by_doi

from auditor.config import Settings
from auditor.crossref.records import work_from_message
from auditor.judge import judge

SETTINGS = Settings(as_of=dt.date(2026, 11, 27))


def _recorded_messages():
    if not CASSETTES.is_dir():
        pytest.skip(f"{CASSETTES} is absent (shared material is not shipped to users)")
    return typed_works_by_doi()


@pytest.fixture(scope="module")
def verdicts():
    out = {}
    for doi, message in _recorded_messages().items():
        work = work_from_message(message)
        out[doi] = judge(make_reference(key=doi, doi=doi), found(work), SETTINGS)
    return out


def test_every_record_gets_a_kind_and_most_a_year(verdicts):
    assert len(verdicts) >= 500
    assert all(v.kind != "unknown" for v in verdicts.values())
    without_year = [d for d, v in verdicts.items() if v.year is None]
    assert without_year == []


def test_journal_articles_with_issn_are_peer_reviewed_unless_a_notice(verdicts):
    for doi, v in verdicts.items():
        if v.kind == "journal-article" and v.work.issn:
            assert v.peer_review in ("peer-reviewed", "not-peer-reviewed"), doi
            assert v.peer_review_reason


@pytest.mark.parametrize(("doi", "kind", "peer_review", "status"), [
    pytest.param("10.1371/journal.pone.0033693", "journal-article", "peer-reviewed", "corrected",
                 id="plos-corrected"),
    pytest.param("10.1101/055319", "preprint", "not-peer-reviewed", "ok", id="biorxiv"),
    pytest.param("10.2139/ssrn.5250900", "preprint", "not-peer-reviewed", "ok", id="ssrn"),
    pytest.param("10.14264/uql.2020.791", "thesis", "grey", "ok", id="dissertation"),
    pytest.param("10.1017/9781108348843", "book", "book", "ok", id="monograph"),
    pytest.param("10.1109/icdcsw.2003.1203662", "proceedings", "proceedings", "ok",
                 id="proceedings-null-issued"),
    pytest.param("10.2210/pdb4hhb/pdb", "dataset", "grey", "ok", id="dataset"),
    pytest.param("10.7554/elife.55167.sa2", "peer-review-report", "grey", "ok",
                 id="peer-review-report"),
    pytest.param("10.1107/s2059798318011506", "journal-article", "peer-reviewed", "ok",
                 id="iucr-asserted"),
    pytest.param("10.1371/journal.ppat.1008184", "journal-article", "peer-reviewed", "ok",
                 id="plos-self-new-version-is-not-an-update"),
    pytest.param("10.53731/ybhah-9jy85", "web", "grey", "ok", id="blog-post"),
])
def test_known_records(verdicts, doi, kind, peer_review, status):
    v = verdicts[doi]
    assert (v.kind, v.peer_review, v.status) == (kind, peer_review, status)


def test_asserted_review_is_named_as_the_signal(verdicts):
    reason = verdicts["10.1107/s2059798318011506"].peer_review_reason
    assert "the publisher states that it was peer reviewed" in reason


def test_dissertation_year_comes_from_approved(verdicts):
    assert verdicts["10.14264/uql.2020.791"].year == 2020
