"""Readers: reference files → References with file and line, plus the problems found on the way.

Every reader takes decoded text and a file name and returns everything it could read plus one
InputProblem per unreadable part; it raises only when nothing at all can be read.
"""

from __future__ import annotations

import codecs
import logging
import re
import sys
from pathlib import Path

from auditor import codes
from auditor.errors import InputError, UnknownFormat
from auditor.i18n import N_, Phrase, Said
from auditor.model import InputProblem, SourceLocation
from auditor.sources.base import SourceRead
from auditor.sources.bibtex import read_bibtex

# bibtexparser logs every failed block; we report them ourselves, with file and line.
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())
logging.getLogger("bibtexparser").propagate = False

BIBTEX_SUFFIXES = {".bib", ".bibtex", ".biblatex", ".bibtxt"}
_LOOKS_LIKE_BIBTEX = re.compile(r"@\s*[A-Za-z]+\s*[{(]")


def decode_bytes(raw: bytes, file_name: str) -> tuple[str, InputProblem | None]:
    """UTF-8 (with or without BOM) when it is; else the encoding charset-normalizer finds most
    likely (GBK, Latin-1, Windows-1252…), with a warning so the user knows to check accents.

    A file that is UTF-8 but for a few lines (two .bib files pasted together) keeps its UTF-8
    lines; only the lines that are not UTF-8 are decoded with the guessed encoding."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Notepad's "Unicode"
        return raw.decode("utf-16"), None
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        bad_line = raw[: exc.start].count(b"\n") + 1
    lines = raw.splitlines(keepends=True)
    bad = [i for i, line in enumerate(lines) if not _decodes(line, "utf-8")]
    good_non_ascii = sum(1 for line in lines if not line.isascii() and _decodes(line, "utf-8"))
    if good_non_ascii > len(bad):
        # Too few bytes for a guess to mean much: lines pasted into a UTF-8 file are most often
        # Windows-1252 (Latin-1), so that is used whenever it can decode them.
        sample = b"".join(lines[i] for i in bad)
        encoding = "cp1252" if _decodes(sample, "cp1252") else _guess_encoding(sample)
        for i in bad:
            lines[i] = lines[i].decode(encoding, errors="replace").encode("utf-8")
        text = b"".join(lines).decode("utf-8-sig")
        finding = codes.FALLBACK_ENCODING.make(
            "1 line is not valid UTF-8 (line {line}); read as {encoding}: check accented names",
            line=bad_line, encoding=encoding) if len(bad) == 1 else codes.FALLBACK_ENCODING.make(
            "{n} lines are not valid UTF-8 (the first is line {line}); read as {encoding}: check "
            "accented names", n=len(bad), line=bad_line, encoding=encoding)
    else:
        encoding = _guess_encoding(raw)
        text = raw.decode(encoding, errors="replace")
        finding = codes.FALLBACK_ENCODING.make(
            "not valid UTF-8 (first bad byte on line {line}); read as {encoding}: check accented "
            "names", line=bad_line, encoding=encoding)
    return text, InputProblem(SourceLocation(file_name, bad_line), finding)


# When charset-normalizer finds several encodings about as likely (its "chaos" within this margin
# of the best), the one most used for reference files wins: Windows-1252 over Central European
# cp1250 for "Peña" and "Åsa", GB18030 (a superset of GBK) over Korean cp949 for "凯撒".
_CLOSE_CHAOS = 0.1
_PREFERRED = ("cp1252", "gb18030", "big5")
# Multi-byte East Asian encodings: almost any pair of bytes is a character in them, so a Latin-1
# file with a single accent (`Sadasiv\xe1n`) can pass for GB18030 (`Sadasiv醤`).
_CJK = {"gb18030", "gbk", "gb2312", "hz", "big5", "big5hkscs", "cp950", "cp949", "euc_kr",
        "johab", "cp932", "shift_jis", "shift_jis_2004", "shift_jisx0213", "euc_jp",
        "euc_jis_2004", "euc_jisx0213"}


def _guess_encoding(raw: bytes) -> str:
    from charset_normalizer import from_bytes

    matches = from_bytes(raw)
    best = matches.best()
    if best is None:
        return "cp1252"
    close = {m.encoding for m in matches if m.chaos <= best.chaos + _CLOSE_CHAOS}
    guess = next((enc for enc in _PREFERRED if enc in close), best.encoding)
    if guess in _CJK and _latin_accents(raw):
        return "cp1252"
    return guess


def _latin_accents(raw: bytes) -> bool:
    """True when `raw` reads as Windows-1252 with its non-ASCII characters mostly alone between
    ASCII ones, as Latin accents are (`Peña`, `Müller`); CJK text in GBK or Big5 comes as runs of
    byte pairs, which read in cp1252 as runs of two or more (`测试` → `²âÊÔ`)."""
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        return False
    runs = [len(run) for run in re.findall(r"[^\x00-\x7f]+", text)]
    return sum(1 for n in runs if n == 1) > sum(runs) / 2


def _decodes(raw: bytes, encoding: str) -> bool:
    try:
        raw.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


FORMATS = ("bibtex", "ris", "nbib", "csl-json", "text")
SUFFIXES = {
    **dict.fromkeys(BIBTEX_SUFFIXES, "bibtex"),
    ".ris": "ris",
    ".nbib": "nbib", ".medline": "nbib",
    ".json": "csl-json", ".csljson": "csl-json", ".jsonl": "csl-json",
}
# Suffixes that say "text" but may hold any format (a RIS or MEDLINE export saved as .txt).
TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown", ""}
_RIS_TAG = re.compile(r"^\ufeff?\s*TY\s{1,2}-", re.MULTILINE)
_NBIB_TAG = re.compile(r"^\ufeff?PMID-\s*\d", re.MULTILINE)
# A JSON array of objects (or an empty one), an object, or JSON Lines — not "[1] Victora CG…".
_JSON_START = re.compile(r'^\ufeff?\s*(\[\s*[{\]]|\{\s*["}])')
_DOI_ANYWHERE = re.compile(r"\b10\.\s?\d{4,9}/\S")
_YEAR = re.compile(r"\b(1[6-9]|20)\d\d\b")
_WOS_HEADER = re.compile(r"^\ufeff?\s*(FN |VR |PT [A-Z]\b)", re.MULTILINE)


def sniff_format(text: str) -> str | None:
    """The format a text is in, from its content: for standard input and ambiguous suffixes."""
    head = text[:20_000]
    if _JSON_START.match(head):
        return "csl-json"
    if _RIS_TAG.search(head) or _WOS_HEADER.match(head):
        return "ris"
    if _NBIB_TAG.search(head):
        return "nbib"
    if _LOOKS_LIKE_BIBTEX.search(head):
        return "bibtex"
    from auditor.sources.reflist import looks_like_reflist

    if looks_like_reflist(text):
        return "text"
    # A list of one: a DOI, or a year among enough words to be a citation.
    if _DOI_ANYWHERE.search(head) or (_YEAR.search(head) and len(head.split()) >= 8
                                      and len(head.splitlines()) <= 12):
        return "text"
    return None


def choose_format(text: str, file_name: str, input_format: str | None = None) -> str:
    """--input-format when given; else the suffix when it is specific; else the content."""
    if input_format and input_format != "auto":
        if input_format not in FORMATS:
            raise InputError(Said("unknown input format {format!r}; choose from {choices}",
                format=input_format, choices=", ".join(FORMATS)))
        return input_format
    suffix = Path(file_name).suffix.lower()
    if suffix in SUFFIXES:
        return SUFFIXES[suffix]
    sniffed = sniff_format(text)
    if sniffed is None:
        raise UnknownFormat(Said(
            "{name}: not a reference list auditor can read (it reads BibTeX, RIS, PubMed "
            "MEDLINE/.nbib, CSL-JSON, Word .docx, PDF and web pages, and lists of references "
            "or DOIs pasted as text)", name=file_name))
    return sniffed


def read_text(text: str, file_name: str, input_format: str | None = None) -> SourceRead:
    """Pick the reader for a text and run it."""
    fmt = choose_format(text, file_name, input_format)
    if fmt == "bibtex":
        bib = read_bibtex(text, file_name)
        read = SourceRead(bib.references, bib.problems)
    elif fmt == "ris":
        from auditor.sources.ris import read_ris

        read = read_ris(text, file_name)
    elif fmt == "nbib":
        from auditor.sources.nbib import read_nbib

        read = read_nbib(text, file_name)
    elif fmt == "csl-json":
        from auditor.sources.csljson import read_csljson

        read = read_csljson(text, file_name)
    else:
        from auditor.sources.reflist import read_reflist

        read = read_reflist(text, file_name)
    if not read.references and not read.problems:
        raise InputError(Said("{name}: no {what} found", name=file_name,
                                                             what=Phrase(_FORMAT_NAMES[fmt])))
    return read


_FORMAT_NAMES = {"bibtex": N_("BibTeX entries"),
                 "ris": N_("RIS records (TY … ER) or Web of Science records (PT … ER)"),
                 "nbib": N_("PubMed records (PMID- …)"), "csl-json": N_("CSL-JSON items"),
                 "text": N_("references")}


def read_bytes(path: str | Path, expected: str = N_("a reference file")) -> bytes:
    """A file's bytes; a folder, a missing or unreadable file is an InputError naming it."""
    name = str(path)
    try:
        return Path(path).read_bytes()
    except IsADirectoryError:
        raise InputError(Said("{name}: is a directory, expected {what}",
            name=name, what=Phrase(expected))) from None
    except FileNotFoundError:
        raise InputError(Said("{name}: no such file", name=name)) from None
    except OSError as exc:
        raise InputError(Said("{name}: cannot read ({why})",
            name=name, why=exc.strerror or exc)) from None


