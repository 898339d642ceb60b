"""read → resolve → judge → report, in one function: `audit(paths, **settings) -> Report`."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from auditor import codes
from auditor.config import Settings, load_settings, with_overrides
from auditor.crossref.asking import RunStats
from auditor.crossref.cache import DAY, Cache, NoCache
from auditor.crossref.client import PolitePool, Works
from auditor.crossref.records import work_from_message
from auditor.crossref.retry import RetryPolicy
from auditor.crossref.search import Searches, search_params
from auditor.crossref.transport import Transport
from auditor.errors import InputError
from auditor.i18n import LANGUAGE, Said, _, in_language
from auditor.index.local import open_index
from auditor.index.retraction_watch import retraction_list
from auditor.judge import judge
from auditor.judge.duplicates import mark_duplicates
from auditor.judge.identity import Identity, judge_identity
from auditor.judge.kind import kind_from_work
from auditor.judge.matching import (
    MatchOutcome,
    bibliographic_query,
    match_outcome,
    search_text,
    worth_searching,
)
from auditor.judge.pass_fail import evaluate_policy
from auditor.judge.scorecard import build_summary
from auditor.model import (
    InputProblem,
    JournalStanding,
    Lookup,
    PubMedLookup,
    Reference,
    RunFigures,
    Verdict,
)
from auditor.report import Report
from auditor.sources import read_paths
from auditor.sources.base import SourceRead
from auditor.vocabulary import Kind, PubMedState, Resolution

if TYPE_CHECKING:
    from auditor.crossref.pubmed import PubMed
    from auditor.index import LocalIndex

_log = logging.getLogger("auditor")


class Progress(Protocol):
    """What the pipeline tells a progress display (the CLI's rich bar, or nothing)."""

    def start(self, total: int, description: str) -> None: ...
    def advance(self, n: int = 1) -> None: ...
    def stop(self) -> None: ...


class Silent:
    def start(self, total: int, description: str) -> None: ...
    def advance(self, n: int = 1) -> None: ...
    def stop(self) -> None: ...


def open_cache(settings: Settings, warn: Callable[[str], None], server: str | None = None
               ) -> NoCache:
    """The SQLite cache for `server`'s answers (default: Crossref's), or no cache (with one
    warning) when it is off or cannot be opened."""
    if not settings.use_cache:
        return NoCache()
    path = settings.cache_path()
    try:
        return Cache(path, server=server or settings.crossref_url,
                     found_ttl=settings.cache_days * DAY,
                     not_found_ttl=settings.not_found_cache_days * DAY)
    except (OSError, sqlite3.Error) as exc:
        warn(_("cache {path} cannot be used ({why}); continuing without a cache").format(
            path=path, why=exc))
        return NoCache()


@dataclass
class Resolved:
    """What the registries said: answers by DOI, search outcomes and DOI identities (worked out
    once, to choose what to search) by reference index, and what asking cost."""

    answers: dict[str, Lookup]
    outcomes: dict[int, MatchOutcome]
    identities: dict[int, Identity]
    stats: RunStats


def resolve(references: Sequence[Reference], settings: Settings, warn: Callable[[str], None],
            progress: Progress) -> Resolved:
    """Ask the cache, then Crossref, for every DOI (deduplicated across all inputs); then search
    for the references that have no usable DOI, or one that leads elsewhere."""
    dois = list(dict.fromkeys(r.doi for r in references if r.doi))
    if not dois and not any(worth_searching(r) for r in references):
        return Resolved({}, {}, {}, RunStats())
    local = open_index(settings)  # first: a wrong index is said before anything is opened
    cache = open_cache(settings, warn)
    pool = PolitePool(base_url=settings.crossref_url, mailto=settings.mailto,
                      connect_timeout=settings.connect_timeout, read_timeout=settings.timeout)
    works = Works(pool, cache, offline=settings.offline, refresh=settings.refresh, warn=warn,
                  datacite_url=settings.datacite_url,
                  retry=RetryPolicy(max_retries=settings.max_retries,
                                    backoff_base=settings.backoff_base))
    outcomes: dict[int, MatchOutcome] = {}
    try:
        if local is not None:  # one pass over the index for the DOIs and for the searches
            local.prefetch(dois, [search_text(r) for r in references
                                  if r.doi is None and worth_searching(r)])
        progress.start(len(dois), "Crossref")
        answers = local.answers(dois, settings.index_only, works.stats) if local else {}
        progress.advance(len(answers))
        rest = [doi for doi in dois if doi not in answers]
        if rest:
            answers.update(works.lookup(rest, progress=progress.advance))
        progress.stop()
        identities = {i: judge_identity(ref, answers.get(ref.doi)) for i, ref in
                      enumerate(references) if ref.doi}
        wanted = {i: ref for i, ref in enumerate(references)
                  if _needs_search(ref, identities.get(i)) and worth_searching(ref)}
        if wanted:
            progress.start(len(wanted), "Search")
            if local is not None:  # the index first; what it does not hold, Crossref's search
                outcomes = _search_locally(local, wanted, works.stats, progress)
                wanted = {} if settings.index_only else {
                    i: ref for i, ref in wanted.items() if outcomes[i].accepted is None}
            if wanted:
                outcomes.update(_search(works, wanted, progress))
    finally:
        progress.stop()
        works.close()
        cache.close()
        if local is not None:
            local.close()
    if works.stats.stopped_early:
        warn(_("stopped asking {server}: {why}; the remaining references are unchecked").format(
            server=pool.base_url, why=works.stats.stopped_early))
    return Resolved(answers, outcomes, identities, works.stats)


def _needs_search(reference: Reference, identity: Identity | None) -> bool:
    """No usable DOI, or one that leads to another work. (An unknown DOI is reported as such;
    searching for each would cost the list route's budget on every typo.)"""
    if reference.doi is None:
        return True
    return identity is not None and identity.resolution == Resolution.MISMATCH


def _search(works: Works, wanted: dict[int, Reference], progress: Progress
            ) -> dict[int, MatchOutcome]:
    queries = {}
    for index, ref in wanted.items():
        query = bibliographic_query(ref)
        if query:
            queries[str(index)] = search_params(query, ref.first_author_family)
    answers = Searches(works).run(queries, progress=progress.advance)
    outcomes = {}
    for key, answer in answers.items():
        index = int(key)
        candidates = None
        if answer.items is not None:
            candidates = []
            for item in answer.items:
                try:
                    candidates.append(work_from_message(item))
                except ValueError:
                    continue
        outcomes[index] = match_outcome(wanted[index], candidates, answer.reason)
    return outcomes


def _search_locally(local: LocalIndex, wanted: dict[int, Reference], stats: RunStats,
                    progress: Progress) -> dict[int, MatchOutcome]:
    """Each wanted reference searched in the local index (by its title, else its whole
    citation; no request), its candidates judged by the same matcher as the API's."""
    texts = {str(i): search_text(ref) for i, ref in wanted.items()}
    found = local.candidates({key: text for key, text in texts.items() if text})
    outcomes = {int(key): match_outcome(wanted[int(key)], [work_from_message(record) for record
                                                           in found.get(key, [])])
                for key in texts}
    stats.add(index_hits=sum(outcome.accepted is not None for outcome in outcomes.values()))
    progress.advance(len(outcomes))
    return outcomes


def dois_from_pmids(references: Sequence[Reference], settings: Settings,
                    warn: Callable[[str], None], progress: Progress) -> list[Reference]:
    """A reference giving a PMID and no DOI takes the DOI PubMed holds for it (D012): looked up,
    not searched, then checked against the citation like any other; only these are asked."""
    wanted = list(dict.fromkeys(r.pmid for r in references if r.pmid and not r.doi))
    if not wanted:
        return list(references)
    with _pubmed(settings, warn) as client:
        progress.start(len(wanted), "PubMed ids")
        try:
            dois = client.dois_of(wanted)
            progress.advance(len(wanted))
        finally:
            progress.stop()
    unasked = [p for p in wanted if p not in dois]
    if unasked:
        why = _("offline: not in the cache") if settings.offline else _unasked(
            settings, _("no answer"))
        warn(_("PubMed: {n} of {total} PMIDs could not be asked for their DOI ({why}); those "
               "references are checked from the citation alone").format(
            n=len(unasked), total=len(wanted), why=why))
    out = []
    for ref in references:
        doi = dois.get(ref.pmid) if ref.pmid and not ref.doi else None
        out.append(replace(ref, doi=doi, findings=(*ref.findings, codes.DOI_FROM_PMID.make(
            "DOI {doi} taken from PubMed's record for PMID {pmid}", doi=doi,
            pmid=ref.pmid))) if doi else ref)
    return out


def ask_pubmed(references: Sequence[Reference], resolved: Resolved, settings: Settings,
               warn: Callable[[str], None], progress: Progress
               ) -> tuple[dict[int, PubMedLookup], int]:
    """PubMed's answer per reference index, for the DOI the reference resolved to (its own, or
    the one a search matched). DOIs no registry knows, and DOIs that lead to another work, are
    not asked. Returns the answers and the number of requests made."""
    wanted: dict[int, str] = {}
    for index, ref in enumerate(references):
        outcome = resolved.outcomes.get(index)
        identity = resolved.identities.get(index)
        if ref.doi is None and outcome is not None and outcome.accepted is not None:
            wanted[index] = outcome.accepted.work.doi
        elif ref.doi and identity is not None and identity.resolution not in (
                Resolution.NOT_FOUND, Resolution.MISMATCH):
            wanted[index] = ref.doi
    if not wanted:
        return {}, 0
    with _pubmed(settings, warn) as client:
        dois = list(dict.fromkeys(d.lower() for d in wanted.values()))
        progress.start(len(dois), "PubMed")
        try:
            found = client.lookup(dois, progress=progress.advance)
        finally:
            progress.stop()
    unchecked = [a for a in found.values() if a.state == PubMedState.UNCHECKED]
    if client.breaker.open:
        warn(_("stopped asking PubMed ({server}): {why}; the remaining references rest on "
               "Crossref's metadata only").format(server=settings.ncbi_url,
                                                   why=client.breaker.reason))
    elif unchecked:
        warn(_("PubMed: {n} of {total} DOIs unchecked ({why}); their evidence level rests on "
               "Crossref's metadata only").format(n=len(unchecked), total=len(found),
                                                  why=_unasked(settings, unchecked[0].reason)))
    return {i: found[doi.lower()] for i, doi in wanted.items()}, client.requests


def _unasked(settings: Settings, reason: str) -> str:
    """Why PubMed gave no answer: --index-only's own rule rather than "offline"."""
    return _("--index-only asks no server, and the cache does not hold them") \
        if settings.index_only and not settings.offline else reason


@contextmanager
def _pubmed(settings: Settings, warn: Callable[[str], None]) -> Iterator[PubMed]:
    """A PubMed client on its own connections and cache rows, closed after use."""
    from auditor.crossref.pubmed import PubMed  # XML parsing only when PubMed is asked

    cache = open_cache(settings, warn, server=settings.ncbi_url)
    transport = _transport(settings)
    try:
        yield PubMed(settings.ncbi_url, transport, cache, **_ncbi_options(settings, warn))
    finally:
        transport.close()
        cache.close()


def _transport(settings: Settings) -> Transport:
    """A pooled HTTP session that says who we are (the polite pool's User-Agent)."""
    return Transport(PolitePool(mailto=settings.mailto).user_agent, settings.connect_timeout,
                     settings.timeout)


def _ncbi_options(settings: Settings, warn: Callable[[str], None]) -> dict[str, Any]:
    """What the NCBI clients (PubMed, the NLM Catalog) and DOAJ's share: the key, the contact,
    the cache mode, the retries."""
    return {"api_key": settings.ncbi_api_key, "email": settings.mailto,
            "offline": settings.offline or settings.index_only,  # --index-only asks no server
            "refresh": settings.refresh, "warn": warn,
            "retry": RetryPolicy(max_retries=settings.max_retries,
                                 backoff_base=settings.backoff_base)}


def journal_issns(references: Sequence[Reference], resolved: Resolved) -> list[str]:
    """The ISSNs of the journals the references' records name (the cited work's record: a DOI
    that verified, or a validated match)."""
    issns: list[str] = []
    for index, ref in enumerate(references):
        outcome = resolved.outcomes.get(index)
        identity = resolved.identities.get(index)
        work = None
        if ref.doi is None and outcome is not None and outcome.accepted is not None:
            work = outcome.accepted.work
        elif ref.doi and identity is not None and identity.resolution == Resolution.VERIFIED:
            lookup = resolved.answers.get(ref.doi)
            work = lookup.work if lookup is not None else None
        if work is not None and kind_from_work(work) == Kind.JOURNAL_ARTICLE:
            issns.extend(work.issn)
    return list(dict.fromkeys(issns))


def ask_journals(references: Sequence[Reference], resolved: Resolved, settings: Settings,
                 warn: Callable[[str], None], progress: Progress
                 ) -> tuple[dict[str, JournalStanding], int | None]:
    """The journal lists' answers (MEDLINE through the NLM Catalog, DOAJ) by ISSN, and the
    number of requests made (None: no journal to ask about); a list that could not be asked
    leaves the signal at `issn`."""
    issns = journal_issns(references, resolved)
    if not issns:
        return {}, None
    from auditor.crossref.journals import Journals

    nlm_cache = open_cache(settings, warn, server=f"{settings.ncbi_url}#nlmcatalog")
    doaj_cache = open_cache(settings, warn, server=settings.doaj_url)
    transport = _transport(settings)
    client = Journals(settings.ncbi_url, settings.doaj_url, transport, nlm_cache, doaj_cache,
                      **_ncbi_options(settings, warn))
    try:
        progress.start(len(issns), "Journals")
        standings = client.lookup(issns, progress=progress.advance)
    finally:
        progress.stop()
        transport.close()
        nlm_cache.close()
        doaj_cache.close()
    for unanswered in client.unanswered(standings):
        warn(_("{why}; those journals keep the ISSN-only signal (peer review not "
               "confirmed)").format(why=in_language(unanswered)))
    return standings, client.requests


def audit(paths: str | Path | Sequence[str | Path], *, settings: Settings | None = None,
          progress: Progress | None = None, warn: Callable[[str], None] | None = None,
          input_format: str | None = None, **overrides: Any) -> Report:
    """Audit reference files. `overrides` are settings by name (`as_of="2026-01-01"`,
    `mailto=…`, `offline=True`…) and win over the environment and config files.
    `input_format` (bibtex, ris, nbib, csl-json, text, docx, pdf, html) overrides the choice
    by suffix and content.

    Raises auditor.errors.InputError when an input cannot be read at all, ConfigError for a bad
    setting; everything else (network faults, broken entries) ends up in the report.
    """
    if settings is None:
        settings = load_settings(overrides, flags_origin="audit() arguments")
    elif overrides:
        settings = with_overrides(settings, overrides)
    inputs = [str(paths)] if isinstance(paths, (str, Path)) else [str(p) for p in paths]
    return audit_read(read_paths(inputs, input_format), ["<stdin>" if i == "-" else i
                                                         for i in inputs],
                      settings, progress, warn)


def audit_read(read: SourceRead, inputs: list[str], settings: Settings,
               progress: Progress | None = None, warn: Callable[[str], None] | None = None
               ) -> Report:
    """The report on references already read (from files, or from what a web page was sent);
    `inputs` names them. An InputError when none could be read."""
    warn = warn or _log.warning
    if not read.references:
        blocks, where = read.unread()
        raise InputError(Said("no readable reference in {inputs} ({blocks}{where})",
                              inputs=", ".join(inputs), blocks=blocks, where=where))
    verdicts, run = judge_references(read.references, settings, warn, progress or Silent())
    return make_report(verdicts, read.problems, settings, inputs, run)


def judge_references(references: Sequence[Reference], settings: Settings,
                     warn: Callable[[str], None], progress: Progress
                     ) -> tuple[list[Verdict], RunFigures]:
    """Resolve (deduplicated DOIs, one cache, searches, PubMed) and judge every reference."""
    references = dois_from_pmids(references, settings, warn, progress)
    resolved = resolve(references, settings, warn, progress)
    answers, outcomes = resolved.answers, resolved.outcomes
    pubmed: dict[int, PubMedLookup] = {}
    pubmed_requests = journal_requests = None
    if settings.pubmed:
        pubmed, pubmed_requests = ask_pubmed(references, resolved, settings, warn, progress)
    journals: dict[str, JournalStanding] = {}
    if settings.journals:
        journals, journal_requests = ask_journals(references, resolved, settings, warn,
                                                  progress)
    listed = retraction_list(settings, warn)
    verdicts = []
    progress.start(len(references), "Judging")
    try:
        for i, ref in enumerate(references):
            verdicts.append(judge(ref, answers.get(ref.doi) if ref.doi else None, settings,
                                  outcomes.get(i), pubmed.get(i), resolved.identities.get(i),
                                  journals, listed.updates if listed else None))
            if i % 256 == 255:
                progress.advance(256)
    finally:
        progress.stop()
    figures = resolved.stats.figures(pubmed_requests, journal_requests)
    if listed is not None:
        figures = replace(figures, retractions_as_of=listed.as_of)
    return mark_duplicates(verdicts), figures


def make_report(verdicts: list[Verdict], problems: list[InputProblem], settings: Settings,
                inputs: list[str], run: RunFigures) -> Report:
    """The scorecard and the policy's outcome for one list of verdicts."""
    summary = build_summary(verdicts, problems, guideline_years=settings.guideline_years,
                            peer_review_requires=settings.peer_review_requires)
    policy = evaluate_policy(verdicts, problems, settings, summary)
    # (said in the language of the moment: shown in it, the report reuses this outcome)
    return Report(references=verdicts, summary=summary, problems=problems, policy=policy,
                  settings=settings, inputs=inputs, run=run, _worded={LANGUAGE.get(): policy})
