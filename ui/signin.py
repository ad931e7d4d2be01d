"""Sign-in with Streamlit's own ``st.login`` (OpenID Connect), and which models the signed-in reader may open.

Sign-in is on when ``.streamlit/secrets.toml`` (or a file named by ``--secrets.files``) has an ``[auth]`` section;
then nothing is shown before it, and the operator's access file (:mod:`explain.bundle.access`) says which models
each reader sees. Off, the app runs as before, for one person on their own machine, and the sidebar says so.
"""

from __future__ import annotations

import streamlit as st

from explain.bundle.access import access_file, current_rules
from explain.words.escape import escape_markdown


def configured() -> bool:
    """Whether sign-in is set up (an ``[auth]`` section in the secrets)."""
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file at all (Streamlit's own error): sign-in is off
        return False


def signed_in() -> bool:
    """Whether a reader has signed in (never, with sign-in off)."""
    return bool(st.user.get("is_logged_in"))  # .get: without [auth], st.user has no such attribute


def signed_in_email() -> str | None:
    """The email the reader signed in with, or None."""
    email = st.user.get("email") if signed_in() else None
    return str(email) if email else None


def gate() -> bool:
    """With sign-in on, nothing but a sign-in button until the reader has signed in; whether the page may go on."""
    if not configured() or signed_in():
        return True
    st.title("Plainsight")
    st.markdown("Sign in to see the models you may open.")
    st.button("Sign in", type="primary", on_click=st.login, key="sign_in")
    return False


def sidebar_status() -> None:
    """Who is signed in (with the way out), or that sign-in is off."""
    if not configured():
        st.sidebar.caption(
            "Sign-in is off: anyone who can open this address sees every model. The README says how to turn it on."
        )
        return
    email = signed_in_email()
    st.sidebar.caption(escape_markdown(f"Signed in as {email or 'a reader without an email'}."))
    st.sidebar.button("Sign out", key="sign_out", on_click=st.logout)


def allowed_models(names: list[str]) -> list[str]:
    """The models this reader may open: every one with sign-in off (or no access file), else the access file's.

    Raises
    ------
    AccessError
        When the access file cannot be used: then no model opens, and the page says why.
    """
    path = access_file()
    if not configured() or path is None:
        return names
    return current_rules(path).models_for(signed_in_email(), names)
