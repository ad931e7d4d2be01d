"""Numbers, chances and money the way a person says them, and the one way each model output is shown.

A model's output is shown through its :class:`~explain.bundle.output.Output`: :func:`say_output` for the output
itself ("73%", "$1,240") and :func:`say_reason` for one reason's share of it ("+18 points", "-$207"), both at
the output's own rounding, so every page, sentence, chart and export writes the same figure the same way.
"""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np

from explain.bundle.card import FeatureInfo
from explain.bundle.output import CURRENCY_SIGNS, POINTS, PREFIX_UNITS, Output, split_unit
from explain.bundle.values import is_missing

_SIGNS = set(CURRENCY_SIGNS.values())
_UNIT_NAMES = {"$": "dollars", "USD": "dollars", "€": "euros", "EUR": "euros", "£": "pounds", "GBP": "pounds",
               "¥": "yen", "JPY": "yen", "%": "percent"}  # fmt: skip
_SINGULAR = {"people": "person", "children": "child", "men": "man", "women": "woman", "persons": "person"}


def format_number(value: float, *, decimals: int | None = None) -> str:
    """``1234.5`` -> ``"1,234.5"``; whole numbers without decimals; a small value keeps two significant figures
    (``0.003``, ``0.0047``), never rounded to ``0``."""
    if decimals is None:
        decimals = 0 if float(value).is_integer() else (2 if abs(value) < 100 else 1)
        if 0 < abs(value) < 0.01 and math.isfinite(value):
            decimals = min(1 - math.floor(math.log10(abs(value))), 12)
    text = f"{value:,.{decimals}f}"
    if decimals and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def format_with_unit(value: float, unit: str | None, *, decimals: int | None = None) -> str:
    """A number in its unit: ``$70.5`` -> ``"$70.50"``, ``36, months`` -> ``"36 months"``, ``1 month``.

    ``decimals`` fixes the precision (see :func:`output_decimals`); by default money shows cents below 1,000
    and other numbers as :func:`format_number` does.
    """
    if unit is None or unit == "":
        return format_number(value, decimals=decimals)
    base, factor = split_unit(unit)
    if factor != 1 and base is not None:  # "$1,000": 12 of them is $12,000, said in full
        if decimals is not None:
            value = round(value, decimals)
            decimals = max(0, decimals - round(math.log10(factor)))
        return format_with_unit(value * factor, base, decimals=decimals)
    unit = CURRENCY_SIGNS.get(unit, unit)
    if unit in PREFIX_UNITS:
        money = abs(value)
        if decimals is None:
            decimals = 0 if money.is_integer() or money >= 1000 else 2
        sign = "-" if round(value, decimals) < 0 else ""  # never "-$0"
        return f"{sign}{unit}{money:,.{decimals}f}"
    if unit == "%":
        return f"{format_number(value, decimals=decimals)}%"
    text = format_number(value, decimals=decimals)
    if text in ("1", "-1"):
        unit = _singular(unit)  # "1 month", "1 person"
    return f"{text} {unit}"


def _singular(unit: str) -> str:
    words = unit.split(" ", 1)  # "visits a year" -> "visit a year"
    first = words[0]
    if first.lower() in _SINGULAR:
        first = _SINGULAR[first.lower()]
    elif first.isalpha() and first.endswith("s") and not first.endswith("ss") and len(first) > 2:  # not "km/s"
        first = first[:-1]
    return " ".join([first, *words[1:]])


def unit_name(unit: str) -> str:
    """A unit as it is said in a sentence: ``"$"`` -> ``"dollars"``, ``"$1,000"`` -> ``"thousands of dollars"``,
    ``"kWh"`` as it is."""
    base, factor = split_unit(unit)
    if factor != 1 and base is not None:
        many = {1e3: "thousands", 1e6: "millions", 1e9: "billions"}.get(factor, f"{factor:,.0f}s")
        return f"{many} of {unit_name(base)}"
    return _UNIT_NAMES.get(unit.strip(), unit)


def rounded_to_add_up(
    base: float, values: np.ndarray, prediction: float, decimals: int
) -> tuple[float, np.ndarray, float]:
    """Round a baseline, its contributions and the prediction so the rounded figures add up exactly.

    The baseline and the prediction are rounded as usual; the contributions are rounded so that they sum to
    ``rounded prediction - rounded baseline``, the last unit going to those that rounding moved most (the
    largest-remainder method). Each contribution moves by less than one unit of the last decimal.

    Returns
    -------
    base : float
    values : ndarray of shape (n,)
    prediction : float
    """
    base_r, shown, predictions = rounded_rows_to_add_up(
        base, np.asarray(values, dtype=float)[None, :], np.array([prediction], dtype=float), decimals
    )
    return base_r, shown[0], float(predictions[0])


