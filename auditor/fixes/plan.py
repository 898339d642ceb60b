"""What `auditor fix` will change, decided from the verdicts and the entries' fields alone.

Pure: `plan_fixes(verdicts, entries)` → a list of `Edit`s, one per change (or per change that
could not be made, `kind="skipped"`, with why). Nothing here reads a file or the network.

The rules, per entry:

1. no `doi` field, and the search matched the work with high confidence (medium with
   `min_confidence="medium"`) → add `doi = {…}`;
2. a `doi` field written as a URL, with `doi:`, spaces or trailing punctuation → the bare DOI, in
   its own letter case (an invalid DOI is left alone and reported);
3. a preprint whose record names its version of record (`is-preprint-of`) → add
   `versionofrecord = {…}` and a note;
4. a retracted or withdrawn work → a note naming the notice's DOI and date;
5. a note goes in `note` when the entry has none, else in `addendum`, else nowhere (reported):
   a field the user wrote is never rewritten, and nothing is ever deleted.

Every rule looks first at what the entry already says, so planning again on the fixed file
gives no edit (idempotence).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from auditor import codes
from auditor.judge.updates import STATUS_RULES
from auditor.model import Update, Verdict
from auditor.sources.doi import normalize_doi, strip_doi
from auditor.vocabulary import Confidence, Kind, Resolution, Status

CONFIDENCE_RANK = {confidence: rank for rank, confidence in enumerate(Confidence)}
NOTE_FIELDS = ("note", "addendum")
VERSION_FIELD = "versionofrecord"
# Edit kinds; every kind but these two adds a field.
REPLACE_KINDS = frozenset({"normalise-doi"})
REPORT_KINDS = frozenset({"skipped"})
NOTICE_WORDS = {Status.RETRACTED: ("Retracted", "retraction", "retraction"),
                Status.WITHDRAWN: ("Withdrawn", "withdrawal", "withdrawal")}


@dataclass(frozen=True)
class Edit:
    """One change to one entry, e.g. `Edit("victora2016", 2, "normalise-doi", "doi",
    "10.1016/S0140-6736(15)01024-7", "normalised doi …")`. `value` is the field's text without
    its delimiters; `kind="skipped"` changes nothing and says why in `message`."""

    key: str
    line: int
    kind: str
    field: str | None = None
    value: str | None = None
    message: str = ""

    @property
    def action(self) -> str:
        """`add` a field at the end of the entry, `replace` a field's value, or `none`."""
        if self.kind in REPLACE_KINDS:
            return "replace"
        return "none" if self.kind in REPORT_KINDS else "add"


@dataclass(frozen=True)
class EntryFields:
    """An entry as the planner sees it: key, line of its `@`, and its fields by lower-cased name
    with their values as written (`{…}`, `"…"`, a number or a macro; the first of a duplicated
    field). `editable` is False when the text could not be mapped safely (left alone)."""

    key: str
    line: int
    fields: Mapping[str, str] = field(default_factory=dict)
    editable: bool = True


def plan_fixes(verdicts: Sequence[Verdict], entries: Sequence[EntryFields], *,
               min_confidence: Confidence = Confidence.HIGH, file: str | None = None
               ) -> list[Edit]:
    """The edits for every entry, in file order. `file` keeps only the verdicts read from that
    file (as the report names it); `min_confidence` is the lowest match confidence whose DOI is
    added ("high" or "medium")."""
    if min_confidence not in CONFIDENCE_RANK:
        raise ValueError(f"min_confidence: choose from {', '.join(CONFIDENCE_RANK)}")
    find = _verdict_finder(verdicts, file)
    children = _children_by_parent(entries)
    edits: list[Edit] = []
    for entry in entries:
        planned = _plan_entry(entry, find(entry), CONFIDENCE_RANK[min_confidence])
        if not entry.editable and any(e.action != "none" for e in planned):
            planned = [Edit(entry.key, entry.line, "skipped", message="not changed: its fields "
                            "could not be located safely in the text; left as written")]
        inheriting = children.get(entry.key.lower())
        if inheriting and any(e.action == "add" for e in planned):
            # BibTeX and biblatex copy a parent's fields into a `crossref` child that lacks
            # them: a DOI or a note added here would be the children's too.
            planned = [e for e in planned if e.action != "add"] + [Edit(
                entry.key, entry.line, "skipped", message=(
                    f"not changed: it is the crossref/xdata parent of {', '.join(inheriting)}, "
                    "which would inherit an added doi or note; add them by hand"))]
        edits.extend(planned)
    return edits


