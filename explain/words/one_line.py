"""Each row's story in one sentence, for many rows at once: what a CRM field or a mail merge takes.

"This customer has a 73% chance to leave, more than a typical customer's 26%, and the biggest reason is support
calls last year: 4 calls (+30 points)."

The figures are the customer page's: the output and the typical row's as :func:`say_output` shows them, the
reason's share rounded so that a row's shares add up (:func:`rounded_rows_to_add_up`). The reason is the one that
moves the row most in the direction it differs from a typical row: for a row above the typical chance, why it is
higher; below, why it is lower. Plain text: the caller escapes it.

A million rows take a few seconds: the rounding is done for all rows at once, and each distinct piece of text
(a chance, a column's value, a share) is written once and reused.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from explain.bundle.card import Card
from explain.bundle.values import is_missing
from explain.methods.explanation import Explanation
from explain.words.explanation import target_words
from explain.words.grammar import lower_label
from explain.words.numbers import a_chance, format_value, rounded_rows_to_add_up, say_output, say_reason


def one_line_summaries(explanation: Explanation, card: Card, unseen: np.ndarray | None = None) -> list[str]:
    """One sentence per row of ``explanation``, in its row order.

    ``unseen``: which values the model never saw, shape (n_rows, n_features); such a value is flagged elsewhere,
    never named as the reason (as on the customer page).
    """
    output = explanation.output
    base, shown, predictions = rounded_rows_to_add_up(
        explanation.base_value, explanation.values, explanation.prediction, output.decimals
    )
    values = explanation.values if unseen is None else np.where(unseen, 0.0, explanation.values)
    gaps = np.round(predictions - base, output.decimals)
    # The reason that moves the row most towards where it is: the largest raise above, the largest cut below.
    pick = np.where(gaps > 0, np.argmax(values, axis=1), np.argmin(values, axis=1))
    # Python lists, not numpy scalars: the loop below runs once per row.
    shares = shown[np.arange(len(values)), pick].tolist()
    picked = np.empty(len(values), dtype=object)
    for j, feature in enumerate(explanation.feature_names):
        where = pick == j
        if where.any():
            picked[where] = explanation.data[feature].to_numpy()[where]
    about = "about " if not explanation.provenance.exact else ""  # an estimate is never said as if exact
    typical = say_output(base, output)
    entity = card.entity

    @cache
    def head(shown_output: float) -> str:
        if output.is_chance:
            return f"This {entity} has {a_chance(output.model_value(shown_output))} to {card.outcome_positive}"
        what = target_words(card)
        said = say_output(shown_output, output)
        return f"This {entity}'s expected {what} is {said}" if what else f"The model expects {said} for this {entity}"

    @cache
    def subject(feature: str, value: object) -> str:
        info = card.feature(feature)
        return info.phrase(value) or f"{lower_label(card.label(feature))}: {format_value(value, info)}"

    @cache
    def share(value: float) -> str:
        return say_reason(value, output)

    sentences = []
    names = explanation.feature_names
    for shown_output, gap, j, value, size in zip(
        predictions.tolist(), gaps.tolist(), pick.tolist(), picked.tolist(), shares, strict=True
    ):
        start = head(shown_output)
        if gap == 0:
            sentences.append(f"{start}, the same as a typical {entity}'s.")
            continue
        reason = subject(names[j], _hashable(value))
        sentences.append(
            f"{start}, {'more' if gap > 0 else 'less'} than a typical {entity}'s {typical}, and the biggest reason "
            f"is {reason} ({about}{share(size)})."
        )
    return sentences


def _hashable(value: object) -> object:
    """A value as a cache key: numpy scalars as Python ones; every kind of gap as None (NaN never equals itself,
    so each one would be a new key)."""
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return None if value != value else value
    if is_missing(value):
        return None
    if hasattr(value, "item"):
        value = value.item()
    try:
        hash(value)
    except TypeError:
        return str(value)
    return value
