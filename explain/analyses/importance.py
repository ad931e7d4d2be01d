"""What drives the model across all rows, and how many rows are at high risk."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from explain.bundle.bundle import Bundle
from explain.methods.explanation import Explanation


def global_importance(explanation: Explanation) -> pd.DataFrame:
    """Each raw column's average absolute contribution, most important first.

    Returns
    -------
    DataFrame with columns ``feature``, ``importance`` (mean |contribution|, in the explanation's unit),
    ``share`` (of the total importance, 0-1) and ``raises`` (share of rows where the column raised the output).
    """
    values = explanation.values
    importance = np.abs(values).mean(axis=0) if len(values) else np.zeros(len(explanation.feature_names))
    total = importance.sum()
    frame = pd.DataFrame(
        {
            "feature": explanation.feature_names,
            "importance": importance,
            "share": importance / total if total > 0 else np.zeros_like(importance),
            "raises": (values > 0).mean(axis=0) if len(values) else np.zeros_like(importance),
        }
    )
    return frame.sort_values("importance", ascending=False, kind="stable").reset_index(drop=True)


@dataclass(frozen=True)
class RiskSummary:
    """How many rows the model puts at high risk."""

    n_rows: int
    n_high: int
    threshold: float  # chance, 0-1
    mean_chance: float  # 0-1

    @property
    def share_high(self) -> float:
        return self.n_high / self.n_rows if self.n_rows else 0.0


def risk_summary(bundle: Bundle) -> RiskSummary:
    """Count every reference row whose chance is at or above the card's risk threshold (classifiers only).

    Counts come from the model's outputs on all the data, never from the sample a slow explanation may use.
    """
    chances = bundle.outputs
    threshold = bundle.card.risk_threshold
    return RiskSummary(
        n_rows=len(chances),
        n_high=int((chances >= threshold).sum()),
        threshold=threshold,
        mean_chance=float(chances.mean()) if len(chances) else 0.0,
    )
