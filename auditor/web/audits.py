"""What the page and the API are asked, read from the form they post, and the audit it names:
the same readers, pipeline and renderers as `auditor check`.

Nothing a client sends is used as a path: an uploaded file's name is kept only to name its
references in the report (its folders dropped, cut to a sensible length), its bytes are read
in memory. Every problem is an `Unaccepted` with the HTTP status it deserves — 400 input that
cannot be read, 413 too large, 422 a bad setting.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from auditor.catalogue import Catalogue, catalogue_of
from auditor.config import Settings, with_overrides
from auditor.errors import AuditorError, ConfigError, InputError
from auditor.fixes.corrected import Corrected, corrected, decoded
from auditor.i18n import N_, Phrase, Said, _, use_language
from auditor.pipeline import Progress, audit_read
from auditor.report import Report, as_csv, formats
from auditor.sources import choose_format, read_raw
from auditor.sources.base import SourceRead

LANGUAGES = ("en", "fr")
FORMATS = ("json", "csv", "markdown", "html")
MEDIA_TYPES = {"json": "application/json", "csv": "text/csv; charset=utf-8",
               "markdown": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8"}
SUFFIXES = {"json": "json", "csv": "csv", "markdown": "md", "html": "html"}
CORRECTED = "bibtex"  # the API's format for the corrected .bib of `auditor fix`
PASTED = Phrase(N_("pasted list"))  # how pasted text is named (in the reader's words)
MODES = ("list", "catalogue")  # several files: one list, or one row each
MAX_RECENT_YEARS = 100
_NAME_LENGTH = 120


class Unaccepted(AuditorError):
    """A request that cannot be audited: its HTTP status and one sentence for a person
    (a Said: `str(error)` in the language of the moment)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.lang: str | None = None  # the language the request asked for, once known


@dataclass
class Asked:
    """One audit asked for: the inputs (name, bytes), the settings that change, how to answer."""

    inputs: list[tuple[str, bytes]] = field(default_factory=list)
    overrides: dict[str, Any] = field(default_factory=dict)
    lang: str = "en"
    fmt: str = "json"
    catalogue: bool = False  # several files: one row each, not one list


def file_name(given: str | None, number: int) -> str:
    """The name an uploaded file is shown under: its last path part, printable, not too long
    (`C:\\Users\\a\\training.bib` → `training.bib`); `file N` when it gave none. Browsers
    write `"`, line feed and carriage return in a name as %22, %0A and %0D (the HTML
    standard's form encoding): those are read back."""
    name = re.sub(r"%(22|0A|0D)", lambda m: chr(int(m.group(1), 16)), given or "",
                  flags=re.IGNORECASE)
    name = re.split(r"[\\/]", name)[-1]
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip()
    return name[:_NAME_LENGTH] or f"file {number}"


def _choice(form: Any, name: str, default: str, choices: tuple[str, ...]) -> str:
    value = (form.get(name) or default).strip().lower()
    if value not in choices:
        raise Unaccepted(422, Said("{name} must be one of {choices}, not {value}", name=name,
                                   choices=", ".join(choices), value=repr(value[:40])))
    return value


def _as_of(value: str) -> str:
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) and dt.date.fromisoformat(value):
            return value
    except ValueError:
        pass
    raise Unaccepted(422, Said("the date {value} cannot be read: write it as YYYY-MM-DD, "
                               "e.g. 2026-03-12", value=repr(value[:40])))


def _recent_years(value: str) -> str:
    if not re.fullmatch(r"\d{1,3}", value) or int(value) > MAX_RECENT_YEARS:
        raise Unaccepted(422, Said("the recency window must be a whole number of years from 0 "
                                   "to {most}, not {value}", most=MAX_RECENT_YEARS,
                                   value=repr(value[:40])))
    return value


def asked_from(form: Any, files: list[tuple[str | None, bytes]], default_lang: str) -> Asked:
    """An Asked from a posted form's fields (`text`, `as_of`, `recent_years`, `lang`,
    `format`, `mode`) and its uploaded files (name given, bytes)."""
    lang = _choice(form, "lang", default_lang, LANGUAGES)
    fmt = (form.get("format") or "json").strip().lower()
    fmt = _choice({"format": "markdown" if fmt == "md" else fmt}, "format", "json",
                  (*FORMATS, CORRECTED))
    mode = _choice(form, "mode", "list", MODES)
    asked = Asked(lang=lang, fmt=fmt, catalogue=mode == "catalogue")
    empty = []
    for number, (given, raw) in enumerate(files, start=1):
        if raw:
            asked.inputs.append((file_name(given, number), raw))
        elif given:
            empty.append(file_name(given, number))
    text = form.get("text") or ""
    if text.strip():
        asked.inputs.append((PASTED, text.encode("utf-8")))
    if not asked.inputs:
        if empty:
            raise Unaccepted(400, Said("{name} is empty: it holds no reference to audit",
                                       name=empty[0]))
        raise Unaccepted(400, Said("nothing to audit: paste a reference list or choose a "
                                   "file"))
    for name, check in (("as_of", _as_of), ("recent_years", _recent_years)):
        value = (form.get(name) or "").strip()
        if value:
            asked.overrides[name] = check(value)
    if fmt == CORRECTED and bibtex_input(asked) is None:
        raise Unaccepted(422, Said("format=bibtex gives the corrected file of one BibTeX "
                                   "input: send one .bib file (or its text) and no other"))
    return asked


