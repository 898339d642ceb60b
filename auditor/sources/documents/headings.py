"""The headings that open a reference list, and those that end it, in the languages of the
people who read the auditor's reports (English, French, German, Spanish, Italian, Portuguese)."""

from __future__ import annotations

import re
import unicodedata

_OPENING = ("references", "reference list", "list of references", "bibliography",
            "bibliographies", "select bibliography", "selected bibliography", "literature",
            "literature cited", "works cited", "sources", "cited literature",
            "sources and references", "references and notes", "notes and references",
            "references cited", "further reading", "références", "références bibliographiques",
            "bibliographie", "bibliographie sélective", "sources bibliographiques",
            "pour aller plus loin", "literatur", "literaturverzeichnis", "quellen",
            "quellenverzeichnis", "referencias", "referencias bibliográficas", "bibliografía",
            "bibliografia", "riferimenti bibliografici", "referências",
            "referências bibliográficas")
_CLOSING = ("appendix", "appendices", "annex", "annexe", "annexes", "anhang",
            "supplementary material", "supplementary materials", "supplementary information",
            "supplemental material", "acknowledgements", "acknowledgments", "remerciements",
            "tables", "figure legends", "figures", "index", "glossary", "glossaire",
            "about the authors", "author information", "table des matières", "contents")
_NUMBERED = re.compile(r"^(?:[0-9ivxlcdm]+(?:\.\d+)*[.)]?|[a-z][.)])\s+", re.IGNORECASE)


def _fold(text: str) -> str:
    text = " ".join(text.split()).strip().rstrip(":.").strip()
    text = _NUMBERED.sub("", text)
    return unicodedata.normalize("NFC", text).lower()


def is_references_heading(line: str) -> bool:
    """"References", "7. Bibliographie", "RÉFÉRENCES BIBLIOGRAPHIQUES :" — a line that is only
    such a heading."""
    return len(line) <= 60 and _fold(line) in _OPENING


def ends_references(line: str) -> bool:
    """"Appendix A", "Annexe 2", "Acknowledgements": a heading after which the list is over."""
    if len(line) > 60:
        return False
    folded = _fold(line)
    return folded in _CLOSING or bool(re.fullmatch(
        r"(?:appendix|annexe?|anhang|supplementary (?:table|figure|material)s?)\s+\S{1,4}",
        folded))
