"""Overview: what drives the model's predictions across all customers, and what it is worth."""

import streamlit as st

from explain.errors import NotAvailable
from explain.export.layout import overview_slide
from explain.figures.explanation import bars_figure
from explain.words.escape import escape_markdown
from ui import cache, render
from ui.context import current
from ui.export import download_buttons, file_stem

context = current()
bundle = context.bundle
report = cache.overview(bundle, context.settings)

st.title(escape_markdown(report.title))
render.sentences(report.headline, size="large")
render.metrics(report.facts, columns=3)

st.subheader(escape_markdown(report.chart_heading))
render.caption(report.chart_caption)
if report.sample_note:
    render.caption(report.sample_note)
st.plotly_chart(bars_figure(report.importance), key="importance_chart")
render.bullets(report.drivers)

if not isinstance(report.business, NotAvailable):
    st.subheader("Business impact")
    render.sentences(report.business)

if context.analyst:
    with st.expander("Analyst detail: how these numbers were made", expanded=True):
        render.analyst_lines(report.analyst)
        st.dataframe(render.frame(report.table), hide_index=True)

st.subheader("Export for a deck")
download_buttons(lambda: [overview_slide(report, bundle)], file_stem(bundle.name, "overview"), key="overview_export")
