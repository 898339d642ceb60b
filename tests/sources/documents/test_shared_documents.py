"""The document readers on real documents written by others (../shared/corpus/documents),
against the reference counts its SOURCES.md gives, counted by hand."""

from __future__ import annotations

import re

import pytest
from conftest import SHARED

from auditor.sources import read_path

DOCUMENTS = SHARED / "corpus" / "documents"
pytestmark = pytest.mark.skipif(not (DOCUMENTS / "SOURCES.md").exists(),
                                reason="../shared/corpus/documents is absent")


def hand_counts(kind: str) -> dict[str, tuple[int, bool]]:
    """file → (the count of its reference list, whether SOURCES.md marks it "≈")."""
    counts = {}
    for line in (DOCUMENTS / "SOURCES.md").read_text("utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) > 8 and cells[0].startswith(f"`{kind}/"):
            count = re.match(r"(≈)?(\d+)", cells[7])
            if count:
                counts[cells[0].strip("`")] = (int(count.group(2)), bool(count.group(1)))
    return counts


@pytest.mark.parametrize("name", sorted(hand_counts("docx")) or ["none"])
def test_every_word_documents_list_is_read_whole(name):
    count, _ = hand_counts("docx")[name]
    read = read_path(DOCUMENTS / name)
    assert len(read.references) == count
    assert not read.problems
