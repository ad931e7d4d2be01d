"""The impact page's controls: they start from the link's values (or the defaults) and each change is one change
of the link, so the overview and every export use the same assumptions."""

from __future__ import annotations

import streamlit as st

from explain.bundle import Bundle
from explain.reports import ImpactControls
from explain.words.escape import escape_label, escape_markdown
from explain.words.numbers import format_money, parse_amount, unit_name
from ui import links, state


def impact_controls(bundle: Bundle, controls: ImpactControls) -> None:
    """The share an offer keeps, and the budget (when the card gives a cost of acting), written as money."""
    card = bundle.card
    state.start_widgets(controls.success_percent)
    inputs = st.columns(2)
    inputs[0].slider(
        escape_label(f"Share of at-risk {card.entities} an offer keeps"),
        min_value=0,
        max_value=100,
        step=5,
        format="%d%%",
        key=state.success_key(),
        on_change=state.keep_success,
        args=(controls.success_percent,),
        help=controls.success_help,
    )
    if controls.budget is None or card.business is None:
        return
    currency = card.business.currency
    key = f"impact_budget_text_{bundle.name}"
    default = controls.budget
    st.session_state[key] = format_money(state.budget(default), currency, rounded=False)

    def typed() -> None:
        amount = parse_amount(st.session_state[key])
        if amount is None or amount < 0:
            st.session_state["_budget_problem"] = st.session_state[key]
            return
        links.write(**{links.BUDGET: None if abs(amount - default) < 0.5 else f"{amount:g}"})

    inputs[1].text_input(
        escape_label(f"Budget ({unit_name(currency)})"), key=key, on_change=typed, help=controls.budget_help
    )
    problem = st.session_state.pop("_budget_problem", None)
    if problem is not None:
        inputs[1].error(escape_markdown(f"'{problem}' is not an amount of money; the budget stays as it was."))
