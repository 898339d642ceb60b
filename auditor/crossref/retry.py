"""Pure decisions for the client: retry or give up, how long to wait, when to stop asking.

Kept free of I/O (like requests-cache's policy objects) so every rule is tested with a table;
the client only carries the decisions out.
"""

from __future__ import annotations

import random
import re
import threading
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field

RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})
UNREACHABLE = frozenset({"connection", "timeout"})
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True)
class Attempt:
    """What one HTTP attempt produced: a status (None when no response came) and why it failed."""

    status: int | None
    failure: str | None = None  # "timeout", "connection", "reset", "truncated", "http-429"…
    retry_after: float | None = None


@dataclass(frozen=True)
class Decision:
    retry: bool
    wait: float = 0.0


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded retries with exponential backoff and full jitter; `Retry-After` wins when given."""

    max_retries: int = 3
    backoff_base: float = 1.0
    backoff_max: float = 60.0

    def decide(self, attempt_number: int, attempt: Attempt, rng: random.Random | None = None
               ) -> Decision:
        """`attempt_number` counts from 1. Retry only what may succeed on a second try."""
        retryable = attempt.failure in ("timeout", "connection", "reset", "invalid-json",
                                        "truncated") or (
            attempt.status in RETRYABLE_STATUS)
        if not retryable or attempt_number > self.max_retries:
            return Decision(False)
        if attempt.failure in UNREACHABLE and attempt_number > 1:
            # Refused or stalled twice: waiting will not help, and a stalled server must not
            # hold the run for (retries × timeout).
            return Decision(False)
        if attempt.retry_after is not None:
            return Decision(True, min(max(attempt.retry_after, 0.0), self.backoff_max))
        ceiling = min(self.backoff_max, self.backoff_base * 2 ** (attempt_number - 1))
        return Decision(True, (rng or random).uniform(ceiling / 2, ceiling))


def parse_retry_after(value: str | None) -> float | None:
    """`Retry-After: 3` → 3.0. HTTP dates are rare here; they count as unknown (backoff)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def parse_limit(value: str | None) -> float | None:
    """Defensive header number: `"10"` → 10, `"50, 50"` → 50 (seen in 2021), junk → None."""
    if not value:
        return None
    match = _NUMBER.search(value)
    if not match:
        return None
    number = float(match.group(0))
    return number if number > 0 else None


def parse_interval(value: str | None) -> float | None:
    """`"1s"` → 1.0, `"500ms"` → 0.5, `"1m"` → 60."""
    if not value:
        return None
    match = re.match(r"\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?", value)
    if not match:
        return None
    number = float(match.group(1))
    unit = match.group(2) or "s"
    seconds = number * {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}[unit]
    return seconds if seconds > 0 else None


@dataclass(frozen=True)
class PoolLimits:
    """Requests per interval and concurrent requests allowed for one route family."""

    limit: float
    interval: float
    concurrency: int

    def updated(self, headers: Mapping[str, str]) -> PoolLimits:
        """Obey x-rate-limit-limit, x-rate-limit-interval, x-concurrency-limit when present."""
        limit = parse_limit(headers.get("x-rate-limit-limit")) or self.limit
        interval = parse_interval(headers.get("x-rate-limit-interval")) or self.interval
        concurrency = parse_limit(headers.get("x-concurrency-limit"))
        return PoolLimits(limit, interval, int(concurrency) if concurrency else self.concurrency)


# Published limits since 2025-12-01 (crossref.md): single-record route, list route.
PUBLIC_SINGLE = PoolLimits(5, 1.0, 1)
PUBLIC_LIST = PoolLimits(1, 1.0, 1)
POLITE_SINGLE = PoolLimits(10, 1.0, 3)
POLITE_LIST = PoolLimits(3, 1.0, 3)


@dataclass
class FailureBreaker:
    """Crossref's etiquette: stop asking when 10 % or more of recent requests fail.

    Counts final outcomes (after retries) over a sliding window of 20, once it holds 10; and
    opens at once after 2 consecutive outcomes where the host could not be reached or stalled,
    or 3 consecutive failures of any kind. Safe to share between threads.
    """

    window: int = 20
    min_observed: int = 10
    threshold: float = 0.10
    min_failures: int = 2
    max_consecutive_unreachable: int = 2
    max_consecutive_failures: int = 3
    _recent: deque[bool] = field(default_factory=deque)
    _unreachable_run: int = 0
    _failure_run: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    reason: str | None = None

    def record(self, ok: bool, failure: str | None = None) -> None:
        with self._lock:
            self._recent.append(ok)
            if len(self._recent) > self.window:
                self._recent.popleft()
            self._unreachable_run = self._unreachable_run + 1 if failure in UNREACHABLE else 0
            self._failure_run = 0 if ok else self._failure_run + 1
            failures = self._recent.count(False)
            if self.reason is not None:
                return
            if self._unreachable_run >= self.max_consecutive_unreachable:
                self.reason = ("the server could not be reached" if failure == "connection"
                               else "the server stopped answering (timeouts)")
            elif self._failure_run >= self.max_consecutive_failures:
                self.reason = f"{self._failure_run} requests in a row failed"
            elif (len(self._recent) >= self.min_observed and failures >= self.min_failures
                  and failures / len(self._recent) >= self.threshold):
                self.reason = f"{failures} of the last {len(self._recent)} requests failed"

    @property
    def open(self) -> bool:
        return self.reason is not None
