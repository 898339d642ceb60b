"""Retraction Watch's own list as a second source of notices: the CSV Crossref publishes and
updates every working day, read leniently and turned into the Updates the judges already read
(`source: "retraction-watch"`), by the cited work's DOI or PubMed id.

Columns (Crossref's layout): Record ID, Title, Subject, Institution, Journal, Publisher,
Country, Author, URLS, ArticleType, RetractionDate, RetractionDOI, RetractionPubMedID,
OriginalPaperDate, OriginalPaperDOI, OriginalPaperPubMedID, RetractionNature, Reason,
Paywalled, Notes. Dates are `M/D/YYYY 0:00`; lists are `;`-separated; a missing DOI is blank
or `unavailable`, a missing PubMed id `0`. Natures: Retraction, Correction, Expression of
concern, Reinstatement — a reinstatement later than a retraction lifts it; a correction or an
expression of concern is never a retraction.

The published file has had bad UTF-8: each line is decoded on its own (bad bytes replaced), a
row that cannot be read is one problem with its line, and every other row is kept.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from auditor.config import Settings
from auditor.errors import InputError
from auditor.i18n import Said, _, in_language, n_
from auditor.judge.updates import REINSTATEMENT
from auditor.model import RETRACTION_WATCH_SOURCE as SOURCE  # Crossref's name too
from auditor.model import Update
from auditor.sources.doi import normalize_doi

DEFAULT_URL = "https://gitlab.com/crossref/retraction-watch-data/-/raw/main/retraction_watch.csv"
# Retraction Watch's natures → Crossref's update types (what the judges read).
NATURES = {"retraction": "retraction", "correction": "correction",
           "expression of concern": "expression_of_concern", "reinstatement": "reinstatement"}
AUTO = "auto"  # --retraction-watch auto: the copy kept by `auditor retractions update`
REQUIRED = ("Record ID", "RetractionNature", "OriginalPaperDOI", "OriginalPaperPubMedID",
            "RetractionDate", "RetractionDOI")


@dataclass(frozen=True)
class Notice:
    """One row: what the notice says of which work."""

    record: str
    nature: str  # a Crossref update type: retraction, correction, expression_of_concern…
    date: str | None  # ISO
    notice_doi: str | None
    reasons: tuple[str, ...]


@dataclass
class RetractionList:
    """The notices by cited DOI and by PubMed id, the file's date, and the rows not read."""

    path: str
    as_of: str | None
    by_doi: dict[str, list[Notice]] = field(default_factory=lambda: defaultdict(list))
    by_pmid: dict[str, list[Notice]] = field(default_factory=lambda: defaultdict(list))
    problems: list[tuple[int, str]] = field(default_factory=list)
    undated: list[tuple[int, str]] = field(default_factory=list)  # (line, the date written)
    rows: int = 0
    without_id: int = 0  # rows that name neither a DOI nor a PubMed id of the retracted work

    def notices(self, doi: str | None, pmid: str | None = None) -> list[Notice]:
        """Every notice about the work with this DOI or PubMed id, oldest first."""
        found = {n.record: n for n in [*self.by_doi.get((doi or "").lower(), []),
                                       *self.by_pmid.get(pmid or "", [])]}
        return sorted(found.values(), key=lambda n: n.date or "")

    def updates(self, doi: str | None, pmid: str | None = None) -> tuple[Update, ...]:
        """The notices as Updates. A reinstatement that is the latest of the work's
        retractions and reinstatements lifts the retractions before it: they are left out, the
        reinstatement is kept (so that a retraction another source still records is shown
        beside it); a reinstatement with nothing to lift says nothing."""
        notices = self.notices(doi, pmid)
        events = [n for n in notices if n.nature in ("retraction", REINSTATEMENT)]
        latest = events[-1] if events else None
        lifted = (latest if latest is not None and latest.nature == REINSTATEMENT
                  and any(n.nature == "retraction" for n in events) else None)
        kept = [n for n in notices if n.nature != REINSTATEMENT and not (
            lifted is not None and n.nature == "retraction")]
        if lifted is not None:
            kept.append(lifted)
        return tuple(Update(n.nature, n.notice_doi, SOURCE, n.date, reasons=n.reasons)
                     for n in kept)


