"""Do two independent explanations of the same row agree on its main reasons?"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explain.methods.explanation import Explanation


@dataclass(frozen=True)
class Agreement:
    """How many of the top ``n`` reasons (largest effects) two explanations share."""

    n: int
    shared: int
    first: tuple[str, ...]
    second: tuple[str, ...]


def top_reasons(explanation: Explanation, row: int = 0, *, n: int = 3) -> tuple[str, ...]:
    """The ``n`` columns with the largest effects on one row, largest first (ties broken by column order)."""
    values = np.abs(explanation.values[row])
    order = np.argsort(-values, kind="stable")
    return tuple(explanation.feature_names[i] for i in order[: min(n, len(order))] if values[i] > 0)


def agreement(first: Explanation, second: Explanation, *, row: int = 0, n: int = 3) -> Agreement:
    """Compare the top ``n`` reasons of two explanations of the same row, as sets (order aside)."""
    a, b = top_reasons(first, row, n=n), top_reasons(second, row, n=n)
    size = min(n, max(len(a), len(b)))
    return Agreement(n=size, shared=len(set(a) & set(b)), first=a, second=b)
