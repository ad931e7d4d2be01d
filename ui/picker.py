"""The customer picker the customer, what-if and export pages share, kept in step with the ?customer= link.

A search box, answered on the server: an exact id opens that customer; part of an id lists the few customers
most at risk whose ids contain it, each a button that opens them. The page never ships the whole list of ids
(7,043 options made each run ~100 KB; a million would not load), and the at-risk list is the way to browse.

Without a customer in the link, the pages show the one the model puts most at risk (or with the largest amount):
the first a reader acting on the list would open.
"""

from __future__ import annotations

import streamlit as st

from explain.analyses.selection import top_at_risk
from explain.bundle import Bundle
from explain.errors import RowNotFoundError
from explain.words.escape import escape_label, escape_markdown
from explain.words.numbers import say_output
from explain.words.outcome import most_likely_words
from ui import cache, links

SHOWN = cache.SHOWN_MATCHES  # matches listed for part of an id


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
    """Draw the search box and return the shown customer's id and position; an exact id writes the link (one Back
    undoes it), part of one lists the matching customers most at risk, each a button that opens them."""
    card = bundle.card
    row_id, position = current_customer(bundle)
    key, shown = f"customer_search_{bundle.name}", f"customer_search_{bundle.name}_shows"
    if st.session_state.get(shown) != row_id:  # another customer in the link: the box shows their id
        st.session_state[key] = st.session_state[shown] = row_id

    def searched() -> None:
        found = cache.found_ids(bundle, st.session_state[key])
        if found.exact is not None:
            links.write(**{links.CUSTOMER: bundle.ids[found.exact]})

    by = f"by {card.label(card.id_column).lower()}" if card.id_column else "by row number"
    st.text_input(
        escape_label(f"Find {card.an_entity} {by}"),
        key=key,
        on_change=searched,
        placeholder="Type an id, or part of one, and press Enter",
    )
    text = str(st.session_state[key]).strip()
    if text and text != row_id:
        _matches(bundle, text, row_id)
    return row_id, position


def _matches(bundle: Bundle, text: str, row_id: str) -> None:
    card, output = bundle.card, bundle.output
    found = cache.found_ids(bundle, text)
    if found.total == 0:
        st.warning(escape_markdown(f"No {card.entity} id contains '{text}'; this page still shows {row_id}."))
        return
    which = "the one" if found.total == 1 else f"the {min(found.total, SHOWN)} {most_likely_words(card)}"
    st.caption(escape_markdown(f"{found.total:,} {card.entities}' ids contain '{text}'; {which}:"))
    # Buttons that write the link, not links to this page: Streamlit does not put the query of a link to the page
    # already open into the address, so Back and a reload would lose the customer.
    with st.container(horizontal=True):
        for position in found.positions[:SHOWN]:
            match = bundle.ids[position]
            value = say_output(output.shown(float(bundle.outputs[position])), output)
            st.button(
                escape_markdown(f"{match} ({value})"),
                key=f"customer_match_{match}",
                type="tertiary",
                on_click=links.write,
                kwargs={links.CUSTOMER: match},
            )
