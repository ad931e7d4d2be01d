"""The disk cache: what it gives back is what was worked out, a damaged entry is rebuilt, several processes share
it, and it stays within its bound."""

from __future__ import annotations

import dataclasses
import logging
import multiprocessing
import os
import time
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from explain import store
from explain.bundle import load_bundle
from explain.methods import registry, saved
from explain.methods.reasons import explain_population
from explain.methods.registry import get_method
from explain.methods.saved import kept_population_explanation, population_explanation


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("PLAINSIGHT_CACHE_DIR", str(folder))
    monkeypatch.delenv("PLAINSIGHT_CACHE_MAX_MB", raising=False)
    return folder


def _entries(folder: Path, kind: str = "population") -> list[Path]:
    return sorted(folder.glob(f"{kind}-*.npz"))


def assert_same_explanation(a, b):
    np.testing.assert_array_equal(a.values, b.values)
    np.testing.assert_array_equal(a.prediction, b.prediction)
    if a.native_values is None:
        assert b.native_values is None
    else:
        np.testing.assert_array_equal(a.native_values, b.native_values)
    assert (a.base_value, a.native_base, a.provenance, a.output) == (
        b.base_value,
        b.native_base,
        b.provenance,
        b.output,
    )
    assert (a.feature_names, a.row_ids) == (b.feature_names, b.row_ids)
    pd.testing.assert_frame_equal(a.data, b.data)
    assert not b.values.flags.writeable


def _fresh(path: Path):
    """The bundle loaded again, as a restarted server would (nothing kept in memory)."""
    return load_bundle(path, trusted=[path.parent])


def test_a_restart_reads_every_row_s_explanation_back_exactly_as_it_was_worked_out(demo_dir, cache_dir, monkeypatch):
    path = demo_dir / "churn-demo"
    worked_out = population_explanation(_fresh(path))
    assert_same_explanation(explain_population(_fresh(path)), worked_out)
    assert len(_entries(cache_dir)) == 1

    def no_work(*args, **kwargs):
        raise AssertionError("worked out again")

    monkeypatch.setattr(saved, "explain_population", no_work)
    again = population_explanation(_fresh(path))
    assert_same_explanation(worked_out, again)
    assert_same_explanation(worked_out, kept_population_explanation(_fresh(path)))


def test_a_sampled_explanation_comes_back_with_its_rows(tmp_path, cache_dir, monkeypatch):
    from sklearn.compose import ColumnTransformer
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder

    from tests.conftest import write_bundle

    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"a": rng.normal(size=120), "b": rng.choice(["x", "y"], 120)})
    prep = ColumnTransformer([("c", OneHotEncoder(), ["b"])], remainder="passthrough")
    model = Pipeline([("p", prep), ("m", KNeighborsClassifier(5))]).fit(frame, (frame["a"] > 0).astype(int))
    path = write_bundle(tmp_path / "knn", model, frame)
    fast = dataclasses.replace(get_method("permutation-sampling"), population_cap=30)
    monkeypatch.setattr(registry, "all_methods", lambda: (fast,))
    worked_out = population_explanation(_fresh(path))
    assert worked_out.provenance.sample is not None and len(worked_out) == 30
    again = kept_population_explanation(_fresh(path))
    assert again is not None
    assert_same_explanation(worked_out, again)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]), id="cut short"),
        pytest.param(lambda p: p.write_bytes(b"not a cache entry"), id="garbage"),
        pytest.param(lambda p: _flip_a_byte(p), id="a byte changed"),
        pytest.param(lambda p: np.savez(p, values=np.array([object()], dtype=object)), id="a pickle inside"),
        pytest.param(lambda p: _other_entry(p), id="another entry's content"),
    ],
)
def test_a_damaged_entry_is_ignored_and_rebuilt(demo_dir, cache_dir, damage, caplog):
    path = demo_dir / "churn-demo"
    worked_out = population_explanation(_fresh(path))
    (entry,) = _entries(cache_dir)
    damage(entry)
    with caplog.at_level(logging.INFO, logger="explain"):
        again = population_explanation(_fresh(path))
    assert_same_explanation(worked_out, again)
    assert "is damaged" in caplog.text and "worked out every row's explanation of churn-demo" in caplog.text
    with caplog.at_level(logging.INFO, logger="explain"):
        caplog.clear()
        assert_same_explanation(worked_out, population_explanation(_fresh(path)))  # the rebuilt entry is whole
    assert "read every row's explanation of churn-demo from the cache" in caplog.text


