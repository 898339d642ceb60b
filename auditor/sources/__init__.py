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
from auditor.errors import InputError
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
        where = f"{len(bad)} line(s) are not valid UTF-8 (the first is line {bad_line})"
    else:
        encoding = _guess_encoding(raw)
        text = raw.decode(encoding, errors="replace")
        where = f"not valid UTF-8 (first bad byte on line {bad_line})"
    problem = InputProblem(
        SourceLocation(file_name, bad_line),
        codes.FALLBACK_ENCODING.make(f"{where}; read as {encoding}: check accented names"),
    )
    return text, problem


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


def read_text(text: str, file_name: str) -> SourceRead:
    """Pick the reader for a text and run it."""
    suffix = Path(file_name).suffix.lower()
    if suffix in BIBTEX_SUFFIXES or _LOOKS_LIKE_BIBTEX.search(text):
        bib = read_bibtex(text, file_name)
        if not bib.references and not bib.problems:
            raise InputError(f"{file_name}: no BibTeX entries found")
        return SourceRead(bib.references, bib.problems)
    raise InputError(f"{file_name}: not a format auditor can read yet (expected BibTeX .bib)")


def read_path(path: str | Path) -> SourceRead:
    """Read one input; "-" is standard input. Nothing but whitespace is an InputError."""
    name = str(path)
    if name == "-":
        raw = sys.stdin.buffer.read()
        name, empty = "<stdin>", "empty input"
    else:
        empty = "empty file"
        try:
            raw = Path(path).read_bytes()
        except IsADirectoryError:
            raise InputError(f"{name}: is a directory, expected a reference file") from None
        except FileNotFoundError:
            raise InputError(f"{name}: no such file") from None
        except OSError as exc:
            raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None
    text, problem = decode_bytes(raw, name)
    if not text.strip():
        raise InputError(f"{name}: {empty}")
    read = read_text(text, name)
    if problem:
        read.problems.insert(0, problem)
    return read


def read_paths(paths: list[str | Path]) -> SourceRead:
    """Read every input; references keep their own file and line."""
    if sum(1 for path in paths if str(path) == "-") > 1:
        raise InputError("standard input can be read only once")
    total = SourceRead()
    for path in paths:
        one = read_path(path)
        total.references.extend(one.references)
        total.problems.extend(one.problems)
    return total
