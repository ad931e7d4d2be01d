"""Exact path-dependent TreeSHAP over a small, library-free tree-ensemble format, in pure numpy.

This computes what ``shap.TreeExplainer(model, feature_perturbation="tree_path_dependent")`` computes (Lundberg et
al. 2018/2020, "Algorithm 2"): the Shapley values of the value function ``v(S) = E[f(x) | x_S]`` in which a split on a
feature outside ``S`` sends the row down both children, weighted by the children's covers (training sample counts).
Unlike shap's readers, the format here knows categorical splits (a set of category codes that go left) and where
missing values go, so models with native categorical splits are explained exactly.

The formula. For one leaf with value ``v`` whose root path tests ``d`` distinct features, feature ``j`` has a cover
fraction ``z_j`` (the product of child/parent cover ratios of the path's splits on ``j``) and, for a row ``x``,
``o_j(x)`` (1 if ``x`` satisfies every one of the path's conditions on ``j``). The leaf's share of ``v(S)`` is
``v * prod_j (o_j if j in S else z_j)``, so its Shapley value for feature ``i`` is::

    v * (o_i - z_i) * sum_k k! (d-k-1)! / d! * [t^k] prod_{j != i} (z_j + o_j t)
  = v * (o_i - z_i) * integral_0^1 prod_{j != i} F_j(t) dt,      F_j(t) = z_j (1 - t) + o_j t

(the Shapley weight is the Beta integral of ``t^k (1-t)^(d-1-k)``). The integrand is a polynomial of degree ``d - 1``,
so a Gauss-Legendre rule of ``Q = ceil(d / 2)`` points gives it exactly.

Two ways to evaluate it, chosen per tree:

- **Pattern tables** (trees whose paths test at most 12 distinct features and whose tables stay small, e.g.
  HistGradientBoosting's default 31 leaves): a leaf's shares depend on the row only through its pattern of ``o``
  bits, so every leaf gets a table of all ``2^d`` patterns once (cached with the ensemble, at most 32 MB) and each
  row costs one look-up per leaf and ``O(d)`` bit operations: ``O(n_rows * sum of d over leaves)``.
- **Along the tree** (deeper trees): ``prod_j F_j(t_q)`` is carried down the tree node by node (a repeated feature's
  factor is divided out and replaced), summed back up over leaves, and each edge gets the sum over the leaves for
  which it is the last split on its feature (in the spirit of Linear TreeShap, Yu et al. 2022):
  ``O(n_rows * n_nodes * Q)``, against ``O(n_rows * n_leaves * depth^2)`` for shap's own algorithm.

The package: :mod:`.format` (the tree format, :func:`predict_raw` and input checks), :mod:`.plan` (which trees go
which way, cached per ensemble), :mod:`.tables` and :mod:`.along` (the two evaluators), and what they share,
:mod:`.walk` (one pass over a tree's nodes) and :mod:`.splits` (the splits of many trees tested together).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from explain.methods.treeshap.along import _add_along_trees
from explain.methods.treeshap.format import (
    N_CATEGORY_CODES,
    BoolArray,
    FloatArray,
    IntArray,
    Tree,
    TreeEnsemble,
    _as_rows,
    predict_raw,
)
from explain.methods.treeshap.plan import _plan
from explain.methods.treeshap.tables import _add_by_tables

__all__ = [
    "N_CATEGORY_CODES",
    "BoolArray",
    "FloatArray",
    "IntArray",
    "Tree",
    "TreeEnsemble",
    "path_dependent_shap",
    "predict_raw",
]


def path_dependent_shap(ensemble: TreeEnsemble, X: Any) -> tuple[FloatArray, float]:
    """Exact path-dependent TreeSHAP values of every row.

    Parameters
    ----------
    ensemble : TreeEnsemble
    X : array-like of shape (n_rows, n_features)
        Numeric values and category codes; NaN for missing.

    Returns
    -------
    values : ndarray of shape (n_rows, n_features)
    base : float
        The cover-weighted mean output, summed over trees; ``base + values.sum(1) == predict_raw(ensemble, X)``.
    """
    X = _as_rows(ensemble, X)
    plan = _plan(ensemble)
    values = np.zeros((X.shape[0], ensemble.n_features))
    if plan.groups:
        _add_by_tables(values, X, plan.table_splits, plan.groups)
    for batch in plan.batches:
        _add_along_trees(values, X, batch)
    return values, plan.base
