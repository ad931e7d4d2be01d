"""Opening a model file, and the rules that decide which files may be opened at all.

Pickle (joblib) runs code when it is loaded, so a pickled model is loaded only from inside a folder the operator
configured (``PLAINSIGHT_MODELS_DIR``, or the folder handed to the CLI), never from anywhere else. A skops file
builds objects without running code, so it may come from anywhere, but only the types listed here are built.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import joblib
import yaml

from explain.errors import BundleError, UntrustedLocationError, UntrustedTypeError

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


# The model libraries Plainsight reads that are optional extras: the package a model file names -> the extra.
EXTRAS = {"lightgbm": "lightgbm", "catboost": "catboost", "mlflow": "mlflow"}


def _missing_library(path: Path, module: str) -> str:
    """A plain line for a model file that needs a library this installation lacks, saying how to install it."""
    package = module.split(".")[0]
    if package in EXTRAS:
        return (
            f"{path.name} holds a {package} model, and {package} is not installed here. "
            f"Install it with: pip install -e '.[{EXTRAS[package]}]'"
        )
    return f"{path.name} needs the Python package '{package}', which is not installed here: pip install {package}"


def load_model(path: Path, trusted: list[Path]) -> tuple[Any, dict[str, str]]:
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
    except ModuleNotFoundError as exc:
        raise BundleError(_missing_library(path, exc.name or "")) from None
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


def card_versions(raw_card: dict[str, Any]) -> dict[str, str]:
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
