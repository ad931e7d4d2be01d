"""Exact path-dependent TreeSHAP for scikit-learn's tree ensembles.

Which library computes it depends on the trees' shape, from ``bench/bench_methods.py`` (the fastest exact one):
forests grown deep (random forests, extra trees and single trees, unlimited depth by default) go to shapiq's
TreeExplainer when there are more than a few rows, about four times faster there than shap's C++ TreeSHAP (2,000
rows of a 100-tree forest of depth 32: 50 s against 224 s); one row, and shallow boosted trees, go to shap, which is
faster for them.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np

from explain.bundle.bundle import Bundle
from explain.bundle.structure import KIND_TREE
from explain.methods.exact import Native, exact_explainer, kind_is
from explain.methods.registry import Method

log = logging.getLogger(__name__)

_DEEP_KINDS = ("RandomForest", "ExtraTrees", "DecisionTree", "ExtraTree")
WORK_BUDGET = 20.0  # seconds a whole-population view may take before it explains a seeded sample instead
SECONDS_PER_UNIT = 5e-9  # per row x leaf x depth, measured with shapiq on this 2-core machine (bench_methods)
MIN_ROWS = 500
# shapiq spends about 0.2 s setting up each call, so for one row (a customer, a what-if slider) shap is faster
# (0.08 s against 0.25 s for a 100-tree forest of depth 32); from a handful of rows on, shapiq is.
FEW_ROWS = 10


def contributions(bundle: Bundle, inputs: Any) -> Native:
    """Exact TreeSHAP values: forests and single trees in each class's chance, gradient boosting in its score."""
    estimator = bundle.parts.estimator
    # scikit-learn's trees compare float32 inputs with their thresholds: 70.15 as float64 can take the other
    # branch at a threshold of float32(70.15), so the rows are explained as the model reads them.
    Xt = np.asarray(inputs.toarray() if hasattr(inputs, "toarray") else inputs, dtype=np.float32).astype(float)
    if type(estimator).__name__.startswith("GradientBoosting"):
        raw = estimator.decision_function(inputs)  # the score, from the input as the model takes it
    elif hasattr(estimator, "predict_proba"):
        raw = estimator.predict_proba(inputs)
    else:
        raw = estimator.predict(inputs)
    raw = np.asarray(raw, dtype=float)
    if _is_deep(estimator) and len(Xt) > FEW_ROWS:
        try:
            return _shapiq(estimator, Xt, raw)
        except ImportError:
            log.info("shapiq is not installed; shap's TreeExplainer explains %s", type(estimator).__name__)
    return _shap(estimator, Xt, raw)


def _shap(estimator: Any, Xt: np.ndarray, raw: np.ndarray) -> Native:
    import shap  # imported here: it costs ~0.3 s at start-up, and XGBoost and linear models never need it

    explainer = shap.TreeExplainer(estimator)
    values = np.asarray(explainer.shap_values(Xt, check_additivity=False), dtype=float)
    base = np.atleast_1d(np.asarray(explainer.expected_value, dtype=float))
    return Native(values=values, base=base, raw=raw)


def _shapiq(estimator: Any, Xt: np.ndarray, raw: np.ndarray) -> Native:
    import shapiq

    classes = len(getattr(estimator, "classes_", [])) or 1
    # A binary classifier: its last class only (the other is its complement); more classes: each one.
    wanted = [classes - 1] if classes <= 2 else list(range(classes))
    values, base = [], []
    for k in wanted:
        explainer = shapiq.TreeExplainer(  # type: ignore[operator]  # shapiq exports it lazily
            estimator, max_order=1, index="SV", class_index=k if classes > 1 else None
        )
        batch = explainer.explain_X(Xt)
        unused = np.zeros(len(Xt))  # shapiq leaves out the columns no split reads
        values.append(np.column_stack([np.asarray(batch.values.get((j,), unused), float) for j in range(Xt.shape[1])]))
        base.append(float(np.mean(batch.baseline_value)))
    if classes <= 2:
        return Native(values=values[0], base=base[0], raw=raw[:, -1] if raw.ndim == 2 else raw)
    return Native(values=np.stack(values, axis=2), base=np.array(base), raw=raw)


def _is_deep(estimator: Any) -> bool:
    return type(estimator).__name__.startswith(_DEEP_KINDS)


def population_cap(bundle: Bundle) -> int | None:
    """Every row, unless the forest is so large that explaining them all would take more than ``WORK_BUDGET``:
    then a seeded sample of as many rows as fit it (at least ``MIN_ROWS``), each explained exactly."""
    estimator = bundle.parts.estimator
    trees = getattr(estimator, "estimators_", [estimator])
    flat = np.ravel(np.asarray(trees, dtype=object))
    work = sum(t.tree_.n_leaves * t.tree_.max_depth for t in flat if hasattr(t, "tree_"))
    classes = len(getattr(estimator, "classes_", []))
    per_row = SECONDS_PER_UNIT * work * (classes if classes > 2 and _is_deep(estimator) else 1)
    fits = int(WORK_BUDGET / per_row) if per_row > 0 else len(bundle.X)
    return None if fits >= len(bundle.X) else max(MIN_ROWS, fits)


METHOD = Method(
    name="tree-shap-exact",
    role="reasons",
    exact=True,
    plain="worked out exactly from the model",
    analyst="exact path-dependent TreeSHAP: shapiq's TreeExplainer for deep forests, shap's for boosted trees",
    applies=kind_is(KIND_TREE),
    explain=exact_explainer("tree-shap-exact", contributions),
    priority=20,
    population_cap=population_cap,
)
