"""`auditor check` end to end: flags, formats, exit codes, against the local stand-in."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest
from conftest import FIXTURES

from auditor.cli import main

TRAINING = str(FIXTURES / "stand-in" / "training.bib")
RETRACTED = str(FIXTURES / "stand-in" / "retracted.bib")
AS_OF = ["--as-of", "2026-11-27"]


def run_json(capsys, *args):
    code = main(["check", *args, "--format", "json", *AS_OF])
    out, err = capsys.readouterr()
    return code, json.loads(out), err


def lookups(stand_in):
    """The DOI lookups the stand-in received (searches for references without a DOI left out)."""
    return [r for r in stand_in.requests if "query.bibliographic" not in r]


def by_key(report):
    return {r["key"]: r for r in report["references"]}


def test_json_report_gives_every_verdict(crossref, capsys):
    code, report, _ = run_json(capsys, TRAINING, "--mailto", "qa@example.org")
    assert code == 0
    refs = by_key(report)
    assert list(refs) == ["victora2016", "sadasivan2012", "writer2016", "typo2019",
                          "lawrence2022", "badoi"]
    victora = refs["victora2016"]
    assert (victora["resolution"], victora["year"], victora["age_years"], victora["recent"],
            victora["kind"], victora["peer_review"], victora["status"]) == (
        "verified", 2016, 10, False, "journal-article", "peer-reviewed", "ok")
    assert victora["doi"] == "10.1016/s0140-6736(15)01024-7"
    assert victora["source"] == {"file": TRAINING, "line": 2}
    # The stand-in NLM Catalog has The Lancet currently indexed for MEDLINE
    assert (victora["peer_review_signal"], victora["checked"]) == ("indexed", True)
    assert "MEDLINE journal (Lancet" in victora["peer_review_reason"]
    corrected = refs["sadasivan2012"]
    assert corrected["status"] == "corrected"
    assert corrected["updates"][0]["type"] == "correction"
    preprint = refs["writer2016"]
    assert (preprint["kind"], preprint["peer_review"]) == ("preprint", "not-peer-reviewed")
    assert "10.7717/peerj.3811" in preprint["peer_review_reason"]
    assert refs["typo2019"]["resolution"] == "not-found"
    assert (refs["lawrence2022"]["resolution"], refs["lawrence2022"]["kind"],
            refs["lawrence2022"]["kind_source"]) == ("no-identifier", "book", "entry")
    assert refs["badoi"]["doi"] is None
    assert "D001" in [f["code"] for f in refs["badoi"]["findings"]]


def test_json_top_level_and_summary(crossref, capsys):
    _, report, _ = run_json(capsys, TRAINING, "--mailto", "qa@example.org")
    assert report["schema_version"] == 1
    assert report["tool"]["name"] == "auditor"
    assert report["as_of"] == "2026-11-27"
    assert report["inputs"] == [TRAINING]
    assert report["generated_at"].endswith("Z")
    summary = report["summary"]
    assert (summary["references"], summary["with_doi"], summary["resolved"],
            summary["not_found"], summary["unchecked"], summary["passed"]) == (6, 4, 3, 1, 0,
                                                                                 True)
    # lawrence2022 (a book, no DOI), badoi (an invalid DOI, searched) and typo2019 (no record)
    # have no record that could tell a notice: not checked, never "ok"
    assert summary["statuses"] == {"ok": 2, "corrected": 1, "unchecked": 3}
    # the 4 valid DOIs, and the 2 references without one (searched): all answered
    assert (summary["outcome"], summary["checkable"], summary["checked"]) == ("passed", 6, 6)
    assert summary["headline"].startswith("6 references · 6 checked on Crossref")
    # Known peer-review status: victora (peer-reviewed), sadasivan (peer-reviewed),
    # writer (not), lawrence (book); typo2019 and badoi are unknown.
    assert summary["peer_review_known"] == 4
    assert summary["peer_reviewed_share"] == 0.5


def test_the_badly_typed_doi_is_never_sent(crossref, capsys):
    run_json(capsys, TRAINING, "--mailto", "qa@example.org")
    assert not any("10.12/short" in r for r in crossref.requests)
    # One batch of the four valid DOIs, then a single lookup to confirm the one it lacked.
    lookups = [r for r in crossref.requests if "query.bibliographic" not in r]
    assert len([r for r in lookups if r.startswith("/works?filter=")]) == 1
    assert lookups[1].startswith("/works/10.9999/does-not-exist")
    assert lookups[2].startswith("/works/10.9999/does-not-exist/agency")  # no other registry
    assert len(lookups) == 3


def test_same_verdicts_from_a_stand_in_without_the_list_route(crossref_single_only, capsys):
    code, report, _ = run_json(capsys, TRAINING, "--mailto", "qa@example.org")
    # Searches use the list route too: the 2 references without a DOI could not be searched,
    # so 2 of 6 got no answer — incomplete, however right the 4 DOIs are.
    assert code == 4 and report["summary"]["checked"] == 4
    resolutions = {r["key"]: r["resolution"] for r in report["references"]}
    assert resolutions == {"victora2016": "verified", "sadasivan2012": "verified",
                           "writer2016": "verified", "typo2019": "not-found",
                           "lawrence2022": "no-identifier", "badoi": "no-identifier"}
    # The batch was refused (404), so each DOI was asked alone.
    assert len([r for r in lookups(crossref_single_only) if r.startswith("/works?")]) == 1
    assert len(lookups(crossref_single_only)) == 6  # 1 refused batch, 4 alone, 1 agency


def test_mailto_goes_to_crossref(crossref, capsys):
    run_json(capsys, TRAINING, "--mailto", "qa@example.org")
    assert all("mailto=qa%40example.org" in r for r in crossref.requests)


def test_retracted_reference_fails_the_policy(crossref, capsys):
    code, report, _ = run_json(capsys, RETRACTED, "--mailto", "qa@example.org")
    assert code == 1
    ref = report["references"][0]
    assert ref["status"] == "retracted"
    assert len(ref["updates"]) == 1  # publisher and Retraction Watch copies counted once
    assert report["summary"]["retracted"] == ["coating2012"]
    assert report["policy"]["passed"] is False
    assert report["policy"]["failures"][0]["references"] == ["coating2012"]


def test_fail_on_flag_extends_the_policy(crossref, capsys):
    code, report, _ = run_json(capsys, TRAINING, "--mailto", "qa@example.org",
                               "--fail-on", "retracted,not-found")
    assert code == 1
    assert report["policy"]["failures"][0]["references"] == ["typo2019"]


def test_second_run_is_answered_from_the_cache(crossref, capsys):
    run_json(capsys, TRAINING, "--mailto", "qa@example.org")
    first = len(crossref.requests)
    _, report, _ = run_json(capsys, TRAINING, "--mailto", "qa@example.org")
    assert len(crossref.requests) == first
    assert report["run"]["cache_hits"] == 4 and report["run"]["requests"] == 0
    assert by_key(report)["typo2019"]["resolution"] == "not-found"


def test_no_cache_asks_again(crossref, capsys):
    run_json(capsys, TRAINING, "--mailto", "qa@example.org", "--no-cache")
    run_json(capsys, TRAINING, "--mailto", "qa@example.org", "--no-cache")
    assert len(lookups(crossref)) == 6  # twice: a batch, a confirmation, an agency lookup


def test_offline_uses_only_the_cache(crossref, capsys):
    code, report, _ = run_json(capsys, TRAINING, "--offline")
    assert code == 4 and report["summary"]["outcome"] == "incomplete"  # nothing was checked
    assert crossref.requests == []
    refs = by_key(report)
    assert refs["victora2016"]["resolution"] == "unchecked"
    assert "offline" in refs["victora2016"]["unchecked_reason"]
    assert refs["typo2019"]["resolution"] == "unchecked"  # never not-found without an answer


def test_unreachable_crossref_is_unchecked_not_not_found(capsys):
    # The autouse fixture points AUDITOR_CROSSREF_URL at a closed port.
    code, report, err = run_json(capsys, TRAINING, "--retries", "0")
    assert code == 4  # incomplete: never passed when nothing could be checked
    resolutions = {r["resolution"] for r in report["references"] if r["doi"]}
    assert resolutions == {"unchecked"}
    summary = report["summary"]
    assert summary["not_found"] == 0 and summary["passed"] is False
    assert summary["outcome"] == "incomplete"
    # no "ok" and no "0 retracted" for what no registry answered
    assert summary["statuses"] == {"unchecked": 6} and summary["status_checked"] == 0
    assert summary["headline"].startswith("6 of 6 references could not be checked: Crossref "
                                          "could not be reached")
    assert "127.0.0.1:9" in err


def test_without_mailto_the_public_pool_is_announced_once(crossref, capsys):
    _, _, err = run_json(capsys, TRAINING)
    assert err.count("public pool") == 1
    assert "--mailto" in err


def test_csv_has_one_row_per_reference(crossref, capsys):
    assert main(["check", TRAINING, "--format", "csv", *AS_OF]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["key"] for r in rows][:2] == ["victora2016", "sadasivan2012"]
    assert rows[0]["peer_review"] == "peer-reviewed"
    assert rows[0]["source.line"] == "2"


def test_table_shows_rows_and_summary(crossref, capsys):
    assert main(["check", TRAINING, *AS_OF]) == 0
    out = capsys.readouterr().out
    assert "victora2016" in out and "lawrence2022" in out
    assert "Outcome: passed" in out
    assert "\x1b[" not in out  # no colour codes when stdout is not a terminal


def test_output_file_format_from_suffix(crossref, capsys, tmp_path):
    target = tmp_path / "report.json"
    assert main(["check", TRAINING, "-o", str(target), *AS_OF]) == 0
    assert capsys.readouterr().out == ""
    assert json.loads(target.read_text("utf-8"))["summary"]["references"] == 6


def test_several_inputs_keep_their_own_file(crossref, capsys):
    _, report, _ = run_json(capsys, TRAINING, RETRACTED)
    files = {r["source"]["file"] for r in report["references"]}
    assert files == {TRAINING, RETRACTED}


def test_stdin_is_read_with_dash(crossref, capsys, monkeypatch):
    data = (FIXTURES / "stand-in" / "retracted.bib").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, report, _ = run_json(capsys, "-")
    assert code == 1
    assert report["references"][0]["source"] == {"file": "<stdin>", "line": 1}


@pytest.mark.parametrize(("args", "message"), [
    pytest.param(["check", "missing.bib"], "missing.bib: no such file", id="missing-file"),
    pytest.param(["check", TRAINING, "--as-of", "2026-13-01"], "invalid as-of", id="bad-date"),
    pytest.param(["check", TRAINING, "--fail-on", "nonsense"], "invalid fail-on",
                 id="bad-fail-on"),
    pytest.param(["check", TRAINING, "--crossref-url", "ftp://x"], "invalid crossref-url",
                 id="bad-url"),
])
def test_user_mistakes_exit_2_with_one_line(args, message, capsys):
    assert main(args) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert message in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_unknown_flag_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["check", TRAINING, "--colour"])
    assert exited.value.code == 2


def test_an_empty_directory_is_an_input_error(capsys, tmp_path):
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n")
    assert main(["check", str(tmp_path)]) == 2
    assert "no reference file in" in capsys.readouterr().err


def test_python_dash_m_runs_and_exits_with_the_policy_code(crossref, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "auditor", "check", RETRACTED, "--format", "json", *AS_OF],
        capture_output=True, text=True, timeout=120,
        env={**__import__("os").environ, "AUDITOR_CROSSREF_URL": crossref.url})
    assert result.returncode == 1, result.stderr
    assert json.loads(result.stdout)["references"][0]["status"] == "retracted"
    assert "Traceback" not in result.stderr


def test_codes_command_lists_the_registry(capsys):
    assert main(["codes"]) == 0
    out = capsys.readouterr().out
    assert "R001  retracted" in out and "D003  unchecked" in out


def test_a_file_of_only_broken_entries_is_unreadable_input(capsys, tmp_path):
    broken = tmp_path / "broken.bib"
    broken.write_text("@article{a, title = {x\n\n@article{b, title = {y\n", "utf-8")
    assert main(["check", str(broken)]) == 2
    err = capsys.readouterr().err
    assert "no readable reference" in err and f"{broken}:1" in err


def test_output_may_not_overwrite_an_input(capsys, tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_bytes((FIXTURES / "stand-in" / "retracted.bib").read_bytes())
    before = bib.read_bytes()
    assert main(["check", str(bib), "-o", str(bib)]) == 2
    assert "would overwrite an input" in capsys.readouterr().err
    assert bib.read_bytes() == before


def test_run_summary_line_even_offline(capsys):
    main(["check", TRAINING, "--offline", "--format", "json"])
    err = capsys.readouterr().err
    assert "6 references, 5 with a DOI" not in err  # badoi's DOI is invalid
    assert ("6 references, 4 with a DOI; Crossref: 0 requests, 0 from the cache"
            in err)
    assert "offline" in err


def test_refresh_asks_again_and_cache_info_and_clear(crossref, capsys, tmp_path):
    run_json(capsys, TRAINING, "--mailto", "qa@example.org")
    first = len(crossref.requests)
    _, report, _ = run_json(capsys, TRAINING, "--mailto", "qa@example.org", "--refresh")
    assert len(crossref.requests) == 2 * first
    assert report["run"]["cache_hits"] == 0
    assert main(["cache", "info"]) == 0
    info = capsys.readouterr().out
    assert f"{crossref.url}: 3 found, 1 not found (4 still fresh)" in info
    assert main(["cache", "clear"]) == 0
    # 4 DOIs and 2 searches; the NLM Catalog and DOAJ answers for 2 ISSNs
    assert "cleared 10 answers" in capsys.readouterr().out
    main(["cache", "info"])
    assert "empty" in capsys.readouterr().out


def test_cache_info_without_a_cache(capsys, tmp_path):
    assert main(["cache", "info", "--cache-dir", str(tmp_path / "none")]) == 0
    assert "no cache yet" in capsys.readouterr().out


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv", "html"])
def test_nothing_checked_claims_nothing_in_any_format(capsys, tmp_path, fmt):
    # Crossref unreachable (the autouse fixture's closed port): no format may say "ok",
    # "0 retracted" or "passed" of references no registry answered for.
    out = tmp_path / f"report.{ {'table': 'txt', 'markdown': 'md'}.get(fmt, fmt)}"
    code = main(["check", TRAINING, "--retries", "0", "--format", fmt, "-o", str(out), *AS_OF])
    capsys.readouterr()
    assert code == 4
    text = out.read_text("utf-8-sig")
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        assert "ok" not in {r["status"] for r in rows}
        summary = {r["metric"]: r for r in csv.DictReader(io.StringIO(
            (tmp_path / "report.summary.csv").read_text("utf-8-sig")))}
        assert summary["retracted"]["value"] == "" and summary["policy:outcome"]["value"] == \
            "incomplete"
        return
    assert "Outcome: INCOMPLETE" in text
    text = text.split("How to read this report")[0]  # the HTML's guide explains every word
    assert "Outcome: passed" not in text and "no notice" not in text
    if fmt == "markdown":
        assert "| Retracted | not checked (no registry record could be read) |" in text
    if fmt == "table":
        rows = text[text.index("References ("):text.index("What to look at")]
        assert " ok " not in rows and "not checked" in rows
    if fmt == "html":
        assert '<span class="tag check good">ok</span>' not in text


def test_output_never_touches_another_file_and_keeps_the_mode_of_the_one_it_replaces(
        capsys, tmp_path):
    """A report is written under a name of its own and then renamed: a file of the user's
    named like it (`r.json.part`) is left alone, and a private report stays private."""
    notes, report = tmp_path / "r.json.part", tmp_path / "r.json"
    notes.write_text("my notes", "utf-8")
    report.write_text("{}", "utf-8")
    report.chmod(0o600)
    main(["check", TRAINING, "--offline", "-o", str(report), *AS_OF])
    assert json.loads(report.read_text("utf-8"))["references"]
    assert notes.read_text("utf-8") == "my notes"
    assert report.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "r.json", "r.json.part"]


def test_a_file_of_a_catalogue_folder_is_an_input_too(capsys, tmp_path):
    folder = tmp_path / "catalogue"
    folder.mkdir()
    (folder / "a.bib").write_bytes((FIXTURES / "stand-in" / "retracted.bib").read_bytes())
    before = (folder / "a.bib").read_bytes()
    assert main(["check", str(folder), "--offline", "-o", str(folder / "a.bib")]) == 2
    assert "would overwrite an input" in capsys.readouterr().err
    assert (folder / "a.bib").read_bytes() == before


def test_dev_stdout_and_dash_are_standard_output_even_a_pipe(tmp_path):
    # /dev/stdout of a pipe resolves to no file: it is written as it is named
    for target in ("/dev/stdout", "-"):
        result = subprocess.run(
            [sys.executable, "-m", "auditor", "check", TRAINING, "--offline", "--format",
             "json", "-o", target, *AS_OF], capture_output=True, text=True, timeout=120,
            cwd=tmp_path)
        assert json.loads(result.stdout)["references"], (target, result.stderr)
        assert result.returncode != 2 and "Traceback" not in result.stderr
    assert not (tmp_path / "-").exists()  # no file named "-"


def test_an_empty_output_name_is_a_usage_error(capsys):
    assert main(["check", TRAINING, "--offline", "-o", ""]) == 2
    assert "-o needs a file name" in capsys.readouterr().err


def test_a_reader_that_stops_early_leaves_the_exit_code_the_outcomes(crossref, capsys,
                                                                      tmp_path, monkeypatch):
    """`auditor check … | head`: the pipe closes before the report is written, and the exit
    code still says the list failed (a retracted reference), never that it passed."""
    sink = (tmp_path / "sink").open("w")

    class Closed(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError

        def fileno(self) -> int:
            return sink.fileno()

    monkeypatch.setattr(sys, "stdout", Closed())
    assert main(["check", RETRACTED, "--format", "json", *AS_OF]) == 1
    sink.close()


def test_the_retraction_list_is_an_input_too(capsys, tmp_path):
    listed = tmp_path / "retraction_watch.csv"  # as the --index file is
    listed.write_bytes((FIXTURES / "retraction-watch" / "retraction_watch.csv").read_bytes())
    before = listed.read_bytes()
    assert main(["check", TRAINING, "--offline", "--retraction-watch", str(listed), "-o",
                 str(listed), *AS_OF]) == 2
    assert "would overwrite an input" in capsys.readouterr().err
    assert listed.read_bytes() == before


def test_dev_stdout_redirected_to_a_file_keeps_what_the_file_held(tmp_path):
    # through the open descriptor: the report follows what the shell wrote before it
    script = (f'{{ echo BEFORE; "{sys.executable}" -m auditor check "{TRAINING}" --offline '
              f'--format markdown -o /dev/stdout {" ".join(AS_OF)} 2>/dev/null; echo AFTER; }} '
              f'> "{tmp_path / "out.txt"}"')
    subprocess.run(["sh", "-c", script], timeout=120, check=False)
    lines = (tmp_path / "out.txt").read_text("utf-8").splitlines()
    assert lines[0] == "BEFORE" and lines[-1] == "AFTER" and len(lines) > 10
