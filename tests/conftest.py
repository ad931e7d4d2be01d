"""Shared fixtures: small demo bundles built once per session, and a helper to make bundles of any model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import joblib
import pandas as pd
import pytest
import yaml

from models.build_demo import build_all


@pytest.fixture(scope="session", autouse=True)
def cache_for_the_session(tmp_path_factory: pytest.TempPathFactory):
    """The disk cache and the audit trail of every test (and every server a test starts) in session folders, never
    the user's."""
    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PLAINSIGHT_CACHE_DIR", str(folder))
        # The audit trail of every page a test opens goes to the session's folder, never the user's.
        patch.setenv("PLAINSIGHT_AUDIT_FILE", str(tmp_path_factory.mktemp("audit") / "audit.jsonl"))
        yield folder


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A models folder with churn-demo, churn-demo-linear and spend-demo, smaller than the shipped ones (~2 s)."""
    root = tmp_path_factory.mktemp("models")
    build_all(root, n=1500, n_estimators=60)
    return root


@pytest.fixture
def models_env(demo_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point PLAINSIGHT_MODELS_DIR at the demo folder."""
    monkeypatch.setenv("PLAINSIGHT_MODELS_DIR", str(demo_dir))
    return demo_dir


def write_bundle(folder: Path, model: Any, data: pd.DataFrame, card: dict[str, Any] | None = None) -> Path:
    """Write a bundle folder: model.joblib, data.csv and (if given) card.yaml."""
    folder.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, folder / "model.joblib")
    data.to_csv(folder / "data.csv", index=False)
    if card is not None:
        (folder / "card.yaml").write_text(yaml.safe_dump(card), encoding="utf-8")
    return folder
