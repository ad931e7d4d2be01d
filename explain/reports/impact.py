"""The business impact story: what the risk is worth and what acting on it would cost and save, under the
reader's assumptions; for a model that predicts money, what the amounts add up to.

The overview's "what it is worth" section and every export use this same report, so they say what the impact
page says with the same assumptions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from explain.analyses.business import (
    Assumptions,
    Impact,
    Totals,
    default_assumptions,
    impact,
    saving_curve,
    shows_totals,
    totals,
    value_at_risk,
)
from explain.bundle.bundle import Bundle
from explain.bundle.output import split_unit
from explain.errors import NotAvailable, PlainsightError
from explain.figures.specs import ColumnsSpec, CurveSpec
from explain.reports.charts import saving_spec, tenths_spec
from explain.reports.common import Fact, Table
from explain.reports.settings import Settings
from explain.words.business import (
    assumption_sentences,
    business_example,
    counts_explained,
    expected_count,
    impact_headline,
    missing_business_text,
    not_a_chance_text,
    totals_note,
    totals_sentences,
)
from explain.words.numbers import currency_sign, format_chance, format_money, say_output
from explain.words.outcome import good_news_text

ANALYST_ROWS = 20


@dataclass(frozen=True)
class ImpactControls:
    """What the impact page's controls start from, and the words beside them."""

    success_percent: int
    budget: float | None  # None: the card gives no cost of acting, so there is no budget to set
    budget_step: float
    currency_sign: str
    success_help: str
    budget_help: str


@dataclass(frozen=True)
class ImpactReport:
    """Everything the impact page, the overview's money section and the exports say about money.

    ``kind`` is "risk" (a chance with the card's business values), "totals" (a model that predicts money) or
    "none" (then ``missing`` says why and what to add).
    """

    bundle_name: str
    title: str
    settings: Settings
    kind: str
    missing: NotAvailable | None
    headline: tuple[str, ...]
    facts: tuple[Fact, ...]
    assumptions: tuple[str, ...]
    note: str | None
    chart: ColumnsSpec | None
    curve: CurveSpec | None  # what acting keeps and costs as the budget grows (a chance with money figures)
    terms: str | None  # "likely to leave" against "at high risk"
    impact: Impact | None
    totals: Totals | None
    analyst: tuple[str, ...]
    table: Table | None


def impact_controls(bundle: Bundle) -> ImpactControls | None:
    """The defaults of the impact page's controls, or None when there is nothing to set (no money figures)."""
    card, business = bundle.card, bundle.card.risk_business
    if not bundle.is_classifier or business is None:
        return None
    default = default_assumptions(bundle)
    cost = business.action_cost or 0.0
    scale = max(default.budget or 0.0, cost, 1.0)
    return ImpactControls(
        success_percent=round(default.success_rate * 100),
        budget=default.budget if cost > 0 else None,
        budget_step=float(10 ** max(0, math.floor(math.log10(scale)) - 1)),
        currency_sign=currency_sign(business.currency),
        success_help=f"Of the {card.entities} who would {card.outcome_positive}, the share that acting keeps.",
        budget_help=(
            f"Money to spend on acting, at {format_money(cost, business.currency, rounded=False)} per {card.entity}. "
            f"It starts at what acting on every {card.entity} with a {format_chance(card.risk_threshold)} or higher "
            f"chance would cost."
        ),
    )


def impact_report(bundle: Bundle, settings: Settings | None = None) -> ImpactReport:
    """The money story of this bundle under the reader's settings (defaults where they set nothing).

    Raises
    ------
    BusinessError
        When the reader's assumptions cannot be used (a success rate outside 0-1, a negative budget).
    """
    settings = settings or Settings()
    card = bundle.card
    if not bundle.is_classifier:
        if shows_totals(card):
            return _totals_report(bundle, settings)
        return _nothing(bundle, settings, NotAvailable(not_a_chance_text(card)))
    if card.good_news:
        return _nothing(bundle, settings, NotAvailable(good_news_text(card)))
    if card.business is None:
        missing = NotAvailable(missing_business_text(card, example=False), hint=business_example(card))
        return _nothing(bundle, settings, missing)
    return _risk_report(bundle, settings, settings.assumptions(bundle))


