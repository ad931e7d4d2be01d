"""The customer picker the customer and what-if pages share, kept in step with the ?customer= link."""

from __future__ import annotations

import streamlit as st

from explain.bundle import Bundle
from explain.errors import RowNotFoundError
from explain.words.escape import escape_markdown
from ui.context import CUSTOMER_PARAM


def pick_customer(bundle: Bundle) -> tuple[str, int]:
    """Draw the picker and return the chosen row's id and position; the link and the picker stay in step."""
    card = bundle.card
    key = f"customer_picker_{bundle.name}"
    synced = f"_customer_in_link_{bundle.name}"
    asked = st.query_params.get(CUSTOMER_PARAM)
    # The link wins only when it changed since a page last wrote it (opened or edited by hand); otherwise the
    # picker's own choice stands.
    if asked is not None and asked != st.session_state.get(synced):
        try:
            asked_id = bundle.ids[bundle.position(asked)]
            if st.session_state.get(key) != asked_id:
                st.session_state[key] = asked_id
        except RowNotFoundError as exc:
            st.warning(escape_markdown(str(exc)))
            st.query_params.pop(CUSTOMER_PARAM, None)
    by = f"by {card.label(card.id_column).lower()}" if card.id_column else "by row number"
    row_id = st.selectbox(f"Find a {card.entity} {by}", bundle.ids, key=key, placeholder="Type to search")
    st.query_params[CUSTOMER_PARAM] = row_id
    st.session_state[synced] = row_id
    return row_id, bundle.position(row_id)
