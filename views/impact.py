"""Business impact: the answer first (what the risk is worth and what acting on the riskiest would save), then
what acting keeps and costs as the budget grows, then the assumptions to change.

A model that predicts an amount of money (yearly spend, a balance) has no risk to price: for it the page adds the
amounts up and shows where the total comes from. Any other model that predicts a number is told so plainly.
"""

import streamlit as st

from explain.errors import PlainsightError
from explain.figures.business import columns_figure, curve_figure
from explain.reports import impact_controls
from explain.reports.customers import acted_on_query
from explain.words.escape import escape_markdown
from ui import cache, group, listing, render, state
from ui.context import current
from ui.controls import impact_controls as draw_controls

context = current()
bundle, card = context.view, context.bundle.card

st.title("Business impact")
st.caption(escape_markdown(card.title))
if context.group is not None:
    group.banner(context.group)
try:
    report = cache.impact(bundle, state.settings(bundle))
except PlainsightError as exc:
    st.error(escape_markdown(str(exc)))
    report = None
if report is not None and report.missing is not None:
    render.not_available(report.missing)
    st.stop()

if report is not None:
    if report.note:
        render.caption(report.note)
    render.sentences(report.headline[:1], size="large")
    render.sentences(report.headline[1:])
    render.metrics(report.facts)
    if report.terms:
        render.caption(report.terms)
    if report.impact is not None and report.impact.n_acted:
        st.page_link(
            "views/customers.py",
            label=escape_markdown(f"See the {report.impact.n_acted:,} {card.entities} to act on"),
            icon=":material/arrow_forward:",
            query_params=listing.link_for(acted_on_query(report.impact.n_acted)),
        )
    if report.chart is not None:
        render.chart(render.figure(columns_figure, report.chart), key="tenths_chart")
    if report.curve is not None:
        st.subheader("What acting keeps, as the budget grows")
        render.chart(render.figure(curve_figure, report.curve), key="saving_chart")

controls = impact_controls(bundle)
if controls is not None:
    st.subheader("The assumptions")
    draw_controls(bundle, controls)
if report is not None and report.assumptions:
    render.caption(" ".join(report.assumptions))

if report is not None and context.analyst and report.table is not None:
    entities = escape_markdown(card.entities)
    heading = "acted on, riskiest first" if report.kind == "risk" else "with the highest amounts"
    with st.expander(f"Analyst detail: the {entities} {heading}", expanded=True):
        st.dataframe(render.frame(report.table), hide_index=True)
        render.analyst_lines(report.analyst)