def _nothing(bundle: Bundle, settings: Settings, missing: NotAvailable) -> ImpactReport:
    """The report of a model whose money story cannot be told, with why and what to add."""
    return ImpactReport(
        bundle_name=bundle.name,
        title=bundle.card.title,
        settings=settings,
        kind="none",
        missing=missing,
        headline=(),
        facts=(),
        assumptions=(),
        note=None,
        chart=None,
        curve=None,
        terms=None,
        impact=None,
        totals=None,
        analyst=(),
        table=None,
    )


def _risk_report(bundle: Bundle, settings: Settings, assumptions: Assumptions) -> ImpactReport:
    card, business = bundle.card, bundle.card.business
    assert business is not None
    chances = bundle.outputs  # every row, never the sample a slow explanation may use: these are sums
    result = impact(chances, business, assumptions)
    currency, entities = business.currency, card.entities
    facts = (
        Fact(f"Expected to {card.outcome_positive}", expected_count(result.expected_leavers)),
        Fact("Money at risk", format_money(result.money_at_risk, currency)),
        Fact(f"Cost ({result.n_acted:,} {entities})", format_money(result.cost, currency)),
        Fact("Expected saving", format_money(result.expected_saved_money, currency)),
        Fact("Net", format_money(result.net, currency), help="The saving minus the cost."),
    )
    top = result.acted[:ANALYST_ROWS]
    table = Table(
        columns=(card.id_column or "row", "chance", f"value at risk ({currency})"),
        rows=tuple(
            (bundle.ids[i], round(float(chances[i]), 3), round(value_at_risk(float(chances[i]), business), 2))
            for i in top
        ),
    )
    analyst = (
        f"{len(top)} of {result.n_acted:,} shown. Sum of chances {result.expected_leavers:,.1f}; "
        f"expected saved {result.expected_saved_customers:,.1f}; chosen by: {result.selection}.",
    )
    return ImpactReport(
        bundle_name=bundle.name,
        title=card.title,
        settings=settings,
        kind="risk",
        missing=None,
        headline=tuple(impact_headline(result, card)),
        facts=facts,
        assumptions=tuple(assumption_sentences(result, card)),
        note=None,
        chart=None,
        curve=saving_spec(saving_curve(chances, business, assumptions.success_rate), result, card),
        terms=counts_explained(result, int(np.sum(chances >= card.risk_threshold)), card.risk_threshold, card),
        impact=result,
        totals=None,
        analyst=analyst if result.n_acted else (),
        table=table if result.n_acted else None,
    )


def _totals_report(bundle: Bundle, settings: Settings) -> ImpactReport:
    card, output = bundle.card, bundle.output
    predictions = bundle.outputs  # every row, not the sample a slow explanation may use: these are sums
    try:
        result = totals(predictions)
    except PlainsightError as exc:
        return _nothing(bundle, settings, NotAvailable(str(exc)))
    currency = card.unit or ""
    sign, factor = split_unit(card.unit)  # "$1,000": the totals are said in dollars, in full
    share = result.top_share
    facts = (
        Fact(f"{output.label}, added up", format_money(result.total * factor, sign or "")),
        Fact(f"Average per {card.entity}", say_output(output.shown(result.mean), output)),
        Fact(
            f"Share from the top tenth of {card.entities}",
            "not shown" if share is None else f"{round(share * 100):.0f}%",
            help="" if share is not None else "The amounts add up to zero or less, so a share would mislead.",
        ),
    )
    top = result.order[:ANALYST_ROWS]
    columns: tuple[str, ...] = (card.id_column or "row", f"prediction ({currency})")
    rows: list[tuple[object, ...]] = [(bundle.ids[i], round(float(predictions[i]), 2)) for i in top]
    if result.total > 0:
        columns += ("share of total",)
        rows = [(*row, round(float(predictions[i]) / result.total, 4)) for row, i in zip(rows, top, strict=True)]
    analyst = (
        f"model.predict summed over all {result.n:,} rows: {result.total:,.2f} {currency}. Tenths: the rows ranked "
        "by prediction, split into ten near-equal groups (numpy.array_split).",
    )
    return ImpactReport(
        bundle_name=bundle.name,
        title=card.title,
        settings=settings,
        kind="totals",
        missing=None,
        headline=tuple(totals_sentences(result, card, output)),
        facts=facts,
        assumptions=(),
        note=totals_note(card),
        chart=tenths_spec(result, card),
        curve=None,
        terms=None,
        impact=None,
        totals=result,
        analyst=analyst,
        table=Table(columns=columns, rows=tuple(rows)),
    )
