import pytest
from builders import make_work

from auditor.judge.updates import judge_status

P = pytest.param
DOI = "10.1021/am300292v"


def notice(type_, doi="10.1021/acsami.9b11759", source="retraction-watch", date=(2019, 7, 26)):
    return {"DOI": doi, "type": type_, "source": source, "label": type_.title(),
            "updated": {"date-parts": [list(date)]}}


@pytest.mark.parametrize(("updated_by", "status", "codes"), [
    P([], "ok", [], id="no-updates"),
    P([notice("retraction")], "retracted", ["R001"], id="retraction-watch-retraction"),
    P([notice("withdrawal")], "withdrawn", ["R002"], id="withdrawal"),
    P([notice("removal")], "removed", ["R003"], id="removal"),
    P([notice("partial_retraction")], "partially-retracted", ["R004"], id="partial"),
    P([notice("expression_of_concern")], "expression-of-concern", ["R005"], id="eoc"),
    P([notice("correction", "10.1021/c1", "publisher")], "corrected", ["R006"], id="correction"),
    P([notice("erratum", "10.1021/e1", "publisher")], "corrected", ["R006"], id="erratum"),
    P([notice("corrigendum", "10.1021/c2", "publisher")], "corrected", ["R006"],
      id="corrigendum"),
    P([notice("correction", "10.1021/c1", "publisher"), notice("retraction")], "retracted",
      ["R001", "R006"], id="correction-then-retraction-most-severe-wins"),
    P([notice("expression_of_concern", "10.1021/n1"), notice("retraction", "10.1021/n2")],
      "retracted", ["R001", "R005"], id="concern-then-retraction"),
    P([notice("addendum", "10.1021/a1", "publisher")], "ok", [], id="addendum-is-listed-only"),
    P([notice("new_version", DOI, "publisher")], "ok", [], id="self-reference-ignored"),
])
def test_status_from_updated_by(updated_by, status, codes):
    result, updates, findings = judge_status(make_work(DOI=DOI, **{"updated-by": updated_by}))
    assert result == status
    assert sorted(f.code for f in findings) == codes
    assert all(u.doi != DOI for u in updates)


def test_publisher_and_retraction_watch_copies_of_one_notice_count_once():
    work = make_work(DOI=DOI, **{"updated-by": [notice("retraction", source="publisher"),
                                                notice("retraction")]})
    status, updates, findings = judge_status(work)
    assert status == "retracted"
    assert len(updates) == 1
    assert updates[0].to_dict() == {"type": "retraction", "doi": "10.1021/acsami.9b11759",
                                    "source": "publisher", "date": "2019-07-26"}
    assert "10.1021/acsami.9b11759" in findings[0].message


def test_every_update_is_listed_even_those_that_set_no_status():
    work = make_work(DOI=DOI, **{"updated-by": [notice("addendum", "10.1/a"),
                                                notice("correction", "10.1/c")]})
    _, updates, _ = judge_status(work)
    assert [u.type for u in updates] == ["addendum", "correction"]


def test_retracted_title_without_notice_is_a_warning_not_a_status():
    work = make_work(title=["RETRACTED: Probiotics and breast milk"])
    status, _, findings = judge_status(work)
    assert status == "ok"
    assert [(f.code, f.severity) for f in findings] == [("R007", "warning")]


def test_retracted_title_with_notice_gives_no_extra_warning():
    work = make_work(DOI=DOI, title=["RETRACTED: x"], **{"updated-by": [notice("retraction")]})
    assert [f.code for f in judge_status(work)[2]] == ["R001"]


def test_citing_the_notice_itself_is_flagged():
    work = make_work(DOI="10.1021/acsami.9b11759", title=["Retraction of X"],
                     **{"update-to": [notice("retraction", DOI)]})
    _, _, findings = judge_status(work)
    assert [f.code for f in findings] == ["R008"]
    assert DOI in findings[0].message


def test_no_work_means_no_status_claim():
    assert judge_status(None) == ("ok", (), [])
    assert judge_status(None, "Human milk composition") == ("ok", (), [])


def test_cited_retracted_title_without_a_record_is_a_warning():
    status, _, findings = judge_status(None, "RETRACTED: Probiotics and breast milk")
    assert status == "ok"
    assert [(f.code, f.severity) for f in findings] == [("R007", "warning")]
