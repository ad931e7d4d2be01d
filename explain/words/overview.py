"""The story across all rows in the card's words: how many are at risk (or what they add up to), and what
drives the model most and which way.

Plain text: the caller escapes it. Counts and averages come from the model's outputs on every row; the drivers
from the explanation (which for a slow method is a seeded sample, and its report says so).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from explain.analyses.importance import RiskSummary
from explain.bundle.card import Card
from explain.bundle.output import Output, is_money
from explain.bundle.values import is_missing
from explain.methods.explanation import Explanation
from explain.words.explanation import target_words
from explain.words.grammar import article_for, capitalize, join_words, lower_label, plural_verb
from explain.words.numbers import a_chance, format_chance, natural_frequency, say_output


def overview_headline(
    importance: pd.DataFrame, *, risk: RiskSummary | None, outputs: np.ndarray, output: Output, card: Card
) -> list[str]:
    """Two or three sentences on the model's view of all rows and what drives it most.

    Parameters
    ----------
    importance : DataFrame
        :func:`~explain.analyses.importance.global_importance`, most important first.
    risk : RiskSummary or None
        For a chance: how many rows are at high risk, over every row.
    outputs : ndarray of shape (n_rows,)
        The model's own output for every reference row (amounts; for a chance only its length is used).
    """
    n = len(outputs)
    top = [lower_label(card.label(f)) for f in importance["feature"][:3]]
    sentences = []
    if risk is not None:
        sentences.append(
            f"Of your {n:,} {card.entities}, {risk.n_high:,} ({format_chance(risk.share_high)}) have "
            f"{a_chance(risk.threshold).removesuffix(' chance')} or higher chance to {card.outcome_positive}."
        )
        sentences.append(
            f"On average, {natural_frequency(risk.mean_chance)} {card.entities} {plural_verb(card.outcome_positive)} "
            f"({format_chance(risk.mean_chance)})."
        )
    elif n:
        mean = say_output(output.shown(float(np.mean(outputs))), output)
        what = target_words(card)
        sentences.append(
            f"Across your {n:,} {card.entities}, the model expects "
            + (f"{article_for(what)} {what} of {mean} on average." if what else f"{mean} on average.")
        )
        if n >= 4:
            low, high = (say_output(output.shown(float(q)), output) for q in np.quantile(outputs, [0.25, 0.75]))
            if low != high:
                sentences.append(f"For half of them, it expects between {low} and {high}.")
    if top:
        rest = f", then {join_words(top[1:])}" if len(top) > 1 else ""
        sentences.append(f"What moves {output.what} most is {top[0]}{rest}.")
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
    if explanation.output.is_chance:
        return f"are {strength}{'more' if raises else 'less'} likely to {card.outcome_positive}"
    what = target_words(card)
    noun = f"expected {what}" if what else "prediction"
    # "a much higher", "a higher", "a slightly lower" (never "a a little lower")
    degree = {"a little ": "slightly "}.get(strength, strength)
    return f"have a {degree}{'higher' if raises else 'lower'} {noun}"


def _numeric_driver(
    feature: str, values: pd.Series, effects: pd.Series, size: float, explanation: Explanation, card: Card
) -> list[str]:
    known = values.notna()
    if known.sum() < 3 or values[known].nunique() < 2:
        return []
    correlation = values[known].rank().corr(effects[known].rank())
    if pd.isna(correlation) or abs(correlation) < 0.1:
        return [f"{capitalize(card.label(feature))} matters, but not in one direction."]
    info = card.feature(feature)
    unit = info.unit
    more = "more" if unit and not is_money(unit) and unit.endswith("s") else "a later" if info.year else "a higher"
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
    info = card.feature(feature)
    top, bottom = by_value.idxmax(), by_value.idxmin()

    def who(value: str) -> str:  # "whose contract type is Two year", or "with a two-year contract" from the card
        phrase = info.phrase(value)
        return f"with {phrase}" if phrase else f"whose {label} is {value}"

    sentences = []
    if by_value[top] > 0:
        words = _direction_words(True, _strength(abs(by_value[top]), explanation), explanation, card)
        sentences.append(f"{capitalize(card.entities)} {who(top)} {words}.")
    if by_value[bottom] < 0:
        words = _direction_words(False, _strength(abs(by_value[bottom]), explanation), explanation, card)
        sentences.append(f"Those {who(bottom)} {words}.")
    return sentences
