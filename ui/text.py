"""Showing engine sentences on a page: always escaped, since they carry names and values from data."""

from __future__ import annotations

import streamlit as st

from explain.words.formatting import escape_markdown


def sentences(lines: list[str], *, size: str = "normal") -> None:
    """Show plain sentences as one paragraph."""
    text = " ".join(escape_markdown(s) for s in lines)
    st.markdown(f"#### {text}" if size == "large" else text)


def bullets(lines: list[str]) -> None:
    """Show plain lines as a bulleted list."""
    st.markdown("\n".join(f"- {escape_markdown(line)}" for line in lines) if lines else "- none")
