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
"""

from __future__ import annotations

import math
import weakref
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]
BoolArray = NDArray[np.bool_]

N_CATEGORY_CODES = 256
# Elements in the largest temporary array of one chunk of rows: small enough to be reused, not page-faulted anew.
_CHUNK_ELEMENTS = 1 << 19
_MAX_CHUNK_ROWS = 4096
# Pattern tables: paths of at most this many distinct features, at most this many table values per tree and in all.
_TABLE_MAX_DEPTH = 12
_TABLE_TREE_ELEMENTS = 1 << 16
_TABLE_TOTAL_ELEMENTS = 1 << 22
# Trees evaluated along the tree go together in batches of about this many (node, quadrature point) pairs.
_BATCH_ELEMENTS = 1 << 13


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
        _add_by_tables(values, X, plan)
    for batch in plan.batches:
        _add_along_trees(values, X, batch)
    return values, plan.base


@dataclass(frozen=True)
class _Splits:
    """Internal nodes of some trees, to be tested together (see :func:`_sides`)."""

    feature: IntArray  # (N,)
    threshold: FloatArray
    missing_left: BoolArray
    category_set: IntArray  # row of left_categories, or -1
    left_categories: BoolArray  # (n_sets, 256)


@dataclass(frozen=True)
class _Group:
    """Table leaves whose paths test the same number ``d`` of distinct features, L of them, with S = L * d slots."""

    value: FloatArray  # (L,)
    z: FloatArray  # (L, d) cover fraction of each distinct feature on the leaf's path
    first_edge: IntArray  # (S,) column of ``sides`` for the slot's first condition
    more_edges: tuple[tuple[IntArray, IntArray], ...]  # (slots, columns of ``sides``): a further condition each
    by_feature: IntArray  # (S,) slots sorted by feature, so that features are runs
    run_start: IntArray  # (n_runs,) where each feature's run starts in ``by_feature``
    run_feature: IntArray  # (n_runs,) the feature of each run
    table_offset: IntArray  # (L,) first row of each leaf in the table: l * 2^d
    bit_values: NDArray[np.float32]  # (d,) 2^j
    points: FloatArray  # (Q,) Gauss-Legendre points on [0, 1], Q = ceil(d / 2)
    weights: FloatArray  # (Q,)
    table: FloatArray = field(default_factory=lambda: np.zeros((0, 0)))  # (L * 2^d, d) shares of every pattern


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


@dataclass
class _Walk:
    """One tree walked from the root: per node, the edge's feature, earlier split on it and cover fraction."""

    parent: list[int]
    depth: list[int]
    earlier: list[int]  # node below the previous split on the same feature, -1 if none
    z: list[float]
    leaves: list[tuple[int, dict[int, int]]]  # leaf, {feature: node below the path's last split on it}


def _walk(tree: Tree) -> _Walk:
    """Depth-first over one tree; one pass of plain Python over nodes."""
    n = tree.feature.size
    feature, left, right = tree.feature.tolist(), tree.left.tolist(), tree.right.tolist()
    cover = tree.cover.tolist()
    walk = _Walk(parent=[-1] * n, depth=[0] * n, earlier=[-1] * n, z=[1.0] * n, leaves=[])
    stack: list[tuple[int, dict[int, int]]] = [(0, {})]
    while stack:
        node, last = stack.pop()
        if feature[node] < 0:
            walk.leaves.append((node, last))
            continue
        f = feature[node]
        for child in (right[node], left[node]):
            before = last.get(f, -1)
            walk.parent[child], walk.depth[child], walk.earlier[child] = node, walk.depth[node] + 1, before
            walk.z[child] = (walk.z[before] if before >= 0 else 1.0) * cover[child] / cover[node]
            stack.append((child, {**last, f: child}))
    return walk


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
        if max(depths) <= _TABLE_MAX_DEPTH and size <= _TABLE_TREE_ELEMENTS \
                and table_elements + size <= _TABLE_TOTAL_ELEMENTS:
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
            if sum(tree.feature.size for tree, _ in other_trees[start:stop + 1]) * q_next > _BATCH_ELEMENTS:
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
    goes_left = _goes_left(X, splits.feature, splits.threshold, splits.missing_left, splits.category_set,
                           splits.left_categories)
    return np.concatenate([goes_left, ~goes_left, np.ones((X.shape[0], 1), dtype=np.bool_)], axis=1)


