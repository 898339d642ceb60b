"""`auditor index build SOURCE... -o INDEX` and `auditor index info INDEX`: the command line
over auditor/index (a thin layer: the work is build_index and LocalIndex)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from typing import Any

from auditor.config import load_settings
from auditor.errors import AuditorError
from auditor.i18n import _, n_
from auditor.index.build import build_index
from auditor.index.local import LocalIndex
from auditor.index.retraction_watch import DEFAULT_URL, update_list
from auditor.index.sources import Unit
from auditor.options import say, settings_flags


def add_index_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Define `index build` and `index info` on `subparsers` (what add_subparsers() gave)."""
    index = subparsers.add_parser(
        "index", help="build or describe a local index of Crossref works (offline, no limits)",
        description="A local index of Crossref works, built from Crossref's public data file "
                    "(or a Metadata Plus snapshot), resolves DOIs with no request: "
                    "`auditor check --index INDEX`.")
    commands = index.add_subparsers(dest="index_command", metavar="COMMAND", required=True)
    build = commands.add_parser(
        "build", help="build an index from the public data file or other work records",
        description="Stream Crossref work records into a local index: a folder of the "
                    "public data file (N.jsonl.gz, or N.json.gz up to 2024), a Plus snapshot "
                    ".tar, or .json/.jsonl files (gzipped or not). An interrupted build "
                    "starts again where it stopped when run again.")
    build.add_argument("sources", nargs="+", metavar="SOURCE",
                       help="a folder, a .tar snapshot or a file of work records")
    build.add_argument("-o", "--output", required=True, metavar="INDEX",
                       help="the index file to write (DuckDB), e.g. crossref-2026.duckdb")
    build.set_defaults(index_run=_build)
    info = commands.add_parser("info", help="what an index holds: records, snapshot date, size")
    info.add_argument("index", metavar="INDEX")
    info.add_argument("--json", action="store_true", help="print it as JSON")
    info.set_defaults(index_run=_info)
    return index


def add_retractions_parser(subparsers: Any, parents: Sequence[argparse.ArgumentParser]
                           ) -> argparse.ArgumentParser:
    """Define `retractions update`: download Retraction Watch's list, kept with its date."""
    retractions = subparsers.add_parser(
        "retractions", help="keep a copy of Retraction Watch's list (--retraction-watch auto)",
        description="Retraction Watch's database, published by Crossref as a CSV updated every "
                    "working day: `update` downloads it beside the cache, and `auditor check "
                    "--retraction-watch auto` reads that copy.")
    commands = retractions.add_subparsers(dest="retractions_command", metavar="COMMAND",
                                          required=True)
    update = commands.add_parser("update", parents=list(parents),
                                 help="download the list (about 50 MB)")
    update.add_argument("--url", default=DEFAULT_URL,
                        help=f"where to download it from (default: {DEFAULT_URL})")
    update.set_defaults(index_run=_update)
    return retractions


def _update(args: argparse.Namespace) -> int:
    listed = update_list(load_settings(settings_flags(args)), args.url)
    say(_("Retraction Watch's list: {rows} rows, {problems} of them unreadable, a copy of "
          "{date} kept at {path}; use it with --retraction-watch auto").format(
        rows=listed.rows, problems=len(listed.problems), date=listed.as_of, path=listed.path))
    return 0


def run_index(args: argparse.Namespace) -> int:
    """The `index` subcommand; AuditorErrors go up to the CLI (one line, exit 2)."""
    return int(args.index_run(args))


def _build(args: argparse.Namespace) -> int:
    if not args.output.strip() or args.output.endswith(("/", "\\")):
        raise AuditorError(_("-o needs the name of the index file to write"))
    started = time.monotonic()
    shown = [0.0]
    rewriting = sys.stderr.isatty()  # one line rewritten on a terminal; a line every 10 s in a log
    open_line = [""]  # the step whose line is being rewritten ("": none)

    def show(step: str, text: str, last: bool = False) -> None:
        now = time.monotonic()
        if rewriting or now - shown[0] >= 10 or last:
            shown[0] = now
            if open_line[0] not in ("", step):
                print(file=sys.stderr)  # the files' last line is kept above the next step's
            open_line[0] = "" if last or not rewriting else step
            print(text, end="\r" if rewriting and not last else "\n", file=sys.stderr,
                  flush=True)

    earlier = [0]  # records kept by an earlier run: not read by this one, not in its rate

    def on_start(records: int, units: int) -> None:
        earlier[0] = records
        if records or units:
            say(n_("resuming: an earlier run kept {records} records and finished {units} file",
                   "resuming: an earlier run kept {records} records and finished {units} files",
                   units).format(units=units, records=records))

    def on_unit(unit: Unit, records: int, done: int) -> None:
        rate = (records - earlier[0]) / max(time.monotonic() - started, 1e-9)
        show("files", n_("{done} file, {records} records ({rate} records/s) — {unit}",
                "{done} files, {records} records ({rate} records/s) — {unit}", done).format(
            done=done, records=records, rate=round(rate), unit=unit.name))

    def on_packed(packed: int, records: int) -> None:  # the last step, which reads no file
        show("packing", _("last step: {packed} of {records} records packed; then the words of the "
               "titles").format(packed=packed, records=records), last=packed == records)

    try:
        built = build_index(args.sources, args.output, on_start=on_start, on_unit=on_unit,
                            on_packed=on_packed)
    finally:  # the line being rewritten ended, before what is said next (Ctrl-C too)
        if open_line[0]:
            print(file=sys.stderr)
    say(_("built {index}: {records} records; files read: {units}, of them {resumed} by an "
          "earlier run; snapshot of {snapshot}; {seconds} s").format(
        index=args.output, records=built.records, units=built.units, resumed=built.resumed,
        snapshot=built.snapshot or "?", seconds=round(built.seconds, 1)))
    return 0


def _info(args: argparse.Namespace) -> int:
    with LocalIndex(args.index) as index:
        info = index.info()
    if args.json:
        print(json.dumps(info.to_dict(), indent=2))
        return 0
    print(_("{path}: {records} records, snapshot of {snapshot} (newest record created), "
            "built {built}, {megabytes} MB ({per_record} bytes per record)").format(
        path=info.path, records=info.records, snapshot=info.snapshot or "?",
        built=info.built or "?", megabytes=round(info.size_bytes / 1e6, 1),
        per_record=info.to_dict()["bytes_per_record"] or 0))
    return 0
