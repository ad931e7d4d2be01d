"""Overview: the business answer, how many have a high chance (each list a click away), what drives the model.
Narrowed to a group, it first sets the group beside everyone, then tells the group's own story."""

import streamlit as st

from explain.errors import NotAvailable
from explain.export.layout import overview_slide, segment_slide
from explain.figures.explanation import bars_figure, pair_figure
from explain.reports.customers import acted_on_query, high_risk_query
from explain.words.escape import escape_markdown
from explain.words.outcome import high_chance_words
from ui import cache, group, links, listing, render
from ui.context import current
from ui.export import download_buttons, file_stem

context = current()
bundle, card = context.view, context.bundle.card
report = cache.overview(bundle, context.settings)
compared = cache.segment(bundle, context.settings) if context.group is not None else None

st.title(escape_markdown(report.title))
if compared is not None:
    group.banner(bundle)
    st.subheader(escape_markdown(compared.name))
    render.sentences([compared.intro, *compared.headline])
    render.comparison(compared.side_by_side)
    st.markdown(f"**{escape_markdown(compared.chart_heading)}**")
    render.chart(render.figure(pair_figure, compared.drivers_chart), key="group_drivers_chart")
    render.bullets(compared.drivers)
    if context.analyst:
        with st.expander("Analyst detail: the model's quality and the drivers in this group", expanded=True):
            if isinstance(compared.quality, NotAvailable):
                render.not_available(compared.quality)
            elif compared.quality_table is not None:
                st.dataframe(render.frame(compared.quality_table), hide_index=True)
            render.analyst_lines(compared.analyst)
            st.dataframe(render.frame(compared.table), hide_index=True)
    st.subheader(escape_markdown(f"The group on its own: {compared.name}"))
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
stem = file_stem(bundle.name, "overview", compared.name if compared is not None else "")
download_buttons(
    lambda: ([segment_slide(compared, bundle)] if compared is not None else []) + [overview_slide(report, bundle)],
    stem,
    key="overview_export",
    model=bundle.name,
    group=links.get(links.GROUP),
)
