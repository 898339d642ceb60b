"""Shared fixtures: a hermetic environment and a local Crossref stand-in on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path
from typing import ClassVar

import pytest
from pubmed_stand_in import CatalogJournal, DoajStandIn, PubMedStandIn
from pytest_httpserver import URIPattern
from stand_in import search_records
from werkzeug import Request, Response

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(autouse=True)
def hermetic_environment(monkeypatch, tmp_path):
    """No test reads the user's settings or cache, or reaches a real registry."""
    for name in ("AUDITOR_MAILTO", "AUDITOR_CROSSREF_URL", "AUDITOR_CACHE_DIR",
                 "AUDITOR_DATACITE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AUDITOR_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("AUDITOR_CROSSREF_URL", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.setenv("AUDITOR_DATACITE_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("AUDITOR_NCBI_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("AUDITOR_DOAJ_URL", "http://127.0.0.1:9")
    monkeypatch.delenv("NCBI_API_KEY", raising=False)
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):  # reports in English unless a test asks
        monkeypatch.delenv(name, raising=False)


def load_stand_in_records() -> dict[str, dict]:
    """The work envelopes in fixtures/stand-in/*.json, by lower-cased DOI."""
    records = {}
    for path in sorted((FIXTURES / "stand-in").glob("*.json")):
        envelope = json.loads(path.read_text("utf-8"))
        records[envelope["message"]["DOI"].lower()] = envelope
    return records


class CrossrefStandIn:
    """Answers like Crossref: `/works/{doi}` gives the record when known (DOI case-insensitive),
    else 404 `Resource not found.` in text/plain; `/works?filter=doi:A,doi:B` lists the known
    ones in lower case (unknown DOIs silently absent). With `list_route=False` it knows only
    single records, as a simpler stand-in would. Rate-limit headers as in the polite pool."""

    HEADERS: ClassVar[dict[str, str]] = {
        "x-rate-limit-limit": "10", "x-rate-limit-interval": "1s", "x-concurrency-limit": "3",
        "x-api-pool": "polite-single"}

    def __init__(self, server, list_route: bool = True):
        self.server = server
        self.records = load_stand_in_records()
        self.datacite = {json.loads(p.read_text("utf-8"))["data"]["id"].lower():
                         json.loads(p.read_text("utf-8"))
                         for p in sorted((FIXTURES / "stand-in" / "datacite").glob("*.json"))}
        self.agencies = {**dict.fromkeys(self.datacite, "datacite"),
                         "10.3280/example2018-001": "medra"}
        self.list_route = list_route
        self.requests: list[str] = []
        server.expect_request(_AnyWorkPath()).respond_with_handler(self.handle)

    @property
    def url(self) -> str:
        return self.server.url_for("").rstrip("/")

    @property
    def list_requests(self) -> list[str]:
        return [r for r in self.requests if r.startswith("/works?")]

    def handle(self, request: Request) -> Response:
        self.requests.append(request.full_path)
        if request.path.rstrip("/") == "/works":
            return self._list(request)
        if request.path.startswith("/dois/"):  # DataCite's REST API, on the same server
            record = self.datacite.get(request.path[len("/dois/"):].lower())
            if record is None:
                return Response(json.dumps({"errors": [{"status": "404", "title": "The resource "
                                "you are looking for doesn't exist."}]}), status=404,
                                content_type="application/vnd.api+json")
            return Response(json.dumps(record), content_type="application/vnd.api+json")
        doi = request.path.split("/works/", 1)[1].lower()
        if doi.endswith("/agency") and doi[: -len("/agency")] not in self.records:
            agency = self.agencies.get(doi[: -len("/agency")])
            if agency is None:
                return Response("Resource not found.", status=404, content_type="text/plain")
            return Response(json.dumps({"status": "ok", "message-type": "work-agency",
                                        "message": {"DOI": doi[: -len("/agency")],
                                                    "agency": {"id": agency}}}),
                            content_type="application/json", headers=self.HEADERS)
        envelope = self.records.get(doi)
        if envelope is None:
            return Response("Resource not found.", status=404, content_type="text/plain",
                            headers=self.HEADERS)
        return Response(json.dumps(envelope), status=200, content_type="application/json",
                        headers=self.HEADERS)

    def _list(self, request: Request) -> Response:
        if not self.list_route:
            return Response("Resource not found.", status=404, content_type="text/plain")
        if "query.bibliographic" in request.args:
            items = search_records([e["message"] for e in self.records.values()],
                                   request.args["query.bibliographic"],
                                   int(request.args.get("rows", 20)))
        else:
            wanted = [item.split(":", 1)[1].lower() for item in
                      request.args.get("filter", "").split(",") if item.startswith("doi:")]
            items = [{**self.records[d]["message"], "DOI": d} for d in wanted
                     if d in self.records]
        body = {"status": "ok", "message-type": "work-list", "message-version": "1.0.0",
                "message": {"items": items, "total-results": len(items),
                            "items-per-page": int(request.args.get("rows", 20))}}
        return Response(json.dumps(body), status=200, content_type="application/json",
                        headers={**self.HEADERS, "x-rate-limit-limit": "3",
                                 "x-api-pool": "polite-array"})


class _AnyWorkPath(URIPattern):
    """A URI matcher for pytest-httpserver: /works and every path under it."""

    def match(self, uri: str) -> bool:
        return uri.rstrip("/") == "/works" or uri.startswith(("/works/", "/dois/"))


# What the journal lists say of the stand-in records' journals: The Lancet and PLoS ONE are
# currently indexed for MEDLINE, PLoS ONE is in DOAJ; ACS Applied Materials & Interfaces is in
# neither stand-in list (its articles keep the ISSN-only signal).
CATALOG = [CatalogJournal("1", ("0140-6736", "1474-547X"), True, "Lancet"),
           CatalogJournal("2", ("1932-6203",), True, "PLoS One")]
DOAJ = {"1932-6203": "Anonymous peer review"}


@pytest.fixture
def crossref(httpserver, monkeypatch):
    """Crossref, DataCite, NCBI E-utilities (PubMed, NLM Catalog) and DOAJ, on one server."""
    stand_in = CrossrefStandIn(httpserver)
    monkeypatch.setenv("AUDITOR_CROSSREF_URL", stand_in.url)
    monkeypatch.setenv("AUDITOR_DATACITE_URL", stand_in.url)
    return _with_journal_lists(stand_in, httpserver, monkeypatch)


def _with_journal_lists(stand_in: CrossrefStandIn, httpserver, monkeypatch) -> CrossrefStandIn:
    stand_in.eutils = PubMedStandIn(httpserver, journals=list(CATALOG))
    stand_in.doaj = DoajStandIn(httpserver, journals=dict(DOAJ))
    monkeypatch.setenv("AUDITOR_NCBI_URL", stand_in.eutils.url)
    monkeypatch.setenv("AUDITOR_DOAJ_URL", stand_in.doaj.url)
    return stand_in


@pytest.fixture
def crossref_single_only(httpserver, monkeypatch):
    """A stand-in that serves only `/works/{doi}` (404 for the list route)."""
    stand_in = CrossrefStandIn(httpserver, list_route=False)
    monkeypatch.setenv("AUDITOR_CROSSREF_URL", stand_in.url)
    return _with_journal_lists(stand_in, httpserver, monkeypatch)
