"""One row's story in the card's words: its output, where a typical row stands, and the main reasons.

Plain text: the caller escapes it for whatever renders it. Short sentences and everyday words: the narratives
are tested to read at grade 8 or below, and never use the words in :mod:`explain.words.plain_words`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from explain.bundle.card import Card
from explain.bundle.output import Output
from explain.methods.explanation import Explanation
from explain.words.grammar import capitalize, lower_label, plural_verb
from explain.words.numbers import (
    a_chance,
    format_value,
    natural_frequency,
    rounded_to_add_up,
    say_output,
    say_reason_size,
    unit_words,
)


def target_words(card: Card) -> str | None:
    """What a regressor predicts, for the middle of a sentence ("yearly spend"); None when the card has no target."""
    return lower_label(card.label(card.target)) if card.target else None


def reason_label(feature: str, value: object, card: Card) -> str:
    """``"Contract type: Month-to-month"`` — a raw column and its value in the card's words; the card's phrase
    for the value when it gives one (``"No internet service"``)."""
    phrase = card.feature(feature).phrase(value)
    if phrase:
        return capitalize(phrase)
    return f"{card.label(feature)}: {format_value(value, card.feature(feature))}"


def reason_subject(feature: str, value: object, card: Card) -> str:
    """The start of a reason's sentence: "Contract type is Month-to-month", or the card's phrase for the value."""
    phrase = card.feature(feature).phrase(value)
    if phrase:
        return capitalize(phrase)
    return f"{capitalize(card.label(feature))} is {format_value(value, card.feature(feature))}"


def shown_reasons(explanation: Explanation, row: int) -> tuple[float, np.ndarray, float]:
    """One row's baseline, contributions (in ``feature_names`` order) and output, rounded as every outlet shows
    them (whole points of a chance, an amount at its output's decimals), so that the shown figures add up exactly
    (see :func:`~explain.words.numbers.rounded_to_add_up`)."""
    return rounded_to_add_up(
        explanation.base_value,
        explanation.values[row],
        float(explanation.prediction[row]),
        explanation.output.decimals,
    )


def customer_headline(explanation: Explanation, row: int, card: Card) -> list[str]:
    """What the model says about one row, and where a typical row stands."""
    output = explanation.output
    prediction = float(explanation.prediction[row])
    if output.is_chance:
        chance = output.model_value(prediction)
        return [
            f"This {card.entity} has {a_chance(chance)} to {card.outcome_positive}.",
            f"{capitalize(natural_frequency(chance))} {card.entities} like this one "
            f"{plural_verb(card.outcome_positive)}.",
            f"A typical {card.entity} has {a_chance(output.model_value(explanation.base_value))}.",
        ]
    base, _, value = shown_reasons(explanation, row)
    shown, typical = say_output(value, output), say_output(base, output)
    what = target_words(card)
    first = f"Expected {what}: {shown}." if what else f"The model expects {shown} for this {card.entity}."
    gap = round(value - base, output.decimals)
    if gap == 0:
        return [first, f"That is the same as for a typical {card.entity}."]
    more = "more" if gap > 0 else "less"
    return [first, f"That is {say_output(abs(gap), output)} {more} than for a typical {card.entity} ({typical})."]


def reason_sentences(
    explanation: Explanation, row: int, card: Card, *, n: int = 3, unseen: tuple[str, ...] = ()
) -> list[str]:
    """The main reasons that raise and that lower one row's output, one short sentence each.

    The amounts are rounded so that all of them, with the typical row's output, add up to the output as shown.
    Reasons too small to show (under one point, or one unit of an amount) are left to the chart's "other small
    factors"; so is a value the model never saw (``unseen``), which is flagged instead of ranked as a reason.
    """
    table = explanation.contributions(row)
    _, shown, _ = shown_reasons(explanation, row)
    by_feature = dict(zip(explanation.feature_names, shown, strict=True))
    table = table[[not is_small(by_feature[f], explanation.output) and f not in unseen for f in table["feature"]]]
    errors = None
    if explanation.errors is not None:
        errors = dict(zip(explanation.feature_names, explanation.errors[row], strict=True))
    sentences = []
    for verb, rows in (("adds", table[table["contribution"] > 0]), ("takes off", table[table["contribution"] < 0])):
        top = rows.head(n)
        for _, r in top.iterrows():
            amount = say_reason_size(by_feature[r["feature"]], explanation.output)
            about = "about " if errors is not None else ""  # an estimate is never said as if exact
            sentences.append(f"{reason_subject(r['feature'], r['value'], card)}, which {verb} {about}{amount}.")
        if errors is not None:
            sentences.extend(_too_close(top, errors, card))
    return sentences


def _too_close(rows: pd.DataFrame, errors: dict[str, float], card: Card) -> list[str]:
    """For an estimate: a sentence for each pair of neighbouring reasons its error cannot put in order."""
    said = []
    listed = list(rows.itertuples())
    for first, second in zip(listed, listed[1:], strict=False):
        gap = abs(float(first.contribution)) - abs(float(second.contribution))
        # Two standard errors of the difference: closer than that, the order could be the sampling's.
        if gap < 2.0 * float(np.hypot(errors[first.feature], errors[second.feature])):
            a, b = lower_label(card.label(first.feature)), lower_label(card.label(second.feature))
            said.append(f"The estimate cannot tell whether {a} or {b} matters more.")
    return said


def is_small(shown: float, output: Output) -> bool:
    """A reason whose share, as shown, rounds to nothing: it folds into "other small factors"."""
    return round(abs(float(shown)), output.decimals) == 0


def customer_story(explanation: Explanation, row: int, card: Card, *, n: int = 3) -> list[str]:
    """The whole narrative for one row: the headline, then the main reasons."""
    return customer_headline(explanation, row, card) + reason_sentences(explanation, row, card, n=n)


def waterfall_caption(output: Output, card: Card, start: float) -> str:
    """What the waterfall shows, above it, saying what "a typical customer" is: where the model starts."""
    what = output.what + unit_words(output) if not output.is_chance else "the chance, in percentage points"
    total = "chance" if output.is_chance else output.label[:1].lower() + output.label[1:]
    return (
        f"The model starts every {card.entity} where a typical {card.entity} is ({say_output(start, output)}), "
        f"before it looks at their facts. Each bar shows how one fact about this {card.entity} moves {what}. "
        f"They add up to this {card.entity}'s {total}."
    )


def chart_axis(output: Output) -> str:
    """The output's axis title: "Chance (%)", "Expected yearly spend ($)"."""
    if output.is_chance:
        return "Chance (%)"
    return output.label + (f" ({output.unit})" if output.unit else "")


def unseen_sentence(feature: str, value: object, card: Card) -> str:
    """Said of a value the model never saw: it is flagged, not counted among the reasons."""
    return (
        f"{capitalize(card.label(feature))} is {format_value(value, card.feature(feature))}, which the model never "
        "saw when it learned. It treats it as unknown, so it is not listed as a reason."
    )
