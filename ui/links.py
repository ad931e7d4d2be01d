"""The reader's context lives in the link: the model, the outcome, the audience, the group, the customer, the
impact assumptions and the list's filters. Every navigation carries them, so a page opened from the sidebar, a
customer opened from the list or a link sent to a colleague shows the same thing.

Each change the reader makes is one write to the address (one entry in the browser's history, so Back undoes
one click); a page never writes on load, so opening a page is one entry too. Values at their default are left
out of the link.
"""

from __future__ import annotations

from urllib.parse import unquote

import streamlit as st

MODEL, OUTCOME, AUDIENCE, CUSTOMER = "model", "outcome", "audience", "customer"
KEPT, BUDGET = "kept", "budget"  # the impact assumptions: the share an offer keeps (percent), the budget
WHERE, SEARCH, SORT, TOP = "where", "q", "sort", "top"  # the list of customers
TRY = "try"  # what-if: changes to open with
GROUP = "group"  # the group every page is narrowed to: a group the card names (its label), or filters
CARRIED = (MODEL, OUTCOME, AUDIENCE, GROUP, CUSTOMER, KEPT, BUDGET, WHERE, SEARCH, SORT, TOP)
BELONG_TO_MODEL = (OUTCOME, GROUP, CUSTOMER, BUDGET, WHERE, SEARCH, SORT, TOP)  # meaningless for another model


def get(name: str) -> str | None:
    """The link's value for ``name``, or None."""
    value = st.query_params.get(name)
    return None if value is None or value == "" else str(value)


def carried(**changes: str | None) -> dict[str, str]:
    """The context every link carries, with ``changes`` applied (None drops a value): for st.page_link."""
    params = {name: value for name in CARRIED if (value := get(name)) is not None}
    for name, value in changes.items():
        if value is None:
            params.pop(name, None)
        else:
            params[name] = str(value)
    return params


def escape_part(text: str) -> str:
    """A part of a link value with only the marks that join parts escaped (``%``, ``~``, ``|``): the address
    escapes the rest once, so the link stays readable (``Contract~Two year``, not ``Two%2520year``)."""
    return str(text).replace("%", "%25").replace("~", "%7E").replace("|", "%7C")


def encode_changes(changes: tuple[tuple[str, object], ...]) -> str:
    """What-if changes as one link value: ``column~value`` joined by ``|``."""
    return "|".join(f"{escape_part(str(column))}~{escape_part(str(value))}" for column, value in changes)


def decode_changes(text: str | None) -> dict[str, str]:
    """The what-if changes in a link value (text; the what-if page converts them for each column)."""
    found = {}
    for item in (text or "").split("|"):
        column, sep, value = item.partition("~")
        if sep:
            found[unquote(column)] = unquote(value)
    return found


def write(**changes: str | None) -> None:
    """Change the link, as one address change (so the browser's Back undoes it in one press)."""
    current = {name: str(value) for name, value in st.query_params.items()}
    updated = dict(current)
    for name, value in changes.items():
        if value is None:
            updated.pop(name, None)
        else:
            updated[name] = str(value)
    if updated != current:
        st.query_params.from_dict(updated)