_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97–2003 (.doc), old Excel


def document_kind(raw: bytes) -> str | None:
    """What a document the readers cannot take is, from its first bytes: "a PDF document", "a
    Word document (.docx)", "a web page (HTML)"…; None for a text they can read."""
    if raw.lstrip()[:5] == b"%PDF-":
        return N_("a PDF document")
    head = raw[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html")) or (
            head.startswith(b"<?xml") and b"<html" in head):
        return N_("a web page (HTML)")
    if head.startswith(b"<?xml") or head.startswith(b"<xml>"):
        return N_("an XML file")
    if raw.startswith(_OLE2):
        return N_("an old Word or Excel document (.doc, .xls)")
    if raw.startswith(b"PK\x03\x04"):
        import io
        import zipfile

        try:
            names = set(zipfile.ZipFile(io.BytesIO(raw)).namelist())
        except (zipfile.BadZipFile, OSError):
            return N_("a ZIP archive")
        if "word/document.xml" in names:
            return N_("a Word document (.docx)")
        if "content.xml" in names:
            return N_("an OpenDocument file (.odt)")
        if "xl/workbook.xml" in names:
            return N_("an Excel workbook (.xlsx)")
        return N_("a ZIP archive")
    return None


_DOCUMENT_NAMES = {"docx": N_("a Word document"), "pdf": N_("a PDF"), "html": N_("a web page")}
_COPY = N_("copy its reference list into a .txt file and check that file, or export the list "
           "from your reference manager (BibTeX, RIS or CSL-JSON)")