def _flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:  # a byte inside the values, not the zip's own bookkeeping
        info = archive.getinfo("values.npy")
    data[info.header_offset + 200] ^= 0xFF
    path.write_bytes(bytes(data))


def _other_entry(path: Path) -> None:
    store.Store(path.parent).write("other", "fingerprint", store.Entry({"x": np.zeros(3)}, {}))
    other = next(path.parent.glob("other-*.npz"))
    other.replace(path)


def test_the_key_changes_with_the_bundle_and_with_the_versions(demo_dir, tmp_path, cache_dir, monkeypatch):
    import shutil

    copy = tmp_path / "copy" / "churn-demo"
    shutil.copytree(demo_dir / "churn-demo", copy)
    first = _fresh(copy)
    population_explanation(first)
    data = pd.read_csv(copy / "data.csv", dtype={"customerID": str})
    data.loc[0, "tenure"] = 71
    data.to_csv(copy / "data.csv", index=False)
    changed = load_bundle(copy, trusted=[copy.parent])
    assert changed.fingerprint != first.fingerprint and kept_population_explanation(changed) is None
    name = store.entry_name("population", first.fingerprint)
    monkeypatch.setattr(store, "versions", lambda: "another shap")
    assert store.entry_name("population", first.fingerprint) != name


def test_the_model_s_output_for_every_row_is_kept_too(demo_dir, cache_dir, monkeypatch):
    path = demo_dir / "spend-demo"
    outputs = _fresh(path).outputs
    assert len(_entries(cache_dir, "outputs")) == 1
    bundle = _fresh(path)
    monkeypatch.setattr(type(bundle), "predict", lambda self, X: pytest.fail("predicted again"))
    np.testing.assert_array_equal(bundle.outputs, outputs)
    assert not bundle.outputs.flags.writeable


def test_the_cache_stays_within_its_bound_removing_the_least_recently_used(tmp_path):
    folder = store.Store(tmp_path / "bounded", limit=3 * 1024 * 1024)
    entry = store.Entry({"x": np.zeros(120_000)}, {})  # about 0.94 MB each
    for i in range(3):
        folder.write("block", f"f{i}", entry)
        time.sleep(0.02)
    assert folder.read("block", "f0") is not None  # f0 used last: f1 is now the least recently used
    time.sleep(0.02)
    folder.write("block", "f3", entry)
    assert folder.read("block", "f1") is None
    assert all(folder.read("block", f) is not None for f in ("f0", "f2", "f3"))
    assert sum(p.stat().st_size for p in (tmp_path / "bounded").glob("*.npz")) <= 3 * 1024 * 1024
    too_big = store.Store(tmp_path / "tiny", limit=1000)
    assert too_big.write("block", "big", entry) is None and not list((tmp_path / "tiny").glob("*.npz"))


def test_off_keeps_nothing(demo_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("PLAINSIGHT_CACHE_DIR", "off")
    population_explanation(_fresh(demo_dir / "churn-demo-linear"))
    assert store.cache_folder() is None
    monkeypatch.setenv("PLAINSIGHT_CACHE_DIR", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert store.cache_folder() == tmp_path / "xdg" / "plainsight"


def test_an_unwritable_folder_is_said_in_the_log_and_the_answer_still_comes(demo_dir, tmp_path, monkeypatch, caplog):
    blocker = tmp_path / "a file"
    blocker.write_text("")
    monkeypatch.setenv("PLAINSIGHT_CACHE_DIR", str(blocker / "cache"))
    with caplog.at_level(logging.WARNING, logger="explain"):
        explanation = population_explanation(_fresh(demo_dir / "churn-demo-linear"))
    assert len(explanation) > 0 and "could not write the cache entry" in caplog.text


def _work_out_once(folder: str, marks: str) -> float:
    def make() -> np.ndarray:
        with open(marks, "a") as out:
            out.write("worked\n")
        time.sleep(1.0)
        return np.arange(5.0)

    os.environ["PLAINSIGHT_CACHE_DIR"] = folder
    value = store.kept(
        "shared", "fp", make, lambda v: store.Entry({"v": v}, {}), lambda e: e.arrays["v"], what="a shared value"
    )
    return float(value.sum())


def test_several_processes_work_an_entry_out_once_and_all_read_it(tmp_path):
    marks = tmp_path / "marks.txt"
    context = multiprocessing.get_context("spawn")
    with context.Pool(3) as pool:
        results = pool.starmap(_work_out_once, [(str(tmp_path / "shared"), str(marks))] * 3)
    assert results == [10.0, 10.0, 10.0]
    assert marks.read_text().count("worked") == 1
    assert not list((tmp_path / "shared").glob(".writing-*"))
