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
from collections.abc import Iterator, Mapping, Sequence
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


class Said(str):
    """A sentence in English — as the JSON report gives it — that keeps the template and the
    values it was made from, so that a report can say it in the reader's language:
    `Said("a {what} issued by {issuer}", what=Phrase("guideline"), issuer="WHO")`."""

    template: str
    values: dict[str, object]

    def __new__(cls, template: str, **values: object) -> Said:
        said = super().__new__(cls, template.format(**values))
        said.template, said.values = template, values
        return said

    def __reduce__(self) -> tuple[object, ...]:  # pickled as what it was made from
        return _said, (self.template, self.values)


def _said(template: str, values: dict[str, object]) -> Said:
    return Said(template, **values)


def phrase(text: str) -> str:
    """`text` to be said in the reader's language when a report shows it: a Said or a Phrase
    as it is, any other string as a Phrase (a registry's reason, translated when the catalogue
    has it)."""
    return text if isinstance(text, Said | Phrase) else Phrase(text)


def in_language(text: str) -> str:
    """`text` as the reader reads it: a Said or a Phrase in the language of the moment, any
    other string (a title, a DOI) as it is."""
    if isinstance(text, Figure):
        return decimal(float(text), text.digits)
    if isinstance(text, Said):
        return _(text.template).format(**{name: in_language(value) if isinstance(value, str)
                                          else value for name, value in text.values.items()})
    return _(text) if isinstance(text, Phrase) else text


def N_(message: str) -> str:
    """Marks `message` for the catalogue where it is written (a table of words, a finding's
    template); `_()` translates it where it is read."""
    return message


def N_plural(singular: str, plural: str) -> tuple[str, str]:
    """Marks a message's two forms for the catalogue where they are written; `n_()` picks and
    translates the form where the count is known."""
    return singular, plural


def _(message: str) -> str:
    """`message` in the language of the moment."""
    return catalogue(LANGUAGE.get()).gettext(message)


def n_(singular: str, plural: str, n: int) -> str:
    """The form of a message for `n` things, in the language of the moment."""
    return catalogue(LANGUAGE.get()).ngettext(singular, plural, n)


_DECIMAL_MARKS = {"fr": ","}  # languages whose decimal mark is not "."


def decimal(value: float, digits: int = 1) -> str:
    """`value` with `digits` decimals, written as the reader's language does (French 2,5)."""
    return f"{value:.{digits}f}".replace(".", _DECIMAL_MARKS.get(LANGUAGE.get(), "."))


def number(value: float) -> str:
    """`value` as short as it goes (7, 5.5, 13.75), with the reader's decimal mark."""
    return f"{value:g}".replace(".", _DECIMAL_MARKS.get(LANGUAGE.get(), "."))


class Figure(str):
    """A number that a sentence shows: as written (0.34) in the JSON, with the reader's
    decimal mark (0,34) when shown."""

    def __new__(cls, value: float, digits: int = 2) -> Figure:
        figure = super().__new__(cls, f"{value:.{digits}f}")
        figure.digits = digits
        return figure

    def __reduce__(self) -> tuple[object, ...]:
        return Figure, (float(self), self.digits)


LIST_ITEMS = N_("{done}, {next}")  # the words between the items of a list
SENTENCE_PARTS = N_("{done}; {next}")  # … and between the parts of a sentence


def joined(items: Sequence[str], template: str = SENTENCE_PARTS) -> str:
    """`items` as one Said (`a; b; c`), each item said in the reader's language when shown."""
    if not items:
        return ""
    said = items[0]
    for item in items[1:]:
        said = Said(template, done=said, next=item)
    return said


def listed(items: Sequence[str], template: str = SENTENCE_PARTS) -> str:
    """`a; b; c` now, punctuated as the reader's language does (French `a ; b ; c`)."""
    return in_language(joined(list(items), template))


def labelled(label: str, value: str) -> str:
    """`label: value`, punctuated as the reader's language does (French: `label : value`)."""
    return _("{label}: {value}").format(label=label, value=value)


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
