"""Sentences in the card's words. Plain text: the caller escapes it for whatever renders it."""

from __future__ import annotations

import pandas as pd

from explain.card import Card
from explain.explanation import POINTS, Explanation
from explain.formatting import (
    format_chance,
    format_contribution,
    format_value,
    format_with_unit,
    natural_frequency,
)
from explain.importance import RiskSummary


def join_words(items: list[str]) -> str:
    """``["a", "b", "c"]`` -> ``"a, b and c"``."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def reason_label(feature: str, value: object, card: Card) -> str:
    """``"Contract type: Month-to-month"`` — a raw column and its value in the card's words."""
    return f"{card.label(feature)}: {format_value(value, card.feature(feature))}"


def output_text(value: float, explanation: Explanation, card: Card) -> str:
    """A prediction in the reader's unit: a chance for classifiers ("73%"), the target's unit otherwise."""
    if explanation.unit == POINTS:
        return format_chance(value / 100.0)
    return format_with_unit(value, card.unit)


def overview_headline(
    importance: pd.DataFrame, risk: RiskSummary | None, explanation: Explanation, card: Card
) -> list[str]:
    """Two or three sentences on what drives the model across all rows."""
    n = len(explanation)
    top = [card.label(f).lower() if not card.label(f).isupper() else card.label(f) for f in importance["feature"][:3]]
    what = (
        f"the chance to {card.outcome_positive}"
        if explanation.unit == POINTS
        else f"the expected {card.label(card.target or 'value').lower()}"
    )
    sentences = []
    if risk is not None:
        sentences.append(
            f"Of your {n:,} {card.entities}, {risk.n_high:,} ({format_chance(risk.share_high)}) have a "
            f"{format_chance(risk.threshold)} or higher chance to {card.outcome_positive}."
        )
        sentences.append(
            f"On average, {natural_frequency(risk.mean_chance)} {card.entities} {card.outcome_positive} "
            f"({format_chance(risk.mean_chance)})."
        )
    else:
        mean = float(explanation.prediction.mean()) if n else 0.0
        sentences.append(
            f"Across your {n:,} {card.entities}, the model expects {format_with_unit(mean, card.unit)} on average."
        )
    if top:
        rest = f", followed by {join_words(top[1:])}" if len(top) > 1 else ""
        sentences.append(f"What moves {what} most is {top[0]}{rest}.")
    return sentences


def customer_headline(explanation: Explanation, row: int, card: Card) -> list[str]:
    """What the model says about one row, and where a typical row stands."""
    prediction = float(explanation.prediction[row])
    who = f"This {card.entity}"
    if explanation.unit == POINTS:
        chance = prediction / 100.0
        return [
            f"{who} has a {format_chance(chance)} chance to {card.outcome_positive}: "
            f"{natural_frequency(chance)} {card.entities} like this one {card.outcome_positive}.",
            f"A typical {card.entity} has a {format_chance(explanation.base_value / 100.0)} chance.",
        ]
    return [
        f"The model expects {format_with_unit(prediction, card.unit)} for {who.lower()}.",
        f"For a typical {card.entity} it expects {format_with_unit(explanation.base_value, card.unit)}.",
    ]


def reasons(explanation: Explanation, row: int, card: Card, *, n: int = 3) -> tuple[list[str], list[str]]:
    """The main reasons that raise and that lower one row's output, as "label: value (+x points)"."""
    table = explanation.contributions(row)
    up = table[table["contribution"] > 0].head(n)
    down = table[table["contribution"] < 0].head(n)

    def line(r: pd.Series) -> str:
        size = format_contribution(r["contribution"], explanation.unit)
        return f"{reason_label(r['feature'], r['value'], card)} ({size})"

    return [line(r) for _, r in up.iterrows()], [line(r) for _, r in down.iterrows()]
