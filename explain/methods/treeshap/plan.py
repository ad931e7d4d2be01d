"""Which way each tree of an ensemble is evaluated, and its trees laid out for it, cached per ensemble.

Shallow trees whose tables stay small go to :mod:`.tables`, the others to :mod:`.along` in batches; the base value
(the cover-weighted mean output) falls out of the same walk. The limits that make the choice are here, and tests
lower ``_TABLE_MAX_DEPTH`` to send every tree along the tree.
"""

from __future__ import annotations

import math
import weakref
from dataclasses import dataclass

from explain.methods.treeshap.along import _Batch, _make_batch
from explain.methods.treeshap.format import Tree, TreeEnsemble
from explain.methods.treeshap.splits import _Splits, _splits
from explain.methods.treeshap.tables import _Group, _make_group
from explain.methods.treeshap.walk import _Walk, _walk

# Pattern tables: paths of at most this many distinct features, at most this many table values per tree and in all.
_TABLE_MAX_DEPTH = 12
_TABLE_TREE_ELEMENTS = 1 << 16
_TABLE_TOTAL_ELEMENTS = 1 << 22
# Trees evaluated along the tree go together in batches of about this many (node, quadrature point) pairs.
_BATCH_ELEMENTS = 1 << 13


@dataclass(frozen=True)
class _Plan:
    table_splits: _Splits
    groups: tuple[_Group, ...]
    batches: tuple[_Batch, ...]
    base: float


# Plans depend only on the (immutable) ensemble: reuse them when one ensemble explains many batches of rows.
_PLANS: weakref.WeakKeyDictionary[TreeEnsemble, _Plan] = weakref.WeakKeyDictionary()


def _plan(ensemble: TreeEnsemble) -> _Plan:
    """The ensemble's trees laid out for both ways of evaluation (cached per ensemble)."""
    cached = _PLANS.get(ensemble)
    if cached is None:
        cached = _PLANS[ensemble] = _make_plan(ensemble)
    return cached


def _make_plan(ensemble: TreeEnsemble) -> _Plan:
    """Walk every tree once, then lay table trees out by leaf and the others along the tree."""
    base = 0.0
    table_trees: list[tuple[Tree, _Walk]] = []
    other_trees: list[tuple[Tree, _Walk]] = []
    table_elements = 0
    for tree in ensemble.trees:
        walk = _walk(tree)
        base += sum(float(tree.value[leaf]) * math.prod(walk.z[c] for c in last.values()) for leaf, last in walk.leaves)
        depths = [len(last) for _, last in walk.leaves]
        size = sum(d << d for d in depths)
        if max(depths) == 0:
            continue  # a single leaf: only the base
        if (
            max(depths) <= _TABLE_MAX_DEPTH
            and size <= _TABLE_TREE_ELEMENTS
            and table_elements + size <= _TABLE_TOTAL_ELEMENTS
        ):
            table_elements += size
            table_trees.append((tree, walk))
        else:
            other_trees.append((tree, walk))
    splits, columns = _splits([tree for tree, _ in table_trees])
    by_depth: dict[int, list[tuple[float, list[int], list[float], list[list[int]]]]] = {}
    for (tree, walk), column in zip(table_trees, columns, strict=True):
        for leaf, last in walk.leaves:
            edges = []
            for below in last.values():
                chain = []
                while below >= 0:
                    chain.append(column[below])
                    below = walk.earlier[below]
                edges.append(chain)
            z = [walk.z[below] for below in last.values()]
            by_depth.setdefault(len(last), []).append((float(tree.value[leaf]), list(last), z, edges))
    batches: list[_Batch] = []
    start = 0
    while start < len(other_trees):
        # Trees join a batch while its (nodes x quadrature points) stays near _BATCH_ELEMENTS.
        stop, q = start + 1, _quadrature_size(other_trees[start][1])
        while stop < len(other_trees):
            q_next = max(q, _quadrature_size(other_trees[stop][1]))
            if sum(tree.feature.size for tree, _ in other_trees[start : stop + 1]) * q_next > _BATCH_ELEMENTS:
                break
            stop, q = stop + 1, q_next
        batches.append(_make_batch(other_trees[start:stop], q))
        start = stop
    return _Plan(
        table_splits=splits,
        groups=tuple(_make_group(d, leaves) for d, leaves in sorted(by_depth.items())),
        batches=tuple(batches),
        base=base,
    )


def _quadrature_size(walk: _Walk) -> int:
    """Gauss-Legendre points that integrate every leaf's polynomial exactly: ceil(max d / 2), at least 1."""
    return max(1, (max(len(last) for _, last in walk.leaves) + 1) // 2)
