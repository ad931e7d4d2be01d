"""Along the tree: Shapley values of deep trees, carried down node by node and summed back up over leaves.

Trees too deep for pattern tables are evaluated here in batches: ``prod_j F_j(t_q)`` goes down each path, the leaves'
products come back up, and each edge gets the leaves for which it is the last split on its feature (in the spirit of
Linear TreeShap): ``O(n_rows * n_nodes * Q)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from explain.methods.treeshap.format import FloatArray, IntArray, Tree
from explain.methods.treeshap.splits import _CHUNK_ELEMENTS, _MAX_CHUNK_ROWS, _sides, _Splits, _splits
from explain.methods.treeshap.walk import _Walk


@dataclass(frozen=True)
class _Batch:
    """Trees evaluated along the tree, n nodes numbered level by level (internal nodes first in each level).

    Arrays over nodes have one more entry, a sentinel at index n that stands for "no earlier split on this feature":
    it always reads True, its z is 1 and so its factor F is 1.
    """

    splits: _Splits
    column: IntArray  # (n + 1,) column of ``sides`` for the edge into each node (roots, sentinel: always True)
    earlier: IntArray  # (n,) the node below the previous split on the same feature on the path, else n
    z: FloatArray  # (n + 1,) cover fraction of the edge's feature on the path down to each node
    levels: tuple[tuple[slice, IntArray], ...]  # per depth >= 1: its nodes and their parents
    sums: tuple[tuple[slice, IntArray, IntArray], ...]  # per depth, deepest first: internal nodes, left, right
    leaves: IntArray  # (L,)
    leaf_value: FloatArray  # (L,)
    owner: IntArray  # (K,) edges (child nodes) whose leaf sums lose the subtrees of later splits on their feature
    later: IntArray  # those later splits, grouped by owner
    later_start: IntArray  # (K,) where each owner's group starts in ``later``
    edge: IntArray  # (E,) the non-root nodes, sorted by the feature of the split above them
    run_start: IntArray  # where each feature's run starts in ``edge``
    run_feature: IntArray
    points: FloatArray  # (Q,)
    weights: FloatArray  # (Q,)


def _make_batch(trees: list[tuple[Tree, _Walk]], q: int) -> _Batch:
    """Number the trees' nodes level by level and precompute the index arrays of one batch."""
    splits, columns = _splits([tree for tree, _ in trees])
    # Global order: by depth, then internal nodes before leaves, then tree and node.
    keys, offset = [], 0
    for tree, walk in trees:
        for node in range(tree.feature.size):
            keys.append((walk.depth[node], tree.feature[node] < 0, offset + node))
        offset += tree.feature.size
    order = np.array([key[2] for key in sorted(keys)], dtype=np.intp)
    n = order.size
    rank = np.empty(n + 1, dtype=np.intp)
    rank[order] = np.arange(n)
    rank[n] = n  # the sentinel stays last

    def stacked(pick: Any, fill: int = -1) -> IntArray:
        """A per-node quantity of every tree, in global node numbers; -1 (none) becomes the sentinel n."""
        parts, base = [], 0
        for tree, walk in trees:
            part = np.asarray(pick(tree, walk), dtype=np.intp)
            parts.append(np.where(part >= 0, part + base, fill))
            base += tree.feature.size
        return np.concatenate(parts)

    depth = np.concatenate([np.asarray(walk.depth, dtype=np.intp) for _, walk in trees])[order]
    parent = rank[stacked(lambda t, w: w.parent, n)][order]
    earlier = rank[stacked(lambda t, w: w.earlier, n)][order]
    left = rank[stacked(lambda t, w: t.left, n)][order]
    right = rank[stacked(lambda t, w: t.right, n)][order]
    feature = np.concatenate([tree.feature for tree, _ in trees])[order]
    value = np.concatenate([tree.value for tree, _ in trees])[order]
    z = np.concatenate([np.asarray(walk.z) for _, walk in trees] + [np.ones(1)])[np.r_[order, n]]
    column = np.concatenate([*columns, [2 * splits.feature.size]])[np.r_[order, n]]
    is_leaf = feature < 0
    bounds = np.flatnonzero(np.r_[True, depth[1:] != depth[:-1], True])
    levels = tuple((slice(a, b), parent[a:b]) for a, b in zip(bounds[1:-1], bounds[2:], strict=True))
    sums = []
    for a, b in zip(bounds[:-1], bounds[1:], strict=True):
        inner = a + int(np.count_nonzero(~is_leaf[a:b]))  # internal nodes come first in their level
        if inner > a:
            sums.append((slice(a, inner), left[a:inner], right[a:inner]))
    # An internal node m on feature f is subtracted from the edge above the previous split on f (its children's
    # ``earlier``): the leaves below m have a later split on f, so that edge is not their last one on f.
    inner_nodes = np.flatnonzero(~is_leaf)
    owners = earlier[left[inner_nodes]]
    has_owner = owners < n
    later, owners = inner_nodes[has_owner], owners[has_owner]
    by_owner = np.argsort(owners, kind="stable")
    later, owners = later[by_owner], owners[by_owner]
    owner_start = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]]) if owners.size else np.zeros(0, np.intp)
    edges = np.flatnonzero(parent < n)
    edge_feature = feature[parent[edges]]
    by_feature = np.argsort(edge_feature, kind="stable")
    edges, edge_feature = edges[by_feature], edge_feature[by_feature]
    run_start = np.flatnonzero(np.r_[True, edge_feature[1:] != edge_feature[:-1]])
    points, weights = np.polynomial.legendre.leggauss(q)
    return _Batch(
        splits=splits,
        column=column,
        earlier=earlier,
        z=z,
        levels=levels,
        sums=tuple(reversed(sums)),
        leaves=np.flatnonzero(is_leaf),
        leaf_value=value[is_leaf],
        owner=owners[owner_start],
        later=later,
        later_start=owner_start,
        edge=edges,
        run_start=run_start,
        run_feature=edge_feature[run_start],
        points=(points + 1.0) / 2.0,
        weights=weights / 2.0,
    )


