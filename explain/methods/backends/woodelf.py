"""WOODELF's exact path-dependent TreeSHAP for XGBoost, the fastest exact method for many rows at once.

XGBoost's own ``pred_contribs`` walks every tree for every row; WOODELF (``woodelf-explainer``) works out each
leaf's share for every pattern of the row's decisions along its path once, then looks rows up in those tables.
It costs about 2 s to set up per call and then about a third of ``pred_contribs`` per row
(``bench/bench_scale.py``: 1M Telco-shaped rows, 300 trees of depth 4, on 2 cores), so it goes first from
:data:`FROM_ROWS` rows in one call on, and pages explaining a few rows keep ``pred_contribs``.

It computes in float32: its values agree with ``pred_contribs`` to about 1e-5 log-odds (tested), and the
additivity check of :mod:`explain.methods.exact` holds them to the model's own margin like every exact method.
It reads one output (regression, two classes) and numeric inputs: a model splitting on categories natively, or
with many classes, keeps XGBoost's own method.
"""

from __future__ import annotations

import logging
import warnings
from typing import Any

import numpy as np
import pandas as pd
import xgboost as xgb

from explain.bundle.bundle import Bundle
from explain.bundle.structure import KIND_XGBOOST
from explain.methods.exact import RELATIVE_TOLERANCE, Native, can_group, exact_explainer
from explain.methods.registry import Method

log = logging.getLogger(__name__)

FROM_ROWS = 50_000  # below this, the set-up costs more than pred_contribs takes (bench/bench_scale.py)
CHUNK = 200_000  # rows per call when a progress bar cuts the work up: the set-up is then a tenth of the time


def _installed() -> bool:
    try:
        import woodelf  # noqa: F401
    except ImportError:
        return False
    return True


def applies(bundle: Bundle) -> bool:
    """An XGBoost model with one output on numeric inputs (a pipeline's encoded columns, or numbers only)."""
    if bundle.parts.kind != KIND_XGBOOST or not can_group(bundle) or not _installed():
        return False
    if bundle.is_classifier and len(bundle.parts.classes or []) > 2:
        return False
    if bundle.parts.preprocessor is None:
        return all(pd.api.types.is_numeric_dtype(d) and not pd.api.types.is_bool_dtype(d) for d in bundle.X.dtypes)
    return True


def contributions(bundle: Bundle, inputs: Any) -> Native:
    """Exact path-dependent TreeSHAP values in the model's margin, with the margin XGBoost computes itself."""
    from woodelf import WoodelfExplainer

    estimator = bundle.parts.estimator
    booster = estimator.get_booster() if hasattr(estimator, "get_booster") else estimator
    matrix = np.asarray(inputs.toarray() if hasattr(inputs, "toarray") else inputs, dtype=np.float32)
    names = booster.feature_names or list(range(matrix.shape[1]))
    # XGBoost sends a row left when x < t in float32. WOODELF 0.4 reads each t one float32 step lower and tests
    # x < t - step, so a value exactly one step below a threshold went right: about one row in 20,000 of a model
    # with gaps, wrong by up to 0.09 log-odds (bench/bench_scale.py). One step lower for every input too gives
    # back XGBoost's own test for every value (stepping down keeps the order of float32 numbers); a test holds
    # rows on every side of every threshold equal to XGBoost's own values.
    frame = pd.DataFrame(np.nextafter(matrix, np.float32(-np.inf)), columns=names, copy=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        values = np.asarray(WoodelfExplainer(estimator).shap_values(frame, verbose=False), dtype=float)
    values = values.reshape(len(matrix), -1)
    dmatrix = xgb.DMatrix(matrix, feature_names=booster.feature_names)
    margin = np.asarray(booster.predict(dmatrix, output_margin=True, validate_features=False), dtype=float)
    # The base (the cover-weighted mean of the trees plus the model's base score) is the same for every row:
    # XGBoost's own bias term for one row gives it, so the check below still compares two separate computations.
    one = xgb.DMatrix(matrix[:1], feature_names=booster.feature_names)
    base = float(booster.predict(one, pred_contribs=True, validate_features=False)[0, -1]) if len(matrix) else 0.0
    _repair(booster, matrix, values, base, margin)
    return Native(values=values, base=base, raw=margin)


def _repair(booster: Any, matrix: np.ndarray, values: np.ndarray, base: float, margin: np.ndarray) -> None:
    """Rows whose values do not add up to XGBoost's own margin (sent down another branch than XGBoost's) get
    XGBoost's own values instead, in place: a few rows' ``pred_contribs`` rather than a wrong reason. A row
    misrouted only where it does not go (which moves its shares but not their sum) cannot be seen here: the
    step above is what prevents that."""
    size = np.maximum(np.abs(margin), np.abs(values).sum(axis=1)) + abs(base)
    wrong = np.flatnonzero(np.abs(base + values.sum(axis=1) - margin) > RELATIVE_TOLERANCE * size + 1e-12)
    if not len(wrong):
        return
    log.warning("WOODELF did not add up on %d of %d rows; those take XGBoost's own values", len(wrong), len(matrix))
    some = xgb.DMatrix(matrix[wrong], feature_names=booster.feature_names)
    values[wrong] = np.asarray(booster.predict(some, pred_contribs=True, validate_features=False))[:, :-1]


METHOD = Method(
    name="woodelf-tree-exact",
    role="reasons",
    exact=True,
    plain="worked out exactly from the model",
    analyst="exact TreeSHAP by WOODELF (path-dependent, in float32: within 1e-5 log-odds of XGBoost's own)",
    applies=applies,
    explain=exact_explainer("woodelf-tree-exact", contributions, chunk=CHUNK),
    priority=11,
    from_rows=FROM_ROWS,
)
