"""The local index: built from work records in every layout Crossref publishes them, read
back as the very Works the API's answers give, resumed after an interruption, and used by
`auditor check --index` with no request at all."""

from __future__ import annotations

import gzip
import io
import json
import tarfile

import pytest
from conftest import FIXTURES, load_stand_in_records

from auditor import workers
from auditor.cli import main
from auditor.crossref.records import work_from_message
from auditor.errors import InputError
from auditor.index import LocalIndex, build_index
from auditor.model import RunFigures, combined_figures
from auditor.workers import worker_count

TRAINING = FIXTURES / "stand-in" / "training.bib"
AS_OF = ["--as-of", "2026-11-27"]


def messages() -> list[dict]:
    """The stand-in's work records (REST `message`s), each dated as the data file dates
    every record (`created`: when Crossref registered it)."""
    return [{**envelope["message"], "created": {"date-parts": [[2024, 1, 1 + n]],
                                                "date-time": f"2024-01-{1 + n:02d}T00:00:00Z"}}
            for n, envelope in enumerate(load_stand_in_records().values())]


def write_data_file(folder, records: list[dict]) -> None:
    """The 2026 layout (N.jsonl.gz, a work per line) for the first half, the one used up to
    2024 (N.json.gz, `{"items": [...]}`) for the rest."""
    folder.mkdir(parents=True, exist_ok=True)
    half = len(records) // 2
    with gzip.open(folder / "0.jsonl.gz", "wt", encoding="utf-8") as lines:
        lines.writelines(json.dumps(r) + "\n" for r in records[:half])
    with gzip.open(folder / "1.json.gz", "wt", encoding="utf-8") as page:
        json.dump({"items": records[half:]}, page)


def test_both_layouts_of_the_data_file_give_back_the_works_the_api_gives(tmp_path):
    records = messages()
    write_data_file(tmp_path / "data", records)
    built = build_index([tmp_path / "data"], tmp_path / "crossref.duckdb")
    assert (built.units, built.records) == (2, len(records))
    with LocalIndex(tmp_path / "crossref.duckdb") as index:
        found = index.lookups([r["DOI"].upper() for r in records] + ["10.9999/absent"])
        info = index.info()
    assert set(found) == {r["DOI"].lower() for r in records}  # absent DOIs are left out
    for record in records:
        assert found[record["DOI"].lower()].work == work_from_message(record)
    newest = max(r["created"]["date-time"] for r in records)[:10]
    assert info.snapshot == newest and info.records == len(records)


def test_a_plus_snapshot_tar_and_a_duplicate_keep_the_newest_record(tmp_path):
    records = messages()
    older = {**records[0], "title": ["An older title"], "indexed": {"date-time": "2001-01-01"}}
    newer = {**records[0], "indexed": {"date-time": "2026-01-01T00:00:00Z"}}
    data = io.BytesIO(json.dumps({"items": [older, *records[1:]]}).encode())
    again = io.BytesIO(json.dumps(newer).encode() + b"\n")
    with tarfile.open(tmp_path / "snapshot.tar", "w") as tar:
        for name, payload in (("snapshot/0.json", data), ("snapshot/1.jsonl", again)):
            member = tarfile.TarInfo(name)
            member.size = len(payload.getvalue())
            tar.addfile(member, payload)
    built = build_index([tmp_path / "snapshot.tar"], tmp_path / "plus.duckdb")
    assert built.records == len(records)
    with LocalIndex(tmp_path / "plus.duckdb") as index:
        work = index.lookups([records[0]["DOI"]])[records[0]["DOI"].lower()].work
    assert work.title == work_from_message(records[0]).title  # the newest, not "An older…"


def test_an_interrupted_build_is_never_used_and_resumes_where_it_stopped(tmp_path):
    records = messages()
    write_data_file(tmp_path / "data", records)
    index = tmp_path / "crossref.duckdb"

    def stop_after_the_first(unit, so_far, done):
        raise KeyboardInterrupt  # Ctrl-C once the first file is in

    with pytest.raises(KeyboardInterrupt):
        build_index([tmp_path / "data"], index, on_unit=stop_after_the_first)
    with pytest.raises(InputError, match="did not finish"):
        LocalIndex(index)
    built = build_index([tmp_path / "data"], index)
    assert (built.resumed, built.records) == (1, len(records))
    with pytest.raises(InputError, match="complete index already"):
        build_index([tmp_path / "data"], index)


