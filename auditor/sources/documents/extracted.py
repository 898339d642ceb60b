"""What a document reader hands on: the text of the reference list it found, each line with
its place in the document, or the CSL-JSON items a reference manager left in it. Both are then
read by the readers every other input goes through (the pasted-list reader, the CSL-JSON
reader), so a reference read from a PDF is judged exactly as the same reference pasted."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from auditor import codes
from auditor.model import InputProblem, Reference, SourceLocation
from auditor.sources.base import SourceRead

_Located = TypeVar("_Located", Reference, InputProblem)


@dataclass(frozen=True)
class Place:
    """Where a line read out of a document stands: its line in the document's text (for Word,
    its paragraph) and, in a PDF, its page."""

    line: int
    page: int | None = None


@dataclass
class Extracted:
    """The reference list found in one document.

    `lines`: the list as text, one entry per paragraph with a blank line between entries (an
    auto-numbered Word list gets its numbers written out), each line with its place.
    `items`: CSL-JSON items (Zotero or Mendeley citation fields), each with the place of its
    first citation; when there are any, they are the list.
    `listed`: the lines are the document's reference list (found under its heading), not its
    whole text, so every dated entry in them is taken for a reference."""

    lines: list[tuple[str, Place]] = field(default_factory=list)
    items: list[tuple[dict[str, Any], Place]] = field(default_factory=list)
    listed: bool = False
    broken: list[tuple[str, Place]] = field(default_factory=list)  # (what, where) not read
    # (what was guessed, its line) when the text's encoding was guessed (I003)
    encoding_note: tuple[str, int] | None = None

    def add(self, text: str, place: Place) -> None:
        self.lines.append((text, place))

    def add_entry(self, text: str, place: Place) -> None:
        """One entry on a line of its own, apart from the one before."""
        if self.lines and self.lines[-1][0]:
            self.lines.append(("", place))
        self.lines.append((text, place))


def read_extracted(extracted: Extracted, file_name: str) -> SourceRead:
    """The references of an Extracted list, each at its place in the document."""
    if extracted.items:
        from auditor.sources.csljson import read_csljson

        # One item per line: item k stands on line k + 2 of this text.
        text = "[\n" + ",\n".join(json.dumps(item, ensure_ascii=False)
                                  for item, _ in extracted.items) + "\n]"
        places = [extracted.items[0][1], *(place for _, place in extracted.items),
                  extracted.items[-1][1]]
        read = read_csljson(text, file_name)
    else:
        from auditor.sources.reflist import read_reflist

        text = "\n".join(line for line, _ in extracted.lines)
        places = [place for _, place in extracted.lines]
        read = read_reflist(text, file_name, listed=extracted.listed,
                            prose_around=not extracted.listed)
    problems = [_moved(p, places) for p in read.problems] + [
        InputProblem(SourceLocation(file_name, place.line, place.page),
                     codes.UNREADABLE_ENTRY.make("{what}: not read", what=what), what)
        for what, place in extracted.broken]
    if extracted.encoding_note:
        note, line = extracted.encoding_note
        problems.append(InputProblem(SourceLocation(file_name, line),
                                     codes.FALLBACK_ENCODING.make(note)))
    return SourceRead([_moved(r, places) for r in read.references], problems)


def _moved(thing: _Located, places: list[Place]) -> _Located:
    """`thing` with its line in the text handed on replaced by its place in the document."""
    line = thing.source.line
    place = places[min(max(line, 1), len(places)) - 1] if places else Place(line)
    return replace(thing, source=SourceLocation(thing.source.file, place.line, place.page))
