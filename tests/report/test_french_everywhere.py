"""A French reader reads French: every message a report shows — findings, problems of the
input, peer-review reasons, the policy's sentences, notes printed during the run — is looked up
in the catalogue while real inputs are audited against the stand-ins, and none may be missing.
(test_i18n.py checks that each message the code writes has French; this checks that what a
report shows is such a message, not words built where no catalogue sees them.)"""

from __future__ import annotations

import gettext

import pytest
from conftest import FIXTURES

import auditor.i18n as i18n
from auditor.config import load_settings
from auditor.errors import InputError
from auditor.pipeline import audit
from auditor.report import formats

# Inputs that make the reports say most of what they can: every verdict the stand-in gives, a
# search, broken entries of each format, a bad encoding, invalid DOIs, DataCite and mEDRA.
INPUTS = ["stand-in/training.bib", "stand-in/retracted.bib", "stand-in/datacite.bib",
          "stand-in/no-doi.bib", "bib/broken-entry-in-middle.bib", "bib/invalid-doi.bib",
          "bib/latin1-encoded.bib", "bib/crossref-inheritance.bib", "ris/broken_record.ris",
          "ris/broken_record.nbib", "csl/broken_item_in_array.json", "reflists/ama_numbered.md"]

OFFLINE = ["stand-in/training.bib", "stand-in/no-doi.bib"]


class _Watched(gettext.NullTranslations):
    """The French catalogue, noting every message asked of it that it does not hold."""

    def __init__(self, french: gettext.GNUTranslations) -> None:
        super().__init__()
        self.french, self.missing = french, set()

    def gettext(self, message: str) -> str:
        if message.strip() and message not in self.french._catalog:  # type: ignore[attr-defined]
            self.missing.add(message)
        return self.french.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        if (singular, 0) not in self.french._catalog:  # type: ignore[attr-defined]
            self.missing.add(singular)
        return self.french.ngettext(singular, plural, n)


@pytest.fixture
def watched(monkeypatch) -> _Watched:
    french = i18n.catalogue("fr")
    assert isinstance(french, gettext.GNUTranslations)
    spy = _Watched(french)
    monkeypatch.setattr(i18n, "catalogue", lambda language: spy if language == "fr"
                        else gettext.NullTranslations())
    return spy


def test_every_sentence_of_a_french_report_comes_from_the_catalogue(crossref, watched):
    notes: list[str] = []
    rendered = 0
    for name in INPUTS:
        path = FIXTURES / name
        if not path.exists():
            pytest.fail(f"fixture {name} is gone: choose another that shows the same messages")
        with i18n.use_language("fr"):
            try:
                report = audit(path, settings=load_settings({"as_of": "2026-11-27",
                                                             "pubmed": True}), warn=notes.append)
            except InputError:
                continue
            for fmt in ("table", "markdown", "html"):
                formats.render(report, fmt, formats.REPORT)
                rendered += 1
    for name in OFFLINE:  # what an unchecked reference says: offline, nothing cached
        with i18n.use_language("fr"):
            report = audit(FIXTURES / name, settings=load_settings(
                {"as_of": "2026-11-27", "pubmed": True, "offline": True}), warn=notes.append)
            for fmt in ("table", "markdown", "html"):
                formats.render(report, fmt, formats.REPORT)
    assert rendered >= 3 * (len(INPUTS) - 1)
    assert notes, "no note was printed during the runs: the notes went unwatched"
    assert sorted(watched.missing) == []
