"""A catalogue of trainings audited together — what a funder or an accreditation body compares.

Every reference list under a folder (recursively), or several files with `--by-file`: one
resolution pass for all of them (DOIs deduplicated, identical searches asked once, one cache),
then one scorecard and one policy outcome per training, and a comparison row each.
`auditor.audit_many(paths)` gives those rows as a DataFrame.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditor.config import Settings, load_settings, with_overrides
from auditor.errors import InputError
from auditor.i18n import DEFAULT_LANGUAGE, N_, Phrase, Said, _, n_, use_language
from auditor.model import RunFigures
from auditor.pipeline import Progress, Silent
from auditor.report import Report, formats, header
from auditor.report.comparison import COLUMNS, COUNT_COLUMNS, comparison_row, parse_sort
from auditor.report.headline import catalogue_line
from auditor.report.words import skip_reason
from auditor.sources import SUFFIXES, TEXT_SUFFIXES, read_path
from auditor.sources.base import SourceRead
from auditor.sources.documents import DOCUMENT_SUFFIXES
from auditor.vocabulary import Outcome
from auditor.workers import audit_in_workers, audit_lists, readable_lists, worker_count

if TYPE_CHECKING:
    import pandas as pd

_log = logging.getLogger("auditor")
# What a folder may hold besides reference lists: only these suffixes are tried.
CATALOGUE_SUFFIXES = frozenset(SUFFIXES) | (TEXT_SUFFIXES - {""}) | frozenset(DOCUMENT_SUFFIXES)
# (.doc and .odt are tried too, so that each is told to be saved as .docx)
CATALOGUE_SUFFIXES |= {".doc", ".odt"}


def find_reference_files(paths: Sequence[str | Path]) -> tuple[list[Path], list[Path]]:
    """(the files to audit, the other files found in the folders), in a stable order: each file
    named, and under each folder every file with a reference-list suffix (hidden files and
    folders such as .git left out)."""
    found: list[Path] = []
    others: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(n for n in files if not n.startswith(".")):
                    readable = Path(name).suffix.lower() in CATALOGUE_SUFFIXES
                    (found if readable else others).append(Path(root) / name)
        elif path.exists() or str(raw) == "-":
            found.append(path)
        else:
            raise InputError(Said("{name}: no such file or folder", name=raw))
    return list(dict.fromkeys(found)), others


@dataclass
class Catalogue:
    """The audit of several trainings: one Report each (sharing one run), the files that could
    not be read, and the comparison rows."""

    trainings: list[Report]
    settings: Settings
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, why)
    run: RunFigures = field(default_factory=RunFigures)
    generated_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    folders: list[str] = field(default_factory=list)  # the folders given, to name trainings

    @property
    def references(self) -> int:
        return sum(t.summary.references for t in self.trainings)

    @property
    def with_doi(self) -> int:
        return sum(t.summary.with_doi for t in self.trainings)

    @property
    def passed(self) -> bool:
        return all(t.passed for t in self.trainings)

    @property
    def outcome(self) -> Outcome:
        """failed when a training fails; else incomplete when one could not be checked
        enough; else passed."""
        outcomes = {t.outcome for t in self.trainings}
        return next((o for o in (Outcome.FAILED, Outcome.INCOMPLETE) if o in outcomes),
                    Outcome.PASSED)

    def ordered(self, sort: str | None = None) -> list[tuple[int, dict[str, Any]]]:
        """(index of the training, its comparison row) in the asked order: `sort` is a column,
        `-column` or `column:desc` for descending (missing values last either way)."""
        rows = [(i, {**comparison_row(t), "training": training_name(t.inputs[0], self.folders)})
                for i, t in enumerate(self.trainings)]
        if sort:
            column, descending = parse_sort(sort)
            present = [r for r in rows if r[1][column] is not None]
            missing = [r for r in rows if r[1][column] is None]
            present.sort(key=lambda r: r[1][column], reverse=descending)
            rows = present + missing
        return rows

    def rows(self, sort: str | None = None) -> list[dict[str, Any]]:
        """One comparison row per training (see COLUMNS), in the asked order."""
        return [row for _, row in self.ordered(sort)]

    def to_frame(self, sort: str | None = None) -> pd.DataFrame:
        import pandas as pd

        frame = pd.DataFrame(self.rows(sort), columns=list(COLUMNS))
        for column in COUNT_COLUMNS:
            frame[column] = frame[column].astype("Int64")
        frame["passed"] = frame["passed"].astype("boolean")
        return frame

    def to_dict(self) -> dict[str, Any]:
        """The JSON report of a catalogue (schema_version 1, `catalogue: true`): the comparison
        rows, then each training's own report; its sentences in English (a contract)."""
        with use_language(DEFAULT_LANGUAGE):
            return self._as_dict()

    @property
    def headline(self) -> str:
        """The sentence every format leads with: trainings, references, outcomes."""
        return catalogue_line([t.outcome for t in self.trainings], self.references,
                              len(self.skipped))

    def _as_dict(self, trainings: bool = True) -> dict[str, Any]:
        return {
            **header(self.generated_at), "catalogue": True,
            "as_of": self.settings.as_of.isoformat(), "passed": self.passed,
            "outcome": str(self.outcome),
            "comparison": self.rows(),
            "skipped": [{"file": f, "reason": skip_reason(f, why, english=True)}
                        for f, why in self.skipped],
            "run": self.run.to_dict(),
            "trainings": [t.to_dict() for t in self.trainings] if trainings else [],
        }

    def to_json(self, indent: int | None = 2) -> str:
        return "".join(self.json_pieces(indent))

    def json_pieces(self, indent: int | None = 2) -> Iterator[str]:
        """`to_json`'s text, one training at a time: the text of `to_dict` dumped whole, but
        holding one training's dict at a time (10^4 trainings make 1.4 GB of JSON; their dicts
        all at once held 8 GB)."""
        with use_language(DEFAULT_LANGUAGE):
            head = json.dumps(self._as_dict(trainings=False), indent=indent, ensure_ascii=False)
        before, after = head.rsplit("[]", 1)  # "trainings" is the last key: its empty list
        # each training is an item of a list two levels down, as json.dumps would indent it
        pad = "" if indent is None else "\n" + " " * (2 * indent)
        yield before + "["
        for n, training in enumerate(self.trainings):
            with use_language(DEFAULT_LANGUAGE):
                text = json.dumps(training.to_dict(), indent=indent, ensure_ascii=False)
            yield ("," if n else "") + (" " if n and indent is None else "") + pad + \
                text.replace("\n", pad)
        closing = "\n" + " " * indent if indent is not None and self.trainings else ""
        yield closing + "]" + after

    def render(self, fmt: str = formats.DEFAULT, **options: Any) -> str:
        """The catalogue as text in one of formats.NAMES (`sort`; `color`, `width` for the
        table)."""
        return formats.render(self, fmt, formats.CATALOGUE, **options)

    def write(self, path: str | Path, fmt: str | None = None, sort: str | None = None) -> Path:
        return formats.write(self, path, fmt, formats.CATALOGUE, sort=sort)


