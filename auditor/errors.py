"""Errors a user can cause. The CLI turns each into one line on stderr and exit code 2."""

from __future__ import annotations


class AuditorError(Exception):
    """Base of every error the auditor raises on purpose."""


class InputError(AuditorError):
    """An input cannot be read at all (missing file, unknown format, no references in it)."""


class ConfigError(AuditorError):
    """A setting is invalid (bad date, negative years, unreadable auditor.toml)."""
