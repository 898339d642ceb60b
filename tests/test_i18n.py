"""The reports, messages and page in English and French: every message the code writes has a
French translation with the same named values, the compiled catalogue is the one the .po
says, and a French report says in French what the English one says — while the JSON stays
English (a contract)."""

from __future__ import annotations

import html
import json
import re
import string
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from conftest import FIXTURES
from starlette.testclient import TestClient

from auditor import codes
from auditor.cli import main
from auditor.i18n import language_from_environment, use_language

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import catalogues  # noqa: E402

FRENCH = catalogues.po_path("fr")
EXAMPLE = str(ROOT / "data" / "examples" / "lactation-training.bib")


def french() -> dict[str, object]:
    with FRENCH.open("rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0]: m.string
                for m in read_po(handle, locale="fr") if m.id}


def fields(message: str) -> set[str]:
    """The named values of a template; for words never formatted ("a closing brace } is
    missing"), their braces, which the translation must keep too."""
    try:
        return {f"{name}!{conversion}" for _, name, _, conversion
                in string.Formatter().parse(message) if name is not None}
    except ValueError:
        return {"braces " + "".join(c for c in message if c in "{}")}


def test_every_message_of_the_code_has_a_french_translation():
    translated = french()
    missing = []
    for message in catalogues.extracted():
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        string_ = translated.get(key)
        if not string_ or (isinstance(string_, tuple) and not all(string_)):
            missing.append(key)
    assert missing == [], f"{len(missing)} messages without French: {missing[:5]}"


def test_each_translation_keeps_the_named_values_of_its_message():
    # a translation that drops {n} loses a figure; one that adds a name breaks the report
    wrong = []
    for message in catalogues.updated("fr", catalogues.extracted()):
        if not message.id or not message.string:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        expected = set().union(*map(fields, ids))
        if any(fields(s) - expected or (len(ids) == 1 and fields(s) != expected)
               for s in strings):
            wrong.append(ids[0])
    assert wrong == []


def test_the_catalogues_are_up_to_date_with_the_code(capsys):
    sys.argv = ["catalogues.py", "--check"]
    assert catalogues.main() == 0, capsys.readouterr().out


@pytest.mark.parametrize(("environ", "language"), [
    ({"LANG": "fr_FR.UTF-8"}, "fr"), ({"LANG": "fr_CA"}, "fr"), ({"LANG": "de_DE.UTF-8"}, "en"),
    ({"LC_ALL": "fr_FR.UTF-8", "LANG": "en_GB.UTF-8"}, "fr"),
    ({"LC_ALL": "C", "LANG": "fr_FR.UTF-8"}, "en"), ({}, "en")])
def test_the_language_follows_the_system_as_gettext_reads_it(environ, language):
    assert language_from_environment(environ) == language


def test_a_finding_reads_in_the_readers_language_and_stays_english_in_json():
    finding = codes.NOT_RECENT.make("{age} years old at {as_of} (recent means ≤ {recent_years})",
                                    age=7, as_of="2026-11-27", recent_years=5)
    with use_language("fr"):
        text = finding.text()
    assert text != finding.message and "7" in text and "2026-11-27" in text
    assert finding.to_dict()["message"] == "7 years old at 2026-11-27 (recent means ≤ 5)"


def test_a_french_report_says_it_in_french(capsys):
    code = main(["check", EXAMPLE, "--offline", "--lang", "fr"])
    out = capsys.readouterr().out
    translated = french()
    assert code == 4
    assert translated["Outcome: {outcome}"].split("{")[0].strip() in out  # « Résultat : »
    assert "Outcome:" not in out and "References (" not in out


