"""Errors a user can cause. The CLI turns each into one line on stderr and exit code 2."""

from __future__ import annotations

from auditor.i18n import in_language


class AuditorError(Exception):
    """Base of every error the auditor raises on purpose. Its message may be a `Said`:
    `str(error)` says it in the language of the moment, `error.english` as written."""

    def __str__(self) -> str:
        message = self.args[0] if len(self.args) == 1 else None
        return in_language(message) if isinstance(message, str) else super().__str__()

    @property
    def english(self) -> str:
        return str(self.args[0]) if len(self.args) == 1 else super().__str__()


class InputError(AuditorError):
    """An input cannot be read at all (missing file, unknown format, no references in it)."""


class UnknownFormat(InputError):
    """An input whose format cannot be told from its name or its content."""


class ConfigError(AuditorError):
    """A setting is invalid (bad date, negative years, unreadable auditor.toml)."""


def stopped_by_ctrl_c(error: BaseException) -> bool:
    """Ctrl-C pressed while the index's engine (DuckDB) ran a query: the engine stops the query
    and raises RuntimeError("Query interrupted") in place of KeyboardInterrupt."""
    return type(error) is RuntimeError and str(error) == "Query interrupted"
