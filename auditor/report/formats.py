"""The report formats in one table: each one's name, the file suffixes that choose it, and the
functions that render a report and a catalogue in it.

Renderers are named here, not imported: a Report or a Catalogue looks its renderer up in this
table, so neither imports the modules that render it (they import the Report, for its type),
and a renderer's module is loaded only when its format is asked for (the terminal table's
`rich` alone costs a tenth of a second at start-up).
"""

from __future__ import annotations

import codecs
import errno
import importlib
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Renderer:
    """A function that renders, named "module:function", and the keyword options it takes
    (the others are not passed on: `color` means nothing to JSON)."""

    target: str
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class Format:
    """One output format: its name, the suffixes that choose it, its renderers for one list
    and for a catalogue, and `companions`, a function giving the files a single report in this
    format writes beside its own (the CSV's scorecard)."""

    name: str
    suffixes: tuple[str, ...]
    report: Renderer
    catalogue: Renderer
    companions: str | None = None
    # A catalogue's text in pieces, written as they come (else the catalogue renderer's text
    # whole): the JSON of 10^4 trainings is 1.4 GB.
    catalogue_pieces: str | None = None
    # How a file in this format is written: a CSV carries a byte-order mark, so that Excel
    # reads its accents as UTF-8 (standard output never gets one).
    encoding: str = "utf-8"


_SORTED = ("sort",)
FORMATS = {f.name: f for f in (
    Format("table", (".txt",), Renderer("auditor.report.as_table:render", ("color", "width")),
           Renderer("auditor.report.as_catalogue:as_table", ("sort", "color", "width"))),
    Format("json", (".json",), Renderer("auditor.report.as_json:render"),
           Renderer("auditor.report.as_json:render"),
           catalogue_pieces="auditor.report.as_json:pieces"),
    Format("csv", (".csv",), Renderer("auditor.report.as_csv:render"),
           Renderer("auditor.report.as_catalogue:as_csv", _SORTED),
           companions="auditor.report.as_csv:companions", encoding="utf-8-sig"),
    Format("markdown", (".md", ".markdown"), Renderer("auditor.report.as_markdown:render"),
           Renderer("auditor.report.as_catalogue:as_markdown", _SORTED)),
    Format("html", (".html", ".htm"), Renderer("auditor.report.as_html:render"),
           Renderer("auditor.report.as_html_catalogue:render_catalogue", _SORTED)),
)}
NAMES = tuple(FORMATS)
REPORT, CATALOGUE = "report", "catalogue"  # what is rendered: one list, or many trainings
DEFAULT = NAMES[0]
SUFFIX_FORMATS = {suffix: f.name for f in FORMATS.values() for suffix in f.suffixes}


def _load(target: str) -> Callable[..., Any]:
    module, _, function = target.partition(":")
    return getattr(importlib.import_module(module), function)


def get(fmt: str) -> Format:
    try:
        return FORMATS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(NAMES)}") from None


def for_path(path: str | Path, default: str = DEFAULT) -> str:
    """The format a file's suffix asks for: `audit.html` → html; else `default`."""
    return SUFFIX_FORMATS.get(Path(path).suffix.lower(), default)


def render(subject: Any, fmt: str, of: str = REPORT, **options: Any) -> str:
    """`subject` (a Report, or a Catalogue with `of="catalogue"`) as text in format `fmt`;
    options the format does not take are not passed on (`color` means nothing to JSON)."""
    chosen = get(fmt).report if of == REPORT else get(fmt).catalogue
    taken = {k: v for k, v in options.items() if k in chosen.options and v is not None}
    return _load(chosen.target)(subject, **taken)


def pieces(subject: Any, fmt: str, of: str = REPORT, **options: Any) -> Iterator[str]:
    """`render`'s text, in pieces where the format makes them (a catalogue's JSON: one
    training at a time), else whole."""
    chosen = get(fmt)
    if of == CATALOGUE and chosen.catalogue_pieces:
        yield from _load(chosen.catalogue_pieces)(subject)
    else:
        yield render(subject, fmt, of, **options)


def files(subject: Any, path: str | Path, fmt: str | None = None, of: str = REPORT,
          **options: Any) -> dict[Path, Iterator[bytes]]:
    """Every file that writing `subject` to `path` makes, with its bytes, made as they are
    written: the report (format from the suffix unless given) and, for a single report, its
    companions beside it (`NAME.summary.csv` for a CSV)."""
    path = Path(path)
    chosen = get(fmt or for_path(path))
    made = {path: _encoded(pieces(subject, chosen.name, of, color=False, **options),
                           chosen.encoding)}
    if chosen.companions and of == REPORT:
        made.update({Path(p): _encoded(iter([text]), chosen.encoding)
                     for p, text in _load(chosen.companions)(subject, path).items()})
    return made


def _encoded(texts: Iterator[str], encoding: str) -> Iterator[bytes]:
    encoder = codecs.getincrementalencoder(encoding)()  # a byte-order mark once, not per piece
    for text in texts:
        yield encoder.encode(text)
    yield encoder.encode("", final=True)


def save(target: Path, data: Iterable[bytes]) -> None:
    """Write a file as its bytes come, under another name until they have all come: a report
    that fails halfway never stands in for a whole one. The other name is new (never a file
    of the user's), the file replaced keeps its permissions, and a symbolic link is kept
    (the file it points to is written)."""
    target = Path(target)
    descriptor = _descriptor(target)
    if descriptor is not None:  # through the open descriptor: a redirection keeps its place
        sys.stdout.flush()
        with os.fdopen(descriptor, "wb", closefd=False) as out:
            out.writelines(data)
        return
    if is_stream(target):  # a device or a pipe
        with target.open("wb") as out:
            out.writelines(data)
        return
    real = target.resolve()
    if real.exists() and not os.access(real, os.W_OK):  # a rename would replace it anyway
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(real))
    mode = stat.S_IMODE(real.stat().st_mode) if real.exists() else _new_file_mode()
    # a short name of its own: one made from the report's could pass the 255 bytes a name has
    handle, part = tempfile.mkstemp(dir=real.parent, prefix=".auditor-", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in data:
                out.write(chunk)
        os.chmod(part, mode)
        os.replace(part, real)
    finally:
        Path(part).unlink(missing_ok=True)


def is_stream(path: Path) -> bool:
    """A path that names an open stream (standard output, a file descriptor) or a device or a
    pipe: written through, never replaced."""
    return _descriptor(path) is not None or (path.exists() and not path.is_file())


_STANDARD = {"/dev/stdout": 1, "/dev/stderr": 2}


def _descriptor(path: Path) -> int | None:
    """The file descriptor a path names (/dev/stdout, /dev/fd/3, /proc/self/fd/3), or None."""
    text = str(path)
    if text in _STANDARD:
        return _STANDARD[text]
    for prefix in ("/dev/fd/", "/proc/self/fd/"):
        if text.startswith(prefix) and text[len(prefix):].isdigit():
            return int(text[len(prefix):])
    return None


def _new_file_mode() -> int:
    """What a file newly made by open() would get: read and write for all, less the umask
    (a temporary file is made for its owner alone)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write(subject: Any, path: str | Path, fmt: str | None = None, of: str = REPORT,
          **options: Any) -> Path:
    """Write `subject` to `path`, and its companions (see `files`)."""
    for target, data in files(subject, path, fmt, of, **options).items():
        save(target, data)
    return Path(path)
