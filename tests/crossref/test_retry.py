"""The pure decisions: retry or give up, how long to wait, header parsing, when to stop asking."""

from __future__ import annotations

import random

import pytest
from requests.structures import CaseInsensitiveDict

from auditor.crossref.retry import (
    POLITE_SINGLE,
    Attempt,
    Decision,
    FailureBreaker,
    PoolLimits,
    RetryPolicy,
    parse_interval,
    parse_limit,
    parse_retry_after,
)

POLICY = RetryPolicy(max_retries=3, backoff_base=1.0, backoff_max=30.0)


# --- RetryPolicy.decide ----------------------------------------------------------------------

@pytest.mark.parametrize(("attempt_number", "attempt", "expected"), [
    pytest.param(1, Attempt(429, "http-429", retry_after=7.0), Decision(True, 7.0),
                 id="429-retry-after"),
    pytest.param(1, Attempt(429, "http-429", retry_after=0.0), Decision(True, 0.0),
                 id="429-retry-after-zero"),
    pytest.param(1, Attempt(429, "http-429", retry_after=120.0), Decision(True, 30.0),
                 id="429-retry-after-capped-at-backoff-max"),
    pytest.param(1, Attempt(503, "http-503", retry_after=2.0), Decision(True, 2.0),
                 id="503-retry-after"),
    pytest.param(1, Attempt(404), Decision(False), id="404-no-retry"),
    pytest.param(1, Attempt(400, "http-400"), Decision(False), id="400-no-retry"),
    pytest.param(1, Attempt(404, "http-404-html"), Decision(False), id="404-html-no-retry"),
    pytest.param(1, Attempt(401, "http-401"), Decision(False), id="401-no-retry"),
    pytest.param(1, Attempt(200), Decision(False), id="success-no-retry"),
    pytest.param(4, Attempt(429, "http-429", retry_after=1.0), Decision(False),
                 id="429-beyond-max-retries"),
    pytest.param(4, Attempt(None, "timeout"), Decision(False), id="timeout-beyond-max-retries"),
    pytest.param(2, Attempt(None, "connection"), Decision(False),
                 id="connection-failure-retried-once-only"),
    pytest.param(2, Attempt(None, "timeout"), Decision(False),
                 id="timeout-retried-once-only-a-stall-must-not-hold-the-run"),
    pytest.param(1, Attempt(None, "something-else"), Decision(False), id="unknown-failure"),
])
def test_decide_exact(attempt_number: int, attempt: Attempt, expected: Decision) -> None:
    assert POLICY.decide(attempt_number, attempt, random.Random(1)) == expected


@pytest.mark.parametrize(("attempt_number", "attempt"), [
    pytest.param(1, Attempt(429, "http-429"), id="429-first"),
    pytest.param(3, Attempt(429, "http-429"), id="429-last-allowed"),
    pytest.param(1, Attempt(500, "http-500"), id="500"),
    pytest.param(2, Attempt(502, "http-502"), id="502"),
    pytest.param(1, Attempt(503, "http-503"), id="503"),
    pytest.param(3, Attempt(504, "http-504"), id="504"),
    pytest.param(1, Attempt(None, "timeout"), id="timeout"),
    pytest.param(1, Attempt(None, "truncated"), id="truncated"),
    pytest.param(3, Attempt(None, "truncated"), id="truncated-last-allowed"),
    pytest.param(2, Attempt(200, "invalid-json"), id="invalid-json"),
    pytest.param(1, Attempt(None, "connection"), id="connection-first"),
])
def test_decide_retries_with_jittered_backoff(attempt_number: int, attempt: Attempt) -> None:
    ceiling = min(POLICY.backoff_max, POLICY.backoff_base * 2 ** (attempt_number - 1))
    for seed in range(50):
        decision = POLICY.decide(attempt_number, attempt, random.Random(seed))
        assert decision.retry
        assert ceiling / 2 <= decision.wait <= ceiling


def test_backoff_is_capped_and_seeded() -> None:
    policy = RetryPolicy(max_retries=10, backoff_base=1.0, backoff_max=5.0)
    waits = [policy.decide(n, Attempt(503, "http-503"), random.Random(7)).wait
             for n in range(1, 11)]
    assert all(2.5 <= wait <= 5.0 for wait in waits[3:])  # ceiling 8, 16, … capped at 5
    again = [policy.decide(n, Attempt(503, "http-503"), random.Random(7)).wait
             for n in range(1, 11)]
    assert waits == again


def test_jitter_spreads_waits() -> None:
    rng = random.Random(3)
    waits = {POLICY.decide(3, Attempt(429, "http-429"), rng).wait for _ in range(20)}
    assert len(waits) > 1


def test_max_retries_zero_never_retries() -> None:
    policy = RetryPolicy(max_retries=0)
    assert policy.decide(1, Attempt(503, "http-503"), random.Random(0)) == Decision(False)


