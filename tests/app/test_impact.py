"""The business impact page through Streamlit's AppTest: its figures, its inputs and what it says without them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from explain.bundle import load_bundle
from explain.words.numbers import round_count
from explain.words.plain_words import find_jargon

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
PAGE = "views/impact.py"


def _impact_page(query: dict[str, str] | None = None, analyst: bool = False) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    if analyst:
        at.query_params["audience"] = "analyst"
    at.run()
    return at.switch_page(PAGE).run()


def _text(at: AppTest) -> str:
    """Every word the page shows: text elements, metrics with their help, widget labels and help."""
    parts = [m.value for m in at.markdown] + [t.value for t in at.title] + [c.value for c in at.caption]
    parts += [f"{m.label} {m.value} {m.help or ''}" for m in at.metric] + [i.value for i in at.info]
    parts += [w.value for w in at.warning] + [e.value for e in at.error] + [e.label for e in at.expander]
    widgets = [*at.slider, *at.number_input, *at.text_input, *at.selectbox, *at.radio]
    parts += [f"{w.label} {w.help or ''}" for w in widgets] + [link.proto.label for link in at.get("page_link")]
    return "\n".join(str(p) for p in parts).replace("\\", "")


def _metric(at: AppTest, label: str) -> str:
    found = [m.value.replace("\\", "") for m in at.metric if m.label.replace("\\", "").startswith(label)]
    assert found, f"no metric '{label}' in {[m.label for m in at.metric]}"
    return found[0]


def test_the_page_is_in_the_navigation():
    assert f'"{PAGE}"' in Path(APP).read_text(encoding="utf-8")


def test_demo_figures_add_up_and_speak_plainly(models_env):
    bundle = load_bundle(models_env / "churn-demo", trusted=[models_env])
    chances = bundle.model.predict_proba(bundle.X)[:, 1]
    at = _impact_page({"model": "churn-demo"})

    assert not at.exception
    assert at.title[0].value == "Business impact"
    # the sum of chances, said as the sentence says it ("About 360 of your 1,500 customers are likely to leave")
    expected = _metric(at, "Expected to leave")
    assert expected == round_count(chances.sum()) and expected.startswith("about ")
    assert f"{expected.capitalize()} of your {len(chances):,} customers are likely to leave" in _text(at)
    n_high = int((chances >= bundle.card.risk_threshold).sum())
    # the default budget pays for the high-risk, written as money
    assert at.text_input(key="impact_budget_text_churn-demo").value == f"${n_high * 40:,}"
    assert _metric(at, f"Cost ({n_high:,} customers)").startswith("$")
    text = _text(at)
    assert f"of your {len(chances):,} customers are likely to leave in the next year" in text
    assert "of yearly revenue at risk" in text
    assert "This assumes one customer is worth $1,200 a year and acting on one costs $40." in text
    assert "Share of at-risk customers an offer keeps" in text
    # the answer first: money at risk, then the two counts explained, then the list of those to act on
    assert at.markdown[0].value.replace("\\", "").startswith("#### About") and "likely to leave" in text
    assert f"At high risk counts the customers whose chance is 50% or more: {n_high:,}." in text
    assert f"See the {n_high:,} customers to act on" in text
    assert find_jargon(text) == []


def test_moving_the_slider_changes_the_saving(models_env):
    at = _impact_page({"model": "churn-demo"})
    before = _metric(at, "Expected saving")
    at.slider(key="impact_success").set_value(60).run()

    assert not at.exception
    after = _metric(at, "Expected saving")
    assert after != before
    assert "keeps 6 in 10 of those who would leave" in _text(at)


def test_a_smaller_budget_acts_on_fewer(models_env):
    at = _impact_page({"model": "churn-demo"})
    at.text_input(key="impact_budget_text_churn-demo").input("4,000").run()

    assert not at.exception
    assert _metric(at, "Cost (100 customers)") == "$4,000"
    assert "Acting on the 100 customers most at risk would cost $4,000." in _text(at)
    assert at.text_input(key="impact_budget_text_churn-demo").value == "$4,000"  # said back as money
    assert at.query_params["budget"] == "4000"  # and kept in the link
    assert "See the 100 customers to act on" in _text(at)


def test_a_budget_that_is_not_money_is_named_and_the_old_one_stays(models_env):
    at = _impact_page({"model": "churn-demo"})
    before = at.text_input(key="impact_budget_text_churn-demo").value
    at.text_input(key="impact_budget_text_churn-demo").input("lots").run()

    assert not at.exception
    assert "'lots' is not an amount of money; the budget stays as it was." in _text(at)
    assert at.text_input(key="impact_budget_text_churn-demo").value == before


def test_the_analyst_sees_who_is_acted_on(models_env):
    at = _impact_page({"model": "churn-demo"}, analyst=True)
    assert not at.exception
    frame = at.dataframe[0].value
    assert list(frame.columns) == ["customerID", "chance", "value at risk (USD)"]
    assert list(frame["chance"]) == sorted(frame["chance"], reverse=True)


@pytest.fixture
def no_business(demo_dir, tmp_path, monkeypatch):
    """The demo bundle with a card that has no business section."""
    folder = shutil.copytree(demo_dir / "churn-demo", tmp_path / "churn-demo")
    card = yaml.safe_load((folder / "card.yaml").read_text(encoding="utf-8"))
    card.pop("business")
    (folder / "card.yaml").write_text(yaml.safe_dump(card), encoding="utf-8")
    monkeypatch.setenv("PLAINSIGHT_MODELS_DIR", str(tmp_path))
    return folder


def test_a_card_without_business_says_what_the_page_needs(no_business):
    at = _impact_page({"model": "churn-demo"})

    assert not at.exception
    text = _text(at)
    assert "this page needs to know what a customer is worth" in text
    assert "Add a business: section to card.yaml" in text
    assert "value_per_entity: 1200" in at.code[0].value
    assert not at.metric and not at.slider
    assert find_jargon(text) == []


def test_a_regressor_is_told_plainly_the_page_is_for_chances(tmp_path, monkeypatch):
    import numpy as np
    import pandas as pd
    from sklearn.linear_model import LinearRegression

    from tests.conftest import write_bundle

    frame = pd.DataFrame({"visits": np.arange(50, dtype=float)})
    card = {"title": "Yearly spend", "target": "spend", "business": {"value_per_entity": 100}}
    write_bundle(tmp_path / "spend", LinearRegression().fit(frame, frame["visits"] * 3), frame.assign(spend=1), card)
    monkeypatch.setenv("PLAINSIGHT_MODELS_DIR", str(tmp_path))
    at = _impact_page({"model": "spend"})

    assert not at.exception
    text = _text(at)
    assert "This page is for models that predict a chance" in text
    assert "predicts the expected spend" in text
    assert not at.metric
    assert find_jargon(text) == []
