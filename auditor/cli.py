"""The `auditor` command. Thin on purpose: flags → Settings → audit() → renderer → exit code.

Exit codes: 0 the audit ran and the policy passed; 1 it ran and the policy failed; 2 usage error
or unreadable input; 3 an internal error (a bug: please report it). Never a traceback for a
user's mistake or a network fault: one line on stderr.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import signal
import sqlite3
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from auditor import codes
from auditor._version import __version__
from auditor.catalogue import Catalogue, audit_catalogue, find_reference_files
from auditor.config import FAIL_ON_CHOICES, Settings, load_settings
from auditor.crossref.cache import DAY, Cache
from auditor.errors import AuditorError, UnknownFormat, stopped_by_ctrl_c
from auditor.fixes.command import add_fix_parser, run_fix
from auditor.i18n import LANGUAGES, _, language_from_environment, n_, use_language
from auditor.index.command import add_index_parser, add_retractions_parser, run_index
from auditor.judge.pass_fail import explain_policy
from auditor.model import RunFigures
from auditor.options import (
    EXIT_USAGE,
    Parser,
    add_as_of,
    cache_options,
    default,
    registry_options,
    say,
    settings_flags,
)
from auditor.pipeline import audit
from auditor.report import Report, as_csv, formats
from auditor.report.comparison import parse_sort
from auditor.report.headline import run_sentence
from auditor.sources import FORMATS as TEXT_FORMATS
from auditor.sources.documents import DOCUMENT_FORMATS
from auditor.vocabulary import Outcome

EXIT_PASSED, EXIT_FAILED, EXIT_INTERNAL, EXIT_INCOMPLETE = 0, 1, 3, 4
EXIT_CODES = {Outcome.PASSED: EXIT_PASSED, Outcome.FAILED: EXIT_FAILED,
              Outcome.INCOMPLETE: EXIT_INCOMPLETE}


def _parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="auditor",
        description="Audit a reference list on Crossref: year and age, kind of work, peer "
                    "review, retractions and corrections, DOI identity, level of evidence.")
    parser.add_argument("--version", action="version", version=f"auditor {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    cache_flags, registry_flags = cache_options(), registry_options()

    check = commands.add_parser("check", help="audit reference lists (BibTeX, RIS, PubMed "
                                "MEDLINE, CSL-JSON, pasted text)",
                                parents=[cache_flags, registry_flags],
                                description="Audit reference files and print a report.")
    check.add_argument("paths", nargs="*", metavar="PATH",
                       help="reference file(s) or folder(s); '-' reads standard input")
    check.add_argument("--by-file", action="store_true",
                       help="audit each file as its own training and compare them (implied "
                            "when a PATH is a folder)")
    check.add_argument("--sort", metavar="COLUMN",
                       help="order of the trainings in a comparison: a column such as "
                            "peer_reviewed_share, recent_share:desc (or --sort=-recent_share)")
    check.add_argument("--input-format", choices=("auto", *TEXT_FORMATS, *DOCUMENT_FORMATS),
                       default="auto",
                       help="the format of the input(s) (default: auto — by content for PDF, "
                            "Word and web pages; else by suffix: .bib, .ris, .nbib, .json; else "
                            "by content)")
    out = check.add_argument_group("output")
    out.add_argument("--format", choices=formats.NAMES, default=None,
                     help="report format (default: table, or from the -o suffix)")
    out.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE")
    out.add_argument("--lang", choices=LANGUAGES, default=None,
                     help="the language of the report and messages (default: from LANG or "
                          "LC_ALL, else en); JSON names and values stay English")
    judging = check.add_argument_group("judging")
    add_as_of(judging)
    judging.add_argument("--recent-years", type=int, metavar="N",
                         help="a work is recent when at most N years old (default: "
                              f"{default('recent_years')})")
    judging.add_argument("--guideline-years", type=int, metavar="N",
                         help="a guideline, consensus or review older than N years gets a "
                              f"'check for an update' finding (default: "
                              f"{default('guideline_years')})")
    judging.add_argument("--journals", action=argparse.BooleanOptionalAction, default=None,
                         help="ask the NLM Catalog (MEDLINE) and DOAJ whether each journal is "
                              "indexed: a stronger peer-review signal than an ISSN (default: on; "
                              "from the cache only with --offline)")
    judging.add_argument("--pubmed", action="store_true", default=None,
                         help="also ask PubMed (NCBI E-utilities) for publication types and "
                              "MeSH study designs: a stronger evidence-level signal")
    policy = check.add_argument_group("policy (exit code 1 when a rule fails)")
    policy.add_argument("--fail-on", metavar="LIST",
                        help="comma-separated conditions that fail the policy (default: "
                             f"{default('fail_on')}); choose from {', '.join(FAIL_ON_CHOICES)}")
    policy.add_argument("--warn-on", metavar="LIST",
                        help="conditions reported as policy warnings, without failing (same "
                             f"choices; default: {default('warn_on')})")
    policy.add_argument("--min-recent-share", metavar="SHARE",
                        help="fail when fewer of the dated references are recent (0.6 or 60%%)")
    policy.add_argument("--min-peer-reviewed-share", metavar="SHARE",
                        help="fail when fewer of the references with a known status are peer "
                             "reviewed (0.8 or 80%%)")
    policy.add_argument("--max-median-age", metavar="YEARS",
                        help="fail when the median age is above YEARS")
    policy.add_argument("--min-checked-share", metavar="SHARE",
                        help="below this share of the references that could be checked "
                             "getting an answer, the outcome is incomplete (exit code 4), never "
                             f"passed (default: {default('min_checked_share')})")
    policy.add_argument("--peer-review-requires", choices=("issn", "indexed", "asserted"),
                        help="the weakest signal that counts as peer reviewed: issn (a journal "
                             "with an ISSN), indexed (MEDLINE or DOAJ), asserted (the "
                             f"publisher's statement) (default: {default('peer_review_requires')})")
    policy.add_argument("--explain-policy", action="store_true",
                        help="print the effective policy and where each value came from, then "
                             "exit")
    add_fix_parser(commands, [cache_flags, registry_flags])
    add_index_parser(commands)
    add_retractions_parser(commands, [cache_flags])
    commands.add_parser("codes", help="list every finding code with its severity and meaning")

    serve = commands.add_parser("serve", parents=[cache_flags, registry_flags],
                                help="open a local web page to audit lists without a terminal",
                                description="Serve a web page on this computer where a list "
                                            "can be pasted or files uploaded, with an HTTP API "
                                            "beside it (POST /api/audit).")
    serve.add_argument("--host", default="127.0.0.1",
                       help="the address to listen on (default: 127.0.0.1, this computer "
                            "only; another host prints a warning)")
    serve.add_argument("--port", type=int, default=8000, help="the port (default: 8000)")
    serve.add_argument("--no-browser", action="store_true",
                       help="do not open the browser on the page")
    serve.add_argument("--lang", choices=LANGUAGES, default=None,
                       help="the page's language (default: from LANG or LC_ALL, else en)")
    serve.add_argument("--max-upload-mb", type=float, default=20, metavar="MB",
                       help="the most a request may send (default: 20)")
    serve.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                       help="a name a reverse proxy forwards requests under (repeatable); "
                            "on 127.0.0.1 the page answers only to this computer's names")
    add_as_of(serve)

    cache = commands.add_parser("cache", help="show or clear the cache of Crossref answers")
    cache_commands = cache.add_subparsers(dest="cache_command", metavar="ACTION", required=True)
    cache_commands.add_parser("info", parents=[cache_flags],
                              help="where the cache is and what it holds, per server")
    cache_commands.add_parser("clear", parents=[cache_flags], help="delete every answer")
    return parser



class _RichProgress:
    """A progress bar with counts and ETA on stderr (only when stderr is a terminal)."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        self._bar = Progress(TextColumn("{task.description}"), BarColumn(),
                             MofNCompleteColumn(), TimeRemainingColumn(),
                             console=Console(stderr=True), transient=True)
        self._task = None

    def start(self, total: int, description: str) -> None:
        self._bar.start()
        self._task = self._bar.add_task(description, total=total)

    def advance(self, n: int = 1) -> None:
        if self._task is not None:
            self._bar.advance(self._task, n)

    def stop(self) -> None:
        self._bar.stop()


