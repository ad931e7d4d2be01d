"""Load a model bundle: a folder with the fitted model, the reference data and an optional card.

Which model files may be opened, and how, is :mod:`explain.bundle.trust`; here the parts are put together and
checked against each other (the data has the columns the model needs, the card fits the model, ids are unique).
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

import pandas as pd

from explain.bundle.bundle import Bundle
from explain.bundle.card import complete_card, read_card
from explain.bundle.categories import learned_categories, with_learned_categories
from explain.bundle.kinds import with_column_kinds
from explain.bundle.structure import ModelParts, raw_columns, split_model
from explain.bundle.trust import card_versions, load_model, version_notes
from explain.errors import BundleError

log = logging.getLogger(__name__)

MODEL_FILES = ("model.joblib", "model.pkl", "model.skops", "model.uri")
DATA_FILES = ("data.parquet", "data.csv")
DEFAULT_MODELS_DIR = Path(__file__).resolve().parents[2] / "models"


def models_dirs() -> list[Path]:
    """The folders the operator configured for bundles (``PLAINSIGHT_MODELS_DIR``, ``os.pathsep``-separated)."""
    configured = os.environ.get("PLAINSIGHT_MODELS_DIR", "")
    dirs = [Path(p).expanduser() for p in configured.split(os.pathsep) if p.strip()]
    return dirs or [DEFAULT_MODELS_DIR]


def list_bundles(dirs: list[Path] | None = None) -> dict[str, Path]:
    """Every bundle folder found directly inside the configured folders, by name (first folder wins)."""
    found: dict[str, Path] = {}
    for root in dirs or models_dirs():
        if not root.is_dir():
            continue
        for child in sorted(root.iterdir()):
            if child.is_dir() and any((child / f).exists() for f in MODEL_FILES) and child.name not in found:
                found[child.name] = child
    return found


def load_bundle(path: str | Path, *, trusted: list[Path] | None = None) -> Bundle:
    """Load and validate the bundle in ``path``.

    Parameters
    ----------
    path : str or Path
        The bundle folder.
    trusted : list of Path, optional
        Folders pickled models may be loaded from; default: :func:`models_dirs`.

    Raises
    ------
    BundleError
        With a plain message naming the missing or broken part.
    """
    folder = Path(path).expanduser()
    if not folder.is_dir():
        raise BundleError(f"There is no model folder at {folder}.")
    model_file = _first(folder, MODEL_FILES, "model file (model.joblib)")
    data_file = _first(folder, DATA_FILES, "reference data (data.csv or data.parquet)")
    card_file = folder / "card.yaml"

    raw_card = read_card(card_file)
    model, saved_with = load_model(model_file, trusted if trusted is not None else models_dirs())
    parts = split_model(model)
    id_column = raw_card.get("id_column")
    data = read_data(data_file, id_column=str(id_column) if id_column is not None else None)

    target = raw_card.get("target")
    exclude = [c for c in (id_column, target) if c is not None]
    columns = raw_columns(model, data, exclude)
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise BundleError(f"{data_file.name} lacks column(s) the model needs: {', '.join(missing)}.")
    if id_column is not None and id_column not in data.columns:
        raise BundleError(f"card.yaml names id column '{id_column}', but {data_file.name} has no such column.")
    if len(data) == 0:
        raise BundleError(f"{data_file.name} has no rows.")

    card = complete_card(
        raw_card, columns=columns, task=parts.task, classes=parts.classes, default_title=folder.name, data=data
    )
    card = with_column_kinds(card, data[columns])
    ids = data[id_column].astype(str).str.strip().tolist() if id_column else [str(i) for i in range(len(data))]
    if id_column and len(set(ids)) != len(ids):
        dupes = pd.Series(ids)[pd.Series(ids).duplicated()].unique()[:3]
        raise BundleError(f"The id column '{id_column}' repeats ids (e.g. {', '.join(dupes)}); ids must be unique.")

    bundle = Bundle(
        name=folder.name,
        path=folder,
        parts=parts,
        data=data,
        X=_model_view(parts, data[columns]),
        ids=ids,
        card=card,
        fingerprint=_fingerprint([model_file, data_file, card_file]),
        notes=tuple(version_notes({**card_versions(raw_card), **saved_with})),
    )
    _check_predicts(bundle)
    return bundle


def read_data(path: Path, *, id_column: str | None = None) -> pd.DataFrame:
    """Read reference data; ids stay text so "00123" keeps its zeros."""
    try:
        if path.suffix == ".parquet":
            frame = pd.read_parquet(path)
        else:
            dtype = {id_column: str} if id_column else None
            frame = pd.read_csv(path, dtype=dtype, keep_default_na=True)
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise BundleError(f"{path.name} could not be read: {exc}".rstrip(".") + ".") from None
    frame.columns = [str(c) for c in frame.columns]
    return frame


def _first(folder: Path, names: tuple[str, ...], what: str) -> Path:
    for name in names:
        if (folder / name).is_file():
            return folder / name
    raise BundleError(f"The folder {folder.name} has no {what}.")


def _model_view(parts: ModelParts, X: pd.DataFrame) -> pd.DataFrame:
    """The raw columns as the model takes them: a bare model fitted on categories gets categories back."""
    if parts.preprocessor is not None:
        return X
    return with_learned_categories(X, learned_categories(parts.estimator, list(X.columns)))


def _check_predicts(bundle: Bundle) -> None:
    try:
        bundle.predict(bundle.X.iloc[:5])
    except Exception as exc:  # noqa: BLE001 - a model that cannot score its own data is a bundle problem
        raise BundleError(
            f"The model could not score the first rows of the data ({type(exc).__name__}: {exc})".rstrip(".") + "."
        ) from None


def _fingerprint(files: list[Path]) -> str:
    digest = hashlib.sha256()
    for f in files:
        digest.update(f.name.encode())
        if f.exists():
            digest.update(f.read_bytes())
    return digest.hexdigest()[:16]
