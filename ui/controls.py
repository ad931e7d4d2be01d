"""The impact page's controls: they start from the reader's last values and keep what the reader sets, so the
overview and every export use the same assumptions."""

from __future__ import annotations

import streamlit as st

from explain.bundle import Bundle
from explain.reports import ImpactControls
from explain.words.escape import escape_markdown
from ui import state


def impact_controls(bundle: Bundle, controls: ImpactControls) -> None:
    """The share an offer keeps, and the budget (when the card gives a cost of acting)."""
    card = bundle.card
    state.start_widgets(bundle, controls.success_percent, controls.budget)
    inputs = st.columns(2)
    inputs[0].slider(
        f"Share of at-risk {escape_markdown(card.entities)} an offer keeps",
        min_value=0,
        max_value=100,
        step=5,
        format="%d%%",
        key=state.success_key(),
        on_change=state.keep_success,
        help=escape_markdown(controls.success_help),
    )
    if controls.budget is not None:
        inputs[1].number_input(
            f"Budget ({escape_markdown(controls.currency_sign)})",
            min_value=0.0,
            step=controls.budget_step,
            format="%.0f",
            key=state.budget_key(bundle),
            on_change=state.keep_budget,
            args=(bundle,),
            help=escape_markdown(controls.budget_help),
        )
