"""The Crossref client: the only code that touches the network.

`Works.lookup(dois)` answers every DOI with a Lookup: found, not-found (Crossref said so) or
unchecked (no answer could be had, with the reason). Answers come from the cache first; the rest
are asked on one pooled `requests.Session` in the polite pool when a mailto is known, within the
limits the server announces, with bounded retries, and stop when too many requests fail.
"""

from __future__ import annotations

import json
import random
import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import quote

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ReadTimeoutError

from auditor.crossref.cache import CachedAnswer, NoCache
from auditor.crossref.policy import (
    POLITE_SINGLE,
    PUBLIC_SINGLE,
    Attempt,
    FailureBreaker,
    PoolLimits,
    RetryPolicy,
    parse_retry_after,
)
from auditor.crossref.records import work_from_message
from auditor.model import Lookup

DEFAULT_URL = "https://api.crossref.org"
# DOIs may hold ( ) ; : < > and more; keep the "/" literal as every Crossref client does.
_PATH_SAFE = "/:;()[]@!$&'*+,=-._~"


@dataclass(frozen=True)
class PolitePool:
    """Who we are to Crossref: base URL, contact address and User-Agent (the polite pool)."""

    base_url: str = DEFAULT_URL
    mailto: str | None = None
    tool_version: str = "0"
    tool_url: str = ""
    connect_timeout: float = 5.0
    read_timeout: float = 30.0

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


@dataclass
class RunStats:
    """What the run cost: shown at the end and in the JSON report under `run`."""

    requests: int = 0
    cache_hits: int = 0
    retries: int = 0
    failures: int = 0
    stopped_early: str | None = None
    public_pool: bool = False

    def to_dict(self) -> dict[str, object]:
        return {"requests": self.requests, "cache_hits": self.cache_hits,
                "retries": self.retries, "failures": self.failures,
                "stopped_early": self.stopped_early}


@dataclass
class _Outcome:
    lookup: Lookup | None
    attempt: Attempt
    record: dict | None = None


