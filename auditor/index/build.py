"""Build a local index of Crossref works: DuckDB reads each unit of the sources (one file of
records) and keeps, per lower-cased DOI, only the fields the judges read
(crossref/records.py READ_FIELDS), one JSON column each; then duplicates are dropped (the
most recently indexed record wins), and the index is written anew beside the build: each
record packed (index/packing.py), the words of the titles, the snapshot dated by the newest
`created`, marked complete — and put in the build's place.

Bounded memory whatever the input: the engine streams each file under a memory limit and
spills to a scratch folder beside the index. Resumable: each unit is inserted in one
transaction together with the line that records it done, so a killed build (even kill -9)
keeps exactly the units it finished and the next run starts at the first one not done; an
index is used only once the last step has marked it complete.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import tarfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from auditor._version import __version__
from auditor.crossref.records import PERSON_FIELDS, READ_FIELDS
from auditor.errors import AuditorError, InputError
from auditor.i18n import Said
from auditor.index.documents import LONG_LINE, open_bytes, record_lines, slimmed
from auditor.index.packing import SAMPLES, Packer, trained_dictionary
from auditor.index.sources import NO_ROOM, Unit, local_file, no_room, units, unreadable

FORMAT = "4"  # the index's layout; an index of another layout is rebuilt, not read
MEMORY_LIMIT = "1GB"  # a build's
READ_MEMORY_LIMIT = "512MB"  # an audit's: a catalogue's workers read the index at once
BATCH_BYTES = 32 << 20  # JSON Lines go in this much at a time: memory stays bounded
_PACKED_AT_ONCE = 50_000  # records packed and inserted together in the last step
# Words too common to tell one title from another (English and French): never searched by.
STOP_WORDS = ("the", "and", "for", "with", "from", "into", "its", "their", "are", "was",
              "were", "des", "les", "une", "dans", "par", "pour", "sur", "avec", "aux", "est")
# The words of a title, the same at build and search time (one macro, stored in the index):
# lower case, accents dropped, split at anything not a letter or digit, 3 letters or more.
WORDS_MACRO = ("CREATE OR REPLACE MACRO title_words(t) AS list_distinct(list_filter("
               "string_split(regexp_replace(strip_accents(lower(t)), '[^a-z0-9]+', ' ', 'g'), "
               "' '), lambda w: length(w) >= 3 AND NOT list_contains(["
               + ", ".join(f"'{w}'" for w in STOP_WORDS) + "], w)))")


# A DOI's key in `works`: the first 64 bits of its MD5, from the hexadecimal digest (a standard,
# so the same in any version of the engine; `doi_check` below makes sure). Found by key, 10^5
# DOIs among 10^7 took 0.22 s against 0.55 s by the DOI's text: numbers are read and compared
# faster than strings. Two DOIs may share a key (somewhere among 1.8·10^8 DOIs, a chance of 1
# in 1,100): a lookup keeps only the rows of its own DOI.
DOI_HASH_MACRO = "CREATE OR REPLACE MACRO doi_hash(d) AS ('0x' || left(md5(d), 16))::UBIGINT"
DOI_CHECK = "10.1000/182"  # the DOI Handbook's DOI: its key is kept, and compared when read


def column(field: str) -> str:
    """The SQL name of a record field's column (`container-title` needs quotes)."""
    return '"' + field.replace('"', '""') + '"'


# A record's JSON text from the build's columns: what the index packs and a lookup gives back.
RECORD_SQL = ("json_object(" + ", ".join(f"'{f}', {column(f)}" for f in READ_FIELDS)
              + ")::VARCHAR")


# Each record is parsed once: every kept field (and the dates that order duplicates) in one
# json_extract, then read by position. (One extraction per field held a parsed copy of the
# whole record per field: a 32 MB batch of records with long reference lists passed 1 GB.)
_PATHS = (*READ_FIELDS, "indexed", "deposited")


def _paths_sql() -> str:
    return "[" + ", ".join("'$.\"" + field + "\"'" for field in _PATHS) + "]"


