"""The catalogue end to end: a folder of trainings against the local Crossref stand-in.

The folder holds three trainings in three formats (a .bib, a nested .ris, a pasted Markdown
list) that cite some of the same DOIs, and two files that are not reference lists (prose notes,
a PDF). One resolution pass serves them all; each training keeps its own scorecard and policy.
"""

from __future__ import annotations

import csv
import io
import json
import re
import urllib.parse
from pathlib import Path

import pytest
from conftest import FIXTURES

import auditor
from auditor.catalogue import COLUMNS, audit_catalogue, comparison_row
from auditor.cli import main

AS_OF = ["--as-of", "2026-11-27"]
MAILTO = ["--mailto", "qa@example.org"]
VICTORA = "10.1016/s0140-6736(15)01024-7"  # cited by all three trainings
PREPRINT = "10.1101/055319"  # all three
PLOS = "10.1371/journal.pone.0033693"  # the .bib and the pasted list
RETRACTED = "10.1021/am300292v"  # retracted in the stand-in

# RIS ends a record with "ER  - " (tag, two spaces, dash, space): the space is added below.
RIS = """TY  - JOUR
TI  - Breastfeeding in the 21st century: epidemiology, mechanisms, and lifelong effect
AU  - Victora, Cesar G.
PY  - 2016
JO  - The Lancet
DO  - 10.1016/S0140-6736(15)01024-7
ER  -

TY  - JOUR
TI  - A preprint on bioRxiv
AU  - Writer, B.
PY  - 2016
DO  - https://doi.org/10.1101/055319
ER  -

TY  - JOUR
TI  - A paper whose DOI has a typo
AU  - Nobody, A.
PY  - 2019
JO  - Journal of Examples
DO  - 10.9999/does-not-exist
ER  -
"""
PASTED = """## References

1. Victora CG, Bahl R, Barros AJD, et al. Breastfeeding in the 21st century: epidemiology,
   mechanisms, and lifelong effect. Lancet. 2016;387(10017):475-490.
   doi:10.1016/S0140-6736(15)01024-7
2. Sadasivan H. Methylphenidate exposure induces dopamine neuron loss and activation of
   microglia in the basal ganglia of mice. PLoS One. 2012;7(3):e33693.
   doi:10.1371/journal.pone.0033693
3. Writer B. A preprint on bioRxiv. bioRxiv. 2016. doi:10.1101/055319
4. Lawrence RA, Lawrence RM. Breastfeeding: a guide for the medical profession. 9th ed.
   Philadelphia: Elsevier; 2022.
"""
NOTES = ("Notes for the course team\n\nRemember to book the room for the second session and to "
         "print the handouts. Ask the midwives which videos they found useful last year.\n")


@pytest.fixture
def folder(tmp_path) -> Path:
    """trainings/{maternity/basics.bib, maternity/week 2/reading.ris, neonatal/pasted.md} plus
    trainings/notes.txt (prose) and trainings/neonatal/slides.pdf."""
    root = tmp_path / "trainings"
    (root / "maternity" / "week 2").mkdir(parents=True)
    (root / "neonatal").mkdir()
    (root / "maternity" / "basics.bib").write_text(
        (FIXTURES / "stand-in" / "training.bib").read_text("utf-8"), encoding="utf-8")
    (root / "maternity" / "week 2" / "reading.ris").write_text(
        RIS.replace("ER  -\n", "ER  - \n"), encoding="utf-8")
    (root / "neonatal" / "pasted.md").write_text(PASTED, encoding="utf-8")
    (root / "notes.txt").write_text(NOTES, encoding="utf-8")
    (root / "neonatal" / "slides.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    return root


def trainings(root: Path) -> list[str]:
    """The three reference lists, in the catalogue's order (the walk's: sorted, depth first)."""
    return [str(root / "maternity" / "basics.bib"), str(root / "maternity" / "week 2" /
                                                        "reading.ris"),
            str(root / "neonatal" / "pasted.md")]


def names(root: Path) -> list[str]:
    """How the comparison names them: from the folder given (short, whatever its location)."""
    return [str(Path(t).relative_to(root.parent)) for t in trainings(root)]


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["check", *args, *AS_OF, *MAILTO])
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys, *args: str) -> tuple[int, dict]:
    code, out, _ = run(capsys, *args, "--format", "json")
    return code, json.loads(out)


