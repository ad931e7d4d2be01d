"""Models with more than two outcomes: the reader picks the class, and everything else works as for two."""

from __future__ import annotations

import numpy as np
import pytest

from explain.bundle import load_bundle
from explain.errors import CardError
from explain.methods.reasons import explain_shap
from tests.app.conftest import plan_model
from tests.conftest import write_bundle


@pytest.fixture
def plans(tmp_path):
    model, frame = plan_model()
    card = {"target": "plan", "outcomes": {"premium": "pick the premium plan"}}
    write_bundle(tmp_path / "plans", model, frame, card)
    return load_bundle(tmp_path / "plans", trusted=[tmp_path])


def test_each_outcome_explains_its_own_chance_and_adds_up(plans):
    assert plans.outcomes == ["basic", "plus", "premium"]
    probabilities = plans.model.predict_proba(plans.X.iloc[:5])
    for k, outcome in enumerate(plans.outcomes):
        bundle = plans.for_outcome(outcome)
        assert bundle.class_index == k
        assert bundle.fingerprint != plans.fingerprint or outcome == plans.card.positive_class
        explanation = explain_shap(bundle, [0, 1, 2, 3, 4])
        np.testing.assert_allclose(explanation.prediction, probabilities[:, k] * 100, atol=1e-9)
        np.testing.assert_allclose(
            explanation.base_value + explanation.values.sum(1), explanation.prediction, atol=1e-6
        )
    # The model and data are shared, never copied.
    assert plans.for_outcome("plus").model is plans.model and plans.for_outcome("plus").X is plans.X


def test_the_card_words_follow_the_outcome(plans):
    assert plans.for_outcome("premium").card.outcome_positive == "pick the premium plan"
    assert plans.for_outcome("plus").card.outcome_positive == "have plan plus"
    assert plans.for_outcome("plus").card.outcome_negative == "not have plan plus"
    with pytest.raises(CardError, match="no outcome 'gold'.*basic, plus, premium"):
        plans.for_outcome("gold")


def test_a_card_naming_an_unknown_outcome_is_refused(tmp_path):
    model, frame = plan_model()
    write_bundle(tmp_path / "p", model, frame, {"target": "plan", "outcomes": {"gold": "go for gold"}})
    with pytest.raises(CardError, match="'gold'"):
        load_bundle(tmp_path / "p", trusted=[tmp_path])


def test_two_class_models_offer_no_outcome_picker(demo_dir):
    assert load_bundle(demo_dir / "churn-demo", trusted=[demo_dir]).outcomes == []
