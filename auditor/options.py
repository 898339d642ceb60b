"""The command line's shared options, defined once: the parent parsers every command that reads
the registries takes (`check`, `fix`), how parsed flags become settings, and the defaults their
help shows — read from Settings, so that a default is said in one place.

The library never imports this module (it is argparse's side of the house).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from dataclasses import fields
from typing import Any, NoReturn

from auditor.config import (
    DEFAULT_CROSSREF_URL,
    DEFAULT_DATACITE_URL,
    DEFAULT_DOAJ_URL,
    DEFAULT_NCBI_URL,
    Settings,
)

EXIT_USAGE = 2  # a usage mistake or an unreadable input: one line on stderr
_SETTINGS = frozenset(f.name for f in fields(Settings)) - {"origins"}
_DEFAULTS = {f.name: f.default for f in fields(Settings)
             if not isinstance(f.default, type(dataclasses.MISSING))}


def say(message: str) -> None:
    """One line for the user on standard error (the report alone goes to standard output)."""
    print(f"auditor: {message}", file=sys.stderr)


def default(name: str) -> str:
    """A setting's default as the help says it: `20` for the timeout, `5` for recent years
    (a setting without a plain default, such as the as-of date, has none to say)."""
    value = _DEFAULTS[name]
    if isinstance(value, tuple):
        return ", ".join(value) or "nothing"
    return f"{value:g}" if isinstance(value, float) else str(value)


class Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line on stderr (exit 2), as for any other error."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"auditor: error: {message} (see `{self.prog} --help`)\n")


def add_as_of(parser: argparse.ArgumentParser | Any) -> None:
    """`--as-of YYYY-MM-DD`, the date ages are measured at (a parser or an argument group)."""
    parser.add_argument("--as-of", metavar="YYYY-MM-DD",
                        help="date at which ages are measured (default: today)")


def cache_options() -> Parser:
    options = Parser(add_help=False)
    options.add_argument(
        "--cache-dir", metavar="DIR",
        help="cache directory (env AUDITOR_CACHE_DIR; default: the user cache dir)")
    return options


def registry_options() -> Parser:
    """The registries' options, shared by `check` and `fix`."""
    options = Parser(add_help=False)
    net = options.add_argument_group("Crossref")
    net.add_argument("--mailto", metavar="EMAIL",
                     help="contact address for Crossref's polite pool (env AUDITOR_MAILTO)")
    net.add_argument("--crossref-url", metavar="URL",
                     help="Crossref API base URL (env AUDITOR_CROSSREF_URL; default "
                          f"{DEFAULT_CROSSREF_URL})")
    net.add_argument("--datacite-url", metavar="URL",
                     help="DataCite API base URL, for DOIs Crossref does not know (env "
                          f"AUDITOR_DATACITE_URL; default {DEFAULT_DATACITE_URL})")
    net.add_argument("--ncbi-url", metavar="URL",
                     help="NCBI E-utilities base URL, for --pubmed (env AUDITOR_NCBI_URL; default "
                          f"{DEFAULT_NCBI_URL}); an API key in env NCBI_API_KEY raises PubMed's "
                          "limit from 3 to 10 requests/s")
    net.add_argument("--doaj-url", metavar="URL",
                     help="DOAJ API base URL, for the journal lists (env AUDITOR_DOAJ_URL; "
                          f"default {DEFAULT_DOAJ_URL})")
    net.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    net.add_argument("--refresh", action="store_true",
                     help="ask Crossref again for every DOI (the answers still go to the cache)")
    net.add_argument("--offline", action="store_true",
                     help="use only the cache; what it lacks is reported unchecked")
    net.add_argument("--timeout", type=float, metavar="SECONDS",
                     help=f"read timeout per request (default: {default('timeout')})")
    net.add_argument("--retries", type=int, metavar="N",
                     help="retries after a 429, 5xx, timeout or broken answer (default: "
                          f"{default('max_retries')})")
    local = options.add_argument_group("local index (auditor index build)")
    local.add_argument("--index", metavar="INDEX",
                       help="resolve DOIs from this local index of Crossref works, with no "
                            "request (env AUDITOR_INDEX); a DOI it lacks is asked on the API")
    local.add_argument("--index-only", action="store_true", default=None,
                       help="with --index: ask no server; a DOI the index lacks is unchecked "
                            "(not in the local index), PubMed and the journal lists are read "
                            "from the cache alone")
    local.add_argument("--jobs", type=int, metavar="N",
                       help="processes sharing a catalogue checked with --index-only (env "
                            "AUDITOR_JOBS; default 0: one per core)")
    local.add_argument("--retraction-watch", metavar="CSV|auto",
                       help="also read the notices of Retraction Watch's list (the CSV Crossref "
                            "publishes; auto: the copy `auditor retractions update` keeps; env "
                            "AUDITOR_RETRACTION_WATCH)")
    return options


# Flags whose name is not the setting's, and switches that only ever turn a setting one way.
_RENAMED = {"retries": "max_retries"}
_SWITCHES = {"no_cache": ("use_cache", False), "offline": ("offline", True),
             "refresh": ("refresh", True)}


def settings_flags(args: argparse.Namespace) -> dict[str, Any]:
    """The settings the user gave on the command line (None: not given), from any command's
    parsed flags: a flag is a setting when its name (or _RENAMED's) is one."""
    given: dict[str, Any] = {}
    for name, value in vars(args).items():
        if name in _SWITCHES:
            setting, on = _SWITCHES[name]
            given[setting] = on if value else None
        elif _RENAMED.get(name, name) in _SETTINGS:
            given[_RENAMED.get(name, name)] = value
    return given
