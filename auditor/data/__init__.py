"""The rule tables (TOML) the judges and the readers of registry records use, loaded once per
process: they are read-only data, and a rule is data where it can be."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib.resources import files
from typing import Any


@cache
def load_table(name: str) -> dict[str, Any]:
    """`load_table("kinds")` reads auditor/data/kinds.toml."""
    return tomllib.loads(files("auditor.data").joinpath(f"{name}.toml").read_text("utf-8"))


@cache
def compiled(name: str, section: str, key: str = "patterns") -> tuple[re.Pattern[str], ...]:
    """The regex list `section.key` of a table, compiled case-insensitively."""
    patterns = load_table(name)[section][key]
    if isinstance(patterns, str):
        patterns = [patterns]
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)