def _read_all(files: list[Path], input_format: str | None, progress: Progress,
              warn: Callable[[str], None]) -> Iterator[tuple[str, Any]]:
    """(file name, SourceRead) per readable file; an unreadable one is said once and skipped."""
    progress.start(len(files), "Reading")
    try:
        for path in files:
            name = "<stdin>" if str(path) == "-" else str(path)
            try:
                yield name, read_path(path, input_format)
            except InputError as exc:
                warn(_("skipped: {why}").format(why=exc))
                yield name, exc
            finally:
                progress.advance()
    finally:
        progress.stop()


def audit_catalogue(paths: str | Path | Sequence[str | Path], *,
                    settings: Settings | None = None, progress: Progress | None = None,
                    warn: Callable[[str], None] | None = None, input_format: str | None = None,
                    **overrides: Any) -> Catalogue:
    """Audit every training under `paths` (folders are searched recursively) with one shared
    resolution pass. Raises InputError when no file holds a readable reference."""
    if settings is None:
        settings = load_settings(overrides, flags_origin="audit_many() arguments")
    elif overrides:
        settings = with_overrides(settings, overrides)
    warn = warn or _log.warning
    progress = progress or Silent()
    paths = [paths] if isinstance(paths, (str, Path)) else list(paths)
    files, others = find_reference_files(paths)
    if not files:
        found = Said("; found {names}, which auditor cannot read yet: copy a reference list "
                     "into a .txt file", names=", ".join(o.name for o in others[:3])
                     + (" …" if len(others) > 3 else "")) if others else ""
        raise InputError(Said("no reference file in {where} (looked for {suffixes}){found}",
                              where=", ".join(map(str, paths)),
                              suffixes=", ".join(sorted(CATALOGUE_SUFFIXES)), found=found))
    skipped: list[tuple[str, str]] = [(str(other), Said(
        "not a reference-list format ({suffix})", suffix=other.suffix or Phrase(
            N_("no suffix")))) for other in others]
    if others:
        shown = ", ".join(str(o) for o in others[:3]) + (" …" if len(others) > 3 else "")
        warn(n_("skipped {n} file that is not a reference list: {shown}",
                "skipped {n} files that are not reference lists: {shown}", len(others)).format(
            n=len(others), shown=shown))
    folders = [str(p) for p in paths if Path(p).is_dir()]
    jobs = worker_count(settings, len(files))
    if jobs == 1:
        return catalogue_of(_read_all(files, input_format, progress, warn), settings,
                            skipped=skipped, folders=folders, where=", ".join(map(str, paths)),
                            progress=progress, warn=warn)
    trainings, unread, run = audit_in_workers(files, settings, input_format, jobs, progress,
                                              warn)
    if not trainings:
        raise InputError(no_list(", ".join(map(str, paths)), skipped + unread))
    return Catalogue(trainings, settings, skipped + unread, run, folders=folders)


