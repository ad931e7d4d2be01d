"""Plotly figures of a model's quality, for the analyst view. Pure: they return a Figure and never show or save it.

Technical axis titles are fine here; any text that came from the card or the data is escaped.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from explain.analyses.quality import ClassifierQuality, RegressionQuality
from explain.bundle.card import Card
from explain.figures.style import FONT, GRID, LOWERS, RAISES, TOTAL
from explain.words.escape import escape_html
from explain.words.grammar import lower_label
from explain.words.numbers import format_with_unit
from explain.words.quality import format_threshold

MAX_POINTS = 3000
SEED = 0
_DIAGONAL = dict(color=TOTAL, width=1, dash="dash")


def _layout(figure: go.Figure, *, x_title: str, y_title: str, square: bool = True) -> go.Figure:
    figure.update_layout(
        font=FONT,
        height=420,
        margin=dict(l=10, r=20, t=40, b=40),
        plot_bgcolor="white",
        legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0),
        xaxis=dict(title=x_title, automargin=True),
        yaxis=dict(title=y_title, automargin=True),
    )
    figure.update_xaxes(showgrid=True, gridcolor=GRID, zeroline=False)
    figure.update_yaxes(showgrid=True, gridcolor=GRID, zeroline=False)
    if square:
        figure.update_xaxes(range=[-0.02, 1.02])
        figure.update_yaxes(range=[-0.02, 1.02])
    return figure


def _note(figure: go.Figure, text: str) -> go.Figure:
    figure.add_annotation(text=text, x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False)
    return figure


def roc_figure(q: ClassifierQuality) -> go.Figure:
    """The ROC curve with the chance diagonal; a note instead when only one outcome occurs in the data."""
    figure = go.Figure()
    figure.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", line=_DIAGONAL, name="Random", hoverinfo="skip"))
    if q.roc_fpr is None or q.roc_tpr is None or q.roc_auc is None:
        _note(figure, "Needs rows of both outcomes")
    else:
        figure.add_trace(
            go.Scatter(
                x=q.roc_fpr,
                y=q.roc_tpr,
                mode="lines",
                line=dict(color=LOWERS, width=2),
                name=f"Model (ROC-AUC {q.roc_auc:.3f})",
                hovertemplate="FPR %{x:.3f}<br>TPR %{y:.3f}<extra></extra>",
            )
        )
        fpr = q.fp / (q.fp + q.tn) if q.fp + q.tn else 0.0
        figure.add_trace(_operating_point(fpr, q.recall, q.threshold))
    return _layout(figure, x_title="False positive rate", y_title="True positive rate (recall)")


def _operating_point(x: float, y: float, threshold: float) -> go.Scatter:
    return go.Scatter(
        x=[x],
        y=[y],
        mode="markers",
        marker=dict(color=RAISES, size=11),
        name=f"Threshold {threshold:g}",
        hovertemplate="%{x:.3f}, %{y:.3f}<extra></extra>",
    )


def pr_figure(q: ClassifierQuality) -> go.Figure:
    """Precision against recall, with the base rate (what random flagging gets) and the card's threshold marked."""
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(
            x=[0, 1],
            y=[q.base_rate, q.base_rate],
            mode="lines",
            line=_DIAGONAL,
            name=f"Base rate {q.base_rate:.3f}",
            hoverinfo="skip",
        )
    )
    if q.pr_precision is None or q.pr_recall is None or q.average_precision is None:
        _note(figure, "Needs rows with the positive outcome")
    else:
        figure.add_trace(
            go.Scatter(
                x=q.pr_recall,
                y=q.pr_precision,
                mode="lines",
                line=dict(color=LOWERS, width=2),
                line_shape="hv",
                name=f"Model (average precision {q.average_precision:.3f})",
                hovertemplate="Recall %{x:.3f}<br>Precision %{y:.3f}<extra></extra>",
            )
        )
        if q.n_flagged:
            figure.add_trace(_operating_point(q.recall, q.precision, q.threshold))
    return _layout(figure, x_title="Recall", y_title="Precision")