def test_a_resumed_build_says_what_an_earlier_run_read_and_counts_its_rate_apart(
        capsys, tmp_path, monkeypatch):
    """The records an earlier run kept are said once, and not in this run's records/s: the
    rate is of what this run reads (on a clock that says one second has passed)."""
    import sys
    import types

    import auditor.index.command as command

    records = messages()
    write_data_file(tmp_path / "data", records)
    index = tmp_path / "crossref.duckdb"

    def stop_after_the_first(unit, so_far, done):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build_index([tmp_path / "data"], index, on_unit=stop_after_the_first)
    clock = iter([0.0])
    monkeypatch.setattr(command, "time", types.SimpleNamespace(
        monotonic=lambda: next(clock, 1.0)))
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)  # every line shown, as on a terminal
    assert main(["index", "build", str(tmp_path / "data"), "-o", str(index)]) == 0
    said = capsys.readouterr().err
    first, second = len(records) // 2, len(records) - len(records) // 2  # the two files
    assert f"resuming: an earlier run kept {first} records and finished 1 file" in said
    assert f"2 files, {len(records)} records ({second} records/s)" in said


def test_check_with_the_index_asks_nothing_and_judges_as_the_api_does(crossref, capsys,
                                                                      tmp_path):
    write_data_file(tmp_path / "data", messages())
    assert main(["index", "build", str(tmp_path / "data"), "-o",
                 str(tmp_path / "crossref.duckdb")]) == 0
    capsys.readouterr()
    main(["check", str(TRAINING), "--format", "json", "--no-cache", "--no-journals", *AS_OF])
    by_api = json.loads(capsys.readouterr().out)
    crossref.requests.clear()
    main(["check", str(TRAINING), "--format", "json", "--no-cache", "--no-journals",
          "--index", str(tmp_path / "crossref.duckdb"), *AS_OF])
    by_index = json.loads(capsys.readouterr().out)
    in_index = {r["DOI"].lower() for r in messages()}
    asked = [path for path in crossref.requests if "/works" in path]
    assert not any(doi in path.lower() for path in asked for doi in in_index)
    searched = [r for r in by_api["references"] if r["resolution"] in ("matched",
                                                                         "no-identifier")]
    # 3 DOIs from the index; the 2 searches it has no match for go on to Crossref's search
    matched = sum(r["resolution"] == "matched" for r in searched)
    assert by_index["run"]["index_hits"] == 3 + matched
    assert by_index["run"]["search_requests"] == len(searched) - matched
    pairs = [(a, b) for a, b in zip(by_api["references"], by_index["references"], strict=True)
             if a["doi"] in in_index or a in searched]
    assert len(pairs) == 3 + len(searched)
    for api, local in pairs:
        assert api == local


def test_a_build_says_how_far_its_last_step_got(capsys, tmp_path):
    """The last step reads no file (it packs every record, then gathers the title words):
    on the real data file it takes an hour, and it is said, not left silent."""
    write_data_file(tmp_path / "data", messages())
    assert main(["index", "build", str(tmp_path / "data"), "-o",
                 str(tmp_path / "crossref.duckdb")]) == 0
    said = capsys.readouterr().err
    n = len(messages())
    assert said.index("records/s") < said.index(f"last step: {n} of {n} records packed") < \
        said.index(f"built {tmp_path / 'crossref.duckdb'}: {n} records")


def test_index_only_leaves_a_missing_doi_unchecked_never_not_found(crossref, capsys,
                                                                    tmp_path):
    write_data_file(tmp_path / "data", messages())
    build_index([tmp_path / "data"], tmp_path / "crossref.duckdb")
    main(["check", str(TRAINING), "--format", "json", "--no-cache", "--no-journals",
          "--index", str(tmp_path / "crossref.duckdb"), "--index-only", *AS_OF])
    report = json.loads(capsys.readouterr().out)
    typo = next(r for r in report["references"] if r["key"] == "typo2019")
    assert typo["resolution"] == "unchecked"
    assert any("not in the local index of 20" in f["message"] for f in typo["findings"]), \
        typo["findings"]
    assert crossref.requests == []  # not one request: no lookup, no search
    assert report["run"]["requests"] == 0