def catalogue_of(reads: Iterable[tuple[str, SourceRead | InputError]], settings: Settings, *,
                 skipped: list[tuple[str, str]] | None = None, folders: Sequence[str] = (),
                 where: str = "the files", progress: Progress | None = None,
                 warn: Callable[[str], None] | None = None) -> Catalogue:
    """The catalogue of trainings already read, (name, what was read or why it could not be),
    with one shared resolution pass (from files, or from what a web page was sent)."""
    warn = warn or _log.warning
    skipped = list(skipped or [])
    lists = readable_lists(reads, skipped, warn)
    if not lists:
        raise InputError(no_list(where, skipped))
    trainings, run = audit_lists(lists, settings, warn, progress or Silent())
    return Catalogue(trainings, settings, skipped, run, folders=list(folders))


def no_list(where: str, skipped: list[tuple[str, str]]) -> Said:
    """Why a catalogue could not be audited: no list in `where` held a reference."""
    return Said("no readable reference list in {where} ({skipped})", where=where,
                skipped=Said("1 file skipped") if len(skipped) == 1 else Said(
                    "{n} files skipped", n=len(skipped))) if skipped else Said(
        "no readable reference list in {where}", where=where)


def training_name(file: str, folders: Sequence[str | Path]) -> str:
    """A file found under a folder is named from that folder (`trainings/lactation/a.bib` for
    `auditor check trainings`), so that names stay short whatever the folder's absolute path;
    a file named on the command line keeps its name."""
    for raw in folders:
        folder = Path(raw)
        if folder.is_dir():
            try:
                return str(Path(file).relative_to(folder.parent) if folder.name
                           else Path(file).relative_to(folder))
            except ValueError:
                continue
    return file


def audit_many(paths: str | Path | Sequence[str | Path], *, sort: str | None = None,
               **options: Any) -> pd.DataFrame:
    """One row per training (see COLUMNS): `auditor.audit_many("trainings/")`."""
    catalogue = audit_catalogue(paths, **options)
    frame = catalogue.to_frame(sort)
    frame.attrs["skipped"] = [{"file": f, "reason": skip_reason(f, why, english=True)}
                              for f, why in catalogue.skipped]
    return frame
