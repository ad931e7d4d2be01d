"""The customer picker the customer, what-if and export pages share, kept in step with the ?customer= link.

Without a customer in the link, the pages show the one the model puts most at risk (or with the largest amount):
the first a reader acting on the list would open.
"""

from __future__ import annotations

import streamlit as st

from explain.analyses.selection import top_at_risk
from explain.bundle import Bundle
from explain.errors import RowNotFoundError
from explain.words.escape import escape_label, escape_markdown
from ui import links


def current_customer(bundle: Bundle) -> tuple[str, int]:
    """The customer in the link (id and position), or the one most at risk; an unknown id is said plainly."""
    asked = links.get(links.CUSTOMER)
    if asked is not None:
        try:
            position = bundle.position(asked)
            return bundle.ids[position], position
        except RowNotFoundError as exc:
            st.warning(escape_markdown(str(exc)))
    position = top_at_risk(bundle, 1)[0]
    return bundle.ids[position], position


def pick_customer(bundle: Bundle) -> tuple[str, int]:
    """Draw the picker and return the chosen row's id and position; picking writes the link (one Back undoes it)."""
    card = bundle.card
    row_id, position = current_customer(bundle)
    key = f"customer_picker_{bundle.name}"
    st.session_state[key] = row_id  # the link is the truth; the picker only changes it

    def picked() -> None:
        links.write(**{links.CUSTOMER: st.session_state[key]})

    by = f"by {card.label(card.id_column).lower()}" if card.id_column else "by row number"
    label = escape_label(f"Find a {card.entity} {by}")
    st.selectbox(label, bundle.ids, key=key, on_change=picked, placeholder="Type to search")
    return row_id, position
