"""The sampling fallback (models with no exact method): an estimate whose standard errors are measured, small
for one row, honest for many, and true: within its error bars of the exact interventional values."""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.testing import assert_allclose
from sklearn.compose import make_column_transformer
from sklearn.linear_model import LinearRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from explain.bundle import load_bundle
from explain.methods import explain_shap
from explain.methods.backends.sampling import target_error
from explain.methods.saved import population_explanation
from tests.conftest import write_bundle


def _linear_bundle(tmp_path):
    rng = np.random.default_rng(0)
    n = 1500
    frame = pd.DataFrame(
        {
            "tenure": rng.integers(0, 72, n).astype(float),
            "bill": rng.normal(70, 20, n),
            "Contract": rng.choice(["Month-to-month", "One year", "Two year"], n),
            "noise": rng.normal(size=n),
        }
    )
    value = -0.5 * frame["tenure"] + 0.3 * frame["bill"] + np.where(frame["Contract"] == "Two year", -10, 5)
    prep = make_column_transformer(
        (OneHotEncoder(sparse_output=False), ["Contract"]), (StandardScaler(), ["tenure", "bill", "noise"])
    )
    model = make_pipeline(prep, LinearRegression()).fit(frame, value + rng.normal(0, 5, n))
    folder = write_bundle(tmp_path / "b", model, frame.assign(spend=value), {"target": "spend"})
    return load_bundle(folder, trusted=[tmp_path])


def test_one_row_is_estimated_within_its_error_bars_and_they_are_small(tmp_path):
    """Oracle: a linear model's interventional Shapley values against the reference data are coef * (x - mean),
    which is exactly what the exact method gives; the estimate must sit within its own error bars of them."""
    bundle = _linear_bundle(tmp_path)
    for row in (0, 7, 42):
        exact = explain_shap(bundle, [row])
        estimate = explain_shap(bundle, [row], method="permutation-sampling")

        assert exact.provenance.exact and not estimate.provenance.exact
        assert estimate.additivity_gap() < 1e-9
        assert_allclose(estimate.base_value, exact.base_value, rtol=1e-12)
        errors = estimate.errors[0]
        assert np.all(errors <= target_error(bundle) * estimate.output.scale + 1e-12) or (
            estimate.provenance.permutations == 48
        )
        assert np.all(np.abs(estimate.values[0] - exact.values[0]) <= 4 * errors + 0.02 * np.abs(exact.values[0]))


def test_many_rows_take_fewer_samples_and_keep_their_error_bars(tmp_path):
    bundle = _linear_bundle(tmp_path)
    estimate = explain_shap(bundle, list(range(40)), method="permutation-sampling")

    assert estimate.provenance.permutations == 8
    assert estimate.errors.shape == (40, 4) and np.all(estimate.errors > 0)
    exact = explain_shap(bundle, list(range(40)))
    z = np.abs(estimate.values - exact.values) / estimate.errors
    assert np.mean(z < 3) > 0.9  # eight samples: a t-distribution's tails, not a normal's


def test_the_error_bars_are_kept_with_the_population(tmp_path, monkeypatch):
    from dataclasses import replace

    from explain.methods import registry

    bundle = _linear_bundle(tmp_path)
    methods = tuple(
        replace(m, population_cap=30) if m.name == "permutation-sampling" else m
        for m in registry.all_methods()
        if m.name != "linear-exact"
    )
    monkeypatch.setattr(registry, "all_methods", lambda: methods)

    made = population_explanation(bundle)
    read = population_explanation(bundle)  # from the disk cache

    assert made.errors is not None and made.provenance.sample.rows == 30
    assert_allclose(read.errors, made.errors)
    assert read.provenance.permutations == made.provenance.permutations == 8


def test_the_reader_is_never_told_an_order_the_error_cannot_tell(tmp_path):
    from dataclasses import replace

    from explain.words.explanation import reason_sentences
    from explain.words.plain_words import find_jargon

    bundle = _linear_bundle(tmp_path)
    estimate = explain_shap(bundle, [0], method="permutation-sampling")
    gap = float(estimate.prediction[0] - estimate.base_value)
    values = np.array([[10.0, 9.9, 0.0, gap - 19.9]])  # tenure and bill: 0.1 apart
    close = replace(estimate, values=values, errors=np.array([[0.5, 0.5, 0.1, 0.1]]))
    apart = replace(estimate, values=values, errors=np.array([[0.01, 0.01, 0.01, 0.01]]))

    said = reason_sentences(close, 0, bundle.card)
    plain = reason_sentences(apart, 0, bundle.card)

    assert "The estimate cannot tell whether tenure or bill matters more." in said
    assert not any("cannot tell" in s for s in plain)
    assert all(" about " in s for s in plain if "adds" in s or "takes off" in s)  # never said as if exact
    assert find_jargon(" ".join(said)) == []
