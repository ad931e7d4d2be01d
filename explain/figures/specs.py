"""What a chart shows, as plain data: built once by a report, drawn by a figure function, printed by the CLI.

Every text here is plain (from the card, the data and :mod:`explain.words`); the figure functions escape it for
Plotly. Values are in the chart's own unit; texts are the same figures as the sentences beside the chart say them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    """One bar: its row label, the value it reaches (or adds), and the figure written beside it."""

    label: str
    value: float
    text: str


@dataclass(frozen=True)
class WaterfallSpec:
    """One row's reasons, adding up from a typical row (``start``) to this one (``end``)."""

    start: Bar
    reasons: tuple[Bar, ...]
    end: Bar
    axis: str
    chance: bool  # a chance: the axis is 0-100, with ticks from 0 up


@dataclass(frozen=True)
class BarsSpec:
    """Horizontal bars, largest first: sizes (all positive) or signed effects (coloured by their sign)."""

    bars: tuple[Bar, ...]
    axis: str
    signed: bool


@dataclass(frozen=True)
class CompareSpec:
    """Each reason before and after a what-if change, side by side."""

    labels: tuple[str, ...]
    before: tuple[Bar, ...]
    after: tuple[Bar, ...]
    axis: str


@dataclass(frozen=True)
class PairSpec:
    """Sizes for two sets of rows side by side (a group and everyone; older and newer data), per label."""

    labels: tuple[str, ...]
    first: tuple[Bar, ...]
    second: tuple[Bar, ...]
    names: tuple[str, str]  # the legend: the first set's name (coloured), the second's (grey)
    axis: str


@dataclass(frozen=True)
class IconArraySpec:
    """A chance as 100 people, ``count`` of them coloured."""

    count: int
    coloured: str  # what the coloured ones do ("leave")
    rest: str  # what the others do ("stay")
    title: str


@dataclass(frozen=True)
class ColumnsSpec:
    """Vertical bars in a fixed order (a total split into tenths)."""

    bars: tuple[Bar, ...]
    x_axis: str
    y_axis: str
    tick_prefix: str


@dataclass(frozen=True)
class DependenceSpec:
    """One column's value against its effect: dots and an average line (numbers) or average bars (categories)."""

    label: str  # the column's label, with its unit for numbers
    numeric: bool
    points: tuple[tuple[float, float], ...]  # (value, effect) of a seeded sample of rows (numbers)
    curve: tuple[tuple[float, float], ...]  # (value, average effect) per value range (numbers)
    bars: tuple[Bar, ...]  # the average effect per category (categories)
    axis: str  # the effect axis title
    entity: str


@dataclass(frozen=True)
class PartialDependenceSpec:
    """The model's average output with one column set to each value (analyst view)."""

    label: str
    numeric: bool
    values: tuple[object, ...]
    averages: tuple[float, ...]
    axis: str


@dataclass(frozen=True)
class Line:
    """One line of a line chart: its name in the legend, its points, and what it stands for (its colour)."""

    name: str
    xs: tuple[float, ...]
    ys: tuple[float, ...]
    role: str  # "good" (what is kept), "cost", or "net"


@dataclass(frozen=True)
class CurveSpec:
    """Lines against one x axis, with the reader's own choice marked (e.g. the budget they set)."""

    lines: tuple[Line, ...]
    x_axis: str
    y_axis: str
    marker_x: float | None
    marker_label: str
    x_prefix: str
    y_prefix: str
