"""PubMed publication types and MeSH study-design headings for DOIs (`--pubmed`), from NCBI
E-utilities — the strongest signal for the level of evidence (evidence.md).

Per batch of up to 100 DOIs: one esearch (`"<doi>"[doi] OR …`, POSTed: the term is long) gives
PMIDs, one efetch (XML, up to 200 PMIDs) gives each article's DOIs, publication types and MeSH
headings. PMIDs are matched back to DOIs through the DOIs inside the fetched records, never by
position, so a stray hit cannot be attached to the wrong reference. NCBI allows 3 requests/s
without an API key and 10 with one (`NCBI_API_KEY`). Answers are kept in the same SQLite store as
Crossref's, under the NCBI base URL; a DOI PubMed does not index is "absent", a fault leaves it
"unchecked" — never absent.
"""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from typing import Any

from auditor.crossref.asking import Asker, RunStats
from auditor.crossref.cache import CachedAnswer, CacheGuard, NoCache
from auditor.crossref.limiter import ncbi_limiter
from auditor.crossref.retry import RetryPolicy
from auditor.crossref.transport import Reply, Transport
from auditor.model import PubMedLookup, PubMedRecord
from auditor.vocabulary import PubMedState

ESEARCH_BATCH = 100
EFETCH_BATCH = 200
# Characters that would break the quoted search phrase; such a DOI is left unchecked.
_UNSEARCHABLE = ('"', "\n", "\r", "\t")


def record_from_article(article: ET.Element) -> tuple[PubMedRecord, set[str]] | None:
    """(the record, the article's own DOIs in lower case) from one <PubmedArticle> or
    <PubmedBookArticle>. The DOIs of its reference list (ReferenceList) are not its own."""
    citation = article.find("MedlineCitation")
    if citation is not None:
        pmid = citation.findtext("PMID")
        types = [t.text for t in citation.iterfind("Article/PublicationTypeList/"
                                                   "PublicationType")]
        mesh = [d.text for d in citation.iterfind("MeshHeadingList/MeshHeading/"
                                                  "DescriptorName")]
        ids = [*citation.iterfind("Article/ELocationID[@EIdType='doi']"),
               *article.iterfind("PubmedData/ArticleIdList/ArticleId[@IdType='doi']")]
    else:
        book = article.find("BookDocument")
        if book is None:
            return None
        pmid = book.findtext("PMID")
        types = [t.text for t in book.iterfind("PublicationType")]
        mesh = []
        ids = [*book.iterfind("ArticleIdList/ArticleId[@IdType='doi']"),
               *article.iterfind("PubmedBookData/ArticleIdList/ArticleId[@IdType='doi']")]
    if not pmid:
        return None
    dois = {i.text.strip().lower() for i in ids if i.text and i.text.strip()}
    record = PubMedRecord(pmid.strip(), tuple(t.strip() for t in types if t),
                          tuple(m.strip() for m in mesh if m))
    return record, dois


def parse_efetch(xml_text: str) -> list[tuple[PubMedRecord, set[str]]]:
    """Every article of an efetch answer; raises ValueError when it is not PubMed XML."""
    try:
        root = ET.fromstring(xml_text)
    except ET.ParseError as exc:
        raise ValueError(f"not readable XML ({exc})") from None
    if root.tag != "PubmedArticleSet":
        raise ValueError(f"not a PubmedArticleSet (root <{root.tag}>)")
    return [found for article in root if (found := record_from_article(article))]


_NOTICE_TYPES = frozenset({"Published Erratum", "Retraction of Publication",
                           "Expression of Concern"})


def _is_notice(record: PubMedRecord) -> bool:
    return bool(_NOTICE_TYPES & set(record.publication_types))


def _count(result: dict[str, Any]) -> int:
    try:
        return int(result.get("count", 0))
    except (TypeError, ValueError):
        return 0


def to_cache(record: PubMedRecord) -> dict[str, Any]:
    return {"pmid": record.pmid, "types": list(record.publication_types),
            "mesh": list(record.mesh_headings)}


