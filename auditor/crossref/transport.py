"""One HTTP request to Crossref and what came back, as a Reply the client can act on.

Every way a request can end is turned into a Reply here — an answer (200 JSON, 404 "Resource not
found.", 400 validation failure) or a failure with a short reason (timeout, refused, reset,
truncated, 429, 5xx, unreadable JSON) — so nothing above this module handles an exception, and no
failure can be mistaken for an answer.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from auditor.crossref.retry import Attempt, parse_retry_after

if TYPE_CHECKING:
    import requests

# requests (about a quarter of a second to import) is loaded only when a request is really
# made: a run answered from the cache, or offline, never pays for it.

# Failures that are really answers about the request: retrying or stopping would be wrong.
ANSWER_FAILURES = frozenset({"http-400"})


@dataclass(frozen=True)
class Reply:
    """What one attempt produced. `failure` is None for a usable answer."""

    status: int | None
    payload: Any = None
    failure: str | None = None
    reason: str | None = None
    retry_after: float | None = None
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def attempt(self) -> Attempt:
        return Attempt(self.status, self.failure, self.retry_after)

    @property
    def not_found(self) -> bool:
        return self.status == 404 and self.failure is None


def _host(url: str) -> str:
    return url.split("/")[2] if "://" in url else url


def _failure(failure: str, reason: str, status: int | None = None,
             retry_after: float | None = None, headers: dict[str, str] | None = None) -> Reply:
    return Reply(status, None, failure, reason, retry_after, headers or {})


class Transport:
    """Pooled HTTP sessions, one per worker thread (a requests.Session is not meant to be shared
    between threads), all closed together at the end of the run."""

    def __init__(self, user_agent: str, connect_timeout: float, read_timeout: float):
        self.user_agent = user_agent
        self.timeout = (connect_timeout, read_timeout)
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._lock = threading.Lock()

    def _session(self) -> requests.Session:
        import requests
        from requests.adapters import HTTPAdapter

        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            adapter = HTTPAdapter(pool_connections=2, pool_maxsize=4, max_retries=0)
            session.mount("https://", adapter)
            session.mount("http://", adapter)
            session.headers.update({"User-Agent": self.user_agent, "Accept": "application/json"})
            self._local.session = session
            with self._lock:
                self._sessions.append(session)
        return session

    def ready(self) -> None:
        """Import requests and open this thread's session now, before a rate-limit slot is
        taken: the slot's start time must be the moment the request leaves, not a quarter of a
        second earlier (the server counts arrivals)."""
        self._session()

    def close(self) -> None:
        with self._lock:
            for session in self._sessions:
                session.close()
            self._sessions.clear()

    def get(self, url: str, params: dict[str, str], envelope: str | None = "message",
            data: dict[str, str] | None = None) -> Reply:
        """GET (or POST `data`, for NCBI's long id lists) and classify; never raises for
        anything the network or the server does. `envelope` is the key a usable JSON answer
        has: Crossref's "message", DataCite's "data", NCBI esearch's "esearchresult", DOAJ's
        "results" (a list); None
        takes the body as text (NCBI efetch's XML)."""
        host = _host(url)
        watchdog = _Watchdog(2 * self.timeout[1])
        try:
            reply = self._fetch(url, params, envelope, host, watchdog, data)
        finally:
            watchdog.disarm()
        # Whatever the broken read looked like, a watchdog that fired means "too slow".
        return watchdog.failure(host) if watchdog.fired else reply

    def _fetch(self, url: str, params: dict[str, str], envelope: str | None, host: str,
               watchdog: _Watchdog, data: dict[str, str] | None = None) -> Reply:
        import requests
        from urllib3.exceptions import ReadTimeoutError

        try:
            if data is None:
                response = self._session().get(url, params=params, timeout=self.timeout,
                                               stream=True)
            else:
                response = self._session().post(url, params=params, data=data,
                                                timeout=self.timeout, stream=True)
            watchdog.arm(response)
            _ = response.content  # read the body while the watchdog bounds the whole answer
        except requests.exceptions.ConnectTimeout:
            return _failure("connection", f"could not connect to {host} (connect timeout)")
        except requests.Timeout:
            return _failure("timeout", f"{host} did not answer in time (timeout)")
        except (requests.exceptions.ChunkedEncodingError,
                requests.exceptions.ContentDecodingError):
            return _failure("truncated", f"{host} broke off its answer (truncated response)")
        except requests.ConnectionError as exc:
            if any(isinstance(arg, ReadTimeoutError) for arg in exc.args):
                # requests reports a stall while reading the body as a ConnectionError
                return _failure("timeout", f"{host} did not answer in time (timeout)")
            if _never_connected(exc):
                return _failure("connection", f"could not connect to {host}")
            # Reached, then dropped (reset, aborted): a passing fault, retried like one.
            return _failure("reset", f"{host} dropped the connection")
        except requests.RequestException as exc:
            return _failure("connection", f"request to {host} failed ({type(exc).__name__})")
        except OSError:
            return _failure("reset", f"{host} dropped the connection")
        return classify(response, host, envelope)


class _Watchdog:
    """The read timeout bounds each wait for a byte; this bounds a whole answer, so a server
    that drips a byte at a time cannot hold the run: when time is up it shuts the socket, which
    makes the blocked read fail at once."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.fired = False
        self._timer: threading.Timer | None = None

    def arm(self, response: requests.Response) -> None:
        connection = getattr(response.raw, "_connection", None)
        sock = getattr(connection, "sock", None)
        if sock is None:
            return

        def fire() -> None:
            self.fired = True
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

        self._timer = threading.Timer(self.seconds, fire)
        self._timer.daemon = True
        self._timer.start()

    def disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()

    def failure(self, host: str) -> Reply:
        return _failure("timeout", f"{host} sent its answer too slowly (more than "
                        f"{self.seconds:g} s)")


def _never_connected(exc: requests.ConnectionError) -> bool:
    """Refused, unknown host, no route: urllib3 wraps these as NewConnectionError."""
    from urllib3.exceptions import NewConnectionError

    for arg in exc.args:
        if isinstance(arg, NewConnectionError) or isinstance(getattr(arg, "reason", None),
                                                             NewConnectionError):
            return True
    return False


def classify(response: requests.Response, host: str, envelope: str | None = "message"
             ) -> Reply:
    """Turn an HTTP response into a Reply (pure apart from reading the body)."""
    status = response.status_code
    headers = {k.lower(): v for k, v in response.headers.items()}
    if status == 200 and envelope is None:
        return Reply(status, response.text, headers=headers)
    if status == 200:
        try:
            payload = response.json()
        except ValueError:
            return _failure("invalid-json", f"{host}'s answer was not readable JSON (invalid "
                            "or truncated)", status, headers=headers)
        if not isinstance(payload, dict) or not isinstance(payload.get(envelope), dict | list):
            return _failure("invalid-json", f"{host}'s answer was not the expected record",
                            status, headers=headers)
        return Reply(status, payload, headers=headers)
    body = response.text.strip()
    if status == 404:
        # Crossref: "Resource not found."; DataCite: "The resource you are looking for doesn't
        # exist." (in a JSON:API error).
        if "resource not found" in body[:200].lower() or (
                envelope == "data" and "doesn't exist" in body[:300].lower()):
            return Reply(status, None, headers=headers)
        # Not Crossref's own answer: a wrong URL, a proxy, a web page. Not evidence of absence.
        return _failure("http-404", f"{host} answered 404 without Crossref's \"Resource not "
                        "found.\" (is the Crossref URL right?)", status, headers=headers)
    if status == 400:
        detail = ""
        try:
            messages = response.json().get("message")
            if isinstance(messages, list) and messages and isinstance(messages[0], dict):
                detail = f": {messages[0].get('message', '')}"[:200]
        except (ValueError, AttributeError):
            pass
        return _failure("http-400", f"Crossref rejected the request (400){detail}", status,
                        headers=headers)
    retry_after = parse_retry_after(response.headers.get("Retry-After"))
    reason = ((f"rate limited by {'Crossref' if 'crossref' in host else host} (429)")
              if status == 429
              else f"{host} answered HTTP {status}")
    return _failure(f"http-{status}", reason, status, retry_after, headers)