def test_index_only_asks_no_server_at_all(crossref, httpserver, capsys, tmp_path):
    """Neither Crossref nor PubMed (a reference cited by its PMID alone, --pubmed) nor the
    journal lists: what the cache lacks stays unasked, and the run says so."""
    write_data_file(tmp_path / "data", messages())
    build_index([tmp_path / "data"], tmp_path / "crossref.duckdb")
    pasted = tmp_path / "pasted.txt"
    pasted.write_text("1. Roe R. A paper cited by its PMID only. J Med. 2015. PMID: 27777777\n",
                      encoding="utf-8")
    main(["check", str(TRAINING), str(pasted), "--format", "json", "--pubmed", "--index",
          str(tmp_path / "crossref.duckdb"), "--index-only", *AS_OF])
    captured = capsys.readouterr()
    assert json.loads(captured.out)["run"]["requests"] == 0
    assert httpserver.log == []  # not one request reached any of the servers
    assert "--index-only asks no server" in captured.err


def test_a_list_the_index_lacks_is_told_what_would_check_it(capsys, tmp_path):
    write_data_file(tmp_path / "data", messages())
    build_index([tmp_path / "data"], tmp_path / "crossref.duckdb")
    absent = tmp_path / "absent.txt"
    absent.write_text("10.9999/absent.1\n10.9999/absent.2\n", encoding="utf-8")
    code = main(["check", str(absent), "--format", "json", "--no-journals", "--index",
                 str(tmp_path / "crossref.duckdb"), "--index-only", *AS_OF])
    headline = json.loads(capsys.readouterr().out)["summary"]["headline"]
    assert code == 4 and "not in the local index of" in headline  # incomplete, never passed
    assert "audit without --index-only" in headline and "rerun later" not in headline


def test_a_file_that_is_no_index_is_said_to_be_none(capsys, tmp_path):
    (tmp_path / "list.csv").write_text("Record ID,Title\n1,T\n", encoding="utf-8")
    assert main(["index", "info", str(tmp_path / "list.csv")]) == 2
    assert capsys.readouterr().err.strip().endswith(
        "list.csv: not a local index of Crossref works (auditor index build makes one)")
    assert main(["index", "info", str(tmp_path)]) == 2  # a folder that exists is no index
    assert "a folder, not an index" in capsys.readouterr().err


def test_index_only_without_an_index_is_a_usage_error(capsys):
    assert main(["check", str(TRAINING), "--index-only"]) == 2
    assert "--index-only needs an index" in capsys.readouterr().err


def test_the_library_and_a_catalogue_read_the_index_too(crossref, capsys, tmp_path):
    from auditor import audit

    write_data_file(tmp_path / "data", messages())
    index = tmp_path / "crossref.duckdb"
    build_index([tmp_path / "data"], index)
    report = audit(TRAINING, index=index, index_only=True, as_of="2026-11-27", journals=False)
    assert report.run.requests == 0 and report.run.index_hits >= 3
    victora = next(v for v in report.references if v.key == "victora2016")
    assert victora.resolution == "verified"
    folder = tmp_path / "trainings"
    folder.mkdir()
    for name in ("training.bib", "retracted.bib"):
        (folder / name).write_bytes((FIXTURES / "stand-in" / name).read_bytes())
    assert main(["check", str(folder), "--format", "json", "--index", str(index),
                 "--index-only", "--no-journals", *AS_OF]) in (0, 1, 4)
    catalogue = json.loads(capsys.readouterr().out)
    assert len(catalogue["trainings"]) == 2 and catalogue["run"]["requests"] == 0
    assert crossref.requests == []


