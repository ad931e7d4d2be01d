"""Plainsight: the frame. Page config, the shared sidebar, navigation; each page renders itself."""

import streamlit as st

from ui.context import sidebar

st.set_page_config(page_title="Plainsight", page_icon=":material/visibility:", layout="wide")

pages = st.navigation(
    [
        st.Page("pages/overview.py", title="Overview", icon=":material/insights:", url_path="overview", default=True),
        st.Page("pages/customer.py", title="Customer", icon=":material/person:", url_path="customer"),
    ]
)
if sidebar() is not None:
    pages.run()
