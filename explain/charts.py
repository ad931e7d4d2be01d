"""Plotly figures built from an Explanation. Pure: they return a Figure and never show or save it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from explain.card import Card
from explain.explanation import POINTS, Explanation
from explain.formatting import escape_html, format_contribution
from explain.narrative import output_text, reason_label

RAISES = "#c0392b"
LOWERS = "#2471a3"
TOTAL = "#4d4d4d"
FONT = dict(family="Inter, Segoe UI, Helvetica, Arial, sans-serif", size=14)


def waterfall_figure(explanation: Explanation, row: int, card: Card, *, max_reasons: int = 8) -> go.Figure:
    """The reasons for one row's output as a waterfall from a typical row to this one.

    The bars add up: typical + each reason (+ the rest, grouped) = this row's output.
    """
    table = explanation.contributions(row)
    shown, rest = table.head(max_reasons), table.iloc[max_reasons:]
    labels = [escape_html(reason_label(r["feature"], r["value"], card)) for _, r in shown.iterrows()]
    values = shown["contribution"].tolist()
    if len(rest):
        labels.append(f"{len(rest)} other factors")
        values.append(float(rest["contribution"].sum()))
    unit = explanation.unit
    typical = f"Typical {escape_html(card.entity)}"
    this = f"This {escape_html(card.entity)}"
    base, prediction = explanation.base_value, float(explanation.prediction[row])
    figure = go.Figure(
        go.Waterfall(
            orientation="h",
            measure=["absolute"] + ["relative"] * len(values) + ["total"],
            y=[typical] + labels + [this],
            x=[base] + values + [prediction],
            text=[output_text(base, explanation, card)]
            + [format_contribution(v, unit) for v in values]
            + [output_text(prediction, explanation, card)],
            textposition="outside",
            increasing=dict(marker=dict(color=RAISES)),
            decreasing=dict(marker=dict(color=LOWERS)),
            totals=dict(marker=dict(color=TOTAL)),
            connector=dict(line=dict(color="#bbbbbb", width=1)),
            hoverinfo="skip",
            cliponaxis=False,
        )
    )
    axis = "Chance (%)" if unit == POINTS else escape_html(card.unit or unit)
    low = min(0.0, *(base + np.cumsum([0.0, *values])))
    high = max(base + np.cumsum([0.0, *values]).max(), prediction, base)
    pad = (high - low) * 0.25 + 1e-9
    figure.update_layout(
        font=FONT,
        showlegend=False,
        margin=dict(l=10, r=30, t=30, b=40),
        height=140 + 38 * (len(labels) + 2),
        yaxis=dict(autorange="reversed", automargin=True),
        xaxis=dict(
            title=axis, range=[low if unit != POINTS else 0, min(high + pad, 100) if unit == POINTS else high + pad]
        ),
        plot_bgcolor="white",
    )
    figure.update_xaxes(showgrid=True, gridcolor="#eeeeee", zeroline=False)
    return figure


def importance_figure(importance: pd.DataFrame, card: Card, *, unit: str, max_features: int = 12) -> go.Figure:
    """Average size of each column's effect, most important at the top."""
    top = importance.head(max_features)
    labels = [escape_html(card.label(f)) for f in top["feature"]]
    words = "Average effect on the chance (points)" if unit == POINTS else f"Average effect ({escape_html(unit)})"
    figure = go.Figure(
        go.Bar(
            x=top["importance"],
            y=labels,
            orientation="h",
            marker=dict(color="#2e86c1"),
            text=[format_contribution(v, unit).lstrip("+") for v in top["importance"]],
            textposition="outside",
            hoverinfo="skip",
            cliponaxis=False,
        )
    )
    figure.update_layout(
        font=FONT,
        margin=dict(l=10, r=40, t=20, b=40),
        height=120 + 36 * len(top),
        yaxis=dict(autorange="reversed", automargin=True),
        xaxis=dict(title=words, range=[0, float(top["importance"].max() or 1) * 1.3]),
        plot_bgcolor="white",
    )
    figure.update_xaxes(showgrid=True, gridcolor="#eeeeee")
    return figure


def icon_array_figure(chance: float, card: Card, *, per_row: int = 10) -> go.Figure:
    """100 figures, the share who would have the outcome coloured: a chance for readers who think in pictures.

    Parameters
    ----------
    chance : float
        Between 0 and 1.
    """
    count = int(round(min(max(chance, 0.0), 1.0) * 100))
    positions = np.arange(100)
    x, y = positions % per_row, -(positions // per_row)
    coloured = positions < count
    figure = go.Figure()
    for mask, color, name in ((coloured, RAISES, card.outcome_positive), (~coloured, "#d5d8dc", card.outcome_negative)):
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
        title=dict(text=f"{count} in 100 {escape_html(card.entities)} like this one", font=dict(size=13), x=0),
        xaxis=dict(visible=False, range=[-0.7, per_row - 0.3]),
        yaxis=dict(visible=False, scaleanchor="x", range=[-(100 // per_row) + 0.3, 0.7]),
        showlegend=False,
        plot_bgcolor="white",
    )
    return figure


def compare_figure(before: Explanation, after: Explanation, card: Card, *, max_reasons: int = 8) -> go.Figure:
    """Each column's effect before and after a what-if change, side by side (row 0 of each explanation)."""
    order = np.argsort(-np.maximum(np.abs(before.values[0]), np.abs(after.values[0])), kind="stable")[:max_reasons]
    labels = [escape_html(card.label(before.feature_names[i])) for i in order]
    figure = go.Figure()
    for name, explanation, color in (("Now", before, "#aab7b8"), ("With the changes", after, "#1f618d")):
        values = explanation.values[0][order]
        figure.add_trace(
            go.Bar(
                y=labels,
                x=values,
                orientation="h",
                name=name,
                marker=dict(color=color),
                text=[format_contribution(v, explanation.unit) for v in values],
                textposition="outside",
                hoverinfo="skip",
                cliponaxis=False,
            )
        )
    unit = "points of the chance" if before.unit == POINTS else escape_html(card.unit or before.unit)
    both = np.concatenate([before.values[0][order], after.values[0][order], [0.0]])
    pad = (both.max() - both.min()) * 0.3 or 1.0  # room for the labels outside the bars, on both sides
    figure.update_layout(
        font=FONT,
        barmode="group",
        height=140 + 48 * len(order),
        margin=dict(l=10, r=60, t=30, b=40),
        yaxis=dict(autorange="reversed", automargin=True),
        xaxis=dict(
            title=f"How much each fact moves the result ({unit})",
            zeroline=True,
            zerolinecolor="#888",
            range=[both.min() - pad, both.max() + pad],
        ),
        legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0),
        plot_bgcolor="white",
    )
    return figure
