"""The sidebar every page shares (navigation, model picker, audience switch) and the context it leaves for the
pages. The context is read from the link (:mod:`ui.links`), so it survives navigation, reloads and sharing."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from explain.bundle import Bundle, models_dirs
from explain.bundle.access import AccessError
from explain.errors import PlainsightError
from explain.reports import Settings
from explain.words.escape import escape_markdown
from ui import group, links, signin, state
from ui.cache import available_bundles, get_bundle

MODEL_KEY = "model_picker"
DEFAULT_MODEL = "churn-demo"
_CONTEXT_KEY = "_plainsight_context"

# The pages in the sidebar: script, title, icon. Links to them carry the reader's context.
NAVIGATION = (
    ("views/overview.py", "Overview", ":material/insights:"),
    ("views/customers.py", "Who to act on", ":material/groups:"),
    ("views/customer.py", "Customer", ":material/person:"),
    ("views/whatif.py", "What if", ":material/tune:"),
    ("views/impact.py", "Business impact", ":material/payments:"),
    ("views/model.py", "How the model works", ":material/schema:"),
    ("views/upload.py", "Your customers", ":material/upload_file:"),
    ("views/drift.py", "What changed", ":material/compare_arrows:"),
    ("views/export.py", "Export", ":material/download:"),
)


@dataclass(frozen=True)
class Context:
    """What every page needs: the model in view, the group the reader narrowed the pages to, and the reader's
    settings (who is reading, the assumptions).

    ``bundle`` holds every row: a customer's story is the same whatever group the reader looks at. The pages
    about many customers (the overview, the list, the impact, the model, the export) use ``view``.
    """

    bundle: Bundle
    settings: Settings
    group: Bundle | None = None  # the bundle narrowed to the reader's group, when there is one

    @property
    def view(self) -> Bundle:
        """The rows the pages about many customers show: the group's, or everyone's."""
        return self.group if self.group is not None else self.bundle

    @property
    def analyst(self) -> bool:
        return self.settings.analyst


def sidebar() -> Context | None:
    """Draw the shared sidebar and load the chosen model; None (with a message shown) when there is none."""
    everything = available_bundles()
    if not everything:
        where = ", ".join(str(d) for d in models_dirs())
        st.error(escape_markdown(f"No models found in {where}. Run `make demo`, or set PLAINSIGHT_MODELS_DIR."))
        return None
    signin.sidebar_status()
    try:
        bundles = {name: everything[name] for name in signin.allowed_models(list(everything))}
    except AccessError as exc:
        st.error(escape_markdown(f"{exc} Ask the person who runs Plainsight to fix it."))
        return None
    asked = links.get(links.MODEL)
    if len(bundles) < len(everything) and (not bundles or (asked is not None and asked not in bundles)):
        # A reader limited by the access file: the same words whether the model exists or not.
        what = f"a model called '{asked}'" if asked is not None and asked not in bundles else "any model here"
        st.error(escape_markdown(f"You may not open {what}. Ask the person who runs Plainsight for access."))
        if bundles:
            st.page_link("views/overview.py", label="Open a model you may see", query_params={})
        return None
    names = list(bundles)
    default = DEFAULT_MODEL if DEFAULT_MODEL in bundles else names[0]
    if asked is not None and asked not in bundles:
        st.warning(escape_markdown(f"There is no model called '{asked}'; showing another one instead."))
        asked = None
    name = asked or default
    st.session_state[MODEL_KEY] = name  # the link is the truth; the widgets only change it
    st.session_state[state.AUDIENCE_KEY] = (
        state.ANALYST_LABEL if state.settings_audience_is_analyst() else state.STAKEHOLDER_LABEL
    )
    with st.sidebar:
        navigation = st.container()  # filled once the model is known: its pages are named for its rows
        st.divider()
        st.selectbox("Model", names, key=MODEL_KEY, on_change=_model_changed, args=(default,))
        st.radio(
            "Who is reading?",
            [state.STAKEHOLDER_LABEL, state.ANALYST_LABEL],
            key=state.AUDIENCE_KEY,
            horizontal=True,
            on_change=state.keep_audience,
            help="Stakeholder: plain words only. Analyst: adds the technical detail of how the numbers were made.",
        )
    try:
        bundle = get_bundle(bundles[name])
    except PlainsightError as exc:
        _links(navigation, None)
        st.error(escape_markdown(f"The model '{name}' could not be opened: {exc}"))
        return None
    _links(navigation, bundle)
    for note in bundle.notes:
        st.sidebar.warning(escape_markdown(note))
    if bundle.outcomes:
        bundle = _pick_outcome(bundle)
    context = Context(bundle=bundle, settings=state.settings(bundle), group=group.picker(bundle))
    st.session_state[_CONTEXT_KEY] = context
    return context


def _links(where: DeltaGenerator, bundle: Bundle | None) -> None:
    """The sidebar's links to every page, named for the model's rows ("Passenger", "Your passengers")."""
    card = bundle.card if bundle is not None else None
    with where:
        for page, title, icon in NAVIGATION:
            if card is not None and title == "Customer":
                title = card.entity.capitalize()
            elif card is not None and title == "Your customers":
                title = f"Your {card.entities}"
            st.page_link(page, label=escape_markdown(title), icon=icon, query_params=links.carried())


def _model_changed(default: str) -> None:
    # A customer, an outcome, a budget and the list's filters belong to one model: they do not follow the reader
    # to the next one.
    chosen = st.session_state[MODEL_KEY]
    links.write(**{links.MODEL: None if chosen == default else chosen}, **dict.fromkeys(links.BELONG_TO_MODEL))


def _pick_outcome(bundle: Bundle) -> Bundle:
    """A model with more than two outcomes explains one at a time; the reader picks which (and the link keeps it)."""
    options = bundle.outcomes
    by_text = {str(o): o for o in options}
    key = f"outcome_picker_{bundle.name}"
    asked = links.get(links.OUTCOME)
    if asked is not None and asked not in by_text:
        st.warning(escape_markdown(f"This model has no outcome '{asked}'; showing another one instead."))
        asked = None
    default = bundle.card.positive_class
    st.session_state[key] = by_text[asked] if asked is not None else default
    card = bundle.card

    def picked() -> None:
        choice = st.session_state[key]
        links.write(**{links.OUTCOME: None if str(choice) == str(default) else str(choice), links.CUSTOMER: None})

    with st.sidebar:
        choice = st.selectbox(
            "Outcome to explain",
            options,
            key=key,
            on_change=picked,
            format_func=lambda o: f"Chance to {card.outcome_words(o)}",
            help="This model picks between more than two outcomes. Every page explains the chance of the one you pick.",
        )
    return bundle.for_outcome(choice)


def current() -> Context:
    """The context the frame set up for this run."""
    return st.session_state[_CONTEXT_KEY]  # type: ignore[no-any-return]
