"""One pass of plain Python over a tree's nodes, from the root, shared by both ways of evaluation.

It finds what the formula needs per edge (the cover fraction of its feature on the path so far, the earlier split on
that feature) and per leaf (the last split on each feature of its path), so that the plan can choose a way per tree
and the evaluators can lay the tree out without walking it again.
"""

from __future__ import annotations

from dataclasses import dataclass

from explain.methods.treeshap.format import Tree


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
