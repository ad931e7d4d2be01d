"""Every chart's data, built once from the explanation and the same words the sentences use.

A report holds these specs; the pages and the exports draw them with :mod:`explain.figures`, the CLI prints them.
Because a bar's text comes from the same rounded figures as the sentence beside it, the two always agree.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from explain.analyses.business import Impact, SavingCurve, Totals
from explain.analyses.coefficients import LinearEffects
from explain.analyses.dependence import NUMBER, Dependence
from explain.bundle.card import Card
from explain.bundle.output import Output, is_money, output_decimals, split_unit
from explain.figures.specs import (
    Bar,
    BarsSpec,
    ColumnsSpec,
    CompareSpec,
    CurveSpec,
    DependenceSpec,
    IconArraySpec,
    Line,
    PairSpec,
    PartialDependenceSpec,
    WaterfallSpec,
)
from explain.methods.explanation import Explanation
from explain.words.coefficients import typical_change_text
from explain.words.explanation import chart_axis, is_small, reason_label, shown_reasons, target_words
from explain.words.numbers import (
    currency_sign,
    format_contribution,
    format_money,
    reason_unit,
    say_output,
    say_reason,
)


def waterfall_spec(
    explanation: Explanation, row: int, card: Card, *, max_reasons: int = 8, unseen: tuple[str, ...] = ()
) -> WaterfallSpec:
    """One row's reasons from a typical row to this one.

    The largest reasons get a bar each (up to ``max_reasons``); the rest, and those too small to show (under one
    point, or one unit of an amount), share one bar. A value the model never saw (``unseen``) is not ranked as
    a reason: it gets its own bar, last, that says so.
    """
    output = explanation.output
    table = explanation.contributions(row)
    _, rounded, _ = shown_reasons(explanation, row)
    by_feature = dict(zip(explanation.feature_names, rounded, strict=True))
    table = table.assign(shown=[by_feature[f] for f in table["feature"]])
    flagged = table[table["feature"].isin(unseen)]
    table = table[~table["feature"].isin(unseen)]
    small = table["shown"].map(lambda v: is_small(v, output))
    top = table[~small].head(max_reasons)
    rest = table.drop(top.index)
    reasons = [
        Bar(reason_label(r["feature"], r["value"], card), float(r["contribution"]), say_reason(r["shown"], output))
        for _, r in top.iterrows()
    ]
    if len(rest):
        all_small = bool(small[rest.index].all())
        name = f"{len(rest)} other {'small ' if all_small else ''}factor{'s' if len(rest) != 1 else ''}"
        reasons.append(Bar(name, float(rest["contribution"].sum()), say_reason(float(rest["shown"].sum()), output)))
    for _, r in flagged.iterrows():
        label = f"{reason_label(r['feature'], r['value'], card)} (new to the model)"
        reasons.append(Bar(label, float(r["contribution"]), say_reason(r["shown"], output)))
    base, prediction = explanation.base_value, float(explanation.prediction[row])
    return WaterfallSpec(
        start=Bar(f"Typical {card.entity}", base, say_output(base, output)),
        reasons=tuple(reasons),
        end=Bar(f"This {card.entity}", prediction, say_output(prediction, output)),
        axis=chart_axis(output),
        chance=output.is_chance,
    )


def importance_spec(importance: pd.DataFrame, output: Output, card: Card, *, max_features: int = 12) -> BarsSpec:
    """The average size of each column's effect, most important first."""
    top = importance.head(max_features)
    places = None if output.is_chance else output.decimals
    bars = tuple(
        Bar(card.label(f), float(v), format_contribution(float(v), reason_unit(output), decimals=places).lstrip("+"))
        for f, v in zip(top["feature"], top["importance"], strict=True)
    )
    return BarsSpec(bars=bars, axis=importance_axis(output, card), signed=False)