def from_cache(data: dict[str, Any]) -> PubMedRecord:
    return PubMedRecord(str(data["pmid"]), tuple(data.get("types", ())),
                        tuple(data.get("mesh", ())))


class PubMed:
    """DOI → PubMedLookup through esearch + efetch, within NCBI's limits."""

    def __init__(self, base_url: str, transport: Transport, cache: NoCache | None = None, *,
                 api_key: str | None = None, email: str | None = None,
                 retry: RetryPolicy | None = None, offline: bool = False,
                 refresh: bool = False, sleep: Callable[[float], None] = time.sleep,
                 warn: Callable[[str], None] | None = None):
        self.base_url = base_url.rstrip("/")
        self.transport = transport
        self.use_cache = CacheGuard(cache or NoCache(), warn or (lambda message: None),
                                    " for PubMed")
        self.api_key = api_key
        self.email = email
        self.retry = retry or RetryPolicy()
        self.offline = offline
        self.refresh = refresh
        self.limiter = ncbi_limiter(self.base_url, api_key)
        self.stats = RunStats()
        # Every fault counts: NCBI has no answer-like failure such as Crossref's batch 400.
        self.asker = Asker(transport, self.stats, service="PubMed", retry=self.retry,
                           limiters=(self.limiter,), sleep=sleep, answers=frozenset())
        self.breaker = self.asker.breaker
        self._warn = warn or (lambda message: None)

    @property
    def requests(self) -> int:
        """Requests sent to NCBI so far (retries included)."""
        return self.stats.requests

    def params(self, **extra: str) -> dict[str, str]:
        """NCBI asks callers to name their tool and a contact address."""
        params = {"db": "pubmed", "tool": "auditor", **extra}
        if self.email:
            params["email"] = self.email
        if self.api_key:
            params["api_key"] = self.api_key
        return params

    @staticmethod
    def search_term(dois: list[str]) -> str:
        """`"10.1542/peds.2011-3552"[doi] OR "10.1016/…"[doi]`."""
        return " OR ".join(f'"{doi}"[doi]' for doi in dois)

    def lookup(self, dois: Iterable[str], progress: Callable[[int], None] | None = None
               ) -> dict[str, PubMedLookup]:
        """Answer every DOI (lower-cased, deduplicated)."""
        tick = progress or (lambda n: None)
        wanted = list(dict.fromkeys(d.lower() for d in dois))
        answers: dict[str, PubMedLookup] = {}
        if not self.refresh:
            for doi, cached in self.use_cache("read", lambda c: c.get_many(wanted), {}).items():
                answers[doi] = (PubMedLookup(doi, PubMedState.FOUND, from_cache(cached.record))
                                if cached.found and cached.record else
                                PubMedLookup(doi, PubMedState.ABSENT))
            tick(len(answers))
        todo = [d for d in wanted if d not in answers]
        for doi in [d for d in todo if any(c in d for c in _UNSEARCHABLE)]:
            answers[doi] = PubMedLookup(doi, PubMedState.UNCHECKED, reason="the DOI cannot be "
                                        "searched in PubMed (quote or control character)")
        todo = [d for d in todo if d not in answers]
        if self.offline:
            for doi in todo:
                answers[doi] = PubMedLookup(doi, PubMedState.UNCHECKED,
                                            reason="offline: not in the cache")
            return answers
        for start in range(0, len(todo), ESEARCH_BATCH):
            batch = todo[start:start + ESEARCH_BATCH]
            found = self._batch(batch)
            answers.update(found)
            self.use_cache("written", lambda c, f=found: c.put_many(
                CachedAnswer(d, a.state == PubMedState.FOUND,
                             to_cache(a.record) if a.record else None, time.time())
                for d, a in f.items() if a.state != PubMedState.UNCHECKED),
                None)
            tick(len(batch))
        return answers

    def dois_of(self, pmids: Iterable[str]) -> dict[str, str | None]:
        """PMID → the article's own DOI, None when PubMed holds no DOI (or no article) for it;
        a PMID that could not be asked (fault, offline and not cached) is left out. Answers
        are cached under `pmid:N` beside the DOI lookups."""
        wanted = list(dict.fromkeys(p for p in pmids if p.isdigit()))
        found: dict[str, str | None] = {}
        if not self.refresh:
            cached = self.use_cache("read", lambda c: c.get_many(
                [f"pmid:{p}" for p in wanted]), {})
            for key, answer in cached.items():
                found[key.removeprefix("pmid:")] = (answer.record or {}).get("doi")
        todo = [p for p in wanted if p not in found]
        if self.offline:
            return found
        for start in range(0, len(todo), EFETCH_BATCH):
            batch = todo[start:start + EFETCH_BATCH]
            articles = self._efetch(batch)
            if isinstance(articles, str):
                continue  # unanswered: left out
            answered = {p: None for p in batch} | {
                record.pmid: min(dois) if dois else None for record, dois in articles
                if record.pmid in batch and not _is_notice(record)}
            found.update(answered)
            self.use_cache("written", lambda c, a=answered: c.put_many(
                CachedAnswer(f"pmid:{p}", doi is not None, {"doi": doi} if doi else None,
                             time.time()) for p, doi in a.items()), None)
        return found

    def _batch(self, dois: list[str]) -> dict[str, PubMedLookup]:
        """esearch then efetch for one batch; a failure leaves the whole batch unchecked."""
        def unchecked(reason: str) -> dict[str, PubMedLookup]:
            return {d: PubMedLookup(d, PubMedState.UNCHECKED, reason=reason) for d in dois}

        reply = self._request(f"{self.base_url}/esearch.fcgi",
                              self.params(retmode="json", retmax=str(len(dois) * 3)),
                              {"term": self.search_term(dois)}, "esearchresult")
        if reply.failure:
            return unchecked(reply.reason or reply.failure)
        result = reply.payload["esearchresult"]
        if "ERROR" in result or "error" in result:
            return unchecked(f"PubMed search failed: {result.get('ERROR') or result['error']}")
        pmids = [str(p) for p in result.get("idlist", []) if str(p).isdigit()]
        if _count(result) > len(pmids):
            # More hits than asked for: PubMed widened a phrase it did not find. Halve the
            # batch so no real hit is crowded out; alone, such a DOI stays unchecked.
            if len(dois) == 1:
                return unchecked(f"PubMed's search for this DOI was ambiguous ({_count(result)} "
                                 "hits)")
            middle = len(dois) // 2
            return {**self._batch(dois[:middle]), **self._batch(dois[middle:])}
        records: dict[str, PubMedRecord] = {}
        wanted = set(dois)
        for start in range(0, len(pmids), EFETCH_BATCH):
            articles = self._efetch(pmids[start:start + EFETCH_BATCH])
            if isinstance(articles, str):
                return unchecked(articles)
            for record, article_dois in articles:
                for doi in article_dois & wanted:
                    # Two records for one DOI (an article and its erratum, say): the
                    # article is kept, not the notice about it.
                    if doi not in records or _is_notice(records[doi]):
                        records[doi] = record
        return {d: PubMedLookup(d, PubMedState.FOUND, records[d]) if d in records
                else PubMedLookup(d, PubMedState.ABSENT) for d in dois}

    def _efetch(self, pmids: list[str]) -> list[tuple[PubMedRecord, set[str]]] | str:
        """The articles of up to EFETCH_BATCH PMIDs, or why there was no usable answer."""
        reply = self._request(f"{self.base_url}/efetch.fcgi", self.params(retmode="xml"),
                              {"id": ",".join(pmids)}, None)
        if reply.failure:
            return reply.reason or reply.failure
        try:
            return parse_efetch(reply.payload)
        except ValueError as exc:
            return f"PubMed's answer was unusable: {exc}"

    def _request(self, url: str, params: dict[str, str], data: dict[str, str],
                 envelope: str | None) -> Reply:
        """One POST with its retries, within NCBI's rate; stops asking after repeated faults."""
        return self.asker.ask(self.limiter, url, params, envelope=envelope, data=data)
