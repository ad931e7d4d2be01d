"""The library-free tree-ensemble format that TreeSHAP reads, and the ensemble's own predictions.

Readers of real models (:mod:`explain.methods.hgb_trees`, the gradient-boosting backend) build these trees; the
evaluators in this package only read them. The routing rules of a split (numeric, categorical, missing) live here
once, in :func:`_goes_left`, so that :func:`predict_raw` and the Shapley values agree on where every row goes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]
BoolArray = NDArray[np.bool_]

N_CATEGORY_CODES = 256


@dataclass(frozen=True, eq=False)
class Tree:
    """One binary decision tree as parallel node arrays; node 0 is the root.

    A row at internal node ``n`` reads ``x = X[row, feature[n]]`` and goes to ``left[n]`` or ``right[n]``:

    - ``x`` is NaN: left when ``missing_left[n]``;
    - numeric split (``category_set[n] == -1``): left when ``x <= threshold[n]``;
    - categorical split: ``x`` is a category code. Codes ``0 <= x < 256`` are truncated to an integer (as
      scikit-learn's predictor casts them) and go left when ``left_categories[category_set[n], int(x)]``; negative
      codes and codes of 256 or more are treated as missing (left when ``missing_left[n]``). A reader that must send
      unknown categories the missing way folds that into the table row (see :mod:`explain.methods.hgb_trees`).

    Attributes
    ----------
    feature : ndarray of shape (n_nodes,), dtype intp
        Column of ``X`` each split reads; -1 at leaves.
    threshold : ndarray of shape (n_nodes,), dtype float64
        Numeric splits: left when ``x <= threshold``. Unused elsewhere.
    missing_left : ndarray of shape (n_nodes,), dtype bool
        Where NaN (and out-of-range category codes) go.
    category_set : ndarray of shape (n_nodes,), dtype intp
        Row of ``left_categories`` of a categorical split; -1 for numeric splits and leaves.
    left, right : ndarray of shape (n_nodes,), dtype intp
        Children of internal nodes, each after its parent (unused at leaves).
    value : ndarray of shape (n_nodes,), dtype float64
        Leaf values (unused at internal nodes).
    cover : ndarray of shape (n_nodes,), dtype float64
        Training samples that reached each node; positive.
    left_categories : ndarray of shape (n_sets, 256), dtype bool
        Which category codes go left, one row per categorical split (or shared between splits).
    """

    feature: IntArray
    threshold: FloatArray
    missing_left: BoolArray
    category_set: IntArray
    left: IntArray
    right: IntArray
    value: FloatArray
    cover: FloatArray
    left_categories: BoolArray

    def __post_init__(self) -> None:
        coerce = {
            "feature": np.intp,
            "threshold": np.float64,
            "missing_left": np.bool_,
            "category_set": np.intp,
            "left": np.intp,
            "right": np.intp,
            "value": np.float64,
            "cover": np.float64,
        }
        for name, dtype in coerce.items():
            object.__setattr__(self, name, np.ascontiguousarray(getattr(self, name), dtype=dtype))
        table = np.asarray(self.left_categories, dtype=np.bool_).reshape(-1, N_CATEGORY_CODES)
        object.__setattr__(self, "left_categories", table)
        n_nodes = self.feature.shape[0]
        if n_nodes == 0 or any(getattr(self, name).shape != (n_nodes,) for name in coerce):
            raise ValueError("a tree needs at least one node and node arrays of one common length")
        internal = np.flatnonzero(self.feature >= 0)
        for child in (self.left[internal], self.right[internal]):
            if np.any((child <= internal) | (child >= n_nodes)):
                raise ValueError("a node's children must come after it in the node arrays")
        children = np.sort(np.concatenate([self.left[internal], self.right[internal]]))
        if not np.array_equal(children, np.arange(1, n_nodes)):
            raise ValueError("every node but the root must be the child of exactly one node")
        if np.any(self.category_set[internal] >= table.shape[0]):
            raise ValueError("a categorical split points past the left_categories table")
        if np.any(~(self.cover > 0)):
            raise ValueError("every node needs a positive cover")

    @property
    def categorical(self) -> BoolArray:
        """Whether each node is a categorical split, shape (n_nodes,)."""
        return (self.category_set >= 0) & (self.feature >= 0)


@dataclass(frozen=True, eq=False)
class TreeEnsemble:
    """Trees whose leaf values add up to one raw output (a score, a log-odds, a class score).

    Attributes
    ----------
    trees : tuple of Tree
    n_features : int
        Columns of the ``X`` the trees read; every ``feature`` is below it.
    """

    trees: tuple[Tree, ...]
    n_features: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "trees", tuple(self.trees))
        for tree in self.trees:
            if tree.feature.max() >= self.n_features:
                raise ValueError(f"a split reads a column beyond n_features={self.n_features}")


def predict_raw(ensemble: TreeEnsemble, X: Any) -> FloatArray:
    """The ensemble's raw output: the sum over trees of the leaf each row reaches.

    Parameters
    ----------
    ensemble : TreeEnsemble
    X : array-like of shape (n_rows, n_features)

    Returns
    -------
    ndarray of shape (n_rows,)
    """
    X = _as_rows(ensemble, X)
    out = np.zeros(X.shape[0])
    rows = np.arange(X.shape[0])
    for tree in ensemble.trees:
        sets = np.where(tree.feature >= 0, tree.category_set, -1)
        goes_left = _goes_left(X, tree.feature.clip(0), tree.threshold, tree.missing_left, sets, tree.left_categories)
        node = np.zeros(X.shape[0], dtype=np.intp)
        while True:
            internal = tree.feature[node] >= 0
            if not internal.any():
                break
            child = np.where(goes_left[rows, node], tree.left[node], tree.right[node])
            node = np.where(internal, child, node)
        out += tree.value[node]
    return out


def _goes_left(
    X: FloatArray,
    feature: IntArray,
    threshold: FloatArray,
    missing_left: BoolArray,
    category_set: IntArray,
    left_categories: BoolArray,
) -> BoolArray:
    """Whether each row goes left at each node, shape (n_rows, n_nodes), by the rules in :class:`Tree`."""
    x = X[:, feature]
    with np.errstate(invalid="ignore"):
        left = x <= threshold
    left = np.where(np.isnan(x), missing_left, left)
    categorical = np.flatnonzero(category_set >= 0)
    if categorical.size:
        codes = x[:, categorical]
        with np.errstate(invalid="ignore"):
            known = (codes >= 0) & (codes < N_CATEGORY_CODES)
        index = np.where(known, codes, 0).astype(np.intp)
        in_set = left_categories[category_set[categorical], index]
        left[:, categorical] = np.where(known, in_set, missing_left[categorical])
    return left


def _as_rows(ensemble: TreeEnsemble, X: Any) -> FloatArray:
    """``X`` as a 2-D float64 array of the ensemble's width."""
    rows: FloatArray = np.asarray(X, dtype=np.float64)
    if rows.ndim != 2 or rows.shape[1] != ensemble.n_features:
        raise ValueError(f"X must have shape (n_rows, {ensemble.n_features}), got {rows.shape}")
    return rows
