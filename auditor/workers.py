"""A catalogue checked from a local index alone, its trainings shared among worker processes.

Reading, matching and judging are Python's work, done on one core at a time: a catalogue of
10^4 trainings takes many minutes on one. With `--index-only` no server is asked (PubMed and
the journal lists are read from the cache alone), so no rate limit has to be shared: each
worker reads its share of the files, opens the index itself (read-only: any number of readers
at once) and judges them. The catalogue is the workers' reports in file order; the run's
figures are their sum.
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import os
import pickle
import signal
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace
from pathlib import Path

from auditor.config import Settings
from auditor.errors import InputError
from auditor.i18n import LANGUAGE, Said, _, in_language, use_language
from auditor.model import RunFigures, Verdict, combined_figures
from auditor.pipeline import Progress, Silent, judge_references, make_report
from auditor.report import Report
from auditor.sources import read_path
from auditor.sources.base import SourceRead

# Trainings a worker takes at a time: a quarter of its share, within these bounds — a larger
# task shares each query's cost to the index among more references, a smaller one holds less
# memory and moves the bar more often.
MIN_TASK, MAX_TASK = 50, 500
TASKS_PER_WORKER = 4


def tasks_of(names: Sequence[str], jobs: int) -> list[Sequence[str]]:
    """The trainings cut into tasks, in order, each of at most a share of what is left
    (guided self-scheduling): of one size while much is left, then smaller down to MIN_TASK,
    so that the workers end together — with tasks all alike, one worker waited while another
    ended a whole task alone (up to 10 s of 2 minutes, measured)."""
    size = min(MAX_TASK, max(MIN_TASK, -(-len(names) // (jobs * TASKS_PER_WORKER))))
    tasks, start = [], 0
    while start < len(names):
        left = len(names) - start
        taken = min(left, size, max(MIN_TASK, -(-left // (2 * jobs))))
        tasks.append(names[start:start + taken])
        start += taken
    return tasks


def worker_count(settings: Settings, trainings: int) -> int:
    """How many processes share the catalogue: one per core (or `--jobs`) when nothing is
    asked of any server and there are at least two of the smallest tasks; else 1."""
    asks_nothing = settings.index is not None and settings.index_only
    if not asks_nothing or trainings < 2 * MIN_TASK:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") \
        else os.cpu_count() or 1
    jobs = settings.jobs or cores
    return max(1, min(jobs, -(-trainings // MIN_TASK)))


def readable_lists(reads: Iterable[tuple[str, SourceRead | InputError]],
                   skipped: list[tuple[str, str]], warn: Callable[[str], None]
                   ) -> list[tuple[str, SourceRead]]:
    """The lists that hold a reference; each other one is added to `skipped`, with why (a
    file read whole but holding none is also said, with its first problem's place)."""
    lists: list[tuple[str, SourceRead]] = []
    for name, read in reads:
        if isinstance(read, InputError):
            skipped.append((name, read.args[0]))
        elif not read.references:
            blocks, where = read.unread()
            why = Said("no readable reference ({blocks}{where})", blocks=blocks, where=where)
            skipped.append((name, why))
            warn(_("skipped: {why}").format(why=_("{file}: {why}").format(
                file=name, why=in_language(why))))
        else:
            lists.append((name, read))
    return lists


def audit_lists(lists: list[tuple[str, SourceRead]], settings: Settings,
                warn: Callable[[str], None], progress: Progress
                ) -> tuple[list[Report], RunFigures]:
    """One Report per list, from one resolution pass over all of them, its verdicts packed."""
    everything = [ref for _, read in lists for ref in read.references]
    verdicts, run = judge_references(everything, settings, warn, progress)
    trainings, start = [], 0
    for name, read in lists:
        end = start + len(read.references)
        report = make_report(verdicts[start:end], read.problems, settings, [name], run)
        trainings.append(replace(report, references=Packed(report.references)))
        start = end
    return trainings, run


class Packed(Sequence[Verdict]):
    """A training's verdicts kept as one pickle, unpacked when read: a catalogue of 10^4
    trainings holds 5·10^5 verdicts, which take about 9 KB each as objects and 1.2 KB packed.
    The last list unpacked is kept, so that rendering one training unpacks it once."""

    _numbers = itertools.count()
    _last: tuple[int, list[Verdict]] = (-1, [])

    def __init__(self, verdicts: Sequence[Verdict]) -> None:
        self._data = pickle.dumps(list(verdicts), protocol=pickle.HIGHEST_PROTOCOL)
        self._length = len(verdicts)
        self._number = next(Packed._numbers)

    def _unpacked(self) -> list[Verdict]:
        number, verdicts = Packed._last  # one read: another thread may replace it
        if number != self._number:
            verdicts = pickle.loads(self._data)
            Packed._last = (self._number, verdicts)
        return verdicts

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, index):  # type: ignore[override]  # an int or a slice, as a list
        return self._unpacked()[index]

    def __iter__(self) -> Iterator[Verdict]:
        return iter(self._unpacked())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    def __getstate__(self) -> tuple[bytes, int]:
        return self._data, self._length

    def __setstate__(self, state: tuple[bytes, int]) -> None:
        self._data, self._length = state
        self._number = next(Packed._numbers)


