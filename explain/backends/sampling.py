"""The model-agnostic fallback: Shapley values by sampling permutations, on the raw columns.

Used when the exact methods do not apply (an unknown estimator, preprocessing that mixes columns). It treats the
whole model as a black box, so it is slower; it reports progress chunk by chunk. Permutation sampling is still
additive: each row's values add up to its output minus the background's average output.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

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

    codec = _Codec(pd.concat([background, X]))
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


class _Codec:
    """Numbers stay numbers; text columns become category codes, so shap's maskers can handle them."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.columns = list(frame.columns)
        self.dtypes = frame.dtypes
        self.categories = {
            c: pd.Index(frame[c].dropna().unique()) for c in self.columns if not pd.api.types.is_numeric_dtype(frame[c])
        }

    def encode(self, frame: pd.DataFrame) -> np.ndarray:
        out = np.empty(frame.shape, dtype=float)
        for j, c in enumerate(self.columns):
            if c in self.categories:
                codes = self.categories[c].get_indexer(frame[c]).astype(float)
                out[:, j] = np.where(codes < 0, np.nan, codes)
            else:
                out[:, j] = frame[c].to_numpy(dtype=float, na_value=np.nan)
        return out

    def decode(self, codes: np.ndarray) -> pd.DataFrame:
        data = {}
        for j, c in enumerate(self.columns):
            col = codes[:, j]
            if c in self.categories:
                cats = self.categories[c]
                values = np.array([cats[int(k)] if not np.isnan(k) else None for k in col], dtype=object)
                dtype = self.dtypes[c]
                data[c] = values if dtype == np.dtype(object) else pd.Series(values).astype(dtype)
            else:
                data[c] = col
        return pd.DataFrame(data, columns=self.columns)
