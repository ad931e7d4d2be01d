"""What changed: known shifts injected into a copy of the demo data are named exactly, and a seeded random split of
the same data raises no alarm (issue 16's engine, numbers only)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from explain.analyses.drift import GAP, SHIFT_PSI, drift, psi
from explain.bundle import load_bundle


@pytest.fixture(scope="module")
def churn(demo_dir):
    return load_bundle(demo_dir / "churn-demo", trusted=[demo_dir])


def test_a_random_split_of_the_same_data_raises_no_alarm(churn):
    rows = np.random.default_rng(7).permutation(len(churn.X))[: len(churn.X) // 2]
    found = drift(churn, churn.X.iloc[rows].reset_index(drop=True))
    assert found.moved == ()
    assert max(c.psi for c in found.columns) < SHIFT_PSI / 2
    assert not found.unlike.any()
    assert found.current_output == pytest.approx(found.reference_output, abs=0.02)


def test_injected_shifts_are_named_exactly_in_numbers(churn):
    rng = np.random.default_rng(3)
    newer = churn.X.copy()
    fibre = rng.random(len(newer)) < 0.5  # half the customers move to fibre: a category's share
    newer.loc[fibre, "InternetService"] = "Fiber optic"
    newer["MonthlyCharges"] = newer["MonthlyCharges"] + 15.0  # every bill up by $15: a mean
    newer.loc[newer.index[:300], "PaymentMethod"] = "Crypto wallet"  # a category the model never saw

    found = drift(churn, newer)

    moved = {c.column: c for c in found.moved}
    assert set(moved) == {"InternetService", "MonthlyCharges", "PaymentMethod"}
    internet = moved["InternetService"]
    before = (churn.X["InternetService"] == "Fiber optic").mean()
    assert internet.reference_shares["Fiber optic"] == pytest.approx(before)
    assert internet.current_shares["Fiber optic"] == pytest.approx((newer["InternetService"] == "Fiber optic").mean())
    assert internet.p_value < 1e-6 and internet.level in ("shift", "large")
    bill = moved["MonthlyCharges"]
    assert bill.current_mean - bill.reference_mean == pytest.approx(15.0)
    assert bill.current_median - bill.reference_median == pytest.approx(15.0)
    assert bill.test == "ks" and bill.p_value < 1e-6
    payment = moved["PaymentMethod"]
    assert payment.new_categories == ("Crypto wallet",)
    assert payment.current_shares["Crypto wallet"] == pytest.approx(300 / len(newer))
    # the rows unlike the reference: the 300 with the new category, and bills above the largest ever seen
    over = newer["MonthlyCharges"] > churn.X["MonthlyCharges"].max()
    assert found.unlike.sum() == (over | (newer.index < 300)).sum()
    assert found.current_output != pytest.approx(found.reference_output, abs=1e-3)


def test_gaps_are_a_value_of_their_own_and_psi_matches_its_formula(churn):
    newer = churn.X.copy()
    newer.loc[newer.index[:500], "Contract"] = np.nan
    found = {c.column: c for c in drift(churn, newer).columns}
    contract = found["Contract"]
    assert contract.current_shares[GAP] == pytest.approx(500 / len(newer)) and contract.moved
    a, b = np.array([0.5, 0.3, 0.2]), np.array([0.4, 0.4, 0.2])
    assert psi(a, b) == pytest.approx(float(np.sum((b - a) * np.log(b / a))))
    assert psi(a, a) == 0.0


def test_numbers_stay_numbers_when_a_column_has_gaps(churn):
    newer = churn.X.copy()
    newer.loc[newer.index[::2], "tenure"] = np.nan  # half the months unknown: the gaps' bin moves, not the values
    tenure = {c.column: c for c in drift(churn, newer).columns}["tenure"]
    assert tenure.moved and tenure.kind == "number"
    known = pd.to_numeric(newer["tenure"]).dropna()
    assert tenure.current_median == pytest.approx(float(known.median()))
