"""One script per page, run by Streamlit (``st.navigation`` in streamlit_app.py); a package only so that the
import contracts in pyproject.toml can say what a page may import: reports, figures and the ui helpers."""
