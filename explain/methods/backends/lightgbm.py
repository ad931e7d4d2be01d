"""LightGBM's own exact tree contributions (``pred_contrib``), on the estimator's own input.

LightGBM reads pandas categorical columns natively (one split sends a set of categories left), so its
contributions belong to the raw column; shap would have to re-read its trees to get the same.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from explain.bundle.bundle import Bundle
from explain.bundle.structure import KIND_LIGHTGBM
from explain.methods.exact import Native, bias_last, exact_explainer, kind_is
from explain.methods.registry import Method


def contributions(bundle: Bundle, inputs: Any) -> Native:
    """Exact path-dependent TreeSHAP values of a LightGBM model in its raw score, one output per class."""
    estimator = bundle.parts.estimator
    booster = estimator.booster_ if hasattr(estimator, "booster_") else estimator
    data = inputs if isinstance(inputs, pd.DataFrame) else np.asarray(inputs, dtype=float)
    raw = np.asarray(booster.predict(data, pred_contrib=True), dtype=float)
    score = np.asarray(booster.predict(data, raw_score=True), dtype=float)
    n_features = booster.num_feature()
    if raw.shape[1] > n_features + 1:  # many classes: each class's columns and bias side by side
        raw = raw.reshape(len(raw), -1, n_features + 1)
    return bias_last(raw, score)


METHOD = Method(
    name="lightgbm-tree-exact",
    role="reasons",
    exact=True,
    plain="worked out exactly from the model",
    analyst="exact TreeSHAP from LightGBM's own pred_contrib (path-dependent)",
    applies=kind_is(KIND_LIGHTGBM),
    explain=exact_explainer("lightgbm-tree-exact", contributions),
    priority=10,
)
