"""Who to act on (`/customers`) through AppTest: the list the link asks for, each row opening that customer, the
controls writing the link, plain words, and a filter that cannot be used named without a traceback."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs

import numpy as np
import pytest
import textstat
from streamlit.testing.v1 import AppTest

from explain.bundle import load_bundle
from explain.words.numbers import format_chance
from explain.words.plain_words import find_jargon
from tests.app.test_pages import _text

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
PAGE = "views/customers.py"
MAX_GRADE = 8.0


@pytest.fixture
def churn(models_env):
    return load_bundle(models_env / "churn-demo", trusted=[models_env])


def _list(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"model": "churn-demo", **query})
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception
    return at


def _rows(at: AppTest) -> list[str]:
    """The customer ids the page lists, in order (each is a link to that customer)."""
    found = []
    for link in at.get("page_link"):
        ask = parse_qs(link.proto.query_string)
        if link.proto.page.endswith("customer") and "customer" in ask and not link.proto.label.startswith("Customer"):
            found.append(ask["customer"][0])
    return found


def test_everyone_is_listed_riskiest_first_each_row_opening_that_customer(churn):
    at = _list()
    chances = churn.outputs
    riskiest = [churn.ids[i] for i in np.argsort(-chances, kind="stable")[:25]]
    assert at.title[0].value == "Who to act on"
    assert _rows(at) == riskiest  # 25 to a page
    text = _text(at)
    assert f"All {len(chances):,} customers, highest chance to leave first." in text
    first = at.markdown[5].value.replace("\\", "")  # after the intro and the four headings
    assert first == format_chance(chances.max())
    assert "Value at risk" in text and "Main reason" in text
    # the row's link keeps the reader's context (the model) and adds the customer
    assert all(parse_qs(link.proto.query_string).get("model") == ["churn-demo"] for link in at.get("page_link"))


def test_the_page_reads_plainly(churn):
    at = _list(where="__output__~at least~50")
    text = _text(at)
    assert find_jargon(text) == [], text
    intro = at.markdown[0].value.replace("\\", "")
    assert textstat.flesch_kincaid_grade(intro) <= MAX_GRADE


def test_the_overviews_high_risk_link_opens_the_list_already_filtered(churn):
    overview = AppTest.from_file(APP, default_timeout=120)
    overview.query_params["model"] = "churn-demo"
    overview.run()
    link = next(lk.proto for lk in overview.get("page_link") if "at high risk" in lk.proto.label)
    asked = {k: v[0] for k, v in parse_qs(link.query_string).items()}
    at = _list(**asked)
    n_high = int((churn.outputs >= 0.5).sum())
    assert f"{n_high:,} of your {len(churn.X):,} customers, highest chance to leave first." in _text(at)
    assert at.button(key="filter_drop_0").label.replace("\\", "").startswith("Chance to leave at least 50%")
    at.button(key="filter_clear").click().run()  # "Show everyone"
    assert "where" not in at.query_params
    assert f"All {len(churn.X):,} customers" in _text(at)


def test_search_sort_and_a_filter_each_write_the_link(churn):
    at = _list()
    target = churn.ids[7]
    at.text_input(key="list_search").input(target[2:7].lower()).run()
    assert at.query_params["q"] == target[2:7].lower()
    assert target in _rows(at)

    at = _list()
    at.selectbox(key="list_sort").set_value("tenure").run()
    at.toggle(key="list_descending").set_value(False).run()
    assert at.query_params["sort"] == "+tenure"
    shown = [int(churn.X["tenure"].iloc[churn.ids.index(i)]) for i in _rows(at)]
    assert shown == sorted(shown) and shown[0] == churn.X["tenure"].min()

    at = _list()
    at.selectbox(key="filter_column").set_value("Contract").run()
    at.selectbox(key="filter_value_Contract").set_value("Two year").run()
    at.button(key="filter_add").click().run()
    assert at.query_params["where"] == "Contract~is~Two year"
    assert all(churn.X["Contract"].iloc[churn.ids.index(i)] == "Two year" for i in _rows(at))


def test_the_second_page_shows_the_next_customers(churn):
    at = _list()
    first = _rows(at)
    key = next(k for k in at.session_state.keys() if k.startswith("list_page_"))
    at.session_state[key] = 2
    at.run()
    order = [churn.ids[i] for i in np.argsort(-churn.outputs, kind="stable")]
    assert _rows(at) == order[25:50] and not set(first) & set(_rows(at))


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("nope~is~1", "There is no column 'nope' to filter on"),
        ("Contract~at least~3", "'Contract' holds categories; it takes 'is' or 'is not', not 'at least'."),
        ("tenure~at most~lots", "'tenure' takes a number to compare with, not 'lots'."),
    ],
)
def test_a_filter_in_the_link_that_cannot_be_used_is_named(churn, where, message):
    at = _list(where=where)
    assert message in _text(at)
    assert not _rows(at)


def test_the_list_for_a_regressor_a_card_less_model_and_three_outcomes(other_models, plans, monkeypatch):
    monkeypatch.setenv("PLAINSIGHT_MODELS_DIR", f"{plans.parent}")
    for model, expected in (("spend", "highest expected spend first"), ("knn_model", "highest chance to get a yes"),
                            ("plans", "highest chance to pick the premium plan first")):  # fmt: skip
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params.update({"model": model} | ({"outcome": "premium"} if model == "plans" else {}))
        at.run()
        at.switch_page(PAGE).run()
        assert not at.exception, model
        text = _text(at)
        assert expected in text, text
        assert len(_rows(at)) == 25 and "Value at risk" not in text  # no money in these cards
        assert find_jargon(text) == [], text
