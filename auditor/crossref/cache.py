"""The per-DOI SQLite cache: a second run asks Crossref nothing it already knows.

One row per (server, DOI): the raw work JSON (so a better parser never needs a refetch), whether
the DOI was found, and when it was fetched. Answers are kept per server (the Crossref base URL),
so a mirror or a test stand-in never answers for api.crossref.org, nor the other way round.
WAL mode and a busy timeout let two runs share the file; each batch of answers is written in one
transaction, so a killed run loses at most the batch in flight.
"Unchecked" answers are never stored: only what the registry said.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from auditor.config import DEFAULT_CROSSREF_URL, Settings
from auditor.crossref.records import slim_record
from auditor.i18n import _

T = TypeVar("T")
SCHEMA_VERSION = 3
DAY = 86_400.0


@dataclass(frozen=True)
class CachedAnswer:
    doi: str
    found: bool
    record: dict[str, Any] | None
    fetched_at: float


class NoCache:
    """Stands in when caching is off (`--no-cache`) or the cache file cannot be opened."""

    path: Path | None = None

    def get_many(self, dois: Iterable[str], now: float | None = None) -> dict[str, CachedAnswer]:
        return {}

    def put_many(self, answers: Iterable[CachedAnswer]) -> None:
        return None

    def get_search(self, query: str, now: float | None = None) -> list[dict[str, Any]] | None:
        return None

    def put_search(self, query: str, items: list[dict[str, Any]]) -> None:
        return None

    def close(self) -> None:
        return None


class CacheGuard:
    """A cache whose failures (disk full, locked, damaged) drop it with one warning, the run
    going on without it: `guard("read", lambda cache: cache.get_many(dois), {})`."""

    def __init__(self, cache: NoCache, warn: Callable[[str], None], purpose: str = "") -> None:
        self.cache = cache
        self._warn = warn
        self._purpose = purpose  # " for PubMed": said in the warning

    def __call__(self, verb: str, call: Callable[[NoCache], T], default: T) -> T:
        try:
            return call(self.cache)
        except (sqlite3.Error, OSError) as exc:
            self._warn(_("cache {path} cannot be {verb}{purpose} ({why}); continuing without "
                         "it").format(path=self.cache.path, verb=verb, purpose=self._purpose,
                                      why=exc))
            self.cache = NoCache()
            return default


class Cache(NoCache):
    """SQLite store at `path` for the answers of `server`; found records live `found_ttl`
    seconds, not-found ones `not_found_ttl`."""

    def __init__(self, path: Path, server: str = DEFAULT_CROSSREF_URL,
                 found_ttl: float = Settings.cache_days * DAY,
                 not_found_ttl: float = Settings.not_found_cache_days * DAY):
        self.path = path
        self.server = server.rstrip("/")
        self.found_ttl = found_ttl
        self.not_found_ttl = not_found_ttl
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, timeout=30, isolation_level=None,
                                   check_same_thread=False)
        self._db.execute("PRAGMA busy_timeout = 30000")
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = NORMAL")
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version != SCHEMA_VERSION:
            # Written by another version of the auditor (or by something else): it is only a
            # cache, start over.
            self._db.execute("DROP TABLE IF EXISTS works")
            self._db.execute("DROP TABLE IF EXISTS searches")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS works ("
            " server TEXT NOT NULL,"
            " doi TEXT NOT NULL,"
            " found INTEGER NOT NULL,"
            " record TEXT,"
            " fetched_at REAL NOT NULL,"
            " PRIMARY KEY (server, doi))"
        )
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS searches ("
            " server TEXT NOT NULL,"
            " query TEXT NOT NULL,"
            " items TEXT NOT NULL,"
            " fetched_at REAL NOT NULL,"
            " PRIMARY KEY (server, query))"
        )
        self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def get_many(self, dois: Iterable[str], now: float | None = None) -> dict[str, CachedAnswer]:
        """Fresh answers for the DOIs that have one; stale and absent DOIs are left out."""
        now = time.time() if now is None else now
        wanted = list(dict.fromkeys(d.lower() for d in dois))
        out: dict[str, CachedAnswer] = {}
        for start in range(0, len(wanted), 500):  # stay below SQLite's variable limit
            chunk = wanted[start:start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                "SELECT doi, found, record, fetched_at FROM works"
                f" WHERE server = ? AND doi IN ({marks})", [self.server, *chunk])
            for doi, found, record, fetched_at in rows:
                ttl = self.found_ttl if found else self.not_found_ttl
                if now - fetched_at > ttl:
                    continue
                try:
                    parsed = json.loads(record) if record else None
                except ValueError:
                    continue  # a damaged row is simply a miss
                out[doi] = CachedAnswer(doi, bool(found), parsed, fetched_at)
        return out

    def put_many(self, answers: Iterable[CachedAnswer]) -> None:
        """Write a batch of answers in one transaction."""
        rows = [(self.server, a.doi.lower(), int(a.found),
                 json.dumps(slim_record(a.record), separators=(",", ":"))
                 if a.record is not None else None,
                 a.fetched_at) for a in answers]
        if not rows:
            return
        with self._transaction():
            self._db.executemany(
                "INSERT OR REPLACE INTO works (server, doi, found, record, fetched_at)"
                " VALUES (?, ?, ?, ?, ?)",
                rows)

    def stats(self, now: float | None = None) -> list[dict[str, object]]:
        """Per server: found and not-found rows, how many are still fresh, oldest and newest."""
        now = time.time() if now is None else now
        rows = self._db.execute(
            "SELECT server, found, COUNT(*), SUM(? - fetched_at <= CASE WHEN found = 1 THEN ?"
            " ELSE ? END), MIN(fetched_at), MAX(fetched_at) FROM works GROUP BY server, found"
            " ORDER BY server, found DESC", (now, self.found_ttl, self.not_found_ttl))
        out: dict[str, dict[str, object]] = {}
        for server, found, count, fresh, oldest, newest in rows:
            entry = out.setdefault(server, {"server": server, "found": 0, "not_found": 0,
                                            "fresh": 0, "oldest": oldest, "newest": newest})
            entry["found" if found else "not_found"] = count
            entry["fresh"] = int(entry["fresh"]) + int(fresh or 0)
            entry["oldest"] = min(entry["oldest"], oldest)
            entry["newest"] = max(entry["newest"], newest)
        return list(out.values())

    def get_search(self, query: str, now: float | None = None) -> list[dict[str, Any]] | None:
        """The candidates a search returned (kept as long as found records), or None."""
        now = time.time() if now is None else now
        row = self._db.execute("SELECT items, fetched_at FROM searches WHERE server = ? AND"
                               " query = ?", (self.server, query)).fetchone()
        if row is None or now - row[1] > self.found_ttl:
            return None
        try:
            items = json.loads(row[0])
        except ValueError:
            return None
        return items if isinstance(items, list) else None

    def put_search(self, query: str, items: list[dict[str, Any]]) -> None:
        with self._transaction():
            self._db.execute("INSERT OR REPLACE INTO searches (server, query, items, fetched_at)"
                             " VALUES (?, ?, ?, ?)", (self.server, query,
                                                      json.dumps([slim_record(i) for i in items],
                                                                 separators=(",", ":")),
                                                      time.time()))

    def clear(self) -> int:
        """Delete every answer and search, of every server; returns how many."""
        with self._transaction():
            count = self._db.execute("DELETE FROM works").rowcount
            count += self._db.execute("DELETE FROM searches").rowcount
        return count

    def close(self) -> None:
        self._db.close()

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)


class _Transaction:
    def __init__(self, db: sqlite3.Connection):
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, *_: object) -> None:
        self._db.execute("ROLLBACK" if exc_type else "COMMIT")
