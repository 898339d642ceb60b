"""One request with its retries, within a route's limits: the loop every registry client shares
(Crossref's two routes, DataCite, PubMed).

The pure RetryPolicy decides retry or give up and how long to wait; the breaker learns each
request's final outcome and, once open, no request is sent; the route's RouteLimiter spaces the
requests and learns the limits the server announces. The counts go to a RunStats, which the
run's figures (`run` in the JSON report) are read from.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import fields

from auditor.crossref.limiter import RouteLimiter
from auditor.crossref.retry import UNREACHABLE, FailureBreaker, RetryPolicy
from auditor.crossref.transport import ANSWER_FAILURES, Reply, Transport
from auditor.model import RunFigures

# The counts a run keeps: RunFigures' whole-number fields, said once there.
COUNTS = tuple(f.name for f in fields(RunFigures) if f.type in ("int", int))


class RunStats:
    """What asking cost so far, counted from several threads: one count per RunFigures field
    (`stats.requests`, `stats.add(retries=1)`; an unknown count is a KeyError at once, not a
    silent zero); `figures()` is the snapshot a report keeps."""

    def __init__(self, public_pool: bool = False) -> None:
        self._counts = dict.fromkeys(COUNTS, 0)
        self._lock = threading.Lock()
        self.stopped_early: str | None = None
        self.public_pool = public_pool

    def __getattr__(self, name: str) -> int:
        counts = self.__dict__.get("_counts", {})
        if name in counts:
            return counts[name]
        raise AttributeError(name)

    def add(self, **counts: int) -> None:
        with self._lock:
            for name, n in counts.items():
                if name not in self._counts:
                    raise KeyError(f"no run count {name!r}; the counts are {', '.join(COUNTS)}")
                self._counts[name] += n

    def figures(self, pubmed_requests: int | None = None,
                journal_requests: int | None = None) -> RunFigures:
        return RunFigures(**self._counts, stopped_early=self.stopped_early,
                          pubmed_requests=pubmed_requests, journal_requests=journal_requests)


class Asker:
    """Sends requests for one service (`service` names it in the "stopped asking" reason).

    `limiters` are every route's limiters, woken when the breaker opens so that no thread waits
    any longer for a turn; `before_send` runs once a request is about to leave (Crossref's
    public-pool notice); `answers` are the failures that are an answer, not a fault (Crossref's
    400 for a batch one odd DOI sank)."""

    def __init__(self, transport: Transport, stats: RunStats, *, service: str,
                 retry: RetryPolicy | None = None, breaker: FailureBreaker | None = None,
                 limiters: Iterable[RouteLimiter] = (),
                 sleep: Callable[[float], None] = time.sleep, rng: random.Random | None = None,
                 before_send: Callable[[], None] | None = None,
                 answers: frozenset[str] = ANSWER_FAILURES) -> None:
        self.transport = transport
        self.stats = stats
        self.service = service
        self.retry = retry or RetryPolicy()
        self.breaker = breaker or FailureBreaker()
        self.limiters = tuple(limiters)
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._before_send = before_send or (lambda: None)
        self._answers = answers

    def stopped(self) -> Reply:
        why = self.breaker.reason or "this run stopped asking"  # not the breaker: a stop
        return Reply(None, None, "stopped", f"stopped asking {self.service}: {why}")

    def ask(self, limiter: RouteLimiter, url: str, params: dict[str, str],
            counter: str | None = None, *, counts_for_breaker: bool = True,
            envelope: str | None = "message", data: dict[str, str] | None = None) -> Reply:
        """One request (a GET, or a POST of `data`) with its retries. `counter` names the
        RunStats count it adds to besides `requests`; a request that does not count for the
        breaker (an auxiliary lookup) still teaches it that the host is unreachable."""
        attempt_number = 0
        while True:
            attempt_number += 1
            if self.breaker.open:
                return self.stopped()
            self.transport.ready()
            with limiter.slot(abort=lambda: self.breaker.open) as granted:
                if not granted or self.breaker.open:  # others may have failed meanwhile
                    return self.stopped()
                self._before_send()
                reply = self.transport.get(url, params, envelope, data=data)
            self.stats.add(requests=1, **({counter: 1} if counter else {}))
            if reply.headers:
                limiter.update(reply.headers)
            if reply.failure is None or reply.failure in self._answers:
                if counts_for_breaker:
                    self.breaker.record(True)
                return reply
            decision = self.retry.decide(attempt_number, reply.attempt, self._rng)
            if reply.status == 429:
                self.stats.add(rate_limited=1)
                limiter.pause(decision.wait if decision.retry else 1.0)
            if not decision.retry:
                self.stats.add(failures=1)
                # An unreachable or stalled host will not answer the other requests either.
                if counts_for_breaker or reply.failure in UNREACHABLE:
                    self.breaker.record(False, reply.failure)
                    if self.breaker.open:
                        for waiting in self.limiters:
                            waiting.wake()
                return reply
            self.stats.add(retries=1)
            self._sleep(decision.wait)