def _explain_policy(settings: Settings) -> int:
    """The effective policy as [tool.auditor] lines, each with where its value came from."""
    lines = [(f"{name} = {value}" if value is not None else f"# {name} = (off)", origin)
             for name, value, origin in explain_policy(settings)]
    width = min(max(len(text) for text, _ in lines), 40)
    print("# effective policy: flags > environment > config file > defaults")
    for text, origin in lines:
        print(f"{text:<{width}}  # {origin}")
    return EXIT_PASSED


def _check(args: argparse.Namespace) -> int:
    settings = load_settings(settings_flags(args))
    if args.explain_policy:
        return _explain_policy(settings)
    if not args.paths:
        raise AuditorError("check needs at least one PATH (a reference file, a folder, or - "
                           "for standard input)")
    if args.output is not None and not args.output.strip():
        raise AuditorError("-o needs a file name (or - for standard output)")
    if args.sort:
        try:
            parse_sort(args.sort)
        except ValueError as exc:
            raise AuditorError(str(exc)) from None
    fmt = args.format or (formats.for_path(args.output) if args.output else formats.DEFAULT)
    progress = _RichProgress() if sys.stderr.isatty() else None
    if args.by_file or any(p != "-" and Path(p).is_dir() for p in args.paths):
        catalogue = audit_catalogue(args.paths, settings=settings, progress=progress,
                                    warn=say, input_format=args.input_format)
        _emit_to_a_reader(args, fmt, catalogue, formats.CATALOGUE)
        _run_line(_count(len(catalogue.trainings), "{n} training", "{n} trainings") + ", "
                  + _count(catalogue.references, "{n} reference", "{n} references"),
                  catalogue.with_doi, catalogue.run, settings)
        return EXIT_CODES[catalogue.outcome]
    report = audit(args.paths, settings=settings, progress=progress, warn=say,
                   input_format=args.input_format)
    _emit_to_a_reader(args, fmt, report, formats.REPORT)
    _run_line(_count(len(report.references), "{n} reference", "{n} references"),
              report.summary.with_doi, report.run,
              settings)
    return EXIT_CODES[report.outcome]


