"""The house rules that keep the code cheap to change: no import cycle (every import counts,
even one inside a function or under TYPE_CHECKING), the flow read → resolve → judge → report in
the imports, modules of a readable size, and a README layout that matches the tree."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "auditor"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """module → the package modules it imports, anywhere in its text."""
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, *([node.module] if node.module else [])])
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base
                           for a in node.names]
            else:
                continue
            graph[name].update(t for t in targets if t in modules and t != name)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle():
    assert cycles(import_graph()) == []


# What each stage of the flow may not import: reading knows nothing of the registries, the
# judges or the reports; the network code knows no reader, judge or report; the judges do no
# I/O and render nothing; the reports neither read files nor ask registries.
FORBIDDEN = {
    "auditor.sources": ("auditor.crossref", "auditor.judge", "auditor.report",
                        "auditor.pipeline", "auditor.catalogue", "auditor.cli"),
    "auditor.crossref": ("auditor.sources", "auditor.judge", "auditor.report",
                         "auditor.pipeline", "auditor.catalogue", "auditor.cli"),
    "auditor.judge": ("auditor.sources", "auditor.crossref", "auditor.report",
                      "auditor.pipeline", "auditor.catalogue", "auditor.cli"),
    "auditor.report": ("auditor.sources", "auditor.crossref", "auditor.pipeline",
                       "auditor.cli"),
    "auditor.vocabulary": ("auditor.",),
    "auditor.model": ("auditor.sources", "auditor.crossref", "auditor.judge",
                      "auditor.report", "auditor.config"),
}


def test_the_flow_shows_in_the_imports():
    broken = []
    for module, imported in import_graph().items():
        for stage, forbidden in FORBIDDEN.items():
            if module == stage or module.startswith(stage + "."):
                broken += [f"{module} → {i}" for i in imported
                           if i.startswith(forbidden) and not i.startswith(stage)]
    assert broken == []


def test_no_module_is_much_over_four_hundred_lines():
    # design.md: "a module over ~400 lines is asking to be split".
    sizes = {module_name(p): len(p.read_text("utf-8").splitlines())
             for p in PACKAGE.rglob("*.py")}
    assert {name: n for name, n in sizes.items() if n > 430} == {}


def _readme_layout() -> str:
    text = (ROOT / "README.md").read_text("utf-8")
    section = text[text.index("## Layout"):]
    return section[: section.index("```", section.index("```") + 3)]


@pytest.mark.parametrize("entry", sorted(
    p.name for p in PACKAGE.iterdir()
    if (p.suffix == ".py" and p.name != "__init__.py") or (p.is_dir() and (p / "__init__.py")
                                                           .exists())))
def test_the_readme_layout_names_every_module_and_folder(entry):
    layout = _readme_layout()
    name = entry.removesuffix(".py")
    assert re.search(rf"(?<![\w.]){re.escape(name)}(?:\.py|/)", layout), \
        f"README's Layout section does not name {entry}"


def test_every_renderer_the_format_table_names_exists():
    # The table names renderers as text (so that the Report does not import them): each name
    # must lead to a function, or a format would fail only when first asked for.
    from auditor.report import formats

    targets = [r.target for f in formats.FORMATS.values() for r in (f.report, f.catalogue)]
    targets += [f.companions for f in formats.FORMATS.values() if f.companions]
    assert all(callable(formats._load(target)) for target in targets)
    assert set(formats.SUFFIX_FORMATS.values()) == set(formats.NAMES)
