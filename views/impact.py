"""Business impact: what the risk is worth in money, and what acting on the riskiest customers could save.

A model that predicts an amount of money (yearly spend, a balance) has no risk to price: for it the page adds the
amounts up and shows where the total comes from. Any other model that predicts a number is told so plainly.
"""

import streamlit as st

from explain.errors import PlainsightError
from explain.figures.business import columns_figure
from explain.reports import impact_controls
from explain.words.escape import escape_markdown
from ui import cache, render, state
from ui.context import current
from ui.controls import impact_controls as draw_controls

context = current()
bundle = context.bundle

st.title("Business impact")
st.caption(escape_markdown(bundle.card.title))
controls = impact_controls(bundle)
if controls is not None:
    draw_controls(bundle, controls)
try:
    report = cache.impact(bundle, state.settings(bundle))
except PlainsightError as exc:
    st.error(escape_markdown(str(exc)))
    st.stop()
if report.missing is not None:
    render.not_available(report.missing)
    st.stop()

if report.note:
    render.caption(report.note)
render.sentences(report.headline[:1], size="large")
render.sentences(report.headline[1:])
render.metrics(report.facts)
if report.chart is not None:
    st.plotly_chart(columns_figure(report.chart), key="tenths_chart")
if report.assumptions:
    render.caption(" ".join(report.assumptions))

if context.analyst and report.table is not None:
    entities = escape_markdown(bundle.card.entities)
    heading = "acted on, riskiest first" if report.kind == "risk" else "with the highest amounts"
    with st.expander(f"Analyst detail: the {entities} {heading}", expanded=True):
        st.dataframe(render.frame(report.table), hide_index=True)
        render.analyst_lines(report.analyst)
