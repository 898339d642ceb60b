"""`auditor.audit()` as a script would use it: settings by name, Report, DataFrame."""

from __future__ import annotations

import datetime as dt
import html
import json

import pandas as pd
import pytest
from conftest import FIXTURES

import auditor

TRAINING = FIXTURES / "stand-in" / "training.bib"


def test_audit_returns_a_report_with_a_frame(crossref):
    report = auditor.audit(TRAINING, as_of="2026-11-27", mailto="qa@example.org")
    assert isinstance(report, auditor.Report)
    assert report.settings.as_of == dt.date(2026, 11, 27)
    assert report.summary.references == 6
    frame = report.to_frame()
    assert isinstance(frame, pd.DataFrame)
    assert len(frame) == 6
    assert {"key", "source.file", "source.line", "doi", "resolution", "year", "age_years",
            "recent", "kind", "peer_review", "peer_review_reason", "status",
            "evidence.design", "evidence.ocebm_level"} <= set(frame.columns)
    row = frame.set_index("key").loc["victora2016"]
    assert (row["kind"], row["peer_review"], row["age_years"]) == ("journal-article",
                                                                   "peer-reviewed", 10)


def test_to_json_matches_to_dict(crossref):
    report = auditor.audit([TRAINING], as_of="2026-11-27", mailto="qa@example.org")
    assert json.loads(report.to_json()) == json.loads(json.dumps(report.to_dict()))


def test_write_picks_the_format_from_the_suffix(crossref, tmp_path):
    report = auditor.audit(TRAINING, as_of="2026-11-27", mailto="qa@example.org")
    report.write(tmp_path / "r.csv")
    report.write(tmp_path / "r.json")
    assert (tmp_path / "r.csv").read_text("utf-8-sig").startswith("key,")  # after Excel's BOM
    assert json.loads((tmp_path / "r.json").read_text("utf-8"))["schema_version"] == 1


def test_settings_object_and_overrides(crossref):
    settings = auditor.load_settings({"as_of": "2020-01-01"})
    report = auditor.audit(TRAINING, settings=settings, recent_years=10, mailto="qa@example.org")
    assert report.settings.recent_years == 10
    assert report.settings.as_of == dt.date(2020, 1, 1)
    victora = next(v for v in report.references if v.key == "victora2016")
    assert (victora.age_years, victora.recent) == (4, True)


def test_bad_setting_raises_config_error():
    with pytest.raises(auditor.ConfigError, match="recent-years"):
        auditor.audit(TRAINING, recent_years=-1)


def test_unreadable_input_raises_input_error(tmp_path):
    with pytest.raises(auditor.InputError, match="no such file"):
        auditor.audit(tmp_path / "absent.bib")


def test_warnings_reach_the_callback(crossref):
    said = []
    auditor.audit(TRAINING, warn=said.append)
    assert any("public pool" in s for s in said)


def test_frame_keeps_whole_numbers_whole(crossref):
    frame = auditor.audit(TRAINING, as_of="2026-11-27", mailto="qa@example.org").to_frame()
    assert str(frame["year"].dtype) == "Int64"
    assert str(frame["recent"].dtype) == "boolean"
    csv_text = auditor.audit(TRAINING, as_of="2026-11-27", offline=True).render("csv")
    assert "2016.0" not in csv_text and ",2016," in csv_text


def test_fail_on_as_a_comma_string_and_errors_name_the_arguments():
    report = auditor.audit(TRAINING, offline=True, fail_on="retracted,unchecked")
    assert report.settings.fail_on == ("retracted", "unchecked")
    assert not report.passed
    with pytest.raises(auditor.ConfigError, match="audit\\(\\) arguments"):
        auditor.audit(TRAINING, as_of="yesterday")


def test_print_gives_the_headline_and_the_outcome(crossref, capsys):
    report = auditor.audit(TRAINING, as_of="2026-11-27", mailto="qa@example.org")
    print(report)
    lines = capsys.readouterr().out.splitlines()
    assert lines == [report.headline, "Outcome: passed (1 warning)"]
    assert report.outcome == "passed" and report.passed


def test_jupyter_shows_the_html_page_in_its_own_frame(crossref):
    report = auditor.audit(TRAINING, as_of="2026-11-27", mailto="qa@example.org")
    shown = report._repr_html_()
    assert shown.startswith("<iframe srcdoc=") and shown.endswith("</iframe>")
    page = html.unescape(shown.split('srcdoc="', 1)[1].split('" title=', 1)[0])
    assert page.startswith("<!DOCTYPE html>") and report.headline in html.unescape(page)
    assert "<style>" not in shown  # the page's stylesheet stays inside the frame


@pytest.mark.parametrize(("given", "meant"), [("retries", "max_retries"), ("mailt", "mailto")])
def test_a_misspelt_setting_says_which_was_meant(given, meant):
    with pytest.raises(auditor.ConfigError, match=f"did you mean '{meant}'"):
        auditor.audit(TRAINING, **{given: 1})
