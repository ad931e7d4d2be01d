"""What-if rows and "what would it take": changes applied as asked, suggestions checked by the model."""

from __future__ import annotations

import numpy as np
import pytest

from explain.analyses.suggest import suggest
from explain.analyses.whatif import WhatIfError, apply_changes, changed_columns, column_ranges, unseen_values
from explain.bundle import load_bundle
from explain.words.whatif import change_sentence

# The demo card marks these six `actionable: true`, so only they may change (never Dependents, OnlineSecurity, …).
ACTIONABLE = {"Contract", "MonthlyCharges", "InternetService", "SupportCalls", "PaymentMethod", "PaperlessBilling"}


@pytest.fixture(scope="module")
def bundle(demo_dir):
    return load_bundle(demo_dir / "churn-demo", trusted=[demo_dir])


def test_changes_are_applied_and_typed(bundle):
    X = apply_changes(bundle, 3, {"Contract": "Two year", "tenure": "40", "MonthlyCharges": 12.5})
    assert X["Contract"].iloc[0] == "Two year" and X["tenure"].iloc[0] == 40.0
    assert changed_columns(bundle, 3, X).keys() <= {"Contract", "tenure", "MonthlyCharges"}
    assert bundle.X.iloc[3]["Contract"] is not None  # the reference data is untouched
    with pytest.raises(WhatIfError, match="There is no column 'Nope' in this model"):
        apply_changes(bundle, 3, {"Nope": 1})
    with pytest.raises(WhatIfError, match="'tenure' takes a number, not 'abc'"):
        apply_changes(bundle, 3, {"tenure": "abc"})


def test_values_the_model_never_saw_are_flagged(bundle):
    assert unseen_values(bundle, bundle.X.iloc[[0]]) == []
    X = apply_changes(bundle, 0, {"tenure": 200, "Contract": "Ten year"})
    assert unseen_values(bundle, X) == ["tenure", "Contract"]


def test_control_ranges_cover_the_data_and_respect_the_card(bundle):
    ranges = column_ranges(bundle)
    tenure, bill = ranges["tenure"], ranges["MonthlyCharges"]
    assert tenure.control_low == 0 and tenure.control_high >= bundle.X["tenure"].max() and tenure.step == 1
    assert bill.control_low == 0  # the card's min
    assert set(ranges["Contract"].categories) == {"Month-to-month", "One year", "Two year"}


def test_change_sentence(bundle):
    text = change_sentence(72.0, 31.0, {"Contract": "Two year"}, bundle.card, bundle.output)
    assert text == "Changing to a two-year contract lowers the chance to leave from 72% to 31%."  # the card's phrase
    plain = change_sentence(72.0, 31.0, {"SupportCalls": 0}, bundle.card, bundle.output)
    assert plain == "Changing support calls last year to 0 calls lowers the chance to leave from 72% to 31%."
    assert "does not change" in change_sentence(50.0, 50.1, {"Contract": "One year"}, bundle.card, bundle.output)


def _riskiest(bundle, k=3):
    return [int(i) for i in np.argsort(-bundle.predict(bundle.X))[:k]]


@pytest.mark.parametrize("rank", [0, 1, 2])
def test_suggestions_reach_the_target_and_touch_only_what_can_be_acted_on(bundle, rank):
    row = _riskiest(bundle)[rank]
    found = suggest(bundle, row, 0.3)

    assert found.reached and found.lower
    ranks = []
    for s in found.suggestions:
        X = apply_changes(bundle, row, s.changes)
        assert bundle.predict(X)[0] == pytest.approx(s.prediction)  # re-predicted: what is shown is the model's
        assert s.prediction <= 0.3
        assert set(s.changes) <= ACTIONABLE
        assert all(v >= 0 for c, v in s.changes.items() if c in ("MonthlyCharges", "SupportCalls"))  # card min
        # every changed fact has a cost on the demo card, so each suggestion's cost is their sum
        assert s.cost == sum(bundle.card.feature(c).cost for c in s.changes)
        ranks.append((s.cost, len(s.changes)))
    assert ranks == sorted(ranks) and 1 <= len(found.suggestions) <= 5  # the cheapest first
    sets = [frozenset(s.changes.items()) for s in found.suggestions]
    assert not any(a < b for a in sets for b in sets)  # no suggestion only adds changes to another


def test_nothing_reachable_is_said_and_already_there_is_no_change(bundle):
    row = _riskiest(bundle)[0]
    assert not suggest(bundle, row, 0.0001).reached
    now = float(bundle.predict(bundle.X.iloc[[row]])[0])
    done = suggest(bundle, row, now)
    assert done.reached and done.suggestions[0].changes == {}
