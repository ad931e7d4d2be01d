"""WOODELF, the exact method for many XGBoost rows at once: equal to XGBoost's own ``pred_contribs`` (rows with
gaps included), first only from its row count on; and the chance's scaling that keeps two exact methods equal."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from xgboost import XGBClassifier, XGBRegressor

from explain.bundle import load_bundle
from explain.methods.backends.woodelf import FROM_ROWS
from explain.methods.reasons import explain_shap
from explain.methods.registry import reasons_methods
from explain.methods.units import to_output_space
from tests.conftest import write_bundle

pytest.importorskip("woodelf")


def both(bundle):
    return explain_shap(bundle, method="woodelf-tree-exact"), explain_shap(bundle, method="xgboost-tree-exact")


def test_equal_to_pred_contribs_on_the_demo(demo_dir):
    bundle = load_bundle(demo_dir / "churn-demo", trusted=[demo_dir])
    woodelf, own = both(bundle)
    assert woodelf.method == "woodelf-tree-exact" and woodelf.provenance.exact
    # float32 tables: within 1e-5 log-odds of XGBoost's own, and so within a thousandth of a point of the chance
    assert np.abs(woodelf.native_values - own.native_values).max() < 1e-4
    assert np.abs(woodelf.values - own.values).max() < 1e-3
    assert woodelf.base_value == own.base_value
    np.testing.assert_allclose(woodelf.base_value + woodelf.values.sum(1), woodelf.prediction, atol=1e-9)


@pytest.mark.parametrize("task", ["classification", "regression"])
def test_equal_to_pred_contribs_on_rows_with_gaps(tmp_path, task):
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(1200, 5)), columns=[f"x{i}" for i in range(5)])
    X = X.mask(rng.random(X.shape) < 0.25)  # a quarter of the values missing: XGBoost's default directions
    signal = X["x0"].fillna(1.0) + X["x1"].isna() - X["x2"].fillna(0) * X["x3"].fillna(-1)
    if task == "classification":
        model = XGBClassifier(n_estimators=40, max_depth=5, random_state=0).fit(X, (signal > 0.3).astype(int))
    else:
        model = XGBRegressor(n_estimators=40, max_depth=5, random_state=0).fit(X, signal * 10)
    bundle = load_bundle(write_bundle(tmp_path / "gaps", model, X), trusted=[tmp_path])

    woodelf, own = both(bundle)

    gaps = X.isna().any(axis=1).to_numpy()
    assert gaps.sum() > 500
    native = woodelf.native_values if woodelf.native_values is not None else woodelf.values
    reference = own.native_values if own.native_values is not None else own.values
    assert np.abs(native - reference)[gaps].max() < 1e-4
    assert np.abs(native - reference).max() < 1e-4


def test_rows_on_every_side_of_every_threshold_follow_xgboost(tmp_path):
    # XGBoost tests x < t in float32; WOODELF read t one step lower, so a value one step below a threshold went
    # the other way (up to 0.09 log-odds off, and the sum still adds up when the misrouted split is one the row
    # does not reach). Rows at t, one step below and one step above every threshold of the model:
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(3000, 4)).astype(np.float32), columns=list("abcd"))
    model = XGBClassifier(n_estimators=30, max_depth=4, random_state=0).fit(X, (X.a + X.b * X.c > 0).astype(int))
    trees = model.get_booster().trees_to_dataframe()
    rows = []
    for feature, threshold in trees[trees.Feature != "Leaf"][["Feature", "Split"]].drop_duplicates().itertuples(False):
        t = np.float32(threshold)
        for value in (np.nextafter(t, np.float32(-np.inf)), t, np.nextafter(t, np.float32(np.inf))):
            row = X.iloc[int(rng.integers(len(X)))].copy()
            row[feature] = value
            rows.append(row)
    edges = pd.DataFrame(rows).astype(np.float32).reset_index(drop=True)
    bundle = load_bundle(write_bundle(tmp_path / "edges", model, edges), trusted=[tmp_path])

    woodelf, own = both(bundle)

    assert len(edges) > 300
    assert np.abs(woodelf.native_values - own.native_values).max() < 1e-4


def test_it_goes_first_only_for_many_rows(demo_dir, tmp_path):
    bundle = load_bundle(demo_dir / "churn-demo", trusted=[demo_dir])
    assert reasons_methods(bundle)[0].name == "xgboost-tree-exact"
    assert reasons_methods(bundle, 5)[0].name == "xgboost-tree-exact"
    assert reasons_methods(bundle, FROM_ROWS)[0].name == "woodelf-tree-exact"
    X = pd.DataFrame(np.random.default_rng(1).normal(size=(300, 3)), columns=["a", "b", "c"])
    y = np.arange(300) % 3  # three classes: one output per class, which WOODELF does not read
    three = load_bundle(
        write_bundle(tmp_path / "three", XGBClassifier(n_estimators=5).fit(X, y), X), trusted=[tmp_path]
    )
    assert "woodelf-tree-exact" not in [m.name for m in reasons_methods(three, FROM_ROWS)]


def test_the_chance_scaling_is_steady_where_reasons_cancel_out():
    # Two large reasons that cancel out: the old factor (the chance's own change over their sum) divided the float32
    # model's rounding by a sum near nil. The sigmoid's secant does not: 1e-6 log-odds apart stays 1e-6 apart.
    values = np.array([[2.0, -2.0 + 3e-7, 0.0], [2.0, -2.0 + 1.3e-6, 0.0]])
    base = -1.1
    exact = 1 / (1 + np.exp(-(base + values.sum(1))))
    chance32 = exact.astype(np.float32).astype(float)  # what a float32 model reports
    out, base_out = to_output_space(values, base, chance32, link="logit")
    np.testing.assert_allclose(base_out + out.sum(1), chance32, atol=1e-15)  # adds up to the model's own output
    assert np.abs(out[0] - out[1]).max() < 1e-6
    slope = exact[0] * (1 - exact[0])  # near the baseline, the secant is the sigmoid's slope
    np.testing.assert_allclose(out[0, :2], values[0, :2] * slope, rtol=1e-6)
    old = values * ((chance32 - base_out) / values.sum(1))[:, None]
    assert np.abs(old[0] - old[1]).max() > 1e-2  # what the old scaling made of the same two rows
