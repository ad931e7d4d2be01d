"""XGBoost's own exact tree contributions (``pred_contribs``), the fastest exact method for its models."""

from __future__ import annotations

from typing import Any

import numpy as np
import xgboost as xgb

from explain.bundle.structure import KIND_XGBOOST
from explain.methods.exact import Native, exact_explainer, kind_is
from explain.methods.registry import Method


def contributions(estimator: Any, Xt: np.ndarray, *, background: np.ndarray, class_index: int) -> Native:
    """Exact TreeSHAP values of an XGBoost model, in its margin (log-odds for binary classifiers)."""
    booster = estimator.get_booster() if hasattr(estimator, "get_booster") else estimator
    matrix = xgb.DMatrix(Xt, feature_names=booster.feature_names, feature_types=booster.feature_types)
    raw = booster.predict(matrix, pred_contribs=True, validate_features=False)
    if raw.ndim == 3:  # multiclass: (rows, classes, features + bias)
        raw = raw[:, class_index, :]
        sign = 1.0
    else:
        # Binary models score the last class; the first class's log-odds are the negation.
        sign = -1.0 if class_index == 0 and _is_binary_classifier(estimator) else 1.0
    values = sign * raw[:, :-1].astype(float)
    base = sign * float(raw[0, -1]) if len(raw) else 0.0
    return Native(values=values, base=base, space="margin")


def _is_binary_classifier(estimator: Any) -> bool:
    classes = getattr(estimator, "classes_", None)
    return classes is not None and len(classes) == 2


METHOD = Method(
    name="xgboost-tree-exact",
    role="reasons",
    exact=True,
    plain="worked out exactly from the model",
    analyst="exact TreeSHAP from XGBoost's own pred_contribs (path-dependent)",
    applies=kind_is(KIND_XGBOOST),
    explain=exact_explainer("xgboost-tree-exact", contributions),
    priority=10,
)
