"""Figures of explanations: one row's waterfall, sizes or effects as bars, a what-if comparison, an icon array.

Pure: each takes a spec (:mod:`explain.figures.specs`) and returns a Figure; it never shows or saves it. Labels
come from data, so they are escaped for Plotly and cut when very long.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from explain.figures.specs import BarsSpec, CompareSpec, IconArraySpec, PairSpec, WaterfallSpec
from explain.figures.style import BAR, BEFORE, FONT, GRID, LABEL_MAX, LOWERS, MUTED, RAISES, TOTAL, ZERO
from explain.words.escape import escape_html


def _label(text: str) -> str:
    return escape_html(text, max_length=LABEL_MAX)


def waterfall_figure(spec: WaterfallSpec) -> go.Figure:
    """The reasons for one row's output as a waterfall from a typical row to this one; the bars add up."""
    values = [bar.value for bar in spec.reasons]
    base, prediction = spec.start.value, spec.end.value
    figure = go.Figure(
        go.Waterfall(
            orientation="h",
            measure=["absolute"] + ["relative"] * len(values) + ["total"],
            y=[_label(spec.start.label)] + [_label(bar.label) for bar in spec.reasons] + [_label(spec.end.label)],
            x=[base, *values, prediction],
            text=[
                escape_html(spec.start.text),
                *(escape_html(bar.text) for bar in spec.reasons),
                escape_html(spec.end.text),
            ],
            textposition="outside",
            increasing=dict(marker=dict(color=RAISES)),
            decreasing=dict(marker=dict(color=LOWERS)),
            totals=dict(marker=dict(color=TOTAL)),
            connector=dict(line=dict(color=MUTED, width=1)),
            hoverinfo="skip",
            cliponaxis=False,
        )
    )
    steps = base + np.cumsum([0.0, *values])
    low = min(0.0, *steps)
    high = max(steps.max(), prediction, base)
    pad = (high - low) * 0.25 + 1e-9
    figure.update_layout(
        font=FONT,
        showlegend=False,
        margin=dict(l=10, r=80, t=30, b=40),
        height=140 + 38 * (len(values) + 2),
        yaxis=dict(autorange="reversed", automargin=True),
        xaxis=dict(title=escape_html(spec.axis), range=[low, high + pad]),
        plot_bgcolor="white",
    )
    if spec.chance:
        # A chance is never below 0, but a bar that ends near 0 puts its label there: leave room on the left
        # and mark only the ticks from 0 up.
        top = min(high + pad, 100.0)
        step = next(s for s in (1, 2, 5, 10, 20, 25, 50) if top / s <= 8)
        figure.update_xaxes(range=[-pad * 0.6, top], tickvals=list(np.arange(0, top + 1e-9, step)))
    figure.update_xaxes(showgrid=True, gridcolor=GRID, zeroline=False)
    return figure


def bars_figure(spec: BarsSpec) -> go.Figure:
    """Horizontal bars, first at the top: sizes from 0 (what drives the model), or effects coloured by sign."""
    values = [bar.value for bar in spec.bars]
    figure = go.Figure(
        go.Bar(
            x=values,
            y=[_label(bar.label) for bar in spec.bars],
            orientation="h",
            marker=dict(color=[RAISES if v > 0 else LOWERS for v in values] if spec.signed else BAR),
            text=[escape_html(bar.text) for bar in spec.bars],
            textposition="outside",
            hoverinfo="skip",
            cliponaxis=False,
        )
    )
    if spec.signed:
        span = max((abs(v) for v in values), default=1.0) or 1.0
        # Room beside the longest bars for their labels (long row labels leave the bars little width).
        axis = dict(title=escape_html(spec.axis), range=[-span * 1.8, span * 1.8], zeroline=True, zerolinecolor=ZERO)
        margin, per_bar = dict(l=10, r=60, t=20, b=40), 34
    else:
        axis = dict(title=escape_html(spec.axis), range=[0, float(max(values, default=0.0) or 1) * 1.3])
        margin, per_bar = dict(l=10, r=40, t=20, b=40), 36
    figure.update_layout(
        font=FONT,
        margin=margin,
        height=120 + per_bar * len(values),
        yaxis=dict(autorange="reversed", automargin=True),
        xaxis=axis,
        plot_bgcolor="white",
        showlegend=False,
    )
    figure.update_xaxes(showgrid=True, gridcolor=GRID)
    return figure


