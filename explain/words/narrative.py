"""Sentences in the card's words. Plain text: the caller escapes it for whatever renders it.

Short sentences and everyday words: the narratives are tested to read at grade 8 or below, and never use the
words in :mod:`explain.words.plain_words`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from explain.analyses.importance import RiskSummary
from explain.bundle.card import Card
from explain.methods.explanation import POINTS, Explanation
from explain.words.formatting import (
    a_chance,
    format_chance,
    format_value,
    format_with_unit,
    is_missing,
    natural_frequency,
    output_decimals,
    rounded_to_add_up,
)

_CURRENCY_UNITS = {"$", "€", "£", "¥", "USD", "EUR", "GBP", "JPY"}


def join_words(items: list[str]) -> str:
    """``["a", "b", "c"]`` -> ``"a, b and c"``."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def lower_label(label: str) -> str:
    """A label inside a sentence: ``"Contract type"`` -> ``"contract type"``; acronyms stay (``"ID"``)."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


def reason_label(feature: str, value: object, card: Card) -> str:
    """``"Contract type: Month-to-month"`` — a raw column and its value in the card's words."""
    return f"{card.label(feature)}: {format_value(value, card.feature(feature))}"


def decimals(explanation: Explanation, card: Card) -> int:
    """The precision of a regressor's outputs on a page, from their size: ``$1,240``, ``42.5 kWh``, ``0.734``."""
    predictions = np.abs(np.asarray(explanation.prediction, dtype=float))
    scale = max(abs(explanation.base_value), float(np.median(predictions)) if len(predictions) else 0.0)
    return output_decimals(scale, card.unit)


def output_text(value: float, explanation: Explanation, card: Card) -> str:
    """A prediction in the reader's unit: a chance for classifiers ("73%"), the target's unit otherwise."""
    if explanation.unit == POINTS:
        return format_chance(value / 100.0)
    return format_with_unit(value, card.unit, decimals=decimals(explanation, card))


def target_words(card: Card) -> str | None:
    """What a regressor predicts, for the middle of a sentence ("yearly spend"); None when the card has no target."""
    return lower_label(card.label(card.target)) if card.target else None


def output_label(explanation: Explanation, card: Card) -> str:
    """A heading for the model's output: "Chance to leave", "Expected yearly spend", "Prediction"."""
    if explanation.unit == POINTS:
        return f"Chance to {card.outcome_positive}"
    what = target_words(card)
    return f"Expected {what}" if what else "Prediction"


def _what(explanation: Explanation, card: Card) -> str:
    if explanation.unit == POINTS:
        return f"the chance to {card.outcome_positive}"
    what = target_words(card)
    return f"the expected {what}" if what else "the prediction"


def rounded_reasons(explanation: Explanation, row: int, card: Card) -> tuple[float, np.ndarray, float]:
    """A regressor's baseline, contributions (in ``feature_names`` order) and prediction for one row, rounded as
    the page shows them so that the shown figures add up exactly (see :func:`rounded_to_add_up`)."""
    return rounded_to_add_up(
        explanation.base_value,
        explanation.values[row],
        float(explanation.prediction[row]),
        decimals(explanation, card),
    )


def overview_headline(
    importance: pd.DataFrame, risk: RiskSummary | None, explanation: Explanation, card: Card
) -> list[str]:
    """Two or three sentences on the model's view of all rows and what drives it most."""
    n = len(explanation)
    top = [lower_label(card.label(f)) for f in importance["feature"][:3]]
    sentences = []
    if risk is not None:
        sentences.append(
            f"Of your {n:,} {card.entities}, {risk.n_high:,} ({format_chance(risk.share_high)}) have "
            f"{a_chance(risk.threshold).removesuffix(' chance')} or higher chance to {card.outcome_positive}."
        )
        sentences.append(
            f"On average, {natural_frequency(risk.mean_chance)} {card.entities} {card.outcome_positive} "
            f"({format_chance(risk.mean_chance)})."
        )
    elif n:
        places = decimals(explanation, card)
        mean = format_with_unit(float(explanation.prediction.mean()), card.unit, decimals=places)
        what = target_words(card)
        sentences.append(
            f"Across your {n:,} {card.entities}, the model expects "
            + (f"a {what} of {mean} on average." if what else f"{mean} on average.")
        )
        if n >= 4:
            low, high = (
                format_with_unit(float(q), card.unit, decimals=places)
                for q in np.quantile(explanation.prediction, [0.25, 0.75])
            )
            if low != high:
                sentences.append(f"For half of them, it expects between {low} and {high}.")
    if top:
        rest = f", then {join_words(top[1:])}" if len(top) > 1 else ""
        sentences.append(f"What moves {_what(explanation, card)} most is {top[0]}{rest}.")
    return sentences


def overview_drivers(explanation: Explanation, importance: pd.DataFrame, card: Card, *, n: int = 3) -> list[str]:
    """How the main columns push, one or two sentences each.

    Categories: which value raises the output most and which lowers it most, on average. Numbers: whether more
    of it raises or lowers the output (the sign of the rank correlation between value and effect).
    """
    sentences: list[str] = []
    for feature in importance["feature"][:n]:
        j = explanation.feature_names.index(feature)
        effects = pd.Series(explanation.values[:, j], index=explanation.data.index)
        values = explanation.data[feature]
        size = float(np.abs(effects).mean())
        if pd.api.types.is_numeric_dtype(values) and values.nunique() > 2:
            sentence = _numeric_driver(feature, values, effects, size, explanation, card)
        else:
            sentence = _category_driver(feature, values, effects, explanation, card)
        sentences.extend(sentence)
    return sentences


