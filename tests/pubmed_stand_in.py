"""A local NCBI E-utilities stand-in: esearch (JSON) and efetch (XML) on db=pubmed, esearch and
esummary (JSON) on db=nlmcatalog, as POSTs or GETs, with the behaviour the client must cope
with: DOIs and ISSNs matched case-insensitively, phrases not found listed in `errorlist`, 429
"API rate limit exceeded" with or without Retry-After, 5xx, broken XML. Also DOAJ's journal
search (`DoajStandIn`)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from werkzeug import Request, Response

_PHRASE = re.compile(r'"([^"]+)"\[doi\]', re.IGNORECASE)
_ISSN_PHRASE = re.compile(r'"([^"]+)"\[issn\]', re.IGNORECASE)


@dataclass
class CatalogJournal:
    """A journal of the NLM Catalog: its ISSNs, whether currently indexed for MEDLINE."""

    uid: str
    issns: tuple[str, ...]
    indexed: bool
    title: str

    def summary(self) -> dict:
        return {"uid": self.uid, "titlemainlist": [{"title": self.title}],
                "medlineta": self.title if self.indexed else "",
                "issnlist": [{"issn": i, "issntype": "Print"} for i in self.issns],
                "currentindexingstatus": "Y" if self.indexed else "N"}


@dataclass
class Article:
    pmid: str
    doi: str
    types: tuple[str, ...] = ("Journal Article",)
    mesh: tuple[str, ...] = ()

    def xml(self) -> str:
        types = "".join(f"<PublicationType>{escape(t)}</PublicationType>" for t in self.types)
        mesh = "".join(f"<MeshHeading><DescriptorName>{escape(m)}</DescriptorName></MeshHeading>"
                       for m in self.mesh)
        return (f"<PubmedArticle><MedlineCitation><PMID>{self.pmid}</PMID><Article>"
                f"<PublicationTypeList>{types}</PublicationTypeList></Article>"
                f"<MeshHeadingList>{mesh}</MeshHeadingList></MedlineCitation><PubmedData>"
                f"<ArticleIdList><ArticleId IdType=\"pubmed\">{self.pmid}</ArticleId>"
                f"<ArticleId IdType=\"doi\">{escape(self.doi)}</ArticleId></ArticleIdList>"
                "</PubmedData></PubmedArticle>")


@dataclass
class PubMedStandIn:
    """Register on a pytest-httpserver; `faults` is a list of (route, status, headers) served
    once each, in order, before normal answers on that route."""

    server: object
    articles: dict[str, Article] = field(default_factory=dict)
    faults: list[tuple[str, int, dict[str, str]]] = field(default_factory=list)
    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    broken_xml: bool = False
    journals: list[CatalogJournal] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.server.expect_request(re.compile(r"/eutils/e(search|fetch|summary)\.fcgi")
                                   ).respond_with_handler(self.handle)

    @property
    def url(self) -> str:
        return self.server.url_for("/eutils").rstrip("/")

    def add(self, *articles: Article) -> None:
        for article in articles:
            self.articles[article.doi.lower()] = article

    def handle(self, request: Request) -> Response:
        route = request.path.rsplit("/", 1)[-1].split(".")[0]
        values = {**request.args.to_dict(), **request.form.to_dict()}
        self.requests.append((route, request.method, values))
        for fault in self.faults:
            if fault[0] == route:
                self.faults.remove(fault)
                body = json.dumps({"error": "API rate limit exceeded", "count": "4",
                                   "limit": "3"}) if fault[1] == 429 else "Internal error"
                return Response(body, status=fault[1], headers=fault[2])
        if values.get("db") == "nlmcatalog":
            return self._catalog(route, values)
        if route == "esearch":
            return self._esearch(values)
        return self._efetch(values)

    def _catalog(self, route: str, values: dict[str, str]) -> Response:
        if route == "esearch":
            wanted = {p.upper() for p in _ISSN_PHRASE.findall(values.get("term", ""))}
            ids = [j.uid for j in self.journals if wanted & {i.upper() for i in j.issns}]
            body = {"esearchresult": {"count": str(len(ids)), "idlist": ids}}
        else:
            wanted = set(values.get("id", "").split(","))
            chosen = [j for j in self.journals if j.uid in wanted]
            body = {"result": {"uids": [j.uid for j in chosen],
                               **{j.uid: j.summary() for j in chosen}}}
        return Response(json.dumps(body), content_type="application/json")

    def _esearch(self, values: dict[str, str]) -> Response:
        phrases = _PHRASE.findall(values.get("term", ""))
        by_doi: dict[str, list[str]] = {}
        for article in self.articles.values():  # several records may carry one DOI
            by_doi.setdefault(article.doi.lower(), []).append(article.pmid)
        found = [pmid for p in phrases for pmid in by_doi.get(p.lower(), [])]
        missing = [f'"{p}"[doi]' for p in phrases if p.lower() not in by_doi]
        if any("widened" in p for p in phrases):
            # what PubMed does when it searches an unfound phrase's words instead
            found = [*(str(90000000 + i) for i in range(5000)), *found]
        retmax = int(values.get("retmax", 20))
        result = {"count": str(len(found)), "retmax": str(min(retmax, len(found))),
                  "retstart": "0", "idlist": found[:retmax], "translationset": [],
                  "querytranslation": values.get("term", "")}
        if missing:
            result["errorlist"] = {"phrasesnotfound": missing, "fieldsnotfound": []}
        return Response(json.dumps({"header": {"type": "esearch", "version": "0.3"},
                                    "esearchresult": result}),
                        content_type="application/json")

    def _efetch(self, values: dict[str, str]) -> Response:
        if self.broken_xml:
            return Response("<PubmedArticleSet><PubmedArticle><Medline", content_type="text/xml")
        wanted = set(values.get("id", "").split(","))
        body = "".join(a.xml() for a in self.articles.values() if a.pmid in wanted)
        return Response('<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet>\n'
                        f"<PubmedArticleSet>{body}</PubmedArticleSet>", content_type="text/xml")


@dataclass
class DoajStandIn:
    """DOAJ's `/search/journals/{query}`: journals by ISSN with their stated review process."""

    server: object
    journals: dict[str, str] = field(default_factory=dict)  # ISSN → review process
    requests: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.server.expect_request(re.compile(r"/doaj/search/journals/.*")
                                   ).respond_with_handler(self.handle)

    @property
    def url(self) -> str:
        return self.server.url_for("/doaj").rstrip("/")

    def handle(self, request: Request) -> Response:
        from urllib.parse import unquote

        query = unquote(request.path.split("/search/journals/", 1)[1])
        self.requests.append(query)
        wanted = {q.upper() for q in re.findall(r'"([^"]+)"', query)}
        results = [{"id": issn, "bibjson": {"pissn": issn, "title": f"Journal {issn}",
                                             "editorial": {"review_process": [process]}}}
                   for issn, process in self.journals.items() if issn.upper() in wanted]
        return Response(json.dumps({"total": len(results), "page": 1, "pageSize": 100,
                                    "results": results}), content_type="application/json")
