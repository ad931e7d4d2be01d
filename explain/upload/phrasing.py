"""Plain words for the upload checks' messages: values from the file quoted safely, lists of lines, counts, sizes."""

from __future__ import annotations

import re
from typing import Any

_SHOWN_LINES = 5
_SHOWN_VALUES = 3
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")


def _clean(text: str, limit: int = 40) -> str:
    """A value from the file, fit to quote in one line: control characters become spaces, long text is cut."""
    text = _CONTROL.sub(" ", str(text)).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _quoted(values: Any) -> str:
    values = list(values)
    shown = ", ".join(f"'{_clean(str(v))}'" for v in values[:_SHOWN_VALUES])
    return shown + (f" and {len(values) - _SHOWN_VALUES:,} more" if len(values) > _SHOWN_VALUES else "")


def _listed(items: list[str], limit: int) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit:,} more" if len(items) > limit else "")


def _lines(word: str, rows: Any, *, capital: bool = False) -> str:
    rows = [int(r) for r in rows]
    label = word if len(rows) == 1 else word + "s"
    label = label.capitalize() if capital else label
    return f"{label} {_listed([f'{r:,}' for r in rows], _SHOWN_LINES)}"


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def _has(rows: list[int]) -> str:
    return "has" if len(rows) == 1 else "have"


def _them(rows: list[int]) -> str:
    return "it was" if len(rows) == 1 else "they were"


def _those(rows: Any) -> str:
    return "that row was" if len(rows) == 1 else "those rows were"


def _size(n: int) -> str:
    if n >= 2**20:
        return f"{n / 2**20:,.1f} MB".replace(".0 MB", " MB")
    if n >= 2**10:
        return f"{n / 2**10:,.1f} KB".replace(".0 KB", " KB")
    return f"{n:,} bytes"
