"""The words a person reads go through gettext: `_("…")` marks a message and gives it in the
language of the moment, `n_(singular, plural, n)` its plural form. The language is held per
context (contextvars), so two reports rendered at once in two languages never mix; English is
the source language, and a language without a catalogue reads English.

Messages are written with named fields, never built from pieces, so that a translation can
order them as its language needs: `_("{n} of {total} references").format(n=3, total=21)`.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

DEFAULT_LANGUAGE = "en"
LANGUAGE: ContextVar[str] = ContextVar("auditor_language", default=DEFAULT_LANGUAGE)
_CATALOGUES: dict[str, gettext.NullTranslations] = {}


def catalogue(language: str) -> gettext.NullTranslations:
    """The translations of `language` (English: the messages as written)."""
    if language not in _CATALOGUES:
        _CATALOGUES[language] = gettext.NullTranslations()
    return _CATALOGUES[language]


def _(message: str) -> str:
    """`message` in the language of the moment."""
    return catalogue(LANGUAGE.get()).gettext(message)


def n_(singular: str, plural: str, n: int) -> str:
    """The form of a message for `n` things, in the language of the moment."""
    return catalogue(LANGUAGE.get()).ngettext(singular, plural, n)


@contextmanager
def use_language(language: str | None) -> Iterator[None]:
    """Render in `language` within the block: `with use_language("fr"): report.render("html")`."""
    token = LANGUAGE.set(language or DEFAULT_LANGUAGE)
    try:
        yield
    finally:
        LANGUAGE.reset(token)