def _make_group(d: int, leaves: list[tuple[float, list[int], list[float], list[list[int]]]]) -> _Group:
    """Arrays, and the table of every pattern, for the table leaves that test ``d`` distinct features."""
    slot_edges = [edges for leaf in leaves for edges in leaf[3]]
    more: list[tuple[IntArray, IntArray]] = []
    for k in range(1, max(len(edges) for edges in slot_edges)):
        # The k-th further condition of every slot that has one: no slot twice, so ``o[:, slots] &=`` is safe.
        pairs = [(slot, edges[k]) for slot, edges in enumerate(slot_edges) if len(edges) > k]
        more.append((np.array([p[0] for p in pairs], dtype=np.intp), np.array([p[1] for p in pairs], dtype=np.intp)))
    slot_feature = np.array([f for leaf in leaves for f in leaf[1]], dtype=np.intp)
    by_feature = np.argsort(slot_feature, kind="stable")
    sorted_feature = slot_feature[by_feature]
    run_start = np.flatnonzero(np.r_[True, sorted_feature[1:] != sorted_feature[:-1]])
    points, weights = np.polynomial.legendre.leggauss((d + 1) // 2)
    group = _Group(
        value=np.array([leaf[0] for leaf in leaves]),
        z=np.array([leaf[2] for leaf in leaves]).reshape(len(leaves), d),
        first_edge=np.array([edges[0] for edges in slot_edges], dtype=np.intp),
        more_edges=tuple(more),
        by_feature=by_feature,
        run_start=run_start,
        run_feature=sorted_feature[run_start],
        table_offset=np.arange(len(leaves), dtype=np.intp) << d,
        bit_values=(2.0 ** np.arange(d)).astype(np.float32),
        points=(points + 1.0) / 2.0,
        weights=weights / 2.0,
    )
    patterns = (np.arange(1 << d)[:, None] >> np.arange(d)) & 1 == 1  # (2^d, d): bit j is o_j
    o = np.broadcast_to(patterns[:, None, :], (1 << d, len(leaves), d))
    table = np.ascontiguousarray(_shares(o, group).transpose(1, 0, 2)).reshape(-1, d)
    object.__setattr__(group, "table", table)
    return group


def _shares(o: BoolArray, group: _Group) -> FloatArray:
    """Each leaf's Shapley value for each of its path's features, shape (n_rows, L, d), from o of that shape."""
    n_rows, n_leaves, d = o.shape
    out = np.empty(o.shape)
    # The d axis first: prefix and suffix products then multiply whole contiguous slabs, with no division.
    off = group.z.T[:, None, :, None] * (1.0 - group.points)  # (d, 1, L, Q)
    on = off + group.points
    step = max(1, _CHUNK_ELEMENTS // (n_leaves * d * group.points.size))
    for start in range(0, n_rows, step):
        o_first = np.moveaxis(o[start:start + step], 2, 0)  # (d, r, L)
        factor = np.where(o_first[..., None], on, off)  # (d, r, L, Q): z_j (1 - t) + o_j t
        others = np.empty_like(factor)  # the product over every other feature
        others[0] = 1.0
        for j in range(1, d):
            np.multiply(others[j - 1], factor[j - 1], out=others[j])
        if d > 1:
            after = factor[d - 1].copy()
            for j in range(d - 2, -1, -1):
                others[j] *= after
                if j:
                    after *= factor[j]
        integral = others @ group.weights  # (d, r, L)
        shares = (o_first - group.z.T[:, None, :]) * integral * group.value
        out[start:start + step] = np.moveaxis(shares, 0, 2)
    return out


def _add_by_tables(values: FloatArray, X: FloatArray, plan: _Plan) -> None:
    """Add the table trees' Shapley values to ``values`` (n_rows, n_features), in place."""
    widest = max([2 * plan.table_splits.feature.size + 1] + [group.first_edge.size for group in plan.groups])
    step = max(1, min(_MAX_CHUNK_ROWS, _CHUNK_ELEMENTS // widest))
    for start in range(0, X.shape[0], step):
        sides = _sides(X[start:start + step], plan.table_splits)
        out = values[start:start + step]
        for group in plan.groups:
            o = sides[:, group.first_edge]
            for slots, edges in group.more_edges:
                o[:, slots] &= sides[:, edges]
            n_leaves, d = group.z.shape
            # The pattern's number sum_j o_j 2^j, by a float32 product (exact below 2^24, and BLAS-fast).
            code = (o.reshape(-1, n_leaves, d).astype(np.float32) @ group.bit_values).astype(np.intp)
            shares = np.take(group.table, code + group.table_offset, axis=0)
            by_feature = np.take(shares.reshape(o.shape[0], -1), group.by_feature, axis=1)
            out[:, group.run_feature] += np.add.reduceat(by_feature, group.run_start, axis=1)


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
        sides = _sides(X[start:start + step], batch.splits)
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
        values[start:start + step, batch.run_feature] += np.add.reduceat(shares, batch.run_start, axis=1)


def _goes_left(X: FloatArray, feature: IntArray, threshold: FloatArray, missing_left: BoolArray,
               category_set: IntArray, left_categories: BoolArray) -> BoolArray:
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
