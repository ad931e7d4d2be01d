"""The model-quality section of /model: plain sentences for everyone, metrics and curves for the analyst."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from explain.analyses.quality import (
    ClassifierQuality,
    Quality,
    model_quality,
    quality_sentences,
    quality_table,
    training_data_sentence,
)
from explain.bundle import Bundle
from explain.errors import ExplainError
from explain.figures.quality import (
    calibration_figure,
    confusion_figure,
    pr_figure,
    predicted_vs_actual_figure,
    roc_figure,
)
from explain.words.formatting import escape_markdown
from ui.text import sentences


@st.cache_data(show_spinner=False, max_entries=16)
def _quality(_bundle: Bundle, fingerprint: str) -> Quality | str | None:
    try:
        return model_quality(_bundle)
    except ExplainError as exc:
        return str(exc)


def quality_section(bundle: Bundle, *, analyst_view: bool) -> None:
    """How good the model is on the reference data, when that data holds the real outcome."""
    card = bundle.card
    st.subheader("How good is the model?")
    quality = _quality(bundle, bundle.fingerprint)
    if quality is None:
        column = f"the column {card.target}" if card.target else "the real outcome"
        st.info(
            escape_markdown(
                f"To say how good the model is, the data needs what really happened to each {card.entity}. "
                f"It does not hold {column}"
                + ("" if card.target else "; the model card can name that column (target: …)")
                + "."
            )
        )
        return
    if isinstance(quality, str):
        st.warning(escape_markdown(f"The model's quality could not be checked: {quality}"))
        return
    sentences(quality_sentences(quality, card))
    note = training_data_sentence(card)
    if card.reference_is_training is False:
        st.caption(escape_markdown(note))
    else:
        st.warning(escape_markdown(note))

    if not analyst_view:
        return
    with st.expander("Analyst detail: metrics on the reference data", expanded=True):
        table = pd.DataFrame(quality_table(quality, card), columns=["metric", "value"])
        st.dataframe(table, hide_index=True)
        if isinstance(quality, ClassifierQuality):
            left, right = st.columns(2)
            left.plotly_chart(roc_figure(quality), key="roc_chart")
            right.plotly_chart(pr_figure(quality), key="pr_chart")
            left, right = st.columns(2)
            left.plotly_chart(confusion_figure(quality, card), key="confusion_chart")
            right.plotly_chart(calibration_figure(quality), key="calibration_chart")
        else:
            st.plotly_chart(predicted_vs_actual_figure(quality, card), key="predicted_actual_chart")
