"""Exact explanation methods, one file each, behind one signature.

Each ``contributions(estimator, Xt, *, background, class_index)`` takes the estimator's own (encoded) input
and returns a :class:`Native` result: per-column contributions and a baseline in the estimator's native output
space, and which space that is. Grouping to raw columns and conversion to the stakeholder's unit happen once,
in :mod:`explain.methods.shap`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Native:
    """Contributions in the estimator's own output space."""

    values: np.ndarray  # (n_rows, n_encoded)
    base: float
    space: str  # "margin" (log-odds or another link's native space) or "output" (probability / value)
