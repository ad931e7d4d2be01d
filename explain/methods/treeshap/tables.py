"""Pattern tables: Shapley values of shallow trees' leaves, looked up by the row's pattern of satisfied conditions.

A leaf's shares depend on the row only through its ``o`` bits, so trees whose paths test few distinct features get a
table of every pattern once (built here, cached with the plan) and each row costs one look-up per leaf.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from explain.methods.treeshap.format import BoolArray, FloatArray, IntArray
from explain.methods.treeshap.splits import _CHUNK_ELEMENTS, _MAX_CHUNK_ROWS, _sides, _Splits


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
        o_first = np.moveaxis(o[start : start + step], 2, 0)  # (d, r, L)
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
        out[start : start + step] = np.moveaxis(shares, 0, 2)
    return out


def _add_by_tables(values: FloatArray, X: FloatArray, splits: _Splits, groups: tuple[_Group, ...]) -> None:
    """Add the table trees' Shapley values to ``values`` (n_rows, n_features), in place."""
    widest = max([2 * splits.feature.size + 1] + [group.first_edge.size for group in groups])
    step = max(1, min(_MAX_CHUNK_ROWS, _CHUNK_ELEMENTS // widest))
    for start in range(0, X.shape[0], step):
        sides = _sides(X[start : start + step], splits)
        out = values[start : start + step]
        for group in groups:
            o = sides[:, group.first_edge]
            for slots, edges in group.more_edges:
                o[:, slots] &= sides[:, edges]
            n_leaves, d = group.z.shape
            # The pattern's number sum_j o_j 2^j, by a float32 product (exact below 2^24, and BLAS-fast).
            code = (o.reshape(-1, n_leaves, d).astype(np.float32) @ group.bit_values).astype(np.intp)
            shares = np.take(group.table, code + group.table_offset, axis=0)
            by_feature = np.take(shares.reshape(o.shape[0], -1), group.by_feature, axis=1)
            out[:, group.run_feature] += np.add.reduceat(by_feature, group.run_start, axis=1)