def weights_pair_spec(
    first: dict[str, float],
    second: dict[str, float],
    names: tuple[str, str],
    output: Output,
    card: Card,
    *,
    max_features: int = 8,
) -> PairSpec:
    """Each column's average effect in two sets of rows side by side (a group and everyone), in the order of the
    larger of the two, most important first; the same axis as the overview's chart."""
    columns = sorted(first.keys() | second.keys(), key=lambda c: -max(first.get(c, 0.0), second.get(c, 0.0)))
    places = None if output.is_chance else output.decimals

    def bar(column: str, weights: dict[str, float]) -> Bar:
        value = float(weights.get(column, 0.0))
        return Bar(
            card.label(column), value, format_contribution(value, reason_unit(output), decimals=places).lstrip("+")
        )

    def bars(weights: dict[str, float]) -> tuple[Bar, ...]:
        return tuple(bar(c, weights) for c in columns[:max_features])

    axis = importance_axis(output, card)
    return PairSpec(tuple(card.label(c) for c in columns[:max_features]), bars(first), bars(second), names, axis)


def importance_axis(output: Output, card: Card) -> str:
    """The axis of a chart of average effects: "Average effect on the chance (points)", or in the target's unit."""
    if output.is_chance:
        return "Average effect on the chance (points)"
    what = target_words(card)
    return (f"Average effect on the expected {what}" if what else "Average effect") + _in_unit(output)


def compare_spec(before: Explanation, after: Explanation, card: Card, *, max_reasons: int = 8) -> CompareSpec:
    """Each column's effect before and after a what-if change (row 0 of each), in the order of the customer's own
    reasons, largest first: the bars keep their places as the controls move."""
    output = before.output
    order = np.argsort(-np.abs(before.values[0]), kind="stable")[:max_reasons]
    groups = []
    for explanation in (before, after):
        _, shown, _ = shown_reasons(explanation, 0)
        groups.append(
            tuple(
                Bar(
                    card.label(explanation.feature_names[i]),
                    float(explanation.values[0][i]),
                    say_reason(shown[i], output),
                )
                for i in order
            )
        )
    # short enough for a phone's width: the chart is as narrow as the screen there
    axis = "Effect on the chance (points)" if output.is_chance else f"Effect ({output.unit or output.name})"
    return CompareSpec(
        labels=tuple(card.label(before.feature_names[i]) for i in order),
        before=groups[0],
        after=groups[1],
        axis=axis,
    )


def icon_spec(chance: float, card: Card) -> IconArraySpec:
    """A chance (0-1) as 100 people, the share who would have the outcome coloured."""
    count = int(round(min(max(chance, 0.0), 1.0) * 100))
    return IconArraySpec(
        count=count,
        coloured=card.outcome_positive,
        rest=card.outcome_negative,
        title=f"{count} in 100 {card.entities} like this one",
    )


def tenths_spec(result: Totals, card: Card) -> ColumnsSpec:
    """A money regressor's total split over the entities ranked from the highest amount down, one bar a tenth."""
    k = len(result.tenths)
    names = (
        ["Top tenth", *[f"{_ordinal(i + 1)} tenth" for i in range(1, k - 1)], "Bottom tenth"][:k] if k > 1 else ["All"]
    )
    what = target_words(card) or "amount"
    sign, factor = split_unit(card.unit)  # "$1,000": the bars in dollars, in full
    unit = sign or ""
    return ColumnsSpec(
        bars=tuple(
            Bar(name, float(v) * factor, format_money(float(v) * factor, unit))
            for name, v in zip(names, result.tenths, strict=True)
        ),
        x_axis=f"{card.entities.capitalize()}, from the highest expected {what} down",
        y_axis=f"Expected {what}, added up" + (f" ({unit})" if unit else ""),
        tick_prefix=currency_sign(unit) if is_money(card.unit) and unit else "",
    )