@dataclass
class Share:
    """What one worker made of its files."""

    trainings: list[Report]
    skipped: list[tuple[str, str]]
    run: RunFigures
    warnings: list[str]


def audit_share(files: Sequence[str], settings: Settings, input_format: str | None,
                language: str) -> Share:
    """One worker's task: read these files, judge their references together, one Report each."""
    with use_language(language):
        warnings: list[str] = []  # said in the order one process says them: file by file

        def reads() -> Iterator[tuple[str, SourceRead | InputError]]:
            for path in files:
                try:
                    yield path, read_path(path, input_format)
                except InputError as exc:
                    warnings.append(_("skipped: {why}").format(why=exc))
                    yield path, exc

        skipped: list[tuple[str, str]] = []
        lists = readable_lists(reads(), skipped, warnings.append)
        trainings, run = audit_lists(lists, settings, warnings.append, Silent()) if lists \
            else ([], RunFigures())
        return Share(trainings, skipped, run, warnings)


def start_worker() -> None:
    """A worker process's setting up: Ctrl-C left to the process that started it (which
    stops the workers and says so once), its engine sharing the cores and the memory, and
    the cycle collector tuned."""
    from auditor.index.build import engine_for_a_worker

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    engine_for_a_worker()
    tuned_collector()


def tuned_collector() -> None:
    """Python's cycle collector set for a batch job: what was made before (modules, tables)
    frozen out of its walks, and run every 50,000 new objects rather than 700 — an audit
    makes millions that live to the end (verdicts), and it walked them again and again (a
    fifth of a worker's time)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


def _stop(pool: ProcessPoolExecutor) -> None:
    """The pool's processes ended at once, its waiting tasks dropped (else leaving the
    `with` block waits for the tasks running to finish)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())  # gone once shut down
    for process in processes:
        process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)


def audit_in_workers(files: Sequence[Path], settings: Settings, input_format: str | None,
                     jobs: int, progress: Progress, warn: Callable[[str], None]
                     ) -> tuple[list[Report], list[tuple[str, str]], RunFigures]:
    """(the reports in file order, the files skipped, the run's figures) of `files` shared
    among `jobs` processes."""
    names = [str(path) for path in files]
    tasks = tasks_of(names, jobs)
    shares: dict[int, Share] = {}
    progress.start(len(names), "Trainings")
    # spawn, not fork: a fresh interpreter holds no lock another thread of this one held
    context = multiprocessing.get_context("spawn")
    try:
        with ProcessPoolExecutor(jobs, mp_context=context, initializer=start_worker) as pool:
            futures = {pool.submit(audit_share, task, settings, input_format, LANGUAGE.get()):
                       number for number, task in enumerate(tasks)}
            try:
                for future in as_completed(futures):
                    number = futures[future]
                    shares[number] = future.result()
                    progress.advance(len(tasks[number]))
            except BaseException:  # Ctrl-C, or a worker's error: the others stop now
                _stop(pool)
                raise
    finally:
        progress.stop()
    ordered = [shares[number] for number in range(len(tasks))]
    # what every worker says of the whole run (an old list, a missing file) is said once
    for warning in dict.fromkeys(w for share in ordered for w in share.warnings):
        warn(warning)
    run = combined_figures([share.run for share in ordered])
    trainings = [replace(report, run=run) for share in ordered for report in share.trainings]
    return trainings, [item for share in ordered for item in share.skipped], run