def _add_along_trees(values: FloatArray, X: FloatArray, batch: _Batch) -> None:
    """Add one batch's Shapley values to ``values`` (n_rows, n_features), in place."""
    n = batch.earlier.size
    off = batch.z[:, None] * (1.0 - batch.points)  # (n + 1, Q): F when o = 0
    on = off + batch.points  # F when o = 1
    first = batch.levels[0][0].start  # the nodes before are the roots, with no edge above them
    step = max(1, min(_MAX_CHUNK_ROWS, 2 * _CHUNK_ELEMENTS // (n * batch.points.size)))
    for start in range(0, X.shape[0], step):
        sides = _sides(X[start : start + step], batch.splits)
        o = sides[:, batch.column]  # (r, n + 1): does the row satisfy the edge into each node ...
        for nodes, _ in batch.levels:
            o[:, nodes] &= o[:, batch.earlier[nodes]]  # ... and every earlier split on that feature
        factor = np.where(o[:, :, None], on, off)  # (r, n + 1, Q): F of the edge's feature down to each node
        # The product of F over the path's distinct features: replace the feature's earlier factor by the new one.
        total = factor[:, :n] / factor[:, batch.earlier]
        for nodes, parents in batch.levels:
            total[:, nodes] *= total[:, parents]
        total[:, batch.leaves] *= batch.leaf_value[:, None]
        for nodes, left, right in batch.sums:  # from the leaves up: each node sums the leaves below it
            total[:, nodes] = total[:, left] + total[:, right]
        if batch.owner.size:
            total[:, batch.owner] -= np.add.reduceat(total[:, batch.later], batch.later_start, axis=1)
        # The leaves for which the edge is the last split on its feature, without that feature's factor, integrated.
        integral = (total[:, first:] / factor[:, first:n]) @ batch.weights
        shares = np.take((o[:, first:n] - batch.z[first:n]) * integral, batch.edge - first, axis=1)
        values[start : start + step, batch.run_feature] += np.add.reduceat(shares, batch.run_start, axis=1)
