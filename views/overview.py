"""Overview: the business answer, how many have a high chance (each list a click away), what drives the model."""

import streamlit as st

from explain.errors import NotAvailable
from explain.export.layout import overview_slide
from explain.figures.explanation import bars_figure
from explain.reports.customers import acted_on_query, high_risk_query
from explain.words.escape import escape_markdown
from explain.words.outcome import high_chance_words
from ui import cache, listing, render
from ui.context import current
from ui.export import download_buttons, file_stem

context = current()
bundle, card = context.bundle, context.bundle.card
report = cache.overview(bundle, context.settings)

st.title(escape_markdown(report.title))
render.sentences(report.headline[:1], size="large")
render.sentences(report.headline[1:])
render.metrics(report.facts, columns=3)
if report.risk is not None:
    st.page_link(
        "views/customers.py",
        label=escape_markdown(f"See the {report.risk.n_high:,} {card.entities} {high_chance_words(card)}"),
        icon=":material/arrow_forward:",
        query_params=listing.link_for(high_risk_query(bundle)),
    )

st.subheader(escape_markdown(report.chart_heading))
render.caption(report.chart_caption)
if report.sample_note:
    render.caption(report.sample_note)
render.chart(render.figure(bars_figure, report.importance), key="importance_chart")
render.bullets(report.drivers)

if not isinstance(report.business, NotAvailable):
    st.subheader("Business impact")
    render.sentences(report.business)
    if report.acted is not None:
        st.page_link(
            "views/customers.py",
            label=escape_markdown(f"See the {report.acted:,} {card.entities} to act on"),
            icon=":material/arrow_forward:",
            query_params=listing.link_for(acted_on_query(report.acted)),
        )

if context.analyst:
    with st.expander("Analyst detail: how these numbers were made", expanded=True):
        render.analyst_lines(report.analyst)
        st.dataframe(render.frame(report.table), hide_index=True)

st.subheader("Export for a deck")
download_buttons(lambda: [overview_slide(report, bundle)], file_stem(bundle.name, "overview"), key="overview_export")
