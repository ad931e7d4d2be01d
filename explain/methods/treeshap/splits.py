"""The internal nodes of many trees stacked, so that every row is tested at all of them in one numpy pass.

Both evaluators start from the same ``sides`` matrix (which way each row goes at each split); the row-chunk sizes
that keep their temporary arrays small are shared here too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from explain.methods.treeshap.format import N_CATEGORY_CODES, BoolArray, FloatArray, IntArray, Tree, _goes_left

# Elements in the largest temporary array of one chunk of rows: small enough to be reused, not page-faulted anew.
_CHUNK_ELEMENTS = 1 << 19
_MAX_CHUNK_ROWS = 4096


@dataclass(frozen=True)
class _Splits:
    """Internal nodes of some trees, to be tested together (see :func:`_sides`)."""

    feature: IntArray  # (N,)
    threshold: FloatArray
    missing_left: BoolArray
    category_set: IntArray  # row of left_categories, or -1
    left_categories: BoolArray  # (n_sets, 256)


def _splits(trees: list[Tree]) -> tuple[_Splits, list[IntArray]]:
    """The trees' internal nodes stacked, and for each tree the ``sides`` column of the edge into each node.

    ``sides`` (see :func:`_sides`) has a column "went left at internal node e" for e < N, "went right" at N + e, and
    a last column 2N that is always True (the root's edge).
    """
    internal = [np.flatnonzero(tree.feature >= 0) for tree in trees]
    n_internal = sum(nodes.size for nodes in internal)
    parts: dict[str, list[Any]] = {"feature": [], "threshold": [], "missing_left": [], "category_set": [], "sets": []}
    columns, offset, n_sets = [], 0, 0
    for tree, nodes in zip(trees, internal, strict=True):
        stacked = offset + np.arange(nodes.size)
        column = np.full(tree.feature.size, 2 * n_internal, dtype=np.intp)
        column[tree.left[nodes]] = stacked
        column[tree.right[nodes]] = stacked + n_internal
        columns.append(column)
        category_set = tree.category_set[nodes]
        parts["feature"].append(tree.feature[nodes])
        parts["threshold"].append(tree.threshold[nodes])
        parts["missing_left"].append(tree.missing_left[nodes])
        parts["category_set"].append(np.where(category_set >= 0, category_set + n_sets, -1))
        parts["sets"].append(tree.left_categories)
        offset += nodes.size
        n_sets += tree.left_categories.shape[0]
    splits = _Splits(
        feature=np.concatenate([np.zeros(0, dtype=np.intp), *parts["feature"]]),
        threshold=np.concatenate([np.zeros(0), *parts["threshold"]]),
        missing_left=np.concatenate([np.zeros(0, dtype=np.bool_), *parts["missing_left"]]),
        category_set=np.concatenate([np.zeros(0, dtype=np.intp), *parts["category_set"]]),
        left_categories=np.concatenate([np.zeros((0, N_CATEGORY_CODES), dtype=np.bool_), *parts["sets"]]),
    )
    return splits, columns


def _sides(X: FloatArray, splits: _Splits) -> BoolArray:
    """Which way each row goes at each split: left (N columns), right (N), and an always-True column; (n_rows, 2N+1)."""
    goes_left = _goes_left(
        X, splits.feature, splits.threshold, splits.missing_left, splits.category_set, splits.left_categories
    )
    return np.concatenate([goes_left, ~goes_left, np.ones((X.shape[0], 1), dtype=np.bool_)], axis=1)
