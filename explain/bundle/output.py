"""What a model predicts, described once per bundle (and outcome): its words, unit, scale and rounding.

Every explanation carries one :class:`Output`, so no page, sentence or export has to work out again whether a
number is a chance or an amount, how to scale it or how many decimals to show. The words come from the card;
the rounding of an amount comes from the size of the model's outputs on the reference data, so one model shows
its amounts one way everywhere (``$1,240`` on every page, never ``$1,240.37`` on one).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal

import numpy as np

from explain.bundle.card import Card
from explain.bundle.naming import lower_label

CHANCE: Literal["chance"] = "chance"
AMOUNT: Literal["amount"] = "amount"
POINTS = "points"  # a chance's contributions: percentage points (0-100 scale)

CURRENCY_SIGNS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}
PREFIX_UNITS = frozenset({"$", "€", "£", "¥", "USD", "EUR", "GBP"})


_CURRENCY = r"(?P<cur>[$€£¥]|USD|EUR|GBP|JPY)"
_MULTIPLIER = (
    r"(?P<mult>1[,.' ]?000(?:[,.' ]?000){0,2}|1?[kK]|'?000s?|1?[mM][mn]?|1?[bB]n?|thousands?|millions?|billions?)"
)
_CURRENCY_WORDS = {"dollars": "$", "euros": "€", "pounds": "£", "yen": "¥"}
_SPLIT = (
    re.compile(rf"^{_CURRENCY}\s*{_MULTIPLIER}$"),  # "$1,000", "$k", "USD 1000", "€1M"
    re.compile(rf"^{_MULTIPLIER}\s*{_CURRENCY}$"),  # "1,000 USD", "k$"
    re.compile(rf"^{_MULTIPLIER}\s+(?:of\s+)?(?P<word>dollars|euros|pounds|yen)$"),  # "thousands of dollars"
)


def split_unit(unit: str | None) -> tuple[str | None, float]:
    """A unit that counts in thousands or millions, split into its own unit and the multiplier.

    ``"$1,000"``, ``"$k"``, ``"USD thousands"`` and ``"thousands of dollars"`` are ``("$" or "USD", 1000.0)``:
    a value of 12 in them is $12,000. ``"€1M"`` is ``("€", 1e6)``. Every other unit comes back as it is, with 1.
    """
    if unit is None:
        return None, 1.0
    text = unit.strip().removeprefix("in ").strip("() ")
    for pattern in _SPLIT:
        found = pattern.match(text)
        if found is None:
            continue
        groups = found.groupdict()
        currency = groups.get("cur") or _CURRENCY_WORDS[str(groups.get("word"))]
        factor = _factor(found.group("mult"))
        if factor > 1:
            return currency, factor
    return unit, 1.0


def _factor(token: str) -> float:
    word = token.strip().lower().strip("'").rstrip("s")
    word = word[1:] if word[:1] == "1" and word[1:].isalpha() else word  # "1k", "1m"
    named = {"k": 1e3, "thousand": 1e3, "000": 1e3, "m": 1e6, "mm": 1e6, "mn": 1e6, "million": 1e6}
    named |= {"b": 1e9, "bn": 1e9, "billion": 1e9}
    if word in named:
        return named[word]
    digits = re.sub(r"[,.' ]", "", word)
    return float(digits) if digits.isdigit() else 1.0


def is_money(unit: str | None) -> bool:
    """True for a currency sign or code the app knows ($, USD, €, EUR, ...), also in thousands ("$1,000")."""
    base, _ = split_unit(unit)
    return base is not None and CURRENCY_SIGNS.get(base, base) in PREFIX_UNITS


def output_decimals(scale: float, unit: str | None) -> int:
    """How many decimals a model output of about this size needs, so a page shows it one way throughout.

    About three significant figures: whole units from 100 up (``$1,240``, ``$310``), one decimal from 10
    (``42.5 kWh``), two below; money shows whole units or cents, never one decimal.
    """
    scale = abs(float(scale))
    if not math.isfinite(scale) or scale == 0:
        return 2
    decimals = min(max(0, 2 - math.floor(math.log10(scale))), 6)
    if is_money(unit) and split_unit(unit)[1] == 1:  # in thousands, a decimal is not cents: three figures it is
        return 0 if decimals == 0 else 2
    return decimals


@dataclass(frozen=True)
class Output:
    """What the model predicts, in the reader's words, and how its numbers are shown.

    Attributes
    ----------
    kind : {"chance", "amount"}
        A classifier gives the chance of one outcome; anything else an amount in the target's unit.
    what : str
        For the middle of a sentence: "the chance to leave", "the expected yearly spend", "the prediction".
    label : str
        As a heading: "Chance to leave", "Expected yearly spend", "Prediction".
    unit : str or None
        An amount's unit from the card ("$", "kWh"); None for a chance (shown as a percentage) or no unit.
    scale : float
        Shown value = model output x scale: 100 for a chance (the model's 0-1 becomes 0-100), else 1.
    decimals : int
        How many decimals an amount, and each reason's share of it, is shown with; 0 for a chance (whole
        percentages and whole points).
    name : str
        The unit as a machine-readable word (JSON, analyst tables): "points", the card's unit, the target's name,
        or "value".
    """

    kind: Literal["chance", "amount"]
    what: str
    label: str
    unit: str | None
    scale: float
    decimals: int
    name: str

    @property
    def is_chance(self) -> bool:
        return self.kind == CHANCE

    @property
    def is_money(self) -> bool:
        return not self.is_chance and is_money(self.unit)

    def shown(self, model_output: float) -> float:
        """The model's own output (a chance 0-1, or an amount) in the unit the reader reads (percent, amount)."""
        return float(model_output) * self.scale

    def model_value(self, shown: float) -> float:
        """The inverse of :meth:`shown`: a percentage back to a chance (0-1); an amount as it is."""
        return float(shown) / self.scale


def describe_output(card: Card, outputs: np.ndarray) -> Output:
    """The output of a model with this card, whose outputs on the reference data are ``outputs``.

    Parameters
    ----------
    card : Card
        The completed card (for a multiclass model: the card of the outcome being explained).
    outputs : ndarray of shape (n_rows,)
        The model's own output for every reference row (chances 0-1, or amounts).
    """
    if card.task == "classification":
        outcome = card.outcome_positive
        return Output(CHANCE, f"the chance to {outcome}", f"Chance to {outcome}", None, 100.0, 0, POINTS)
    target = lower_label(card.label(card.target)) if card.target else None
    values = np.abs(np.asarray(outputs, dtype=float))
    values = values[np.isfinite(values)]
    size = max(abs(float(np.mean(values))), float(np.median(values))) if len(values) else 0.0
    return Output(
        kind=AMOUNT,
        what=f"the expected {target}" if target else "the prediction",
        label=f"Expected {target}" if target else "Prediction",
        unit=card.unit,
        scale=1.0,
        decimals=output_decimals(size, card.unit),
        name=card.unit or card.target or "value",
    )
