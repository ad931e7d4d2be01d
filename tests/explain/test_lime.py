"""LIME on the raw columns: reproducible, categories kept as categories, its failures handled."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder

from explain.analyses.agreement import agreement
from explain.bundle import load_bundle
from explain.errors import ExplainError
from explain.methods.reasons import explain_lime, explain_shap
from tests.conftest import write_bundle


def _data(n: int = 400, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "months": rng.integers(0, 72, n).astype(float),
            "plan": rng.choice(["basic", "plus", "pro"], n),
            "noise": rng.normal(0, 1, n),
            "constant": np.full(n, 5.0),  # no spread: LIME divides by it unless told otherwise
        }
    )
    frame.loc[rng.random(n) < 0.05, "months"] = np.nan  # LIME's sampler fails on missing numbers
    logit = -0.08 * (frame["months"].fillna(36) - 36) + np.where(frame["plan"] == "basic", 1.5, -1.0)
    return frame, (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)


class _Recording:
    """Wraps a model and keeps the rows LIME asked it about."""

    def __init__(self, model: Pipeline) -> None:
        self.model, self.seen = model, []
        self.classes_ = model.classes_

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        return self.model.predict(X)

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        self.seen.append(X.copy())
        return self.model.predict_proba(X)


def _model() -> Pipeline:
    prep = ColumnTransformer(
        [
            ("n", SimpleImputer(strategy="median"), ["months", "noise", "constant"]),
            ("c", OneHotEncoder(handle_unknown="ignore"), ["plan"]),
        ]
    )
    return Pipeline([("prep", prep), ("lr", LogisticRegression(max_iter=1000))])


@pytest.fixture
def bundle(tmp_path):
    frame, y = _data()
    model = _model().fit(frame, y)
    return load_bundle(write_bundle(tmp_path / "b", model, frame.assign(y=y), {"target": "y"}), trusted=[tmp_path])


def test_same_request_same_answer_and_a_recorded_fidelity(bundle):
    first = explain_lime(bundle, 3, num_samples=2000)
    second = explain_lime(bundle, 3, num_samples=2000)
    other_seed = explain_lime(bundle, 3, num_samples=2000, seed=7)

    assert_allclose(first.values, second.values)
    assert not np.allclose(first.values, other_seed.values)
    fit = first.local_fit
    assert fit is not None and 0.0 <= fit.fidelity <= 1.0
    assert (fit.samples, fit.seed, fit.discretizer) == (2000, 0, "quartile")
    assert fit.intercept == first.base_value
    # The local fit's weights add up to its own estimate; the prediction shown is still the model's own.
    assert first.base_value + first.values.sum() == pytest.approx(fit.prediction, abs=1e-6)
    assert first.prediction[0] == pytest.approx(100 * bundle.model.predict_proba(bundle.X.iloc[[3]])[0, 1])
    assert first.method == "lime" and first.output.name == "points" and not first.provenance.exact


def test_the_strong_reasons_are_found_by_both_methods(bundle):
    row = int(np.argmax(np.abs(bundle.X["months"].fillna(36) - 36)))  # far from typical on the strong column
    lime = explain_lime(bundle, row, num_samples=3000)
    shap = explain_shap(bundle, [row])
    assert agreement(shap, lime, n=2).shared == 2
    assert abs(lime.values[0, bundle.features.index("constant")]) < 1e-9


def test_categories_are_perturbed_as_categories_and_missing_numbers_filled(tmp_path):
    frame, y = _data()
    recording = _Recording(_model().fit(frame, y))
    folder = write_bundle(tmp_path / "b", recording, frame.assign(y=y), {"target": "y"})
    bundle = load_bundle(folder, trusted=[tmp_path])
    missing_row = int(np.flatnonzero(frame["months"].isna())[0])

    explanation = explain_lime(bundle, missing_row, num_samples=500)

    asked = max(bundle.model.seen, key=len)  # LIME's samples (the loaded copy of the recording model)
    assert set(asked["plan"].unique()) <= {"basic", "plus", "pro"}
    assert asked["months"].notna().all()
    assert set(asked["constant"].unique()) == {5.0}
    assert np.isnan(explanation.data["months"].iloc[0])  # the row itself is shown as it is: not recorded


def test_a_single_row_of_reference_data_does_not_crash(tmp_path):
    frame, y = _data()
    model = _model().fit(frame, y)
    one = frame.iloc[[0]].assign(months=12.0)
    bundle = load_bundle(write_bundle(tmp_path / "b", model, one, {}), trusted=[tmp_path])
    explanation = explain_lime(bundle, 0, num_samples=300)
    assert explanation.values.shape == (1, 4)


def test_lime_failures_become_one_plain_error(bundle, monkeypatch):
    from lime.lime_tabular import LimeTabularExplainer

    def broken(*args, **kwargs):
        raise ValueError("Domain error in arguments.")

    monkeypatch.setattr(LimeTabularExplainer, "explain_instance", broken)
    with pytest.raises(ExplainError, match=f"The second check could not run for this {bundle.card.entity}"):
        explain_lime(bundle, 0, num_samples=300)


def test_regression_is_in_the_target_unit(tmp_path):
    frame, _ = _data()
    spend = 10 * frame["months"].fillna(36) + np.where(frame["plan"] == "pro", 200, 0)
    prep = ColumnTransformer(
        [("n", SimpleImputer(), ["months", "noise", "constant"]), ("c", OneHotEncoder(), ["plan"])]
    )
    model = make_pipeline(prep, LinearRegression()).fit(frame, spend)
    card = {"target": "spend", "unit": "$"}
    bundle = load_bundle(write_bundle(tmp_path / "b", model, frame.assign(spend=spend), card), trusted=[tmp_path])

    explanation = explain_lime(bundle, 5, num_samples=1000)

    assert explanation.output.name == "$"
    assert explanation.prediction[0] == pytest.approx(model.predict(frame.iloc[[5]])[0])
    assert explanation.local_fit is not None and explanation.local_fit.fidelity > 0.5
    # The weights carry their true signs: the local fit adds up to LIME's own estimate, and being on the "pro"
    # plan (which adds $200 in the data) gets a positive weight for a pro customer and a negative one otherwise.
    assert explanation.base_value + explanation.values.sum() == pytest.approx(explanation.local_fit.prediction)
    plan = explanation.values[0][explanation.feature_names.index("plan")]
    assert (plan > 0) == (frame["plan"].iloc[5] == "pro")
