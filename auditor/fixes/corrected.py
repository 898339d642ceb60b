"""`auditor fix` without the files: a BibTeX file's bytes and their audit → the corrected text,
the edits made and a sentence that counts them. The `fix` command writes the result to disk;
the local page offers it as a download.
"""

from __future__ import annotations

import codecs
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from auditor.errors import AuditorError
from auditor.fixes.bibtex_edit import apply_edits, check_edit
from auditor.fixes.bibtex_scan import read_entries
from auditor.fixes.plan import Edit, plan_fixes
from auditor.i18n import N_plural, _, n_
from auditor.model import Verdict
from auditor.vocabulary import Confidence

# What each kind of edit is called in the summary line.
SUMMARY_WORDS = {
    "add-doi": N_plural("{n} DOI added", "{n} DOIs added"),
    "normalise-doi": N_plural("{n} DOI normalised", "{n} DOIs normalised"),
    "version-of-record": N_plural("{n} version of record", "{n} versions of record"),
    "note-version-of-record": N_plural("{n} version-of-record note",
                                       "{n} version-of-record notes"),
    "mark-retracted": N_plural("{n} marked retracted", "{n} marked retracted"),
    "mark-withdrawn": N_plural("{n} marked withdrawn", "{n} marked withdrawn"),
    "append-published": N_plural("{n} entry appended", "{n} entries appended")}


@dataclass(frozen=True)
class Corrected:
    """A BibTeX text as `fix` leaves it: the new text, in the encoding the file was read in."""

    file: str  # the input's name, as the report gives it
    before: str
    text: str
    encoding: str
    edits: tuple[Edit, ...]

    @property
    def changed(self) -> bool:
        return self.text != self.before

    def encoded(self) -> bytes:
        try:
            return self.text.encode(self.encoding)
        except UnicodeEncodeError:
            raise AuditorError(f"the file is in {self.encoding}, which cannot hold the new "
                               "text; convert it to UTF-8 first") from None


def decoded(raw: bytes, name: str) -> tuple[str, str]:
    """A BibTeX file's text and the encoding that gives its bytes back exactly: UTF-8 (a BOM
    kept as the text's first character), else Latin-1, byte for byte — the new text is ASCII,
    so whatever the file's real 8-bit encoding, every other byte is written back as it was."""
    if not raw.strip():
        raise AuditorError(f"{name}: empty file")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise AuditorError(f"{name} is UTF-16; convert it to UTF-8 first")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "latin-1"


def corrected(text: str, verdicts: Sequence[Verdict], *, file: str, encoding: str = "utf-8",
              min_confidence: Confidence = Confidence.HIGH) -> Corrected:
    """The text with the audit's findings written in (`file`: the name the verdicts give the
    input), checked by reading both texts again; raises EditError if it would not read so."""
    edits = plan_fixes(verdicts, read_entries(text), min_confidence=min_confidence, file=file)
    fixed = apply_edits(text, edits)
    check_edit(text, fixed, edits)
    return Corrected(file, text, fixed, encoding, tuple(edits))


def summary(edits: Sequence[Edit]) -> str:
    """`3 changes in 2 entries (1 doi normalised, 2 doi added); 1 left as written`, in the
    reader's language."""
    done = [e for e in edits if e.kind != "skipped"]
    counts = Counter(e.kind for e in done)
    entries = len({(e.line, e.key) for e in done})
    detail = (" (" + ", ".join(n_(*SUMMARY_WORDS[kind], n).format(n=n) if kind in SUMMARY_WORDS
                               else f"{n} {kind}" for kind, n in counts.items()) + ")"
              if counts else "")
    skipped = sum(e.kind == "skipped" for e in edits)
    changes = n_("{n} change", "{n} changes", len(done)).format(n=len(done))
    in_entries = n_("{n} entry", "{n} entries", entries).format(n=entries)
    said = _("{changes} in {entries}").format(changes=changes, entries=in_entries) + detail
    if not skipped:
        return said
    return _("{done}; {left}").format(done=said, left=n_(
        "{n} left as written", "{n} left as written", skipped).format(n=skipped))
