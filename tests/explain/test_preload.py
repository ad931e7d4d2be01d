"""Bundles loaded before the server takes requests: taken once by the app, only while their files are unchanged,
with their outputs when the cache holds them, and never working anything out at start."""

from __future__ import annotations

import shutil

from explain.bundle import load_bundle
from explain.bundle.preload import preload, stamp, take


def test_a_preloaded_bundle_is_taken_once_while_its_files_are_unchanged(demo_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("PLAINSIGHT_MODELS_DIR", str(tmp_path))  # the operator's folder: its models may be opened
    folder = tmp_path / "churn"
    shutil.copytree(demo_dir / "churn-demo", folder)
    load_bundle(folder, trusted=[tmp_path]).outputs  # noqa: B018 - the last server worked them out: kept on disk

    assert preload([folder, tmp_path / "missing"]) == ["churn"]  # a broken bundle is skipped, never raised

    bundle = take(str(folder), stamp(folder))
    assert bundle is not None and "outputs" in bundle.__dict__  # read back from the cache at start
    assert take(str(folder), stamp(folder)) is None  # once: the app's own cache keeps it from then on

    preload([folder])
    (folder / "card.yaml").write_text((folder / "card.yaml").read_text() + "\n# changed\n")
    assert take(str(folder), stamp(folder)) is None  # its card changed since: loaded afresh by the page


def test_nothing_is_worked_out_at_start_on_an_empty_cache(demo_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("PLAINSIGHT_CACHE_DIR", str(tmp_path / "empty"))
    monkeypatch.setenv("PLAINSIGHT_MODELS_DIR", str(tmp_path))
    folder = tmp_path / "churn"
    shutil.copytree(demo_dir / "churn-demo", folder)
    preload([folder])
    bundle = take(str(folder), stamp(folder))
    assert bundle is not None and "outputs" not in bundle.__dict__
