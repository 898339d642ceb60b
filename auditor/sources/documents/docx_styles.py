"""What a Word document's styles and numbering definitions say of its paragraphs: which are
headings (and of which level), and the number or bullet Word shows before a list's paragraph —
a number that is in no paragraph's text."""

from __future__ import annotations

import re
from typing import Any

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class Styles:
    """Which paragraph styles are headings (and of which level), and which number their
    paragraphs ("List Number"): Word's style ids are translated ("Titre1", "berschrift1"),
    its style names are not ("heading 1")."""

    def __init__(self, part: Any) -> None:
        self.level: dict[str, int] = {}
        self.numbering: dict[str, tuple[str, int]] = {}
        try:
            root = part.styles.element
        except (KeyError, AttributeError, NotImplementedError):
            return
        based_on: dict[str, str] = {}
        for style in root.iter(f"{W}style"):
            style_id = style.get(f"{W}styleId") or ""
            name = style.find(f"{W}name")
            name_text = (name.get(f"{W}val") or "").lower() if name is not None else ""
            heading = re.fullmatch(r"heading (\d)|title", name_text)
            outline = style.find(f"{W}pPr/{W}outlineLvl")
            if heading:
                self.level[style_id] = int(heading.group(1) or 0)
            elif outline is not None and (outline.get(f"{W}val") or "9").isdigit() and \
                    int(outline.get(f"{W}val") or 9) < 9:
                self.level[style_id] = int(outline.get(f"{W}val") or 0) + 1
            num = style.find(f"{W}pPr/{W}numPr/{W}numId")
            if num is not None and num.get(f"{W}val") not in (None, "0"):
                level = style.find(f"{W}pPr/{W}numPr/{W}ilvl")
                self.numbering[style_id] = (num.get(f"{W}val"), int(
                    level.get(f"{W}val") or 0) if level is not None else 0)
            parent = style.find(f"{W}basedOn")
            if parent is not None:
                based_on[style_id] = parent.get(f"{W}val") or ""
        for style_id, parent in based_on.items():
            for _ in range(10):  # a style based on a numbered one numbers too
                if style_id in self.numbering or not parent:
                    break
                if parent in self.numbering:
                    self.numbering[style_id] = self.numbering[parent]
                    break
                parent = based_on.get(parent, "")


class Numbering:
    """Word's automatic numbering, written out: the label each numbered paragraph shows."""

    def __init__(self, part: Any) -> None:
        self.formats: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.counters: dict[str, list[int]] = {}
        try:
            root = part.numbering_part.element
        except (KeyError, AttributeError, NotImplementedError):
            return
        abstract = {}
        for node in root.iter(f"{W}abstractNum"):
            levels = {}
            for level in node.iter(f"{W}lvl"):
                fmt = level.find(f"{W}numFmt")
                text = level.find(f"{W}lvlText")
                start = level.find(f"{W}start")
                levels[int(level.get(f"{W}ilvl") or 0)] = (
                    fmt.get(f"{W}val") if fmt is not None else "decimal",
                    text.get(f"{W}val") if text is not None else "%1.",
                    int(start.get(f"{W}val") or 1) if start is not None else 1)
            abstract[node.get(f"{W}abstractNumId")] = levels
        for num in root.iter(f"{W}num"):
            ref = num.find(f"{W}abstractNumId")
            levels = dict(abstract.get(ref.get(f"{W}val") if ref is not None else None, {}))
            for override in num.iter(f"{W}lvlOverride"):
                start = override.find(f"{W}startOverride")
                level = int(override.get(f"{W}ilvl") or 0)
                if start is not None and level in levels:
                    fmt, text, _ = levels[level]
                    levels[level] = (fmt, text, int(start.get(f"{W}val") or 1))
            for level, spec in levels.items():
                self.formats[(num.get(f"{W}numId") or "", level)] = spec

    def label(self, numbering: tuple[str, int]) -> str | None:
        """The next label of list `numbering` (numId, level): "1.", "[12]", "•"."""
        num_id, level = numbering
        spec = self.formats.get((num_id, level))
        if spec is None:
            return None
        counters = self.counters.setdefault(num_id, [])
        while len(counters) <= level:
            counters.append(self.formats.get((num_id, len(counters)), ("", "", 1))[2] - 1)
        counters[level] += 1
        del counters[level + 1:]
        fmt, text, _ = spec
        if fmt == "bullet":
            return "•"
        if fmt == "none":
            return None
        return re.sub(r"%(\d)", lambda m: _format_number(
            counters[int(m.group(1)) - 1] if int(m.group(1)) - 1 < len(counters) else 1, fmt),
            text) or None


def _format_number(value: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (value - 1) % 26)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        numerals = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                    (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
        out = ""
        for size, numeral in numerals:
            while value >= size:
                out, value = out + numeral, value - size
        return out.upper() if fmt == "upperRoman" else out
    return str(value)
