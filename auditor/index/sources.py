"""Where Crossref work records come from when an index is built: the annual public data file
(a folder of `N.jsonl.gz`, one work per line, since 2025; of `N.json.gz`, each
`{"items": [...]}` of about 3,000 works, up to 2024), a Metadata Plus snapshot (one `.tar` of
such files), or any `.json`/`.jsonl` file of work records, gzipped or not.

Each source is cut into units — one file, or one member of a tar — read whole by the engine
and recorded as done, so that an interrupted build starts again at the first unit not done.
"""

from __future__ import annotations

import errno
import re
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from auditor.errors import AuditorError, InputError
from auditor.i18n import Said

RECORD_SUFFIXES = (".jsonl.gz", ".jsonl", ".json.gz", ".json", ".ndjson", ".ndjson.gz")
TAR_SUFFIXES = (".tar", ".tar.gz", ".tgz")


@dataclass(frozen=True)
class Unit:
    """One file of records: `name` identifies it across runs (its path, or tar and member);
    `lines` is true for JSON Lines (one record per line), false for one JSON document."""

    name: str
    path: Path
    member: str | None = None  # inside the tar at `path`

    @property
    def lines(self) -> bool:
        name = (self.member or self.path.name).lower()
        return ".jsonl" in name or ".ndjson" in name


def _numbered(path: Path) -> tuple[object, ...]:
    """`2.jsonl.gz` before `10.jsonl.gz`: the data file's own order."""
    return tuple(int(part) if part.isdigit() else part
                 for part in re.split(r"(\d+)", str(path)))


def is_records(name: str) -> bool:
    return name.lower().endswith(RECORD_SUFFIXES)


def units(sources: list[str | Path]) -> list[Unit]:
    """Every unit of every source, in order; an InputError for a source that holds none."""
    found: list[Unit] = []
    for source in map(Path, sources):
        if source.is_dir():
            files = sorted((p for p in source.rglob("*") if p.is_file() and is_records(p.name)),
                           key=_numbered)
            if not files:
                raise InputError(Said("{source}: no file of Crossref records in it (looked "
                                      "for {suffixes})", source=str(source),
                                      suffixes=", ".join(RECORD_SUFFIXES)))
            found += [Unit(str(p), p) for p in files]
        elif source.name.lower().endswith(TAR_SUFFIXES):
            found += list(_tar_units(source))
        elif source.is_file() and is_records(source.name):
            found.append(Unit(str(source), source))
        elif not source.exists():
            raise InputError(Said("{source}: no such file or folder", source=str(source)))
        else:
            raise InputError(Said("{source}: not a file of Crossref records (expected a "
                                  "folder, a .tar snapshot or {suffixes})", source=str(source),
                                  suffixes=", ".join(RECORD_SUFFIXES)))
    return found


def _tar_units(path: Path) -> Iterator[Unit]:
    try:
        with tarfile.open(path) as tar:
            members = sorted((m.name for m in tar if m.isfile() and is_records(m.name)),
                             key=lambda name: _numbered(Path(name)))
    except (OSError, tarfile.TarError) as error:
        raise InputError(Said("{source}: cannot read the tar file ({why})", source=str(path),
                              why=str(error))) from None
    if not members:
        raise InputError(Said("{source}: no file of Crossref records in the tar file",
                              source=str(path)))
    for member in members:
        yield Unit(f"{path}::{member}", path, member)


@contextmanager
def local_file(unit: Unit, scratch: Path) -> Iterator[Path]:
    """A path the engine can read the unit from: the file itself, or the tar member copied
    into `scratch` for as long as it is read (one member at a time: bounded disk)."""
    if unit.member is None:
        yield unit.path
        return
    with tarfile.open(unit.path) as tar:
        source = tar.extractfile(unit.member)
        if source is None:
            raise InputError(Said("{source}: cannot read {member}", source=str(unit.path),
                                  member=unit.member))
        suffix = "".join(Path(unit.member).suffixes[-2:])
        with tempfile.NamedTemporaryFile(dir=scratch, suffix=suffix, delete=False) as copy:
            shutil.copyfileobj(source, copy, 1 << 20)
    try:
        yield Path(copy.name)
    finally:
        Path(copy.name).unlink(missing_ok=True)


NO_ROOM = (errno.ENOSPC, errno.EDQUOT)  # a write that failed: the disk, not the unit


def unreadable(unit: Unit, error: BaseException) -> AuditorError:
    """A unit that cannot be read: what to do, and that the units before it are kept."""
    return AuditorError(Said("{unit}: cannot read its records ({why}); the files before it are "
                             "kept: mend it and run the same build again (to leave it out, move "
                             "it out of the sources, remove the index and build anew)",
                             unit=unit.name, why=str(error) or type(error).__name__))


def no_room(unit: Unit, why: str | None) -> AuditorError:
    """The disk of the index full while a unit was read: the unit is not to blame."""
    return AuditorError(Said("no room left on the disk of the index while reading {unit} ({why});"
                             " the files before it are kept: free some room and run the same "
                             "build again", unit=unit.name, why=why or "full"))
