"""scikit-learn's GradientBoostingClassifier with more than two classes, which shap's TreeExplainer refuses.

Its trees are plain numeric trees (one per class per stage), read here into :mod:`explain.methods.treeshap`'s
format and explained exactly, per class, in the class scores its softmax turns into chances.
"""

from __future__ import annotations

import weakref
from typing import Any

import numpy as np

from explain.bundle.bundle import Bundle
from explain.bundle.structure import KIND_TREE
from explain.methods.exact import Native, can_group, exact_explainer
from explain.methods.registry import Method


def contributions(bundle: Bundle, inputs: Any) -> Native:
    """Exact path-dependent TreeSHAP values of every class's score."""
    from explain.methods.treeshap import path_dependent_shap

    estimator = bundle.parts.estimator
    # scikit-learn's trees compare float32 inputs with their thresholds: 70.15 as float64 can take the other
    # branch at a threshold of float32(70.15), so the rows are explained as the model reads them.
    Xt = np.asarray(inputs.toarray() if hasattr(inputs, "toarray") else inputs, dtype=np.float32).astype(float)
    init = np.asarray(estimator._raw_predict_init(Xt[:1]), dtype=float)[0]  # the prior's scores: a constant
    values, base = [], []
    for k, ensemble in enumerate(_ensembles(estimator, Xt.shape[1])):
        explained, start = path_dependent_shap(ensemble, Xt)
        values.append(explained)
        base.append(init[k] + start)
    raw = estimator.decision_function(inputs)
    return Native(values=np.stack(values, axis=2), base=np.array(base), raw=np.asarray(raw, dtype=float))


# Each estimator's trees are read once (and their plan with them, which the treeshap package keeps per ensemble):
# a what-if slider explains one row at a time. A refit makes new stages, which are read again.
_READ: weakref.WeakKeyDictionary[Any, tuple[Any, list[Any]]] = weakref.WeakKeyDictionary()


def _ensembles(estimator: Any, n_features: int) -> list[Any]:
    """One ensemble per class: the class's regression tree from every stage."""
    from explain.methods.treeshap import TreeEnsemble

    stages = estimator.estimators_  # (n_stages, n_classes)
    cached = _READ.get(estimator)
    if cached is not None and cached[0] is stages:
        return cached[1]
    ensembles = [
        TreeEnsemble(trees=tuple(_tree(s.tree_, estimator.learning_rate) for s in stages[:, k]), n_features=n_features)
        for k in range(stages.shape[1])
    ]
    _READ[estimator] = (stages, ensembles)
    return ensembles


def _tree(tree: Any, learning_rate: float) -> Any:
    from explain.methods.treeshap import Tree

    leaf = tree.children_left == -1
    missing = getattr(tree, "missing_go_to_left", np.zeros(tree.node_count, dtype=bool))
    return Tree(
        feature=np.where(leaf, -1, tree.feature),
        threshold=tree.threshold,
        missing_left=np.asarray(missing, dtype=bool),
        category_set=np.full(tree.node_count, -1),
        left=tree.children_left,
        right=tree.children_right,
        value=tree.value[:, 0, 0] * learning_rate,
        cover=tree.weighted_n_node_samples,
        left_categories=np.zeros((0, 256), dtype=bool),
    )


def _applies(bundle: Bundle) -> bool:
    estimator = bundle.parts.estimator
    return (
        bundle.parts.kind == KIND_TREE
        and type(estimator).__name__ == "GradientBoostingClassifier"
        and len(getattr(estimator, "classes_", [])) > 2
        and can_group(bundle)
    )


METHOD = Method(
    name="gradient-boosting-exact",
    role="reasons",
    exact=True,
    plain="worked out exactly from the model",
    analyst="exact path-dependent TreeSHAP of Plainsight's own over each class's trees (shap's TreeExplainer "
    "does not read GradientBoostingClassifier with more than two classes)",
    applies=_applies,
    explain=exact_explainer("gradient-boosting-exact", contributions),
    priority=15,
)
