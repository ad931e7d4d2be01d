"""Customer: one customer's chance, the reasons for it adding up from a typical customer, a second check, and
what would change it."""

import streamlit as st

from explain.export.layout import customer_slide
from explain.figures.explanation import icon_array_figure
from explain.words.escape import escape_markdown
from ui import audit, cache, links, render, story
from ui.context import current
from ui.export import download_buttons, file_stem
from ui.picker import pick_customer

context = current()
bundle = context.bundle
row_id, position = pick_customer(bundle)
audit.opened("customer", model=bundle.name, customer=row_id, outcome=links.get(links.OUTCOME))
report = cache.customer(bundle, position, context.settings)

st.title(escape_markdown(report.title))
left, middle, right = st.columns([1, 1, 2])
render.metric(report.facts[0], where=left)
if report.value_at_risk_sentence:
    render.caption(report.value_at_risk_sentence, where=left)
if report.icon is not None:
    render.chart(render.figure(icon_array_figure, report.icon), key="icon_array", where=middle, width="content")
with right:
    render.sentences(report.headline)
    render.text(report.second_check)

story.why(report, key="waterfall_chart")
story.what_would_change_it(report)
if context.analyst:
    story.analyst_detail(report)

st.subheader("Export for a deck")
download_buttons(
    lambda: [customer_slide(report, bundle)],
    file_stem(bundle.name, bundle.card.entity, row_id),
    key="customer_export",
    model=bundle.name,
    customer=row_id,
)
