"""AppTest set-up for an app that uses st.navigation beside a pages/ folder."""

from __future__ import annotations

import pytest
from streamlit.runtime.pages_manager import PagesManager


@pytest.fixture(autouse=True)
def navigation_not_pages_directory(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep AppTest on the st.navigation path on every run.

    AppTest builds a fresh PagesManager per run, which sees the pages/ folder and turns on the legacy
    pages-directory mode; from the second run on, that executes the page file alone, without the frame (and so
    without the sidebar). A real server sets the flag once per process and st.navigation turns it off for good,
    which is what this reproduces.
    """
    original = PagesManager.__init__

    def init(self: PagesManager, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)  # type: ignore[arg-type]
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)
