"""Closed-form oracles: a linear model's SHAP value is coef * (x - mean), on the raw columns."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from explain.bundle import load_bundle
from explain.methods.reasons import explain_shap
from tests.conftest import write_bundle


def _frame(n: int = 400, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "age": rng.integers(18, 80, n).astype(float),
            "income": rng.normal(50_000, 12_000, n).round(0),
            "plan": rng.choice(["basic", "plus", "pro"], n),
        }
    )


def test_regression_with_scaler_is_raw_slope_times_distance_from_mean(tmp_path):
    data = _frame()
    y = 3.0 * data["age"] - 0.001 * data["income"] + np.random.default_rng(1).normal(0, 1, len(data))
    model = make_pipeline(StandardScaler(), LinearRegression()).fit(data[["age", "income"]], y)
    frame = data[["age", "income"]].assign(spend=y)
    bundle = load_bundle(write_bundle(tmp_path / "b", model, frame, {"target": "spend"}), trusted=[tmp_path])

    explanation = explain_shap(bundle)

    scaler, reg = model[0], model[-1]
    slope_per_raw_unit = reg.coef_ / scaler.scale_  # undo the scaler: change in y per year, per dollar
    X = frame[["age", "income"]].to_numpy()
    expected = slope_per_raw_unit * (X - X.mean(axis=0))
    assert_allclose(explanation.values, expected, rtol=1e-9, atol=1e-9)
    assert_allclose(explanation.base_value, model.predict(frame[["age", "income"]]).mean(), rtol=1e-9)
    assert explanation.method == "linear-exact"


def test_logistic_with_one_hot_sums_each_category_block(tmp_path):
    data = _frame()
    logit = 0.05 * (data["age"] - 50) + np.where(data["plan"] == "pro", 1.0, -0.5)
    y = (np.random.default_rng(2).random(len(data)) < 1 / (1 + np.exp(-logit))).astype(int)
    prep = ColumnTransformer([("n", StandardScaler(), ["age", "income"]), ("c", OneHotEncoder(), ["plan"])])
    model = Pipeline([("prep", prep), ("lr", LogisticRegression())]).fit(data, y)
    bundle = load_bundle(write_bundle(tmp_path / "b", model, data.assign(y=y), {"target": "y"}), trusted=[tmp_path])

    explanation = explain_shap(bundle)

    Xt = prep.transform(data)
    coef = model[-1].coef_[0]
    per_encoded = coef * (Xt - Xt.mean(axis=0))
    expected_log_odds = np.column_stack([per_encoded[:, 0], per_encoded[:, 1], per_encoded[:, 2:5].sum(axis=1)])
    assert explanation.feature_names == ["age", "income", "plan"]
    assert_allclose(explanation.native_values, expected_log_odds, rtol=1e-9, atol=1e-12)
    base_log_odds = model[-1].intercept_[0] + coef @ Xt.mean(axis=0)
    assert explanation.native_base == pytest.approx(base_log_odds)

    # Points: each row's log-odds values scaled by one positive factor, adding up to the model's own chance.
    chance = model.predict_proba(data)[:, 1]
    baseline = 1 / (1 + np.exp(-base_log_odds))
    factor = (chance - baseline) / expected_log_odds.sum(axis=1)
    assert np.all(factor > 0)
    assert_allclose(explanation.values, 100 * expected_log_odds * factor[:, None], rtol=1e-9, atol=1e-9)
    assert_allclose(explanation.prediction, 100 * chance, rtol=1e-12)
    assert explanation.base_value == pytest.approx(100 * baseline)
    # Signs never flip in the conversion.
    assert np.array_equal(np.sign(explanation.values), np.sign(expected_log_odds))


def test_first_class_as_positive_negates_the_log_odds(tmp_path):
    data = _frame()
    y = np.where(data["age"] > 45, "stay", "leave")
    clf = make_pipeline(StandardScaler(), LogisticRegression()).fit(data[["age", "income"]], y)
    assert list(clf.classes_) == ["leave", "stay"]
    frame = data[["age", "income"]].assign(outcome=y)
    card = {"target": "outcome", "positive_class": "leave"}
    bundle = load_bundle(write_bundle(tmp_path / "b", clf, frame, card), trusted=[tmp_path])

    explanation = explain_shap(bundle)

    assert_allclose(explanation.prediction, 100 * clf.predict_proba(frame[["age", "income"]])[:, 0])
    Xt = clf[0].transform(frame[["age", "income"]])
    coef = clf[-1].coef_[0]
    assert_allclose(explanation.native_values, -(coef * (Xt - Xt.mean(axis=0))), rtol=1e-9, atol=1e-12)
