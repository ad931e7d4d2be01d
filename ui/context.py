"""The sidebar every page shares (model picker, audience switch) and the state it leaves for the pages."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from explain.bundle import Bundle, models_dirs
from explain.errors import PlainsightError
from explain.reports import Settings
from explain.words.escape import escape_markdown
from ui import state
from ui.cache import available_bundles, get_bundle

MODEL_PARAM = "model"
CUSTOMER_PARAM = "customer"
OUTCOME_PARAM = "outcome"
MODEL_KEY = "model_picker"
DEFAULT_MODEL = "churn-demo"
_CONTEXT_KEY = "_plainsight_context"
_MODEL_IN_LINK = "_model_in_link"


@dataclass(frozen=True)
class Context:
    """What every page needs: the model in view and the reader's settings (who is reading, the assumptions)."""

    bundle: Bundle
    settings: Settings

    @property
    def analyst(self) -> bool:
        return self.settings.analyst


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
            [state.STAKEHOLDER_LABEL, state.ANALYST_LABEL],
            key=state.AUDIENCE_KEY,
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
    for note in bundle.notes:
        st.sidebar.warning(escape_markdown(note))
    if bundle.outcomes:
        bundle = _pick_outcome(bundle)
    else:
        st.query_params.pop(OUTCOME_PARAM, None)
    context = Context(bundle=bundle, settings=state.settings(bundle))
    st.session_state[_CONTEXT_KEY] = context
    return context


def _model_changed() -> None:
    # A customer id (and an outcome) belongs to one model; keep it from leaking into the next model.
    st.query_params.pop(CUSTOMER_PARAM, None)
    st.query_params.pop(OUTCOME_PARAM, None)


def _pick_outcome(bundle: Bundle) -> Bundle:
    """A model with more than two outcomes explains one at a time; the reader picks which (and the link keeps it)."""
    options = bundle.outcomes
    by_text = {str(o): o for o in options}
    key = f"outcome_picker_{bundle.name}"
    asked = st.query_params.get(OUTCOME_PARAM)
    if asked is not None and asked not in by_text:
        st.warning(escape_markdown(f"This model has no outcome '{asked}'; showing another one instead."))
        asked = None
    written = f"_outcome_in_link_{bundle.name}"
    # As for the model: the link wins only when it changed since the sidebar last wrote it.
    link_changed = asked is not None and asked != st.session_state.get(written)
    if key not in st.session_state or st.session_state[key] not in options or link_changed:
        st.session_state[key] = by_text[asked] if asked is not None else bundle.card.positive_class
    card = bundle.card
    with st.sidebar:
        choice = st.selectbox(
            "Outcome to explain",
            options,
            key=key,
            format_func=lambda o: f"Chance to {card.outcome_words(o)}",
            help="This model picks between more than two outcomes. Every page explains the chance of the one you pick.",
        )
    st.query_params[OUTCOME_PARAM] = str(choice)
    st.session_state[written] = str(choice)
    return bundle.for_outcome(choice)


def current() -> Context:
    """The context the frame set up for this run."""
    return st.session_state[_CONTEXT_KEY]  # type: ignore[no-any-return]
