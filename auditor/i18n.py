"""The words a person reads go through gettext: `_("…")` marks a message and gives it in the
language of the moment, `n_(singular, plural, n)` its plural form. The language is held per
context (contextvars), so two reports rendered at once in two languages never mix; English is
the source language, and a language without a catalogue reads English.

Messages are written with named fields, never built from pieces, so that a translation can
order them as its language needs: `_("{n} of {total} references").format(n=3, total=21)`.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

DEFAULT_LANGUAGE = "en"
LANGUAGE: ContextVar[str] = ContextVar("auditor_language", default=DEFAULT_LANGUAGE)
_CATALOGUES: dict[str, gettext.NullTranslations] = {}


LOCALE = Path(__file__).parent / "locale"  # <language>/LC_MESSAGES/auditor.mo


def catalogue(language: str) -> gettext.NullTranslations:
    """The translations of `language` (English, or a language without a catalogue: the
    messages as written)."""
    if language not in _CATALOGUES:
        _CATALOGUES[language] = gettext.translation(
            "auditor", LOCALE, languages=[language], fallback=True) \
            if language != DEFAULT_LANGUAGE else gettext.NullTranslations()
    return _CATALOGUES[language]


class Phrase(str):
    """Words put into a message that are a message of their own ("the run was offline"), so
    that they are translated with it; a title, a DOI or a name is a plain str."""


def N_(message: str) -> str:
    """Marks `message` for the catalogue where it is written (a table of words, a finding's
    template); `_()` translates it where it is read."""
    return message


def _(message: str) -> str:
    """`message` in the language of the moment."""
    return catalogue(LANGUAGE.get()).gettext(message)


def n_(singular: str, plural: str, n: int) -> str:
    """The form of a message for `n` things, in the language of the moment."""
    return catalogue(LANGUAGE.get()).ngettext(singular, plural, n)


LANGUAGES = ("en", "fr")


def language_from_environment(environ: Mapping[str, str] | None = None) -> str:
    """The language a person's system is set to (LC_ALL, then LC_MESSAGES, then LANG, as
    gettext reads them: `fr_FR.UTF-8` → fr), when auditor speaks it; else English."""
    environ = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            code = value.split(".")[0].split("_")[0].lower()
            return code if code in LANGUAGES else DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


@contextmanager
def use_language(language: str | None) -> Iterator[None]:
    """Render in `language` within the block: `with use_language("fr"): report.render("html")`."""
    token = LANGUAGE.set(language or DEFAULT_LANGUAGE)
    try:
        yield
    finally:
        LANGUAGE.reset(token)