_SAVE_AS_DOCX = N_("open it in Word or LibreOffice, save it as a Word document (.docx) with "
                   "File › Save as, and check the .docx")
_ADVICE = {"an XML file": N_("export the list from your reference manager as RIS or BibTeX "
                             "instead (EndNote: File › Export, style RefMan (RIS) Export)"),
           "an old Word or Excel document (.doc, .xls)": _SAVE_AS_DOCX,
           "an OpenDocument file (.odt)": _SAVE_AS_DOCX,
           "an Excel workbook (.xlsx)": N_("export the references from your reference manager "
                                           "(BibTeX, RIS or CSL-JSON), or copy the column of "
                                           "references into a .txt file and check that file")}


def read_path(path: str | Path, input_format: str | None = None) -> SourceRead:
    """Read one input; "-" is standard input. Nothing but whitespace is an InputError."""
    name = str(path)
    if name == "-":
        return read_raw(sys.stdin.buffer.read(), "<stdin>", input_format, "empty input")
    return read_raw(read_bytes(name), name, input_format)


def read_raw(raw: bytes, name: str, input_format: str | None = None,
             empty: str = N_("empty file")) -> SourceRead:
    """Read one input's bytes, named `name` in every location reported (a file's path, or the
    name an uploaded file had)."""
    from auditor.sources.documents import DOCUMENT_FORMATS, document_format, read_document

    if not raw.strip():
        raise InputError(Said("{name}: {what}", name=name, what=Phrase(empty)))
    document = input_format if input_format in DOCUMENT_FORMATS else None
    if document is None and input_format in (None, "auto"):
        document = document_format(raw, name)
    elif document is not None:
        try:
            found = document_format(raw, name)
        except InputError:
            found = None
        if found not in (None, document):
            raise InputError(Said("{name}: {found}, not {said} as --input-format says: leave "
                               "--input-format out and auditor reads the document",
                name=name, found=Phrase(_DOCUMENT_NAMES[found]),
                said=Phrase(_DOCUMENT_NAMES[document])))
    if document is not None:
        return read_document(raw, name, document)
    kind = document_kind(raw)
    if kind is not None:
        if document_format(raw, name) is not None:  # forced to read it as something else
            raise InputError(Said("{name}: {kind}, not {said} as --input-format says: leave "
                               "--input-format out and auditor reads the document",
                name=name, kind=Phrase(kind), said=input_format))
        raise InputError(Said("{name}: {kind}, which auditor cannot read: {advice}",
            name=name, kind=Phrase(kind), advice=Phrase(_ADVICE.get(kind, _COPY))))
    text, problem = decode_bytes(raw, name)
    if not text.strip():
        raise InputError(Said("{name}: {what}", name=name, what=Phrase(empty)))
    read = read_text(text, name, input_format)
    if problem:
        read.problems.insert(0, problem)
    return read


def read_paths(paths: list[str | Path], input_format: str | None = None) -> SourceRead:
    """Read every input; references keep their own file and line."""
    if sum(1 for path in paths if str(path) == "-") > 1:
        raise InputError(Said("standard input can be read only once"))
    total = SourceRead()
    for path in paths:
        one = read_path(path, input_format)
        total.references.extend(one.references)
        total.problems.extend(one.problems)
    return total
