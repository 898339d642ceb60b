"""Shared fixtures: a hermetic environment and a local Crossref stand-in on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path
from typing import ClassVar

import pytest
from pytest_httpserver import URIPattern
from werkzeug import Request, Response

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(autouse=True)
def hermetic_environment(monkeypatch, tmp_path):
    """No test reads the user's settings or cache, or reaches a real registry."""
    for name in ("AUDITOR_MAILTO", "AUDITOR_CROSSREF_URL", "AUDITOR_CACHE_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AUDITOR_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("AUDITOR_CROSSREF_URL", "http://127.0.0.1:9")  # nothing listens there


def load_stand_in_records() -> dict[str, dict]:
    """The work envelopes in fixtures/stand-in/*.json, by lower-cased DOI."""
    records = {}
    for path in sorted((FIXTURES / "stand-in").glob("*.json")):
        envelope = json.loads(path.read_text("utf-8"))
        records[envelope["message"]["DOI"].lower()] = envelope
    return records


class CrossrefStandIn:
    """Answers `/works/{doi}` like Crossref: the record when known (DOI case-insensitive),
    else 404 `Resource not found.` in text/plain; with the polite pool's rate-limit headers."""

    HEADERS: ClassVar[dict[str, str]] = {"x-rate-limit-limit": "10", "x-rate-limit-interval": "1s",
               "x-concurrency-limit": "3", "x-api-pool": "polite-single"}

    def __init__(self, server):
        self.server = server
        self.records = load_stand_in_records()
        self.requests: list[str] = []
        server.expect_request(_AnyWorkPath()).respond_with_handler(self.handle)

    @property
    def url(self) -> str:
        return self.server.url_for("").rstrip("/")

    def handle(self, request: Request) -> Response:
        self.requests.append(request.full_path)
        doi = request.path.split("/works/", 1)[1].lower()
        envelope = self.records.get(doi)
        if envelope is None:
            return Response("Resource not found.", status=404, content_type="text/plain",
                            headers=self.HEADERS)
        return Response(json.dumps(envelope), status=200, content_type="application/json",
                        headers=self.HEADERS)


class _AnyWorkPath(URIPattern):
    """A URI matcher for pytest-httpserver: every path under /works/."""

    def match(self, uri: str) -> bool:
        return uri.startswith("/works/")


@pytest.fixture
def crossref(httpserver, monkeypatch):
    stand_in = CrossrefStandIn(httpserver)
    monkeypatch.setenv("AUDITOR_CROSSREF_URL", stand_in.url)
    return stand_in
