"""The model-agnostic fallback: Shapley values by sampling permutations, on the raw columns.

Used when the exact methods do not apply (an unknown estimator, preprocessing that mixes columns). It treats the
whole model as a black box, so it is slower; it reports progress chunk by chunk. Permutation sampling is still
additive: each row's values add up to its output minus the background's average output.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from explain.bundle.bundle import Bundle
from explain.methods.codec import make_codec
from explain.methods.explanation import Explanation, Provenance
from explain.methods.registry import Method, Progress

BACKGROUND_ROWS = 100
POPULATION_CAP = 500  # rows the slow fallback explains for a whole-population view
SEED = 0


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


def explain(
    bundle: Bundle,
    X: pd.DataFrame,
    *,
    progress: Progress | None = None,
    samples: int | None = None,
    seed: int | None = None,
) -> Explanation:
    """Permutation Shapley values of the whole model, compared with a seeded sample of the reference rows.

    ``samples`` is how many reference rows to compare with (default 100); ``seed`` fixes which, and the
    permutations.
    """
    seed = SEED if seed is None else seed
    rng = np.random.default_rng(seed)
    n_background = min(samples or BACKGROUND_ROWS, len(bundle.X))
    background = bundle.X.iloc[np.sort(rng.choice(len(bundle.X), n_background, replace=False))]
    values, base = contributions(bundle.predict, X, background, seed=seed, progress=progress)
    output = bundle.output
    return Explanation(
        values=values * output.scale,
        base_value=base * output.scale,
        prediction=bundle.predict(X) * output.scale,
        data=X,
        feature_names=bundle.features,
        row_ids=[str(i) for i in X.index],
        output=output,
        provenance=Provenance(
            method="permutation-sampling", exact=False, native_space="output", seed=seed, background_rows=n_background
        ),
    )


METHOD = Method(
    name="permutation-sampling",
    role="reasons",
    exact=False,
    plain="estimated by trying many combinations of the facts (a close estimate, not exact)",
    analyst="model-agnostic permutation sampling of Shapley values (shap.PermutationExplainer)",
    applies=lambda bundle: True,
    explain=explain,
    priority=1000,  # the fallback: any model, but slow and approximate
    population_cap=POPULATION_CAP,
)
