"""Per-unit effects of linear models: oracles from the fitted pipeline's own attributes."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import Lasso, LinearRegression, LogisticRegression, Ridge
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler, OneHotEncoder, RobustScaler, SplineTransformer, StandardScaler

from explain.analyses.coefficients import CATEGORY, NUMBER, LinearEffects, linear_effects
from explain.bundle import load_bundle
from explain.errors import NotAvailable
from explain.words.coefficients import coefficients_table, effect_sentence, odds_words, one_unit
from explain.words.grammar import gerund
from explain.words.plain_words import find_jargon
from tests.conftest import write_bundle


def _frame(n: int = 400, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "tenure": rng.integers(0, 72, n),
            "bill": np.round(rng.uniform(20, 120, n), 2),
            "plan": rng.choice(["basic", "plus", "premium"], n, p=[0.5, 0.3, 0.2]),
        }
    )
    frame.loc[rng.random(n) < 0.05, "bill"] = np.nan
    return frame


def _prep(scaler: object) -> ColumnTransformer:
    numbers = Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", scaler)])
    return ColumnTransformer([("num", numbers, ["tenure", "bill"]), ("cat", OneHotEncoder(), ["plan"])])


def _by_term(result: LinearEffects) -> dict[str, float]:
    return {e.term: e.coefficient for e in result.effects}


@pytest.fixture
def churn_like(tmp_path):
    frame = _frame()
    logit = -1 - 0.04 * frame["tenure"] + 0.02 * frame["bill"].fillna(70) + (frame["plan"] == "premium") * 0.8
    y = (np.random.default_rng(1).random(len(frame)) < 1 / (1 + np.exp(-logit))).astype(int)
    model = Pipeline([("prep", _prep(StandardScaler())), ("model", LogisticRegression(max_iter=2000))]).fit(frame, y)
    card = {
        "target": "left",
        "outcome": {"positive": "leave", "negative": "stay"},
        "features": {"tenure": {"label": "Months as a customer", "unit": "months"}, "bill": {"unit": "$"}},
    }
    write_bundle(tmp_path / "b", model, frame.assign(left=y), card)
    return load_bundle(tmp_path / "b", trusted=[tmp_path]), model


def test_odds_ratio_per_raw_unit_is_exp_coefficient_over_scale(churn_like):
    bundle, model = churn_like
    result = linear_effects(bundle)
    assert isinstance(result, LinearEffects)
    scaler = model.named_steps["prep"].named_transformers_["num"].named_steps["scale"]
    coef = model.named_steps["model"].coef_[0]
    records = {r["term"]: r for r in coefficients_table(result, bundle.card)}
    for i, column in enumerate(["tenure", "bill"]):
        assert records[column]["coefficient"] == pytest.approx(coef[i] / scaler.scale_[i], rel=1e-9)
        assert records[column]["odds_ratio"] == pytest.approx(math.exp(coef[i] / scaler.scale_[i]), rel=1e-9)
        assert records[column]["scale"] == pytest.approx(scaler.scale_[i], rel=1e-9)
        assert records[column]["center"] == pytest.approx(scaler.mean_[i], rel=1e-9)
        assert records[column]["encoded_coefficient"] == pytest.approx(coef[i], rel=1e-12)
    assert records["tenure"]["per"] == "1 month"
    assert records["bill"]["per"] == "$1"


def test_category_effects_are_differences_of_one_hot_coefficients_against_the_most_common(churn_like):
    bundle, model = churn_like
    result = linear_effects(bundle)
    assert isinstance(result, LinearEffects)
    coef = dict(zip(model[:-1].get_feature_names_out(), model.named_steps["model"].coef_[0], strict=True))
    plans = [e for e in result.effects if e.feature == "plan"]
    assert {e.reference for e in plans} == {"basic"}  # the most common value
    assert {e.term for e in plans} == {"plus", "premium"}
    for e in plans:
        assert e.kind == CATEGORY
        assert e.coefficient == pytest.approx(coef[f"cat__plan_{e.term}"] - coef["cat__plan_basic"], rel=1e-9)


@pytest.mark.parametrize("scaler", [MinMaxScaler(), RobustScaler(), "passthrough"])
def test_any_affine_scaling_is_undone(tmp_path, scaler):
    frame = _frame()
    # Missing bills filled with the median, as the imputer does, so the data lie exactly on the model.
    y = (
        3.0 * frame["tenure"]
        - 1.5 * frame["bill"].fillna(frame["bill"].median())
        + np.where(frame["plan"] == "plus", 40.0, 0.0)
    )
    model = Pipeline([("prep", _prep(scaler)), ("model", LinearRegression())]).fit(frame, y)
    write_bundle(tmp_path / "r", model, frame.assign(y=y), {"target": "y", "unit": "$"})
    result = linear_effects(load_bundle(tmp_path / "r", trusted=[tmp_path]))
    assert isinstance(result, LinearEffects)
    terms = _by_term(result)
    # The data are exactly linear, so the fitted per-unit effects are the generating ones.
    assert terms["tenure"] == pytest.approx(3.0, rel=1e-6)
    assert terms["bill"] == pytest.approx(-1.5, rel=1e-6)
    assert terms["plus"] == pytest.approx(40.0, rel=1e-6)
    assert terms["premium"] == pytest.approx(0.0, abs=1e-6)


@pytest.mark.parametrize("estimator", [Ridge(alpha=1.0), Lasso(alpha=0.01, max_iter=20000)])
def test_regularised_regressors_in_raw_units_match_coef_over_scale(tmp_path, estimator):
    frame = _frame()
    y = 2.0 * frame["tenure"] + frame["bill"].fillna(70) + np.random.default_rng(2).normal(0, 5, len(frame))
    model = Pipeline([("prep", _prep(StandardScaler())), ("model", estimator)]).fit(frame, y)
    write_bundle(tmp_path / "r", model, frame.assign(y=y), {"target": "y"})
    result = linear_effects(load_bundle(tmp_path / "r", trusted=[tmp_path]))
    assert isinstance(result, LinearEffects)
    scaler = model.named_steps["prep"].named_transformers_["num"].named_steps["scale"]
    coef = model.named_steps["model"].coef_
    assert _by_term(result)["tenure"] == pytest.approx(coef[0] / scaler.scale_[0], rel=1e-9)
    assert _by_term(result)["bill"] == pytest.approx(coef[1] / scaler.scale_[1], rel=1e-9)
    assert "odds_ratio" not in coefficients_table(result, load_bundle(tmp_path / "r", trusted=[tmp_path]).card)[0]


def test_the_demo_linear_twin(demo_dir):
    bundle = load_bundle(demo_dir / "churn-demo-linear", trusted=[demo_dir])
    result = linear_effects(bundle)
    assert isinstance(result, LinearEffects)
    pipeline = bundle.model
    scaler = pipeline.named_steps["prepare"].named_transformers_["num"].named_steps["scale"]
    coef = pipeline.named_steps["model"].coef_[0]
    terms = _by_term(result)
    for i, column in enumerate(["tenure", "MonthlyCharges", "SupportCalls"]):
        assert math.exp(terms[column]) == pytest.approx(math.exp(coef[i] / scaler.scale_[i]), rel=1e-9)
    # The generating effects (models/README.md): longer tenure and longer contracts lower the odds of leaving.
    assert terms["tenure"] < 0 and terms["Two year"] < terms["One year"] < 0
    sentences = [effect_sentence(e, bundle.card, classifier=True) for e in result.effects]
    lower = f"{(1 - math.exp(coef[0] / scaler.scale_[0])) * 100:.0f}%"
    assert f"Months as a customer: each extra month lowers the odds of leaving by {lower}." in sentences
    assert not [s for s in sentences if find_jargon(s)]
    # Largest typical effect first.
    sizes = [abs(e.typical_effect) for e in result.effects]
    assert sizes == sorted(sizes, reverse=True)


def test_positive_class_first_flips_the_sign(tmp_path):
    frame = _frame()
    y = np.where(frame["tenure"] + np.random.default_rng(3).normal(0, 10, len(frame)) > 36, "stay", "leave")
    model = Pipeline([("prep", _prep(StandardScaler())), ("model", LogisticRegression())]).fit(frame, y)
    write_bundle(tmp_path / "b", model, frame.assign(y=y), {"target": "y", "positive_class": "leave"})
    bundle = load_bundle(tmp_path / "b", trusted=[tmp_path])
    assert bundle.class_index == 0
    result = linear_effects(bundle)
    assert isinstance(result, LinearEffects)
    scaler = model.named_steps["prep"].named_transformers_["num"].named_steps["scale"]
    assert _by_term(result)["tenure"] == pytest.approx(-model.named_steps["model"].coef_[0][0] / scaler.scale_[0])
    assert _by_term(result)["tenure"] < 0  # more months: lower odds of leaving


def test_models_that_are_not_straight_lines_say_why(tmp_path, demo_dir):
    xgb = linear_effects(load_bundle(demo_dir / "churn-demo", trusted=[demo_dir]))
    assert isinstance(xgb, NotAvailable) and "XGBClassifier" in xgb.reason

    frame = _frame()
    y = np.sin(frame["tenure"] / 10.0)
    prep = ColumnTransformer([("s", SplineTransformer(), ["tenure"])], remainder="drop")
    model = Pipeline([("prep", prep), ("model", Ridge())]).fit(frame[["tenure"]], y)
    write_bundle(tmp_path / "s", model, frame[["tenure"]].assign(y=y), {"target": "y"})
    spline = linear_effects(load_bundle(tmp_path / "s", trusted=[tmp_path]))
    assert isinstance(spline, NotAvailable) and "tenure" in spline.reason


def test_numbers_encoded_as_categories_get_one_effect_per_value(tmp_path):
    frame = _frame()
    frame["calls"] = np.random.default_rng(4).integers(0, 3, len(frame))
    y = np.where(frame["calls"] == 1, 10.0, 0.0) + np.where(frame["calls"] == 2, -5.0, 0.0) + frame["tenure"]
    prep = ColumnTransformer([("n", "passthrough", ["tenure"]), ("c", OneHotEncoder(), ["calls"])])
    model = Pipeline([("prep", prep), ("model", LinearRegression())]).fit(frame[["tenure", "calls"]], y)
    write_bundle(tmp_path / "c", model, frame[["tenure", "calls"]].assign(y=y), {"target": "y"})
    result = linear_effects(load_bundle(tmp_path / "c", trusted=[tmp_path]))
    assert isinstance(result, LinearEffects)
    calls = {e.term: e for e in result.effects if e.feature == "calls"}
    reference = next(iter(calls.values())).reference
    expected = {"0": 0.0, "1": 10.0, "2": -5.0}
    for term, effect in calls.items():
        assert effect.kind == CATEGORY
        assert effect.coefficient == pytest.approx(expected[term] - expected[str(reference)], abs=1e-6)
    assert {e.kind for e in result.effects if e.feature == "tenure"} == {NUMBER}


def test_words(churn_like):
    bundle, _ = churn_like
    card = bundle.card
    assert gerund("leave") == "leaving" and gerund("buy the plan") == "buying the plan" and gerund("die") == "dying"
    assert odds_words(math.log(0.97), card) == "lowers the odds of leaving by 3%"
    assert odds_words(math.log(1.45), card) == "raises the odds of leaving by 45%"
    assert odds_words(math.log(2.5), card) == "makes the odds of leaving 2.5 times as high"
    assert odds_words(0.0, card) == "barely changes the odds of leaving"
    assert one_unit("$") == "$1" and one_unit("months") == "1 month" and one_unit(None) == "1"