def _strength(size: float, explanation: Explanation) -> str:
    spread = float(np.abs(explanation.values).sum(axis=1).mean()) or 1.0
    share = size / spread  # how much of a typical row's total movement this column accounts for
    return "much " if share >= 0.25 else ("" if share >= 0.08 else "a little ")


def _direction_words(raises: bool, strength: str, explanation: Explanation, card: Card) -> str:
    if explanation.unit == POINTS:
        return f"are {strength}{'more' if raises else 'less'} likely to {card.outcome_positive}"
    what = target_words(card)
    noun = f"expected {what}" if what else "prediction"
    return f"have a {strength}{'higher' if raises else 'lower'} {noun}"


def _numeric_driver(
    feature: str, values: pd.Series, effects: pd.Series, size: float, explanation: Explanation, card: Card
) -> list[str]:
    known = values.notna()
    if known.sum() < 3 or values[known].nunique() < 2:
        return []
    correlation = values[known].rank().corr(effects[known].rank())
    if pd.isna(correlation) or abs(correlation) < 0.1:
        return [f"{capitalize(card.label(feature))} matters, but not in one direction."]
    unit = card.feature(feature).unit
    more = "more" if unit and unit not in _CURRENCY_UNITS and unit.endswith("s") else "a higher"
    words = _direction_words(correlation > 0, _strength(size, explanation), explanation, card)
    return [f"{capitalize(card.entities)} with {more} {lower_label(card.label(feature))} {words}."]


def _category_driver(
    feature: str, values: pd.Series, effects: pd.Series, explanation: Explanation, card: Card
) -> list[str]:
    keys = values.astype(object).where(values.notna(), None)
    by_value = effects.groupby(keys.map(lambda v: "\0missing" if is_missing(v) else str(v)), sort=True).mean()
    by_value = by_value.drop("\0missing", errors="ignore")
    if len(by_value) < 2:
        return []
    label = lower_label(card.label(feature))
    top, bottom = by_value.idxmax(), by_value.idxmin()
    sentences = []
    if by_value[top] > 0:
        words = _direction_words(True, _strength(abs(by_value[top]), explanation), explanation, card)
        sentences.append(f"{capitalize(card.entities)} whose {label} is {top} {words}.")
    if by_value[bottom] < 0:
        words = _direction_words(False, _strength(abs(by_value[bottom]), explanation), explanation, card)
        sentences.append(f"Those whose {label} is {bottom} {words}.")
    return sentences


def customer_headline(explanation: Explanation, row: int, card: Card) -> list[str]:
    """What the model says about one row, and where a typical row stands."""
    prediction = float(explanation.prediction[row])
    if explanation.unit == POINTS:
        chance = prediction / 100.0
        return [
            f"This {card.entity} has {a_chance(chance)} to {card.outcome_positive}.",
            f"{capitalize(natural_frequency(chance))} {card.entities} like this one {card.outcome_positive}.",
            f"A typical {card.entity} has {a_chance(explanation.base_value / 100.0)}.",
        ]
    places = decimals(explanation, card)
    base, _, value = rounded_reasons(explanation, row, card)
    shown, typical = (format_with_unit(v, card.unit, decimals=places) for v in (value, base))
    what = target_words(card)
    first = f"Expected {what}: {shown}." if what else f"The model expects {shown} for this {card.entity}."
    gap = round(value - base, places)
    if gap == 0:
        return [first, f"That is the same as for a typical {card.entity}."]
    more = "more" if gap > 0 else "less"
    amount = format_with_unit(abs(gap), card.unit, decimals=places)
    return [first, f"That is {amount} {more} than for a typical {card.entity} ({typical})."]


def _amount(value: float, explanation: Explanation, card: Card) -> str:
    """A contribution's size in words; for a regressor ``value`` is already rounded as the page shows it."""
    if explanation.unit == POINTS:
        points = abs(value)
        return "less than 1 point" if points < 1 else f"{points:.0f} point{'s' if round(points) != 1 else ''}"
    places = decimals(explanation, card)
    if round(abs(value), places) == 0:
        return "less than " + format_with_unit(10.0**-places, card.unit, decimals=places)
    return format_with_unit(abs(value), card.unit, decimals=places)


def reason_sentences(explanation: Explanation, row: int, card: Card, *, n: int = 3) -> list[str]:
    """The main reasons that raise and that lower one row's output, one short sentence each.

    A regressor's amounts are rounded so that all of them, with the typical row's output, add up to the
    prediction as shown.
    """
    table = explanation.contributions(row)
    if explanation.unit != POINTS:
        _, shown, _ = rounded_reasons(explanation, row, card)
        by_feature = dict(zip(explanation.feature_names, shown, strict=True))
        table = table.assign(shown=[by_feature[f] for f in table["feature"]])
    else:
        table = table.assign(shown=table["contribution"])
    sentences = []
    for _, r in table[table["contribution"] > 0].head(n).iterrows():
        value = format_value(r["value"], card.feature(r["feature"]))
        amount = _amount(r["shown"], explanation, card)
        sentences.append(f"{capitalize(card.label(r['feature']))} is {value}, which adds {amount}.")
    for _, r in table[table["contribution"] < 0].head(n).iterrows():
        value = format_value(r["value"], card.feature(r["feature"]))
        amount = _amount(r["shown"], explanation, card)
        sentences.append(f"{capitalize(card.label(r['feature']))} is {value}, which takes off {amount}.")
    return sentences


def customer_story(explanation: Explanation, row: int, card: Card, *, n: int = 3) -> list[str]:
    """The whole narrative for one row: the headline, then the main reasons."""
    return customer_headline(explanation, row, card) + reason_sentences(explanation, row, card, n=n)
