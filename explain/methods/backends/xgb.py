"""XGBoost's own exact tree contributions (``pred_contribs``), the fastest exact method for its models.

Works on the estimator's own input, categorical columns included (``enable_categorical``): XGBoost splits on
categories natively, and its contributions already belong to the raw column.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import xgboost as xgb

from explain.bundle.bundle import Bundle
from explain.bundle.structure import KIND_XGBOOST
from explain.methods.exact import Native, bias_last, exact_explainer, kind_is
from explain.methods.registry import Method


def contributions(bundle: Bundle, inputs: Any) -> Native:
    """Exact path-dependent TreeSHAP values of an XGBoost model in its margin, one output per class."""
    estimator = bundle.parts.estimator
    booster = estimator.get_booster() if hasattr(estimator, "get_booster") else estimator
    if isinstance(inputs, pd.DataFrame):
        matrix = xgb.DMatrix(inputs, enable_categorical=True)
    else:
        matrix = xgb.DMatrix(np.asarray(inputs, dtype=float), feature_names=booster.feature_names)
    raw = np.asarray(booster.predict(matrix, pred_contribs=True, validate_features=False), dtype=float)
    margin = np.asarray(booster.predict(matrix, output_margin=True, validate_features=False), dtype=float)
    return bias_last(raw, margin)  # many classes: (rows, classes, columns + bias)


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