def asked(stand_in, doi: str) -> int:
    """How many requests to the stand-in named `doi` (batches and single lookups)."""
    return sum(urllib.parse.unquote(r).lower().count(doi) for r in stand_in.requests)


def test_a_folder_is_a_catalogue_of_its_reference_lists(crossref, capsys, folder):
    code, report = run_json(capsys, str(folder))
    assert code == 0  # a DOI not found is a warning by default, nothing is retracted
    assert report["catalogue"] is True
    assert [row["training"] for row in report["comparison"]] == names(folder)
    assert [row["references"] for row in report["comparison"]] == [6, 3, 4]
    assert [t["inputs"] for t in report["trainings"]] == [[name] for name in trainings(folder)]


def test_prose_notes_are_skipped_and_listed(crossref, capsys, folder):
    _, out, err = run(capsys, str(folder), "--format", "json")
    skipped = {s["file"]: s["reason"] for s in json.loads(out)["skipped"]}
    assert "not a reference list" in skipped[str(folder / "notes.txt")]
    assert f"skipped: {folder / 'notes.txt'}" in err  # said once on stderr, the run goes on
    _, out, _ = run(capsys, str(folder))  # the terminal table lists it too
    assert f"skipped {folder / 'notes.txt'}" in out


def test_a_pdf_in_the_folder_is_listed_as_skipped(crossref, capsys, folder):
    _, report = run_json(capsys, str(folder))
    assert str(folder / "neonatal" / "slides.pdf") in [s["file"] for s in report["skipped"]]


def test_a_doi_cited_by_several_trainings_is_asked_once(crossref, capsys, folder):
    _, report = run_json(capsys, str(folder))
    assert asked(crossref, VICTORA) == 1
    assert asked(crossref, PREPRINT) == 1
    assert asked(crossref, PLOS) == 1
    # One batch for the four distinct DOIs (of 10 DOIs cited), then the unknown one confirmed.
    batches = [r for r in crossref.requests if r.startswith("/works?filter=")]
    assert len(batches) == 1
    assert report["run"]["list_requests"] >= 1
    cited = sum(row["with_doi"] for row in report["comparison"])
    assert cited == 10 and asked(crossref, "10.9999/does-not-exist") == 3  # batch, single, agency


def test_each_row_equals_the_training_audited_alone(crossref, capsys, folder):
    catalogue = audit_catalogue(folder, as_of="2026-11-27", mailto="qa@example.org")
    rows = catalogue.rows()
    assert len(rows) == 3
    for name, row, report in zip(trainings(folder), rows, catalogue.trainings, strict=True):
        alone = auditor.audit(name, as_of="2026-11-27", mailto="qa@example.org",
                              use_cache=False)
        s = alone.summary
        assert row == {**comparison_row(alone), "training": row["training"]}
        assert name.endswith(row["training"])
        assert (row["references"], row["with_doi"], row["resolved_share"],
                row["peer_reviewed_share"], row["recent_share"], row["median_age"],
                row["retracted"], row["not_found"], row["preprints"], row["passed"]) == (
            s.references, s.with_doi, s.resolved_share, s.peer_reviewed_share, s.recent_share,
            s.median_age, len(s.retracted), s.not_found, s.preprints, alone.passed)
        assert report.summary.to_dict() == s.to_dict()
        assert [v.to_dict() for v in report.references] == [v.to_dict()
                                                             for v in alone.references]


def test_sort_orders_the_comparison(crossref, capsys, folder):
    _, out, _ = run(capsys, str(folder), "--format", "csv", "--sort=-references")
    rows = list(csv.DictReader(io.StringIO(out)))
    short = names(folder)
    assert [r["training"] for r in rows] == [short[0], short[2], short[1]]  # 6, 4, 3
    assert [r["references"] for r in rows] == ["6", "4", "3"]
    _, out, _ = run(capsys, str(folder), "--format", "csv", "--sort", "references")
    assert [r["references"] for r in csv.DictReader(io.StringIO(out))] == ["3", "4", "6"]
    _, out, _ = run(capsys, str(folder), "--sort=-references")  # the terminal table
    assert "Trainings (3), sorted by -references" in out
    _, out, _ = run(capsys, str(folder), "--format", "html", "--sort=-references")
    assert out.index('href="#t0"') < out.index('href="#t2"') < out.index('href="#t1"')


