"""shap's TreeExplainer for scikit-learn tree ensembles (exact, path-dependent, no background data needed)."""

from __future__ import annotations

from typing import Any

import numpy as np

from explain.bundle.structure import KIND_TREE
from explain.methods.exact import Native, exact_explainer, kind_is
from explain.methods.registry import Method


def contributions(estimator: Any, Xt: np.ndarray, *, background: np.ndarray, class_index: int) -> Native:
    """Exact TreeSHAP values; random forests come out as probabilities, boosted trees as log-odds."""
    import shap  # imported here: it costs ~0.3 s at start-up, and XGBoost and linear models never need it

    explainer = shap.TreeExplainer(estimator)
    values = np.asarray(explainer.shap_values(Xt, check_additivity=False), dtype=float)
    base = np.atleast_1d(np.asarray(explainer.expected_value, dtype=float))
    if values.ndim == 3:  # (rows, features, outputs)
        values = values[:, :, class_index]
        base_value = float(base[class_index])
    else:
        sign = -1.0 if class_index == 0 and len(getattr(estimator, "classes_", [])) == 2 else 1.0
        values, base_value = sign * values, sign * float(base[0])
    # The caller checks which space these are in against the model's own output.
    return Native(values=values, base=base_value, space="unknown")


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
