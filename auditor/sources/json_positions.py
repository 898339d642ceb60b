"""Where each element of a JSON array (and each member of an object) starts and ends, so that
the CSL-JSON reader can give every item the line it is written on; the values themselves come
from the json module's own decoder."""

from __future__ import annotations

import json
from typing import Any

DECODER = json.JSONDecoder(strict=False)  # tolerate raw tabs and newlines inside strings


def skip_space(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\n\r":
        i += 1
    return i


def elements(text: str, start: int) -> list[tuple[int, int, Any]]:
    """(start, end, value) of each element of the (valid) JSON array that starts at `start`."""
    out = []
    i = skip_space(text, start + 1)
    if text[i] == "]":
        return out
    while True:
        value, end = DECODER.raw_decode(text, i)
        out.append((i, end, value))
        i = skip_space(text, end)
        if text[i] != ",":
            return out
        i = skip_space(text, i + 1)


def members(text: str, start: int) -> dict[str, tuple[int, int]]:
    """Member name → (start, end) of its value, for the (valid) JSON object at `start`."""
    out: dict[str, tuple[int, int]] = {}
    i = skip_space(text, start + 1)
    while text[i] != "}":
        name, i = DECODER.raw_decode(text, i)
        i = skip_space(text, skip_space(text, i) + 1)  # past the ":"
        _, end = DECODER.raw_decode(text, i)
        out[name] = (i, end)
        i = skip_space(text, end)
        if text[i] == ",":
            i = skip_space(text, i + 1)
    return out
