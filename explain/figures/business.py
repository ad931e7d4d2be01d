"""Figures of business figures: a total split into tenths of the entities. Pure: returns a Figure."""

from __future__ import annotations

import plotly.graph_objects as go

from explain.figures.specs import ColumnsSpec
from explain.figures.style import BAR, FONT, GRID
from explain.words.escape import escape_html


def columns_figure(spec: ColumnsSpec) -> go.Figure:
    """Vertical bars in the spec's order, each with its figure on top (e.g. each tenth's total, highest first)."""
    values = [bar.value for bar in spec.bars]
    figure = go.Figure(
        go.Bar(
            x=[escape_html(bar.label) for bar in spec.bars],
            y=values,
            marker=dict(color=BAR),
            text=[escape_html(bar.text) for bar in spec.bars],
            textposition="outside",
            hoverinfo="skip",
            cliponaxis=False,
        )
    )
    figure.update_layout(
        font=FONT,
        margin=dict(l=10, r=10, t=30, b=40),
        height=360,
        xaxis=dict(title=escape_html(spec.x_axis)),
        yaxis=dict(
            title=escape_html(spec.y_axis),
            tickprefix=escape_html(spec.tick_prefix),
            range=[min(0.0, min(values, default=0.0) * 1.2), max(max(values, default=0.0) * 1.2, 1e-9)],
        ),
        plot_bgcolor="white",
    )
    figure.update_yaxes(showgrid=True, gridcolor=GRID)
    return figure
