"""The one result object every chart, sentence and export consumes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

POINTS = "points"  # percentage points of the positive outcome's chance (0-100 scale)


@dataclass(frozen=True)
class Explanation:
    """Why the model said what it said, for some rows, in raw columns and in the unit a stakeholder reads.

    Attributes
    ----------
    values : ndarray of shape (n_rows, n_features)
        Each raw column's contribution, in ``unit``.
    base_value : float
        The model's output for a typical row (in ``unit``): where every explanation starts.
    prediction : ndarray of shape (n_rows,)
        The model's own output for each row, in ``unit``; ``base_value + values.sum(1) == prediction``.
    data : DataFrame of shape (n_rows, n_features)
        The raw values the rows hold, as the user knows them.
    feature_names : list of str
        The raw column names, in the order of ``values``' columns.
    row_ids : list of str
        Each row's id (the card's id column) or 0-based position.
    method : str
        How the values were made (e.g. ``"xgboost-tree-exact"``), for the analyst view and exports.
    unit : str
        ``"points"`` (percentage points of the chance, 0-100) for classifiers; the target's unit otherwise.
    params : dict
        What else it takes to reproduce the values: sample sizes, seed, the model's native output space.
    native_values, native_base : ndarray of shape (n_rows, n_features), float, or None
        The same contributions in the model's native output space (log-odds for most classifiers) when that
        differs from ``unit``; shown only in the analyst view.
    """

    values: np.ndarray
    base_value: float
    prediction: np.ndarray
    data: pd.DataFrame
    feature_names: list[str]
    row_ids: list[str]
    method: str
    unit: str
    params: dict[str, Any] = field(default_factory=dict)
    native_values: np.ndarray | None = None
    native_base: float | None = None

    def __len__(self) -> int:
        return int(self.values.shape[0])

    def take(self, positions: list[int] | np.ndarray) -> Explanation:
        """The explanation of a subset of rows, by position in this explanation."""
        idx = np.asarray(positions, dtype=int)
        return Explanation(
            values=self.values[idx],
            base_value=self.base_value,
            prediction=self.prediction[idx],
            data=self.data.iloc[idx],
            feature_names=self.feature_names,
            row_ids=[self.row_ids[i] for i in idx],
            method=self.method,
            unit=self.unit,
            params=self.params,
            native_values=None if self.native_values is None else self.native_values[idx],
            native_base=self.native_base,
        )

    def additivity_gap(self) -> float:
        """The largest |base + sum(values) - prediction| over the rows, in ``unit``."""
        if len(self) == 0:
            return 0.0
        return float(np.max(np.abs(self.base_value + self.values.sum(axis=1) - self.prediction)))

    def contributions(self, row: int = 0) -> pd.DataFrame:
        """One row's contributions as a table, largest effect first.

        Returns
        -------
        DataFrame with columns ``feature``, ``value`` (the raw value), ``contribution`` (in ``unit``).
        """
        frame = pd.DataFrame(
            {
                "feature": self.feature_names,
                "value": [self.data.iloc[row][f] for f in self.feature_names],
                "contribution": self.values[row],
            }
        )
        order = np.argsort(-np.abs(frame["contribution"].to_numpy()), kind="stable")
        return frame.iloc[order].reset_index(drop=True)