@pytest.mark.parametrize("name", ["0.jsonl.gz", "0.json.gz"])
def test_a_build_killed_inside_a_big_file_goes_on_from_its_last_batch(name, tmp_path,
                                                                      monkeypatch):
    """JSON Lines go in a batch at a time, each committed with the line it reached (a page of
    the layout used up to 2024 is cut into lines, a record each): a build stopped between two
    batches inserts nothing twice and loses nothing."""
    import auditor.index.build as build

    records = [{**r, "DOI": f"10.5555/batch.{n}"} for n, r in enumerate(messages() * 20)]
    with gzip.open(tmp_path / name, "wt", encoding="utf-8") as lines:
        if name.endswith(".jsonl.gz"):
            lines.writelines(json.dumps(r) + "\n" for r in records)
        else:
            json.dump({"items": records}, lines, indent=1)
    monkeypatch.setattr(build, "BATCH_BYTES", 4_000)  # a few records per batch
    real_commit, inserted = build._commit, []

    def commit(*args, **kwargs):
        if len(inserted) == 2:
            raise KeyboardInterrupt  # as kill would, between two commits
        inserted.append(real_commit(*args, **kwargs))
        return inserted[-1]

    monkeypatch.setattr(build, "_commit", commit)
    with pytest.raises(KeyboardInterrupt):
        build_index([tmp_path / name], tmp_path / "crossref.duckdb")
    assert 0 < sum(inserted) < len(records)
    monkeypatch.setattr(build, "_commit", lambda *a, **k: inserted.append(real_commit(*a, **k))
                        or inserted[-1])
    built = build_index([tmp_path / name], tmp_path / "crossref.duckdb")
    assert sum(inserted) == len(records)  # each inserted once: no record twice, none lost
    assert built.records == len(records)
    with LocalIndex(tmp_path / "crossref.duckdb") as index:
        assert len(index.lookups(r["DOI"] for r in records)) == len(records)


def test_a_build_stopped_in_its_last_step_finishes_when_run_again(tmp_path, monkeypatch):
    """The last step writes the index anew beside the build (records packed, the search
    index that points at them) and only then puts it in the build's place: stopped in it,
    the build is refused as an index, nothing half-written is left beside it, and the rerun
    finishes it with every record found by its DOI and by its title."""
    import auditor.index.build as build
    from auditor.errors import AuditorError

    records = messages()
    write_data_file(tmp_path / "data", records)
    path = tmp_path / "crossref.duckdb"
    monkeypatch.setattr(build, "WORDS_MACRO", "CREATE MACRO title_words(t) AS (")
    with pytest.raises(AuditorError, match="last step of the build failed"):
        build_index([tmp_path / "data"], path)
    with pytest.raises(InputError, match="did not finish"):
        LocalIndex(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["crossref.duckdb", "data"]
    monkeypatch.undo()
    assert build_index([tmp_path / "data"], path).records == len(records)
    with LocalIndex(path) as index:
        assert len(index.lookups(r["DOI"] for r in records)) == len(records)
        titled = {r["DOI"]: r["title"][0] for r in records if r.get("title")}
        found = index.candidates(titled)
    assert titled and all(any(c["DOI"] == doi for c in found[doi]) for doi in titled)


def test_records_packed_with_a_trained_dictionary_read_back_the_same(tmp_path):
    """An index of many records packs each one with a dictionary trained on them (a small
    one packs without): the records read back are the same either way, and a record packed
    with the dictionary takes a fraction of its JSON text."""
    records = [{**r, "DOI": f"10.5555/many.{n}"} for n, r in enumerate(messages() * 300)]
    write_data_file(tmp_path / "many", records)
    write_data_file(tmp_path / "few", records[:30])
    build_index([tmp_path / "many"], tmp_path / "many.duckdb")
    build_index([tmp_path / "few"], tmp_path / "few.duckdb")
    dois = [r["DOI"] for r in records[:30]]
    with LocalIndex(tmp_path / "many.duckdb") as many, LocalIndex(tmp_path / "few.duckdb") as few:
        assert len(records) >= 1000 and many.records(dois) == few.records(dois)
        assert len(many.records(dois)) == 30
        size = "SELECT octet_length(dictionary) FROM packing"
        assert many._db.execute(size).fetchone()[0] > 0 == few._db.execute(size).fetchone()[0]
        packed = many._db.execute("SELECT avg(octet_length(record)) FROM works").fetchone()[0]
        texts = many.texts(r["DOI"] for r in records)
        assert packed < sum(map(len, texts.values())) / len(texts) / 3


def test_ctrl_c_in_the_last_step_is_an_interruption_and_the_build_goes_on_after(
        capsys, tmp_path, monkeypatch):
    """Ctrl-C while the engine runs a query of the last step stops the query with the
    engine's own error, not KeyboardInterrupt: it is said as an interruption (exit 130), not
    as a bug, nothing is left beside the build, and the same command then finishes it."""
    import auditor.index.build as build

    write_data_file(tmp_path / "data", messages())
    command = ["index", "build", str(tmp_path / "data"), "-o", str(tmp_path / "x.duckdb")]
    real_pack = build._pack

    def pack_until_ctrl_c(db, *args):
        real_pack(db, *args)
        db.execute("CREATE TABLE half_written AS SELECT 1")  # the next step had begun
        raise RuntimeError("Query interrupted")  # what DuckDB raises on SIGINT in a query

    monkeypatch.setattr(build, "_pack", pack_until_ctrl_c)
    assert main(command) == 130
    said = capsys.readouterr().err
    assert "interrupted" in said and "internal error" not in said
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "x.duckdb"]
    monkeypatch.undo()
    assert main(command) == 0
    with LocalIndex(tmp_path / "x.duckdb") as index:
        assert len(index.lookups(r["DOI"] for r in messages())) == len(messages())


