"""Bundles the app tests share beyond the demo."""

from __future__ import annotations

import pandas as pd
import pytest


@pytest.fixture
def other_models(tmp_path, monkeypatch):
    """A regressor with a card and a card-less model that only the sampling fallback can explain."""
    import numpy as np
    from sklearn.compose import ColumnTransformer
    from sklearn.ensemble import RandomForestRegressor
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    from tests.conftest import write_bundle

    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "visits": rng.integers(0, 30, 200).astype(float),
            "segment": rng.choice(["retail", "online"], 200),
        }
    )
    spend = 40 * frame["visits"] + np.where(frame["segment"] == "online", 300, 0) + rng.normal(0, 20, 200)
    prep = ColumnTransformer([("n", StandardScaler(), ["visits"]), ("c", OneHotEncoder(), ["segment"])])
    forest = Pipeline([("p", prep), ("m", RandomForestRegressor(20, max_depth=4, random_state=0))])
    card = {"title": "Yearly spend", "target": "spend", "unit": "$", "features": {"visits": {"label": "Store visits"}}}
    write_bundle(tmp_path / "spend", forest.fit(frame, spend), frame.assign(spend=spend.round(2)), card)
    knn = Pipeline([("p", prep), ("m", KNeighborsClassifier(10))]).fit(frame, (spend > 600).astype(int))
    write_bundle(tmp_path / "knn_model", knn, frame)
    monkeypatch.setenv("PLAINSIGHT_MODELS_DIR", str(tmp_path))
    return forest, knn, frame


@pytest.fixture
def plans(tmp_path, monkeypatch):
    """A three-outcome model (which plan a customer picks), with the card naming one outcome's words."""
    from tests.conftest import write_bundle

    model, frame = plan_model()
    card = {"title": "Plan choice", "target": "plan", "outcomes": {"premium": "pick the premium plan"}}
    write_bundle(tmp_path / "plans", model, frame, card)
    monkeypatch.setenv("PLAINSIGHT_MODELS_DIR", str(tmp_path))
    return tmp_path / "plans"


def plan_model():
    """A fitted 3-class logistic regression and its data (with the target column ``plan``)."""
    import numpy as np
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    rng = np.random.default_rng(0)
    n = 240
    frame = pd.DataFrame({"age": rng.integers(18, 80, n).astype(float), "region": rng.choice(["north", "south"], n)})
    score = np.stack([0.05 * frame["age"], np.where(frame["region"] == "south", 2.5, 0), rng.normal(1, 1, n)], 1)
    plan = np.array(["basic", "plus", "premium"])[score.argmax(1)]
    prep = ColumnTransformer([("n", StandardScaler(), ["age"]), ("c", OneHotEncoder(), ["region"])])
    model = Pipeline([("p", prep), ("m", LogisticRegression())]).fit(frame, plan)
    return model, frame.assign(plan=plan)
