"""A built index, read: the records of DOIs (the same Lookups the Crossref client gives, so the
judges cannot tell the difference), and what the index is (`auditor index info`).

Opened read-only, so that any number of audits can read one index at once; an index whose
build has not finished is refused, never read as if complete.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditor.config import Settings
from auditor.crossref.asking import RunStats
from auditor.crossref.records import READ_FIELDS, work_from_message
from auditor.crossref.search import ROWS
from auditor.errors import ConfigError, InputError
from auditor.i18n import Said
from auditor.index.build import FORMAT, column, connect
from auditor.judge.identity import NOT_IN_INDEX
from auditor.model import Lookup
from auditor.vocabulary import LookupState

_BATCH = 50_000  # DOIs per query: one join, however many are asked
RARE_WORDS = 6  # a search starts from this many of the title's rarest words
COMMON_WORDS = 200_000  # a word in more titles than this tells nothing apart: never searched by
_QUERIES = 500  # searches per query to the engine: memory stays bounded
# A search reads at most this many (word, title) pairs: its rarest word whatever it costs,
# then the next rarest while they fit — enough to find a title, and bounded memory.
POSTINGS = 20_000
# Every query at once: each title's rarest words, the works holding them, the works sharing
# the most (at least 2 of them, 3 when there are 5 or more; all when fewer), best first.
_CANDIDATES = f"""
WITH q AS (SELECT unnest(?::VARCHAR[]) AS qid, unnest(?::VARCHAR[]) AS title),
qw AS (SELECT DISTINCT qid, unnest(title_words(title)) AS word FROM q),
ranked AS (SELECT qw.qid, qw.word, c.titles,
                  row_number() OVER (PARTITION BY qw.qid ORDER BY c.titles, qw.word) AS n,
                  sum(c.titles) OVER (PARTITION BY qw.qid ORDER BY c.titles, qw.word
                                      ROWS UNBOUNDED PRECEDING) AS postings
           FROM qw JOIN word_counts c USING (word) WHERE c.titles <= {COMMON_WORDS}),
rare AS (SELECT qid, word FROM ranked
         WHERE n <= {RARE_WORDS} AND (n = 1 OR postings <= {POSTINGS})),
wanted AS (SELECT qid, count(*) AS k FROM rare GROUP BY qid),
hits AS (SELECT r.qid, w.doi_key, count(*) AS shared FROM rare r JOIN words w USING (word)
         GROUP BY r.qid, w.doi_key)