def _children_by_parent(entries: Sequence[EntryFields]) -> dict[str, list[str]]:
    """Lower-cased parent key → the keys of the entries that inherit from it."""
    children: dict[str, list[str]] = {}
    for entry in entries:
        for name in ("crossref", "xdata"):
            for parent in (literal(entry.fields.get(name)) or "").split(","):
                if parent.strip():
                    children.setdefault(parent.strip().lower(), []).append(entry.key)
    return children


def published_versions(verdicts: Sequence[Verdict], entries: Sequence[EntryFields], *,
                       min_confidence: Confidence = Confidence.HIGH, file: str | None = None
                       ) -> list[tuple[EntryFields, str]]:
    """(preprint entry, DOI of its version of record) for every trusted preprint whose version
    of record is not already in the file (an entry whose `doi` field is that DOI)."""
    find = _verdict_finder(verdicts, file)
    present = set()
    for entry in entries:
        written = literal(entry.fields.get("doi"))
        parsed = normalize_doi(written) if written else None
        if parsed and parsed.doi:
            present.add(parsed.doi)
    out = []
    for entry in entries:
        verdict = find(entry)
        if verdict is None or not _trusted(verdict, entry, CONFIDENCE_RANK[min_confidence]):
            continue
        version = version_of_record(verdict)
        if version and version.lower() not in present:
            present.add(version.lower())
            out.append((entry, version))
    return out


def _verdict_finder(verdicts: Sequence[Verdict], file: str | None):
    """Look a verdict up by the line of its entry's `@` and its key (two entries may share a
    key, never a line)."""
    by_place = {(v.reference.source.line, v.key): v for v in verdicts
                if file is None or v.reference.source.file == file}

    def find(entry: EntryFields) -> Verdict | None:
        return by_place.get((entry.line, entry.key))

    return find


def _plan_entry(entry: EntryFields, verdict: Verdict | None, min_rank: int) -> list[Edit]:
    def edit(kind: str, name: str | None = None, value: str | None = None,
             message: str = "") -> Edit:
        return Edit(entry.key, entry.line, kind, name, value, message)

    edits: list[Edit] = []
    fields = entry.fields
    written = fields.get("doi")
    moved = _doi_from_other_field(verdict) if written is None else None
    if moved is not None:
        # The DOI sits in url/howpublished/note: a doi field makes it the entry's for every
        # tool, and keeps a note added below (naming another DOI) from being read as the DOI.
        edits.append(edit("add-doi", "doi", moved[0],
                          f"added doi {moved[0]} (it was only in the {moved[1]} field)"))
    elif written is None:
        match = verdict.match if verdict is not None else None
        if match is not None and match.applied and verdict.resolution == Resolution.MATCHED:
            if CONFIDENCE_RANK.get(match.confidence, 0) >= min_rank:
                edits.append(edit("add-doi", "doi", match.doi,
                                  f"added doi {match.doi} (found by search, {match.confidence} "
                                  "confidence)"))
            else:
                edits.append(edit("skipped", message=(
                    f"not changed: search found {match.doi} with {match.confidence} confidence "
                    f"(--min-confidence {match.confidence} would add it)")))
    else:
        edits.extend(_normalise(edit, written))
    if verdict is None or not _trusted(verdict, entry, min_rank):
        return edits

    taken = {name for name in NOTE_FIELDS if name in fields}

    def note(kind: str, sentence: str, what: str) -> Edit:
        free = next((name for name in NOTE_FIELDS if name not in taken), None)
        if free is None:
            return edit("skipped", message=f"{what}, but the note could not be added: note and "
                        f"addendum are both taken (left as written): {sentence}")
        taken.add(free)
        return edit(kind, free, sentence, f"{what} in {free}: {sentence}")

    if verdict.status in NOTICE_WORDS:
        notice = _notice(verdict.status, verdict.updates)
        if not _mentions(fields, notice.doi if notice and notice.doi else verdict.status):
            sentence = notice_sentence(verdict.status, notice)
            edits.append(note(f"mark-{verdict.status}", sentence, f"marked {verdict.status}")
                         if _note_safe(sentence) else edit("skipped", message=(
                             f"marked {verdict.status}, but the notice's DOI cannot be written "
                             f"in a note: {sentence}")))
    version = version_of_record(verdict)
    if version:
        edits.extend(_version_edits(edit, note, fields, version))
    return edits