def compare_figure(spec: CompareSpec) -> go.Figure:
    """Each reason's effect now and with the what-if changes, side by side."""
    labels = [_label(label) for label in spec.labels]
    figure = go.Figure()
    for name, bars, color in (("Now", spec.before, BEFORE), ("With the changes", spec.after, None)):
        # Now in grey; with the changes in the colours every chart uses: red raises, blue lowers.
        colours = color or [RAISES if bar.value > 0 else LOWERS for bar in bars]
        figure.add_trace(
            go.Bar(
                y=labels,
                x=[bar.value for bar in bars],
                orientation="h",
                name=name,
                marker=dict(color=colours),
                text=[escape_html(bar.text) for bar in bars],
                textposition="outside",
                hoverinfo="skip",
                cliponaxis=False,
            )
        )
    both = np.array([bar.value for bar in (*spec.before, *spec.after)] + [0.0])
    pad = (both.max() - both.min()) * 0.3 or 1.0  # room for the labels outside the bars, on both sides
    figure.update_layout(
        font=FONT,
        barmode="group",
        height=140 + 48 * len(labels),
        margin=dict(l=10, r=60, t=30, b=40),
        yaxis=dict(autorange="reversed", automargin=True),
        xaxis=dict(
            title=escape_html(spec.axis),
            zeroline=True,
            zerolinecolor=ZERO,
            range=[both.min() - pad, both.max() + pad],
        ),
        legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0),
        plot_bgcolor="white",
    )
    return figure


def pair_figure(spec: PairSpec) -> go.Figure:
    """Two sets of sizes side by side per label: the first in the bars' colour, the second in grey."""
    labels = [_label(label) for label in spec.labels]
    figure = go.Figure()
    for name, bars, color in ((spec.names[0], spec.first, BAR), (spec.names[1], spec.second, BEFORE)):
        figure.add_trace(
            go.Bar(
                y=labels,
                x=[bar.value for bar in bars],
                orientation="h",
                name=escape_html(name),
                marker=dict(color=color),
                text=[escape_html(bar.text) for bar in bars],
                textposition="outside",
                hoverinfo="skip",
                cliponaxis=False,
            )
        )
    top = max([bar.value for bar in (*spec.first, *spec.second)] + [0.0]) or 1.0
    figure.update_layout(
        font=FONT,
        barmode="group",
        height=140 + 48 * len(labels),
        margin=dict(l=10, r=40, t=30, b=40),
        yaxis=dict(autorange="reversed", automargin=True),
        xaxis=dict(title=escape_html(spec.axis), range=[0, top * 1.3]),
        legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0),
        plot_bgcolor="white",
    )
    figure.update_xaxes(showgrid=True, gridcolor=GRID)
    return figure


def icon_array_figure(spec: IconArraySpec, *, per_row: int = 10) -> go.Figure:
    """100 figures, ``count`` of them coloured: a chance for readers who think in pictures."""
    positions = np.arange(100)
    x, y = positions % per_row, -(positions // per_row)
    coloured = positions < spec.count
    figure = go.Figure()
    for mask, color, name in ((coloured, RAISES, spec.coloured), (~coloured, "#d5d8dc", spec.rest)):
        figure.add_trace(
            go.Scatter(
                x=x[mask],
                y=y[mask],
                mode="markers",
                marker=dict(symbol="circle", size=15, color=color, line=dict(width=0)),
                name=f"{int(mask.sum())} {escape_html(name)}",
                hoverinfo="skip",
            )
        )
    figure.update_layout(
        font=FONT,
        height=260,
        width=260,
        margin=dict(l=5, r=5, t=36, b=5),
        title=dict(text=escape_html(spec.title), font=dict(size=13), x=0),
        xaxis=dict(visible=False, range=[-0.7, per_row - 0.3]),
        yaxis=dict(visible=False, scaleanchor="x", range=[-(100 // per_row) + 0.3, 0.7]),
        showlegend=False,
        plot_bgcolor="white",
    )
    return figure
