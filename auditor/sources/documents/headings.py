"""The headings that open a reference list, and those that end it, in the languages of the
people who read the auditor's reports (English, French, German, Spanish, Italian, Portuguese)."""

from __future__ import annotations

import re
import unicodedata

_OPENING = ("references", "reference list", "list of references", "bibliography",
            "bibliographies", "select bibliography", "selected bibliography", "literature",
            "literature cited", "works cited", "sources", "cited literature",
            "sources and references", "references and notes", "notes and references",
            "references cited", "further reading", "reading list", "readings",
            "recommended reading", "recommended readings", "suggested reading", "références",
            "références bibliographiques",
            "bibliographie", "bibliographie sélective", "sources bibliographiques",
            "pour aller plus loin", "webographie", "sitographie", "ressources",
            "lectures conseillées", "lectures complémentaires", "literatur",
            "weiterführende literatur", "literaturverzeichnis", "quellen",
            "quellenverzeichnis", "referencias", "referencias bibliográficas", "bibliografía",
            "bibliografia", "riferimenti bibliografici", "referências",
            "referências bibliográficas")
# Headings of a list that comes after the bibliography ("Pour aller plus loin"): they carry
# it on, and open it only when no other heading does.
_FURTHER = ("further reading", "recommended reading", "recommended readings",
            "suggested reading", "sources", "pour aller plus loin", "webographie", "sitographie",
            "ressources", "lectures conseillées", "lectures complémentaires",
            "weiterführende literatur", "select bibliography", "selected bibliography")
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


def list_start(lines: list[str]) -> int | None:
    """The index of the heading that opens the reference list: the last references heading
    (a contents page may name it first) that is not a further-reading one, else the last
    further-reading one."""
    headings = [i for i, line in enumerate(lines) if is_references_heading(line)]
    main = [i for i in headings if _fold(lines[i]) not in _FURTHER]
    return (main or headings or [None])[-1]


_APPENDIX = re.compile(r"(?:appendix|appendices|annexe?s?|anhang|anexo|supplementary "
                       r"(?:tables?|figures?|materials?))(?:\s+[a-z\d]{1,4})?(?:\s*[:.–—-]\s*.*)?")


def ends_references(line: str) -> bool:
    """"Appendix A", "Annexe 2 : calendrier 2024", "Acknowledgements": a heading after which
    the list is over."""
    if len(line) > 80:
        return False
    folded = _fold(line)
    return folded in _CLOSING or bool(_APPENDIX.fullmatch(folded))