def _date(text: str) -> str | None:
    """`4/23/2019 0:00` → `2019-04-23`; anything else → None."""
    found = re.match(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})", text or "")
    if not found:
        return None
    month, day, year = map(int, found.groups())
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _doi(text: str) -> str | None:
    """A DOI as the list writes it, else None (blank, `unavailable`: no DOI is 10.NNNN/…)."""
    return normalize_doi(text or "").doi


def _pmid(text: str) -> str | None:
    text = (text or "").strip()
    return text if text.isdigit() and int(text) > 0 else None


class _Feed:
    """The lines for a csv reader, one at a time, from a position that can be set back."""

    def __init__(self, lines: list[str], at: int) -> None:
        self.lines, self.at = lines, at

    def __iter__(self) -> _Feed:
        return self

    def __next__(self) -> str:
        if self.at >= len(self.lines):
            raise StopIteration
        self.at += 1
        return self.lines[self.at - 1]


def _rows(lines: list[str], width: int, problems: list[tuple[int, Said]]
          ) -> Iterator[tuple[int, list[str]]]:
    """(line, fields) of each row after the header. A row over several lines whose fields do
    not fit the header had a quote never closed, which swallowed the rows after it: said, and
    the reading starts again on its next line, so that no row but that one is lost."""
    feed = _Feed(lines, 1)
    reader = csv.reader(feed)
    while feed.at < len(lines):
        start = feed.at
        try:
            fields: list[str] | None = next(reader)
        except StopIteration:
            return
        except csv.Error as error:  # a field past the csv module's limit, at most 128 kB
            fields, why = None, Said("{why}", why=str(error))
        if fields is not None and (feed.at - start == 1 or len(fields) == width):
            if fields:  # a blank line is no row
                yield start + 1, fields
            continue
        if feed.at - start > 1:
            why = Said("a quote opened in this row is never closed")
        problems.append((start + 1, why))
        feed.at = start + 1
        reader = csv.reader(feed)


def _lines(raw: bytes) -> Iterable[str]:
    """The file's lines, each decoded on its own: a bad byte spoils one character, not all."""
    for line in raw.splitlines(keepends=True):
        yield line.decode("utf-8", errors="replace").lstrip("\ufeff")


@lru_cache(maxsize=2)
def _read_once(path: str, modified: int) -> RetractionList:
    """The list read once per version of the file: a server reads it for every audit."""
    return read_retraction_watch(path)


