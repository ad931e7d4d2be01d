"""The model-agnostic fallback: Shapley values by sampling permutations, on the raw columns.

Used when the exact methods do not apply (an unknown estimator, preprocessing that mixes columns). It treats the
whole model as a black box, so it is slower; it reports progress chunk by chunk. Permutation sampling is still
additive: each row's values add up to its output minus the background's average output.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from explain.methods.codec import make_codec

Progress = Callable[[float, str], None]


def contributions(
    predict: Callable[[pd.DataFrame], np.ndarray],
    X: pd.DataFrame,
    background: pd.DataFrame,
    *,
    seed: int,
    progress: Progress | None = None,
    chunk: int = 25,
) -> tuple[np.ndarray, float]:
    """Permutation Shapley values of ``predict`` for the rows of ``X``.

    Returns
    -------
    values : ndarray of shape (n_rows, n_columns)
        In the output space of ``predict``.
    base : float
        The average output over ``background``.
    """
    import shap  # imported here: it costs ~0.3 s at start-up, and only this slow fallback needs it

    codec = make_codec(pd.concat([background, X]))
    masker = shap.maskers.Independent(codec.encode(background), max_samples=len(background))
    explainer = shap.PermutationExplainer(lambda codes: predict(codec.decode(codes)), masker, seed=seed)
    encoded = codec.encode(X)
    parts, base = [], 0.0
    for start in range(0, len(X), chunk):
        result = explainer(encoded[start : start + chunk], max_evals=2 * X.shape[1] + 1, silent=True)
        parts.append(np.asarray(result.values, dtype=float))
        base = float(np.atleast_1d(result.base_values)[0])
        if progress is not None:
            done = min(start + chunk, len(X))
            progress(done / len(X), f"Worked through {done:,} of {len(X):,} rows")
    values = np.vstack(parts) if parts else np.zeros((0, X.shape[1]))
    return values, base
