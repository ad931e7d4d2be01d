"""model.uri: a real local MLflow store (file backend), a registered model and a run's model."""

from __future__ import annotations

import shutil
import warnings

import numpy as np
import pytest

from explain.bundle import load_bundle
from explain.errors import BundleError, UntrustedLocationError, UntrustedTypeError

pytest.importorskip("mlflow")
import mlflow  # noqa: E402 - after the skip
import mlflow.sklearn  # noqa: E402

TYPES = ["numpy.dtype", "xgboost.core.Booster", "xgboost.sklearn.XGBClassifier"]


@pytest.fixture
def store(tmp_path, monkeypatch):
    """A fresh MLflow tracking store in a folder, named by the environment as an operator would."""
    monkeypatch.setenv("MLFLOW_ALLOW_FILE_STORE", "true")
    uri = (tmp_path / "mlruns").as_uri()
    monkeypatch.setenv("MLFLOW_TRACKING_URI", uri)
    mlflow.set_tracking_uri(uri)
    yield tmp_path
    mlflow.set_tracking_uri(None)


def _log(model, name, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with mlflow.start_run() as run:
            mlflow.sklearn.log_model(model, name="model", registered_model_name=name, **kwargs)
    return run.info.run_id


def _bundle(folder, uri, demo):
    folder.mkdir(parents=True)
    (folder / "model.uri").write_text(uri + "\n", encoding="utf-8")
    shutil.copy(demo / "data.csv", folder / "data.csv")
    shutil.copy(demo / "card.yaml", folder / "card.yaml")
    return folder


def test_a_registered_skops_model_loads_from_anywhere_and_predicts_the_same(store, demo_dir):
    original = load_bundle(demo_dir / "churn-demo", trusted=[demo_dir])
    run_id = _log(original.model, "churn", skops_trusted_types=TYPES)
    for uri in ("models:/churn/1", f"runs:/{run_id}/model"):
        folder = _bundle(store / "bundles" / uri.replace(":", "").replace("/", "-"), uri, demo_dir / "churn-demo")
        loaded = load_bundle(folder, trusted=[])  # skops: no code runs, so no trusted folder is needed
        np.testing.assert_array_equal(loaded.predict(loaded.X), original.predict(original.X))


def test_a_pickled_model_follows_the_folder_rule_and_mlflows_switch(store, demo_dir, monkeypatch):
    original = load_bundle(demo_dir / "churn-demo-linear", trusted=[demo_dir])
    _log(original.model, "linear", serialization_format="cloudpickle")
    folder = _bundle(store / "bundles" / "linear", "models:/linear/1", demo_dir / "churn-demo-linear")
    with pytest.raises(UntrustedLocationError, match="pickled MLflow model"):
        load_bundle(folder, trusted=[])
    loaded = load_bundle(folder, trusted=[store / "bundles"])
    np.testing.assert_allclose(loaded.predict(loaded.X), original.predict(original.X))
    monkeypatch.setenv("MLFLOW_ALLOW_PICKLE_DESERIALIZATION", "false")
    with pytest.raises(BundleError, match="MLFLOW_ALLOW_PICKLE_DESERIALIZATION"):
        load_bundle(folder, trusted=[store / "bundles"])


def test_the_files_own_trusted_list_is_not_used(store, demo_dir):
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import FunctionTransformer

    _log(make_pipeline(FunctionTransformer(func=eval)), "evil", skops_trusted_types=["builtins.eval"])
    folder = _bundle(store / "bundles" / "evil", "models:/evil/1", demo_dir / "churn-demo")
    with pytest.raises(UntrustedTypeError, match=r"builtins\.eval"):
        load_bundle(folder, trusted=[store])


def test_an_unknown_model_is_one_plain_line(store, demo_dir):
    folder = _bundle(store / "bundles" / "nothing", "models:/nothing/7", demo_dir / "churn-demo")
    with pytest.raises(BundleError, match="MLflow could not find the model models:/nothing/7") as caught:
        load_bundle(folder, trusted=[])
    assert "\n" not in str(caught.value)
    (folder / "model.uri").write_text("  \n", encoding="utf-8")
    with pytest.raises(BundleError, match="is empty"):
        load_bundle(folder, trusted=[])
