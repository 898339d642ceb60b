"""A catalogue checked from a local index alone, its trainings shared among worker processes.

Reading, matching and judging are Python's work, done on one core at a time: a catalogue of
10^4 trainings takes many minutes on one. With `--index-only` and neither the journal lists nor
PubMed to ask, no server is asked, so no rate limit has to be shared: each worker reads its
share of the files, opens the index itself (read-only: any number of readers at once) and judges
them. The catalogue is the workers' reports in file order; the run's figures are their sum.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace
from pathlib import Path

from auditor.config import Settings
from auditor.errors import InputError
from auditor.i18n import LANGUAGE, Said, _, use_language
from auditor.model import RunFigures, combined_figures
from auditor.pipeline import Progress, Silent, judge_references, make_report
from auditor.report import Report
from auditor.sources import read_path
from auditor.sources.base import SourceRead

PER_TASK = 100  # trainings a worker takes at a time: few index queries each, a lively bar


def worker_count(settings: Settings, trainings: int) -> int:
    """How many processes share the catalogue: one per core (or `--jobs`) when nothing is
    asked of any server and there are at least two tasks' worth of trainings; else 1."""
    asks_nothing = settings.index is not None and settings.index_only and not settings.pubmed \
        and (settings.offline or not settings.journals)
    if not asks_nothing or trainings < 2 * PER_TASK:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") \
        else os.cpu_count() or 1
    jobs = settings.jobs or cores
    return max(1, min(jobs, -(-trainings // PER_TASK)))


def readable_lists(reads: Iterable[tuple[str, SourceRead | InputError]],
                   skipped: list[tuple[str, str]]) -> list[tuple[str, SourceRead]]:
    """The lists that hold a reference; each other one is added to `skipped`, with why."""
    lists: list[tuple[str, SourceRead]] = []
    for name, read in reads:
        if isinstance(read, InputError):
            skipped.append((name, read.args[0]))
        elif not read.references:
            skipped.append((name, Said("no readable reference ({blocks})", blocks=Said(
                "{n} blocks that could not be read", n=len(read.problems)))))
        else:
            lists.append((name, read))
    return lists


def audit_lists(lists: list[tuple[str, SourceRead]], settings: Settings,
                warn: Callable[[str], None], progress: Progress
                ) -> tuple[list[Report], RunFigures]:
    """One Report per list, from one resolution pass over all of them."""
    everything = [ref for _, read in lists for ref in read.references]
    verdicts, run = judge_references(everything, settings, warn, progress)
    trainings, start = [], 0
    for name, read in lists:
        end = start + len(read.references)
        trainings.append(make_report(verdicts[start:end], read.problems, settings, [name], run))
        start = end
    return trainings, run


@dataclass
class Share:
    """What one worker made of its files."""

    trainings: list[Report]
    skipped: list[tuple[str, str]]
    run: RunFigures
    warnings: list[str]
    unreadable: list[InputError]  # said by the parent, as one process says them


def audit_share(files: Sequence[str], settings: Settings, input_format: str | None,
                language: str) -> Share:
    """One worker's task: read these files, judge their references together, one Report each."""
    with use_language(language):
        reads: list[tuple[str, SourceRead | InputError]] = []
        unreadable = []
        for path in files:
            try:
                reads.append((path, read_path(path, input_format)))
            except InputError as exc:
                reads.append((path, exc))
                unreadable.append(exc)
        skipped: list[tuple[str, str]] = []
        lists = readable_lists(reads, skipped)
        warnings: list[str] = []
        trainings, run = audit_lists(lists, settings, warnings.append, Silent()) if lists \
            else ([], RunFigures())
        return Share(trainings, skipped, run, warnings, unreadable)


def audit_in_workers(files: Sequence[Path], settings: Settings, input_format: str | None,
                     jobs: int, progress: Progress, warn: Callable[[str], None]
                     ) -> tuple[list[Report], list[tuple[str, str]], RunFigures]:
    """(the reports in file order, the files skipped, the run's figures) of `files` shared
    among `jobs` processes, PER_TASK trainings a task."""
    names = [str(path) for path in files]
    tasks = [names[start:start + PER_TASK] for start in range(0, len(names), PER_TASK)]
    shares: dict[int, Share] = {}
    progress.start(len(names), "Trainings")
    # spawn, not fork: a fresh interpreter holds no lock another thread of this one held
    context = multiprocessing.get_context("spawn")
    try:
        with ProcessPoolExecutor(jobs, mp_context=context) as pool:
            futures = {pool.submit(audit_share, task, settings, input_format, LANGUAGE.get()):
                       number for number, task in enumerate(tasks)}
            for future in as_completed(futures):
                number = futures[future]
                shares[number] = future.result()
                progress.advance(len(tasks[number]))
    finally:
        progress.stop()
    ordered = [shares[number] for number in range(len(tasks))]
    for error in (error for share in ordered for error in share.unreadable):
        warn(_("skipped: {why}").format(why=error))
    # what every worker says of the whole run (an old list, a missing file) is said once
    for warning in dict.fromkeys(w for share in ordered for w in share.warnings):
        warn(warning)
    run = combined_figures([share.run for share in ordered])
    trainings = [replace(report, run=run) for share in ordered for report in share.trainings]
    return trainings, [item for share in ordered for item in share.skipped], run
