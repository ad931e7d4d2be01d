"""How the model works: what each fact does, how good the model is, what it assumes and was not built for."""

import streamlit as st

from explain.figures.explanation import bars_figure
from explain.figures.model import dependence_figure, partial_dependence_figure
from explain.words.escape import escape_markdown
from ui import cache, group, render
from ui.context import current
from ui.quality import quality_section

SHOWN = 10

context = current()
bundle = context.view
report = cache.model(bundle, context.settings)

st.title("How the model works")
if context.group is not None:
    group.banner(context.group)
render.sentences(report.intro)
st.subheader(escape_markdown(report.heading))
linear = report.linear
if linear is not None:
    render.bullets(linear.sentences[:SHOWN])
    if len(linear.sentences) > SHOWN:
        with st.expander(f"{len(linear.sentences) - SHOWN} smaller effects"):
            render.bullets(linear.sentences[SHOWN:])
    if linear.odds_note:
        render.caption(linear.odds_note)
    st.subheader("The effects side by side")
    render.caption(linear.caption)
    render.chart(render.figure(bars_figure, linear.chart), key="effects_chart")
else:
    if report.caption:
        render.caption(report.caption)
    if report.sample_note:
        render.caption(report.sample_note)
    for pair in range(0, len(report.facts), 2):
        for column, fact in zip(st.columns(2), report.facts[pair : pair + 2], strict=False):
            with column:
                st.markdown(f"**{escape_markdown(fact.label)}**")
                render.text(fact.sentence)
                render.chart(render.figure(dependence_figure, fact.chart), key=f"dependence_{fact.feature}")

if context.analyst:
    with st.expander("Analyst detail: how these effects were measured", expanded=True):
        if linear is not None:
            render.analyst_lines([linear.analyst_intro])
            st.dataframe(render.frame(linear.table), hide_index=True)
            if linear.left_out:
                render.caption(linear.left_out)
        else:
            render.analyst_lines(report.analyst)
            partial = [fact for fact in report.facts if fact.partial is not None]
            for column, fact in zip(st.columns(2) * 2, partial, strict=False):
                assert fact.partial is not None
                render.chart(
                    where=column,
                    figure=render.figure(partial_dependence_figure, fact.partial),
                    key=f"partial_{fact.feature}",
                )

quality_section(report, bundle.card, analyst_view=context.analyst)

st.subheader("What this model assumes, and what it was not built for")
if report.assumptions:
    st.markdown("**What it assumes**")
    render.bullets(report.assumptions)
if report.limitations:
    st.markdown("**What this model was not built for**")
    render.bullets(report.limitations)
if report.no_limits:
    st.info(escape_markdown(report.no_limits))
