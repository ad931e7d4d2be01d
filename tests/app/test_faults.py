"""Faults while serving: a bundle's files changed or removed under a running app."""

from __future__ import annotations

import os
import shutil

import joblib
import pytest

from tests.app.test_pages import _app, _text


@pytest.fixture
def own_models(demo_dir, tmp_path, monkeypatch):
    """A copy of the demo models this test may break."""
    for name in ("churn-demo", "churn-demo-linear"):
        shutil.copytree(demo_dir / name, tmp_path / name)
    monkeypatch.setenv("PLAINSIGHT_MODELS_DIR", str(tmp_path))
    return tmp_path


def test_a_model_file_replaced_while_serving_is_used_by_the_next_page(own_models):
    at = _app({"model": "churn-demo"})
    assert not at.exception
    before = _text(at)
    # Another model (the linear one) saved over churn-demo's model file, as a retrained model would be.
    model = own_models / "churn-demo" / "model.joblib"
    joblib.dump(joblib.load(own_models / "churn-demo-linear" / "model.joblib"), model)
    stat = model.stat()
    os.utime(model, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    at.run()
    assert not at.exception
    after = _text(at)
    assert after != before  # the new model's figures, not the old one's kept ones
    assert "What moves the chance to leave most" in after


def test_a_data_file_removed_is_a_plain_message_and_other_models_still_open(own_models):
    at = _app({"model": "churn-demo"})
    assert not at.exception
    (own_models / "churn-demo" / "data.csv").unlink()
    at.run()
    assert not at.exception
    said = " ".join(e.value.replace("\\", "") for e in at.error)
    assert said.startswith("The model 'churn-demo' could not be opened:") and "data" in said, said
    assert "Traceback" not in said
    other = _app({"model": "churn-demo-linear"})
    assert not other.exception and not other.error
    assert "What moves the chance to leave most" in _text(other)
