"""The group every page is narrowed to: read from the link, picked in the sidebar, named on each narrowed page.

The link holds a group the card names by its label, or a group made from the list's filters as those filters
(``column~op~value|…``), so a shared link opens the same group.
"""

from __future__ import annotations

import streamlit as st

from explain.analyses.segments import narrow
from explain.bundle import Bundle
from explain.bundle.filters import Filter, Segment, SelectionError
from explain.errors import PlainsightError
from explain.words.escape import escape_markdown
from explain.words.segments import group_banner, group_name
from ui import links, listing

PICKER_KEY = "group_picker"
EVERYONE = "Everyone"


def from_link(bundle: Bundle) -> Segment | None:
    """The group the link asks for, or None for everyone.

    Raises
    ------
    SelectionError
        When the link names a group this model does not know.
    """
    text = links.get(links.GROUP)
    if text is None:
        return None
    for segment in bundle.card.segments:
        if segment.label is not None and segment.label.casefold() == text.strip().casefold():
            return segment
    filters = listing.decode_filters(text)
    if not filters:
        raise SelectionError(f"This model has no group called '{text}'.")
    return Segment(filters)


def link_value(segment: Segment | None) -> str | None:
    """The link's value for a group: a named group's label, another group's filters; None for everyone."""
    if segment is None:
        return None
    return segment.label if segment.label is not None else listing.encode_filters(segment.filters)


# The picker's value for everyone: a selectbox reads None as "nothing picked" and shows its placeholder.
_EVERYONE_KEY = ""


def picker(bundle: Bundle) -> Bundle | None:
    """The sidebar's group picker (when there is a group to pick); the bundle narrowed to the chosen group, or None
    for everyone. A group that cannot be used is said plainly, and every page shows everyone."""
    try:
        chosen = from_link(bundle)
    except SelectionError as exc:
        st.sidebar.warning(escape_markdown(f"{exc} Showing everyone instead."))
        chosen = None
    options: list[Segment | None] = [None, *bundle.card.segments]
    if chosen is not None and chosen not in options:
        options.append(chosen)
    if len(options) > 1:
        names = {link_value(o) or _EVERYONE_KEY: o for o in options}
        st.session_state[PICKER_KEY] = link_value(chosen) or _EVERYONE_KEY
        st.sidebar.selectbox(
            "Group",
            list(names),
            key=PICKER_KEY,
            format_func=lambda v: EVERYONE if v == _EVERYONE_KEY else _name(bundle, names[v]),
            on_change=lambda: links.write(**{links.GROUP: st.session_state[PICKER_KEY] or None}),
            help=f"Narrow every page to one group of {bundle.card.entities}. Make your own from the filters of "
            "the list on Who to act on.",
        )
    if chosen is None:
        return None
    try:
        return narrowed(bundle, chosen)
    except PlainsightError as exc:
        st.sidebar.warning(escape_markdown(f"{exc} Showing everyone instead."))
        return None


def _name(bundle: Bundle, segment: Segment) -> str:
    return group_name(segment, bundle.card, bundle.output)


def narrowed(bundle: Bundle, segment: Segment) -> Bundle:
    """The bundle narrowed to the group, made once per bundle and group."""
    return _narrowed(bundle.fingerprint, segment, bundle)


@st.cache_resource(show_spinner=False, max_entries=16)
def _narrowed(fingerprint: str, segment: Segment, _bundle: Bundle) -> Bundle:
    return narrow(_bundle, segment)


def adopt(current: Bundle | None, filters: tuple[Filter, ...]) -> None:
    """Make the list's filters the group every page shows (added to the group already chosen, if any)."""
    base = current.group.filters if current is not None and current.group is not None else ()
    chosen = Segment((*base, *(f for f in filters if f not in base)))
    links.write(**{links.GROUP: link_value(chosen), links.WHERE: None})


def banner(group: Bundle) -> None:
    """Name the group on a page narrowed to it, with the way back to everyone."""
    assert group.group is not None
    card = group.card
    text = group_banner(group.group, len(group.ids), len(group.whole.ids), card, group.output)
    left, right = st.columns([5, 1], vertical_alignment="center")
    left.info(escape_markdown(text), icon=":material/filter_alt:")
    right.button("Show everyone", key="group_clear", on_click=links.write, kwargs={links.GROUP: None})
