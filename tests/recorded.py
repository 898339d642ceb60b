"""The recorded Crossref answers in ../shared/crossref-cassettes (VCR YAML, bodies often gzip),
read in place: shared data is never copied into the project."""

from __future__ import annotations

import contextlib
import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

CASSETTES = Path(__file__).resolve().parents[1].parent / "shared" / "crossref-cassettes"


def read_cassette(path: Path) -> dict[str, Any]:
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def response_json(interaction: dict[str, Any]) -> Any:
    """The JSON of a recorded response, or None when it is not JSON."""
    body = interaction.get("response", {}).get("body", {}).get("string")
    if isinstance(body, bytes):
        with contextlib.suppress(OSError):  # not every recorded body is gzipped
            body = gzip.decompress(body)
    try:
        return json.loads(body)
    except (TypeError, ValueError):
        return None


def recorded_works(folder: Path = CASSETTES) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(cassette, request URI, work record) for every Crossref work record in the cassettes,
    from single-work answers and from list items alike."""
    for path in sorted(folder.rglob("*.yaml")):
        for interaction in read_cassette(path).get("interactions", []):
            uri = interaction.get("request", {}).get("uri", "")
            if "api.crossref.org" not in uri:
                continue
            payload = response_json(interaction)
            if not isinstance(payload, dict):
                continue
            name = str(path.relative_to(folder))
            if payload.get("message-type") == "work":
                yield name, uri, payload["message"]
            elif payload.get("message-type") == "work-list":
                for item in payload["message"].get("items", []):
                    yield name, uri, item


def typed_works_by_doi(folder: Path = CASSETTES) -> dict[str, dict[str, Any]]:
    """One record per lower-cased DOI, leaving out `select=` records that have no type."""
    works: dict[str, dict[str, Any]] = {}
    for _, _, message in recorded_works(folder):
        if message.get("type"):
            works.setdefault(message["DOI"].lower(), message)
    return works