def saving_spec(curve: SavingCurve, result: Impact, card: Card) -> CurveSpec:
    """What acting keeps, what it costs and what is left, against the money spent (or how many are acted on)."""
    business = result.business
    sign = currency_sign(business.currency)
    if business.action_cost:
        xs, x_axis, marker, x_prefix = curve.cost, "Money spent on acting", result.cost, sign
        label = "Your budget"
    else:
        xs, x_axis, marker, x_prefix = (
            curve.acted,
            f"{card.entities.capitalize()} acted on, most at risk first",
            float(result.n_acted),
            "",
        )
        label = "Acted on now"
    lines = [Line("Kept by acting", tuple(map(float, xs)), tuple(map(float, curve.saved)), "good")]
    if business.action_cost:
        lines.append(Line("Cost", tuple(map(float, xs)), tuple(map(float, curve.cost)), "cost"))
        lines.append(Line("Kept after the cost", tuple(map(float, xs)), tuple(map(float, curve.net)), "net"))
    return CurveSpec(
        lines=tuple(lines),
        x_axis=x_axis,
        y_axis=f"{business.currency} a {business.period}",
        marker_x=float(marker),
        marker_label=label,
        x_prefix=x_prefix,
        y_prefix=sign,
    )


def effects_spec(result: LinearEffects, card: Card, output: Output, *, start: float, max_bars: int = 15) -> BarsSpec:
    """Each column's effect of a typical change, on one scale: points of the chance of a row whose chance is
    ``start`` (0-1; the explanations' typical row), or the target's unit."""
    shown = result.effects[:max_bars]
    if result.classifier:
        values = [result.chance_change(e, start=start) for e in shown]
        axis = f"Change in the chance for a typical {card.entity} (points)"
    else:
        values = [e.typical_effect for e in shown]
        what = target_words(card)
        axis = f"Change in the expected {what}" if what else "Change in the prediction"
    unit = reason_unit(output) or output.name
    places = None if output.is_chance else output_decimals(max(map(abs, values), default=0.0), card.unit)
    bars = tuple(
        Bar(
            f"{card.label(e.feature)}: {typical_change_text(e, card)}", v, format_contribution(v, unit, decimals=places)
        )
        for e, v in zip(shown, values, strict=True)
    )
    return BarsSpec(bars=bars, axis=axis, signed=True)


def dependence_spec(dep: Dependence, card: Card) -> DependenceSpec:
    """A column's values against its effects (from :func:`~explain.analyses.dependence.dependence`)."""
    output = dep.output
    unit = card.feature(dep.feature).unit
    axis = (
        f"Effect on the chance to {card.outcome_positive} (points)"
        if output.is_chance
        else f"Effect ({output.unit or output.name})"
    )
    if dep.kind == NUMBER:
        return DependenceSpec(
            label=card.label(dep.feature) + (f" ({unit})" if unit else ""),
            numeric=True,
            points=tuple(zip(dep.points["value"].astype(float), dep.points["effect"].astype(float), strict=True)),
            curve=tuple(zip(dep.curve["value"].astype(float), dep.curve["effect"].astype(float), strict=True)),
            bars=(),
            axis=axis,
            entity=card.entity,
        )
    effects = [float(v) for v in dep.curve["effect"]]
    places = None if output.is_chance else output_decimals(max(map(abs, effects), default=0.0), card.unit)
    bars = tuple(
        Bar(str(v), e, format_contribution(e, reason_unit(output) or output.name, decimals=places))
        for v, e in zip(dep.curve["value"], effects, strict=True)
    )
    return DependenceSpec(
        label=card.label(dep.feature), numeric=False, points=(), curve=(), bars=bars, axis=axis, entity=card.entity
    )


def partial_spec(frame: pd.DataFrame, feature: str, card: Card, output: Output) -> PartialDependenceSpec:
    """The analyst's partial dependence of one column (from :func:`~explain.analyses.dependence.partial_dependence`)."""
    numeric = bool(pd.api.types.is_numeric_dtype(frame["value"]))
    values = tuple(v.item() if hasattr(v, "item") else v for v in frame["value"])
    axis = "Average predicted chance (%)" if output.is_chance else f"Average prediction ({output.unit or ''})"
    return PartialDependenceSpec(
        label=card.label(feature),
        numeric=numeric,
        values=values,
        averages=tuple(float(v) for v in frame["average"]),
        axis=axis,
    )


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _in_unit(output: Output) -> str:
    return f" ({output.unit})" if output.unit else ""
