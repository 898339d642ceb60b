"""What keeps the local page safe by construction: a cap on what a request may send, and the
headers every answer carries — a Content-Security-Policy that lets a page run only its own
script and style (a report's, by their hashes), and no sniffing, framing or referrer.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from auditor.i18n import Said
from auditor.report.as_html_catalogue import STYLE_CATALOGUE
from auditor.report.html_assets import SCRIPT, STYLE

DEFAULT_MAX_UPLOAD = 20 * 1024 * 1024  # bytes per request

PAGE_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
               "connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; "
               "frame-ancestors 'self'")


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


# A report page is one self-contained file with its own <style> and <script>: only those run.
# (its table's <col style="width:…%"> are its own, constant: style attributes may stand)
REPORT_POLICY = (f"default-src 'none'; script-src {_hash(SCRIPT)}; "
                 f"style-src {_hash(STYLE)} {_hash(STYLE_CATALOGUE)}; "
                 "style-src-attr 'unsafe-inline'; img-src data:; "
                 "base-uri 'none'; form-action 'none'; frame-ancestors 'self'")

# same-origin: no other site learns this page's address, and the browser still tells this
# server which page a form came from (under no-referrer, a form's Origin is "null").
HEADERS = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin"),
           (b"cross-origin-opener-policy", b"same-origin")]


class Guard:
    """ASGI middleware: every answer gets the safety headers (the page's policy unless the
    route set its own), and a request body above `max_bytes` is refused with 413 — by its
    Content-Length before a byte is read, else as soon as the streamed body passes it.
    `refusal(scope, status, message)` gives a refusal's (content type, body): a page or JSON.

    Two checks keep other websites out of a page served on this computer: with `hosts`, a
    request must name one of them as its Host (a web page cannot then reach the server through
    a name of its own that resolves to 127.0.0.1, "DNS rebinding"); and a POST a browser sends
    from another site's page (its Origin is not this server) is refused, so that no website can
    start audits here."""

    def __init__(self, app: Any, max_bytes: int,
                 refusal: Callable[[dict[str, Any], int, str], tuple[str, bytes]],
                 hosts: frozenset[str] | None = None) -> None:
        self.app, self.max_bytes, self.refusal, self.hosts = app, max_bytes, refusal, hosts

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refused = self._foreign(scope)
        if refused:
            await self._refuse(scope, send, 403, refused)
            return
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_bytes:
            await self._refuse(scope, send, 413, TooLarge(self.max_bytes).message)
            return
        seen = 0
        started = False

        async def counted_receive() -> dict[str, Any]:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise TooLarge(self.max_bytes)
            return message

        async def guarded_send(message: dict[str, Any]) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers") or [])
                names = {name.lower() for name, _ in headers}
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", PAGE_POLICY.encode()))
                headers += [h for h in HEADERS if h[0] not in names]
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, counted_receive, guarded_send)
        except TooLarge:  # a route that did not catch it (the routes that read a body do)
            if not started:
                await self._refuse(scope, send, 413, TooLarge(self.max_bytes).message)

    def _foreign(self, scope: dict[str, Any]) -> str | None:
        """Why the request comes from outside this server's own pages, or None."""
        headers = dict(scope.get("headers") or [])
        host = headers.get(b"host", b"").decode("latin-1")
        if self.hosts is not None and _hostname(host) not in self.hosts:
            return Said("this server answers to {names} only, not to {host}",
                        names=", ".join(sorted(self.hosts)), host=repr(host[:80]))
        origin = headers.get(b"origin", b"").decode("latin-1")
        if scope.get("method") not in ("GET", "HEAD") and origin:  # "null" too: a sandbox
            forwarded = headers.get(b"x-forwarded-host", b"").decode("latin-1")
            if urlsplit(origin).netloc not in {host, *forwarded.split(",")} - {""}:
                return Said("a page of another website cannot send audits to this server")
        return None

    async def _refuse(self, scope: dict[str, Any], send: Any, status: int, message: str
                      ) -> None:
        media, body = self.refusal(scope, status, message)
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", media.encode()),
                                (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close"),
                                (b"content-security-policy", PAGE_POLICY.encode()), *HEADERS]})
        await send({"type": "http.response.body", "body": body})


def _hostname(host: str) -> str:
    """`127.0.0.1:8000` → `127.0.0.1`, `[::1]:8000` → `::1`, `localhost` → `localhost`."""
    return (urlsplit(f"//{host}").hostname or "").lower()


class TooLarge(Exception):
    """The body passed the cap while it was read (raised where the route reads it)."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(Said("what was sent is larger than {megabytes} MB, the most this "
                              "server accepts at once: send fewer or smaller files",
                              megabytes=f"{max_bytes / (1024 * 1024):g}"))
        self.message = self.args[0]
