"""Journal standing by ISSN: is the journal currently indexed for MEDLINE (the NLM Catalog, through
NCBI E-utilities `db=nlmcatalog`), is it listed in DOAJ with a stated peer-review process?
(evidence.md, "Journal standing") — a stronger peer-review signal than an ISSN alone.

Each ISSN is asked once per run, in batches: NLM's esearch takes up to 100 `"0028-0836"[ISSN]`
terms OR-ed (POSTed), esummary gives each catalog record's ISSNs and `currentindexingstatus`;
DOAJ's search takes `issn:("A" OR "B" …)` 50 at a time. Records are tied back to the ISSNs they
list, never by position. Answers are cached in the same SQLite store as Crossref's (30 days,
per service); a fault leaves that list unanswered for the ISSN — the signal stays `issn`, never
worse. NLM allows 3 requests/s without an API key (10 with one), DOAJ 2/s.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import quote

from auditor.crossref.asking import Asker, RunStats
from auditor.crossref.cache import CachedAnswer, CacheGuard, NoCache
from auditor.crossref.limiter import ncbi_limiter, route_limiter
from auditor.crossref.retry import PoolLimits, RetryPolicy
from auditor.crossref.transport import Transport
from auditor.i18n import Said
from auditor.model import JournalStanding

NLM_BATCH = 100
DOAJ_BATCH = 50
DOAJ_LIMITS = PoolLimits(2, 1.0, 1)
_ISSN = re.compile(r"^\d{4}-\d{3}[\dX]$")


def normalize_issn(value: str) -> str | None:
    """`0028-0836`, `00280836`, `0102-311x` → `0102-311X`; None when it is not an ISSN."""
    digits = re.sub(r"[^\dXx]", "", value or "").upper()
    issn = f"{digits[:4]}-{digits[4:]}" if len(digits) == 8 else ""
    return issn if _ISSN.match(issn) else None


def nlm_standing(result: dict[str, Any], wanted: Iterable[str]
                 ) -> dict[str, tuple[bool, str | None]]:
    """(currently indexed for MEDLINE, the NLM abbreviation) per wanted ISSN, from an esummary
    `result`; an ISSN no catalog record lists is (False, None): not in MEDLINE."""
    found: dict[str, tuple[bool, str | None]] = {}
    for uid in result.get("uids", []) if isinstance(result, dict) else []:
        record = result.get(str(uid))
        if not isinstance(record, dict):
            continue
        indexed = str(record.get("currentindexingstatus", "")).strip().upper() == "Y"
        title = record.get("medlineta") if isinstance(record.get("medlineta"), str) else None
        for entry in record.get("issnlist") or []:
            issn = normalize_issn(entry.get("issn", "")) if isinstance(entry, dict) else None
            if issn and (issn not in found or (indexed and not found[issn][0])):
                found[issn] = (indexed, title.strip() or None if title else None)
    return {issn: found.get(issn, (False, None)) for issn in wanted}


def doaj_standing(results: list[Any], wanted: Iterable[str]) -> dict[str, str | None]:
    """The peer-review process DOAJ states per wanted ISSN ("Double anonymous peer review"),
    "" when DOAJ lists the journal without naming one, None when DOAJ does not list it."""
    found: dict[str, str] = {}
    for result in results:
        bibjson = result.get("bibjson") if isinstance(result, dict) else None
        if not isinstance(bibjson, dict):
            continue
        editorial = bibjson.get("editorial") or bibjson.get("editorial_review") or {}
        process = editorial.get("review_process") or editorial.get("process") or []
        if isinstance(process, str):
            process = [process]
        named = ", ".join(p for p in process if isinstance(p, str) and p.strip())
        for key in ("pissn", "eissn"):
            issn = normalize_issn(bibjson.get(key) or "")
            if issn:
                found[issn] = found.get(issn) or named
    return {issn: found.get(issn) for issn in wanted}


class Journals:
    """ISSN → JournalStanding, within both services' limits."""

    def __init__(self, ncbi_url: str, doaj_url: str, transport: Transport,
                 nlm_cache: NoCache | None = None, doaj_cache: NoCache | None = None, *,
                 api_key: str | None = None, email: str | None = None,
                 retry: RetryPolicy | None = None, offline: bool = False,
                 refresh: bool = False, sleep: Callable[[float], None] = time.sleep,
                 warn: Callable[[str], None] | None = None):
        self.ncbi_url = ncbi_url.rstrip("/")
        self.doaj_url = doaj_url.rstrip("/")
        self.nlm_cache = CacheGuard(nlm_cache or NoCache(), warn or (lambda message: None),
                                    " for the NLM Catalog")
        self.doaj_cache = CacheGuard(doaj_cache or NoCache(), warn or (lambda message: None),
                                     " for DOAJ")
        self.api_key, self.email = api_key, email
        self.offline, self.refresh = offline, refresh
        self.stats = RunStats()
        self.nlm_limiter = ncbi_limiter(self.ncbi_url, api_key)  # shared with PubMed's
        self.doaj_limiter = route_limiter(f"DOAJ {self.doaj_url}", DOAJ_LIMITS)
        self.nlm = Asker(transport, self.stats, service="the NLM Catalog", retry=retry,
                         limiters=(self.nlm_limiter,), sleep=sleep, answers=frozenset())
        self.doaj = Asker(transport, self.stats, service="DOAJ", retry=retry,
                          limiters=(self.doaj_limiter,), sleep=sleep, answers=frozenset())
        self._warn = warn or (lambda message: None)
        self.faults: dict[str, str] = {}  # service → why it gave no usable answer (the last)

    @property
    def requests(self) -> int:
        return self.stats.requests

    def lookup(self, issns: Iterable[str], progress: Callable[[int], None] | None = None
               ) -> dict[str, JournalStanding]:
        """The standing of every ISSN (normalised, deduplicated); lists that could not be asked
        leave their part None."""
        tick = progress or (lambda n: None)
        wanted = list(dict.fromkeys(i for i in map(normalize_issn, issns) if i))
        medline = self._answers(wanted, self.nlm_cache, self._ask_nlm, NLM_BATCH, tick)
        doaj = self._answers(wanted, self.doaj_cache, self._ask_doaj, DOAJ_BATCH, lambda n: None)
        standings = {}
        for issn in wanted:
            nlm, listed = medline.get(issn), doaj.get(issn)
            standings[issn] = JournalStanding(
                issn, medline=None if nlm is None else bool(nlm["medline"]),
                medline_title=None if nlm is None else nlm.get("title"),
                doaj=None if listed is None else bool(listed["listed"]),
                doaj_review=None if listed is None else listed.get("review") or None)
        return standings

    def _answers(self, wanted: list[str], cache: CacheGuard, ask: Callable[[list[str]], dict],
                 batch: int, tick: Callable[[int], None]) -> dict[str, dict[str, Any]]:
        """Cached answers, then the rest asked in batches (each batch cached at once)."""
        answers: dict[str, dict[str, Any]] = {}
        if not self.refresh:
            for issn, cached in cache("read", lambda c: c.get_many(wanted), {}).items():
                if cached.found and isinstance(cached.record, dict):
                    answers[issn] = cached.record
            tick(len(answers))
        todo = [i for i in wanted if i not in answers]
        if self.offline or not todo:
            return answers
        for start in range(0, len(todo), batch):
            part = todo[start:start + batch]
            found = ask(part)
            answers.update(found)
            rows = [CachedAnswer(issn, True, record, time.time()) for issn, record in found.items()]
            cache("written", lambda c, r=rows: c.put_many(r), None)
            tick(len(part))
        return answers

    def _ask_nlm(self, issns: list[str]) -> dict[str, dict[str, Any]]:
        """esearch then esummary on db=nlmcatalog; {} when NLM gave no usable answer."""
        params = {"db": "nlmcatalog", "tool": "auditor", "retmode": "json",
                  **({"email": self.email} if self.email else {}),
                  **({"api_key": self.api_key} if self.api_key else {})}
        term = " OR ".join(f'"{issn}"[ISSN]' for issn in issns)
        reply = self.nlm.ask(self.nlm_limiter, f"{self.ncbi_url}/esearch.fcgi",
                             {**params, "retmax": str(len(issns) * 5)}, envelope="esearchresult",
                             data={"term": term})
        if reply.failure:
            self.faults[self.nlm.service] = reply.reason or reply.failure
            return {}
        ids = [str(i) for i in reply.payload["esearchresult"].get("idlist", [])
               if str(i).isdigit()]
        result: dict[str, Any] = {"uids": []}
        for start in range(0, len(ids), 200):
            reply = self.nlm.ask(self.nlm_limiter, f"{self.ncbi_url}/esummary.fcgi", params,
                                 envelope="result", data={"id": ",".join(ids[start:start + 200])})
            if reply.failure or not isinstance(reply.payload.get("result"), dict):
                self.faults[self.nlm.service] = reply.reason or reply.failure or "no result"
                return {}
            part = reply.payload["result"]
            result["uids"] += [str(u) for u in part.get("uids", [])]
            result.update({k: v for k, v in part.items() if k != "uids"})
        return {issn: {"medline": indexed, "title": title}
                for issn, (indexed, title) in nlm_standing(result, issns).items()}

    def _ask_doaj(self, issns: list[str]) -> dict[str, dict[str, Any]]:
        """One search for the batch; {} when DOAJ gave no usable answer."""
        query = "issn:(" + " OR ".join(f'"{issn}"' for issn in issns) + ")"
        reply = self.doaj.ask(self.doaj_limiter,
                              f"{self.doaj_url}/search/journals/{quote(query, safe='')}",
                              {"pageSize": "100"}, envelope="results")
        if reply.failure or not isinstance(reply.payload.get("results"), list):
            self.faults[self.doaj.service] = reply.reason or reply.failure or "no results"
            return {}
        return {issn: {"listed": review is not None, "review": review or ""}
                for issn, review in doaj_standing(reply.payload["results"], issns).items()}

    def unanswered(self, standings: dict[str, JournalStanding]) -> list[str]:
        """One sentence per list that left journals unanswered, with why (the last fault)."""
        missing = {self.nlm.service: [s for s in standings.values() if s.medline is None],
                   self.doaj.service: [s for s in standings.values() if s.doaj is None]}
        return [Said("{service}: {n} of {total} journals could not be asked about ({why})",
                     service=service, n=len(left), total=len(standings),
                     why=self.faults[service]) for service, left in missing.items()
                if left and service in self.faults]
