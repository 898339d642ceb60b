"""One Settings object, built from flags > environment > config file > defaults.

The config file is the first `auditor.toml` (top-level keys or `[tool.auditor]`) or
`pyproject.toml` with a `[tool.auditor]` table found from the current directory upwards.
`Settings.origins` records where each value came from, for `--explain-policy` and error messages.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auditor.errors import ConfigError
from auditor.vocabulary import Condition, PeerReviewSignal

DEFAULT_CROSSREF_URL = "https://api.crossref.org"
DEFAULT_DATACITE_URL = "https://api.datacite.org"
DEFAULT_NCBI_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
DEFAULT_DOAJ_URL = "https://doaj.org/api"
ENVIRONMENT = {
    "mailto": "AUDITOR_MAILTO",
    "crossref_url": "AUDITOR_CROSSREF_URL",
    "cache_dir": "AUDITOR_CACHE_DIR",
    "datacite_url": "AUDITOR_DATACITE_URL",
    "ncbi_url": "AUDITOR_NCBI_URL",
    "ncbi_api_key": "NCBI_API_KEY",
    "doaj_url": "AUDITOR_DOAJ_URL",
    "index": "AUDITOR_INDEX",
    "retraction_watch": "AUDITOR_RETRACTION_WATCH",
    "jobs": "AUDITOR_JOBS",
}
FAIL_ON_CHOICES = tuple(Condition)
# The policy: what `--explain-policy` shows, and what decides the exit code.
POLICY_FIELDS = ("recent_years", "guideline_years", "min_recent_share",
                 "min_peer_reviewed_share", "max_median_age", "fail_on", "warn_on",
                 "min_checked_share", "peer_review_requires")


@dataclass(frozen=True)
class Settings:
    """Everything a run depends on; passed down explicitly (no global state)."""

    as_of: dt.date = field(default_factory=dt.date.today)
    recent_years: int = 5
    mailto: str | None = None
    crossref_url: str = DEFAULT_CROSSREF_URL
    datacite_url: str = DEFAULT_DATACITE_URL
    cache_dir: Path | None = None
    use_cache: bool = True
    offline: bool = False
    refresh: bool = False
    cache_days: float = 30.0
    not_found_cache_days: float = 1.0
    connect_timeout: float = 5.0
    timeout: float = 20.0
    max_retries: int = 3
    backoff_base: float = 1.0
    fail_on: tuple[Condition, ...] = (Condition.RETRACTED,)
    warn_on: tuple[Condition, ...] = (Condition.WITHDRAWN, Condition.REMOVED,
                                      Condition.EXPRESSION_OF_CONCERN, Condition.NOT_FOUND,
                                      Condition.MISMATCH, Condition.OUTDATED_GUIDELINE)
    guideline_years: int = 5
    min_recent_share: float | None = None
    min_peer_reviewed_share: float | None = None
    max_median_age: float | None = None
    pubmed: bool = False
    ncbi_url: str = DEFAULT_NCBI_URL
    ncbi_api_key: str | None = field(default=None, repr=False)
    # Below this share of the references that could be checked answered, the outcome is
    # incomplete (exit code 4), never passed.
    min_checked_share: float = 0.95
    # The weakest peer-review signal that counts as peer reviewed in the share and the
    # not-peer-reviewed condition: issn (journal-level), indexed (MEDLINE, DOAJ), asserted.
    peer_review_requires: PeerReviewSignal = PeerReviewSignal.ISSN
    journals: bool = True  # ask the NLM Catalog and DOAJ about each journal
    doaj_url: str = DEFAULT_DOAJ_URL
    index: Path | None = None  # a local index of Crossref works (auditor index build)
    index_only: bool = False  # with an index: never ask the API
    retraction_watch: Path | None = None  # Retraction Watch's CSV, a second source of notices
    # Processes sharing a catalogue checked from the index alone (auditor/workers.py); 0: one
    # per core.
    jobs: int = 0
    origins: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    def cache_path(self) -> Path:
        """The SQLite file: `--cache-dir`/AUDITOR_CACHE_DIR, else the user cache directory."""
        if self.cache_dir is not None:
            return Path(self.cache_dir) / "crossref.sqlite3"
        import platformdirs

        return Path(platformdirs.user_cache_dir("auditor", appauthor=False)) / "crossref.sqlite3"


_FIELDS = {f.name: f for f in dataclasses.fields(Settings) if f.name != "origins"}
# Run-time switches that make no sense in a shared config file.
_NOT_IN_FILES = {"refresh", "offline", "ncbi_api_key"}


def find_config_file(start: Path) -> tuple[Path, dict[str, Any]] | None:
    """The nearest auditor.toml, or pyproject.toml holding [tool.auditor], from `start` upwards."""
    for folder in (start, *start.parents):
        for name in ("auditor.toml", "pyproject.toml"):
            path = folder / name
            if not path.is_file():
                continue
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
                raise ConfigError(f"{path}: cannot read settings ({exc})") from None
            table = data.get("tool", {}).get("auditor")
            if table is None and name == "auditor.toml":
                table = {k: v for k, v in data.items() if k != "tool"}
            if table is not None:
                return path, table
    return None


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError("use YYYY-MM-DD, e.g. 2026-03-12") from None


def _number(value: Any) -> float:
    """A finite number; true/false, NaN and infinities are mistakes, not numbers."""
    if isinstance(value, bool):
        raise ValueError("give a number, not true/false")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError("give a finite number")
    return number


def _whole(value: Any) -> int:
    """A whole number, 0 or more: 5 or "5"; 2.5, -1, true and "five" are mistakes."""
    number = _number(value)
    if number != int(number):
        raise ValueError("give a whole number")
    if number < 0:
        raise ValueError("give a whole number, 0 or more")
    return int(number)


def _at_least_zero(value: Any) -> float:
    number = _number(value)
    if number < 0:
        raise ValueError("give a number, 0 or more")
    return number


def _positive(value: Any) -> float:
    number = _number(value)
    if number <= 0:
        raise ValueError("give a number above 0")
    return number


def _off(value: Any) -> bool:
    """None, "", "none": a rule turned off."""
    return value is None or (isinstance(value, str) and value.strip().lower() in ("", "none"))


def _share(value: Any) -> float | None:
    """A share from 0 to 1; "80%" and "80 %" are read as 0.8; none/empty turns the rule off."""
    if _off(value):
        return None
    if isinstance(value, str) and value.strip().endswith("%"):
        number = _number(value.strip().rstrip("%").strip()) / 100
    else:
        number = _number(value)
    if not 0 <= number <= 1:
        raise ValueError("give a share from 0 to 1 (0.8, or \"80%\", for 80 %)")
    return number


def _years_or_off(value: Any) -> float | None:
    return None if _off(value) else _at_least_zero(value)


_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        word = value.strip().lower()
        if word not in _TRUE + _FALSE:
            raise ValueError("give true or false")
        return word in _TRUE
    if not isinstance(value, bool):
        raise ValueError("give true or false")
    return value


def _url(value: Any) -> str:
    url = str(value).strip().rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise ValueError("give an http(s) URL")
    return url


def _mailto(value: Any) -> str | None:
    text = str(value).strip()
    if text and "@" not in text:
        raise ValueError("give an e-mail address")
    return text or None


def _folder(value: Any) -> Path | None:
    return Path(os.path.expanduser(str(value))) if value not in (None, "") else None


def _conditions(value: Any) -> tuple[Condition, ...]:
    items = value.split(",") if isinstance(value, str) else list(value)
    items = [str(i).strip() for i in items if str(i).strip()]
    unknown = [i for i in items if i not in FAIL_ON_CHOICES]
    if unknown:
        raise ValueError(f"unknown value(s) {', '.join(unknown)}; choose from "
                         f"{', '.join(FAIL_ON_CHOICES)}")
    return tuple(Condition(i) for i in items)


def _required_share(value: Any) -> float:
    share = _share(value)
    if share is None:
        raise ValueError("give a share from 0 to 1")
    return share


_SIGNALS = tuple(s for s in PeerReviewSignal if s is not PeerReviewSignal.NONE)


def _signal(value: Any) -> PeerReviewSignal:
    text = str(value).strip().lower()
    if text not in _SIGNALS:
        raise ValueError(f"choose from {', '.join(_SIGNALS)}")
    return PeerReviewSignal(text)


def _secret(value: Any) -> str | None:
    return str(value).strip() or None


# How each setting is checked and converted from a flag, the environment or a file.
CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "as_of": _date, "recent_years": _whole, "guideline_years": _whole, "max_retries": _whole,
    "mailto": _mailto, "crossref_url": _url, "datacite_url": _url, "ncbi_url": _url,
    "cache_dir": _folder, "use_cache": _flag, "offline": _flag, "refresh": _flag,
    "pubmed": _flag, "cache_days": _at_least_zero, "not_found_cache_days": _at_least_zero,
    "connect_timeout": _positive, "timeout": _positive, "backoff_base": _positive,
    "fail_on": _conditions, "warn_on": _conditions, "min_recent_share": _share,
    "min_peer_reviewed_share": _share, "max_median_age": _years_or_off,
    "ncbi_api_key": _secret, "min_checked_share": _required_share,
    "peer_review_requires": _signal, "journals": _flag, "doaj_url": _url,
    "index": _folder, "index_only": _flag, "retraction_watch": _folder, "jobs": _whole,
}


def _convert(name: str, value: Any, origin: str) -> Any:
    """Check and convert one raw value (from a flag, the environment or a file)."""
    try:
        return CONVERTERS[name](value)
    except (TypeError, ValueError) as exc:
        detail = f": {exc}" if str(exc) else ""
        raise ConfigError(f"invalid {name.replace('_', '-')} {value!r} from {origin}{detail}"
                          ) from None


def load_settings(flags: Mapping[str, Any] | None = None, *,
                  environ: Mapping[str, str] | None = None, cwd: Path | None = None,
                  read_config_file: bool = True, flags_origin: str = "the command line"
                  ) -> Settings:
    """Merge the sources; `flags` holds only what the user gave (None means "not given")."""
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    if read_config_file:
        found = find_config_file((cwd or Path.cwd()).resolve())
        if found:
            path, table = found
            for key, raw in table.items():
                name = key.replace("-", "_")
                if name == "ncbi_api_key":
                    raise ConfigError(f"{path}: {key} is a secret and is read only from the "
                                      "NCBI_API_KEY environment variable, never from a file")
                if name not in _FIELDS or name in _NOT_IN_FILES:
                    raise ConfigError(f"{path}: unknown setting {key!r} (known: "
                                      f"{', '.join(sorted(set(_FIELDS) - _NOT_IN_FILES))})")
                values[name] = _convert(name, raw, str(path))
                origins[name] = str(path)
    for name, variable in ENVIRONMENT.items():
        if environ.get(variable):
            values[name] = _convert(name, environ[variable], f"${variable}")
            origins[name] = f"${variable}"
    for name, raw in (flags or {}).items():
        if raw is None:
            continue
        if name not in _FIELDS:
            raise ConfigError(f"unknown setting {name!r}{_did_you_mean(name)}")
        values[name] = _convert(name, raw, flags_origin)
        origins[name] = flags_origin
    for name in _FIELDS:
        origins.setdefault(name, "default")
    return Settings(**values, origins=origins)


def _did_you_mean(name: str) -> str:
    """` (did you mean 'max_retries'?)` for `retries`: the setting whose name holds the word
    given, else the closest spelling."""
    import difflib

    words = [f for f in _FIELDS if name in f.split("_") or f.endswith("_" + name)]
    close = words[:1] or difflib.get_close_matches(name, list(_FIELDS), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def with_overrides(settings: Settings, overrides: Mapping[str, Any]) -> Settings:
    """A copy of `settings` with some values replaced (checked like any other source)."""
    unknown = [k for k in overrides if k not in _FIELDS]
    if unknown:
        raise ConfigError("; ".join(f"unknown setting {k!r}{_did_you_mean(k)}" for k in unknown))
    values = {k: _convert(k, v, "the arguments") for k, v in overrides.items() if v is not None}
    origins = {**settings.origins, **dict.fromkeys(values, "the arguments")}
    return dataclasses.replace(settings, **values, origins=origins)
