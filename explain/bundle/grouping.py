"""Which raw column each encoded column came from, so explanations can be summed back to the raw columns.

The map is a 0/1 matrix of shape (n_raw, n_encoded), built by walking the fitted preprocessing: a
``ColumnTransformer`` routes columns to its transformers, a ``Pipeline`` composes its steps, and each step maps
its inputs to its outputs. Steps the walk does not understand make it give up (``None``), and the caller then
explains the whole model as a black box on the raw columns instead, which is slower but never wrong.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import Pipeline

log = logging.getLogger(__name__)

# Transformers that turn each input column into exactly one output column of the same position.
_ELEMENTWISE = {
    "StandardScaler",
    "MinMaxScaler",
    "MaxAbsScaler",
    "RobustScaler",
    "PowerTransformer",
    "QuantileTransformer",
    "OrdinalEncoder",
    "FunctionTransformer",
    "Binarizer",
    "TargetEncoder",
}


class _Unmappable(Exception):
    pass


def encoded_to_raw(preprocessor: Any | None, raw: list[str], n_encoded: int) -> np.ndarray | None:
    """The 0/1 matrix mapping encoded columns to raw columns, or None when the preprocessing is not understood.

    Parameters
    ----------
    preprocessor : fitted transformer or None
        The pipeline without its estimator; None means the estimator takes the raw columns directly.
    raw : list of str
        The raw column names, in the order the model takes them.
    n_encoded : int
        The number of columns the estimator receives (checked against the walk).

    Returns
    -------
    ndarray of shape (n_raw, n_encoded), or None
    """
    if preprocessor is None:
        return np.eye(len(raw)) if n_encoded == len(raw) else None
    try:
        matrix = _walk(preprocessor, np.eye(len(raw)))
    except _Unmappable as exc:
        log.info("preprocessing not mapped to raw columns (%s); a model-agnostic method will be used", exc)
        return None
    if matrix.shape != (len(raw), n_encoded):
        log.info("mapped %s columns but the estimator sees %s", matrix.shape[1], n_encoded)
        return None
    return matrix


def _walk(step: Any, incoming: np.ndarray) -> np.ndarray:
    """Map through one fitted step; ``incoming`` is (n_raw, n_inputs_of_step)."""
    if step is None or (isinstance(step, str) and step == "passthrough"):
        return incoming
    if isinstance(step, Pipeline):
        for _, sub in step.steps:
            incoming = _walk(sub, incoming)
        return incoming
    if isinstance(step, ColumnTransformer):
        return _column_transformer(step, incoming)
    return np.asarray(incoming @ _step_matrix(step, incoming.shape[1]))


def _column_transformer(ct: ColumnTransformer, incoming: np.ndarray) -> np.ndarray:
    blocks = []
    for name, trans, cols in ct.transformers_:
        if isinstance(trans, str) and trans == "drop":
            continue
        idx = _column_indices(ct, cols, incoming.shape[1])
        if len(idx) == 0:
            continue
        if isinstance(trans, str) and trans != "passthrough":
            raise _Unmappable(f"transformer {name!r} is {trans!r}")
        blocks.append(_walk(trans, incoming[:, idx]))
    if not blocks:
        raise _Unmappable("the column transformer outputs nothing")
    return np.hstack(blocks)


def _column_indices(ct: ColumnTransformer, cols: Any, n_inputs: int) -> list[int]:
    names = list(getattr(ct, "feature_names_in_", []))
    if isinstance(cols, slice):
        return list(range(n_inputs))[cols]
    if callable(cols):
        raise _Unmappable("callable column selector")
    cols_list = [cols] if isinstance(cols, str | int) else list(cols)
    if len(cols_list) and isinstance(cols_list[0], bool | np.bool_):
        return [i for i, keep in enumerate(cols_list) if keep]
    if cols_list and isinstance(cols_list[0], str):
        if not names:
            raise _Unmappable("column names without feature_names_in_")
        return [names.index(c) for c in cols_list]
    return [int(c) for c in cols_list]


def _step_matrix(step: Any, n_in: int) -> np.ndarray:
    """(n_in, n_out) 0/1 matrix of a single, non-composite fitted transformer."""
    name = type(step).__name__
    if name == "OneHotEncoder":
        return _expand(_onehot_counts(step))
    if name == "SimpleImputer":
        return _imputer(step, n_in)
    if name == "MissingIndicator":
        return np.eye(n_in)[:, list(step.features_)]
    if name == "KBinsDiscretizer":
        if step.encode == "ordinal":
            return np.eye(n_in)
        return _expand([int(n) for n in step.n_bins_])
    if name == "VarianceThreshold" or hasattr(step, "get_support"):
        return np.eye(n_in)[:, step.get_support(indices=True)]
    if name in _ELEMENTWISE:
        return np.eye(n_in)
    if n_in == 1 and hasattr(step, "transform"):
        n_out = _n_out(step)
        if n_out is not None:
            return np.ones((1, n_out))
    raise _Unmappable(f"{name} may mix columns")


def _onehot_counts(encoder: Any) -> list[int]:
    counts = getattr(encoder, "_n_features_outs", None)
    if counts is not None:
        return [int(c) for c in counts]
    # Older sklearn: one column per category, less the dropped one.
    drop = getattr(encoder, "drop_idx_", None)
    return [len(c) - (1 if drop is not None and drop[i] is not None else 0) for i, c in enumerate(encoder.categories_)]


def _imputer(imputer: Any, n_in: int) -> np.ndarray:
    keep = np.ones(n_in, dtype=bool)
    stats = np.asarray(getattr(imputer, "statistics_", []), dtype=object)
    if imputer.strategy != "constant" and not getattr(imputer, "keep_empty_features", False) and len(stats) == n_in:
        # Columns that were empty at fit time are dropped from the output.
        keep = np.array([not (isinstance(s, float) and np.isnan(s)) for s in stats])
    matrix = np.eye(n_in)[:, keep]
    indicator = getattr(imputer, "indicator_", None)
    if indicator is not None:
        matrix = np.hstack([matrix, np.eye(n_in)[:, list(indicator.features_)]])
    return matrix


def _expand(counts: list[int]) -> np.ndarray:
    matrix = np.zeros((len(counts), sum(counts)))
    start = 0
    for i, n in enumerate(counts):
        matrix[i, start : start + n] = 1.0
        start += n
    return matrix


def _n_out(step: Any) -> int | None:
    try:
        return len(step.get_feature_names_out())
    except Exception:  # noqa: BLE001 - any failure just means "unknown"
        return None
