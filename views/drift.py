"""What changed: newer data against the data the model was built on (being built)."""

import streamlit as st

st.title("What changed")
st.info("Not built yet.")