def read_retraction_watch(path: str | Path) -> RetractionList:
    """The list at `path`; an InputError when it is no Retraction Watch CSV at all."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InputError(Said("{path}: cannot read the Retraction Watch list ({why})",
                              path=str(path), why=error.strerror or str(error))) from None
    lines = [line.replace("\x00", "") for line in _lines(raw)]
    try:
        header = next(csv.reader(lines[:1]), [])
    except csv.Error as error:
        raise InputError(Said("{path}: not a Retraction Watch CSV ({why})", path=str(path),
                              why=str(error))) from None
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InputError(Said("{path}: not a Retraction Watch CSV (no column {columns})",
                              path=str(path), columns=", ".join(missing)))
    stamp = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).date().isoformat()
    found = RetractionList(str(path), stamp)
    for line, fields in _rows(lines, len(header), found.problems):
        row: dict[str | None, Any] = dict(zip(header, fields, strict=False))
        if len(fields) > len(header):
            row[None] = fields[len(header):]
        found.rows += 1
        nature = NATURES.get((row.get("RetractionNature") or "").strip().lower())
        doi, pmid = _doi(row.get("OriginalPaperDOI", "")), _pmid(
            row.get("OriginalPaperPubMedID", ""))
        if nature is not None and not (doi or pmid):
            found.without_id += 1  # the list has many: nothing to match a citation with
            continue
        short = sum(1 for name in header if row.get(name) is None)
        if None in row or short or nature is None:
            why = (Said("the row has more fields than the header") if None in row
                   else Said("the row has {n} fields where the header has {total}",
                             n=len(header) - short, total=len(header)) if short
                   else Said("its RetractionNature, {nature}, is none auditor knows",
                             nature=repr(row.get("RetractionNature"))))
            found.problems.append((line, why))
            continue
        reasons = tuple(r.strip().lstrip("+").strip() for r in (row.get("Reason") or "")
                        .split(";") if r.strip())
        written = (row.get("RetractionDate") or "").strip()
        date = _date(written)
        if written and date is None:
            found.undated.append((line, written))
        notice = Notice((row.get("Record ID") or str(line)).strip(), nature, date,
                        _doi(row.get("RetractionDOI", "")), reasons)
        if doi:
            found.by_doi[doi].append(notice)
        if pmid:
            found.by_pmid[pmid].append(notice)
    return found


def kept_copy(settings: Settings) -> Path:
    """Where `auditor retractions update` keeps the list: beside the cache."""
    return settings.cache_path().parent / "retraction_watch.csv"


def update_list(settings: Settings, url: str = DEFAULT_URL) -> RetractionList:
    """Download the list to kept_copy(), read it, and only then replace the copy kept before:
    a broken or partial download never takes the place of a good list."""
    import requests

    from auditor.crossref.client import PolitePool

    target = kept_copy(settings)
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    agent = PolitePool(mailto=settings.mailto).user_agent
    try:
        with requests.get(url, stream=True, timeout=(settings.connect_timeout, 120),
                          headers={"User-Agent": agent}) as answer:
            answer.raise_for_status()
            with part.open("wb") as out:
                for chunk in answer.iter_content(1 << 20):
                    out.write(chunk)
    except (requests.RequestException, OSError) as error:
        part.unlink(missing_ok=True)
        raise InputError(Said("could not download Retraction Watch's list from {url} ({why});"
                              " the list kept before, if any, is still used", url=url,
                              why=_failure(error))) from None
    try:
        listed = read_retraction_watch(part)
    except InputError:
        listed = None
    if listed is None or not listed.rows:
        part.unlink(missing_ok=True)
        raise InputError(Said("what {url} sent is not Retraction Watch's list; the list kept "
                              "before, if any, is still used", url=url))
    part.replace(target)
    listed.path = str(target)
    return listed


def _failure(error: Exception) -> Said:
    """Why a download failed, in words: not the HTTP library's own."""
    import requests

    if isinstance(error, requests.HTTPError) and error.response is not None:
        return Said("the server answered {status}", status=error.response.status_code)
    if isinstance(error, requests.Timeout):
        return Said("the server did not answer in time")
    if isinstance(error, requests.ConnectionError):
        return Said("the server could not be reached: check the connection")
    if isinstance(error, OSError) and not isinstance(error, requests.RequestException):
        return Said("the file could not be written: {why}", why=error.strerror or str(error))
    return Said("the download broke off")


def retraction_list(settings: Settings, warn: Callable[[str], None]) -> RetractionList | None:
    """The list the settings name (`--retraction-watch PATH`, or `auto`: the copy `auditor
    retractions update` keeps), its unreadable rows each said."""
    if settings.retraction_watch is None:
        return None
    path = settings.retraction_watch
    if str(path) == AUTO:
        path = kept_copy(settings)
        if not path.is_file():
            raise InputError(Said("no copy of Retraction Watch's list yet: download it with "
                                  "auditor retractions update"))
    try:
        listed = _read_once(str(path), Path(path).stat().st_mtime_ns)
    except OSError:
        listed = read_retraction_watch(path)  # says why it cannot be read
    for line, why in listed.problems[:20]:
        warn(_("{path}:{line}: a row of the Retraction Watch list could not be read ({why}); "
               "the others are used").format(path=listed.path, line=line,
                                             why=in_language(why)))
    for line, written in listed.undated[:20]:
        warn(_("{path}:{line}: the RetractionDate {date} is not a date (month/day/year): the "
               "notice is used without its date").format(path=listed.path, line=line,
                                                        date=repr(written)))
    if len(listed.problems) > 20:
        more = len(listed.problems) - 20
        warn(n_("{path}: {n} more row could not be read", "{path}: {n} more rows could not be "
                "read", more).format(path=listed.path, n=more))
    return listed
