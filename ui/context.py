"""The sidebar every page shares (model picker, audience switch) and the state it leaves for the pages."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from explain.bundle import Bundle, models_dirs
from explain.errors import PlainsightError
from explain.formatting import escape_markdown
from ui.cache import available_bundles, get_bundle

MODEL_PARAM = "model"
CUSTOMER_PARAM = "customer"
AUDIENCE_KEY = "audience"
MODEL_KEY = "model_picker"
STAKEHOLDER, ANALYST = "Stakeholder", "Analyst"
DEFAULT_MODEL = "churn-demo"
_CONTEXT_KEY = "_plainsight_context"
_MODEL_IN_LINK = "_model_in_link"


@dataclass(frozen=True)
class Context:
    """What every page needs: the model in view and who is reading."""

    bundle: Bundle
    analyst: bool


def sidebar() -> Context | None:
    """Draw the shared sidebar and load the chosen model; None (with a message shown) when there is none."""
    bundles = available_bundles()
    if not bundles:
        where = ", ".join(str(d) for d in models_dirs())
        st.error(escape_markdown(f"No models found in {where}. Run `make demo`, or set PLAINSIGHT_MODELS_DIR."))
        return None
    names = list(bundles)
    asked = st.query_params.get(MODEL_PARAM)
    if asked is not None and asked not in bundles:
        st.warning(escape_markdown(f"There is no model called '{asked}'; showing another one instead."))
        st.query_params.pop(CUSTOMER_PARAM, None)
        asked = None
    default = asked or (DEFAULT_MODEL if DEFAULT_MODEL in bundles else names[0])
    # The link wins when it changed since the sidebar last wrote it; otherwise the picker's choice stands.
    link_changed = asked is not None and asked != st.session_state.get(_MODEL_IN_LINK)
    if MODEL_KEY not in st.session_state or st.session_state[MODEL_KEY] not in bundles or link_changed:
        st.session_state[MODEL_KEY] = default

    with st.sidebar:
        st.selectbox("Model", names, key=MODEL_KEY, on_change=_model_changed)
        st.radio(
            "Who is reading?",
            [STAKEHOLDER, ANALYST],
            key=AUDIENCE_KEY,
            horizontal=True,
            help="Stakeholder: plain words only. Analyst: adds the technical detail of how the numbers were made.",
        )
    name = st.session_state[MODEL_KEY]
    st.query_params[MODEL_PARAM] = name
    st.session_state[_MODEL_IN_LINK] = name
    try:
        bundle = get_bundle(bundles[name])
    except PlainsightError as exc:
        st.error(escape_markdown(f"The model '{name}' could not be opened: {exc}"))
        return None
    context = Context(bundle=bundle, analyst=st.session_state.get(AUDIENCE_KEY) == ANALYST)
    st.session_state[_CONTEXT_KEY] = context
    return context


def _model_changed() -> None:
    # A customer id belongs to one model's data; keep it from leaking into the next model.
    st.query_params.pop(CUSTOMER_PARAM, None)


def current() -> Context:
    """The context the frame set up for this run."""
    return st.session_state[_CONTEXT_KEY]  # type: ignore[no-any-return]