def _doi_from_other_field(verdict: Verdict | None) -> tuple[str, str] | None:
    """(DOI, field) when the reader took the entry's DOI from another field (D005) and it did
    not lead elsewhere."""
    if verdict is None or verdict.reference.doi is None or verdict.resolution not in (
            Resolution.VERIFIED, Resolution.UNCHECKED):
        return None
    for finding in verdict.reference.findings:
        if codes.DOI_FROM_FIELD.found_in((finding,)):
            found = re.search(r"from the (\w+) field", finding.message)
            return verdict.reference.doi, found.group(1) if found else "another"
    return None


def _normalise(edit, written: str) -> list:
    """Rule 2: the doi field's value without URL, prefix, spaces or trailing punctuation."""
    content = literal(written)
    if content is None:  # a macro or a concatenation: not ours to rewrite
        return []
    parsed = normalize_doi(content)
    if parsed.doi is None:
        if not content.strip():
            return []
        return [edit("skipped", message=f"not changed: doi {content.strip()!r} is not a valid "
                     "DOI (10.NNNN/suffix); left as written")]
    if parsed.others:
        return [edit("skipped", message=f"not changed: the doi field holds several DOIs "
                     f"({', '.join((parsed.doi, *parsed.others))}); left as written")]
    clean = clean_doi(content)
    if clean is None:
        return [edit("skipped", message=f"not changed: doi {content.strip()!r} could not be "
                     "reduced to the bare DOI without rewriting it; left as written")]
    if clean == content:
        return []
    return [edit("normalise-doi", "doi", clean, f"normalised doi {content.strip()} → {clean}")]


def _version_edits(edit, note, fields: Mapping[str, str], version: str) -> list:
    """Rule 3: versionofrecord and its note, unless the entry already names a version."""
    existing = fields.get(VERSION_FIELD)
    if existing is not None:
        said = normalize_doi(literal(existing) or existing).doi
        if said == version.lower():
            return []
        return [edit("skipped", message=f"version of record {version}, but versionofrecord "
                     f"already says {existing}; left as written")]
    if not _value_safe(version):
        return [edit("skipped", message=f"version of record {version} cannot be written as a "
                     "BibTeX value; not added")]
    edits = [edit("version-of-record", VERSION_FIELD, version,
                  f"version of record {version}: added {VERSION_FIELD}")]
    sentence = f"Preprint; version of record: doi:{latex_escape(version)}"
    if not _mentions(fields, version) and _note_safe(sentence):
        edits.append(note("note-version-of-record", sentence, f"version of record {version}"))
    return edits


def _trusted(verdict: Verdict, entry: EntryFields, min_rank: int) -> bool:
    """Whether the record behind the verdict is the cited work: a DOI that verified, or a search
    match whose DOI this fix adds."""
    if verdict.resolution == Resolution.VERIFIED:
        return verdict.work is not None
    match = verdict.match
    return (verdict.resolution == Resolution.MATCHED and match is not None and match.applied
            and "doi" not in entry.fields and verdict.work is not None
            and CONFIDENCE_RANK.get(match.confidence, 0) >= min_rank)


