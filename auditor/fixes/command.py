"""`auditor fix IN.bib (-o OUT.bib | --in-place | --dry-run)`: audit, plan, edit, check, write.

    auditor fix training.bib -o training.fixed.bib
    auditor fix training.bib --in-place            # the original kept as training.bib.bak
    auditor fix training.bib --dry-run             # a unified diff on stdout, nothing written

One line per change on stderr (`training.bib:2 victora2016: normalised doi …`) and a summary
line. Exit 0 when it ran (changed or not), 2 for a usage or input error (one line, never a
traceback). The text is edited in place, never re-serialised: see `auditor.fixes.bibtex_edit`.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import bibtexparser
from bibtexparser.model import Entry

from auditor.config import load_settings
from auditor.crossref.negotiation import DEFAULT_DOI_URL, DOI_URL_ENVIRONMENT, fetch_bibtex
from auditor.errors import AuditorError
from auditor.fixes.bibtex_edit import append_entries, check_edit
from auditor.fixes.bibtex_edit import unified_diff as make_diff
from auditor.fixes.bibtex_scan import read_entries
from auditor.fixes.corrected import corrected, decoded, summary
from auditor.fixes.plan import Edit, EntryFields, published_versions
from auditor.i18n import N_, n_
from auditor.options import EXIT_USAGE, add_as_of, say, settings_flags
from auditor.pipeline import audit
from auditor.sources import choose_format, read_bytes
from auditor.sources.doi import normalize_doi
from auditor.vocabulary import Confidence

EXIT_OK = 0
FORMAT_NAMES = {"ris": "RIS", "nbib": "PubMed MEDLINE (.nbib)", "csl-json": "CSL-JSON",
                "text": "a pasted reference list"}

def add_fix_parser(subparsers: Any, parents: Sequence[argparse.ArgumentParser]
                   ) -> argparse.ArgumentParser:
    """Define `fix` on `subparsers` (what `add_subparsers()` returned); `parents` are the
    option parsers `check` shares (cache and Crossref), defined once in auditor/options.py."""
    fix = subparsers.add_parser(
        "fix", parents=list(parents),
        help="write the audit's findings back into a BibTeX file (DOIs found or normalised, "
             "retractions, versions of record), changing nothing else",
        description="Audit a BibTeX file, then edit its text minimally: add the DOIs found "
                    "with high confidence, normalise DOI fields, mark retracted or withdrawn "
                    "works in a note, name a preprint's version of record. Nothing is deleted; "
                    "comments, order, quoting and line endings are kept.")
    fix.add_argument("path", metavar="IN.bib", help="the BibTeX file to fix")
    where = fix.add_mutually_exclusive_group()
    where.add_argument("-o", "--output", metavar="OUT.bib", help="write the fixed file there")
    where.add_argument("--in-place", action="store_true",
                       help="rewrite IN.bib, keeping the original as IN.bib.bak")
    fix.add_argument("--dry-run", action="store_true",
                     help="print the changes as a unified diff on stdout and write nothing")
    fix.add_argument("--min-confidence", choices=(Confidence.HIGH, Confidence.MEDIUM),
                     default=Confidence.HIGH,
                     help="lowest confidence of a search match whose DOI is added "
                          "(default: high)")
    fix.add_argument("--add-published", action="store_true",
                     help="append a BibTeX entry for each preprint's version of record, "
                          "fetched from doi.org by content negotiation")
    fix.add_argument("--doi-url", metavar="URL",
                     help=f"base URL for content negotiation (env {DOI_URL_ENVIRONMENT}; "
                          f"default {DEFAULT_DOI_URL})")
    add_as_of(fix)
    return fix



def run_fix(args: argparse.Namespace) -> int:
    """The `fix` subcommand; returns the exit code. A user's mistake is one line, exit 2."""
    try:
        return _run(args)
    except AuditorError as exc:
        say(f"error: {exc}")
        return EXIT_USAGE


def _run(args: argparse.Namespace) -> int:
    path = str(args.path)
    output = getattr(args, "output", None)
    in_place = bool(getattr(args, "in_place", False))
    dry_run = bool(getattr(args, "dry_run", False))
    if not (output or in_place or dry_run):
        raise AuditorError("fix needs -o OUT.bib, --in-place or --dry-run")
    if path == "-":
        raise AuditorError("fix edits a file: give its path, not - (standard input)")
    if output and _same_file(output, path):
        raise AuditorError(f"-o {output} is the input file; use --in-place (the original is "
                           f"kept as {path}.bak)")
    raw, text, encoding = _read(path)
    fmt = choose_format(text, path)
    if fmt != "bibtex":
        raise AuditorError(f"fix writes BibTeX: {path} is {FORMAT_NAMES.get(fmt, fmt)}")
    doi_url = _doi_url(getattr(args, "doi_url", None))
    settings = load_settings(settings_flags(args))

    report = audit(path, settings=settings, warn=say, input_format="bibtex")
    confidence = Confidence(getattr(args, "min_confidence", None) or Confidence.HIGH)
    fix = corrected(text, report.references, file=path, encoding=encoding,
                    min_confidence=confidence)
    edits, fixed = list(fix.edits), fix.text
    appended: list[Edit] = []
    if getattr(args, "add_published", False):
        blocks, appended = _published(report.references, read_entries(text), confidence, path,
                                      doi_url, settings.timeout, ascii_only=encoding != "utf-8")
        fixed = append_entries(fixed, blocks)
        check_edit(text, fixed, edits,
                   appended=sum(e.kind == "append-published" for e in appended))
    try:
        data = fixed.encode(encoding)
    except UnicodeEncodeError:
        raise AuditorError(f"{path} is in {encoding}, which cannot hold the new text; convert "
                           "it to UTF-8 first") from None

    for edit in [*edits, *appended]:
        print(f"{path}:{edit.line} {edit.key}: {edit.message}", file=sys.stderr)
    unchecked = report.summary.unchecked
    if unchecked:
        say(n_("{n} reference could not be checked: run fix again when the registry answers "
               "to complete it", "{n} references could not be checked: run fix again when the "
               "registry answers to complete them", unchecked).format(n=unchecked))
    changed = fixed != text
    if dry_run:
        sys.stdout.write(make_diff(text, fixed, path, output or path))
        sys.stdout.flush()
        where = "dry run: nothing written"
    elif output:
        _write(Path(output), data)
        where = f"wrote {output}"
    elif changed:
        target = Path(path).resolve()  # through a symbolic link: the file it names is fixed
        _write(target.with_name(target.name + ".bak"), raw, like=target)
        _write(target, data, like=target)
        where = f"rewrote {path} (original kept as {path}.bak)"
    else:
        where = f"{path} left as it was"
    say(_summary(path, [*edits, *appended], where))
    return EXIT_OK


