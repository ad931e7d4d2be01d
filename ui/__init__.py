"""The only code besides views/ that imports streamlit: caching, state, shared widgets."""