def rounded_rows_to_add_up(
    base: float, values: np.ndarray, predictions: np.ndarray, decimals: int
) -> tuple[float, np.ndarray, np.ndarray]:
    """:func:`rounded_to_add_up` for many rows at once (``values`` of shape (n_rows, n)): the same figures, row
    by row, without a Python loop over the rows (a batch of a million rows)."""
    unit = 10.0**-decimals
    base_r = round(float(base), decimals)
    if decimals == 0:  # to whole units numpy rounds exactly as Python does (halves to even)
        predictions_r = np.rint(np.asarray(predictions, dtype=float))
    else:  # to decimals numpy scales first, and can differ from Python on a value that prints as an exact half
        predictions_r = np.array([round(float(p), decimals) for p in predictions], dtype=float)
    scaled = np.asarray(values, dtype=float) / unit
    floors = np.floor(scaled)
    short = np.rint((predictions_r - base_r) / unit - floors.sum(axis=1)).astype(int)  # units still to hand out
    order = np.argsort(-(scaled - floors), axis=1, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(scaled.shape[1])[None, :].repeat(len(scaled), axis=0), axis=1)
    handed = floors + (rank < short[:, None])
    # Where the contributions do not add up to begin with (an approximation): round each one on its own.
    fits = (short >= 0) & (short <= scaled.shape[1])
    rounded = np.where(fits[:, None], handed, np.round(scaled))
    return base_r, np.round(rounded * unit, decimals), predictions_r


def format_value(value: Any, info: FeatureInfo | None = None) -> str:
    """A raw value as the user knows it: numbers with the column's unit, categories as they are."""
    if is_missing(value):
        return "not recorded"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if info is not None and info.binary and _is_zero_or_one(value):
        return "yes" if float(value) == 1 else "no"  # a yes/no fact kept as 0 and 1
    if info is not None and info.year and _is_whole(value):
        return f"{int(float(value))}"  # a calendar year: 1998, never 1,998
    if isinstance(value, int | float) and not isinstance(value, bool) or hasattr(value, "dtype"):
        try:
            return format_with_unit(float(value), info.unit if info else None)
        except (TypeError, ValueError):
            pass
    return str(value)


def _is_whole(value: Any) -> bool:
    try:
        return float(value).is_integer()
    except (TypeError, ValueError):
        return False


def _is_zero_or_one(value: Any) -> bool:
    try:
        return float(value) in (0.0, 1.0)
    except (TypeError, ValueError):
        return False


def format_points(points: float, *, signed: bool = True) -> str:
    """Percentage points: ``18.04`` -> ``"+18.0 points"``."""
    sign = "+" if signed and points >= 0.05 else ("-" if points <= -0.05 else "")
    number = f"{abs(points):.1f}"
    word = "point" if number == "1.0" else "points"
    return f"{sign}{number} {word}" if signed else f"{points:.1f} {word}"


def format_contribution(value: float, unit: str, *, decimals: int | None = None) -> str:
    """A contribution in its unit, signed: points for chances, the target's unit otherwise."""
    if unit == "points":
        return format_points(value)
    sign = "+" if value >= 0 else "-"
    return sign + format_with_unit(abs(value), unit, decimals=decimals)


def format_chance(chance: float) -> str:
    """A chance (0-1) as a whole percentage; never "0%" or "100%" for what is only nearly so."""
    pct = chance * 100
    if 0 < pct < 1:
        return "under 1%"
    if 99 < pct < 100:
        return "over 99%"
    return f"{round(pct):.0f}%"


def article(number_text: str) -> str:
    """The article before a number as it is read aloud: an 8%, an 11%, an 18%, an 80%; a 73%."""
    digits = re.match(r"\d+", number_text.replace(",", ""))
    if digits is None:
        return "a"
    spoken = digits.group(0)
    return "an" if spoken.startswith("8") or (len(spoken) in (2, 5) and spoken[:2] in ("11", "18")) else "a"


def a_chance(chance: float) -> str:
    """A chance with its article, for the middle of a sentence: "a 73% chance", "an 88% chance"."""
    text = format_chance(chance)
    if text.startswith("under"):
        return "less than a 1% chance"
    if text.startswith("over"):
        return "more than a 99% chance"
    return f"{article(text)} {text} chance"


def natural_frequency(chance: float) -> str:
    """A chance as a natural frequency out of 100: ``0.73`` -> ``"about 73 in 100"``.

    Always out of 100, the same count as the percentage beside it and the picture of 100 people, so one figure
    is never said two ways ("26%" and "about 3 in 10"), and readers never compare counts out of different totals.
    """
    if chance >= 1:
        return "all"
    if chance >= 0.995:
        return "almost all"
    per_hundred = round(chance * 100)
    if per_hundred < 1:
        return "fewer than 1 in 100"
    return f"about {per_hundred} in 100"


def round_count(n: float) -> str:
    """A count the way people say it: 1,790 -> "about 1,800"; small counts exact."""
    n = float(n)
    if n < 100:
        return f"{n:,.0f}"
    magnitude = 10 ** (len(str(int(n))) - 2)
    return f"about {round(n / magnitude) * magnitude:,.0f}"


