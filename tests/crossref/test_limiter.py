"""RouteLimiter with a fake clock: never more starts per window, never more in flight."""

from __future__ import annotations

import threading
import time

import pytest

from auditor.crossref.limiter import RouteLimiter
from auditor.crossref.retry import PoolLimits


class FakeClock:
    """Time that moves only when a waiter would sleep: condition waits are replaced by jumps."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def run_sequentially(limiter: RouteLimiter, clock: FakeClock, n: int) -> list[float]:
    """Acquire and release n times; whenever the limiter would wait, jump the clock."""
    starts = []
    for _ in range(n):
        while True:
            wait = limiter._wait_needed(clock())
            if wait is None:
                break
            clock.now += wait if wait > 0 else 0.001
        limiter.acquire()
        starts.append(clock())
        limiter.release()
    return starts


@pytest.mark.parametrize(("limits", "n"), [
    pytest.param(PoolLimits(3, 1.0, 3), 12, id="polite-list-3-per-second"),
    pytest.param(PoolLimits(10, 1.0, 3), 40, id="polite-single-10-per-second"),
    pytest.param(PoolLimits(1, 1.0, 1), 5, id="public-list-1-per-second"),
])
def test_never_more_starts_than_the_limit_in_any_window(limits, n):
    clock = FakeClock()
    limiter = RouteLimiter(limits, clock=clock, margin=1.04)
    starts = run_sequentially(limiter, clock, n)
    for i, start in enumerate(starts):
        in_window = [s for s in starts[i:] if s - start < limits.interval]
        assert len(in_window) <= limits.limit
    # and no slower than needed: n requests take about (n / limit - 1) windows
    assert starts[-1] == pytest.approx((n // int(limits.limit) - (n % int(limits.limit) == 0))
                                       * limits.interval * 1.04)


def test_concurrency_cap_with_real_threads():
    limiter = RouteLimiter(PoolLimits(1000, 1.0, 2))
    in_flight, peak, lock = [0], [0], threading.Lock()

    def work():
        with limiter.slot():
            with lock:
                in_flight[0] += 1
                peak[0] = max(peak[0], in_flight[0])
            time.sleep(0.02)
            with lock:
                in_flight[0] -= 1

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert peak[0] == 2
    assert limiter.peak_active == 2


def test_headers_change_the_limits_and_429_pauses_the_route():
    clock = FakeClock()
    limiter = RouteLimiter(PoolLimits(3, 1.0, 3), clock=clock)
    limiter.update({"x-rate-limit-limit": "1", "x-rate-limit-interval": "2s",
                    "x-concurrency-limit": "1"})
    assert limiter.limits == PoolLimits(1, 2.0, 1)
    limiter.pause(5.0)
    assert limiter._wait_needed(clock()) == pytest.approx(5.0)
    clock.now = 5.0
    assert limiter._wait_needed(clock()) is None
