"""The reader's settings, read from the link (where every page and every export finds the same ones)."""

from __future__ import annotations

import math

import streamlit as st

from explain.bundle import Bundle
from explain.reports import ANALYST, STAKEHOLDER, Settings
from ui import links

AUDIENCE_KEY = "audience"  # the sidebar's radio
STAKEHOLDER_LABEL, ANALYST_LABEL = "Stakeholder", "Analyst"


def _number(text: str | None) -> float | None:
    try:
        value = float(text) if text is not None else None
    except ValueError:
        return None
    return value if value is not None and math.isfinite(value) else None


def settings(bundle: Bundle) -> Settings:
    """The reader's settings for this bundle, as the pages and their exports use them."""
    kept = _number(links.get(links.KEPT))
    return Settings(
        audience=ANALYST if links.get(links.AUDIENCE) == ANALYST else STAKEHOLDER,
        success_rate=None if kept is None else kept / 100,
        budget=_number(links.get(links.BUDGET)),
    )


def success_key() -> str:
    return "impact_success"


def start_widgets(success_percent: int) -> None:
    """Give the impact page's slider the link's value (or the default) before it is drawn."""
    kept = _number(links.get(links.KEPT))
    st.session_state[success_key()] = int(round(kept)) if kept is not None else success_percent


def budget(default: float) -> float:
    """The budget in the link, or the default."""
    chosen = _number(links.get(links.BUDGET))
    return chosen if chosen is not None else default


def keep_success(default: int) -> None:
    value = int(st.session_state[success_key()])
    links.write(**{links.KEPT: None if value == default else str(value)})


def keep_audience() -> None:
    analyst = st.session_state.get(AUDIENCE_KEY) == ANALYST_LABEL
    links.write(**{links.AUDIENCE: ANALYST if analyst else None})


def settings_audience_is_analyst() -> bool:
    """Whether the link asks for the analyst's view."""
    return links.get(links.AUDIENCE) == ANALYST