def _field_sql(field: str) -> str:
    """The column of one kept field, from `v` (the extracted values, 1-based)."""
    value = f"v[{_PATHS.index(field) + 1}]"
    if field in ("author", "editor"):  # of a person, the names only
        shape = "[{" + ",".join(f'"{name}":"VARCHAR"' for name in PERSON_FIELDS) + "}]"
        return (f"CASE WHEN json_type({value}) = 'ARRAY' THEN "
                f"to_json(json_transform({value}, '{shape}')) END")
    return value


def _records_sql(lines: bool) -> str:
    """The work records of a file, one JSON per row, whatever the layout: JSON Lines, a
    `{"items": [...]}` page, a REST envelope `{"message": …}`, a list, or one record."""
    reader = ("read_ndjson_objects(?)" if lines else "read_json_objects(?, format = 'auto')")
    return (f"WITH raw AS (SELECT json AS j FROM {reader}) "
            "SELECT unnest(json_extract(j, '$.items[*]')) AS r FROM raw "
            "WHERE json_exists(j, '$.items') "
            "UNION ALL SELECT unnest(json_extract(j, '$.message.items[*]')) FROM raw "
            "WHERE json_exists(j, '$.message.items') "
            "UNION ALL SELECT j->'message' FROM raw "
            "WHERE json_exists(j, '$.message') AND NOT json_exists(j, '$.message.items') "
            "UNION ALL SELECT j FROM raw "
            "WHERE NOT json_exists(j, '$.items') AND NOT json_exists(j, '$.message')")


@dataclass
class Built:
    """What a build did: units read now and before, records kept, the snapshot's date."""

    units: int
    resumed: int
    records: int
    snapshot: str | None
    seconds: float


_WORKER_ENGINE = ("SET threads = 1", "SET memory_limit = '256MB'")
_in_a_worker = False


def engine_for_a_worker() -> None:
    """In a catalogue's worker, the engine on one thread and under 256 MB: the workers share
    the cores (each on one thread, they did 10 % more than each on all) and the memory."""
    global _in_a_worker
    _in_a_worker = True


def connect(path: Path, read_only: bool = False):  # -> duckdb.DuckDBPyConnection
    import duckdb  # the engine only when an index is built or read

    try:
        db = duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as error:
        raise InputError(Said("{path}: not a local index auditor can open ({why})",
                              path=str(path), why=str(error).splitlines()[0])) from None
    db.execute(f"SET memory_limit = '{READ_MEMORY_LIMIT if read_only else MEMORY_LIMIT}'")
    # the engine's own bar would be printed into standard output, a JSON report included
    db.execute("SET enable_progress_bar = false")
    for setting in _WORKER_ENGINE if _in_a_worker else ():
        db.execute(setting)
    db.execute("SET preserve_insertion_order = false")
    return db


def _meta(db, key: str) -> str | None:
    row = db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def _set(db, **values: object) -> None:
    for key, value in values.items():
        db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, str(value)])