def _emit_to_a_reader(args: argparse.Namespace, fmt: str, subject: Report | Catalogue,
                      of: str) -> None:
    """`_emit`; a reader that stopped reading (`| head`) leaves the rest unsaid, and the exit
    code is still the outcome's: a pipe closed early never turns a failed list into a pass."""
    try:
        _emit(args, fmt, subject, of)
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing more to say


def _emit(args: argparse.Namespace, fmt: str, subject: Report | Catalogue, of: str) -> None:
    """Write the report to -o FILE and its companions (never over an input), or to standard
    output — where a single list's CSV carries its scorecard as a second section."""
    if args.output and args.output != "-":  # `-o -`: standard output, as `-` is for input
        out = Path(args.output)
        if args.output.endswith(("/", os.sep)) or out.is_dir():
            raise AuditorError(f"-o {args.output} is a folder: name the report's file")
        try:  # a stream as it is named (/dev/stdout resolves to no file when it is a pipe)
            made = formats.files(subject, out if formats.is_stream(out) else out.resolve(),
                                 fmt, of, sort=args.sort)
            inputs = {Path(p).resolve() for p in (args.index, args.retraction_watch)
                      if p and p != "auto"}
            inputs.update(path.resolve() for path in find_reference_files(
                [p for p in args.paths if p != "-"])[0])
        except (OSError, RuntimeError) as exc:  # a name too long, a loop of symbolic links
            raise AuditorError(f"cannot write {args.output}: {exc}") from None
        if inputs & made.keys():
            raise AuditorError(f"-o {args.output} would overwrite an input file")
        for target, data in made.items():
            try:
                formats.save(target, data)
            except BrokenPipeError:
                raise
            except OSError as exc:
                raise AuditorError(f"cannot write {target}: {exc.strerror or exc}") from None
        return
    if fmt == "table":
        tty = sys.stdout.isatty()
        # the terminal's width; $COLUMNS, else 100, when the output goes to a pipe or a file
        width = shutil.get_terminal_size((100, 24)).columns
        text = formats.render(subject, fmt, of, sort=args.sort,
                              color=tty and "NO_COLOR" not in os.environ, width=width)
    elif fmt == "csv" and isinstance(subject, Report):
        text = as_csv.render_with_summary(subject)
    else:
        for piece in formats.pieces(subject, fmt, of, sort=args.sort):
            sys.stdout.write(piece)
        sys.stdout.flush()
        return
    sys.stdout.write(text)
    sys.stdout.flush()


def _count(n: int, one: str, many: str) -> str:
    return n_(one, many, n).format(n=n)


def _run_line(what: str, with_doi: int, run: RunFigures, settings: Settings) -> None:
    """The one-line run summary on standard error."""
    say(_("{what}, {with_doi} with a DOI; {run}").format(
        what=what, with_doi=with_doi, run=run_sentence(run, settings.offline)))


