"""Searches for references that have no DOI (or a wrong one): `/works?query.bibliographic=…`.

They share the lookups' list-route limits, breaker, cache and statistics, so a run that both
looks up DOIs and searches stays within one budget. What a search returns is only candidates:
auditor/judge/matching.py decides whether one of them is the cited work.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any

from auditor.crossref.client import (
    WORKERS_PER_ROUTE,
    Works,
    is_work_list,
    route_missing,
    submitted,
)
from auditor.crossref.transport import Reply

ROWS = 5  # candidates per search: the right one is nearly always in the first few


def search_params(bibliographic: str, first_author: str | None = None) -> dict[str, str]:
    """Crossref's advice: the whole reference in `query.bibliographic`; the first author's
    name in `query.author` narrows it."""
    params = {"query.bibliographic": bibliographic, "rows": str(ROWS)}
    if first_author:
        params["query.author"] = first_author
    return params


@dataclass(frozen=True)
class SearchAnswer:
    """The candidates a search returned (work JSON), or why there was no answer."""

    items: list[dict[str, Any]] | None
    reason: str | None = None



class Searches:
    """`Searches(works).run({key: params})` → {key: SearchAnswer}."""

    def __init__(self, works: Works):
        self.works = works
        self._unsupported = False

    def _ask(self, params: dict[str, str]) -> Reply:
        if self._unsupported:
            return Reply(None, None, "skipped", "the server does not answer searches")
        return self.works.request(self.works.listing, self.works.pool.list_url(),
                               {**params, **self.works.pool.params}, "search_requests")

    def run(self, queries: dict[str, dict[str, str]],
            progress: Callable[[int], None] | None = None) -> dict[str, SearchAnswer]:
        """Run `/works?query.bibliographic=…&rows=5` searches, one per key, on the list route
        (cached per server and query); a search that got no answer is said so, never empty."""
        tick = progress or (lambda n: None)
        answers: dict[str, SearchAnswer] = {}
        pending: dict[str, str] = {}
        for key, params in queries.items():
            canonical = json.dumps(params, sort_keys=True, ensure_ascii=False)
            cached = None if self.works.refresh else self._cached(canonical)
            if cached is not None:
                answers[key] = SearchAnswer(cached)
                tick(1)
            elif self.works.offline:
                answers[key] = SearchAnswer(None, "offline and not in the cache")
                tick(1)
            else:
                pending[key] = canonical
        if not pending:
            return answers
        # The same citation in several lists (a catalogue of trainings) is searched once.
        keys_by_query: dict[str, list[str]] = {}
        for key, canonical in pending.items():
            keys_by_query.setdefault(canonical, []).append(key)
        with ThreadPoolExecutor(WORKERS_PER_ROUTE, "crossref-search") as pool:
            futures = {submitted(pool, self._ask, queries[keys[0]]): canonical
                       for canonical, keys in keys_by_query.items()}
            for future in as_completed(futures):
                canonical = futures[future]
                keys = keys_by_query[canonical]
                reply = future.result()
                tick(len(keys))
                if not is_work_list(reply):
                    if route_missing(reply) or reply.failure == "http-400":
                        self._unsupported = True  # no search here: do not ask again this run
                    answer = SearchAnswer(None, reply.reason or "the server's answer to a "
                                          "search was not a list of works")
                else:
                    items = [i for i in reply.payload["message"]["items"]
                             if isinstance(i, dict)]
                    answer = SearchAnswer(items)
                    self._store(canonical, items)
                answers.update(dict.fromkeys(keys, answer))
        self.works.stats.stopped_early = self.works.breaker.reason
        return answers

    def _cached(self, query: str) -> list[dict[str, Any]] | None:
        return self.works.use_cache("read", lambda cache: cache.get_search(query), None)

    def _store(self, query: str, items: list[dict[str, Any]]) -> None:
        self.works.use_cache("written", lambda cache: cache.put_search(query, items), None)
