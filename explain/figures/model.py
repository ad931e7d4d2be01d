"""Figures for "how the model works": straight-line effects, dependence curves, partial dependence. Pure."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from explain.analyses.coefficients import LinearEffects, typical_change_text
from explain.analyses.dependence import NUMBER, Dependence
from explain.bundle.card import Card
from explain.figures.charts import FONT, LABEL_MAX, LOWERS, RAISES
from explain.methods.explanation import POINTS
from explain.words.formatting import escape_html, format_contribution, output_decimals
from explain.words.narrative import target_words


def effects_figure(result: LinearEffects, card: Card, *, max_bars: int = 15) -> go.Figure:
    """Each column's effect of a typical change, on one scale: points of a typical row's chance, or the unit."""
    shown = result.effects[:max_bars]
    labels = [
        escape_html(f"{card.label(e.feature)}: {typical_change_text(e, card)}", max_length=LABEL_MAX) for e in shown
    ]
    if result.classifier:
        values = [result.chance_change(e) for e in shown]
        unit = POINTS
        axis = "Change in the chance for a typical " + escape_html(card.entity) + " (points)"
    else:
        values = [e.typical_effect for e in shown]
        unit = card.unit or "value"
        what = target_words(card)
        axis = f"Change in the expected {escape_html(what)}" if what else "Change in the prediction"
    places = None if unit == POINTS else output_decimals(max(map(abs, values), default=0.0), card.unit)
    figure = go.Figure(
        go.Bar(
            x=values,
            y=labels,
            orientation="h",
            marker=dict(color=[RAISES if v > 0 else LOWERS for v in values]),
            text=[format_contribution(v, unit, decimals=places) for v in values],
            textposition="outside",
            hoverinfo="skip",
            cliponaxis=False,
        )
    )
    span = max((abs(v) for v in values), default=1.0) or 1.0
    figure.update_layout(
        font=FONT,
        margin=dict(l=10, r=60, t=20, b=40),
        height=120 + 34 * len(shown),
        yaxis=dict(autorange="reversed", automargin=True),
        # Room beside the longest bars for their labels (the long row labels leave the bars little width).
        xaxis=dict(title=axis, range=[-span * 1.8, span * 1.8], zeroline=True, zerolinecolor="#888"),
        plot_bgcolor="white",
        showlegend=False,
    )
    figure.update_xaxes(showgrid=True, gridcolor="#eeeeee")
    return figure


def _effect_axis(unit: str, card: Card) -> str:
    if unit == POINTS:
        return f"Effect on the chance to {escape_html(card.outcome_positive)} (points)"
    return f"Effect ({escape_html(card.unit or unit)})"


def dependence_figure(dep: Dependence, card: Card) -> go.Figure:
    """A column's value against its effect: every row as a dot, the average as a line (numbers) or bars."""
    label = escape_html(card.label(dep.feature))
    unit_text = card.feature(dep.feature).unit
    figure = go.Figure()
    if dep.kind == NUMBER:
        figure.add_trace(
            go.Scatter(
                x=dep.points["value"],
                y=dep.points["effect"],
                mode="markers",
                marker=dict(size=5, color="#aab7b8", opacity=0.45),
                name=f"One {escape_html(card.entity)}",
                hoverinfo="skip",
            )
        )
        figure.add_trace(
            go.Scatter(
                x=dep.curve["value"],
                y=dep.curve["effect"],
                mode="lines+markers",
                line=dict(color="#1f618d", width=3),
                name="Average",
                hoverinfo="skip",
            )
        )
        x_title = label + (f" ({escape_html(unit_text)})" if unit_text else "")
    else:
        effects = dep.curve["effect"].tolist()
        places = None if dep.unit == POINTS else output_decimals(max(map(abs, effects), default=0.0), card.unit)
        figure.add_trace(
            go.Bar(
                x=[escape_html(str(v), max_length=LABEL_MAX) for v in dep.curve["value"]],
                y=effects,
                marker=dict(color=[RAISES if v > 0 else LOWERS for v in effects]),
                text=[format_contribution(v, dep.unit, decimals=places) for v in effects],
                textposition="outside",
                name="Average",
                hoverinfo="skip",
                cliponaxis=False,
            )
        )
        x_title = label
    figure.update_layout(
        font=FONT,
        height=340,
        margin=dict(l=10, r=20, t=30, b=40),
        xaxis=dict(title=x_title, automargin=True),
        yaxis=dict(title=_effect_axis(dep.unit, card), zeroline=True, zerolinecolor="#888", automargin=True),
        legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0),
        plot_bgcolor="white",
        showlegend=dep.kind == NUMBER,
    )
    figure.update_yaxes(showgrid=True, gridcolor="#eeeeee")
    return figure


def partial_dependence_figure(frame: pd.DataFrame, feature: str, card: Card, *, classifier: bool) -> go.Figure:
    """The model's average output as one column is set to each value for every row (analyst view)."""
    numeric = pd.api.types.is_numeric_dtype(frame["value"])
    x = frame["value"] if numeric else [escape_html(str(v), max_length=LABEL_MAX) for v in frame["value"]]
    trace = (
        go.Scatter(x=x, y=frame["average"], mode="lines+markers", line=dict(color="#7d3c98", width=3))
        if numeric
        else go.Bar(x=x, y=frame["average"], marker=dict(color="#7d3c98"))
    )
    figure = go.Figure(trace)
    y_title = "Average predicted chance (%)" if classifier else f"Average prediction ({escape_html(card.unit or '')})"
    figure.update_layout(
        font=FONT,
        height=300,
        margin=dict(l=10, r=20, t=30, b=40),
        xaxis=dict(title=f"{escape_html(card.label(feature))} — partial dependence", automargin=True),
        yaxis=dict(title=y_title, automargin=True),
        plot_bgcolor="white",
        showlegend=False,
    )
    figure.update_traces(hoverinfo="x+y")
    return figure
