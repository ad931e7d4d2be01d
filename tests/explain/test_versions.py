"""A model saved with other library versions still loads, and the difference is said plainly."""

from __future__ import annotations

import joblib
import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from streamlit.testing.v1 import AppTest

from explain.bundle import load_bundle, version_notes
from tests.app.test_pages import APP


@pytest.fixture
def old_model(tmp_path, monkeypatch):
    frame = pd.DataFrame({"a": np.arange(40.0), "b": np.arange(40.0) % 3})
    model = LogisticRegression().fit(frame, (frame["a"] > 20).astype(int))
    folder = tmp_path / "old"
    folder.mkdir()
    with monkeypatch.context() as patch:
        patch.setattr("sklearn.base.__version__", "1.0.2")  # as if saved by an older scikit-learn
        joblib.dump(model, folder / "model.joblib")
    frame.to_csv(folder / "data.csv", index=False)
    return folder


def test_the_version_the_model_was_saved_with_is_noted(old_model):
    bundle = load_bundle(old_model, trusted=[old_model.parent])
    assert len(bundle.notes) == 1
    assert bundle.notes[0].startswith("The model was saved with scikit-learn 1.0.2; this machine has ")
    assert bundle.predict(bundle.X).shape == (40,)  # it still works


def test_the_card_can_state_versions(tmp_path):
    from importlib.metadata import version

    assert version_notes({"scikit-learn": version("scikit-learn")}) == []
    assert "xgboost 0.9" in version_notes({"xgboost": "0.9"})[0]
    assert "not installed here" in version_notes({"no-such-package-xyz": "1"})[0]


def test_the_app_shows_the_note(old_model, monkeypatch):
    monkeypatch.setenv("PLAINSIGHT_MODELS_DIR", str(old_model.parent))
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    assert any("scikit\\-learn 1\\.0\\.2" in w.value or "scikit-learn 1.0.2" in w.value for w in at.sidebar.warning)
