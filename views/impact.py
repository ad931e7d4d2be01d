"""Business impact: what the risk is worth in money, and what acting on the riskiest customers could save.

A model that predicts an amount of money (yearly spend, a balance) has no risk to price: for it the page adds the
amounts up and shows where the total comes from. Any other model that predicts a number is told so plainly.
"""

import math

import pandas as pd
import streamlit as st

from explain.analyses.business import (
    Assumptions,
    assumption_sentences,
    business_example,
    currency_sign,
    format_money,
    impact,
    impact_headline,
    missing_business_text,
    not_a_chance_text,
    shows_totals,
    suggested_budget,
    totals,
    totals_note,
    totals_sentences,
    value_at_risk,
)
from explain.errors import PlainsightError
from explain.figures.charts import tenths_figure
from explain.words.formatting import escape_markdown, format_chance, format_with_unit, output_decimals
from explain.words.narrative import target_words
from ui.cache import population_explanation
from ui.context import current
from ui.text import sentences

context = current()
bundle, card = context.bundle, context.bundle.card
business = card.business

st.title("Business impact")
st.caption(escape_markdown(card.title))


def amounts_page() -> None:
    """For a model that predicts an amount of money: what the amounts add up to, and where the total comes from."""
    predictions = bundle.outputs  # every row, not the sample a slow explanation may use: these are sums
    try:
        result = totals(predictions)
    except PlainsightError as exc:
        st.error(escape_markdown(str(exc)))
        return
    st.caption(escape_markdown(totals_note(card)))
    said = totals_sentences(result, card)
    sentences(said[:1], size="large")
    sentences(said[1:])
    currency = card.unit or ""
    what = target_words(card)
    label = f"Expected {what}" if what else "Expected amount"
    places = output_decimals(result.mean, card.unit)
    metrics = st.columns(3)
    metrics[0].metric(escape_markdown(f"{label}, added up"), format_money(result.total, currency))
    metrics[1].metric(
        escape_markdown(f"Average per {card.entity}"), format_with_unit(result.mean, card.unit, decimals=places)
    )
    share = result.top_share
    metrics[2].metric(
        escape_markdown(f"Share from the top tenth of {card.entities}"),
        "not shown" if share is None else f"{round(share * 100):.0f}%",
        help=None if share is not None else "The amounts add up to zero or less, so a share would mislead.",
    )
    st.plotly_chart(tenths_figure(result.tenths, card), key="tenths_chart")
    if context.analyst:
        with st.expander(f"Analyst detail: the {entities} with the highest amounts", expanded=True):
            top = result.order[:20]
            table = pd.DataFrame(
                {
                    card.id_column or "row": [bundle.ids[i] for i in top],
                    f"prediction ({currency})": predictions[top].round(2),
                }
            )
            if result.total > 0:
                table["share of total"] = (predictions[top] / result.total).round(4)
            st.dataframe(table, hide_index=True)
            st.caption(
                escape_markdown(
                    f"model.predict summed over all {result.n:,} rows: {result.total:,.2f} {currency}. Tenths: the "
                    "rows ranked by prediction, split into ten near-equal groups (numpy.array_split)."
                )
            )


entities = escape_markdown(card.entities)
if not bundle.is_classifier:
    if shows_totals(card):
        amounts_page()
    else:
        st.info(escape_markdown(not_a_chance_text(card)))
    st.stop()
if business is None:
    st.info(escape_markdown(missing_business_text(card, example=False)))
    st.code(business_example(card), language="yaml")
    st.stop()

chances = population_explanation(bundle).prediction / 100.0
currency = business.currency

inputs = st.columns(2)
kept = inputs[0].slider(
    f"Share of at-risk {entities} an offer keeps",
    min_value=0,
    max_value=100,
    value=30,
    step=5,
    format="%d%%",
    key="impact_success",
    help=f"Of the {entities} who would {escape_markdown(card.outcome_positive)}, the share that acting keeps.",
)
budget = None
if business.action_cost and business.action_cost > 0:
    default = suggested_budget(chances, business, card.risk_threshold)
    budget = inputs[1].number_input(
        f"Budget ({escape_markdown(currency_sign(currency))})",
        min_value=0.0,
        value=float(default),
        step=float(10 ** max(0, math.floor(math.log10(max(default, business.action_cost, 1.0))) - 1)),
        format="%.0f",
        key=f"impact_budget_{bundle.name}",
        help=escape_markdown(
            f"Money to spend on acting, at {format_money(business.action_cost, currency, rounded=False)} "
            f"per {card.entity}. It starts at what acting on every {card.entity} with a "
            f"{format_chance(card.risk_threshold)} or higher chance would cost."
        ),
    )
try:
    result = impact(chances, business, Assumptions(success_rate=kept / 100, budget=budget))
except PlainsightError as exc:
    st.error(escape_markdown(str(exc)))
    st.stop()

headline = impact_headline(result, card)
sentences(headline[:1], size="large")
sentences(headline[1:])
metrics = st.columns(5)
metrics[0].metric(f"Expected to {escape_markdown(card.outcome_positive)}", f"{round(result.expected_leavers):,}")
metrics[1].metric("Money at risk", escape_markdown(format_money(result.money_at_risk, currency)))
metrics[2].metric(f"Cost ({result.n_acted:,} {entities})", escape_markdown(format_money(result.cost, currency)))
metrics[3].metric("Expected saving", escape_markdown(format_money(result.expected_saved_money, currency)))
metrics[4].metric("Net", escape_markdown(format_money(result.net, currency)), help="The saving minus the cost.")
st.caption(" ".join(escape_markdown(s) for s in assumption_sentences(result, card)))

if context.analyst and result.n_acted:
    with st.expander(f"Analyst detail: the {entities} acted on, riskiest first", expanded=True):
        top = result.acted[:20]
        table = pd.DataFrame(
            {
                card.id_column or "row": [bundle.ids[i] for i in top],
                "chance": chances[top].round(3),
                f"value at risk ({currency})": [round(value_at_risk(float(c), business), 2) for c in chances[top]],
            }
        )
        st.dataframe(table, hide_index=True)
        st.caption(
            escape_markdown(
                f"{len(top)} of {result.n_acted:,} shown. Sum of chances {result.expected_leavers:,.1f}; "
                f"expected saved {result.expected_saved_customers:,.1f}; chosen by: {result.selection}."
            )
        )