def bibtex_input(asked: Asked) -> tuple[str, str, str] | None:
    """(name, text, encoding) when the audit is of one BibTeX file, the input `fix` corrects."""
    if len(asked.inputs) != 1 or asked.catalogue:
        return None
    name, raw = asked.inputs[0]
    try:  # a Word file, a PDF or any text that is no reference list is simply not BibTeX
        text, encoding = decoded(raw, name)
        fmt = choose_format(text, name)
    except AuditorError:
        return None
    return (name, text, encoding) if fmt == "bibtex" else None


def corrected_bibtex(asked: Asked, report: Report | Catalogue) -> Corrected | None:
    """What `auditor fix` would write for this audit's one BibTeX input, else None."""
    found = bibtex_input(asked)
    if found is None or not isinstance(report, Report):
        return None
    name, text, encoding = found
    return corrected(text, report.references, file=name, encoding=encoding)


def corrected_name(name: str) -> str:
    """The download's name: `training.bib` → `training.fixed.bib`, letters of any language
    kept (`été.bib` → `été.fixed.bib`), anything else that could trouble a file system
    replaced by `-`."""
    stem = re.sub(r"\.bib$", "", name, flags=re.IGNORECASE)
    stem = re.sub(r"[^\w.-]+", "-", stem).strip(".-")[:80]
    return f"{stem or 'references'}.fixed.bib"


def attachment(name: str) -> str:
    """A Content-Disposition naming a download: `filename*` (RFC 6266) in UTF-8 for every
    browser today, `filename` in plain ASCII for the oldest (accents dropped, `été` → `ete`)."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    plain = re.sub(r'[^A-Za-z0-9._-]+', "-", plain).strip("-") or "download"
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"


def current(base: Settings) -> Settings:
    """The server's settings today: ages are counted on the day of the audit, not the day the
    server started, unless its settings fix the date."""
    if base.origins.get("as_of", "default") != "default":
        return base
    return dataclasses.replace(base, as_of=dt.date.today())


def settings_for(base: Settings, asked: Asked) -> Settings:
    """The server's settings with what the request changes, checked as the CLI checks them."""
    try:
        return with_overrides(current(base), asked.overrides)
    except ConfigError as error:
        raise Unaccepted(422, error.args[0]) from None


def run(asked: Asked, settings: Settings, progress: Progress | None = None,
        warn: Callable[[str], None] | None = None) -> Report | Catalogue:
    """The audit asked for: one list, or a catalogue with one row per file."""
    with use_language(asked.lang):
        if progress is not None:
            progress.start(len(asked.inputs), "Reading")
        reads: list[tuple[str, SourceRead | InputError]] = []
        for name, raw in asked.inputs:
            try:
                reads.append((name, read_raw(raw, name)))
            except InputError as error:
                reads.append((name, error))
            if progress is not None:
                progress.advance()
        if progress is not None:
            progress.stop()
        if asked.catalogue and len(reads) > 1:
            return catalogue_of(reads, settings, where=_("the files sent"), progress=progress,
                                warn=warn)
        unread = [error for _name, error in reads if isinstance(error, InputError)]
        if unread:
            raise unread[0]
        total = SourceRead()
        for _name, read in reads:
            assert isinstance(read, SourceRead)
            total.references.extend(read.references)
            total.problems.extend(read.problems)
        return audit_read(total, [name for name, _raw in reads], settings, progress, warn)


def rendered(subject: Report | Catalogue, fmt: str, lang: str) -> str:
    """The report in one of FORMATS, its words in `lang` (JSON stays English: a contract)."""
    with use_language(lang):
        if fmt == "json":
            return subject.to_json()
        if fmt == "csv" and isinstance(subject, Report):
            return as_csv.render_with_summary(subject)
        of = formats.REPORT if isinstance(subject, Report) else formats.CATALOGUE
        return formats.render(subject, fmt, of)
