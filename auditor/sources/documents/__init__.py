"""Documents people keep reference lists in: Word files (.docx), PDFs and saved web pages.

Each reader finds the reference list in its document and hands it on as an `Extracted` (the
list's text with the place of each line, or a reference manager's CSL-JSON items), which the
pasted-list and CSL-JSON readers then read like any other input. A reader's library is
imported only when such a document is read, so the command starts as fast as before.

A document that cannot be read — a scanned PDF without text, an encrypted or broken file —
is an InputError: one line that names the file and says what to do.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from auditor.errors import InputError
from auditor.i18n import N_, Phrase, Said
from auditor.sources.base import SourceRead
from auditor.sources.documents.extracted import Extracted, read_extracted

DOCUMENT_FORMATS = ("docx", "pdf", "html")
DOCUMENT_SUFFIXES = {".docx": "docx", ".docm": "docx", ".pdf": "pdf", ".html": "html",
                     ".htm": "html", ".xhtml": "html"}
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Office's old container: .doc, or an encrypted .docx
_NAMES = {"docx": N_("Word document"), "pdf": N_("PDF"), "html": N_("web page")}


def document_format(raw: bytes, file_name: str) -> str | None:
    """"docx", "pdf" or "html" when the bytes are such a document — by content (a PDF's
    `%PDF-`, a ZIP holding `word/document.xml`, an HTML start), else by the suffix of a file
    that does not say otherwise (an HTML fragment saved as .html) — or None."""
    if b"%PDF-" in raw[:1024]:  # the header may follow a little junk (PDF 1.7, 7.5.2)
        return "pdf"
    suffix = DOCUMENT_SUFFIXES.get(Path(file_name).suffix.lower())
    if raw.startswith(_OLE2) and "EncryptedPackage".encode("utf-16-le") in raw:
        raise InputError(Said("{name}: a Word document protected by a password; open it in Word "
                           "with the password, save a copy without one (File › Info › Protect "
                           "Document), and check the copy", name=file_name))
    if raw.startswith(_OLE2) and suffix == "docx":
        raise InputError(Said("{name}: an old Word document (.doc) named .docx; open it in Word "
                           "or LibreOffice, save it as a Word document (.docx) with File › Save "
                           "as, and check the new file", name=file_name))
    if raw.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(raw)).namelist())
        except (zipfile.BadZipFile, OSError):
            if suffix != "docx":
                return None
            raise InputError(Said("{name}: not a readable Word document (damaged, or cut short "
                               "while it was copied); open it in Word and save it again as "
                               ".docx", name=file_name)) from None
        return "docx" if "word/document.xml" in names else None
    head = raw[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html")) or (
            head.startswith((b"<?xml", b"<!--")) and b"<html" in head):
        return "html"
    if suffix in ("docx", "pdf"):
        kind = Phrase(N_("a Word document") if suffix == "docx" else N_("a PDF"))
        raise InputError(Said("{name}: not {kind}, although its name says so (the file is "
                           "damaged, or is another kind of file renamed; a list of references "
                           "saved as text reads with --input-format text)",
            name=file_name, kind=kind))
    return suffix


def read_document(raw: bytes, file_name: str, fmt: str) -> SourceRead:
    """The references of one document in format `fmt` (see DOCUMENT_FORMATS)."""
    if fmt == "docx":
        from auditor.sources.documents.docx import extract_docx as extract
    elif fmt == "pdf":
        from auditor.sources.documents.pdf import extract_pdf as extract
    else:
        from auditor.sources.documents.html import extract_html as extract
    extracted: Extracted = extract(raw, file_name)
    if not extracted.lines and not extracted.items:
        raise InputError(Said("{name}: no reference list found in this {kind} (no heading such "
                           "as References or Bibliography, and no list of citations); copy the "
                           "references into a .txt file and check that",
            name=file_name, kind=Phrase(_NAMES[fmt])))
    read = read_extracted(extracted, file_name)
    if not read.references and not read.problems:
        if extracted.listed:
            raise InputError(Said("{name}: the reference list of this {kind} holds no reference "
                               "that can be read (none has a year, a DOI or a PMID)",
                name=file_name, kind=Phrase(_NAMES[fmt])))
        raise InputError(Said("{name}: no references found in this {kind}; copy them into a .txt "
                           "file and check that", name=file_name, kind=Phrase(_NAMES[fmt])))
    return read