def version_of_record(verdict: Verdict) -> str | None:
    """The DOI of a preprint's version of record (`is-preprint-of`), or None."""
    if verdict.kind != Kind.PREPRINT or verdict.work is None:
        return None
    for target in verdict.work.relation.get("is-preprint-of", ()):
        doi = normalize_doi(target).doi
        if doi:
            return doi
    return None


def _notice(status: Status, updates: Iterable[Update]) -> Update | None:
    """The notice behind a status: the first `retraction` for retracted, with a DOI if any."""
    wanted = STATUS_RULES[status].update_types
    notices = [u for u in updates if u.type in wanted]
    return next((u for u in notices if u.doi), notices[0] if notices else None)


def notice_sentence(status: str, notice: Update | None) -> str:
    """`Retracted: see the retraction notice doi:10.x/notice (recorded 2020-03-01)`."""
    word, noun, _ = NOTICE_WORDS[status]
    if notice is None or not notice.doi:
        source = f" by {'PubMed' if notice.source == 'pubmed' else notice.source}" if (
            notice and notice.source) else ""
        return f"{word}: a {noun} is recorded{source}, with no notice DOI"
    date = f" (recorded {notice.date})" if notice.date else ""
    return f"{word}: see the {noun} notice doi:{latex_escape(notice.doi)}{date}"


def latex_escape(doi: str) -> str:
    """A DOI inside a note is LaTeX text: `_`, `%`, `&`, `#` and `$` are escaped."""
    return re.sub(r"([_%&#$])", r"\\\1", doi)


def _note_safe(sentence: str) -> bool:
    """No character a note cannot carry as plain LaTeX text."""
    return not re.search(r"[{}~^]|\\(?![_%&#$])", sentence)


def _value_safe(value: str) -> bool:
    return _balanced(value) and "\n" not in value and "\r" not in value


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += (ch == "{") - (ch == "}")
        if depth < 0:
            return False
    return depth == 0


def _mentions(fields: Mapping[str, str], what: str) -> bool:
    """Whether note or addendum already names `what` (a DOI, or a status word), so a note is
    never added twice: LaTeX escapes and case are ignored."""
    wanted = what.lower()
    for name in NOTE_FIELDS:
        text = fields.get(name)
        if text and wanted in re.sub(r"\s+", " ", text.replace("\\", "")).lower():
            return True
    return False


def literal(written: str | None) -> str | None:
    """The text of a value written as one `{…}` or `"…"` (or a bare number); None for a macro,
    a concatenation (`#`) or nothing."""
    if written is None:
        return None
    value = written.strip()
    if value.isdigit():
        return value
    if len(value) >= 2 and value[0] == "{" and _closing_brace(value) == len(value) - 1:
        return value[1:-1]
    if len(value) >= 2 and value[0] == value[-1] == '"':
        inner, depth = value[1:-1], 0
        for ch in inner:
            depth += (ch == "{") - (ch == "}")
            if ch == '"' and depth == 0:
                return None
        return inner
    return None


def _closing_brace(value: str) -> int:
    depth = 0
    for i, ch in enumerate(value):
        depth += (ch == "{") - (ch == "}")
        if depth == 0:
            return i
    return -1


def clean_doi(written: str) -> str | None:
    """The DOI as written without what surrounds it, its letter case kept:
    `https://doi.org/10.1136/BMJ.m1.` → `10.1136/BMJ.m1`, `doi: 10.1/x` → `10.1/x`. None when
    that is not possible without rewriting the DOI itself (braces, several DOIs, invalid)."""
    wanted = normalize_doi(written)
    if wanted.doi is None or wanted.others or "{" in written or "}" in written:
        return None
    value = strip_doi(written.strip(), unescape=False)
    if value is not None and normalize_doi(value).doi == wanted.doi:
        return value
    start = written.lower().find(wanted.doi)  # a landing page: take the DOI where it stands
    if start >= 0:
        candidate = written[start:start + len(wanted.doi)]
        if normalize_doi(candidate).doi == wanted.doi:
            return candidate
    return None