def test_an_index_of_an_older_layout_is_refused_even_half_built(tmp_path):
    """An index another version began or built is never read (its tables differ), and the
    advice agrees with what the build says of it: build it again."""
    import duckdb

    write_data_file(tmp_path / "data", messages())
    path = tmp_path / "crossref.duckdb"
    build_index([tmp_path / "data"], path)
    with duckdb.connect(str(path)) as db:
        db.execute("UPDATE meta SET value = '2' WHERE key = 'format'")
        db.execute("UPDATE meta SET value = 'building' WHERE key = 'state'")
    with pytest.raises(InputError, match="built by another version of auditor; build it again"):
        LocalIndex(path)
    with pytest.raises(InputError, match="begun by another version of auditor: remove it"):
        build_index([tmp_path / "data"], path)


def test_searches_counted_in_small_chunks_find_the_same_candidates(tmp_path, monkeypatch):
    import auditor.index.local as local

    records = messages()
    write_data_file(tmp_path / "data", records)
    build_index([tmp_path / "data"], tmp_path / "crossref.duckdb")
    titled = {r["DOI"]: r["title"][0] for r in records if r.get("title")}
    with LocalIndex(tmp_path / "crossref.duckdb") as index:
        at_once = index.candidates(titled)
        monkeypatch.setattr(local, "_PAIRS", 1)  # every search in a query of its own
        one_by_one = index.candidates(titled)
    assert at_once == one_by_one and len(at_once) == len(titled)


# A catalogue checked from the index alone, shared among worker processes: the same catalogue,
# in the same order, with the same figures, as one process makes.

def _catalogue(folder, index, *flags: str, capsys) -> dict:
    code = main(["check", str(folder), "--format", "json", "--index", str(index),
                 "--index-only", "--no-journals", "--no-cache", *AS_OF, *flags])
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    for part in (report, *report["trainings"]):
        part.pop("generated_at")
    said = [line for line in captured.err.splitlines() if "skipped:" in line]
    return {"exit": code, "said": said, **report}


def test_workers_give_the_catalogue_one_process_gives(crossref, capsys, tmp_path, monkeypatch):
    write_data_file(tmp_path / "data", messages())
    index = tmp_path / "crossref.duckdb"
    build_index([tmp_path / "data"], index)
    folder = tmp_path / "trainings"
    folder.mkdir()
    sources = [FIXTURES / "stand-in" / name for name in ("training.bib", "retracted.bib")]
    for n in range(9):
        (folder / f"t{n}.bib").write_bytes(sources[n % 2].read_bytes())
    (folder / "t4b.bib").write_text("@article{broken, title = {No end", encoding="utf-8")
    (folder / "t7b.docx").write_bytes(b"not a Word file")
    monkeypatch.setattr(workers, "MIN_TASK", 3)  # 11 files: 4 tasks of at most 3
    monkeypatch.setattr(workers, "MAX_TASK", 3)
    alone = _catalogue(folder, index, "--jobs", "1", capsys=capsys)
    shared = _catalogue(folder, index, "--jobs", "2", capsys=capsys)
    assert crossref.requests == []
    assert [t["inputs"] for t in shared["trainings"]] == [t["inputs"] for t in
                                                          alone["trainings"]]
    assert len(shared["trainings"]) == 9 and shared["run"]["requests"] == 0
    # a DOI two shares cite is answered (and counted) in each: the one difference
    assert shared["run"]["index_hits"] >= alone["run"]["index_hits"] > 0
    for part in (shared, *shared["trainings"], alone, *alone["trainings"]):
        part["run"].pop("index_hits")
    assert [s["file"] for s in shared["skipped"]] == [s["file"] for s in alone["skipped"]] == [
        str(folder / "t4b.bib"), str(folder / "t7b.docx")]
    # each skipped file is said, the one read whole with no reference too, with its place
    assert len(shared["said"]) == 2 and "t4b.bib: no readable reference (1 block that" in "".join(
        shared["said"]) and "first at " in "".join(shared["said"])
    assert shared == alone


