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
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auditor.errors import ConfigError

DEFAULT_CROSSREF_URL = "https://api.crossref.org"
DEFAULT_DATACITE_URL = "https://api.datacite.org"
ENVIRONMENT = {
    "mailto": "AUDITOR_MAILTO",
    "crossref_url": "AUDITOR_CROSSREF_URL",
    "cache_dir": "AUDITOR_CACHE_DIR",
    "datacite_url": "AUDITOR_DATACITE_URL",
    "ncbi_url": "AUDITOR_NCBI_URL",
    "ncbi_api_key": "NCBI_API_KEY",
}
DEFAULT_NCBI_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
STATUSES = ("retracted", "withdrawn", "removed", "partially-retracted", "expression-of-concern",
            "corrected")
FAIL_ON_CHOICES = (*STATUSES, "not-found", "mismatch", "invalid-doi", "unchecked", "unreadable",
                   "no-identifier", "preprint", "not-peer-reviewed", "outdated-guideline",
                   "missing-year", "future-year", "not-recent")
# The policy: what `--explain-policy` shows, and what decides the exit code.
POLICY_FIELDS = ("recent_years", "guideline_years", "min_recent_share",
                 "min_peer_reviewed_share", "max_median_age", "fail_on", "warn_on")


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
    fail_on: tuple[str, ...] = ("retracted",)
    warn_on: tuple[str, ...] = ("withdrawn", "removed", "expression-of-concern", "not-found",
                                "mismatch", "outdated-guideline")
    guideline_years: int = 5
    min_recent_share: float | None = None
    min_peer_reviewed_share: float | None = None
    max_median_age: float | None = None
    pubmed: bool = False
    ncbi_url: str = DEFAULT_NCBI_URL
    ncbi_api_key: str | None = field(default=None, repr=False)
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


def _convert(name: str, value: Any, origin: str) -> Any:
    """Check and convert one raw value (from a flag, the environment or a file)."""
    try:
        if name == "as_of":
            if isinstance(value, dt.date):
                return value
            return dt.date.fromisoformat(str(value).strip())
        if name in ("min_recent_share", "min_peer_reviewed_share"):
            return _share(value)
        if name == "max_median_age":
            if value is None or (isinstance(value, str) and value.strip().lower() in (
                    "", "none")):
                return None
            number = _number(value)
            if number < 0:
                raise ValueError("give a number of years, 0 or more")
            return number
        if name == "ncbi_api_key":
            return str(value).strip() or None
        if name in ("recent_years", "guideline_years", "max_retries"):
            whole = _whole(value)
            if whole < 0:
                raise ValueError("give a whole number, 0 or more")
            return whole
        if name in ("cache_days", "not_found_cache_days"):
            number = _number(value)
            if number < 0:
                raise ValueError
            return number
        if name in ("connect_timeout", "timeout", "backoff_base"):
            number = _number(value)
            if number <= 0:
                raise ValueError
            return number
        if name in ("use_cache", "offline", "refresh", "pubmed"):
            if isinstance(value, str):
                word = value.strip().lower()
                if word not in ("1", "true", "yes", "on", "0", "false", "no", "off"):
                    raise ValueError("give true or false")
                return word in ("1", "true", "yes", "on")
            if not isinstance(value, bool):
                raise ValueError("give true or false")
            return value
        if name == "cache_dir":
            return Path(os.path.expanduser(str(value))) if value not in (None, "") else None
        if name in ("crossref_url", "datacite_url", "ncbi_url"):
            url = str(value).strip().rstrip("/")
            if not url.startswith(("http://", "https://")):
                raise ValueError
            return url
        if name == "mailto":
            text = str(value).strip()
            if text and "@" not in text:
                raise ValueError
            return text or None
        if name in ("fail_on", "warn_on"):
            items = value.split(",") if isinstance(value, str) else list(value)
            items = [str(i).strip() for i in items if str(i).strip()]
            unknown = [i for i in items if i not in FAIL_ON_CHOICES]
            if unknown:
                raise ValueError(f"unknown value(s) {', '.join(unknown)}; choose from "
                                 f"{', '.join(FAIL_ON_CHOICES)}")
            return tuple(items)
    except (TypeError, ValueError) as exc:
        detail = f": {exc}" if str(exc) else ""
        raise ConfigError(f"invalid {name.replace('_', '-')} {value!r} from {origin}{detail}"
                          ) from None
    return value


def _number(value: Any) -> float:
    """A finite number; true/false, NaN and infinities are mistakes, not numbers."""
    if isinstance(value, bool):
        raise ValueError("give a number, not true/false")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError("give a finite number")
    return number


def _whole(value: Any) -> int:
    """A whole number: 5 or "5"; 2.5, true and "five" are mistakes."""
    number = _number(value)
    if number != int(number):
        raise ValueError("give a whole number")
    return int(number)


def _share(value: Any) -> float | None:
    """A share from 0 to 1; "80%" and "80 %" are read as 0.8; none/empty turns the rule off."""
    if value is None or (isinstance(value, str) and value.strip().lower() in ("", "none")):
        return None
    if isinstance(value, str) and value.strip().endswith("%"):
        number = _number(value.strip().rstrip("%").strip()) / 100
    else:
        number = _number(value)
    if not 0 <= number <= 1:
        raise ValueError("give a share from 0 to 1 (0.8, or \"80%\", for 80 %)")
    return number


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
            raise ConfigError(f"unknown setting {name!r}")
        values[name] = _convert(name, raw, flags_origin)
        origins[name] = flags_origin
    for name in _FIELDS:
        origins.setdefault(name, "default")
    return Settings(**values, origins=origins)


def with_overrides(settings: Settings, overrides: Mapping[str, Any]) -> Settings:
    """A copy of `settings` with some values replaced (checked like any other source)."""
    unknown = [k for k in overrides if k not in _FIELDS]
    if unknown:
        raise ConfigError(f"unknown setting(s) {', '.join(unknown)}")
    values = {k: _convert(k, v, "the arguments") for k, v in overrides.items() if v is not None}
    origins = {**settings.origins, **dict.fromkeys(values, "the arguments")}
    return dataclasses.replace(settings, **values, origins=origins)
