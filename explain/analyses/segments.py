"""A group of rows against every row: its size, its average output, how many are at high risk, what it is worth,
and which columns drive the model more or less in it. Numbers only; the words are in :mod:`explain.words.segments`.

A group is a :class:`~explain.bundle.filters.Segment` (filters on raw columns). :func:`narrow` gives the bundle
narrowed to it (:meth:`Bundle.narrowed`), on which every other analysis then works over the group's rows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from explain.analyses.business import values_at_risk
from explain.analyses.importance import global_importance
from explain.analyses.selection import OUTPUT, is_number, matches
from explain.bundle.bundle import Bundle
from explain.bundle.filters import Segment, SelectionError, parse_where
from explain.methods.explanation import Explanation

# A column's weight in a group differs from everyone's when one is this many times the other. Seeded random halves
# of the shipped demo differ by at most 1.03 times (ten seeds, columns with 5% of the weight or more), so 1.5 is far
# above noise at that size; a small group's weights vary more, which the threshold leaves room for.
NOTABLE_RATIO = 1.5
MATTERS_SHARE = 0.05  # a column compared must carry this share of the model's weight in the group or overall


def where(bundle: Bundle, text: str) -> Segment:
    """A group from a typed filter (the CLI's ``--where``), its columns named as the data or the card names them.

    Raises
    ------
    SelectionError
        When the text is not a filter the engine can read (the message says how to write one).
    """
    labels = {column: bundle.card.label(column) for column in bundle.features}
    return checked(bundle, Segment(parse_where(text, bundle.features, labels)))


def checked(bundle: Bundle, segment: Segment) -> Segment:
    """The group with each category written as the data writes it ("month-to-month" is "Month-to-month").

    Raises
    ------
    SelectionError
        When a filter gives a category the column never holds (the message lists some it does), or text to a
        number column.
    """
    fixed = []
    for condition in segment.filters:
        if condition.column == OUTPUT:
            fixed.append(condition)
            continue
        values = bundle.whole.X[condition.column]
        if is_number(values):
            for text in condition.values:
                try:
                    float(text.replace(",", ""))
                except ValueError:
                    raise SelectionError(f"'{condition.column}' holds numbers; '{text}' is not one.") from None
            fixed.append(condition)
            continue
        known = {str(v).strip().casefold(): str(v) for v in pd.unique(values.dropna())}
        spelled = []
        for text in condition.values:
            match = known.get(text.strip().casefold())
            if match is None:
                some = ", ".join(f"'{v}'" for v in sorted(known.values())[:12])
                raise SelectionError(f"'{condition.column}' never holds '{text}'; it holds {some}.")
            spelled.append(match)
        value = json.dumps(spelled, ensure_ascii=False) if condition.op == "is one of" else spelled[0]
        fixed.append(replace(condition, value=value))
    return replace(segment, filters=tuple(fixed))


def named(bundle: Bundle, label: str) -> Segment:
    """The card's group called ``label`` (any case).

    Raises
    ------
    SelectionError
        When the card names no such group (the message lists those it names).
    """
    for segment in bundle.card.segments:
        if segment.label is not None and segment.label.casefold() == label.strip().casefold():
            return segment
    known = ", ".join(f"'{s.label}'" for s in bundle.card.segments)
    raise SelectionError(
        f"The model card names no group '{label}'"
        + (f"; it names {known}." if known else "; it names none (see segments: in the README).")
    )


def positions(bundle: Bundle, segment: Segment) -> np.ndarray:
    """The positions of the rows in the group (every filter holds), in the data's order."""
    keep = np.ones(len(bundle.X), dtype=bool)
    for condition in segment.filters:
        keep &= matches(bundle, condition)
    return np.flatnonzero(keep)


def narrow(bundle: Bundle, segment: Segment) -> Bundle:
    """The bundle narrowed to the group's rows.

    Raises
    ------
    SelectionError
        When a filter cannot be used, or no row is in the group.
    """
    segment = checked(bundle, segment)
    at = positions(bundle, segment)
    if len(at) == 0:
        raise SelectionError(f"No {bundle.card.entities} are in this group: no row meets every condition.")
    return bundle.narrowed(segment, at)


@dataclass(frozen=True)
class Side:
    """One side of the comparison: the group, or everyone."""

    n_rows: int
    mean_output: float  # the model's unit: a chance (0-1), or the value
    n_high: int | None  # classifiers: how many at or above the card's risk threshold
    value_at_risk: float | None  # the money at risk (a loss with the card's value per entity), else None
    weights: dict[str, float]  # each column's average absolute contribution, in the reader's unit

    @property
    def share_high(self) -> float | None:
        return None if self.n_high is None or not self.n_rows else self.n_high / self.n_rows


@dataclass(frozen=True)
class DriverGap:
    """A column that moves the model by a different amount in the group than overall."""

    column: str
    group: float  # its average absolute contribution in the group (the reader's unit)
    everyone: float
    ratio: float  # group / everyone

    @property
    def more(self) -> bool:
        return self.ratio > 1


@dataclass(frozen=True)
class Comparison:
    """The group against everyone."""

    group: Side
    everyone: Side
    top_group: str  # the column that moves the model most in the group
    top_everyone: str
    drivers: tuple[DriverGap, ...]  # notable differences, the largest first

    @property
    def share(self) -> float:
        return self.group.n_rows / self.everyone.n_rows if self.everyone.n_rows else 0.0


def side(bundle: Bundle, explanation: Explanation) -> Side:
    """The figures of one side: counts and money over every row of ``bundle``, weights from ``explanation``."""
    outputs = np.asarray(bundle.outputs)
    business = bundle.card.risk_business if bundle.output.is_chance else None
    importance = global_importance(explanation)
    return Side(
        n_rows=len(outputs),
        mean_output=float(outputs.mean()) if len(outputs) else float("nan"),
        n_high=int((outputs >= bundle.card.risk_threshold).sum()) if bundle.output.is_chance else None,
        value_at_risk=float(values_at_risk(outputs, business).sum()) if business is not None else None,
        weights=dict(zip(importance["feature"], importance["importance"].astype(float), strict=True)),
    )


def compare(group: Bundle, group_explanation: Explanation, everyone_explanation: Explanation) -> Comparison:
    """The group (a narrowed bundle) against its whole bundle, with each side's population explanation."""
    mine, all_ = side(group, group_explanation), side(group.whole, everyone_explanation)
    total_mine, total_all = sum(mine.weights.values()) or 1.0, sum(all_.weights.values()) or 1.0
    gaps = []
    for column, weight in all_.weights.items():
        own = mine.weights.get(column, 0.0)
        if max(own / total_mine, weight / total_all) < MATTERS_SHARE or weight <= 0 or own <= 0:
            continue
        ratio = own / weight
        if ratio >= NOTABLE_RATIO or ratio <= 1 / NOTABLE_RATIO:
            gaps.append(DriverGap(column, own, weight, ratio))
    # The largest differences first, weighed by how much the column matters (a small column's tripling is less news).
    gaps.sort(key=lambda g: -abs(np.log(g.ratio)) * max(g.group, g.everyone))
    return Comparison(
        group=mine,
        everyone=all_,
        top_group=max(mine.weights, key=mine.weights.__getitem__),
        top_everyone=max(all_.weights, key=all_.weights.__getitem__),
        drivers=tuple(gaps),
    )
