"""Plainsight: the frame. Page config, the shared sidebar, navigation; each page renders itself.

The page scripts live in views/, not pages/: a pages/ folder beside this file switches Streamlit into its older
pages-folder mode until st.navigation first runs, so a fresh server would open a deep link without this frame.
The sidebar draws its own links (ui/context.py), so that every navigation carries the reader's context; the
overview answers at "/" and at its own path "/overview".
"""

import streamlit as st

from ui import audit, links, signin
from ui.context import sidebar
from ui.profiling import engine_log, profiled

st.set_page_config(page_title="Plainsight", page_icon=":material/visibility:", layout="wide")
engine_log()
if not signin.gate():  # sign-in on and nobody signed in yet: nothing but the way in
    st.stop()

pages = st.navigation(
    [
        st.Page("views/overview.py", title="Overview", icon=":material/insights:", url_path="home", default=True),
        st.Page("views/overview.py", title="Overview", url_path="overview", visibility="hidden"),
        st.Page("views/customers.py", title="Who to act on", icon=":material/groups:", url_path="customers"),
        st.Page("views/customer.py", title="Customer", icon=":material/person:", url_path="customer"),
        st.Page("views/whatif.py", title="What if", icon=":material/tune:", url_path="what-if"),
        st.Page("views/impact.py", title="Business impact", icon=":material/payments:", url_path="impact"),
        st.Page("views/model.py", title="How the model works", icon=":material/schema:", url_path="model"),
        st.Page("views/upload.py", title="Your customers", icon=":material/upload_file:", url_path="upload"),
        st.Page("views/drift.py", title="What changed", icon=":material/compare_arrows:", url_path="changes"),
        st.Page("views/export.py", title="Export", icon=":material/download:", url_path="export"),
    ],
    position="hidden",
)
with profiled(pages.url_path):
    context = sidebar()
    if context is not None:
        if pages.url_path not in ("customer", "what-if"):  # those two record the customer they show
            audit.opened(
                pages.url_path or "overview",
                model=context.bundle.name,
                customer=links.get(links.CUSTOMER),
                group=links.get(links.GROUP),
                outcome=links.get(links.OUTCOME),
            )
        pages.run()