def test_descending_sort_written_with_a_space(crossref, capsys, folder):
    code, out, err = run(capsys, str(folder), "--format", "csv", "--sort", "-references")
    assert code == 0, err
    assert [r["references"] for r in csv.DictReader(io.StringIO(out))] == ["6", "4", "3"]


def test_unknown_sort_column_is_a_usage_error(crossref, capsys, folder):
    code, out, err = run(capsys, str(folder), "--sort=-nonsense")
    assert code == 2 and out == ""
    assert "--sort -nonsense" in err and len(err.strip().splitlines()) == 1


def test_one_failing_training_fails_the_catalogue(crossref, capsys, folder):
    (folder / "neonatal" / "infection.bib").write_text(
        (FIXTURES / "stand-in" / "retracted.bib").read_text("utf-8"), encoding="utf-8")
    code, report = run_json(capsys, str(folder))
    assert code == 1
    assert report["passed"] is False
    passed = {row["training"]: row["passed"] for row in report["comparison"]}
    assert passed == {**dict.fromkeys(names(folder), True),
                      "trainings/neonatal/infection.bib": False}
    failing = next(row for row in report["comparison"] if not row["passed"])
    assert failing["retracted"] == 1 and failing["failures"] == "fail_on:retracted"
    assert asked(crossref, RETRACTED) >= 1


def test_by_file_compares_the_files_given(crossref, capsys, folder):
    basics, reading, _ = trainings(folder)
    code, out, _ = run(capsys, basics, reading, "--by-file", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["training"] for r in rows] == [basics, reading]
    # Without --by-file, two files are one list: one report, no comparison.
    _, report = run_json(capsys, basics, reading)
    assert "catalogue" not in report and report["inputs"] == [basics, reading]


def test_csv_has_one_row_per_training(crossref, capsys, folder, tmp_path):
    target = tmp_path / "catalogue.csv"
    code, out, _ = run(capsys, str(folder), "-o", str(target))
    assert code == 0 and out == ""
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for UTF-8
    rows = list(csv.DictReader(io.StringIO(target.read_text("utf-8-sig"))))
    assert list(rows[0]) == list(COLUMNS)
    assert [r["training"] for r in rows] == names(folder)
    assert {r["passed"] for r in rows} == {"true"}
    assert not (tmp_path / "catalogue.summary.csv").exists()  # no per-list scorecard file


def test_audit_many_gives_a_typed_frame(crossref, folder):
    frame = auditor.audit_many(folder, as_of="2026-11-27", mailto="qa@example.org")
    assert len(frame) == 3
    assert list(frame.columns) == list(COLUMNS)
    assert list(frame["training"]) == names(folder)
    for column in ("references", "with_doi", "retracted", "not_found", "preprints",
                   "level_1", "level_none", "guidelines", "outdated_guidelines"):
        assert str(frame[column].dtype) == "Int64", column
    assert str(frame["passed"].dtype) == "boolean"
    assert list(frame["references"]) == [6, 3, 4]
    sorted_frame = auditor.audit_many(folder, sort="-references", as_of="2026-11-27",
                                      mailto="qa@example.org")
    assert list(sorted_frame["references"]) == [6, 4, 3]


