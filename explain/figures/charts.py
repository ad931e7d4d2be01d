"""Plotly figures built from an Explanation. Pure: they return a Figure and never show or save it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from explain.analyses.business import currency_sign, format_money
from explain.bundle.card import Card
from explain.methods.explanation import POINTS, Explanation
from explain.words.formatting import escape_html, format_contribution, is_money, rounded_to_add_up
from explain.words.narrative import decimals, output_label, output_text, reason_label, rounded_reasons, target_words

RAISES = "#c0392b"
LOWERS = "#2471a3"
TOTAL = "#4d4d4d"
LABEL_MAX = 60  # characters of a row label; longer ones are cut with "…"
FONT = dict(family="Inter, Segoe UI, Helvetica, Arial, sans-serif", size=14)


def waterfall_figure(explanation: Explanation, row: int, card: Card, *, max_reasons: int = 8) -> go.Figure:
    """The reasons for one row's output as a waterfall from a typical row to this one.

    The bars add up: typical + each reason (+ the rest, grouped) = this row's output.
    """
    table = explanation.contributions(row)
    unit = explanation.unit
    if unit == POINTS:
        table = table.assign(shown=table["contribution"])
        places = None
    else:  # the labels are rounded so that they add up exactly, as the sentences beside the chart are
        _, rounded, _ = rounded_reasons(explanation, row, card)
        by_feature = dict(zip(explanation.feature_names, rounded, strict=True))
        table = table.assign(shown=[by_feature[f] for f in table["feature"]])
        places = decimals(explanation, card)
    shown, rest = table.head(max_reasons), table.iloc[max_reasons:]
    labels = [
        escape_html(reason_label(r["feature"], r["value"], card), max_length=LABEL_MAX) for _, r in shown.iterrows()
    ]
    values = shown["contribution"].tolist()
    said = _text_unit(unit, card)
    texts = [format_contribution(v, said, decimals=places) for v in shown["shown"]]
    if len(rest):
        labels.append(f"{len(rest)} other factors")
        values.append(float(rest["contribution"].sum()))
        texts.append(format_contribution(float(rest["shown"].sum()), said, decimals=places))
    typical = f"Typical {escape_html(card.entity)}"
    this = f"This {escape_html(card.entity)}"
    base, prediction = explanation.base_value, float(explanation.prediction[row])
    figure = go.Figure(
        go.Waterfall(
            orientation="h",
            measure=["absolute"] + ["relative"] * len(values) + ["total"],
            y=[typical] + labels + [this],
            x=[base] + values + [prediction],
            text=[output_text(base, explanation, card), *texts, output_text(prediction, explanation, card)],
            textposition="outside",
            increasing=dict(marker=dict(color=RAISES)),
            decreasing=dict(marker=dict(color=LOWERS)),
            totals=dict(marker=dict(color=TOTAL)),
            connector=dict(line=dict(color="#bbbbbb", width=1)),
            hoverinfo="skip",
            cliponaxis=False,
        )
    )
    axis = "Chance (%)" if unit == POINTS else escape_html(output_label(explanation, card) + _in_unit(card))
    low = min(0.0, *(base + np.cumsum([0.0, *values])))
    high = max(base + np.cumsum([0.0, *values]).max(), prediction, base)
    pad = (high - low) * 0.25 + 1e-9
    figure.update_layout(
        font=FONT,
        showlegend=False,
        margin=dict(l=10, r=80, t=30, b=40),
        height=140 + 38 * (len(labels) + 2),
        yaxis=dict(autorange="reversed", automargin=True),
        xaxis=dict(title=axis, range=[low, high + pad]),
        plot_bgcolor="white",
    )
    if unit == POINTS:
        # A chance is never below 0, but a bar that ends near 0 puts its label there: leave room on the left
        # and mark only the ticks from 0 up.
        top = min(high + pad, 100.0)
        step = next(s for s in (1, 2, 5, 10, 20, 25, 50) if top / s <= 8)
        figure.update_xaxes(range=[-pad * 0.6, top], tickvals=list(np.arange(0, top + 1e-9, step)))
    figure.update_xaxes(showgrid=True, gridcolor="#eeeeee", zeroline=False)
    return figure


def importance_figure(
    importance: pd.DataFrame, card: Card, *, unit: str, max_features: int = 12, decimals: int | None = None
) -> go.Figure:
    """Average size of each column's effect, most important at the top.

    ``decimals`` fixes the precision of a regressor's amounts (see :func:`explain.words.narrative.decimals`).
    """
    top = importance.head(max_features)
    labels = [escape_html(card.label(f), max_length=LABEL_MAX) for f in top["feature"]]
    if unit == POINTS:
        words = "Average effect on the chance (points)"
    else:
        what = target_words(card)
        words = escape_html((f"Average effect on the expected {what}" if what else "Average effect") + _in_unit(card))
    figure = go.Figure(
        go.Bar(
            x=top["importance"],
            y=labels,
            orientation="h",
            marker=dict(color="#2e86c1"),
            text=[
                format_contribution(v, _text_unit(unit, card), decimals=decimals).lstrip("+") for v in top["importance"]
            ],
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


def compare_figure(
    before: Explanation, after: Explanation, card: Card, *, max_reasons: int = 8, decimals: int | None = None
) -> go.Figure:
    """Each column's effect before and after a what-if change, side by side (row 0 of each explanation).

    ``decimals`` fixes the precision of a regressor's amounts (see :func:`explain.words.narrative.decimals`).
    """
    order = np.argsort(-np.maximum(np.abs(before.values[0]), np.abs(after.values[0])), kind="stable")[:max_reasons]
    labels = [escape_html(card.label(before.feature_names[i]), max_length=LABEL_MAX) for i in order]
    figure = go.Figure()
    for name, explanation, color in (("Now", before, "#aab7b8"), ("With the changes", after, "#1f618d")):
        values = explanation.values[0][order]
        shown = values
        if explanation.unit != POINTS and decimals is not None:  # rounded as the customer page rounds them
            base, prediction = explanation.base_value, float(explanation.prediction[0])
            shown = rounded_to_add_up(base, explanation.values[0], prediction, decimals)[1][order]
        figure.add_trace(
            go.Bar(
                y=labels,
                x=values,
                orientation="h",
                name=name,
                marker=dict(color=color),
                text=[format_contribution(v, _text_unit(explanation.unit, card), decimals=decimals) for v in shown],
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


def tenths_figure(tenths: np.ndarray, card: Card) -> go.Figure:
    """How a total splits over the entities ranked from the highest amount down, one bar per tenth.

    Parameters
    ----------
    tenths : ndarray of shape (k,)
        Each tenth's total, highest first (:attr:`explain.analyses.business.Totals.tenths`).
    """
    k = len(tenths)
    names = (
        ["Top tenth", *[f"{_ordinal(i + 1)} tenth" for i in range(1, k - 1)], "Bottom tenth"][:k] if k > 1 else ["All"]
    )
    what = target_words(card)
    figure = go.Figure(
        go.Bar(
            x=names,
            y=tenths,
            marker=dict(color="#2e86c1"),
            text=[escape_html(format_money(v, card.unit or "")) for v in tenths],
            textposition="outside",
            hoverinfo="skip",
            cliponaxis=False,
        )
    )
    figure.update_layout(
        font=FONT,
        margin=dict(l=10, r=10, t=30, b=40),
        height=360,
        xaxis=dict(
            title=escape_html(f"{card.entities.capitalize()}, from the highest expected {what or 'amount'} down")
        ),
        yaxis=dict(
            title=escape_html(f"Expected {what or 'amount'}, added up" + _in_unit(card)),
            tickprefix=escape_html(currency_sign(card.unit)) if is_money(card.unit) and card.unit else "",
            range=[min(0.0, float(np.min(tenths)) * 1.2), max(float(np.max(tenths)) * 1.2, 1e-9)],
        ),
        plot_bgcolor="white",
    )
    figure.update_yaxes(showgrid=True, gridcolor="#eeeeee")
    return figure


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _text_unit(unit: str, card: Card) -> str:
    """The unit a bar's label is written in: points for chances, else the card's unit (none if it gives none)."""
    return unit if unit == POINTS else (card.unit or "")


def _in_unit(card: Card) -> str:
    return f" ({card.unit})" if card.unit else ""
