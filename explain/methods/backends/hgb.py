"""Our own exact path-dependent TreeSHAP for scikit-learn's HistGradientBoosting, native categories included.

shap's TreeExplainer reads these models' numeric splits but not their category splits (a set of categories goes
left), so its values for a model with native categorical columns are wrong; :mod:`explain.methods.hgb_trees`
reads every split, and :mod:`explain.methods.treeshap` computes the values.
"""

from __future__ import annotations

from typing import Any

from explain.bundle.bundle import Bundle
from explain.bundle.structure import KIND_HIST_GRADIENT_BOOSTING
from explain.methods.exact import Native, exact_explainer, kind_is
from explain.methods.registry import Method


def contributions(bundle: Bundle, inputs: Any) -> Native:
    """Exact path-dependent TreeSHAP values of a HistGradientBoosting model in its raw score."""
    from explain.methods.hgb_trees import hgb_shap

    values, base, raw = hgb_shap(bundle.parts.estimator, inputs)
    return Native(values=values, base=base, raw=raw)


METHOD = Method(
    name="hist-gradient-boosting-exact",
    role="reasons",
    exact=True,
    plain="worked out exactly from the model",
    analyst="exact path-dependent TreeSHAP of Plainsight's own over HistGradientBoosting's trees "
    "(category splits and missing values as the model takes them)",
    applies=kind_is(KIND_HIST_GRADIENT_BOOSTING),
    explain=exact_explainer("hist-gradient-boosting-exact", contributions),
    priority=10,
)