def _summary(path: str, edits: Sequence[Edit], where: str) -> str:
    """`fix training.bib: 3 changes in 2 entries (1 doi normalised, …); 1 left as written; …`."""
    return f"fix {path}: {summary(edits)}; {where}"


def _same_file(a: str, b: str) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve() or (
            Path(a).exists() and Path(a).samefile(b))
    except OSError:
        return False


def _read(path: str) -> tuple[bytes, str, str]:
    """The file's bytes, its text and the encoding that gives those bytes back exactly."""
    raw = read_bytes(path, expected=N_("a BibTeX file"))
    text, encoding = decoded(raw, path)
    if encoding != "utf-8":
        say(f"{path} is not UTF-8: its bytes are kept as they are, only ASCII is added")
    return raw, text, encoding


def _doi_url(flag: str | None) -> str:
    url = (flag or os.environ.get(DOI_URL_ENVIRONMENT) or DEFAULT_DOI_URL).strip().rstrip("/")
    if not url.startswith(("http://", "https://")):
        origin = "--doi-url" if flag else f"${DOI_URL_ENVIRONMENT}"
        raise AuditorError(f"invalid {origin} {url!r}: give an http(s) URL")
    return url


def _write(target: Path, data: bytes, like: Path | None = None) -> None:
    """Write through a temporary file in the same folder, then rename: never half a file."""
    try:
        handle, temporary = tempfile.mkstemp(dir=target.parent or Path("."),
                                             prefix=f".{target.name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            if like is not None:
                os.chmod(temporary, like.stat().st_mode & 0o7777)
            else:  # mkstemp makes 0600; a new file gets the usual rights (0666 less the umask)
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(temporary, 0o666 & ~umask)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise AuditorError(f"cannot write {target}: {exc.strerror or exc}") from None


def _published(verdicts: Sequence[Any], entries: Sequence[EntryFields], confidence: str,
               path: str, doi_url: str, timeout: float, ascii_only: bool = False
               ) -> tuple[list[str], list[Edit]]:
    """The entries to append for --add-published, and one report line per preprint (a file
    that is not UTF-8 takes only ASCII entries: its own encoding is not known for sure)."""
    taken = {e.key.lower() for e in entries}
    blocks: list[str] = []
    lines: list[Edit] = []
    for entry, version in published_versions(verdicts, entries, min_confidence=confidence,
                                             file=path):
        answer = fetch_bibtex(version, doi_url, timeout)
        block, key, problem = _published_block(answer.bibtex, version, entry.key, taken) \
            if answer.bibtex else (None, None, answer.reason)
        if block is not None and ascii_only and not block.isascii():
            block, problem = None, "its text is not ASCII and the file is not UTF-8"
        if block is None or key is None:
            lines.append(Edit(entry.key, entry.line, "skipped", message=(
                f"could not fetch the version of record {version}: {problem}")))
            continue
        taken.add(key.lower())
        blocks.append(block)
        lines.append(Edit(entry.key, entry.line, "append-published", value=key, message=(
            f"appended the version of record {version} as {key}")))
    return blocks, lines


_ENTRY_HEAD = re.compile(r"^(\s*@\s*\w+\s*[{(]\s*)([^,\s]*)")


def _published_block(bibtex: str, version: str, preprint_key: str, taken: set[str]
                     ) -> tuple[str | None, str | None, str | None]:
    """(text to append, its key, None) or (None, None, why): one readable entry, for that DOI,
    under a key no entry of the file uses."""
    library = bibtexparser.parse_string(bibtex, parse_stack=[])
    entries = [b for b in library.blocks if isinstance(b, Entry)]
    if len(entries) != 1 or library.failed_blocks or not _ENTRY_HEAD.match(bibtex):
        return None, None, "the answer is not one BibTeX entry"
    entry = entries[0]
    doi_field = next((f.value for f in entry.fields if f.key.lower() == "doi"), None)
    if isinstance(doi_field, str):
        said = normalize_doi(doi_field).doi
        if said and said != version.lower():
            return None, None, f"the answer describes another DOI ({said})"
    base = entry.key.strip() or f"{preprint_key}-published"
    key, n = base, 1
    while key.lower() in taken:
        n += 1
        key = f"{base}-published" if n == 2 else f"{base}-published{n - 1}"
    text = _ENTRY_HEAD.sub(lambda m: m.group(1).lstrip() + key, bibtex.strip(), count=1)
    note = f"% version of record of {preprint_key} (doi:{version}), added by auditor fix"
    return f"{note}\n{text}", key, None
