"""Keep within Crossref's limits: requests per interval and requests in flight, per route family.

One `RouteLimiter` per route family (single record, list). Worker threads call `slot()` around a
request: it blocks until starting one more would stay within both the announced rate (a sliding
window over request starts, with a safety margin) and the concurrency limit. Limits follow the
server's headers as they arrive; a 429 pauses every start of the route for a while.

A registry's limits are the machine's, not one audit's: where several audits run in one process
(the web page's), `sharing(SharedLimiters())` around each makes them take their turns from one
limiter per route, so that two audits at once together stay within the limits.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar

from auditor.crossref.retry import PoolLimits

# Starts are kept this much further apart than the server's window, so that network jitter can
# never put one request too many in the server's count.
WINDOW_MARGIN = 1.04


class RouteLimiter:
    """Sliding-window rate limit plus a concurrency cap, safe to share between threads."""

    def __init__(self, limits: PoolLimits, clock: Callable[[], float] = time.monotonic,
                 margin: float = WINDOW_MARGIN):
        self.limits = limits
        self._clock = clock
        self._margin = margin
        self._starts: deque[float] = deque()
        self._active = 0
        self._paused_until = 0.0
        self._stopped = False
        self._cond = threading.Condition()
        self.peak_active = 0

    def _wait_needed(self, now: float) -> float | None:
        """None when a request may start now, else how long to wait (0 = until a release)."""
        if now < self._paused_until:
            return self._paused_until - now
        if self._active >= self.limits.concurrency:
            return 0.0
        window = self.limits.interval * self._margin
        while self._starts and now - self._starts[0] >= window:
            self._starts.popleft()
        if len(self._starts) >= max(1, int(self.limits.limit)):
            return window - (now - self._starts[0])
        return None

    def acquire(self, abort: Callable[[], bool] | None = None) -> bool:
        """Wait for a slot; False (and no slot) when `abort()` turns true meanwhile — the run
        stopped asking, so nobody should wait for a turn that will not be used."""
        with self._cond:
            while True:
                if self._stopped or (abort is not None and abort()):
                    return False
                now = self._clock()
                wait = self._wait_needed(now)
                if wait is None:
                    break
                self._cond.wait(timeout=wait if wait > 0 else None)
            self._starts.append(now)
            self._active += 1
            self.peak_active = max(self.peak_active, self._active)
            return True

    def release(self) -> None:
        with self._cond:
            self._active -= 1
            self._cond.notify_all()

    @contextmanager
    def slot(self, abort: Callable[[], bool] | None = None) -> Iterator[bool]:
        """`with limiter.slot() as granted:` — granted is False only when aborted."""
        if not self.acquire(abort):
            yield False
            return
        try:
            yield True
        finally:
            self.release()

    def wake(self) -> None:
        """Let every waiter look again (after the run stopped asking)."""
        with self._cond:
            self._cond.notify_all()

    def stop(self) -> None:
        """No request starts any more (the server is stopping): every waiter is refused."""
        with self._cond:
            self._stopped = True
            self._cond.notify_all()

    def update(self, headers: Mapping[str, str]) -> None:
        """Obey the limits the server announces (they have changed before and will again)."""
        with self._cond:
            self.limits = self.limits.updated(headers)
            self._cond.notify_all()

    def pause(self, seconds: float) -> None:
        """After a 429: no new request on this route for `seconds`."""
        with self._cond:
            self._paused_until = max(self._paused_until, self._clock() + max(0.0, seconds))


class SharedLimiters:
    """One RouteLimiter per route for every audit of a process, made on first use."""

    def __init__(self) -> None:
        self._limiters: dict[str, RouteLimiter] = {}
        self._lock = threading.Lock()
        self._stopped = False

    def get(self, route: str, limits: PoolLimits) -> RouteLimiter:
        with self._lock:
            if route not in self._limiters:
                self._limiters[route] = RouteLimiter(limits)
                if self._stopped:
                    self._limiters[route].stop()
            return self._limiters[route]

    def stop(self) -> None:
        """Refuse every request from now on, so that running audits end at once (their
        references unchecked) instead of keeping a stopping server waiting."""
        with self._lock:
            self._stopped = True
            limiters = list(self._limiters.values())
        for limiter in limiters:
            limiter.stop()

    @property
    def stopped(self) -> bool:
        return self._stopped


_sharing: ContextVar[SharedLimiters | None] = ContextVar("auditor_shared_limiters",
                                                         default=None)


def route_limiter(route: str, limits: PoolLimits) -> RouteLimiter:
    """The limiter for `route` (a service, its address, its pool): the shared one inside
    `sharing(…)`, else one of this client's own."""
    shared = _sharing.get()
    return RouteLimiter(limits) if shared is None else shared.get(route, limits)


# NCBI's E-utilities (PubMed, the NLM Catalog): 3 requests/s per address, 10 with an API key,
# counted for both services together.
NCBI_WITHOUT_KEY = PoolLimits(3, 1.0, 1)
NCBI_WITH_KEY = PoolLimits(10, 1.0, 1)


def ncbi_limiter(url: str, api_key: str | None) -> RouteLimiter:
    """The one limiter of NCBI's E-utilities at `url` for this key (or none)."""
    return route_limiter(f"NCBI {url.rstrip('/')} {'key' if api_key else ''}",
                         NCBI_WITH_KEY if api_key else NCBI_WITHOUT_KEY)


@contextmanager
def sharing(limiters: SharedLimiters) -> Iterator[None]:
    """Clients made inside take their limiters from `limiters`."""
    token = _sharing.set(limiters)
    try:
        yield
    finally:
        _sharing.reset(token)
