"""shap's TreeExplainer for scikit-learn tree ensembles (exact, path-dependent, no background data needed)."""

from __future__ import annotations

from typing import Any

import numpy as np

from explain.bundle.bundle import Bundle
from explain.bundle.structure import KIND_TREE
from explain.methods.exact import Native, exact_explainer, kind_is
from explain.methods.registry import Method


def contributions(bundle: Bundle, inputs: Any) -> Native:
    """Exact TreeSHAP values: forests and single trees in each class's chance, gradient boosting in its score."""
    import shap  # imported here: it costs ~0.3 s at start-up, and XGBoost and linear models never need it

    estimator = bundle.parts.estimator
    Xt = np.asarray(inputs.toarray() if hasattr(inputs, "toarray") else inputs, dtype=float)
    explainer = shap.TreeExplainer(estimator)
    values = np.asarray(explainer.shap_values(Xt, check_additivity=False), dtype=float)
    base = np.atleast_1d(np.asarray(explainer.expected_value, dtype=float))
    if hasattr(estimator, "decision_function") and type(estimator).__name__.startswith("GradientBoosting"):
        raw = estimator.decision_function(inputs)  # the score, from the input as the model takes it
    elif hasattr(estimator, "predict_proba"):
        raw = estimator.predict_proba(inputs)
    else:
        raw = estimator.predict(inputs)
    return Native(values=values, base=base, raw=np.asarray(raw, dtype=float))


METHOD = Method(
    name="tree-shap-exact",
    role="reasons",
    exact=True,
    plain="worked out exactly from the model",
    analyst="exact TreeSHAP from shap.TreeExplainer (path-dependent)",
    applies=kind_is(KIND_TREE),
    explain=exact_explainer("tree-shap-exact", contributions),
    priority=20,
)
