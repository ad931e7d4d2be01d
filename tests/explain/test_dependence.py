"""Dependence from explanations, and partial dependence checked against scikit-learn's."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.inspection import partial_dependence as sk_partial_dependence

from explain.analyses.dependence import CATEGORY, NUMBER, dependence, partial_dependence
from explain.bundle import load_bundle
from explain.methods.reasons import explain_population
from explain.words.dependence import dependence_sentence
from explain.words.plain_words import find_jargon


@pytest.fixture(scope="module")
def xgb(demo_dir):
    bundle = load_bundle(demo_dir / "churn-demo", trusted=[demo_dir])
    return bundle, explain_population(bundle)


def test_curve_is_the_mean_effect_per_value(xgb):
    bundle, explanation = xgb
    dep = dependence(explanation, "Contract")
    assert dep.kind == CATEGORY
    j = explanation.feature_names.index("Contract")
    for _, row in dep.curve.iterrows():
        mask = (explanation.data["Contract"] == row["value"]).to_numpy()
        assert row["effect"] == pytest.approx(explanation.values[mask, j].mean())
        assert row["n"] == mask.sum()
    assert list(dep.curve["effect"]) == sorted(dep.curve["effect"], reverse=True)


def test_numbers_are_binned_and_the_sentence_follows_the_generated_effect(xgb):
    bundle, explanation = xgb
    dep = dependence(explanation, "tenure")
    assert dep.kind == NUMBER
    assert dep.curve["n"].sum() == explanation.data["tenure"].notna().sum()
    # The generated data: longer tenure, lower chance to leave (models/README.md).
    assert dep.curve["effect"].iloc[0] > 0 > dep.curve["effect"].iloc[-1]
    sentence = dependence_sentence(dep, bundle.card)
    assert sentence.startswith("Months as a customer: around ")
    assert "it adds about" in sentence and "it takes off about" in sentence
    assert not find_jargon(sentence)


def test_missing_values_are_kept_apart(xgb):
    _, explanation = xgb
    dep = dependence(explanation, "MonthlyCharges")
    missing = explanation.data["MonthlyCharges"].isna().to_numpy()
    assert missing.any()
    j = explanation.feature_names.index("MonthlyCharges")
    assert dep.missing_effect == pytest.approx(explanation.values[missing, j].mean())
    assert not np.isnan(dep.points["value"].astype(float)).any()


def test_partial_dependence_equals_scikit_learns(xgb):
    bundle, _ = xgb
    ours = partial_dependence(bundle, "Contract", rows=len(bundle.X))
    theirs = sk_partial_dependence(
        bundle.model,
        bundle.X,
        ["Contract"],
        categorical_features=["Contract", "InternetService", "PaymentMethod", "PaperlessBilling", "SeniorCitizen"],
        kind="average",
        response_method="predict_proba",
    )
    expected = dict(zip(theirs["grid_values"][0], theirs["average"][0] * 100, strict=True))
    for _, row in ours.iterrows():
        assert row["average"] == pytest.approx(expected[row["value"]], rel=1e-6)

    numbers = partial_dependence(bundle, "tenure", rows=len(bundle.X))
    X = bundle.X.astype({"tenure": float})
    grid = numbers["value"].to_numpy(dtype=float)
    for value, average in zip(grid[:3], numbers["average"][:3], strict=True):
        manual = bundle.predict(X.assign(tenure=value)).mean() * 100
        assert average == pytest.approx(manual, rel=1e-9)
