"""The only code besides pages/ that imports streamlit: caching, state, shared widgets."""
