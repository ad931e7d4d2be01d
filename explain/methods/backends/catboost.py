"""CatBoost's own exact SHAP values (``get_feature_importance(type="ShapValues")``), on the estimator's own input.

CatBoost turns categories into numbers inside the model (target statistics and combinations of columns); its
own SHAP values are given per input column, so they belong to the raw column, categories included.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from explain.bundle.bundle import Bundle
from explain.bundle.structure import KIND_CATBOOST
from explain.methods.exact import Native, bias_last, exact_explainer, kind_is
from explain.methods.registry import Method


def contributions(bundle: Bundle, inputs: Any) -> Native:
    """Exact SHAP values of a CatBoost model in its raw formula value, one output per class."""
    from catboost import Pool  # an optional extra: only bundles holding a CatBoost model reach here

    estimator = bundle.parts.estimator
    frame = inputs if isinstance(inputs, pd.DataFrame) else pd.DataFrame(np.asarray(inputs))
    categorical = [int(i) for i in estimator.get_cat_feature_indices()]
    if categorical:
        frame = frame.copy()
        for i in categorical:  # CatBoost wants categories as text or whole numbers; a missing one as text too
            column = frame.columns[i]
            frame[column] = frame[column].astype(object).where(frame[column].notna(), "nan").astype(str)
    pool = Pool(frame, cat_features=categorical or None)
    raw = np.asarray(estimator.get_feature_importance(pool, type="ShapValues"), dtype=float)
    score = np.asarray(estimator.predict(pool, prediction_type="RawFormulaVal"), dtype=float)
    return bias_last(raw, score)  # many classes: (rows, classes, columns + bias)


METHOD = Method(
    name="catboost-exact",
    role="reasons",
    exact=True,
    plain="worked out exactly from the model",
    analyst="CatBoost's own exact SHAP values (get_feature_importance type='ShapValues')",
    applies=kind_is(KIND_CATBOOST),
    explain=exact_explainer("catboost-exact", contributions),
    priority=10,
)