SELECT h.qid, h.doi_key FROM hits h JOIN wanted USING (qid)
WHERE h.shared >= least(k, CASE WHEN k >= 5 THEN 3 ELSE 2 END)
QUALIFY row_number() OVER (PARTITION BY h.qid ORDER BY h.shared DESC, h.doi_key) <= ?
ORDER BY h.qid, h.shared DESC, h.doi_key"""


@dataclass(frozen=True)
class IndexInfo:
    path: str
    records: int
    snapshot: str | None  # the newest `created` date of its records (YYYY-MM-DD)
    built: str | None
    size_bytes: int
    format: str

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "records": self.records, "snapshot": self.snapshot,
                "built": self.built, "size_bytes": self.size_bytes, "format": self.format,
                "bytes_per_record": round(self.size_bytes / self.records) if self.records
                else None}


class LocalIndex:
    """`LocalIndex("crossref.duckdb").lookups(["10.1371/journal.pone.0033693"])`."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise InputError(Said("{path}: no such index (build one with auditor index "
                                  "build)", path=str(path)))
        import duckdb

        self._db = connect(self.path, read_only=True)
        try:
            meta = dict(self._db.execute("SELECT key, value FROM meta").fetchall())
        except duckdb.Error:  # no meta table: some other DuckDB file
            self._db.close()
            raise InputError(Said("{path}: not a local index of Crossref works",
                                  path=str(path))) from None
        if meta.get("state") != "complete":
            self._db.close()
            raise InputError(Said("{path}: its build did not finish; run auditor index build "
                                  "again with the same sources to complete it",
                                  path=str(path)))
        if meta.get("format") != FORMAT:
            self._db.close()
            raise InputError(Said("{path}: built by another version of auditor; build it "
                                  "again", path=str(path)))
        self.meta = meta
        self.snapshot: str | None = meta.get("snapshot") or None

    def info(self) -> IndexInfo:
        return IndexInfo(str(self.path), int(self.meta.get("records", 0)), self.snapshot,
                         self.meta.get("built"), self.path.stat().st_size,
                         self.meta.get("format", ""))

    def texts(self, dois: Iterable[str]) -> dict[str, str]:
        """The work record of each DOI the index holds, as JSON text, by lower-cased DOI:
        the engine's part of a lookup (decoding it is the rest)."""
        wanted = list(dict.fromkeys(d.lower() for d in dois))
        record = "json_object(" + ", ".join(f"'{f}', {column(f)}" for f in READ_FIELDS) + ")"
        found: dict[str, str] = {}
        for start in range(0, len(wanted), _BATCH):
            found.update(self._db.execute(
                f"SELECT doi_key, {record}::VARCHAR FROM works "
                "WHERE doi_key IN (SELECT unnest(?::VARCHAR[]))",
                [wanted[start:start + _BATCH]]).fetchall())
        return found

    def records(self, dois: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The work record (a REST `message`, cut to READ_FIELDS) of each DOI the index
        holds, by lower-cased DOI."""
        return {doi: {k: v for k, v in json.loads(text).items() if v is not None}
                for doi, text in self.texts(dois).items()}

    def lookups(self, dois: Iterable[str]) -> dict[str, Lookup]:
        """A found Lookup for each DOI the index holds (the others are left out: the caller
        asks the API, or says they are not in the index)."""
        return {doi: Lookup(doi, LookupState.FOUND, work=work_from_message(record))
                for doi, record in self.records(dois).items()}

    def candidates(self, titles: Mapping[str, str], rows: int = ROWS
                   ) -> dict[str, list[dict[str, Any]]]:
        """Up to `rows` work records per query (key → the cited title), best first: the works
        sharing most of the title's rarest words. Only candidates: the matcher decides
        whether one of them is the cited work, as it does for the API's search."""
        keys, texts = list(titles), [titles[k] for k in titles]
        pairs: list[tuple[str, str]] = []
        for start in range(0, len(keys), _QUERIES):
            pairs += self._db.execute(_CANDIDATES, [keys[start:start + _QUERIES],
                                                    texts[start:start + _QUERIES], rows]
                                      ).fetchall()
        records = self.records(doi for _key, doi in pairs)
        found: dict[str, list[dict[str, Any]]] = {}
        for key, doi in pairs:
            if doi in records:
                found.setdefault(key, []).append(records[doi])
        return found

    def answers(self, dois: Sequence[str], only: bool, stats: RunStats) -> dict[str, Lookup]:
        """The DOIs the index answers (counted in `stats`, with no request); with `only`
        (--index-only), every other DOI unchecked: an index not holding a DOI does not show
        that it does not exist."""
        answers = self.lookups(dois)
        stats.add(index_hits=len(answers))
        if only:
            missing = Said(NOT_IN_INDEX, date=self.snapshot or "?")
            answers.update({doi: Lookup(doi, LookupState.UNCHECKED, reason=missing)
                            for doi in dois if doi not in answers})
        return answers

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> LocalIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_index(settings: Settings) -> LocalIndex | None:
    """The index the settings name (`--index`, AUDITOR_INDEX, `index`), or None."""
    if settings.index is None:
        if settings.index_only:
            raise ConfigError(Said("--index-only needs an index: name it with --index (or "
                                   "AUDITOR_INDEX)"))
        return None
    return LocalIndex(settings.index)