def confusion_figure(q: ClassifierQuality, card: Card) -> go.Figure:
    """The 2x2 table of flagged (or not) against what really happened, counts in the cells."""
    outcome = escape_html(card.outcome_positive)
    negative = card.outcome_negative.strip()
    if not negative or negative.lower().startswith("not "):
        did_not = f"Did not {outcome}"
    else:
        did_not = f"Really {escape_html(negative)}"
    rows = [f"Really {outcome}", did_not]  # top row first: the positive outcome
    columns = ["Flagged", "Not flagged"]
    # q.confusion is [[tn, fp], [fn, tp]]; shown as [[tp, fn], [fp, tn]] so "flagged and really" is top left.
    counts = np.array([[q.tp, q.fn], [q.fp, q.tn]])
    shares = counts / max(q.n_rows, 1)
    text = [[f"{counts[i, j]:,}<br>({shares[i, j]:.1%})" for j in range(2)] for i in range(2)]
    figure = go.Figure(
        go.Heatmap(
            z=counts,
            x=columns,
            y=rows,
            text=text,
            texttemplate="%{text}",
            textfont=dict(size=16),
            colorscale=[[0.0, "#f4f6f7"], [1.0, LOWERS]],
            showscale=False,
            hovertemplate="%{y} / %{x}: %{z:,}<extra></extra>",
            xgap=2,
            ygap=2,
        )
    )
    figure.update_layout(
        font=FONT,
        height=340,
        margin=dict(l=10, r=20, t=30, b=40),
        plot_bgcolor="white",
        xaxis=dict(
            title=f"Model: {format_threshold(q.threshold)} or higher chance to {outcome}", side="top", automargin=True
        ),
        yaxis=dict(title="What really happened", autorange="reversed", automargin=True),
    )
    return figure


def calibration_figure(q: ClassifierQuality) -> go.Figure:
    """Mean chance given against the share that really had the outcome, per bin; perfect is the diagonal."""
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(x=[0, 1], y=[0, 1], mode="lines", line=_DIAGONAL, name="Perfectly calibrated", hoverinfo="skip")
    )
    figure.add_trace(
        go.Scatter(
            x=q.calibration_predicted,
            y=q.calibration_observed,
            mode="lines+markers",
            line=dict(color=LOWERS, width=2),
            marker=dict(size=8),
            name=f"Model (Brier {q.brier:.3f})",
            hovertemplate="Mean predicted %{x:.3f}<br>Observed %{y:.3f}<extra></extra>",
        )
    )
    return _layout(figure, x_title="Mean predicted chance", y_title="Fraction positive")


def predicted_vs_actual_figure(q: RegressionQuality, card: Card) -> go.Figure:
    """Each row's predicted value against its real one (at most ~3,000 rows, a fixed sample), with the diagonal."""
    actual, predicted = q.actual, q.predicted
    if len(actual) > MAX_POINTS:
        keep = np.sort(np.random.default_rng(SEED).choice(len(actual), MAX_POINTS, replace=False))
        actual, predicted = actual[keep], predicted[keep]
    both = np.concatenate([q.actual, q.predicted])
    low, high = (float(both.min()), float(both.max())) if len(both) else (0.0, 1.0)
    unit = f" ({escape_html(card.unit)})" if card.unit else ""
    what = escape_html(lower_label(card.label(card.target))) if card.target else "value"
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(x=[low, high], y=[low, high], mode="lines", line=_DIAGONAL, name="Perfect", hoverinfo="skip")
    )
    figure.add_trace(
        go.Scatter(
            x=actual,
            y=predicted,
            mode="markers",
            marker=dict(color=LOWERS, size=5, opacity=0.45),
            name=f"{len(actual):,} of {q.n_rows:,} rows" if len(actual) < q.n_rows else f"{q.n_rows:,} rows",
            hovertemplate="Actual %{x:,.4g}<br>Predicted %{y:,.4g}<extra></extra>",
        )
    )
    figure = _layout(figure, x_title=f"Actual {what}{unit}", y_title=f"Predicted {what}{unit}", square=False)
    figure.add_annotation(
        text=f"MAE {escape_html(format_with_unit(q.mae, card.unit))}",
        x=0.01,
        y=0.99,
        xref="paper",
        yref="paper",
        xanchor="left",
        yanchor="top",
        showarrow=False,
    )
    return figure
