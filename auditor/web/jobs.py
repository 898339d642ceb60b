"""Audits the web page started, each run in a worker thread while the page follows its
progress: which phase it is in (reading, Crossref, search, PubMed, journals, judging) and how
far along, then the report or the one sentence that says why there is none.

A job's progress is written by its worker and read by the page's requests: each phase is a
small record replaced whole under a lock, so a reader never sees half of an update. Jobs are
kept in memory, the newest few dozen; their reports are the CLI's own objects. Every audit of
the server takes its turns from the same limiters (one per registry route), so that two audits
at once together keep within each registry's limits, as one audit does.
"""

from __future__ import annotations

import itertools
import logging
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from auditor.catalogue import Catalogue
from auditor.crossref.limiter import SharedLimiters, sharing
from auditor.errors import AuditorError
from auditor.fixes.corrected import Corrected
from auditor.i18n import Said, in_language, use_language
from auditor.report import Report

_log = logging.getLogger(__name__)
# The pipeline's names for its phases (pipeline.Progress.start), in the order they come.
PHASES = ("Reading", "PubMed ids", "Crossref", "Search", "PubMed", "Journals", "Judging")
_KEPT = 50  # finished jobs kept for their downloads
_WORKERS = 2  # audits at once; more wait their turn (the registries' limits are shared)


@dataclass(frozen=True)
class Phase:
    name: str
    done: int
    total: int
    finished: bool = False


@dataclass
class Job:
    """One audit: its progress, then its report (a Report or a Catalogue) or its error."""

    id: str
    lang: str
    created: float = field(default_factory=time.monotonic)
    began: float | None = None  # when a worker took it (None: waiting for another audit)
    ended: float | None = None
    phases: dict[str, Phase] = field(default_factory=dict)
    result: Report | Catalogue | None = None
    corrected: Corrected | None = None  # for one BibTeX input: what `auditor fix` writes
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    _current: str = field(default="", repr=False)  # the phase under way
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def finished(self) -> bool:
        return self.result is not None or self.error is not None

    # pipeline.Progress: what the worker tells as it goes
    def start(self, total: int, description: str) -> None:
        with self._lock:
            self._current = description
            self.phases[description] = Phase(description, 0, total)

    def advance(self, n: int = 1) -> None:
        with self._lock:
            phase = self.phases.get(self._current)
            if phase is not None:
                self.phases[phase.name] = Phase(phase.name, min(phase.total, phase.done + n),
                                                phase.total)

    def stop(self) -> None:
        with self._lock:
            phase = self.phases.get(self._current)
            if phase is not None:
                self.phases[phase.name] = Phase(phase.name, phase.total, phase.total, True)

    def warn(self, message: str) -> None:
        with self._lock:
            self.warnings.append(message)

    def snapshot(self) -> dict[str, Any]:
        """The job's state as the page's script reads it (GET /api/jobs/ID)."""
        with self._lock:
            phases = [self.phases[name] for name in PHASES if name in self.phases]
            since = self.began if self.began is not None else self.created
            until = self.ended if self.ended is not None else time.monotonic()
            return {"id": self.id, "finished": self.finished, "error": self.error,
                    "waiting": self.began is None and not self.finished,
                    "outcome": str(self.result.outcome) if self.result is not None else None,
                    "seconds": round(until - since, 1),
                    "phases": [{"name": p.name, "done": p.done, "total": p.total,
                                "finished": p.finished} for p in phases]}


class Jobs:
    """The jobs of one server: started in a small pool of threads, found again by id."""

    def __init__(self, workers: int = _WORKERS) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="audit")
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._numbers = itertools.count(1)
        self.limiters = SharedLimiters()  # the registries' limits hold for the server's audits

    def start(self, lang: str, work: Callable[[Job], Report | Catalogue]) -> Job:
        """A new job running `work(job)` in the pool; its result or error lands on the job."""
        job = Job(f"{next(self._numbers)}-{secrets.token_urlsafe(8)}", lang)
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > _KEPT:
                self._jobs.popitem(last=False)
        self._pool.submit(self._run, job, work, self.limiters)
        return job

    def submit(self, work: Callable[[], Any]) -> Future[Any]:
        """`work()` in the same pool as the page's audits (the API's: answered when done)."""
        return self._pool.submit(self._shared, work, self.limiters)

    @staticmethod
    def _shared(work: Callable[[], Any], limiters: SharedLimiters) -> Any:
        with sharing(limiters):
            return work()

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    @property
    def stopping(self) -> bool:
        return self.limiters.stopped

    def stop(self) -> None:
        """The server is stopping: running audits stop asking (and so end within seconds),
        waiting ones never start."""
        self.limiters.stop()
        self._pool.shutdown(wait=False, cancel_futures=True)

    @staticmethod
    def _run(job: Job, work: Callable[[Job], Report | Catalogue],
             limiters: SharedLimiters) -> None:
        job.began = time.monotonic()
        result, error = None, None
        try:
            with sharing(limiters):
                result = work(job)
        except AuditorError as refused:
            with use_language(job.lang):
                error = str(refused)
        except Exception as bug:  # a bug of ours: one line on the page, the traceback logged
            if limiters.stopped:  # the server is stopping: the audit was cut short, no bug
                error = None
            else:
                _log.exception("audit %s failed", job.id)
                error = (f"internal error: {type(bug).__name__}: {bug} (a bug: please "
                         "report it)")
        if limiters.stopped and error is None:  # cut short: its references went unasked
            with use_language(job.lang):
                result, error = None, in_language(Said(
                    "the server stopped during this audit: audit the list again once it runs"))
        job.ended = time.monotonic()  # before the result: a finished job's time stands still
        job.result, job.error = result, error
