"""A JSON document of many work records cut into one record per line, a record at a time:
every layout that holds a list of records gives back exactly its records, whatever the
chunks the text is read in; a document of one record is left to the engine whole."""

from __future__ import annotations

import gzip
import json

import pytest
from conftest import load_stand_in_records

import auditor.index.documents as documents
from auditor.index import LocalIndex, build_index
from auditor.index.documents import record_lines

RECORDS = [{**envelope["message"], "title": [f"Allaitement {n} — « sevrage »"]}
           for n, envelope in enumerate(load_stand_in_records().values())]
LAYOUTS = {
    "page": {"items": RECORDS},
    "answer": {"status": "ok", "message-type": "work-list", "message": {
        "facets": {}, "total-results": 123456789, "items": RECORDS, "items-per-page": 20}},
    "list": RECORDS,
}


def _lines(path) -> list[dict] | None:
    with record_lines(path) as lines:
        return None if lines is None else [json.loads(line) for line in lines]


@pytest.mark.parametrize("chunk", [1, 7, 1 << 20])
@pytest.mark.parametrize("indent", [None, 2])
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_each_record_of_a_list_is_one_line_whatever_the_chunks(layout, indent, chunk,
                                                                tmp_path, monkeypatch):
    # one character at a time cuts every number, string and escape somewhere
    monkeypatch.setattr(documents, "_CHUNK", chunk)
    path = tmp_path / "0.json.gz"
    with gzip.open(path, "wt", encoding="utf-8") as out:
        json.dump(LAYOUTS[layout], out, indent=indent, ensure_ascii=indent is None)
    assert _lines(path) == RECORDS


def test_a_document_of_one_record_is_read_whole(tmp_path):
    (tmp_path / "one.json").write_text(json.dumps(RECORDS[0]), encoding="utf-8")
    (tmp_path / "work.json").write_text(json.dumps({"status": "ok", "message": RECORDS[1]}),
                                        encoding="utf-8")
    assert _lines(tmp_path / "one.json") is None and _lines(tmp_path / "work.json") is None
    built = build_index([tmp_path], tmp_path / "crossref.duckdb")
    assert built.records == 2


def test_a_page_past_the_engines_16_mb_for_one_value_is_built(tmp_path):
    """The engine reads a JSON document as one value of at most 16 MB; a page of the layout
    used up to 2024 holds 3,000 real records with their reference lists, 20 to 60 MB."""
    references = [{"key": f"r{k}", "unstructured": "A. Author. A cited title. J 2010;1:1-9",
                   "DOI": f"10.1/cited.{k}"} for k in range(60)]
    records = [{**RECORDS[n % len(RECORDS)], "DOI": f"10.5555/page.{n}", "reference": references}
               for n in range(3_000)]
    text = json.dumps({"items": records})
    assert len(text) > 16 << 20
    with gzip.open(tmp_path / "0.json.gz", "wt", encoding="utf-8") as out:
        out.write(text)
    built = build_index([tmp_path / "0.json.gz"], tmp_path / "crossref.duckdb")
    assert built.records == 3_000
    with LocalIndex(tmp_path / "crossref.duckdb") as index:
        assert len(index.texts(r["DOI"] for r in records)) == 3_000


def test_a_page_cut_short_is_said_and_the_files_before_it_kept(tmp_path, capsys):
    from auditor.cli import main

    with gzip.open(tmp_path / "0.json.gz", "wt", encoding="utf-8") as out:
        json.dump({"items": RECORDS}, out)
    with gzip.open(tmp_path / "1.json.gz", "wt", encoding="utf-8") as out:
        out.write(json.dumps({"items": RECORDS})[:-300])
    assert main(["index", "build", str(tmp_path), "-o", str(tmp_path / "x.duckdb")]) == 2
    said = capsys.readouterr().err
    assert "1.json.gz: cannot read its records" in said and "Traceback" not in said
    assert "the files before it are kept" in said


def test_documents_one_after_another_give_every_record(tmp_path, monkeypatch):
    """Pages one after another (JSON Lines of pages, in a .json file), then a record alone:
    the records of each page, and the record itself — none left behind the first page."""
    monkeypatch.setattr(documents, "_CHUNK", 5)
    answer = {"message": {"items": RECORDS[2:], "items-per-page": 2}, "status": "ok"}
    path = tmp_path / "pages.json"
    path.write_text("\n".join(json.dumps(d) for d in (
        {"items": RECORDS[:2], "next": None}, answer, RECORDS[0])), encoding="utf-8")
    assert _lines(path) == [*RECORDS, RECORDS[0]]


def test_a_record_past_32_mb_on_a_line_of_its_own_is_built(tmp_path):
    """A single record can pass what the engine reads of one line (thousands of authors and
    references): its batch is read again with room for it, and nothing is lost."""
    references = [{"key": f"r{k}", "unstructured": "A. Author. A cited title. J 2010;1:1-9"}
                  for k in range(600_000)]
    records = [{**RECORDS[0], "DOI": "10.5555/huge", "reference": references},
               {**RECORDS[1], "DOI": "10.5555/next"}]
    lines = [json.dumps(r) for r in records]
    assert len(lines[0]) > 32 << 20  # what the engine reads of a line at most, by default
    (tmp_path / "0.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    built = build_index([tmp_path / "0.jsonl"], tmp_path / "crossref.duckdb")
    assert built.records == 2
    with LocalIndex(tmp_path / "crossref.duckdb") as index:
        assert set(index.texts(["10.5555/huge", "10.5555/next"])) == {"10.5555/huge",
                                                                      "10.5555/next"}


def test_a_page_that_starts_with_a_byte_order_mark_is_cut_too(tmp_path):
    path = tmp_path / "0.json"
    path.write_text(json.dumps({"items": RECORDS}), encoding="utf-8-sig")
    assert _lines(path) == RECORDS
    path.write_text(json.dumps(RECORDS), encoding="utf-8-sig")  # a list: it read none before
    assert build_index([path], tmp_path / "crossref.duckdb").records == len(RECORDS)


@pytest.mark.parametrize("output", ["0.json", "other.json"])
def test_a_build_never_writes_over_its_source_or_a_file_that_is_no_index(output, tmp_path):
    from auditor.errors import InputError

    (tmp_path / "0.json").write_text(json.dumps({"items": RECORDS}), encoding="utf-8")
    (tmp_path / "other.json").write_text("{}", encoding="utf-8")
    before = (tmp_path / output).read_bytes()
    with pytest.raises(InputError, match=r"a source of the build|exists and is no index"):
        build_index([tmp_path / "0.json"], tmp_path / output)
    assert (tmp_path / output).read_bytes() == before
