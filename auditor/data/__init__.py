"""The rule tables (TOML) the judges and the readers of registry records use, loaded once per
process: they are read-only data, and a rule is data where it can be."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib.resources import files
from typing import Any

from auditor.data.caseless import Caseless


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


_GROUP_REFERENCE = re.compile(r"\\[1-9]|\(\?P[<=]")


def either(patterns: tuple[str, ...]) -> Caseless | None:
    """One pattern matching wherever one of `patterns` does, case-insensitively: one search
    tells whether any rule can apply, instead of one search per rule. None when they cannot be
    joined (a group referred to by number or name would change meaning)."""
    if any(_GROUP_REFERENCE.search(p) for p in patterns):
        return None
    try:
        return Caseless("|".join(f"(?:{p})" for p in patterns))
    except re.error:  # a pattern with flags of its own, say
        return None


@cache
def any_of(name: str, section: str, key: str = "patterns") -> Caseless | None:
    """`either` of the regex list `section.key` of a table."""
    patterns = load_table(name)[section][key]
    return either((patterns,) if isinstance(patterns, str) else tuple(patterns))
