"""Load a model bundle: a folder with the fitted model, the reference data and an optional card.

Pickle (joblib) runs code when it is loaded, so a pickled model is loaded only from inside a folder the operator
configured (``PLAINSIGHT_MODELS_DIR``, or the folder handed to the CLI), never from anywhere else.
"""

from __future__ import annotations

import hashlib
import logging
import os
import warnings
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import pandas as pd
import yaml

from explain.bundle.card import Card, complete_card, read_card
from explain.bundle.grouping import encoded_to_raw
from explain.bundle.structure import ModelParts, raw_columns, split_model
from explain.errors import BundleError, RowNotFoundError, UntrustedLocationError, UntrustedTypeError

log = logging.getLogger(__name__)

MODEL_FILES = ("model.joblib", "model.pkl", "model.skops", "model.uri")
DATA_FILES = ("data.parquet", "data.csv")
DEFAULT_MODELS_DIR = Path(__file__).resolve().parents[2] / "models"


@dataclass(frozen=True, eq=False)
class Bundle:
    """A loaded model with its reference data and completed card. Shared and never mutated.

    Attributes
    ----------
    name : str
        The bundle's folder name (what ``?model=`` names).
    X : DataFrame of shape (n_rows, n_features)
        The raw columns the model takes, in the model's order.
    ids : list of str
        Each row's id: the card's id column, or the 0-based position when there is none.
    fingerprint : str
        Changes whenever the model, the data or the card file changes; keys every cache.
    """

    name: str
    path: Path
    parts: ModelParts
    data: pd.DataFrame
    X: pd.DataFrame
    ids: list[str]
    card: Card
    fingerprint: str
    notes: tuple[str, ...] = ()  # things the reader should know about the model file (e.g. a version mismatch)

    @property
    def model(self) -> Any:
        return self.parts.model

    @property
    def features(self) -> list[str]:
        return list(self.X.columns)

    @property
    def is_classifier(self) -> bool:
        return self.card.task == "classification"

    @property
    def class_index(self) -> int:
        """The column of ``predict_proba`` that holds the positive outcome."""
        classes = self.parts.classes or []
        return classes.index(self.card.positive_class) if self.is_classifier and classes else 0

    @property
    def outcomes(self) -> list[Any]:
        """The classes a reader can pick to explain (more than two: a multiclass model), else empty."""
        return list(self.card.classes) if self.card.multiclass else []

    def for_outcome(self, outcome: Any) -> Bundle:
        """The same model explaining another class; shares the loaded model and data (never copies them)."""
        card = self.card.for_outcome(outcome)
        if card.positive_class == self.card.positive_class:
            return self
        other = replace(self, card=card, fingerprint=f"{self.fingerprint}:{card.positive_class}")
        for name in ("encoded", "encoded_to_raw"):  # the same for every class: keep the work already done
            if name in self.__dict__:
                other.__dict__[name] = self.__dict__[name]
        return other

    @cached_property
    def _positions(self) -> dict[str, int]:
        return {row_id: i for i, row_id in enumerate(self.ids)}

    def position(self, row_id: str | int) -> int:
        """The 0-based position of the row with this id.

        Raises
        ------
        RowNotFoundError
            When no row has that id.
        """
        key = str(row_id).strip()
        if key in self._positions:
            return self._positions[key]
        what = f"{self.card.entity} with id" if self.card.id_column else "row number"
        raise RowNotFoundError(f"There is no {what} '{key}' in {self.name} ({len(self.ids):,} rows).")

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """The model's own output: the positive outcome's chance (0-1) for classifiers, else the value."""
        if self.is_classifier:
            return np.asarray(self.model.predict_proba(X), dtype=float)[:, self.class_index]
        return np.asarray(self.model.predict(X), dtype=float).reshape(-1)

    @cached_property
    def outputs(self) -> np.ndarray:
        """The model's output for every reference row (as :meth:`predict`), computed once and read-only."""
        out = self.predict(self.X)
        out.flags.writeable = False
        return out

    @cached_property
    def encoded(self) -> np.ndarray:
        """The reference data as the estimator sees it, shape (n_rows, n_encoded)."""
        return self.parts.transform(self.X)

    @cached_property
    def encoded_to_raw(self) -> np.ndarray | None:
        """The (n_raw, n_encoded) 0/1 map from encoded to raw columns, or None if it cannot be derived."""
        return encoded_to_raw(self.parts.preprocessor, self.features, self.encoded.shape[1])


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
    model, saved_with = _load_model(model_file, trusted if trusted is not None else models_dirs())
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

    card = complete_card(raw_card, columns=columns, task=parts.task, classes=parts.classes, default_title=folder.name)
    ids = data[id_column].astype(str).str.strip().tolist() if id_column else [str(i) for i in range(len(data))]
    if id_column and len(set(ids)) != len(ids):
        dupes = pd.Series(ids)[pd.Series(ids).duplicated()].unique()[:3]
        raise BundleError(f"The id column '{id_column}' repeats ids (e.g. {', '.join(dupes)}); ids must be unique.")

    bundle = Bundle(
        name=folder.name,
        path=folder,
        parts=parts,
        data=data,
        X=data[columns],
        ids=ids,
        card=card,
        fingerprint=_fingerprint([model_file, data_file, card_file]),
        notes=tuple(version_notes({**_card_versions(raw_card), **saved_with})),
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


# Types a model.skops may hold beyond those skops trusts by default. Pinned here, never read from the file: a
# skops file names the types it needs, and anything outside this list is refused before it is built.
SKOPS_TYPES = frozenset(
    {
        "numpy.dtype",
        "sklearn.tree._tree.Tree",
        "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
        "sklearn.neighbors._kd_tree.KDTree",
        "sklearn.neighbors._ball_tree.BallTree",
        "sklearn.metrics._dist_metrics.EuclideanDistance64",
        "sklearn.metrics._dist_metrics.ManhattanDistance64",
        "sklearn.metrics._dist_metrics.MinkowskiDistance64",
        "xgboost.core.Booster",
        "xgboost.sklearn.XGBClassifier",
        "xgboost.sklearn.XGBRegressor",
        "xgboost.sklearn.XGBRFClassifier",
        "xgboost.sklearn.XGBRFRegressor",
    }
)


def _load_skops(path: Path) -> Any:
    """Load a skops file, allowing only the pinned types: skops builds objects without running pickle code."""
    try:
        import skops.io as sio
    except ImportError:
        raise BundleError(f"{path.name} needs the skops package: pip install skops.") from None
    try:
        needed = sio.get_untrusted_types(file=path)
    except Exception as exc:  # noqa: BLE001 - a damaged file can fail in many ways; say it in one line
        raise BundleError(f"{path.name} could not be read as a skops file ({type(exc).__name__}).") from None
    refused = sorted(t for t in needed if t not in SKOPS_TYPES)
    if refused:
        shown = ", ".join(refused[:5]) + (f" and {len(refused) - 5} more" if len(refused) > 5 else "")
        raise UntrustedTypeError(
            f"{path.name} holds types Plainsight does not load: {shown}. "
            "Only scikit-learn, XGBoost and NumPy model types are allowed in a skops file."
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return sio.load(path, trusted=list(needed))
    except Exception as exc:  # noqa: BLE001
        raise BundleError(f"{path.name} could not be loaded: {type(exc).__name__}: {exc}".rstrip(".") + ".") from None


def _require_trusted(path: Path, trusted: list[Path], refused: str) -> Path:
    """The resolved path, when it lies inside a folder the operator configured; pickles load only from there."""
    resolved = path.resolve()
    if not any(resolved.is_relative_to(root.resolve()) for root in trusted):
        raise UntrustedLocationError(
            f"{path.parent.name} is outside the model folders you configured, so {refused} "
            "(a pickled model runs code when loaded). Add its folder to PLAINSIGHT_MODELS_DIR to trust it."
        )
    return resolved


def _load_model(path: Path, trusted: list[Path]) -> tuple[Any, dict[str, str]]:
    """The model, and the library versions it says it was saved with (where the file tells)."""
    if path.suffix == ".skops":
        # No code runs while loading, so a skops model may come from anywhere (an upload included).
        return _load_skops(path), {}
    if path.suffix == ".uri":
        return _load_mlflow(path, trusted)
    resolved = _require_trusted(path, trusted, "its model file was not opened")
    try:
        with warnings.catch_warnings(record=True) as caught:
            # A model saved by another library version still loads; the mismatch is said, not fatal.
            warnings.simplefilter("always")
            model = joblib.load(resolved)
    except Exception as exc:  # noqa: BLE001 - unpickling can raise anything; the user needs one plain line
        raise BundleError(f"{path.name} could not be loaded: {type(exc).__name__}: {exc}".rstrip(".") + ".") from None
    saved: dict[str, str] = {}
    for record in caught:
        original = getattr(record.message, "original_sklearn_version", None)
        if original is not None:
            saved["scikit-learn"] = str(original)
    return model, saved


def _load_mlflow(path: Path, trusted: list[Path]) -> tuple[Any, dict[str, str]]:
    """An MLflow model named by URI (``models:/name/version``, ``runs:/id/model``), tracking URI from the environment.

    A skops-saved model (MLflow's default for scikit-learn) loads with Plainsight's own type allowlist, not the list
    the file carries. A pickled one follows MLflow's own switch (MLFLOW_ALLOW_PICKLE_DESERIALIZATION) and the same
    folder rule as model.joblib: the bundle folder must be one the operator configured.
    """
    uri = path.read_text(encoding="utf-8").strip()
    if not uri:
        raise BundleError(f"{path.name} is empty; write an MLflow model URI in it, like models:/churn/1.")
    try:
        import mlflow
        from mlflow.environment_variables import MLFLOW_ALLOW_PICKLE_DESERIALIZATION
    except ImportError:
        raise BundleError(f"{path.name} needs MLflow, which is not installed: pip install -e '.[mlflow]'.") from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            local = Path(mlflow.artifacts.download_artifacts(artifact_uri=uri))
    except Exception as exc:  # noqa: BLE001 - MLflow raises many kinds; the first line of its message is plain
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise BundleError(f"MLflow could not find the model {uri}: {reason[:200]}") from None
    try:
        spec = yaml.safe_load((local / "MLmodel").read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        raise BundleError(f"The MLflow model {uri} has no readable MLmodel file.") from None
    flavor = (spec.get("flavors") or {}).get("sklearn")
    if not isinstance(flavor, dict) or not flavor.get("pickled_model"):
        kinds = ", ".join(sorted(spec.get("flavors") or {})) or "none"
        raise BundleError(f"The MLflow model {uri} is not a scikit-learn model (its flavours: {kinds}).")
    versions = {"scikit-learn": str(flavor["sklearn_version"])} if flavor.get("sklearn_version") else {}
    model_file = local / str(flavor["pickled_model"])
    if flavor.get("serialization_format") == "skops":
        return _load_skops(model_file), versions
    if not MLFLOW_ALLOW_PICKLE_DESERIALIZATION.get():  # type: ignore[no-untyped-call]
        raise BundleError(
            f"The MLflow model {uri} is pickled, and MLFLOW_ALLOW_PICKLE_DESERIALIZATION turns that off here."
        )
    _require_trusted(path, trusted, "its pickled MLflow model was not opened")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import mlflow.sklearn

            return mlflow.sklearn.load_model(uri), versions
    except Exception as exc:  # noqa: BLE001
        raise BundleError(f"The MLflow model {uri} could not be loaded: {type(exc).__name__}.") from None


def _card_versions(raw_card: dict[str, Any]) -> dict[str, str]:
    versions = raw_card.get("versions") or {}
    return {str(k): str(v) for k, v in versions.items()} if isinstance(versions, dict) else {}


def version_notes(saved: dict[str, str]) -> list[str]:
    """Plain notes for each library whose version here differs from the one the model was saved with."""
    from importlib.metadata import PackageNotFoundError, version

    notes = []
    for package, was in sorted(saved.items()):
        try:
            here = version(package)
        except PackageNotFoundError:
            notes.append(f"The model was saved with {package} {was}, which is not installed here.")
            continue
        if here != was:
            notes.append(
                f"The model was saved with {package} {was}; this machine has {here}. "
                "Its answers may differ a little from where it was built."
            )
    return notes


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