def test_an_empty_folder_is_a_usage_error_in_one_line(capsys, tmp_path):
    empty = tmp_path / "empty"
    (empty / "nested" / "deeper").mkdir(parents=True)
    assert main(["check", str(empty), *AS_OF]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1 and "no reference file in" in err


def test_a_folder_of_unreadable_files_is_a_usage_error(capsys, tmp_path):
    (tmp_path / "notes.txt").write_text(NOTES, encoding="utf-8")
    assert main(["check", str(tmp_path), *AS_OF]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "no readable reference list" in err and "(1 file skipped)" in err
    assert "Traceback" not in err


def test_json_holds_every_training_as_a_full_report(crossref, capsys, folder):
    _, catalogue = run_json(capsys, str(folder))
    _, single = run_json(capsys, trainings(folder)[0], "--no-cache")  # asked afresh, alone
    assert catalogue["schema_version"] == 1 and catalogue["catalogue"] is True
    assert catalogue["as_of"] == "2026-11-27"
    assert len(catalogue["trainings"]) == len(catalogue["comparison"]) == 3
    for training, row in zip(catalogue["trainings"], catalogue["comparison"], strict=True):
        assert set(training) == set(single)  # the same fields as a report of its own
        assert training["inputs"][0].endswith(row["training"])
        assert len(training["references"]) == training["summary"]["references"] == \
            row["references"]
        assert training["policy"]["passed"] == row["passed"]
        assert {r["source"]["file"] for r in training["references"]} == set(training["inputs"])
    first = catalogue["trainings"][0]
    assert first["summary"] == single["summary"] and first["references"] == single["references"]


def test_a_catalogue_s_json_written_a_training_at_a_time_is_the_json_of_the_whole(
        crossref, folder, tmp_path):
    """A catalogue's JSON is written as each training's report is made (10^4 trainings make
    1.4 GB of it): the text is the very one the whole dict gives, indented or not, for three
    trainings, one, and none; and the file written is that text."""
    import dataclasses
    import json

    catalogue = audit_catalogue(folder, as_of="2026-11-27", mailto="qa@example.org")
    for part in (catalogue, dataclasses.replace(catalogue, trainings=catalogue.trainings[:1]),
                 dataclasses.replace(catalogue, trainings=[])):
        for indent in (2, None):
            whole = json.dumps(part.to_dict(), indent=indent, ensure_ascii=False)
            assert part.to_json(indent) == whole
    assert len(catalogue.trainings) == 3
    written = catalogue.write(tmp_path / "catalogue.json")
    assert written.read_text(encoding="utf-8") == json.dumps(
        catalogue.to_dict(), indent=2, ensure_ascii=False) + "\n"
    assert not list(tmp_path.glob("*.part"))  # written under another name, then renamed


def test_html_page_of_the_folder(crossref, capsys, folder, tmp_path):
    target = tmp_path / "catalogue.html"
    code, _, _ = run(capsys, str(folder), "-o", str(target))
    assert code == 0
    text = target.read_text("utf-8")
    assert text.startswith("<!DOCTYPE html>")
    for n, name in enumerate(names(folder)):
        assert f'<a href="#t{n}">{name}</a>' in text and f'id="t{n}"' in text
    assert "3 trainings, 13 references" in text and "notes.txt" in text


def test_markdown_has_a_sentence_per_training_in_sorted_order(crossref, capsys, folder):
    _, out, _ = run(capsys, str(folder), "--format", "markdown", "--sort=-references")
    sentences = [line for line in out.splitlines() if line.startswith("- **trainings/")]
    short = names(folder)
    assert [line.split("**")[1] for line in sentences] == [short[0], short[2], short[1]]
    assert all(re.search(r" — \d+ references? · ", line) for line in sentences)


@pytest.mark.parametrize("columns", ["100", "80"])
def test_the_terminal_comparison_fits_in_plain_words(crossref, capsys, folder, monkeypatch,
                                                     columns):
    monkeypatch.setenv("COLUMNS", columns)
    _, out, _ = run(capsys, str(folder), "--fail-on", "retracted,not-found")
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= int(columns)
    assert "fail_on" not in out and "warn_on" not in out and "Refs" not in out
    header = next(line for line in lines if line.lstrip().startswith("Training "))
    assert "Outcome" in header and "References" in header
    # basics.bib cites a DOI no registry knows: FAILED, its rule said in words below the table
    assert "FAILED (1 rule)" in out
    assert "trainings/maternity/basics.bib: Fails: 1 DOI that no registry knows" in out
    for word in ("passed", "FAILED"):  # never split across two lines of a cell
        assert not any(line.rstrip().endswith(word[:3]) for line in lines)
