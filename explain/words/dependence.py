"""How one column moves the prediction across its range, in plain words (from :mod:`explain.analyses.dependence`)."""

from __future__ import annotations

import numpy as np

from explain.analyses.dependence import NUMBER, Dependence
from explain.bundle.card import Card
from explain.bundle.output import Output
from explain.words.grammar import capitalize
from explain.words.numbers import format_with_unit


def _amount(value: float, output: Output) -> str:
    if output.is_chance:
        points = abs(value)
        return "less than 1 point" if points < 1 else f"about {points:.0f} point{'s' if round(points) != 1 else ''}"
    return f"about {_said(abs(value), output.unit)}"


def _move(value: float, output: Output, what: str | None = None) -> str:
    """``adds about 16 points`` / ``takes off about 7 points``; with ``what``: ``adds about 16 points to the chance
    to leave`` / ``takes about 7 points off the chance to leave``."""
    amount = _amount(value, output)
    if output.is_chance and abs(value) < 0.5 or not output.is_chance and abs(value) < 1e-9:
        return "makes little difference" + (f" to {what}" if what else "")
    if value > 0:
        return f"adds {amount}" + (f" to {what}" if what else "")
    return f"takes {amount} off {what}" if what else f"takes off {amount}"


def dependence_sentence(dep: Dependence, card: Card) -> str:
    """One or two plain sentences: what low and high values (or each category) do to the prediction."""
    label = capitalize(card.label(dep.feature))
    what = dep.output.what
    if dep.curve.empty:
        return f"{label} makes no clear difference to {what}."
    if dep.kind == NUMBER:
        unit = card.feature(dep.feature).unit
        # The ends of the range, but not a handful of rare rows out there.
        common = dep.curve[dep.curve["n"] >= 0.02 * dep.curve["n"].sum()]
        common = common if len(common) >= 2 else dep.curve
        first, last = common.iloc[0], common.iloc[-1]
        near = "at" if float(first["low"]) == float(first["high"]) else "around"
        low = f"{near} {_said(float(first['value']), unit)}"
        high = f"{near} {_said(float(last['value']), unit)}"
        sentence = (
            f"{label}: {low}, it {_move(float(first['effect']), dep.output, what)}; "
            f"{high}, it {_move(float(last['effect']), dep.output)}."
        )
        peak = common.iloc[int(np.argmax(np.abs(common["effect"].to_numpy())))]
        if peak.name not in (first.name, last.name) and abs(float(peak["effect"])) > 1.5 * max(
            abs(float(first["effect"])), abs(float(last["effect"]))
        ):
            sentence += f" It matters most {near} {_said(float(peak['value']), unit)}."
        return sentence
    rows = list(dep.curve.head(4).itertuples())
    info = card.feature(dep.feature)  # the card's words for a value ("no internet service"), else the value
    parts = [
        f"{info.phrase(r.value) or r.value} {_move(float(r.effect), dep.output, what if i == 0 else None)}"
        for i, r in enumerate(rows)
    ]
    return f"{label}, on average: " + "; ".join(parts) + "."


def _said(value: float, unit: str | None) -> str:
    """A value as said aloud: whole numbers from 10 up ("$100", not "$99.88")."""
    return format_with_unit(float(round(value)) if abs(value) >= 10 else round(value, 1), unit)
