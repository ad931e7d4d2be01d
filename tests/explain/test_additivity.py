"""On every model kind: contributions in raw columns add up to the model's own prediction."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shap
import xgboost as xgb
from numpy.testing import assert_allclose
from sklearn.compose import ColumnTransformer
from sklearn.decomposition import PCA
from sklearn.ensemble import (
    ExtraTreesRegressor,
    GradientBoostingClassifier,
    HistGradientBoostingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from explain.bundle import load_bundle
from explain.methods.reasons import explain_shap
from tests.conftest import write_bundle

NUMS, CATS = ["tenure", "bill"], ["contract", "region"]


def _data(n: int = 300, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "tenure": rng.integers(0, 72, n).astype(float),
            "bill": rng.normal(70, 20, n).round(2),
            "contract": rng.choice(["monthly", "yearly", "two-year"], n),
            "region": rng.choice(["north", "south"], n),
        }
    )
    frame.loc[rng.random(n) < 0.05, "bill"] = np.nan
    logit = -0.04 * frame["tenure"] + np.where(frame["contract"] == "monthly", 1.2, -0.8) + 0.3
    label = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    value = 10 * frame["tenure"] + frame["bill"].fillna(70) * 3 + np.where(frame["region"] == "north", 50, 0)
    return frame, label, value.to_numpy()


def _prep(scale: bool = False) -> ColumnTransformer:
    nums = [("impute", SimpleImputer(strategy="median"))] + ([("scale", StandardScaler())] if scale else [])
    return ColumnTransformer([("num", Pipeline(nums), NUMS), ("cat", OneHotEncoder(handle_unknown="ignore"), CATS)])


PIPELINES = {
    "xgb-classifier": (
        lambda: Pipeline([("p", _prep()), ("m", xgb.XGBClassifier(n_estimators=40, max_depth=3))]),
        "classification",
        "xgboost-tree-exact",
    ),
    "xgb-regressor": (
        lambda: Pipeline([("p", _prep()), ("m", xgb.XGBRegressor(n_estimators=40, max_depth=3))]),
        "regression",
        "xgboost-tree-exact",
    ),
    "random-forest-classifier": (
        lambda: Pipeline([("p", _prep()), ("m", RandomForestClassifier(20, max_depth=5, random_state=0))]),
        "classification",
        "tree-shap-exact",
    ),
    "gradient-boosting-classifier": (
        lambda: Pipeline([("p", _prep()), ("m", GradientBoostingClassifier(n_estimators=30, random_state=0))]),
        "classification",
        "tree-shap-exact",
    ),
    "hist-gradient-boosting-regressor": (
        lambda: Pipeline([("p", _prep()), ("m", HistGradientBoostingRegressor(max_iter=30))]),
        "regression",
        "hist-gradient-boosting-exact",
    ),
    "extra-trees-regressor": (
        lambda: Pipeline([("p", _prep()), ("m", ExtraTreesRegressor(20, max_depth=5, random_state=0))]),
        "regression",
        "tree-shap-exact",
    ),
    "logistic": (
        lambda: Pipeline([("p", _prep(scale=True)), ("m", LogisticRegression())]),
        "classification",
        "linear-exact",
    ),
    "ridge": (lambda: Pipeline([("p", _prep(scale=True)), ("m", Ridge())]), "regression", "linear-exact"),
    "knn-classifier (no exact method)": (
        lambda: Pipeline([("p", _prep(scale=True)), ("m", KNeighborsClassifier(15))]),
        "classification",
        "permutation-sampling",
    ),
    "pca-mixes-columns": (
        lambda: Pipeline([("p", _prep(scale=True)), ("pca", PCA(4)), ("m", LogisticRegression())]),
        "classification",
        "permutation-sampling",
    ),
}


@pytest.mark.parametrize("name", list(PIPELINES))
def test_pipelines_add_up_to_the_models_own_prediction(name, tmp_path):
    make, task, method = PIPELINES[name]
    frame, label, value = _data()
    y = label if task == "classification" else value
    model = make().fit(frame, y)
    bundle = load_bundle(write_bundle(tmp_path / "b", model, frame.assign(y=y), {"target": "y"}), trusted=[tmp_path])

    rows = list(range(40))
    explanation = explain_shap(bundle, rows)

    assert explanation.method == method
    assert explanation.feature_names == NUMS + CATS
    assert explanation.values.shape == (40, 4)
    X = frame.iloc[rows]
    own = model.predict_proba(X).astype(float)[:, 1] * 100 if task == "classification" else model.predict(X)
    assert_allclose(explanation.prediction, own, rtol=1e-12)
    assert explanation.additivity_gap() < 0.01
    assert explanation.output.name == ("points" if task == "classification" else "y")


BARE = {
    "xgb-classifier": (lambda: xgb.XGBClassifier(n_estimators=30, max_depth=3), "classification", "xgboost-tree-exact"),
    "random-forest-regressor": (lambda: RandomForestRegressor(20, random_state=0), "regression", "tree-shap-exact"),
    "logistic": (lambda: LogisticRegression(max_iter=1000), "classification", "linear-exact"),
}


@pytest.mark.parametrize("name", list(BARE))
def test_bare_estimators_on_numeric_columns_add_up(name, tmp_path):
    make, task, method = BARE[name]
    frame, label, value = _data()
    X = frame[["tenure"]].assign(bill=frame["bill"].fillna(70))
    y = label if task == "classification" else value
    model = make().fit(X, y)
    bundle = load_bundle(write_bundle(tmp_path / "b", model, X.assign(y=y), {"target": "y"}), trusted=[tmp_path])

    explanation = explain_shap(bundle)

    assert explanation.method == method
    own = model.predict_proba(X)[:, 1] * 100 if task == "classification" else model.predict(X)
    assert_allclose(explanation.prediction, own, rtol=1e-6)
    assert explanation.additivity_gap() < 0.01


def test_xgboost_one_hot_columns_are_summed_to_their_source(tmp_path):
    frame, label, _ = _data()
    model = Pipeline([("p", _prep()), ("m", xgb.XGBClassifier(n_estimators=40, max_depth=3))]).fit(frame, label)
    bundle = load_bundle(
        write_bundle(tmp_path / "b", model, frame.assign(y=label), {"target": "y"}), trusted=[tmp_path]
    )

    explanation = explain_shap(bundle)

    names = list(model[0].get_feature_names_out())
    contribs = model[-1].get_booster().predict(xgb.DMatrix(model[0].transform(frame)), pred_contribs=True)[:, :-1]
    for j, raw in enumerate(NUMS + CATS):
        block = [
            i for i, n in enumerate(names) if n.split("__", 1)[1] == raw or n.split("__", 1)[1].startswith(raw + "_")
        ]
        assert_allclose(explanation.native_values[:, j], contribs[:, block].sum(axis=1), rtol=1e-5, atol=1e-5)


def test_random_forest_matches_shap_tree_explainer_in_points(tmp_path):
    frame, label, _ = _data()
    model = Pipeline([("p", _prep()), ("m", RandomForestClassifier(15, max_depth=4, random_state=0))]).fit(frame, label)
    bundle = load_bundle(
        write_bundle(tmp_path / "b", model, frame.assign(y=label), {"target": "y"}), trusted=[tmp_path]
    )

    explanation = explain_shap(bundle, [0, 1, 2])

    # A forest explains the chance itself: no conversion, just the positive class's values grouped, in points.
    encoded = np.asarray(shap.TreeExplainer(model[-1]).shap_values(model[0].transform(frame.iloc[:3])))[:, :, 1]
    grouped = np.column_stack([encoded[:, 0], encoded[:, 1], encoded[:, 2:5].sum(1), encoded[:, 5:7].sum(1)])
    assert_allclose(explanation.values, 100 * grouped, rtol=1e-9, atol=1e-9)
    assert explanation.native_values is None


def test_sampling_fallback_is_reproducible_and_reports_progress(tmp_path):
    frame, label, _ = _data()
    model = Pipeline([("p", _prep(scale=True)), ("m", KNeighborsClassifier(15))]).fit(frame, label)
    bundle = load_bundle(
        write_bundle(tmp_path / "b", model, frame.assign(y=label), {"target": "y"}), trusted=[tmp_path]
    )
    seen: list[float] = []

    first = explain_shap(bundle, list(range(60)), progress=lambda done, message: seen.append(done))
    second = explain_shap(bundle, list(range(60)))

    assert_allclose(first.values, second.values)
    assert seen[-1] == 1.0 and seen == sorted(seen) and len(seen) >= 2
    assert first.provenance.seed == 0 and first.provenance.background_rows == 20 and not first.provenance.exact
    assert first.errors is not None and first.errors.shape == first.values.shape


def test_what_if_rows_are_explained_like_reference_rows(tmp_path):
    frame, label, _ = _data()
    model = Pipeline([("p", _prep()), ("m", xgb.XGBClassifier(n_estimators=30))]).fit(frame, label)
    bundle = load_bundle(
        write_bundle(tmp_path / "b", model, frame.assign(y=label), {"target": "y"}), trusted=[tmp_path]
    )
    changed = frame.iloc[[3]].assign(contract="two-year")

    explanation = explain_shap(bundle, X=changed)

    assert_allclose(explanation.prediction, model.predict_proba(changed)[:, 1] * 100)
    assert explanation.additivity_gap() < 0.01
    assert explanation.data["contract"].iloc[0] == "two-year"


def test_demo_bundles_add_up_on_every_row(demo_dir):
    for name in ("churn-demo", "churn-demo-linear"):
        bundle = load_bundle(demo_dir / name, trusted=[demo_dir])
        explanation = explain_shap(bundle)
        assert explanation.additivity_gap() < 0.01
        assert_allclose(explanation.prediction, 100 * bundle.model.predict_proba(bundle.X)[:, 1])
        assert "customerID" not in explanation.feature_names and "Churn" not in explanation.feature_names
