"""Keep the message catalogues in step with the code: extract every message a person reads
(`_("…")`, `n_("…", "…", n)` in auditor/, `{{ _("…") }}` in the page's templates) into
auditor/locale/auditor.pot, merge it into each language's .po (new messages empty, gone ones
dropped), and compile each .po into the .mo that gettext reads at run time.

    uv run python scripts/catalogues.py            # extract, update, compile
    uv run python scripts/catalogues.py --check    # exit 1 when a catalogue is out of date

Babel (a dev dependency) does the work; the shipped package needs only the .mo files and the
standard library's gettext. Translations are written in the .po files by hand.
"""

from __future__ import annotations

import argparse
import ast
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "auditor" / "locale"
DOMAIN = "auditor"
LANGUAGES = ("fr",)
# `_` and `n_` translate; `N_` and `N_plural` mark a table's words; `make` is a finding's
# message (codes.py)
KEYWORDS = {"_": None, "n_": (1, 2), "N_": None, "N_plural": (1, 2), "make": (1,),
            "Said": (1,)}
PLURAL = ("n_", "N_plural")
METHODS = [("auditor/**.py", "python"), ("auditor/web/templates/**.html", "jinja2")]


def extracted() -> Catalog:
    """Every message written in the code now, as a template catalogue: the Python files read
    with `ast` (which sees a `_("…")` inside an f-string, as Babel's tokenizer on Python 3.11
    does not), the templates by Babel's Jinja extractor."""
    template = Catalog(project="auditor", domain=DOMAIN, charset="utf-8")
    for path in sorted((ROOT / "auditor").rglob("*.py")):
        for message in _python_messages(path):
            template.add(message, None)
    for message in _table_messages():
        template.add(message, None)
    for _file, _line, message, comments, context in extract_from_dir(
            ROOT, METHODS[1:], keywords=KEYWORDS, comment_tags=("Translators:",),
            strip_comment_tags=True):
        template.add(message, None, auto_comments=comments, context=context)
    return template


def _python_messages(path: Path) -> list[str | tuple[str, str]]:
    """The literal messages of one module's `_()`, `n_()`, `N_()`, `N_plural()` and `.make()`
    calls."""
    messages: list[str | tuple[str, str]] = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else (
            node.func.attr if isinstance(node.func, ast.Attribute) else "")
        if name not in KEYWORDS:
            continue
        texts = [_literal(arg) for arg in node.args[:2 if name in PLURAL else 1]]
        if any(text is None for text in texts):
            continue  # a message built at run time: nothing to translate as written
        messages.append((texts[0], texts[1]) if name in PLURAL else texts[0])  # type: ignore[arg-type]
    return messages


def _table_messages() -> list[str]:
    """The words of the rule tables a report shows: peer_review.toml's reason for each kind."""
    import tomllib

    table = tomllib.loads((ROOT / "auditor" / "data" / "peer_review.toml").read_text("utf-8"))
    return [reason for _verdict, reason in table["by_kind"].values()]


def _literal(node: ast.expr) -> str | None:
    """A string written whole in the code ("a" "b" joined), or None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _literal(node.left), _literal(node.right)
        return left + right if left is not None and right is not None else None
    return None


def po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def updated(language: str, template: Catalog) -> Catalog:
    """The language's catalogue with the template's messages: translations kept, new
    messages empty, messages no longer in the code dropped (never guessed: no fuzzy match)."""
    path = po_path(language)
    if path.exists():
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language, domain=DOMAIN)
    else:
        catalog = Catalog(locale=language, domain=DOMAIN, project="auditor", charset="utf-8")
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    return catalog


def _po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=96, sort_output=True, omit_header=False, no_location=True,
             include_previous=False)
    return out.getvalue()


def _mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def _stable(path: Path, data: bytes) -> object:
    """What a catalogue file says, without the dates Babel writes in its header: a .po's
    lines, a .mo's messages."""
    if path.suffix == ".mo":
        import gettext

        messages = gettext.GNUTranslations(io.BytesIO(data))._catalog  # type: ignore[attr-defined]
        return {k: v for k, v in messages.items() if k != ""}
    return [line for line in data.split(b"\n")
            if not line.startswith((b'"POT-Creation-Date', b'"PO-Revision-Date'))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 when a catalogue is out of date")
    args = parser.parse_args()
    template = extracted()
    outputs = {LOCALE / f"{DOMAIN}.pot": _po_bytes(template)}
    for language in LANGUAGES:
        catalog = updated(language, template)
        outputs[po_path(language)] = _po_bytes(catalog)
        outputs[po_path(language).with_suffix(".mo")] = _mo_bytes(catalog)
    stale = [path for path, data in outputs.items() if not path.exists() or (
        _stable(path, path.read_bytes()) != _stable(path, data))]
    if args.check:
        for path in stale:
            print(f"out of date: {path.relative_to(ROOT)}")
        return 1 if stale else 0
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(outputs[path])
        print(f"wrote {path.relative_to(ROOT)}")
    missing = {language: sum(1 for m in updated(language, template) if m.id and not (
        all(m.string) if isinstance(m.string, tuple) else m.string))
        for language in LANGUAGES}
    for language, count in missing.items():
        print(f"{language}: {len(template) - count} of {len(template)} messages translated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
