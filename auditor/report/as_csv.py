"""CSV: one row per reference (via pandas), lists flattened to `; `-joined text."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from auditor.report import Report


def _flatten(value: Any) -> Any:
    if isinstance(value, list):
        parts = []
        for item in value:
            if isinstance(item, dict):
                parts.append((item.get("code") and f"{item['code']} {item.get('message', '')}")
                             or " ".join(f"{v}" for v in item.values() if v is not None))
            else:
                parts.append(str(item))
        return "; ".join(parts)
    return value


def render(report: Report) -> str:
    frame = report.to_frame()
    if frame.empty:
        return ""
    for column in frame.columns:
        if frame[column].map(lambda v: isinstance(v, list)).any():
            frame[column] = frame[column].map(_flatten)
    return frame.to_csv(index=False, lineterminator="\n")
