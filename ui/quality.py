"""The model-quality part of /model: plain sentences for everyone, metrics and curves for the analyst."""

from __future__ import annotations

import streamlit as st

from explain.analyses.quality import ClassifierQuality
from explain.bundle.card import Card
from explain.errors import NotAvailable
from explain.figures.quality import (
    calibration_figure,
    confusion_figure,
    pr_figure,
    predicted_vs_actual_figure,
    roc_figure,
)
from explain.reports.model import ModelReport
from ui import render


def quality_section(report: ModelReport, card: Card, *, analyst_view: bool) -> None:
    """How good the model is on the reference data, when that data holds the real outcome."""
    st.subheader("How good is the model?")
    part = report.quality
    if isinstance(part, NotAvailable):
        render.not_available(part)
        return
    render.sentences(part.sentences)
    (st.warning if part.flattering else st.caption)(render.escape(part.training))
    if not analyst_view:
        return
    with st.expander("Analyst detail: metrics on the reference data", expanded=True):
        st.dataframe(render.frame(part.table), hide_index=True)
        quality = part.quality
        if isinstance(quality, ClassifierQuality):
            left, right = st.columns(2)
            render.chart(where=left, figure=roc_figure(quality), key="roc_chart")
            render.chart(where=right, figure=pr_figure(quality), key="pr_chart")
            left, right = st.columns(2)
            render.chart(where=left, figure=confusion_figure(quality, card), key="confusion_chart")
            render.chart(where=right, figure=calibration_figure(quality), key="calibration_chart")
        else:
            render.chart(predicted_vs_actual_figure(quality, card), key="predicted_actual_chart")
