"""The closed form for linear models: contribution_j = coef_j * (x_j - mean_j) on the encoded columns."""

from __future__ import annotations

from typing import Any

import numpy as np

from explain.bundle.structure import KIND_LINEAR
from explain.methods.exact import Native, exact_explainer, kind_is
from explain.methods.registry import Method


def contributions(estimator: Any, Xt: np.ndarray, *, background: np.ndarray, class_index: int) -> Native:
    """Exact SHAP values of a linear model with independent inputs, in its decision function's space."""
    coef = np.atleast_2d(np.asarray(estimator.coef_, dtype=float))
    intercept = np.atleast_1d(np.asarray(estimator.intercept_, dtype=float))
    if coef.shape[0] == 1:
        # One row of coefficients scores the last class (binary) or the target (regression).
        sign = -1.0 if class_index == 0 and len(getattr(estimator, "classes_", [])) == 2 else 1.0
        w, b = sign * coef[0], sign * float(intercept[0])
    else:
        w, b = coef[class_index], float(intercept[class_index])
    mean = background.mean(axis=0)
    return Native(values=(Xt - mean) * w, base=b + float(mean @ w), space="margin")


METHOD = Method(
    name="linear-exact",
    role="reasons",
    exact=True,
    plain="worked out exactly from the model",
    analyst="the closed form for linear models, coef × (x − mean of the reference data)",
    applies=kind_is(KIND_LINEAR),
    explain=exact_explainer("linear-exact", contributions),
    priority=30,
)
