"""The /model page ("How the model works") for a linear model, a tree model, a regressor and a multiclass model."""

from __future__ import annotations

import math

import pytest

from explain.bundle import load_bundle
from explain.words.plain_words import find_jargon
from tests.app.test_pages import _app, _text

MODEL_PAGE = "views/model.py"


def _model_page(query: dict[str, str], analyst: bool = False):
    at = _app(query, analyst=analyst)
    at.switch_page(MODEL_PAGE).run()
    assert not at.exception, at.exception
    return at


def test_linear_demo_says_each_effect_as_a_chance_for_the_stakeholder(models_env):
    at = _model_page({"model": "churn-demo-linear"})
    text = _text(at)
    bundle = load_bundle(models_env / "churn-demo-linear", trusted=[models_env])
    scaler = bundle.model.named_steps["prepare"].named_transformers_["num"].named_steps["scale"]
    per_month = bundle.model.named_steps["model"].coef_[0][0] / scaler.scale_[0]
    # The oracle: a typical customer is the model's average log-odds; a typical change moves tenure across its
    # middle half. Both chances come from the fitted model's own numbers, not from the page's code.
    base = bundle.model.decision_function(bundle.X).mean()
    low, high = bundle.X["tenure"].quantile([0.25, 0.75])
    start, after = _sigmoid(base), _sigmoid(base + per_month * (high - low))
    assert at.title[0].value == "How the model works"
    assert (
        f"Months as a customer: going from {low:.0f} months to {high:.0f} months lowers the chance to leave "
        f"from {start:.0%} to {after:.0%} for a typical customer." in text
    )
    assert "A two-year contract rather than a month-to-month contract lowers the chance to leave" in text  # phrases
    assert "odds" not in text.lower()  # odds are for the analyst
    assert "Change in the chance for a typical customer (points)" in text  # the common-scale chart
    assert "What this model was not built for" in text and "Not validated for business accounts" in text
    assert find_jargon(text) == []


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def test_linear_demo_for_the_analyst_shows_raw_coefficients_and_the_scaling_undone(models_env):
    at = _model_page({"model": "churn-demo-linear"}, analyst=True)
    table = at.dataframe[0].value
    bundle = load_bundle(models_env / "churn-demo-linear", trusted=[models_env])
    scaler = bundle.model.named_steps["prepare"].named_transformers_["num"].named_steps["scale"]
    tenure = table[table["term"] == "tenure"].iloc[0]
    assert tenure["scale undone"] == pytest.approx(scaler.scale_[0], abs=1e-6)
    assert tenure["center (encodes to 0)"] == pytest.approx(scaler.mean_[0], abs=1e-4)
    assert tenure["encoded coefficient"] == pytest.approx(bundle.model.named_steps["model"].coef_[0][0], abs=1e-6)
    assert "Intercept (on the encoded scale)" in _text(at)
    # the analyst reads odds, per unit, with what odds are
    lower = f"{(1 - math.exp(tenure['encoded coefficient'] / scaler.scale_[0])) * 100:.0f}%"
    assert f"Months as a customer: each extra month lowers the odds of leaving by {lower}." in _text(at)
    assert "The odds compare the chance to leave with the chance to stay" in _text(at)


def test_tree_demo_shows_how_the_main_facts_move_the_chance(models_env):
    at = _model_page({"model": "churn-demo"})
    text = _text(at)
    assert "How the main facts move the chance to leave" in text
    assert "Months as a customer: around " in text and "it takes off about" in text
    assert "Contract type, on average: a month-to-month contract adds about" in text  # the card's phrase
    assert len(at.get("plotly_chart")) >= 4
    assert find_jargon(text) == []


def test_tree_demo_for_the_analyst_adds_partial_dependence(models_env):
    at = _model_page({"model": "churn-demo"}, analyst=True)
    text = _text(at)
    assert "No per-unit coefficients" in text and "XGBClassifier" in text
    assert "partial dependence" in text


def test_a_regressor_reads_in_its_unit(other_models):
    at = _model_page({"model": "spend"})
    text = _text(at)
    assert "How the main facts move the expected spend" in text
    assert "$" in text
    assert find_jargon(text) == []


def test_a_card_without_limits_says_to_ask(other_models):
    at = _model_page({"model": "knn_model"})
    assert any("lists no assumptions or limits" in i.value.replace("\\", "") for i in at.info)


def test_multiclass_outcome_is_picked_in_the_sidebar_and_kept_in_the_link(plans):
    at = _app({"model": "plans"})
    picker = at.sidebar.selectbox(key="outcome_picker_plans")
    assert picker.options == [
        "Chance to have plan basic",
        "Chance to have plan plus",
        "Chance to pick the premium plan",
    ]
    assert picker.value == "premium"  # the last class, as for two-class models
    assert "chance to pick the premium plan" in _text(at)

    picker.set_value("plus").run()
    assert not at.exception
    assert at.query_params["outcome"] in (["plus"], "plus")
    assert "chance to have plan plus" in _text(at)

    at.switch_page(MODEL_PAGE).run()
    assert not at.exception
    assert at.sidebar.selectbox(key="outcome_picker_plans").value == "plus"
    assert "the chance to have plan plus" in _text(at)