def test_a_french_html_report_has_no_english_heading_chart_or_signal(capsys):
    """Its table's headings, its charts, the signal behind each design label: all French;
    the same signal stays English in the JSON."""
    main(["check", EXAMPLE, "--offline", "--lang", "fr", "--format", "html"])
    page = capsys.readouterr().out
    translated = french()
    headings = re.findall(r'<th scope="col">([^<]*)</th>', page)
    assert translated["Findings"] in headings and "Findings" not in headings
    assert translated["Publication years"] in page and ">Publication years<" not in page
    assert "le titre dit 'systematic review'" in html.unescape(page)
    main(["check", EXAMPLE, "--offline", "--lang", "fr", "--format", "json"])
    signals = [r["evidence"]["signal"] for r in json.loads(capsys.readouterr().out)["references"]]
    assert "title says 'systematic review'" in signals


def test_the_json_is_the_same_in_every_language(capsys):
    reports = []
    for language in ("en", "fr"):
        main(["check", EXAMPLE, "--offline", "--format", "json", "--lang", language])
        report = json.loads(capsys.readouterr().out)
        report.pop("generated_at")
        reports.append(report)
    assert reports[0] == reports[1]


def test_the_page_and_its_report_in_french():
    from auditor.config import load_settings
    from auditor.web.app import create_app

    web = TestClient(create_app(load_settings(), lang="en"))
    translated = french()
    page = web.get("/?lang=fr").text
    assert translated["Audit"] in page and ">Audit<" not in page
    assert '<html lang="fr">' in page
    bib = (FIXTURES / "stand-in" / "training.bib").read_bytes()
    answer = web.post("/api/audit", data={"lang": "fr", "format": "markdown"},
                      files={"file": ("training.bib", bib)})
    assert translated["registries asked: "].strip() in answer.text
    assert "registries asked" not in answer.text


def test_an_error_is_said_in_the_readers_language(capsys, tmp_path):
    missing = str(tmp_path / "absent.bib")
    assert main(["check", missing, "--offline", "--lang", "fr"]) == 2
    said = capsys.readouterr().err
    assert french()["{name}: no such file"].format(name=missing) in said
    assert "no such file" not in said


def test_the_api_says_why_it_cannot_read_a_file_in_french():
    from auditor.config import load_settings
    from auditor.web.app import create_app

    web = TestClient(create_app(load_settings(), lang="en"))
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    zipped = b"PK\x03\x04" + b"\x00" * 64  # no ZIP directory: "a ZIP archive"
    for raw in (png, zipped):
        answer = web.post("/api/audit", data={"lang": "fr"}, files={"file": ("liste.bin", raw)})
        assert answer.status_code == 400
        assert "liste.bin" in answer.json()["error"]
        assert " which " not in answer.json()["error"] and "file" not in answer.json()["error"]


def test_a_catalogue_json_names_skipped_files_in_english_whatever_the_language(capsys,
                                                                               tmp_path):
    folder = tmp_path / "trainings"
    folder.mkdir()
    (folder / "good.bib").write_bytes(Path(EXAMPLE).read_bytes())
    (folder / "broken.docx").write_bytes(b"not a word document at all")
    reports = []
    for language in ("en", "fr"):
        main(["check", str(folder), "--offline", "--format", "json", "--lang", language])
        report = json.loads(capsys.readouterr().out)
        for part in (report, *report["trainings"]):  # the clock may pass a second between
            part.pop("generated_at", None)
        reports.append(report)
    assert reports[0] == reports[1]
    assert "although its name says so" in json.dumps(reports[0])


def test_work_in_the_registries_threads_speaks_the_readers_language():
    """Warnings written while Crossref is asked come from worker threads, which start with a
    context of their own: the work is handed the reader's."""
    from concurrent.futures import ThreadPoolExecutor

    from auditor.crossref.client import submitted
    from auditor.i18n import _, use_language

    with ThreadPoolExecutor(2) as pool, use_language("fr"):
        bare = pool.submit(_, "Outcome: {outcome}").result()
        handed = submitted(pool, _, "Outcome: {outcome}").result()
    assert bare == "Outcome: {outcome}"  # what a worker said before
    assert handed == french()["Outcome: {outcome}"]
