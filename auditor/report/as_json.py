"""JSON: the report's own dict (schema_version 1), or a catalogue's, as indented text."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol


class _HasJson(Protocol):
    def to_json(self, indent: int | None = 2) -> str: ...


class _HasJsonPieces(Protocol):
    def json_pieces(self, indent: int | None = 2) -> Iterator[str]: ...


def render(subject: _HasJson) -> str:
    return subject.to_json() + "\n"


def pieces(subject: _HasJsonPieces) -> Iterator[str]:
    """`render`'s text of a catalogue, a training at a time (written as it comes)."""
    yield from subject.json_pieces()
    yield "\n"