def _cache(args: argparse.Namespace) -> int:
    """`auditor cache info` / `auditor cache clear`."""
    settings = load_settings({"cache_dir": args.cache_dir})
    path = settings.cache_path()
    if not path.exists():
        print(f"no cache yet at {path}")
        return EXIT_PASSED
    try:
        cache = Cache(path, found_ttl=settings.cache_days * DAY,
                      not_found_ttl=settings.not_found_cache_days * DAY)
    except (OSError, sqlite3.Error) as exc:
        raise AuditorError(f"cache {path} cannot be opened ({exc})") from None
    try:
        if args.cache_command == "clear":
            print(f"cleared {cache.clear()} answers from {path}")
            return EXIT_PASSED
        size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
        print(f"cache: {path} ({size / 1e6:.1f} MB); found answers kept "
              f"{settings.cache_days:g} days, \"not found\" answers "
              f"{settings.not_found_cache_days:g} days")
        rows = cache.stats()
        if not rows:
            print("  empty")
        for row in rows:
            oldest = dt.datetime.fromtimestamp(float(row["oldest"]), dt.UTC).date()
            newest = dt.datetime.fromtimestamp(float(row["newest"]), dt.UTC).date()
            print(f"  {row['server']}: {row['found']} found, {row['not_found']} not found "
                  f"({row['fresh']} still fresh), from {oldest} to {newest}")
    finally:
        cache.close()
    return EXIT_PASSED


def _serve(args: argparse.Namespace) -> int:
    """`auditor serve`: the page until Ctrl-C."""
    from auditor.web.server import serve

    if args.max_upload_mb <= 0:
        raise AuditorError("--max-upload-mb must be more than 0")
    serve(load_settings(settings_flags(args)), host=args.host, port=args.port,
          lang=args.lang or language_from_environment(), open_browser=not args.no_browser,
          max_upload=int(args.max_upload_mb * 1024 * 1024), allowed=args.allow_host, say=say)
    return EXIT_PASSED


def _codes() -> int:
    for code in codes.documented_codes():
        print(f"{code.code}  {code.name:<24} {code.severity:<8} {code.summary}")
    return EXIT_PASSED


def _join_sort_value(argv: list[str]) -> list[str]:
    """`--sort -recent_share` → `--sort=-recent_share`: argparse would take the descending
    column for an option."""
    joined: list[str] = []
    for i, arg in enumerate(argv):
        if i and argv[i - 1] == "--sort" and arg.startswith("-") and joined:
            joined[-1] = f"--sort={arg}"
        else:
            joined.append(arg)
    return joined


def _terminated(signal_number: int, _frame: object) -> None:
    """SIGTERM (a CI's timeout, `kill`) ends the run as Ctrl-C does, through every cleanup: no
    half-written report is left under another name."""
    raise SystemExit(128 + signal_number)


def main(argv: Sequence[str] | None = None) -> int:
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminated)
    parser = _parser()
    args = parser.parse_args(_join_sort_value(list(sys.argv[1:] if argv is None else argv)))
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="replace")
    with use_language(getattr(args, "lang", None) or language_from_environment()):
        return _run(parser, args)


def _run(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    """The command asked for, every error a user can cause said in one line."""
    try:
        if args.command == "check":
            return _check(args)
        if args.command == "fix":
            return run_fix(args)
        if args.command == "codes":
            return _codes()
        if args.command == "cache":
            return _cache(args)
        if args.command == "serve":
            return _serve(args)
        if args.command in ("index", "retractions"):
            return run_index(args)
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    except AuditorError as exc:
        hint = _("; if it is in one of these formats, name it with --input-format: "
                 "{formats}").format(formats=", ".join((*TEXT_FORMATS, *DOCUMENT_FORMATS)))
        say(_("error: {why}").format(why=exc) + (hint if isinstance(exc, UnknownFormat) else ""))
        return EXIT_USAGE
    except KeyboardInterrupt:
        say(_("interrupted"))
        return 130
    except BrokenPipeError:
        return EXIT_PASSED
    except Exception as exc:  # a bug of ours: one line, the traceback only on request
        if stopped_by_ctrl_c(exc):
            say(_("interrupted"))
            return 130
        if os.environ.get("AUDITOR_DEBUG"):
            raise
        say(f"internal error: {type(exc).__name__}: {exc} (a bug: please report it; "
                "set AUDITOR_DEBUG=1 to see the traceback)")
        return EXIT_INTERNAL
