"""Figures of business figures: a total split into tenths of the entities. Pure: returns a Figure."""

from __future__ import annotations

import plotly.graph_objects as go

from explain.figures.specs import ColumnsSpec, CurveSpec
from explain.figures.style import BAR, FONT, GRID, LOWERS, MUTED, RAISES, TOTAL
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


_ROLES = {"good": (LOWERS, "solid"), "cost": (RAISES, "dot"), "net": (TOTAL, "dash")}


def curve_figure(spec: CurveSpec) -> go.Figure:
    """Lines against one axis (what acting keeps, costs and nets as the budget grows), the reader's choice marked."""
    figure = go.Figure()
    x_prefix, y_prefix = escape_html(spec.x_prefix), escape_html(spec.y_prefix)
    for line in spec.lines:
        colour, dash = _ROLES.get(line.role, (BAR, "solid"))
        figure.add_trace(
            go.Scatter(
                x=list(line.xs),
                y=list(line.ys),
                mode="lines",
                name=escape_html(line.name),
                line=dict(color=colour, width=3, dash=dash),
                hovertemplate=f"{x_prefix}%{{x:,.0f}}: {y_prefix}%{{y:,.0f}}<extra></extra>",
            )
        )
    if spec.marker_x is not None:
        figure.add_vline(x=spec.marker_x, line=dict(color=MUTED, width=2))
        figure.add_annotation(
            x=spec.marker_x, y=1, yref="paper", text=escape_html(spec.marker_label), showarrow=False, yanchor="bottom"
        )
    figure.update_layout(
        font=FONT,
        height=380,
        margin=dict(l=10, r=20, t=40, b=40),
        xaxis=dict(title=escape_html(spec.x_axis), tickprefix=escape_html(spec.x_prefix), automargin=True),
        yaxis=dict(title=escape_html(spec.y_axis), tickprefix=escape_html(spec.y_prefix), automargin=True),
        legend=dict(orientation="h", y=1.08, yanchor="bottom", x=0),
        plot_bgcolor="white",
    )
    figure.update_xaxes(showgrid=True, gridcolor=GRID)
    figure.update_yaxes(showgrid=True, gridcolor=GRID, zeroline=True, zerolinecolor=MUTED)
    return figure
