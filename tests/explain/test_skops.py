"""model.skops: loaded without running code, only with the types pinned in Plainsight, from anywhere."""

from __future__ import annotations

import shutil
import warnings

import numpy as np
import pytest
import skops.io as sio
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler

from explain.bundle import load_bundle
from explain.errors import BundleError, UntrustedTypeError


def _dump(model, path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sio.dump(model, path)


@pytest.mark.parametrize("name", ["churn-demo", "churn-demo-linear", "spend-demo"])
def test_a_skops_bundle_loads_from_outside_the_trusted_folders_and_predicts_the_same(demo_dir, tmp_path, name):
    original = load_bundle(demo_dir / name, trusted=[demo_dir])
    folder = tmp_path / name
    folder.mkdir()
    _dump(original.model, folder / "model.skops")
    shutil.copy(demo_dir / name / "data.csv", folder / "data.csv")
    shutil.copy(demo_dir / name / "card.yaml", folder / "card.yaml")
    loaded = load_bundle(folder, trusted=[])  # no trusted folders at all: skops runs no code
    np.testing.assert_array_equal(loaded.predict(loaded.X), original.predict(original.X))


def test_a_function_inside_the_model_is_refused_by_name(demo_dir, tmp_path):
    original = load_bundle(demo_dir / "churn-demo-linear", trusted=[demo_dir])
    folder = tmp_path / "evil"
    folder.mkdir()
    _dump(make_pipeline(FunctionTransformer(func=eval), StandardScaler()), folder / "model.skops")
    shutil.copy(demo_dir / "churn-demo-linear" / "data.csv", folder / "data.csv")
    with pytest.raises(UntrustedTypeError, match=r"builtins\.eval"):
        load_bundle(folder, trusted=[])
    assert original is not None


class Payload:
    def __reduce__(self):
        return (shutil.rmtree, ("/tmp/should-never-run",))


def test_an_unknown_class_is_refused_before_anything_is_built(tmp_path):
    folder = tmp_path / "b"
    folder.mkdir()
    _dump({"x": Payload()}, folder / "model.skops")
    (folder / "data.csv").write_text("a\n1\n", encoding="utf-8")
    with pytest.raises(UntrustedTypeError, match=r"Payload"):
        load_bundle(folder, trusted=[])


def test_a_damaged_file_is_one_plain_line(tmp_path):
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "model.skops").write_bytes(b"not a zip file at all")
    (folder / "data.csv").write_text("a\n1\n", encoding="utf-8")
    with pytest.raises(BundleError, match="could not be read as a skops file") as caught:
        load_bundle(folder, trusted=[])
    assert "\n" not in str(caught.value)