def test_a_link_to_an_outcome_opens_it(plans):
    at = _app({"model": "plans", "outcome": "basic"})
    assert at.sidebar.selectbox(key="outcome_picker_plans").value == "basic"
    at = _app({"model": "plans", "outcome": "gold"})
    assert not at.exception
    assert any("no outcome 'gold'" in w.value.replace("\\", "") for w in at.warning)


def test_quality_in_plain_words_matches_scikit_learn(models_env):
    from sklearn.metrics import precision_score, roc_auc_score

    bundle = load_bundle(models_env / "churn-demo", trusted=[models_env])
    chance = bundle.model.predict_proba(bundle.X)[:, 1]
    truth = bundle.data["Churn"].to_numpy()
    precision = precision_score(truth, chance >= 0.5)
    at = _model_page({"model": "churn-demo"})
    text = _text(at)
    assert (
        f"Of every 100 customers it flags (a 50% or higher chance to leave), about {round(precision * 100)} "
        "really leave." in text
    )
    assert "The model learned from these same customers, so these figures flatter it." in text
    assert find_jargon(text) == []

    at = _model_page({"model": "churn-demo"}, analyst=True)
    metrics = dict(at.dataframe[-1].value.itertuples(index=False, name=None))
    assert metrics["ROC-AUC"] == f"{roc_auc_score(truth, chance):.3f}"
    assert metrics["Precision"] == f"{precision:.3f}"
    # 4 dependence charts, 4 partial dependence charts, then ROC, precision-recall, confusion and calibration.
    assert len(at.get("plotly_chart")) == 12


def test_regression_quality_is_the_typical_error_in_the_unit(other_models):
    at = _model_page({"model": "spend"})
    text = _text(at)
    assert "typically off by about $" in text
    assert "The model card does not say" in text or "learned from these same" in text


def test_without_the_outcome_in_the_data_the_page_says_what_it_needs(other_models):
    at = _model_page({"model": "knn_model"})
    assert any("what really happened to each case" in i.value.replace("\\", "") for i in at.info)


@pytest.mark.parametrize("page", ["views/overview.py", "views/customer.py", "views/whatif.py", "views/impact.py"])
def test_every_page_works_for_a_picked_outcome(plans, page):
    at = _app({"model": "plans", "outcome": "plus"})
    at.switch_page(page).run()
    assert not at.exception, at.exception
    text = _text(at)
    assert "premium plan" not in text.replace("Chance to pick the premium plan", "")  # the picked outcome's words
    if page != "views/impact.py":  # without business values, impact only says what it needs
        assert "have plan plus" in text
    assert find_jargon(text) == []


def test_regression_demo_model_page(models_env):
    at = _model_page({"model": "spend-demo"})
    text = _text(at)
    assert "How the main facts move the expected yearly spend" in text
    assert "Plan, on average: the premium plan adds about $" in text
    assert "Its estimates are typically off by about $" in text
    assert find_jargon(text) == []
    at = _model_page({"model": "spend-demo"}, analyst=True)
    metrics = dict(at.dataframe[-1].value.itertuples(index=False, name=None))
    assert {"MAE", "RMSE"} <= {k.split(" ")[0] for k in metrics}


def test_a_linear_regressor_reads_per_unit_in_its_unit(tmp_path, monkeypatch):
    import numpy as np
    import pandas as pd
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import Ridge
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    from tests.conftest import write_bundle

    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"visits": rng.integers(0, 30, 300), "segment": rng.choice(["retail", "online"], 300)})
    spend = 40.0 * frame["visits"] + np.where(frame["segment"] == "online", 300.0, 0.0)
    prep = ColumnTransformer([("n", StandardScaler(), ["visits"]), ("c", OneHotEncoder(), ["segment"])])
    model = Pipeline([("p", prep), ("m", Ridge(alpha=1e-6))]).fit(frame, spend)
    card = {
        "title": "Yearly spend",
        "target": "spend",
        "unit": "$",
        "features": {"visits": {"label": "Store visits", "unit": "visits"}},
    }
    write_bundle(tmp_path / "ridge", model, frame.assign(spend=spend), card)
    monkeypatch.setenv("PLAINSIGHT_MODELS_DIR", str(tmp_path))
    at = _model_page({"model": "ridge"})
    text = _text(at)
    assert "Store visits: each extra visit adds $40 to the expected spend." in text
    assert "rather than" in text and "$300" in text
    assert "Change in the expected spend" in text
    assert find_jargon(text) == []