def build_index(sources: Sequence[str | Path], output: str | Path, *,
                on_start: Callable[[int, int], None] | None = None,
                on_unit: Callable[[Unit, int, int], None] | None = None,
                on_packed: Callable[[int, int], None] | None = None) -> Built:
    """Build (or finish building) the index at `output` from `sources`; `on_start(records,
    units)` with what earlier runs kept, `on_unit(unit, records so far, units done)` after
    each unit, `on_packed(records packed, records)` in the last step. InputError for sources
    that hold no records or an output that is a complete index already."""
    import duckdb

    started = time.monotonic()
    todo = units(list(sources))
    output = Path(output)
    if output.resolve() in {unit.path.resolve() for unit in todo}:
        raise InputError(Said("-o {path} is a source of the build: name a new file for the "
                              "index", path=str(output)))
    if output.is_file() and output.stat().st_size and not is_duckdb(output):
        raise InputError(Said("{path} exists and is no index: a build writes a new file, or "
                              "goes on with an index it began", path=str(output)))
    scratch = output.with_name(output.name + ".scratch")
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        scratch.mkdir(exist_ok=True)
    except OSError as error:
        raise InputError(Said("{path}: cannot write the index there ({why})", path=str(output),
                              why=error.strerror or str(error))) from None
    db = connect(output)
    try:
        db.execute("SET temp_directory = '" + str(scratch).replace("'", "''") + "'")
        db.execute("CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
        if _meta(db, "state") == "complete":
            raise InputError(Said("{path} is a complete index already: remove it, or build "
                                  "into another file", path=str(output)))
        if _meta(db, "format") not in (None, FORMAT):
            raise InputError(Said("{path} was begun by another version of auditor: remove it "
                                  "and build again", path=str(output)))
        _set(db, format=FORMAT, state="building", auditor=__version__)
        columns = ", ".join(f"{column(f)} JSON" for f in READ_FIELDS)
        if "works" not in _tables(db):  # else every unit was read: the last step remains
            db.execute("CREATE TABLE IF NOT EXISTS staged (doi_key VARCHAR, indexed VARCHAR, "
                       f"{columns})")
        db.execute("CREATE TABLE IF NOT EXISTS units (name VARCHAR PRIMARY KEY, lines BIGINT, "
                   "records BIGINT, done BOOLEAN)")
        progress = {name: (lines, count, done) for name, lines, count, done
                    in db.execute("SELECT name, lines, records, done FROM units").fetchall()}
        stale = set(progress) - {unit.name for unit in todo}
        if stale:
            raise InputError(Said("{path} was begun with {example}, which is not among the "
                                  "sources now: give the same sources again (mended), or "
                                  "remove {path} to build it anew without it",
                                  path=str(output), example=sorted(stale)[0]))
        records = sum(count for _lines, count, _done in progress.values())
        resumed = sum(1 for unit in todo if progress.get(unit.name, (0, 0, False))[2])
        finished = resumed
        if on_start is not None:
            on_start(records, resumed)
        fields = ", ".join(_field_sql(f) for f in READ_FIELDS)
        for unit in todo:
            lines, _count, done = progress.get(unit.name, (0, 0, False))
            if done:
                continue
            records += _insert(db, unit, fields, scratch, lines)
            finished += 1
            if on_unit is not None:
                on_unit(unit, records, finished)
        try:
            snapshot, kept = _finish(db, output, on_packed)
        except duckdb.Error as error:
            with contextlib.suppress(duckdb.Error):
                db.execute("ROLLBACK")
            raise AuditorError(Said("{path}: the last step of the build failed ({why}); every "
                                    "file read is kept: run the same build again to retry",
                                    path=str(output), why=str(error).splitlines()[0])) from None
        db.close()
        _swap(output)
        return Built(len(todo), resumed, kept, snapshot, time.monotonic() - started)
    finally:
        db.close()
        _remove(packing_path(output))  # a last step stopped halfway (after kill -9: the next)
        shutil.rmtree(scratch, ignore_errors=True)


def _insert(db, unit: Unit, fields: str, scratch: Path, skip: int) -> int:
    """One unit's records into `staged`, BATCH_BYTES of JSON Lines at a time from line `skip`
    on (where an interrupted run stopped); a JSON document's list of records is cut into
    lines first, and one that holds no list (a record alone) is read whole. Each batch
    commits together with how far the unit got, so memory stays bounded and nothing is
    inserted twice."""
    count = 0
    try:
        with local_file(unit, scratch) as path, _lines_of(unit, path) as lines:
            if lines is None:  # one transaction: its records and the unit done
                return _commit(db, unit, fields, path, lines=0, done=True, as_lines=False)
            for batch, reached in _batches(lines, skip, scratch / "batch.jsonl"):
                count += _commit(db, unit, fields, batch, lines=reached)
    except OSError as error:
        if error.errno in NO_ROOM:  # writing, not reading: the index's disk is full
            raise no_room(unit, error.strerror) from None
        raise unreadable(unit, error) from None
    except (EOFError, ValueError, RecursionError, tarfile.TarError) as error:  # damaged
        raise unreadable(unit, error) from None
    db.execute("UPDATE units SET done = true WHERE name = ?", [unit.name])
    return count


def is_duckdb(path: Path) -> bool:
    """Whether the file is a DuckDB database (an index, or some other)."""
    with path.open("rb") as head:
        return head.read(12)[8:] == b"DUCK"  # DuckDB's mark, at the same place in every file


@contextlib.contextmanager
def _lines_of(unit: Unit, path: Path) -> Iterator[Iterator[bytes] | None]:
    """The unit's records a line each (None: a JSON document to read whole)."""
    if not unit.lines:
        with record_lines(path) as lines:
            yield lines
        return
    with open_bytes(path) as source:
        yield source


def _batches(source: Iterator[bytes], skip: int, batch: Path) -> Iterator[tuple[Path, int]]:
    """The lines after the first `skip`, written to `batch` a chunk at a time: (the batch
    file, the number of lines read so far)."""
    lines, size, chunk = 0, 0, []
    for line in source:
        lines += 1
        if lines <= skip:
            continue
        if len(line) > LONG_LINE:  # the engine reads no line past 32 MB: keep what it reads
            line = slimmed(line, _PATHS)
        chunk.append(line)
        size += len(line)
        if size >= BATCH_BYTES:
            batch.write_bytes(b"".join(chunk))
            yield batch, lines
            chunk, size = [], 0
    if chunk or lines <= skip:
        batch.write_bytes(b"".join(chunk))
        yield batch, lines


def _commit(db, unit: Unit, fields: str, path: Path, lines: int, done: bool = False,
            as_lines: bool = True) -> int:
    """The records of `path` (JSON Lines, or a JSON document) into `staged`, and the unit's
    progress, in one transaction."""
    import duckdb

    db.execute("BEGIN TRANSACTION")
    try:
        doi = "trim(v[1]->>'$')"
        dated = (f"coalesce(v[{len(_PATHS) - 1}]->>'$.\"date-time\"', "
                 f"v[{len(_PATHS)}]->>'$.\"date-time\"')")
        count = db.execute(
            f"INSERT INTO staged SELECT lower({doi}), {dated}, {fields} FROM ("
            f"SELECT json_extract(r, {_paths_sql()}) AS v FROM ({_records_sql(as_lines)}) "
            f"AS records(r)) WHERE coalesce({doi}, '') <> ''", [str(path)]).fetchone()[0]
        db.execute("INSERT INTO units VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET "
                   "lines = excluded.lines, records = units.records + excluded.records, "
                   "done = excluded.done", [unit.name, lines, count, done])
        db.execute("COMMIT")
    except duckdb.Error as error:
        db.execute("ROLLBACK")
        why = str(error).splitlines()[0].replace(str(path), unit.name)  # not the scratch copy
        if "No space left on device" in why or "Disk quota exceeded" in why:
            raise no_room(unit, why) from None
        raise AuditorError(Said("{unit}: cannot read its records ({why})", unit=unit.name,
                                why=why)) from None
    return count


def _tables(db) -> set[str]:
    return {name for (name,) in db.execute("SELECT table_name FROM duckdb_tables()").fetchall()}


def _finish(db, output: Path, on_packed: Callable[[int, int], None] | None
            ) -> tuple[str | None, int]:
    """One record per DOI (the most recently indexed), then the index itself written anew
    beside the build (`packing_path`): each record packed, the words of the titles, the
    snapshot's date, marked complete. The build's file is left whole until `_swap` puts the
    new one in its place, so a build stopped in this step does it again from the start."""
    if "staged" in _tables(db):
        db.execute("BEGIN TRANSACTION")
        db.execute("DROP TABLE IF EXISTS works")
        duplicated = db.execute("SELECT count(*) - count(DISTINCT doi_key) FROM staged"
                                ).fetchone()[0]
        if duplicated:
            db.execute("CREATE TABLE works AS SELECT * EXCLUDE (indexed) FROM staged QUALIFY "
                       "row_number() OVER (PARTITION BY doi_key ORDER BY indexed DESC NULLS "
                       "LAST) = 1")
            db.execute("DROP TABLE staged")
        else:
            db.execute("ALTER TABLE staged DROP COLUMN indexed")
            db.execute("ALTER TABLE staged RENAME TO works")
        db.execute("COMMIT")
    building = db.execute("SELECT current_database()").fetchone()[0]
    source = f'"{building}".works'
    kept = db.execute(f"SELECT count(*) FROM {source}").fetchone()[0]
    snapshot = db.execute(f"SELECT max(created->>'date-time') FROM {source}").fetchone()[0]
    fresh = packing_path(output)
    _remove(fresh)
    db.execute("ATTACH '" + str(fresh).replace("'", "''") + "' AS packed")
    db.execute("USE packed")
    db.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    db.execute(f'INSERT INTO meta SELECT * FROM "{building}".meta')
    db.execute(DOI_HASH_MACRO)
    _set(db, doi_check=doi_check(db))
    _pack(db, source, kept, on_packed)
    # The search index: per word of a title, how many titles hold it and which (their `id`
    # in `works`: a lookup fetches those records alone).
    db.execute(WORDS_MACRO)
    titles = " || ' ' || ".join(
        f"coalesce(array_to_string(json_transform({column(f)}, '[\"VARCHAR\"]'), ' '), '')"
        for f in ("title", "original-title", "subtitle"))
    # (title_words gives each word of a title once: no DISTINCT)
    db.execute("CREATE TABLE postings AS SELECT word, count(*)::INTEGER AS titles, list(id) AS "
               f"ids FROM (SELECT rowid::INTEGER AS id, unnest(title_words({titles})) AS word "
               f"FROM {source}) GROUP BY word")
    _set(db, state="complete", records=kept, snapshot=(snapshot or "")[:10],
         built=dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    db.execute("CHECKPOINT packed")
    db.execute(f'USE "{building}"')
    db.execute("DETACH packed")
    return (snapshot or "")[:10] or None, kept


def _pack(db, source: str, records: int, on_packed: Callable[[int, int], None] | None
          ) -> None:
    """`works` (id: the row of the build's table, the DOI, its key, the record packed) and
    the dictionary it was packed with (`packing`), from the build's table of columns."""
    texts = f"SELECT rowid::INTEGER, doi_key, {RECORD_SQL} FROM {source}"
    sample = [text.encode() for (text,) in db.execute(
        f"SELECT {RECORD_SQL} FROM {source} USING SAMPLE {SAMPLES} ROWS").fetchall()]
    dictionary = trained_dictionary(sample)
    db.execute("CREATE TABLE packing (dictionary BLOB)")
    db.execute("INSERT INTO packing VALUES (?)", [dictionary])
    db.execute("CREATE TABLE works (id INTEGER, doi_key VARCHAR, doi_hash UBIGINT, "
               "record BLOB)")
    packer = Packer(dictionary)
    reading = db.cursor()  # its own connection: the rows stream while the others are written
    rows = reading.execute(texts)
    packed = 0
    while batch := rows.fetchmany(_PACKED_AT_ONCE):
        db.execute("INSERT INTO works SELECT id, doi, doi_hash(doi), record FROM (SELECT "
                   "unnest(?::INTEGER[]) AS id, unnest(?::VARCHAR[]) AS doi, "
                   "unnest(?::BLOB[]) AS record)", [[row for row, _, _ in batch],
                                         [doi for _, doi, _ in batch],
                                         [packer.pack(text) for _, _, text in batch]])
        packed += len(batch)
        if on_packed is not None:
            on_packed(packed, records)
    reading.close()


def doi_check(db) -> str:
    """The key of DOI_CHECK, as this engine computes it: an index is read only by an engine
    that keys DOIs as the one that built it did."""
    return str(db.execute("SELECT doi_hash(?)", [DOI_CHECK]).fetchone()[0])


def packing_path(output: Path) -> Path:
    """Where the last step writes the index, before it takes the build's place."""
    return output.with_name(output.name + ".packing")


def _remove(path: Path) -> None:
    """A database file and its write-ahead log (the log of a file gone must not be replayed
    into the next one of that name)."""
    path.unlink(missing_ok=True)
    path.with_name(path.name + ".wal").unlink(missing_ok=True)


def _swap(output: Path) -> None:
    """The index the last step wrote, in the build's place (one rename: there is always
    either the build, resumable, or the complete index)."""
    output.with_name(output.name + ".wal").unlink(missing_ok=True)
    packing_path(output).replace(output)