class Works:
    """DOI lookups against Crossref's `/works` routes."""

    def __init__(self, pool: PolitePool, cache: NoCache | None = None, *,
                 retry: RetryPolicy | None = None, offline: bool = False,
                 session: requests.Session | None = None,
                 sleep: Callable[[float], None] = time.sleep, rng: random.Random | None = None,
                 warn: Callable[[str], None] | None = None):
        self.pool = pool
        self.cache = cache or NoCache()
        self.retry = retry or RetryPolicy()
        self.offline = offline
        self.stats = RunStats(public_pool=pool.mailto is None)
        self.limits: PoolLimits = POLITE_SINGLE if pool.mailto else PUBLIC_SINGLE
        self.breaker = FailureBreaker()
        self._sleep = sleep
        self._warn = warn or (lambda message: None)
        self._rng = rng or random.Random()
        self._last_start = 0.0
        self._session = session or self._new_session()

    def _new_session(self) -> requests.Session:
        session = requests.Session()
        adapter = HTTPAdapter(pool_connections=4, pool_maxsize=8, max_retries=0)
        session.mount("https://", adapter)
        session.mount("http://", adapter)
        session.headers.update({"User-Agent": self.pool.user_agent,
                                "Accept": "application/json"})
        return session

    def close(self) -> None:
        self._session.close()

    def lookup(self, dois: Iterable[str], progress: Callable[[int], None] | None = None
               ) -> dict[str, Lookup]:
        """Answer every DOI (deduplicated, case-insensitive); `progress(n)` after each answer."""
        wanted = list(dict.fromkeys(d.lower() for d in dois))
        answers: dict[str, Lookup] = {}
        for doi, cached in self._cached(wanted).items():
            answer = self._from_cache(cached)
            if answer is not None:  # an unreadable cached row is a miss: ask again
                answers[doi] = answer
                self.stats.cache_hits += 1
        if progress and answers:
            progress(len(answers))
        pending: list[CachedAnswer] = []
        for doi in wanted:
            if doi in answers:
                continue
            if self.offline:
                answers[doi] = Lookup(doi, "unchecked", reason="offline and not in the cache")
            elif self.breaker.open:
                answers[doi] = Lookup(doi, "unchecked",
                                      reason=f"stopped asking Crossref: {self.breaker.reason}")
            else:
                outcome = self._fetch(doi)
                answers[doi] = outcome.lookup
                if outcome.lookup.state != "unchecked":
                    pending.append(CachedAnswer(doi, outcome.lookup.state == "found",
                                                outcome.record, time.time()))
                if len(pending) >= 20:
                    self._store(pending)
                    pending = []
            if progress:
                progress(1)
        self._store(pending)
        if self.breaker.open:
            self.stats.stopped_early = self.breaker.reason
        return answers

    def _cached(self, dois: list[str]) -> dict[str, CachedAnswer]:
        try:
            return self.cache.get_many(dois)
        except (sqlite3.Error, OSError) as exc:
            self._warn(f"cache {self.cache.path} cannot be read ({exc}); continuing without it")
            self.cache = NoCache()
            return {}

    def _store(self, answers: list[CachedAnswer]) -> None:
        """Write answers to the cache; a cache that fails (disk full, locked) is dropped with
        one warning, and the run goes on without it."""
        try:
            self.cache.put_many(answers)
        except (sqlite3.Error, OSError) as exc:
            self._warn(f"cache {self.cache.path} cannot be written ({exc}); continuing without it")
            self.cache = NoCache()

    @staticmethod
    def _from_cache(cached: CachedAnswer) -> Lookup | None:
        """The cached answer, or None when the row cannot be read (asked again, never taken
        for not-found)."""
        if not cached.found:
            return Lookup(cached.doi, "not-found", reason="Crossref does not know this DOI",
                          from_cache=True)
        try:
            work = work_from_message(cached.record)
        except ValueError:
            return None
        return Lookup(cached.doi, "found", work=work, from_cache=True)

    def _fetch(self, doi: str) -> _Outcome:
        """One DOI, with retries; the breaker learns the final outcome."""
        attempt_number = 0
        while True:
            attempt_number += 1
            outcome = self._attempt(doi)
            decision = self.retry.decide(attempt_number, outcome.attempt, self._rng)
            if outcome.lookup is not None and outcome.lookup.state != "unchecked":
                self.breaker.record(True)
                return outcome
            if not decision.retry:
                self.stats.failures += 1
                self.breaker.record(False, outcome.attempt.failure)
                return outcome
            self.stats.retries += 1
            self._sleep(decision.wait)

    def _throttle(self) -> None:
        wait = self._last_start + self.limits.spacing - time.monotonic()
        if wait > 0:
            self._sleep(wait)
        self._last_start = time.monotonic()

    def _attempt(self, doi: str) -> _Outcome:
        if self.stats.requests == 0 and self.pool.mailto is None:
            self._warn("no contact address: using Crossref's public pool (slower limits). Set "
                       "one with --mailto, AUDITOR_MAILTO or mailto in [tool.auditor]")
        self._throttle()
        self.stats.requests += 1
        url = self.pool.work_url(doi)
        host = url.split("/")[2] if "://" in url else url
        try:
            response = self._session.get(
                url, params=self.pool.params,
                timeout=(self.pool.connect_timeout, self.pool.read_timeout))
        except requests.Timeout:
            return _unchecked(doi, f"{host} did not answer in time (timeout)", None, "timeout")
        except requests.ConnectionError as exc:
            if any(isinstance(arg, ReadTimeoutError) for arg in exc.args):
                # requests reports a stall while reading the body as a ConnectionError
                return _unchecked(doi, f"{host} did not answer in time (timeout)", None,
                                  "timeout")
            return _unchecked(doi, f"could not connect to {host}", None, "connection")
        except (requests.exceptions.ChunkedEncodingError,
                requests.exceptions.ContentDecodingError):
            return _unchecked(doi, f"{host} broke off its answer (truncated response)", None,
                              "truncated")
        except requests.RequestException as exc:
            return _unchecked(doi, f"request to {host} failed ({type(exc).__name__})", None,
                              "connection")
        self.limits = self.limits.updated(response.headers)
        status = response.status_code
        if status == 404:
            body = response.text.lstrip()[:200]
            if body.startswith("<"):
                return _unchecked(doi, f"{host} answered 404 with a web page, not Crossref's "
                                  "answer (is the Crossref URL right?)", status, "http-404-html")
            return _Outcome(Lookup(doi, "not-found", reason="Crossref does not know this DOI"),
                            Attempt(status))
        if status != 200:
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            reason = {429: "rate limited by Crossref (429)"}.get(
                status, f"Crossref answered HTTP {status}")
            return _unchecked(doi, reason, status, f"http-{status}", retry_after)
        try:
            payload = response.json()
            message = payload["message"]
            work = work_from_message(message)
        except (ValueError, KeyError, TypeError, json.JSONDecodeError):
            return _unchecked(doi, "Crossref's answer was not a readable work record "
                              "(invalid or truncated JSON)", status, "invalid-json")
        return _Outcome(Lookup(doi, "found", work=work), Attempt(status), message)


def _unchecked(doi: str, reason: str, status: int | None, failure: str,
               retry_after: float | None = None) -> _Outcome:
    return _Outcome(Lookup(doi, "unchecked", reason=reason),
                    Attempt(status, failure, retry_after))


__all__ = ["DEFAULT_URL", "PolitePool", "RunStats", "Works", "field"]
