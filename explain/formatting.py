"""Numbers and values the way a person says them, and escaping for text that came from data."""

from __future__ import annotations

import math
import re
from typing import Any

import pandas as pd

from explain.card import FeatureInfo

_PREFIX_UNITS = {"$", "€", "£", "¥", "USD", "EUR", "GBP"}
CURRENCY_SIGNS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}


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


def format_with_unit(value: float, unit: str | None) -> str:
    """A number in its unit: ``$70.5`` -> ``"$70.50"``, ``36, months`` -> ``"36 months"``, ``1 month``."""
    if unit is None or unit == "":
        return format_number(value)
    unit = CURRENCY_SIGNS.get(unit, unit)
    if unit in _PREFIX_UNITS:
        sign = "-" if value < 0 else ""
        money = abs(value)
        decimals = 0 if money.is_integer() or money >= 1000 else 2
        return f"{sign}{unit}{money:,.{decimals}f}"
    if unit == "%":
        return f"{format_number(value)}%"
    if value == 1 and unit.endswith("s") and len(unit) > 2:
        unit = unit[:-1]  # "1 month", not "1 months"
    return f"{format_number(value)} {unit}"


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


def format_contribution(value: float, unit: str) -> str:
    """A contribution in its unit, signed: points for chances, the target's unit otherwise."""
    if unit == "points":
        return format_points(value)
    sign = "+" if value >= 0 else "-"
    return sign + format_with_unit(abs(value), unit)


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


def escape_html(text: str) -> str:
    """Make text from data safe for HTML-ish renderers (plotly labels)."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
