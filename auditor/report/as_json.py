"""JSON: the report's own dict (schema_version 1), or a catalogue's, as indented text."""

from __future__ import annotations

from typing import Protocol


class _HasJson(Protocol):
    def to_json(self, indent: int | None = 2) -> str: ...


def render(subject: _HasJson) -> str:
    return subject.to_json() + "\n"
