"""What-if: change a customer's situation and see the chance and the reasons move; find what it would take."""

import streamlit as st

from explain.words.escape import escape_markdown
from ui import audit, links
from ui.context import current
from ui.picker import pick_customer
from ui.whatif import WhatIf

context = current()
bundle = context.bundle
entity = bundle.card.entity
row_id, position = pick_customer(bundle)
audit.opened("what-if", model=bundle.name, customer=row_id, outcome=links.get(links.OUTCOME))

st.title(escape_markdown(f"What if: {entity} {row_id}"))
st.caption(
    escape_markdown(f"Change this {entity}'s situation and see what the model says. Nothing here changes your data.")
)

page = WhatIf(bundle, position, row_id)
page.open_with(links.decode_changes(links.get(links.TRY)))
page.playground()
page.what_would_it_take()
