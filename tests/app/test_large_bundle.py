"""A bundle with more rows than a whole-population view explains, through AppTest: the overview and the model
page say their drivers and charts come from a sample of N of M, while the counts, the list and the customer search
cover every row. The row limit is lowered (3,000 rows, 400 explained), not a million rows in a test."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from explain.bundle import load_bundle
from tests.app.test_pages import _text
from tests.explain.test_large_bundle import LIMIT, ROWS, write_large

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
NAME = "churn-large-app"
SAID = (
    f"You have {ROWS:,} customers, too many to go through one by one. So what drives the model was worked out from "
    f"{LIMIT} of them, picked at random. The counts and the list use every one of them."
)


@pytest.fixture
def large(tmp_path, demo_dir, monkeypatch):
    folder = write_large(tmp_path, demo_dir, name=NAME, seed=11)  # its own data: its own fingerprint and caches
    monkeypatch.setenv("PLAINSIGHT_MODELS_DIR", str(tmp_path))
    monkeypatch.setenv("PLAINSIGHT_POPULATION_ROWS", str(LIMIT))
    return load_bundle(folder, trusted=[tmp_path])


def _page(page: str | None = None, **query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"model": NAME, **query})
    at.run()
    if page is not None:
        at.switch_page(page).run()
    assert not at.exception
    return at


def test_the_overview_says_its_drivers_come_from_a_sample_and_counts_everyone(large):
    at = _page()
    text = _text(at)
    assert SAID in text
    n_high = int((large.outputs >= 0.5).sum())
    shown = {m.label: m.value.replace("\\", "") for m in at.metric}  # the page escapes text for Markdown
    assert shown["Customers"] == f"{ROWS:,}"
    assert any(label.startswith("At high risk") and value.startswith(f"{n_high:,} (") for label, value in shown.items())
    assert f"See the {n_high:,} customers at high risk" in text


def test_the_model_page_says_its_charts_come_from_the_sample(large):
    at = _page("views/model.py")
    assert SAID in [c.value.replace("\\", "") for c in at.caption]


def test_the_list_holds_everyone_and_a_customer_is_found_by_id(large):
    at = _page("views/customers.py")
    assert f"All {ROWS:,} customers, highest chance to leave first." in _text(at)

    last = large.ids[-1]
    at = _page("views/customer.py")
    at.text_input(key=f"customer_search_{NAME}").input(last).run()
    assert not at.exception
    assert at.query_params["customer"] == last and last in at.title[0].value.replace("\\", "")
