"""Figures for "how the model works": a column's dependence and its partial dependence. Pure: returns a Figure.

A linear model's effects side by side are :func:`explain.figures.explanation.bars_figure` with signed bars.
"""

from __future__ import annotations

import plotly.graph_objects as go

from explain.figures.specs import DependenceSpec, PartialDependenceSpec
from explain.figures.style import BEFORE, FONT, GRID, LABEL_MAX, LOWERS, PARTIAL, RAISES, TOTAL, ZERO
from explain.words.escape import escape_html


def dependence_figure(spec: DependenceSpec) -> go.Figure:
    """A column's value against its effect: every row as a dot, the average as a line (numbers) or bars."""
    figure = go.Figure()
    if spec.numeric:
        figure.add_trace(
            go.Scatter(
                x=[x for x, _ in spec.points],
                y=[y for _, y in spec.points],
                mode="markers",
                marker=dict(size=5, color=BEFORE, opacity=0.45),
                name=f"One {escape_html(spec.entity)}",
                hoverinfo="skip",
            )
        )
        figure.add_trace(
            go.Scatter(
                x=[x for x, _ in spec.curve],
                y=[y for _, y in spec.curve],
                mode="lines+markers",
                line=dict(color=TOTAL, width=3),
                name="Average",
                hoverinfo="skip",
            )
        )
    else:
        effects = [bar.value for bar in spec.bars]
        figure.add_trace(
            go.Bar(
                x=[escape_html(bar.label, max_length=LABEL_MAX) for bar in spec.bars],
                y=effects,
                marker=dict(color=[RAISES if v > 0 else LOWERS for v in effects]),
                text=[escape_html(bar.text) for bar in spec.bars],
                textposition="outside",
                name="Average",
                hoverinfo="skip",
                cliponaxis=False,
            )
        )
    figure.update_layout(
        font=FONT,
        height=340,
        margin=dict(l=10, r=20, t=30, b=40),
        xaxis=dict(title=escape_html(spec.label), automargin=True),
        yaxis=dict(title=escape_html(spec.axis), zeroline=True, zerolinecolor=ZERO, automargin=True),
        legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0),
        plot_bgcolor="white",
        showlegend=spec.numeric,
    )
    figure.update_yaxes(showgrid=True, gridcolor=GRID)
    return figure


def partial_dependence_figure(spec: PartialDependenceSpec) -> go.Figure:
    """The model's average output as one column is set to each value for every row (analyst view)."""
    x = list(spec.values) if spec.numeric else [escape_html(str(v), max_length=LABEL_MAX) for v in spec.values]
    trace = (
        go.Scatter(x=x, y=list(spec.averages), mode="lines+markers", line=dict(color=PARTIAL, width=3))
        if spec.numeric
        else go.Bar(x=x, y=list(spec.averages), marker=dict(color=PARTIAL))
    )
    figure = go.Figure(trace)
    figure.update_layout(
        font=FONT,
        height=300,
        margin=dict(l=10, r=20, t=30, b=40),
        xaxis=dict(title=f"{escape_html(spec.label)} — partial dependence", automargin=True),
        yaxis=dict(title=escape_html(spec.axis), automargin=True),
        plot_bgcolor="white",
        showlegend=False,
    )
    figure.update_traces(hoverinfo="x+y")
    return figure