def test_workers_only_when_no_server_is_asked(tmp_path):
    from auditor.config import load_settings

    def count(**values) -> int:
        return worker_count(load_settings(values, environ={}, read_config_file=False), 1000)

    # --index-only asks no server (the journal lists and PubMed from the cache alone)
    assert count(index=tmp_path, index_only=True, pubmed=True, jobs=2) == 2
    # Crossref's API would be asked: one process, one rate limit
    assert count(index=tmp_path, journals=False, jobs=2) == 1
    many = load_settings({"index": tmp_path, "index_only": True, "journals": False, "jobs": 8},
                         environ={}, read_config_file=False)
    # never more processes than the smallest tasks of MIN_TASK trainings; fewer than two: one
    assert [worker_count(many, n) for n in (250, 90)] == [5, 1]


def test_a_catalogue_is_cut_into_tasks_that_end_together():
    names = [f"training-{n:05d}.bib" for n in range(10_000)]
    tasks = workers.tasks_of(names, 2)
    # every training once, in the order of the files
    assert [name for task in tasks for name in task] == names
    sizes = [len(task) for task in tasks]
    # tasks never grow, and while much is left they are of one size
    assert sizes == sorted(sizes, reverse=True) and sizes[0] == workers.MAX_TASK
    # the last ones are small: a worker left alone at the end has a small task to finish
    assert max(sizes[-4:]) <= workers.MIN_TASK < workers.MAX_TASK
    assert all(size >= workers.MIN_TASK for size in sizes[:-1])
    # a catalogue of two of the smallest tasks is just that
    assert [len(t) for t in workers.tasks_of(names[:2 * workers.MIN_TASK], 2)] == [
        workers.MIN_TASK] * 2


def test_the_figures_of_a_run_done_in_parts_add_up():
    total = combined_figures([RunFigures(index_hits=3, journal_requests=None),
                              RunFigures(index_hits=4, retractions_as_of="2026-11-30"),
                              RunFigures(requests=1, pubmed_requests=2)])
    assert (total.index_hits, total.requests, total.pubmed_requests) == (7, 1, 2)
    assert total.journal_requests is None and total.retractions_as_of == "2026-11-30"


def test_packed_verdicts_read_as_the_list_they_were_made_from():
    import pickle

    from builders import verdict

    verdicts = [verdict(f"r{n}", {"title": [f"Title {n}"], "type": "journal-article"})
                for n in range(3)]
    packed = workers.Packed(verdicts)
    other = workers.Packed(verdicts[:2])
    assert list(other) == verdicts[:2]  # another training read in between
    assert len(packed) == 3 and packed[1] == verdicts[1] and packed[-2:] == verdicts[-2:]
    assert packed == verdicts and packed != other
    again = pickle.loads(pickle.dumps(packed))  # as a worker sends it
    assert list(again) == verdicts and [v.reference.key for v in again] == ["r0", "r1", "r2"]


def test_what_one_pass_read_answers_the_lookups_and_searches_with_the_same_records(tmp_path):
    # Reading scattered rows costs a pass over the table: an audit reads once, before asking.
    records = messages()
    write_data_file(tmp_path / "data", records)
    build_index([tmp_path / "data"], tmp_path / "crossref.duckdb")
    dois = [r["DOI"] for r in records] + ["10.9999/absent"]
    titled = {r["DOI"]: r["title"][0] for r in records if r.get("title")}
    with LocalIndex(tmp_path / "crossref.duckdb") as plain:
        expected = (plain.texts(dois), plain.candidates(titled))
    with LocalIndex(tmp_path / "crossref.duckdb") as index:
        index.prefetch(dois, titled.values())

        class Closed:  # the engine, no longer there to ask
            def execute(self, *args):
                raise AssertionError("asked the engine again")

        engine, index._db = index._db, Closed()
        try:
            assert (index.texts(dois), index.candidates(titled)) == expected
        finally:
            index._db = engine
    assert len(expected[0]) == len(records) and len(expected[1]) == len(titled)


