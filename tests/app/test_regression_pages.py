"""Every page for the regression demo (spend-demo) through AppTest, for both audiences: dollars, plain words."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from explain.bundle import load_bundle
from explain.words.numbers import format_money
from explain.words.plain_words import find_jargon
from tests.app.test_pages import _text

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
PAGES = ["views/overview.py", "views/customer.py", "views/whatif.py", "views/impact.py"]
MODEL = "spend-demo"


@pytest.fixture
def spend(models_env):
    bundle = load_bundle(models_env / MODEL, trusted=[models_env])
    ids = pd.read_csv(models_env / MODEL / "data.csv", dtype={"customerID": str})["customerID"]
    return bundle, ids


def _page(page: str, *, analyst: bool = False, customer: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["model"] = MODEL
    if customer is not None:
        at.query_params["customer"] = customer
    if analyst:
        at.query_params["audience"] = "analyst"
    at.run()
    return at.switch_page(page).run()


def _dollars(value: float) -> str:
    return f"${round(value):,}"


def _markdown(at: AppTest) -> list[str]:
    return [m.value.replace("\\", "") for m in at.markdown]


@pytest.mark.parametrize("analyst", [False, True], ids=["stakeholder", "analyst"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_opens_for_the_regressor(spend, page, analyst):
    at = _page(page, analyst=analyst)
    assert not at.exception
    text = _text(at)
    assert "$" in text
    for word in ("chance", "risk to leave", "points"):
        if page != "views/impact.py":  # the impact page says why it adds up amounts instead of pricing a chance
            assert word not in text, word
    if not analyst:
        assert find_jargon(text) == [], text
    elif page != "views/whatif.py":  # the what-if page is the same for both
        assert any("Analyst detail" in e.label for e in at.expander)


def test_overview_speaks_in_dollars(spend):
    bundle, _ = spend
    at = _page("views/overview.py")
    own = bundle.model.predict(bundle.X)
    text = _text(at)
    assert f"the model expects a yearly spend of {_dollars(own.mean())} on average" in text
    assert "What moves the expected yearly spend most is plan" in text
    metrics = {m.label.replace("\\", ""): m.value.replace("\\", "") for m in at.metric}
    assert metrics["Average expected yearly spend"] == _dollars(own.mean())
    assert metrics["From lowest to highest"] == f"{_dollars(own.min())} to {_dollars(own.max())}"
    assert "Average effect on the expected yearly spend ($)" in text


def test_customer_page_reads_the_expected_spend_and_reasons_in_dollars(spend):
    bundle, ids = spend
    row = int(np.argmax(bundle.predict(bundle.X)))
    at = _page("views/customer.py", customer=ids[row])
    assert not at.exception
    predicted = float(bundle.model.predict(bundle.X.iloc[[row]])[0])
    assert at.metric[0].label == "Expected yearly spend" and at.metric[0].value.replace("\\", "") == _dollars(predicted)
    text = " ".join(_markdown(at))
    assert f"Expected yearly spend: {_dollars(predicted)}. That is $" in text
    assert "more than for a typical customer ($" in text
    assert "which adds $" in text
    assert "moves the expected yearly spend, in dollars" in _text(at)


def test_customer_analyst_table_is_in_dollars(spend):
    _, ids = spend
    at = _page("views/customer.py", analyst=True, customer=ids[5])
    frame = at.dataframe[0].value
    assert {"SHAP ($)", "LIME ($)"} <= set(frame.columns)
    text = _text(at)
    assert "Units: the model's own output, $, with no conversion" in text.replace("\\", "")
    assert "rounded by largest remainder" in text


def test_what_if_moves_the_expected_spend_in_dollars(spend):
    bundle, ids = spend
    row = int(np.argsort(bundle.predict(bundle.X))[len(bundle.X) // 2])
    at = _page("views/whatif.py", customer=ids[row])
    prefix = f"whatif:{MODEL}:{ids[row]}:"
    before = float(bundle.model.predict(bundle.X.iloc[[row]])[0])
    assert at.metric[0].label == "Expected yearly spend" and at.metric[0].value.replace("\\", "") == _dollars(before)

    at.slider(key=prefix + "StoreVisits").set_value(40).run()
    assert not at.exception
    after = float(bundle.model.predict(bundle.X.iloc[[row]].assign(StoreVisits=40.0))[0])
    assert at.metric[0].value.replace("\\", "") == _dollars(after)
    assert at.metric[0].delta == f"+${round(after) - round(before):,}"
    sentence = (
        f"Changing store visits a year to 40 visits raises the expected yearly spend "
        f"from {_dollars(before)} to {_dollars(after)}."
    )
    assert sentence in _markdown(at)
    assert find_jargon(_text(at)) == []


def test_what_would_it_take_finds_a_dollar_target(spend):
    bundle, ids = spend
    row = int(np.argsort(bundle.predict(bundle.X))[len(bundle.X) // 4])
    at = _page("views/whatif.py", customer=ids[row])
    prefix = f"whatif:{MODEL}:{ids[row]}:"
    current = float(bundle.model.predict(bundle.X.iloc[[row]])[0])
    target = at.number_input(key=prefix + "target")
    assert target.label.replace("\\", "") == "Target expected yearly spend (dollars)" and target.value > current
    at.number_input(key=prefix + "target").set_value(round(current) + 300).run()
    at.button(key=prefix + "find").click().run()
    assert not at.exception
    lines = [m for m in _markdown(at) if m.startswith("Changing ")]
    assert lines
    amounts = [int(line.rsplit(" to $", 1)[1].rstrip(".").replace(",", "")) for line in lines]
    assert all(a >= round(current) + 300 for a in amounts)
    assert all("household size" not in line and "region" not in line for line in lines)

    at.button(key=prefix + "try0").click().run()  # the first suggestion goes into the controls
    assert not at.exception
    assert at.metric[0].value.replace("\\", "") == f"${amounts[0]:,}"


def test_impact_page_adds_up_the_expected_spend(spend):
    bundle, _ = spend
    at = _page("views/impact.py")
    own = bundle.model.predict(bundle.X).astype(float)
    text = _text(at)
    assert "not a chance" in text and "this page adds up the amounts instead" in text
    assert f"Added up over your {len(own):,} customers, the expected yearly spend is" in text
    metrics = {m.label.replace("\\", ""): m.value.replace("\\", "") for m in at.metric}
    assert metrics["Expected yearly spend, added up"] == format_money(own.sum(), "$")
    assert metrics["Average per customer"] == _dollars(own.mean())
    top = np.sort(own)[::-1][: int(np.ceil(len(own) / 10))].sum() / own.sum()
    assert metrics["Share from the top tenth of customers"] == f"{round(top * 100)}%"
    assert not at.slider and not at.number_input  # nothing to set: no chance, no offer, no budget
    assert find_jargon(text) == []


def test_impact_page_for_the_analyst_lists_the_highest_amounts(spend):
    bundle, ids = spend
    at = _page("views/impact.py", analyst=True)
    assert not at.exception
    table = at.dataframe[0].value
    own = bundle.model.predict(bundle.X)
    assert table["customerID"].iloc[0] == ids[int(np.argmax(own))]
    assert table["prediction ($)"].iloc[0] == pytest.approx(own.max(), abs=0.01)
