"""A JSON document of many work records — a page of the public data file up to 2024
(`{"items": [...]}`), a REST answer (`{"message": {"items": [...]}}`) or a list — cut into
one record per line, a record at a time, for the engine to read as JSON Lines.

Why: the engine reads a JSON document as one value, of at most 16 MB unless told more, and
holds twice that size while it reads it; a page of 3,000 real records with their reference
lists is 20 to 60 MB. Cut a record at a time, a page costs the memory of its largest record,
and a build stopped inside a page goes on from the record it reached.
"""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

_CHUNK = 1 << 20  # characters read at a time
# A line longer than this is cut to the fields the index keeps before the engine reads it:
# the engine reads no line past 32 MB, and a record can pass it (thousands of authors, tens
# of thousands of references).
LONG_LINE = 16 << 20
_DECODER = json.JSONDecoder()


class _Text:
    """The document's text, read a chunk at a time, with a position in it."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream, self._text, self._at, self._ended = stream, "", 0, False

    def _more(self) -> bool:
        # as much again as is held, at least: a long record is decoded afresh a few times,
        # not once per chunk
        wanted = max(_CHUNK, len(self._text) - self._at)
        chunk = "" if self._ended else self._stream.read(wanted)
        self._ended = not chunk
        self._text = self._text[self._at:] + chunk  # what was read before is let go
        self._at = 0
        return bool(chunk)

    def peek(self) -> str:
        """The next character that is not white space ("" at the end)."""
        while True:
            while self._at < len(self._text) and self._text[self._at] in " \t\r\n":
                self._at += 1
            if self._at < len(self._text) or not self._more():
                return self._text[self._at:self._at + 1]

    def take(self, expected: str) -> None:
        if self.peek() != expected:
            found = repr(self.peek()) if self.peek() else "the end of the text"
            raise ValueError(f"expected {expected!r}, found {found}")
        self._at += 1

    def value(self) -> tuple[object, str]:
        """The next JSON value and its own text; more is read while it is cut short."""
        self.peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self._text, self._at)
            except json.JSONDecodeError:
                if self._more():
                    continue
                raise
            if end == len(self._text) and self._more():  # a number may go on: 12|34
                continue
            text = self._text[self._at:end]
            self._at = end
            return value, text


def _into_records(text: _Text, depth: int = 0) -> int | None:
    """Go to the first record of the list of records the document holds: itself, when it is a
    list; its `items`, or its `message`'s. The number of objects entered on the way (0, 1 or
    2), or None when it holds no such list."""
    first = text.peek()
    if first == "[":
        return depth
    if first != "{":  # empty, or no document of records: the engine says what it is
        return None
    text.take("{")
    while text.peek() not in ("}", ""):
        key, _ = text.value()
        text.take(":")
        if key == "items" and text.peek() == "[":
            return depth + 1
        if key == "message" and text.peek() == "{":
            return _into_records(text, depth + 1)
        text.value()  # a member before the list (status, facets, total-results…)
        if text.peek() == ",":
            text.take(",")
    return None


def _list(text: _Text) -> Iterator[bytes]:
    """The records of the list the text is at, each on a line of its own text."""
    text.take("[")
    number = 0
    while text.peek() not in ("]", ""):
        number += 1
        try:
            _, record = text.value()
        except json.JSONDecodeError as error:  # its place in the text read so far means little
            raise ValueError(f"record {number} of the list: {error.msg}") from None
        yield _line(record)
        if text.peek() == ",":
            text.take(",")
    text.take("]")


def _out_of(text: _Text, depth: int) -> None:
    """Past the members after the list, and the ends of the `depth` objects around it."""
    for _ in range(depth):
        while text.peek() == ",":
            text.take(",")
            text.value()  # the key
            text.take(":")
            text.value()
        text.take("}")


def _line(record: str) -> bytes:
    """A record's own text on one line (a line break in JSON can only be white space)."""
    return record.replace("\r", " ").replace("\n", " ").encode("utf-8") + b"\n"


def _listed(document: object) -> list[object] | None:
    """The list of records a whole document holds (itself, `items`, `message.items`), or
    None."""
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        inner = document.get("message")
        found = document.get("items", inner.get("items") if isinstance(inner, dict) else None)
        return found if isinstance(found, list) else None
    return None


def _records(text: _Text, depth: int) -> Iterator[bytes]:
    """The records of the first document, a record at a time; then of any documents after it
    (JSON Lines of pages, say), each read whole: a page's records, or the document itself."""
    yield from _list(text)
    _out_of(text, depth)
    while text.peek():
        document, own = text.value()
        listed = _listed(document)
        yield from map(_line, [own] if listed is None else (json.dumps(r) for r in listed))


def open_bytes(path: Path) -> IO[bytes]:
    """A file of records, read as bytes: gunzipped when its name ends in .gz."""
    return gzip.open(path, "rb") if path.name.lower().endswith(".gz") else path.open("rb")


@contextmanager
def record_lines(path: Path) -> Iterator[Iterator[bytes] | None]:
    """Each record of the document at `path` (gzipped or not) as one line, or None when it
    holds no list of records (one record alone: the engine reads it whole). A ValueError when
    it is not JSON."""
    with open_bytes(path) as raw, io.TextIOWrapper(raw, encoding="utf-8-sig",
                                                     errors="replace") as stream:
        text = _Text(stream)
        depth = _into_records(text)
        yield None if depth is None else _records(text, depth)


def slimmed(line: bytes, kept: tuple[str, ...]) -> bytes:
    """A long line's records (a record, an answer's `message`, a page's `items`), each cut
    to the `kept` fields, a line each."""
    document = json.loads(line)
    listed = _listed(document)
    if listed is None:
        message = document.get("message") if isinstance(document, dict) else None
        listed = [message if isinstance(message, dict) else document]
    return b"".join(_line(json.dumps({k: v for k, v in record.items() if k in kept}
                                     if isinstance(record, dict) else record))
                    for record in listed)