# --- header parsing --------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "expected"), [
    pytest.param("3", 3.0, id="seconds"),
    pytest.param(" 0 ", 0.0, id="zero-with-spaces"),
    pytest.param("1.5", 1.5, id="fraction"),
    pytest.param("-4", 0.0, id="negative-clamped"),
    pytest.param("Wed, 21 Oct 2026 07:28:00 GMT", None, id="http-date-is-unknown"),
    pytest.param("soon", None, id="junk"),
    pytest.param("", None, id="empty"),
    pytest.param(None, None, id="absent"),
])
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    pytest.param("10", 10.0, id="plain"),
    pytest.param("50, 50", 50.0, id="repeated-header-2021"),
    pytest.param(" 3 ", 3.0, id="spaces"),
    pytest.param("", None, id="empty"),
    pytest.param(None, None, id="absent"),
    pytest.param("abc", None, id="junk"),
    pytest.param("0", None, id="zero-is-no-limit-information"),
])
def test_parse_limit(value: str | None, expected: float | None) -> None:
    assert parse_limit(value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    pytest.param("1s", 1.0, id="seconds"),
    pytest.param("500ms", 0.5, id="milliseconds"),
    pytest.param("1m", 60.0, id="minute"),
    pytest.param("1h", 3600.0, id="hour"),
    pytest.param("2", 2.0, id="bare-number-is-seconds"),
    pytest.param("0s", None, id="zero"),
    pytest.param("abc", None, id="junk"),
    pytest.param("", None, id="empty"),
    pytest.param(None, None, id="absent"),
])
def test_parse_interval(value: str | None, expected: float | None) -> None:
    assert parse_interval(value) == expected


@pytest.mark.parametrize(("headers", "expected"), [
    pytest.param({"x-rate-limit-limit": "50", "x-rate-limit-interval": "1s",
                  "x-concurrency-limit": "5"}, PoolLimits(50, 1.0, 5), id="all-three"),
    pytest.param({"x-rate-limit-limit": "50, 50"}, PoolLimits(50, 1.0, 3), id="limit-only"),
    pytest.param({"x-rate-limit-interval": "500ms"}, PoolLimits(10, 0.5, 3), id="interval-only"),
    pytest.param({"x-concurrency-limit": "1"}, PoolLimits(10, 1.0, 1), id="concurrency-only"),
    pytest.param({}, POLITE_SINGLE, id="no-headers"),
    pytest.param({"x-rate-limit-limit": "abc", "x-rate-limit-interval": "",
                  "x-concurrency-limit": "0"}, POLITE_SINGLE, id="junk-keeps-current"),
    pytest.param(CaseInsensitiveDict({"X-Rate-Limit-Limit": "5", "X-Concurrency-Limit": "1"}),
                 PoolLimits(5, 1.0, 1), id="response-headers-any-case"),
])
def test_pool_limits_updated(headers: dict[str, str], expected: PoolLimits) -> None:
    assert POLITE_SINGLE.updated(headers) == expected


# --- FailureBreaker --------------------------------------------------------------------------

def feed(breaker: FailureBreaker, outcomes: str) -> FailureBreaker:
    """`"o"` ok, `"x"` failure, `"c"` connection failure, `"t"` timeout."""
    failures = {"x": "http-500", "c": "connection", "t": "timeout"}
    for outcome in outcomes:
        breaker.record(outcome == "o", failures.get(outcome))
    return breaker


@pytest.mark.parametrize(("outcomes", "is_open"), [
    pytest.param("o" * 18 + "xx", True, id="10-percent-of-20"),
    pytest.param("o" * 19 + "x", False, id="1-in-20"),
    pytest.param("x", False, id="a-single-failure"),
    pytest.param("xx", False, id="two-first-failures-too-few-to-judge"),
    pytest.param("xxx", True, id="three-failures-in-a-row"),
    pytest.param("o" * 8 + "xx", True, id="two-in-the-first-ten"),
    pytest.param("xoxoxo", False, id="alternating-before-ten-observed"),
    pytest.param("tt", True, id="two-consecutive-timeouts"),
    pytest.param("ctc", True, id="unreachable-then-stalled"),
    pytest.param("x" + "o" * 19 + "x", False, id="first-failure-slid-out-of-window"),
    pytest.param("o" * 10 + "x" + "o" * 7 + "x", True, id="two-in-window"),
    pytest.param("o" * 40 + "x", False, id="long-success-then-one-failure"),
    pytest.param("cc", True, id="two-consecutive-connection-failures"),
    pytest.param("o" * 30, False, id="all-ok"),
])
def test_breaker(outcomes: str, is_open: bool) -> None:
    assert feed(FailureBreaker(), outcomes).open is is_open


def test_breaker_reason_counts_failures() -> None:
    breaker = feed(FailureBreaker(), "o" * 18 + "xx")
    assert breaker.reason == "2 of the last 20 requests failed"


def test_breaker_opens_on_consecutive_connection_failures_alone() -> None:
    # min_failures high so only the consecutive-connection rule can open it
    breaker = feed(FailureBreaker(min_failures=5), "o" * 30 + "cc")
    assert breaker.open
    assert breaker.reason == "the server could not be reached"


def test_breaker_connection_failures_must_be_consecutive() -> None:
    breaker = feed(FailureBreaker(min_failures=5), "o" * 30 + "coc")
    assert not breaker.open


def test_breaker_stays_open() -> None:
    breaker = feed(FailureBreaker(), "xx" + "o" * 40)
    assert breaker.open
