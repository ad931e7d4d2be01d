"""The parts of one customer's story that the customer page and the upload page both show."""

from __future__ import annotations

import streamlit as st

from explain.figures.explanation import waterfall_figure
from explain.reports import CustomerReport
from ui import links, render


def why(report: CustomerReport, *, key: str) -> None:
    """The reasons: a waterfall that adds up from a typical customer to this one, then in sentences."""
    st.subheader("Why")
    for flag in report.flags:
        st.warning(render.escape(flag))
    render.caption(report.waterfall_caption)
    render.chart(render.figure(waterfall_figure, report.waterfall), key=key)
    render.sentences(report.reason_sentences)


def what_would_change_it(report: CustomerReport) -> None:
    """The checked changes that would bring this customer to the default target, or that none does."""
    found = report.suggestions
    if found is None:
        return
    st.subheader("What would change it")
    render.caption(found.caption)
    if found.reached and report.position is None:  # an uploaded customer: What if cannot open them
        render.bullets([line.sentence for line in found.lines])
    elif found.reached:  # each change beside the link that opens What if on this customer with it applied
        for line in found.lines:
            with st.container(border=True):
                render.text(line.sentence)
                st.page_link(
                    "views/whatif.py",
                    label="Try it in What if",
                    icon=":material/tune:",
                    query_params=links.carried(
                        **{links.CUSTOMER: report.row_id, links.TRY: links.encode_changes(line.changes)}
                    ),
                )
    elif found.none_reached:
        st.info(render.escape(found.none_reached))


def analyst_detail(report: CustomerReport) -> None:
    """How the numbers were made, the numbers behind the chart, and the second check's own figures."""
    with st.expander("Analyst detail: the numbers behind the chart", expanded=True):
        render.analyst_lines(report.analyst)
        st.dataframe(render.frame(report.table), hide_index=True)
