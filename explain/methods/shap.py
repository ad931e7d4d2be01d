"""SHAP explanations in raw columns and the stakeholder's unit, by the fastest exact method the model allows.

XGBoost models use XGBoost's own exact tree contributions, scikit-learn tree ensembles shap's TreeExplainer, and
linear models the closed form; each works on the encoded columns, which are then summed back onto the raw
columns. Anything else (or preprocessing that mixes columns) falls back to permutation sampling on the raw
columns, which is slower and reports progress. Every path is checked against the model's own predictions.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from explain.bundle import Bundle
from explain.bundle.structure import KIND_LINEAR, KIND_TREE, KIND_XGBOOST
from explain.methods.backends import Native, linear, sampling, tree, xgb
from explain.methods.explanation import POINTS, Explanation
from explain.methods.units import LINKS, to_output_space

log = logging.getLogger(__name__)

Progress = Callable[[float, str], None]

_EXACT = {
    KIND_XGBOOST: (xgb.contributions, "xgboost-tree-exact"),
    KIND_TREE: (tree.contributions, "tree-shap-exact"),
    KIND_LINEAR: (linear.contributions, "linear-exact"),
}
SAMPLING_METHOD = "permutation-sampling"
SAMPLING_BACKGROUND = 100
SAMPLING_ROWS_CAP = 500  # rows the slow fallback explains for a whole-population view
SEED = 0


def exact_method(bundle: Bundle) -> str | None:
    """The exact method this bundle gets, or None when only the sampling fallback applies."""
    parts = bundle.parts
    binary_or_regression = not bundle.is_classifier or len(parts.classes or []) == 2
    if parts.kind in _EXACT and binary_or_regression and bundle.encoded_to_raw is not None:
        return _EXACT[parts.kind][1]
    return None


def explain_shap(
    bundle: Bundle,
    rows: list[int] | np.ndarray | None = None,
    *,
    X: pd.DataFrame | None = None,
    progress: Progress | None = None,
) -> Explanation:
    """Explain rows of the bundle's reference data (or the rows ``X``), in raw columns.

    Parameters
    ----------
    bundle : Bundle
    rows : sequence of int, optional
        0-based positions in the reference data; all rows when omitted.
    X : DataFrame, optional
        Rows to explain instead of reference rows (e.g. a what-if row), with the bundle's raw columns.
    progress : callable(fraction, message), optional
        Called as the slow fallback works; exact methods finish too fast to need it.

    Returns
    -------
    Explanation
        In percentage points of the positive outcome's chance for classifiers, the target's unit otherwise;
        ``base_value + values.sum(1) == prediction`` on every row.
    """
    if X is None:
        positions = np.arange(len(bundle.X)) if rows is None else np.asarray(rows, dtype=int)
        X = bundle.X.iloc[positions]
        row_ids = [bundle.ids[i] for i in positions]
    else:
        X = X[bundle.features]
        row_ids = [str(i) for i in X.index]
    prediction = bundle.predict(X)

    result = _exact(bundle, X, prediction)
    if result is None:
        result = _sampling(bundle, X, progress)
    values, base, method, params, native_values, native_base = result

    scale = 100.0 if bundle.is_classifier else 1.0
    return Explanation(
        values=values * scale,
        base_value=base * scale,
        prediction=prediction * scale,
        data=X,
        feature_names=bundle.features,
        row_ids=row_ids,
        method=method,
        unit=POINTS if bundle.is_classifier else (bundle.card.unit or bundle.card.target or "value"),
        params=params,
        native_values=native_values,
        native_base=native_base,
    )


_Result = tuple[np.ndarray, float, str, dict[str, Any], np.ndarray | None, float | None]


def _exact(bundle: Bundle, X: pd.DataFrame, prediction: np.ndarray) -> _Result | None:
    method = exact_method(bundle)
    mapping = bundle.encoded_to_raw
    if method is None or mapping is None:
        return None
    backend = _EXACT[bundle.parts.kind][0]
    native: Native = backend(
        bundle.parts.estimator, bundle.parts.transform(X), background=bundle.encoded, class_index=bundle.class_index
    )
    grouped = native.values @ mapping.T  # sum encoded columns back onto their raw column
    link = _link(bundle, grouped, native.base, prediction, native.space)
    if link is None:
        log.warning("%s did not reproduce the model's output for %s; using sampling instead", method, bundle.name)
        return None
    params: dict[str, Any] = {"native_space": {"logit": "log-odds", "log": "log", "identity": "output"}[link]}
    if link == "identity":
        return grouped, native.base, method, params, None, None
    values, base = to_output_space(grouped, native.base, prediction, link=link)
    return values, base, method, params, grouped, native.base


def _link(bundle: Bundle, values: np.ndarray, base: float, prediction: np.ndarray, space: str) -> str | None:
    """Which link turns the native total into the model's own output, checked row by row."""
    total = base + values.sum(axis=1)
    candidates = ["logit", "identity"] if bundle.is_classifier else ["identity", "log"]
    if space == "margin" and bundle.is_classifier:
        candidates = ["logit"]
    for link in candidates:
        with np.errstate(over="ignore"):
            output = LINKS[link][0](total)
        if np.allclose(output, prediction, rtol=1e-4, atol=1e-4 if bundle.is_classifier else 1e-3):
            return link
    return None


def _sampling(bundle: Bundle, X: pd.DataFrame, progress: Progress | None) -> _Result:
    rng = np.random.default_rng(SEED)
    n_background = min(SAMPLING_BACKGROUND, len(bundle.X))
    background = bundle.X.iloc[np.sort(rng.choice(len(bundle.X), n_background, replace=False))]
    values, base = sampling.contributions(bundle.predict, X, background, seed=SEED, progress=progress)
    params = {"background_rows": n_background, "seed": SEED, "native_space": "output"}
    return values, base, SAMPLING_METHOD, params, None, None


def explain_population(bundle: Bundle, *, progress: Progress | None = None) -> Explanation:
    """Explain every reference row with an exact method, or a seeded sample of rows for the slow fallback."""
    if exact_method(bundle) is not None or len(bundle.X) <= SAMPLING_ROWS_CAP:
        return explain_shap(bundle, progress=progress)
    rng = np.random.default_rng(SEED)
    rows = np.sort(rng.choice(len(bundle.X), SAMPLING_ROWS_CAP, replace=False))
    explanation = explain_shap(bundle, rows, progress=progress)
    explanation.params["sampled_rows"] = SAMPLING_ROWS_CAP
    return explanation
