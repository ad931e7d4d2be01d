"""LIME on the raw columns: a second, independent check on the reasons for one row.

The whole model (pipeline included) is the black box. Categorical columns are perturbed as categories and
numbers as numbers (binned into quartiles, LIME's default), with a fixed seed, so the same request gives the
same answer. LIME is a local linear fit, so its reasons do not add up to the model's prediction exactly: the
fit's own estimate and its quality (fidelity, the weighted R² of the local fit, 0-1) are recorded as a
:class:`~explain.methods.explanation.LocalFit`.

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

from explain.bundle.bundle import Bundle
from explain.errors import ExplainError
from explain.methods.codec import Codec, make_codec
from explain.methods.explanation import Explanation, LocalFit, Provenance
from explain.methods.reasons import population_rows, sample_rows
from explain.methods.registry import Method, Progress

log = logging.getLogger(__name__)

DEFAULT_SAMPLES = 5000
SEED = 0


def explain(
    bundle: Bundle,
    X: pd.DataFrame,
    *,
    progress: Progress | None = None,
    samples: int | None = None,
    seed: int | None = None,
) -> Explanation:
    """Explain one row with LIME, in the same raw columns and unit as the reasons.

    Parameters
    ----------
    bundle : Bundle
    X : DataFrame of shape (1, n_features)
        The row (a reference row, or a what-if row); its index holds the row's id.
    samples : int, optional
        How many perturbed rows LIME fits its local model on (default 5,000).
    seed : int, optional
        Fixes LIME's sampling: the same request gives the same answer (default 0).

    Returns
    -------
    Explanation
        ``values`` are the local model's weights (percentage points for classifiers), ``base_value`` its
        intercept; ``local_fit`` holds the fit's own estimate and quality. They do not add up to ``prediction``.

    Raises
    ------
    ExplainError
        When LIME fails on this row; the message is plain.
    """
    num_samples = DEFAULT_SAMPLES if samples is None else samples
    seed = SEED if seed is None else seed
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
    output = bundle.output
    return Explanation(
        values=values[None, :] * output.scale,
        base_value=float(intercept) * output.scale,
        prediction=bundle.predict(X) * output.scale,
        data=X,
        feature_names=bundle.features,
        row_ids=row_ids,
        output=output,
        provenance=Provenance(method="lime", exact=False, native_space="output", seed=seed),
        local_fit=LocalFit(
            samples=num_samples,
            seed=seed,
            fidelity=float(np.clip(result.score, 0.0, 1.0)),
            prediction=local * output.scale,
            intercept=float(intercept) * output.scale,
            discretizer="quartile",
        ),
    )


@lru_cache(maxsize=8)
def _prepared(bundle: Bundle, seed: int) -> tuple[Codec, Any]:
    """The encoding and a never-used, seeded explainer for a bundle: its statistics are the slow part."""
    from lime.lime_tabular import LimeTabularExplainer  # ~0.5 s to import; only this check needs it

    # A number with fewer than two distinct values has no spread to bin (LIME divides by it): code it as a
    # category, which LIME handles by sampling the values seen.
    encoding = make_codec(bundle.X, fill_numbers=True, min_spread=2)
    # LIME's statistics (quartiles, how often each category occurs) from the same seeded sample the
    # whole-population views explain, for a large bundle: from a million rows they took 8 s of a customer's first
    # page, and a sample of 10,000 gives the same quartiles to the bins' precision. The encoding above still
    # knows every category.
    rows = bundle.X
    if len(rows) > population_rows():
        rows = rows.iloc[sample_rows(len(rows), population_rows())]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        template = LimeTabularExplainer(
            encoding.encode(rows),
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


METHOD = Method(
    name="lime",
    role="check",
    exact=False,
    plain="a second, independent check: a simple local fit around this one customer (an estimate)",
    analyst="LIME: a weighted linear fit on perturbed rows around this one (quartile bins, categories as categories)",
    applies=lambda bundle: True,
    explain=explain,
)
