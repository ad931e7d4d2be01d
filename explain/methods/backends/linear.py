"""The closed form for linear models: contribution_j = coef_j * (x_j - mean_j) on the encoded columns."""

from __future__ import annotations

from typing import Any

import numpy as np

from explain.bundle.bundle import Bundle
from explain.bundle.structure import KIND_LINEAR
from explain.methods.exact import Native, exact_explainer, kind_is
from explain.methods.registry import Method


def contributions(bundle: Bundle, inputs: Any) -> Native:
    """Exact SHAP values of a linear model with independent inputs, in its decision function's space."""
    estimator = bundle.parts.estimator
    Xt = np.asarray(inputs.toarray() if hasattr(inputs, "toarray") else inputs, dtype=float)
    coef = np.atleast_2d(np.asarray(estimator.coef_, dtype=float))  # (outputs, encoded)
    intercept = np.atleast_1d(np.asarray(estimator.intercept_, dtype=float))
    mean = bundle.encoded.mean(axis=0)
    values = (Xt - mean)[:, :, None] * coef.T[None, :, :]
    # The model's own score, from the input as the model takes it (a frame keeps its column names).
    raw = estimator.decision_function(inputs) if hasattr(estimator, "decision_function") else estimator.predict(inputs)
    return Native(values=values, base=intercept + coef @ mean, raw=np.asarray(raw, dtype=float))


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
