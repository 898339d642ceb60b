"""Read BibTeX and BibLaTeX into References, keeping everything readable and reporting the rest.

bibtexparser v2 splits the file into blocks (entries, @string, comments, failed blocks with their
line). We run it without its middlewares and resolve values ourselves: `@string` macros and `#`
concatenation in one pass, then LaTeX decoding of only the fields the auditor uses (fast).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import bibtexparser
from bibtexparser.model import Entry, ParsingFailedBlock, String

from auditor import codes
from auditor.model import Finding, InputProblem, Reference, SourceLocation
from auditor.sources.doi import find_doi, normalize_doi
from auditor.sources.latex import decode_latex

MONTHS = {m: str(i) for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
_ISBN = re.compile(r"(?:97[89][-\s]?)?(?:\d[-\s]?){9}[\dXx]")
# BibLaTeX's default inheritance through `crossref`: the parent's titles become the child's book
# titles; its short/sort titles stay its own; `ids` (its aliases), `entryset` and the other
# per-entry controls are never copied.
_CROSSREF_TARGETS = {"title": "booktitle", "subtitle": "booksubtitle",
                     "titleaddon": "booktitleaddon"}
_OWN_TITLES = {"shorttitle", "sorttitle", "indextitle", "indexsorttitle"}
_NOT_INHERITED = {"ids", "entryset", "label", "options", "shorthand", "sortkey", "related"}
# What `strip_comments` looks at: an escaped character, a brace, a quote, a `%`, and a block
# start at the beginning of a line (where bibtexparser's splitter restarts after a broken block).
_COMMENT_MARKS = re.compile(r'\\.|[{}"%]|^[ \t]*@\w*[ \t]*[{(]', re.S | re.M)
# Fields a DOI may hide in when the `doi` field is empty, in the order they are tried.
DOI_FALLBACK_FIELDS = ("url", "eprint", "note", "howpublished", "addendum")


@dataclass
class BibRead:
    """Everything read from one BibTeX text: the references and the problems, each with a line."""

    references: list[Reference] = field(default_factory=list)
    problems: list[InputProblem] = field(default_factory=list)


def _split_top_level(value: str, separator: str) -> list[str]:
    """Split on `separator` outside braces and quotes (`lan # " Global"` → [lan, " Global"])."""
    parts, depth, quoted, start = [], 0, False, 0
    for i, ch in enumerate(value):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(0, depth - 1)
        elif ch == '"' and depth == 0 and (i == 0 or value[i - 1] != "\\"):
            quoted = not quoted
        elif ch == separator and depth == 0 and not quoted:
            parts.append(value[start:i])
            start = i + 1
    parts.append(value[start:])
    return parts


def strip_comments(text: str) -> str:
    """Blank the `%` comments that stand outside field values, keeping every newline so that
    lines still count: a commented-out `% @manual{rlang, …}`, a `% remark` line between two
    fields, a `% remark` after a value or after the key. BibTeX itself knows no comments, but
    LaTeX users write them and biber and typst's biblatex skip them; a `%` inside `{…}` or `"…"`
    (`5\\% significance`, `%2F` in a URL) is text and is kept."""
    if "%" not in text:
        return text
    out, pos, depth, quoted = [], 0, 0, False
    for mark in _COMMENT_MARKS.finditer(text):
        char = mark.group()[-1]
        if mark.start() < pos or mark.group()[0] == "\\":
            continue
        if char in "{(" and "@" in mark.group():  # `@article(` counts as a brace here
            depth, quoted = 1, False
        elif char == "{":
            depth += 1
        elif char == "}":
            depth = max(0, depth - 1)
        elif char == '"' and depth == 1:
            quoted = not quoted
        elif char == "%" and depth <= 1 and not quoted:
            end = text.find("\n", mark.start())
            out.append(text[pos:mark.start()])
            pos = len(text) if end < 0 else end
    out.append(text[pos:])
    return "".join(out)


_NEXT_FIELD = re.compile(r"\s*\n\s*([A-Za-z][\w.:-]*)\s*=\s*(?=[{\"\w])")


def split_missing_commas(key: str, raw: str) -> list[tuple[str, str]]:
    """`("title", "{T}\\n  year = {2019}")` → `[("title", "{T}"), ("year", "{2019}")]`: a value
    that ends, at brace depth 0, and is followed on a new line by `name =` lost its comma."""
    if "=" not in raw or "\n" not in raw:
        return [(key, raw)]
    pieces: list[tuple[str, str]] = []
    depth, quoted, start, name = 0, False, 0, key
    i = 0
    while i < len(raw):
        ch = raw[i]
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(0, depth - 1)
        elif ch == '"' and depth == 0:
            quoted = not quoted
        elif ch == "\n" and depth == 0 and not quoted and i > start:
            match = _NEXT_FIELD.match(raw, i)
            if match:
                pieces.append((name, raw[start:i]))
                name, start = match.group(1), match.end()
                i = match.end()
                continue
        i += 1
    pieces.append((name, raw[start:]))
    return pieces


def resolve_value(raw: str, macros: dict[str, str]) -> str:
    """Turn a raw field value into its text: strip the outer `{}`/`""`, expand macros and `#`."""
    raw = raw.strip()
    pieces = [raw] if "#" not in raw else _split_top_level(raw, "#")
    out = []
    for piece in pieces:
        piece = piece.strip()
        if len(piece) >= 2 and (piece[0], piece[-1]) in (("{", "}"), ('"', '"')):
            out.append(piece[1:-1])
        elif piece.isdigit():
            out.append(piece)
        else:
            name = piece.lower()
            out.append(macros.get(name, MONTHS.get(name, piece)))
    return "".join(out)


def split_authors(value: str) -> tuple[str, ...]:
    """Split a BibTeX name list on top-level `and`, decode it, and write each name as
    "Family, Given" (`Cesar G. Victora` → `Victora, Cesar G.`); a braced corporate name such as
    `{World Health Organization}` stays whole, with no comma."""
    names = []
    for chunk in _split_names(value):
        chunk = chunk.strip()
        if not chunk or chunk.lower() == "others":
            continue
        corporate = chunk.startswith("{") and chunk.endswith("}") and _balanced_outer(chunk)
        name = decode_latex(chunk)
        if not name:
            continue
        if corporate or "," in name:
            names.append(name)
            continue
        words = name.split()
        if len(words) == 1:
            names.append(name)
            continue
        # "Ludwig van Beethoven": lower-case particles before the last word belong to the family.
        i = len(words) - 1
        while i > 1 and words[i - 1][:1].islower():
            i -= 1
        names.append(f"{' '.join(words[i:])}, {' '.join(words[:i])}")
    return tuple(names)


def _balanced_outer(text: str) -> bool:
    """True when the first "{" closes at the very end (`{WHO}` yes, `{A} and {B}` no)."""
    depth = 0
    for i, ch in enumerate(text):
        depth += ch == "{"
        depth -= ch == "}"
        if depth == 0:
            return i == len(text) - 1
    return False


def _split_names(value: str) -> list[str]:
    out, depth, start = [], 0, 0
    for match in _AND.finditer(value):
        depth = value.count("{", 0, match.start()) - value.count("}", 0, match.start())
        if depth == 0:
            out.append(value[start:match.start()])
            start = match.end()
    out.append(value[start:])
    return out


def parse_year(*values: str | None) -> int | None:
    """The first plausible year in `year`, then `date` (`2019-03-01`, `2019/2020`, `{2016}`)."""
    for value in values:
        if value:
            match = _YEAR.search(value)
            if match:
                return int(match.group(1))
    return None


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
                        f"citation key {inner.key!r} is used more than once (also at line "
                        f"{first_line[inner.key]}); both are kept"))
                first_line.setdefault(inner.key, line)
                if merged:
                    found.append(codes.MISSING_COMMA.make(
                        f"a comma seems missing before field(s) {', '.join(merged)}; read as "
                        "separate fields"))
                if duplicated:
                    found.append(codes.DUPLICATE_FIELD.make(
                        f"field(s) {', '.join(duplicated)} set twice; the first value is used"))
                resolved.append((inner, fields, found))
            elif isinstance(block, ParsingFailedBlock) and not _is_comment_block(block):
                result.problems.append(InputProblem(
                    SourceLocation(file_name, block.start_line + 1),
                    codes.UNREADABLE_ENTRY.make(_failed_block_message(block)), block.raw))

        by_key: dict[str, dict[str, str]] = {}
        for entry, fields, _ in resolved:
            by_key.setdefault(entry.key.lower(), fields)
        for _, fields, _ in resolved:  # BibLaTeX `ids = {alias, …}`: a parent may be named so
            for alias in fields.get("ids", "").split(","):
                if alias.strip():
                    by_key.setdefault(alias.strip().lower(), fields)
        for entry, fields, found in resolved:
            found = found + _inherit(fields, by_key)
            result.references.append(
                self._reference(entry, fields, found, SourceLocation(file_name,
                                                                     entry.start_line + 1)))
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
        isbn_text = fields.get("isbn")
        isbn_match = _ISBN.search(isbn_text) if isbn_text else None
        return Reference(
            key=entry.key,
            source=where,
            entry_type=entry_type,
            title=title,
            authors=split_authors(author_field) if author_field else (),
            year=parse_year(fields.get("year"), fields.get("date"), fields.get("eventdate")),
            container=container,
            volume=_text(fields, "volume"),
            issue=_text(fields, "number", "issue"),
            pages=_text(fields, "pages"),
            publisher=_text(fields, "publisher", "institution", "organization", "school"),
            url=fields.get("url", "").strip() or None,
            isbn=re.sub(r"[-\s]", "", isbn_match.group(0)) if isbn_match else None,
            note=_text(fields, "note", "howpublished"),
            doi=doi,
            doi_as_written=doi_written,
            findings=tuple(found + doi_findings),
        )


def extract_doi(fields: dict[str, str]) -> tuple[str | None, str | None, list[Finding]]:
    """The entry's DOI: from `doi`, else from url/eprint/note/howpublished.

    Returns (normalised DOI, text as written, findings). An invalid `doi` field is a finding and is
    never looked up; a DOI elsewhere that disagrees with the `doi` field is flagged.
    """
    written = (fields.get("doi") or "").strip() or None
    found: list[Finding] = []
    parsed = normalize_doi(written)
    elsewhere = None
    elsewhere_field = None
    for name in DOI_FALLBACK_FIELDS:
        if name == "eprint" and fields.get("eprinttype", "").lower() not in ("", "doi"):
            continue
        candidate = find_doi(fields.get(name))
        if candidate:
            elsewhere, elsewhere_field = candidate, name
            break
    if written and parsed.doi is None:
        found.append(codes.INVALID_DOI.make(f"doi field {parsed.problem}; not looked up"))
        return None, written, found
    if parsed.doi:
        if elsewhere and elsewhere != parsed.doi:
            found.append(codes.CONFLICTING_DOIS.make(
                f"doi field says {parsed.doi} but {elsewhere_field} holds {elsewhere}"))
        return parsed.doi, written, found
    if elsewhere:
        found.append(codes.DOI_FROM_FIELD.make(f"DOI {elsewhere} taken from the {elsewhere_field} "
                                               "field"))
        return elsewhere, fields.get(elsewhere_field), found
    return None, None, found


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
                    f"{link} = {{{parent_key}}} names no entry in this file"))
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


def _failed_block_message(block: object) -> str:
    """`could not parse @article{broken: unexpectedly reached end of file` — the reason is the
    splitter's own (`abort_reason` of its exception), its first line only."""
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
    return f"could not parse {kind}: {reason}; skipped, the rest of the file is audited"


def read_bibtex(text: str, file_name: str) -> BibRead:
    return BibtexReader().read(text, file_name)