def test_dois_that_share_a_key_each_get_their_own_record(tmp_path):
    """A DOI is found by a 64-bit key of its text, and two DOIs may share one: here every DOI
    of the index is given the same key, and each lookup still gives the DOI's own record, and
    none to a DOI the index lacks."""
    import duckdb

    records = messages()
    write_data_file(tmp_path / "data", records)
    path = tmp_path / "crossref.duckdb"
    build_index([tmp_path / "data"], path)
    with duckdb.connect(str(path)) as db:
        db.execute("CREATE OR REPLACE MACRO doi_hash(d) AS 7::UBIGINT")
        db.execute("UPDATE works SET doi_hash = 7")
        db.execute("UPDATE meta SET value = '7' WHERE key = 'doi_check'")
    asked = records[::2]  # the others share the key too, and are not asked for
    dois = [r["DOI"] for r in asked] + ["10.9999/absent"]
    with LocalIndex(path) as index:
        texts = index.texts(dois)
        index.prefetch(dois, [])
        assert index.texts(dois) == texts
    assert {doi: json.loads(text)["DOI"].lower() for doi, text in texts.items()} == {
        r["DOI"].lower(): r["DOI"].lower() for r in asked}


@pytest.mark.parametrize(("damage", "said"), [
    ("UPDATE meta SET value = '12345' WHERE key = 'doi_check'",
     "keys DOIs differently; build it again"),
    ("DROP MACRO doi_hash", "keys DOIs differently; build it again"),
    ("DELETE FROM meta WHERE key = 'doi_check'", "another version of auditor; build it again"),
])
def test_an_index_whose_dois_are_keyed_otherwise_is_refused(damage, said, tmp_path):
    # were the engine to key a DOI otherwise, every DOI would seem absent: refused instead
    import duckdb

    write_data_file(tmp_path / "data", messages())
    path = tmp_path / "crossref.duckdb"
    build_index([tmp_path / "data"], path)
    with duckdb.connect(str(path)) as db:
        db.execute(damage)
    with pytest.raises(InputError, match=said):
        LocalIndex(path)
    with duckdb.connect(str(path)) as db:  # the refused index was closed: it opens for writing
        assert db.execute("SELECT count(*) FROM works").fetchone()[0] == len(messages())


def test_an_index_where_none_can_be_written_is_said_in_one_line(capsys, tmp_path):
    write_data_file(tmp_path / "data", messages())
    (tmp_path / "a-file").write_text("not a folder", "utf-8")
    assert main(["index", "build", str(tmp_path / "data"), "-o",
                 str(tmp_path / "a-file" / "x.duckdb")]) == 2
    said = capsys.readouterr().err
    assert "cannot write the index there" in said and "internal error" not in said


def test_a_full_disk_is_not_blamed_on_the_file_being_read(capsys, tmp_path, monkeypatch):
    import errno

    import auditor.index.build as build

    def full(*args):
        raise OSError(errno.ENOSPC, "No space left on device")
        yield  # a generator, as the batches are

    write_data_file(tmp_path / "data", messages())
    monkeypatch.setattr(build, "_batches", full)
    assert main(["index", "build", str(tmp_path / "data"), "-o",
                 str(tmp_path / "x.duckdb")]) == 2
    said = capsys.readouterr().err
    assert "no room left on the disk of the index while reading" in said
    assert "mend it" not in said  # the file is not damaged


def test_ctrl_c_ends_the_progress_line_before_saying_interrupted(capsys, tmp_path, monkeypatch):
    import sys

    import auditor.index.build as build

    def pack_a_little(db, source, records, on_packed):
        on_packed(1, records)  # the line is being rewritten on the terminal
        raise KeyboardInterrupt

    write_data_file(tmp_path / "data", messages())
    monkeypatch.setattr(build, "_pack", pack_a_little)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert main(["index", "build", str(tmp_path / "data"), "-o",
                 str(tmp_path / "x.duckdb")]) == 130
    assert "the titles\r\nauditor: interrupted" in capsys.readouterr().err
