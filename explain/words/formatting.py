"""Numbers and values the way a person says them, and escaping for text that came from data."""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pandas as pd

from explain.bundle.card import FeatureInfo

_PREFIX_UNITS = {"$", "€", "£", "¥", "USD", "EUR", "GBP"}
CURRENCY_SIGNS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}
_UNIT_NAMES = {"$": "dollars", "USD": "dollars", "€": "euros", "EUR": "euros", "£": "pounds", "GBP": "pounds",
               "¥": "yen", "JPY": "yen", "%": "percent"}  # fmt: skip
_SINGULAR = {"people": "person", "children": "child", "men": "man", "women": "woman", "persons": "person"}


def is_missing(value: Any) -> bool:
    """True for None, NaN, NA and blank text."""
    if value is None or value is pd.NA:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def format_number(value: float, *, decimals: int | None = None) -> str:
    """``1234.5`` -> ``"1,234.5"``; whole numbers without decimals."""
    if decimals is None:
        decimals = 0 if float(value).is_integer() else (2 if abs(value) < 100 else 1)
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
    unit = CURRENCY_SIGNS.get(unit, unit)
    if unit in _PREFIX_UNITS:
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
    """A unit as it is said in a sentence: ``"$"`` -> ``"dollars"``, ``"kWh"`` as it is."""
    return _UNIT_NAMES.get(unit.strip(), unit)


def is_money(unit: str | None) -> bool:
    """True for a currency sign or code the app knows ($, USD, €, EUR, ...)."""
    return unit is not None and CURRENCY_SIGNS.get(unit, unit) in _PREFIX_UNITS


def output_decimals(scale: float, unit: str | None) -> int:
    """How many decimals a model output of about this size needs, so a page shows it one way throughout.

    About three significant figures: whole units from 100 up (``$1,240``, ``$310``), one decimal from 10
    (``42.5 kWh``), two below; money shows whole units or cents, never one decimal.
    """
    scale = abs(float(scale))
    if not math.isfinite(scale) or scale == 0:
        return 2
    decimals = min(max(0, 2 - math.floor(math.log10(scale))), 6)
    if is_money(unit):
        return 0 if decimals == 0 else 2
    return decimals


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
    unit = 10.0**-decimals
    base_r, prediction_r = round(float(base), decimals), round(float(prediction), decimals)
    scaled = np.asarray(values, dtype=float) / unit
    floors = np.floor(scaled)
    short = int(round((prediction_r - base_r) / unit - floors.sum()))  # units still to hand out
    order = np.argsort(-(scaled - floors), kind="stable")
    if 0 <= short <= len(scaled):
        floors[order[:short]] += 1
    else:  # the contributions do not add up to begin with (an approximation): round each one on its own
        floors = np.round(scaled)
    return base_r, np.round(floors * unit, decimals), prediction_r


def format_value(value: Any, info: FeatureInfo | None = None) -> str:
    """A raw value as the user knows it: numbers with the column's unit, categories as they are."""
    if is_missing(value):
        return "not recorded"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float) and not isinstance(value, bool) or hasattr(value, "dtype"):
        try:
            return format_with_unit(float(value), info.unit if info else None)
        except (TypeError, ValueError):
            pass
    return str(value)


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
    """A chance as a natural frequency: ``0.73`` -> ``"about 7 in 10"``, ``0.04`` -> ``"about 4 in 100"``."""
    if chance >= 0.95:
        return "almost all"
    if chance >= 0.095:
        return f"about {round(chance * 10)} in 10"
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


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=])")


def escape_markdown(text: str) -> str:
    """Make text from data safe to place in Markdown: every special character shows as itself."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")


def escape_html(text: str, *, max_length: int | None = None) -> str:
    """Make text from data safe for Plotly's labels, which read a little HTML (<b>, <br>, <a href>).

    Escaping ``&``, ``<`` and ``>`` is enough: without a ``<`` no tag can start, and Plotly shows entities it
    does not know (``&quot;``) literally, so quotes are left as they are. ``max_length`` cuts long labels (with
    "…") before escaping, so a long name cannot squeeze a chart to nothing.
    """
    text = str(text)
    if max_length is not None and len(text) > max_length:
        text = text[: max_length - 1].rstrip() + "…"
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
