"""The reader's settings kept in the session, so every page (and every export from it) uses the same ones.

Streamlit forgets a widget's value when a page without that widget runs, so each setting is also kept under a
key of its own; the widgets start from it and write back to it.
"""

from __future__ import annotations

import streamlit as st

from explain.bundle import Bundle
from explain.reports import ANALYST, STAKEHOLDER, Settings

AUDIENCE_KEY = "audience"  # the sidebar's radio
STAKEHOLDER_LABEL, ANALYST_LABEL = "Stakeholder", "Analyst"
_SUCCESS = "_settings_success_percent"
_BUDGET = "_settings_budget"


def settings(bundle: Bundle) -> Settings:
    """The reader's settings for this bundle, as the pages and their exports use them."""
    audience = ANALYST if st.session_state.get(AUDIENCE_KEY) == ANALYST_LABEL else STAKEHOLDER
    percent = st.session_state.get(_SUCCESS)
    budget = st.session_state.get(_BUDGET, {}).get(bundle.fingerprint)
    return Settings(audience=audience, success_rate=None if percent is None else percent / 100, budget=budget)


def success_key() -> str:
    """The widget key of the success-rate slider; :func:`keep_success` copies it to the session's settings."""
    return "impact_success"


def budget_key(bundle: Bundle) -> str:
    return f"impact_budget_{bundle.name}"


def start_widgets(bundle: Bundle, success_percent: int, budget: float | None) -> None:
    """Give the impact page's widgets the reader's last values (or the defaults) before they are drawn."""
    if success_key() not in st.session_state:
        st.session_state[success_key()] = st.session_state.get(_SUCCESS, success_percent)
    kept = st.session_state.get(_BUDGET, {}).get(bundle.fingerprint)
    if budget is not None and budget_key(bundle) not in st.session_state:
        st.session_state[budget_key(bundle)] = float(kept if kept is not None else budget)


def keep_success() -> None:
    st.session_state[_SUCCESS] = st.session_state[success_key()]


def keep_budget(bundle: Bundle) -> None:
    budgets = dict(st.session_state.get(_BUDGET, {}))
    budgets[bundle.fingerprint] = float(st.session_state[budget_key(bundle)])
    st.session_state[_BUDGET] = budgets
