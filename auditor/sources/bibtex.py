"""Read BibTeX and BibLaTeX into References, keeping everything readable and reporting the rest.

bibtexparser v2 splits the file into blocks (entries, @string, comments, failed blocks with their
line). We run it without its middlewares and resolve values ourselves: `@string` macros and `#`
concatenation in one pass, then LaTeX decoding of only the fields the auditor uses (fast).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace

import bibtexparser
from bibtexparser.model import Entry, ParsingFailedBlock, String

from auditor import codes
from auditor.i18n import N_, Phrase
from auditor.model import Finding, InputProblem, Reference, SourceLocation
from auditor.sources.base import decide_doi
from auditor.sources.bibvalues import (
    parse_year,
    resolve_value,
    split_authors,
    split_missing_commas,
    strip_comments,
)
from auditor.sources.doi import find_doi
from auditor.sources.isbn import find_isbn
from auditor.sources.latex import decode_latex

# BibLaTeX's default inheritance through `crossref`: the parent's titles become the child's book
# titles; its short/sort titles stay its own; `ids` (its aliases), `entryset` and the other
# per-entry controls are never copied.
_CROSSREF_TARGETS = {"title": "booktitle", "subtitle": "booksubtitle",
                     "titleaddon": "booktitleaddon"}
_OWN_TITLES = {"shorttitle", "sorttitle", "indextitle", "indexsorttitle"}
_NOT_INHERITED = {"ids", "entryset", "label", "options", "shorthand", "sortkey", "related"}
# Fields a DOI may hide in when the `doi` field is empty, in the order they are tried.
DOI_FALLBACK_FIELDS = ("url", "eprint", "note", "howpublished", "addendum")
_PROSE_FIELDS = frozenset({"note", "addendum"})
# Plain BibTeX has no `url` field: a web page is cited as `howpublished = {\url{https://…}}`.
URL_FALLBACK_FIELDS = ("howpublished", "note")
_URL_IN_TEXT = re.compile(r"https?://[^\s{}\"'<>]+")
# An entry opened with no key: EndNote writes `@article{` and the fields straight after.
_KEYLESS = re.compile(r"(@[ \t]*(?!string\b|preamble\b|comment\b)[A-Za-z]+[ \t]*\{)"
                      r"(?=[ \t]*(?:\n[ \t]*)?[A-Za-z][\w-]*[ \t]*=)", re.IGNORECASE)
_NO_KEY = "auditor-no-key-"


@dataclass
class BibRead:
    """Everything read from one BibTeX text: the references and the problems, each with a line."""

    references: list[Reference] = field(default_factory=list)
    problems: list[InputProblem] = field(default_factory=list)


def _text(fields: dict[str, str], *names: str) -> str | None:
    for name in names:
        value = fields.get(name)
        if value and value.strip():
            decoded = decode_latex(value)
            if decoded:
                return decoded
    return None


class BibtexReader:
    """Reads one BibTeX/BibLaTeX text; `read(text, file_name)` → BibRead."""

    def read(self, text: str, file_name: str) -> BibRead:
        result = BibRead()
        if "\r" in text:  # the splitter counts "\n" only; old Mac files end lines with "\r"
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        text = _KEYLESS.sub(lambda m: f"{m.group(1)}{_NO_KEY}{m.start()},", text)
        library = bibtexparser.parse_string(strip_comments(text), parse_stack=[])
        # Blocks come in file order; a duplicated key or field arrives wrapped in a failed block
        # whose `ignore_error_block` is the readable Entry (or String), so unwrap it first.
        macros: dict[str, str] = {}
        resolved: list[tuple[Entry, dict[str, str], list[Finding]]] = []
        first_line: dict[str, int] = {}
        for block in library.blocks:
            inner = getattr(block, "ignore_error_block", None)
            inner = block if inner is None else inner
            if isinstance(inner, String):  # as in BibTeX, a redefinition wins from there on
                macros[inner.key.lower()] = resolve_value(inner.value, macros)
            elif isinstance(inner, Entry):
                fields, duplicated, merged = self._fields(inner, macros)
                found: list[Finding] = []
                line = inner.start_line + 1
                if inner.key in first_line:
                    found.append(codes.DUPLICATE_KEY.make(
                        "citation key {key!r} is used more than once (also at line {line}); "
                        "both are kept", key=inner.key, line=first_line[inner.key]))
                first_line.setdefault(inner.key, line)
                if merged:
                    found.append(codes.MISSING_COMMA.make(
                        "a comma seems missing before {fields}; read as separate fields",
                        fields=_fields_named(merged)))
                if duplicated:
                    found.append(codes.DUPLICATE_FIELD.make(
                        "{fields} set twice; the first value is used",
                        fields=_fields_named(duplicated)))
                resolved.append((inner, fields, found))
            elif isinstance(block, ParsingFailedBlock) and not _is_comment_block(block):
                result.problems.append(InputProblem(
                    SourceLocation(file_name, block.start_line + 1),
                    _failed_block_finding(block), block.raw))

        by_key: dict[str, dict[str, str]] = {}
        for entry, fields, _ in resolved:
            by_key.setdefault(entry.key.lower(), fields)
        for _, fields, _ in resolved:  # BibLaTeX `ids = {alias, …}`: a parent may be named so
            for alias in fields.get("ids", "").split(","):
                if alias.strip():
                    by_key.setdefault(alias.strip().lower(), fields)
        taken = {entry.key.lower() for entry, _fields, _found in resolved}
        for entry, fields, found in resolved:
            found = found + _inherit(fields, by_key)
            reference = self._reference(entry, fields, found,
                                        SourceLocation(file_name, entry.start_line + 1))
            if reference.key.startswith(_NO_KEY):
                reference = _named(reference, taken)
            result.references.append(reference)
        return result

    @staticmethod
    def _fields(entry: Entry, macros: dict[str, str]
                ) -> tuple[dict[str, str], list[str], list[str]]:
        """Lower-cased field names → resolved raw text, the names set more than once (in any
        case: `Title` and `title`; the first value wins), and the names recovered from a value
        that swallowed them because a comma was missing (`title = {T}⏎ year = {2019}`)."""
        fields: dict[str, str] = {}
        duplicated: list[str] = []
        merged: list[str] = []
        for f in entry.fields:
            if not isinstance(f.value, str):
                continue
            pieces = split_missing_commas(f.key, f.value)
            merged.extend(name.lower() for name, _ in pieces[1:])
            for key, raw in pieces:
                name = key.lower()
                if name in fields:
                    if name not in duplicated:
                        duplicated.append(name)
                else:
                    fields[name] = resolve_value(raw, macros)
        return fields, sorted(duplicated), merged

    def _reference(self, entry: Entry, fields: dict[str, str], found: list[Finding],
                   where: SourceLocation) -> Reference:
        entry_type = entry.entry_type.lower()
        title = _text(fields, "title")
        subtitle = _text(fields, "subtitle")
        if title and subtitle:
            title = f"{title}: {subtitle}"
        if not title:
            found.append(codes.NO_TITLE.make("the entry has no title"))
        author_field = fields.get("author") or fields.get("editor") or ""
        container = _text(fields, "journaltitle", "journal", "booktitle", "maintitle")
        if container is None and entry_type in ("book", "mvbook", "techreport", "report"):
            container = _text(fields, "series")
        doi, doi_written, doi_findings = extract_doi(fields)
        return Reference(
            key=entry.key,
            source=where,
            entry_type=entry_type,
            title=title,
            authors=split_authors(author_field) if author_field else (),
            year=parse_year(fields.get("year"), fields.get("date")),
            container=container,
            volume=_text(fields, "volume"),
            issue=_text(fields, "number", "issue"),
            pages=_text(fields, "pages"),
            publisher=_text(fields, "publisher", "institution", "organization", "school"),
            url=extract_url(fields),
            isbn=find_isbn(fields.get("isbn")),
            note=_text(fields, "note", "howpublished"),
            doi=doi,
            doi_as_written=doi_written,
            findings=tuple(found + doi_findings),
            pmid=_pmid(fields),
        )


_PMID = re.compile(r"\bPMID\s*:?\s*(\d{1,9})\b", re.IGNORECASE)


def _pmid(fields: dict[str, str]) -> str | None:
    """The PubMed id of `pmid = {27777777}` (JabRef, Better BibTeX, PubMed's own export), else
    of "PMID: 27777777" in the note or annotation."""
    written = re.fullmatch(r"\s*(?:PMID\s*:?\s*)?(\d{1,9})\s*", fields.get("pmid") or "",
                           re.IGNORECASE)
    if written:
        return written.group(1)
    match = _PMID.search(" ".join(fields.get(name) or "" for name in ("note", "annote", "extra")))
    return match.group(1) if match else None


def _named(reference: Reference, taken: set[str]) -> Reference:
    """A keyless entry (EndNote) gets a key from its first author and year: `victora2016`,
    then `victora2016b`…; a finding says so."""
    family = re.sub(r"[^a-z]", "", unicodedata.normalize("NFKD", reference.first_author_family
                                                         or "anon").lower()) or "anon"
    base = f"{family}{reference.year or 'nd'}"
    key, letter = base, ord("a")
    while key.lower() in taken:
        letter += 1
        key = f"{base}{chr(letter)}"
    taken.add(key.lower())
    return replace(reference, key=key, findings=(*reference.findings, codes.MISSING_KEY.make(
        "the entry has no citation key; it is named {key}", key=key)))


def extract_doi(fields: dict[str, str]) -> tuple[str | None, str | None, list[Finding]]:
    """The entry's DOI: from `doi`, else from url/eprint/note/howpublished.

    Returns (normalised DOI, text as written, findings). An invalid `doi` field is a finding and is
    never looked up; a DOI elsewhere that disagrees with the `doi` field is flagged.
    """
    written = (fields.get("doi") or "").strip() or None
    for name in DOI_FALLBACK_FIELDS:
        if name == "eprint" and fields.get("eprinttype", "").lower() not in ("", "doi"):
            continue
        if written and name in _PROSE_FIELDS:
            continue  # a note names other works (an erratum, the version of record): no clash
        candidate = find_doi(fields.get(name))
        if candidate:
            return decide_doi(written, "doi field", candidate, name, fields.get(name))
    return decide_doi(written, "doi field")


def extract_url(fields: dict[str, str]) -> str | None:
    """The `url` field, else the first http(s) URL in howpublished or note, as plain BibTeX
    writes it: `howpublished = {\\url{https://www.who.int/publications/i/item/9789240015128}}`."""
    url = fields.get("url", "").strip()
    if url:
        return url
    for name in URL_FALLBACK_FIELDS:
        match = _URL_IN_TEXT.search(fields.get(name, ""))
        if match:  # `\_` and `\%` are LaTeX escapes outside `\url{}`; a final "." ends a sentence
            return re.sub(r"\\([_%#&])", r"\1", match.group(0)).rstrip(".,;:")
    return None


def _inherit(fields: dict[str, str], by_key: dict[str, dict[str, str]]) -> list[Finding]:
    """Fill missing fields from `crossref`/`xdata` parents (BibLaTeX rules, simplified): the
    parent's title becomes the child's booktitle; any other missing field is copied. Chains are
    followed and loops cut; a missing parent is reported. A parent's own `ids` (its aliases) and
    `entryset` are neither followed nor copied, and its subtitle is the child's booksubtitle,
    never part of the child's title."""
    found: list[Finding] = []
    seen: set[str] = set()
    pending = [(name, fields[name]) for name in ("crossref", "xdata") if fields.get(name)]
    while pending:
        link, value = pending.pop(0)
        for parent_key in (k.strip() for k in value.split(",")):
            lowered = parent_key.lower()
            if not parent_key or lowered in seen:
                continue
            seen.add(lowered)
            parent = by_key.get(lowered)
            if parent is None:
                found.append(codes.MISSING_PARENT.make(
                    "{link} = {{{parent}}} names no entry in this file", link=link,
                    parent=parent_key))
                continue
            if parent is fields:  # a loop back to the entry itself (`crossref = {itself}`)
                continue
            for name, parent_value in parent.items():
                if name in ("crossref", "xdata"):
                    pending.append((name, parent_value))
                    continue
                if name in _NOT_INHERITED or (link == "crossref" and name in _OWN_TITLES):
                    continue
                target = _CROSSREF_TARGETS.get(name, name) if link == "crossref" else name
                if target == "booktitle" and "booktitle" in fields:
                    continue
                fields.setdefault(target, parent_value)
    return found


def _is_comment_block(block: ParsingFailedBlock) -> bool:
    """A broken `@comment{…}` loses nothing: BibTeX skips it anyway, and the splitter resumes at
    the next entry, so it is not reported."""
    return block.raw.lstrip()[:8].lower() == "@comment"


def _fields_named(names: list[str]) -> str:
    return ("field " if len(names) == 1 else "fields ") + ", ".join(names)


def _failed_block_finding(block: object) -> Finding:
    """`could not read @article{broken: the file ends before the entry is closed (a } is
    missing)` — the splitter's reason, in plain words when it is a known one."""
    error = getattr(block, "error", None)
    reason = getattr(error, "abort_reason", None) or getattr(error, "message", None) or str(
        error or "")
    reason = reason.strip().splitlines()[0].strip().rstrip(".") if reason.strip() else ""
    reason = reason[:1].lower() + reason[1:] if reason else "syntax error"
    kind = "block"
    if isinstance(block, ParsingFailedBlock):
        match = re.match(r"@(\w+)\s*[{(]\s*([^,\s]*)", block.raw.lstrip()[:60])
        if match:
            kind = f"@{match.group(1)}" + (f"{{{match.group(2)}" if match.group(2) else "")
    plain = next((plain for pattern, plain in _PLAIN_REASONS if pattern.search(reason)), None)
    if plain is None:
        return codes.UNREADABLE_ENTRY.make(
            "could not read {kind}: the BibTeX reader says: {reason}; skipped, the rest of the "
            "file is audited", kind=kind, reason=reason)
    return codes.UNREADABLE_ENTRY.make(
        "could not read {kind}: {reason}; skipped, the rest of the file is audited", kind=kind,
        reason=Phrase(plain))


# The splitter's reasons in words a reader can act on.
_PLAIN_REASONS = (
    (re.compile(r"still looking for field-value closing `?}", re.IGNORECASE),
     N_("a closing brace } is missing before the next entry")),
    (re.compile(r"still looking for field-value closing `?\"", re.IGNORECASE),
     N_('a closing quote " is missing before the next entry')),
    (re.compile(r"end of file|end of string", re.IGNORECASE),
     N_("the file ends before the entry is closed (a } is missing)")),
    (re.compile(r"unexpected block start", re.IGNORECASE),
     N_("the entry is not closed before the next one begins")),
)


def read_bibtex(text: str, file_name: str) -> BibRead:
    return BibtexReader().read(text, file_name)