def currency_sign(currency: str) -> str:
    """The sign for USD, EUR, GBP and JPY (``"$"``); any other currency as its code (``"CHF"``)."""
    code = currency.strip()
    return CURRENCY_SIGNS.get(code.upper(), code)


def format_money(amount: float, currency: str, *, rounded: bool = True) -> str:
    """Money the way a person says it: ``"$1.5 million"``, ``"$12,000"``, ``"$230"``, ``"CHF 1,200"``.

    Parameters
    ----------
    amount : float
        The amount, in ``currency``.
    currency : str
        An ISO code: USD, EUR, GBP and JPY show as their sign, any other code is written before the number.
    rounded : bool, default True
        Round to 2 significant figures from 1,000 up, and to whole units from 10 up ("say about" is the
        caller's job). False: the exact amount, with cents only when there are any.
    """
    sign = currency_sign(currency)
    prefix = sign if sign in _SIGNS or not sign else sign + " "
    minus = "-" if amount < 0 else ""
    number = _money_number(abs(float(amount)), rounded=rounded)
    return f"{minus}{prefix}{number}"


def _money_number(amount: float, *, rounded: bool) -> str:
    if not math.isfinite(amount):
        return f"{amount}"
    if not rounded:
        return f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,.2f}"
    if amount < 1000:  # whole units: "$2" for $1.93, as "$1,200" for $1,166 (one rounding for every amount)
        return f"{math.floor(amount + 0.5):,.0f}"
    magnitude = 10 ** (math.floor(math.log10(amount)) - 1)
    amount = math.floor(amount / magnitude + 0.5) * magnitude  # half up, two significant figures
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if amount >= size:
            scaled = amount / size
            text = f"{scaled:,.1f}" if scaled < 10 else f"{scaled:,.0f}"
            return f"{text.removesuffix('.0')} {word}"
    return f"{amount:,.0f}"


def about_money(amount: float, currency: str) -> str:
    """``"about $72,000"`` when rounding changed the figure, ``"$20,000"`` when it did not; ``"less than $1"``."""
    if 0 < abs(amount) < 0.5:
        return "less than " + format_money(1.0, currency)
    said = format_money(amount, currency)
    exact = format_money(amount, currency, rounded=False)
    return said if said == exact else f"about {said}"


def say_output(value: float, output: Output) -> str:
    """A model output in the reader's unit, as shown everywhere: "73%" for a chance (``value`` in percent),
    "$1,240" for an amount (at the output's own rounding)."""
    if output.is_chance:
        return format_chance(output.model_value(value))
    return format_with_unit(value, output.unit, decimals=output.decimals)


def say_reason(value: float, output: Output) -> str:
    """One reason's share of the output, signed, as a chart writes it beside its bar: "+18 points", "-$207".

    ``value`` should already be rounded as shown (see :func:`rounded_to_add_up`), so that the figures add up; a
    share that rounds to nothing reads "<1 point" (or "<$1"): the bar's colour says which way it goes.
    """
    size = say_reason_size(value, output)
    if size.startswith("less than "):
        return "<" + size.removeprefix("less than ")
    return ("+" if value > 0 else "-") + size


def say_reason_size(value: float, output: Output) -> str:
    """How big one reason's share is, unsigned: "18 points", "$207", "less than 1 point" (for a sentence)."""
    places = output.decimals
    if round(abs(value), places) == 0:
        smallest = "1 point" if output.is_chance else format_with_unit(10.0**-places, output.unit, decimals=places)
        return f"less than {smallest}"
    if output.is_chance:
        points = round(abs(value))
        return f"{points:.0f} point{'' if points == 1 else 's'}"
    return format_with_unit(abs(value), output.unit, decimals=places)


def reason_unit(output: Output) -> str:
    """The unit a reason's share is in, for a chart's axis: "points" or the output's own unit (may be "")."""
    return POINTS if output.is_chance else (output.unit or "")


def unit_words(output: Output) -> str:
    """ ", in percentage points" / ", in dollars" / "": how the reasons are measured, to end a caption."""
    if output.is_chance:
        return ", in percentage points"
    return f", in {unit_name(output.unit)}" if output.unit else ""


def parse_amount(text: str) -> float | None:
    """An amount as a person types it: "$57,480", "57480", "€ 1.200" (thousands), "12k"; None if it is not one."""
    cleaned = re.sub(r"[^\d.,kKmM-]", "", str(text))
    scale = 1.0
    if cleaned[-1:].lower() in ("k", "m"):
        scale = 1e3 if cleaned[-1].lower() == "k" else 1e6
        cleaned = cleaned[:-1]
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+", cleaned):  # 1.200.000: points that group thousands
        cleaned = cleaned.replace(".", "")
    cleaned = cleaned.replace(",", "")
    try:
        value = float(cleaned) * scale
    except ValueError:
        return None
    return value if math.isfinite(value) else None
