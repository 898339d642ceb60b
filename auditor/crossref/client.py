"""The Crossref client: the only code that touches the network.

`Works.lookup(dois)` answers every DOI with a Lookup: found, not-found (Crossref said so) or
unchecked (no answer could be had, with the reason). It asks the cache first; then sends the
rest in batches of up to 40 on the list route (`/works?filter=doi:A,doi:B`), confirms every DOI a
batch did not return with a single-record lookup before calling it not-found, and sends alone the
DOIs a batch cannot carry. Both routes run at once, each within the limits the server announces,
with bounded retries; it stops asking when too many requests fail.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextvars import copy_context
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import quote

from auditor._version import PROJECT_URL, __version__
from auditor.config import DEFAULT_CROSSREF_URL, Settings
from auditor.crossref.agency import NO_REGISTRY, AgencyOutcome, ask_agency
from auditor.crossref.asking import Asker, RunStats
from auditor.crossref.cache import CachedAnswer, CacheGuard, NoCache
from auditor.crossref.limiter import RouteLimiter, route_limiter
from auditor.crossref.records import work_from_datacite, work_from_message
from auditor.crossref.retry import (
    POLITE_LIST,
    POLITE_SINGLE,
    PUBLIC_LIST,
    PUBLIC_SINGLE,
    PoolLimits,
    RetryPolicy,
)
from auditor.crossref.transport import Reply, Transport
from auditor.i18n import _
from auditor.model import Lookup
from auditor.vocabulary import LookupState

T = TypeVar("T")
# DOIs may hold ( ) ; : < > and more; keep the "/" literal as every Crossref client does.
_PATH_SAFE = "/:;()[]@!$&'*+,=-._~"
BATCH_SIZE = 40  # crossref.md: no documented maximum; public clients use 20-50
SMALL_BATCH = 3  # a list request costs the stricter pool: below this, single lookups are cheaper
MAX_URL = 6000  # keep well under Jetty's 8 KiB header buffer (crossref.md)
WORKERS_PER_ROUTE = 4  # threads per route; the limiter holds them to the announced concurrency
# DataCite allows 3,000 requests per 5 minutes per IP; far below that, and two at a time.
DATACITE_LIMITS = PoolLimits(5, 1.0, 2)


def submitted(pool: ThreadPoolExecutor, work: Callable[..., Any], *args: Any) -> Future:
    """`work(*args)` in `pool`, in this thread's context: its warnings in the reader's
    language (a worker thread starts with a context of its own)."""
    return pool.submit(copy_context().run, work, *args)


@dataclass(frozen=True)
class PolitePool:
    """Who we are to Crossref: base URL, contact address and User-Agent (the polite pool)."""

    base_url: str = DEFAULT_CROSSREF_URL
    mailto: str | None = None
    tool_version: str = __version__
    tool_url: str = PROJECT_URL
    connect_timeout: float = Settings.connect_timeout
    read_timeout: float = Settings.timeout

    @property
    def user_agent(self) -> str:
        contact = f"; mailto:{self.mailto}" if self.mailto else ""
        return f"auditor/{self.tool_version} ({self.tool_url}{contact})"

    @property
    def params(self) -> dict[str, str]:
        return {"mailto": self.mailto} if self.mailto else {}

    def work_url(self, doi: str) -> str:
        """`https://api.crossref.org/works/10.1001/jama.285.4.413` — pure, so tests can read it."""
        return f"{self.base_url.rstrip('/')}/works/{quote(doi, safe=_PATH_SAFE)}"

    def list_url(self) -> str:
        return f"{self.base_url.rstrip('/')}/works"

    def batch_params(self, dois: list[str]) -> dict[str, str]:
        """`filter=doi:A,doi:B&rows=2` (repeated filter values are OR-ed by Crossref)."""
        return {"filter": ",".join(f"doi:{d}" for d in dois), "rows": str(len(dois)),
                **self.params}


@dataclass
class _BatchOutcome:
    dois: list[str]
    reply: Reply


class Works:
    """DOI lookups against Crossref's `/works` routes."""

    def __init__(self, pool: PolitePool, cache: NoCache | None = None, *,
                 retry: RetryPolicy | None = None, offline: bool = False, refresh: bool = False,
                 sleep: Callable[[float], None] = time.sleep, rng: random.Random | None = None,
                 warn: Callable[[str], None] | None = None, batch_size: int = BATCH_SIZE,
                 datacite_url: str | None = None):
        self.pool = pool
        # Every cache call goes through the guard: a failing cache is dropped, not fatal.
        self.use_cache = CacheGuard(cache or NoCache(), warn or (lambda message: None))
        self.retry = retry or RetryPolicy()
        self.offline = offline
        self.refresh = refresh
        self.batch_size = max(1, min(batch_size, 1000))
        self.stats = RunStats(public_pool=pool.mailto is None)
        where = f"Crossref {pool.base_url} {'polite' if pool.mailto else 'public'}"
        self.single = route_limiter(f"{where} single",
                                    POLITE_SINGLE if pool.mailto else PUBLIC_SINGLE)
        self.listing = route_limiter(f"{where} list", POLITE_LIST if pool.mailto else PUBLIC_LIST)
        self.datacite_url = datacite_url
        self.datacite = route_limiter(f"DataCite {datacite_url}", DATACITE_LIMITS)
        self.transport = Transport(pool.user_agent, pool.connect_timeout, pool.read_timeout)
        self.asker = Asker(self.transport, self.stats, service="Crossref", retry=self.retry,
                           limiters=(self.single, self.listing), sleep=sleep, rng=rng,
                           before_send=self._announce_pool)
        self.breaker = self.asker.breaker
        self._warn = warn or (lambda message: None)
        self._announced = threading.Event()
        self._batches_work = True

    @property
    def limits(self) -> PoolLimits:
        """The single-record route's current limits (as last announced by the server)."""
        return self.single.limits

    def close(self) -> None:
        self.transport.close()

    # --- the lookup ---------------------------------------------------------------------------

    def lookup(self, dois: Iterable[str], progress: Callable[[int], None] | None = None
               ) -> dict[str, Lookup]:
        """Answer every DOI (deduplicated, case-insensitive); `progress(n)` as answers land."""
        tick = progress or (lambda n: None)
        wanted = list(dict.fromkeys(d.lower() for d in dois))
        answers: dict[str, Lookup] = {}
        if not self.refresh:
            for doi, cached in self._cached(wanted).items():
                answer = _from_cache(cached)
                if answer is not None:  # an unreadable cached row is a miss: ask again
                    answers[doi] = answer
            self.stats.add(cache_hits=len(answers))
            if answers:
                tick(len(answers))
        todo = [d for d in wanted if d not in answers]
        if self.offline:
            for doi in todo:
                answers[doi] = Lookup(doi, LookupState.UNCHECKED,
                                      reason="offline and not in the cache")
            tick(len(todo))
        elif todo:
            self._ask(todo, answers, tick)
        self.stats.stopped_early = self.breaker.reason
        return answers

    def _ask(self, todo: list[str], answers: dict[str, Lookup], tick: Callable[[int], None]
             ) -> None:
        batchable = [d for d in todo if "," not in d]  # a comma separates filter values
        alone = [d for d in todo if "," in d]
        batches = self._batches(batchable)
        alone += [d for batch in batches if len(batch) <= SMALL_BATCH for d in batch]
        batches = [batch for batch in batches if len(batch) > SMALL_BATCH]
        with ThreadPoolExecutor(WORKERS_PER_ROUTE, "crossref-list") as lists, \
                ThreadPoolExecutor(WORKERS_PER_ROUTE, "crossref-single") as singles:
            running: dict[Future, tuple[str, Any]] = {}
            for batch in batches:
                running[submitted(lists, self._fetch_batch, batch)] = ("batch", batch)
            for doi in alone:
                running[submitted(singles, self._fetch_single, doi)] = ("single", doi)
            while running:
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    kind, what = running.pop(future)
                    if kind == "batch":
                        confirm = self._take_batch(future.result(), answers, tick)
                        for doi in confirm:
                            running[submitted(singles, self._fetch_single, doi)] = ("single", doi)
                    else:
                        self._take_single(what, future.result(), answers, tick)

    def _batches(self, dois: list[str]) -> list[list[str]]:
        """Chunks of at most `batch_size` DOIs whose URL stays short."""
        batches: list[list[str]] = []
        current: list[str] = []
        length = len(self.pool.list_url()) + 60
        for doi in dois:
            cost = len(quote(f"doi:{doi},", safe=""))
            if current and (len(current) >= self.batch_size or length + cost > MAX_URL):
                batches.append(current)
                current, length = [], len(self.pool.list_url()) + 60
            current.append(doi)
            length += cost
        if current:
            batches.append(current)
        return batches

    # --- answers, on the main thread (the cache is written only here) -------------------------

    def _take_batch(self, outcome: _BatchOutcome, answers: dict[str, Lookup],
                    tick: Callable[[int], None]) -> list[str]:
        """Record a batch's answers (one cache transaction); return the DOIs to ask alone."""
        reply, dois = outcome.reply, outcome.dois
        if reply.failure == "stopped":
            for doi in dois:
                answers[doi] = Lookup(doi, LookupState.UNCHECKED, reason=reply.reason)
            tick(len(dois))
            return []
        if not is_work_list(reply):
            # Every DOI of this batch is asked alone: a 400 (one odd DOI sinks a batch) or a
            # fault that outlived its retries concerns this batch only; a server without the
            # list route (404, 405, 501, or an answer that is no list) means the rest of the run
            # does without batches.
            if route_missing(reply):
                self._batches_work = False
            return dois
        wanted = set(dois)
        found: list[CachedAnswer] = []
        now = time.time()
        for item in reply.payload["message"]["items"]:
            if not isinstance(item, dict) or not isinstance(item.get("DOI"), str):
                continue
            doi = item["DOI"].lower()  # batches answer in lower case: match back that way
            if doi not in wanted or doi in answers:
                continue
            try:
                answers[doi] = Lookup(doi, LookupState.FOUND, work=work_from_message(item))
            except ValueError:
                continue  # asked alone below
            found.append(CachedAnswer(doi, True, item, now))
        self._store(found)
        tick(len(found))
        # Absent from a batch is not proof of absence: confirm with a single lookup.
        return [doi for doi in dois if doi not in answers]

    def _take_single(self, doi: str, outcome: tuple[Reply, AgencyOutcome | None],
                     answers: dict[str, Lookup], tick: Callable[[int], None]) -> None:
        tick(1)
        reply, agency = outcome
        if agency is not None:  # Crossref has no record: what the other registries said
            answers[doi], record = agency.lookup(doi)
            state = answers[doi].state
            if state == LookupState.FOUND or (state == LookupState.NOT_FOUND
                                              and agency.agency.failure is None):
                self._store([CachedAnswer(doi, record is not None, record, time.time())])
            return
        if reply.failure is None:
            message = reply.payload["message"]
            try:
                answers[doi] = Lookup(doi, LookupState.FOUND, work=work_from_message(message))
            except ValueError as exc:
                answers[doi] = Lookup(doi, LookupState.UNCHECKED,
                                      reason=f"Crossref's record could not be read ({exc})")
                return
            self._store([CachedAnswer(doi, True, message, time.time())])
            return
        answers[doi] = Lookup(doi, LookupState.UNCHECKED, reason=reply.reason)

    # --- requests, on worker threads -----------------------------------------------------------

    def _fetch_batch(self, dois: list[str]) -> _BatchOutcome:
        if not self._batches_work:
            return _BatchOutcome(dois, Reply(None, None, "skipped", "batches do not work here"))
        # A failed batch falls back to single lookups, which then teach the breaker: the
        # batch's own failure must not stop the run before they are tried (unless the host
        # could not be reached or stalled: then single lookups would only wait too).
        reply = self.request(self.listing, self.pool.list_url(), self.pool.batch_params(dois),
                             "list_requests", counts_for_breaker=False)
        return _BatchOutcome(dois, reply)

    def _fetch_single(self, doi: str) -> tuple[Reply, AgencyOutcome | None]:
        reply = self.request(self.single, self.pool.work_url(doi), self.pool.params,
                             "single_requests")
        if not reply.not_found:
            return reply, None
        return reply, ask_agency(doi, self._agency_of,
                                 self._datacite_record if self.datacite_url else None)

    def _agency_of(self, doi: str) -> Reply:
        """Crossref's `/works/{doi}/agency`. Auxiliary: its failures must not stop the lookups
        (Crossref's 404 was an answer)."""
        return self.request(self.single, self.pool.work_url(doi) + "/agency", self.pool.params,
                            "single_requests", counts_for_breaker=False)

    def _datacite_record(self, doi: str) -> Reply:
        """DataCite's `/dois/{doi}`, for a DOI DataCite registered."""
        url = f"{(self.datacite_url or '').rstrip('/')}/dois/{quote(doi, safe='')}"
        return self.request(self.datacite, url, {}, "datacite_requests",
                            counts_for_breaker=False, envelope="data")

    def request(self, limiter: RouteLimiter, url: str, params: dict[str, str], counter: str,
                counts_for_breaker: bool = True, envelope: str = "message") -> Reply:
        """One request with its retries, within the route's limits (see crossref/asking.py)."""
        return self.asker.ask(limiter, url, params, counter,
                              counts_for_breaker=counts_for_breaker, envelope=envelope)

    def _announce_pool(self) -> None:
        if self.pool.mailto is None and not self._announced.is_set():
            self._announced.set()
            self._warn(_("no contact e-mail address given, so Crossref answers more slowly (its "
                         "public pool). Give one with --mailto, the AUDITOR_MAILTO environment "
                         "variable or mailto in [tool.auditor]"))

    # --- cache ---------------------------------------------------------------------------------

    def _cached(self, dois: list[str]) -> dict[str, CachedAnswer]:
        return self.use_cache("read", lambda cache: cache.get_many(dois), {})

    def _store(self, answers: list[CachedAnswer]) -> None:
        """Write answers to the cache in one transaction."""
        if answers:
            self.use_cache("written", lambda cache: cache.put_many(answers), None)


def route_missing(reply: Reply) -> bool:
    """The server does not offer this route (a simpler mirror or stand-in)."""
    return reply.not_found or reply.status in (404, 405, 501) or (
        reply.failure is None and not is_work_list(reply))


def is_work_list(reply: Reply) -> bool:
    if reply.failure is not None or not isinstance(reply.payload, dict):
        return False
    message = reply.payload.get("message")
    return (reply.payload.get("message-type") in (None, "work-list")
            and isinstance(message, dict) and isinstance(message.get("items"), list))


def _from_cache(cached: CachedAnswer) -> Lookup | None:
    """The cached answer, or None when the row cannot be read (asked again, never taken for
    not-found)."""
    if not cached.found:
        return Lookup(cached.doi, LookupState.NOT_FOUND, reason=NO_REGISTRY, from_cache=True)
    try:
        if isinstance(cached.record, dict) and "datacite" in cached.record:
            return Lookup(cached.doi, LookupState.FOUND,
                          work=work_from_datacite(cached.record["datacite"]), from_cache=True)
        work = work_from_message(cached.record)
    except ValueError:
        return None
    return Lookup(cached.doi, LookupState.FOUND, work=work, from_cache=True)


__all__ = ["PolitePool", "Works"]
