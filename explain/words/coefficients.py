"""A linear model's effects in plain words: per raw unit, or a category value against the most common one.

Also the records ``plainsight coefficients --format json`` prints and the analyst's table shows, with the "per"
text that says what each coefficient is per.
"""

from __future__ import annotations

import math
from typing import Any

from explain.analyses.coefficients import CATEGORY, NUMBER, Effect, LinearEffects
from explain.bundle.card import Card
from explain.bundle.output import CURRENCY_SIGNS
from explain.words.explanation import target_words
from explain.words.grammar import capitalize, gerund
from explain.words.numbers import format_chance, format_number, format_with_unit


def one_unit(unit: str | None) -> str:
    """One raw unit, as read: ``$`` -> ``$1``, ``months`` -> ``1 month``, no unit -> ``1``."""
    if not unit:
        return "1"
    return format_with_unit(1.0, unit)


def per_text(effect: Effect, card: Card) -> str:
    """What a coefficient is per: ``1 month`` for a number, ``Two year instead of Month-to-month`` for a value."""
    if effect.kind == NUMBER:
        return one_unit(card.feature(effect.feature).unit)
    return f"{effect.term} instead of {effect.reference}"


def odds_words(coefficient: float, card: Card) -> str:
    """How a log-odds change reads: "raises the odds of leaving by 45%", "makes ... 2.5 times as high"."""
    ratio = math.exp(coefficient)
    odds = f"the odds of {gerund(card.outcome_positive)}"
    if abs(ratio - 1) < 0.005:
        return f"barely changes {odds}"
    if ratio >= 2:
        return f"makes {odds} {format_number(ratio, decimals=1)} times as high"
    if ratio > 1:
        return f"raises {odds} by {_percent(ratio - 1)}"
    return f"lowers {odds} by {_percent(1 - ratio)}"


def _percent(share: float) -> str:
    pct = share * 100
    if pct < 1:
        return f"{pct:.1f}%"
    return f"{pct:.0f}%"


def _amount_words(value: float, card: Card) -> str:
    what = target_words(card)
    target = f"the expected {what}" if what else "the prediction"
    size = abs(value)
    shown = format_number(size, decimals=0 if size >= 100 else (1 if size >= 10 else None))
    amount = format_with_unit(float(shown.replace(",", "")), card.unit) if card.unit else shown
    if size < 1e-12:
        return f"does not change {target}"
    if value > 0:
        return f"adds {amount} to {target}"
    return f"takes {amount} off {target}"


def effect_sentence(effect: Effect, card: Card, *, classifier: bool) -> str:
    """One effect in plain words, per raw unit or against the most common value."""
    change = odds_words(effect.coefficient, card) if classifier else _amount_words(effect.coefficient, card)
    label = card.label(effect.feature)
    if effect.kind == NUMBER:
        unit = card.feature(effect.feature).unit
        step = _step_words(unit)
        return f"{capitalize(label)}: each extra {step} {change}."
    return f"{capitalize(label)}: {effect.term} rather than {effect.reference} {change}."


def chance_sentence(effect: Effect, card: Card, *, start: float, after: float) -> str:
    """One effect said as a change in the chance, for the stakeholder (odds are for the analyst): how a typical
    change (a number across its middle half; a category against the most common one) moves a typical entity's
    chance, from ``start`` to ``after`` (both 0-1)."""
    label = capitalize(card.label(effect.feature))
    old, new = format_chance(start), format_chance(after)
    outcome = f"the chance to {card.outcome_positive}"
    if old == new:
        moves = f"barely changes {outcome} ({old})"
    else:
        moves = f"{'raises' if after > start else 'lowers'} {outcome} from {old} to {new}"
    if effect.kind == NUMBER:
        return f"{label}: going from {typical_change_text(effect, card)} {moves} for a typical {card.entity}."
    info = card.feature(effect.feature)
    term, reference = info.phrase(effect.term), info.phrase(effect.reference)
    if term and reference:  # the card's words for both: "A two-year contract rather than a month-to-month one"
        return f"{capitalize(term)} rather than {reference} {moves} for a typical {card.entity}."
    return f"{label}: {effect.term} rather than {effect.reference} {moves} for a typical {card.entity}."


def _step_words(unit: str | None) -> str:
    if not unit:
        return "1"
    sign = CURRENCY_SIGNS.get(unit, unit)
    if sign in ("$", "€", "£", "¥") or unit in CURRENCY_SIGNS:
        return f"{sign}1"
    return format_with_unit(1.0, unit).removeprefix("1 ")


def odds_explainer(card: Card) -> str:
    """One sentence on what odds are, for readers who have not met the word."""
    return (
        f"The odds compare the chance to {card.outcome_positive} with the chance to {card.outcome_negative}: "
        "a 20% chance is odds of 1 to 4."
    )


def typical_change_text(effect: Effect, card: Card) -> str:
    """The typical change a chart bar stands for: ``9 to 55 months`` or ``Two year instead of Month-to-month``."""
    if effect.kind == CATEGORY:
        return f"{effect.term} instead of {effect.reference}"
    unit = card.feature(effect.feature).unit
    start = effect.typical_from or 0.0
    end = start + (effect.typical_change or 0.0)
    return f"{format_with_unit(start, unit)} to {format_with_unit(end, unit)}"


def coefficients_table(result: LinearEffects, card: Card) -> list[dict[str, Any]]:
    """The effects as records: what ``plainsight coefficients --format json`` prints, per raw unit."""
    records = []
    for effect in result.effects:
        record: dict[str, Any] = {
            "feature": effect.feature,
            "term": effect.term,
            "kind": effect.kind,
            "coefficient": effect.coefficient,
        }
        if result.classifier:
            record["odds_ratio"] = math.exp(effect.coefficient)
        record["per"] = per_text(effect, card)
        if effect.kind == CATEGORY:
            record["reference"] = effect.reference
        else:
            record.update(
                encoded_coefficient=effect.encoded_coefficient,
                scale=effect.scale,
                center=effect.center,
                typical_change=effect.typical_change,
            )
        records.append(record)
    return records
