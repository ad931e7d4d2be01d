"""LIME on the raw columns: a second, independent check on the reasons for one row.

The whole model (pipeline included) is the black box. Categorical columns are perturbed as categories and
numbers as numbers (binned into quartiles, LIME's default), with a fixed seed, so the same request gives the
same answer. LIME is a local linear fit, so its reasons do not add up to the model's prediction exactly: the
fit's own estimate (``params["local_prediction"]``) and its quality (``params["fidelity"]``, the weighted R² of
the local fit, 0-1) are recorded.

The ``lime`` package is unmaintained and fails on some inputs (missing values, constant columns); those are
prepared for here, and anything else it raises becomes one plain :class:`ExplainError`.
"""

from __future__ import annotations

import copy
import logging
import warnings
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from explain.bundle import Bundle
from explain.errors import ExplainError
from explain.methods.codec import Codec, make_codec
from explain.methods.explanation import POINTS, Explanation

log = logging.getLogger(__name__)

DEFAULT_SAMPLES = 5000
SEED = 0


def explain_lime(
    bundle: Bundle,
    row: int | None = None,
    *,
    X: pd.DataFrame | None = None,
    num_samples: int = DEFAULT_SAMPLES,
    seed: int = SEED,
) -> Explanation:
    """Explain one row with LIME, in the same raw columns and unit as :func:`explain.methods.shap.explain_shap`.

    Parameters
    ----------
    bundle : Bundle
    row : int, optional
        The row's 0-based position in the reference data.
    X : DataFrame of shape (1, n_features), optional
        A row to explain instead (e.g. a what-if row).
    num_samples : int
        How many perturbed rows LIME fits its local model on.
    seed : int
        Fixes LIME's sampling: the same request gives the same answer.

    Returns
    -------
    Explanation
        ``values`` are the local model's weights (percentage points for classifiers); ``base_value`` its intercept.
        They add up to ``params["local_prediction"]``, LIME's estimate, not exactly to ``prediction``.

    Raises
    ------
    ExplainError
        When LIME fails on this row; the message is plain.
    """
    if X is None:
        if row is None:
            raise ValueError("explain_lime needs a row position or a row X")
        X = bundle.X.iloc[[row]]
        row_ids = [bundle.ids[row]]
    else:
        X = X[bundle.features]
        row_ids = [str(i) for i in X.index]
    classifier = bundle.is_classifier
    label = bundle.class_index if classifier else 0
    try:
        encoding, template = _prepared(bundle, seed)
    except Exception as exc:  # noqa: BLE001 - lime raises anything from numpy/scipy; the user needs one line
        raise _failed(bundle, row_ids[0], exc) from None
    instance = encoding.encode(X)[0]

    def predict(samples: np.ndarray) -> np.ndarray:
        frame = encoding.decode(samples)
        if classifier:
            return np.asarray(bundle.model.predict_proba(frame), dtype=float)
        return np.asarray(bundle.model.predict(frame), dtype=float).reshape(-1)

    # A private copy: LIME's explainer carries its random state, so a shared one would answer differently
    # depending on who asked before. The copy starts from the template's untouched, seeded state.
    explainer = copy.deepcopy(template)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # LIME's own deprecation noise; failures still raise
            result = explainer.explain_instance(
                instance, predict, labels=(label,), num_features=len(encoding.columns), num_samples=num_samples
            )
    except Exception as exc:  # noqa: BLE001 - lime raises anything from numpy/scipy; the user needs one line
        raise _failed(bundle, row_ids[0], exc) from None

    weights = result.as_map()
    # In regression mode LIME stores the weights under label 1 and their negation under label 0 (a quirk of its
    # plotting code), so the real weights are label 1's.
    key = label if classifier else 1
    if key not in weights:
        key = next(iter(weights))
    values = np.zeros(len(encoding.columns))
    for index, weight in weights[key]:
        values[int(index)] = float(weight)
    intercept = result.intercept[key] if isinstance(result.intercept, dict) else result.intercept
    local = float(np.atleast_1d(result.local_pred)[0])
    scale = 100.0 if classifier else 1.0
    prediction = bundle.predict(X)
    return Explanation(
        values=values[None, :] * scale,
        base_value=float(intercept) * scale,
        prediction=prediction * scale,
        data=X,
        feature_names=bundle.features,
        row_ids=row_ids,
        method="lime",
        unit=POINTS if classifier else (bundle.card.unit or bundle.card.target or "value"),
        params={
            "num_samples": num_samples,
            "seed": seed,
            "fidelity": float(np.clip(result.score, 0.0, 1.0)),
            "local_prediction": local * scale,
            "discretizer": "quartile",
        },
    )


@lru_cache(maxsize=8)
def _prepared(bundle: Bundle, seed: int) -> tuple[Codec, Any]:
    """The encoding and a never-used, seeded explainer for a bundle: its statistics are the slow part."""
    from lime.lime_tabular import LimeTabularExplainer  # ~0.5 s to import; only this check needs it

    # A number with fewer than two distinct values has no spread to bin (LIME divides by it): code it as a
    # category, which LIME handles by sampling the values seen.
    encoding = make_codec(bundle.X, fill_numbers=True, min_spread=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        template = LimeTabularExplainer(
            encoding.encode(bundle.X),
            mode="classification" if bundle.is_classifier else "regression",
            feature_names=encoding.columns,
            categorical_features=encoding.categorical,
            categorical_names={j: [str(v) for v in encoding.categories[j]] for j in encoding.categorical},
            discretize_continuous=True,
            random_state=seed,
        )
    return encoding, template


def _failed(bundle: Bundle, row_id: str, exc: Exception) -> ExplainError:
    log.warning("LIME failed on %s row %s: %r", bundle.name, row_id, exc)
    return ExplainError(f"The second check could not run for this {bundle.card.entity} ({type(exc).__name__}: {exc}).")
