"""The one result object every analysis, sentence, chart and export consumes, and how it was made."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from explain.bundle.output import Output


@dataclass(frozen=True)
class Sample:
    """A whole-population view worked out on a seeded sample of the rows (slow methods only)."""

    rows: int  # how many rows were explained
    of: int  # out of how many
    seed: int


@dataclass(frozen=True)
class Provenance:
    """How an explanation was made: enough to say it in words and to make it again.

    Attributes
    ----------
    method : str
        The registry's name of the method (``"xgboost-tree-exact"``); its words are in :mod:`explain.methods`.
    exact : bool
        True when the values are the model's exact Shapley values; False for an estimate (sampling, LIME).
    native_space : {"log-odds", "log", "output"}
        Where the method adds up before the values are put in the reader's unit.
    seed : int or None
        The seed of a method that samples.
    background_rows : int or None
        The rows a sampling method compares with.
    permutations : int or None
        For the sampling method: the most antithetic pairs of orders any row took.
    sample : Sample or None
        Set when a whole-population view covers a seeded sample of the rows, not every row.
    """

    method: str
    exact: bool
    native_space: str
    seed: int | None = None
    background_rows: int | None = None
    sample: Sample | None = None
    permutations: int | None = None


@dataclass(frozen=True)
class LocalFit:
    """LIME's local straight-line fit around one row: the second check's own figures (analyst view).

    ``prediction`` is the fit's own estimate for the row and ``intercept`` its starting point, both in the reader's
    unit; ``fidelity`` is the weighted R² of the fit (0-1). The fit's weights do not add up to the model's output.
    """

    samples: int
    seed: int
    fidelity: float
    prediction: float
    intercept: float
    discretizer: str


@dataclass(frozen=True)
class Explanation:
    """Why the model said what it said, for some rows, in raw columns and in the unit a stakeholder reads.

    Read-only once built: its arrays cannot be written to, so one explanation can be shared between sessions.

    Attributes
    ----------
    values : ndarray of shape (n_rows, n_features)
        Each raw column's contribution, in the reader's unit (percentage points of a chance, or the target's unit).
    base_value : float
        Where every row's explanation starts: the model's output for a typical row (in the reader's unit).
    prediction : ndarray of shape (n_rows,)
        The model's own output for each row, in the reader's unit; ``base_value + values.sum(1) == prediction``
        (for LIME: the fit's weights, which do not add up; see ``local_fit``).
    data : DataFrame of shape (n_rows, n_features)
        The raw values the rows hold, as the user knows them.
    feature_names : list of str
        The raw column names, in the order of ``values``' columns.
    row_ids : list of str
        Each row's id (the card's id column) or 0-based position.
    output : Output
        What is predicted, in words, with its unit, scale and rounding.
    provenance : Provenance
        How the values were made.
    native_values, native_base : ndarray of shape (n_rows, n_features), float, or None
        The same contributions in the model's native space (log-odds for most classifiers) when that differs
        from the reader's unit; the analyst view shows them.
    local_fit : LocalFit or None
        For LIME: the local fit's own figures.
    errors : ndarray of shape (n_rows, n_features) or None
        For an estimate: each value's standard error, in the reader's unit (None for exact values).
    """

    values: np.ndarray
    base_value: float
    prediction: np.ndarray
    data: pd.DataFrame
    feature_names: list[str]
    row_ids: list[str]
    output: Output
    provenance: Provenance
    native_values: np.ndarray | None = None
    native_base: float | None = None
    local_fit: LocalFit | None = None
    errors: np.ndarray | None = None

    def __post_init__(self) -> None:
        # Shared across sessions through the caches: nobody may change the numbers after they are made.
        for array in (self.values, self.prediction, self.native_values, self.errors):
            if array is not None:
                array.flags.writeable = False

    def __len__(self) -> int:
        return int(self.values.shape[0])

    @property
    def method(self) -> str:
        return self.provenance.method

    def take(self, positions: list[int] | np.ndarray) -> Explanation:
        """The explanation of a subset of rows, by position in this explanation."""
        idx = np.asarray(positions, dtype=int)
        return replace(
            self,
            values=self.values[idx],
            prediction=self.prediction[idx],
            data=self.data.iloc[idx],
            row_ids=[self.row_ids[i] for i in idx],
            native_values=None if self.native_values is None else self.native_values[idx],
            errors=None if self.errors is None else self.errors[idx],
        )

    def additivity_gap(self) -> float:
        """The largest |base + sum(values) - prediction| over the rows, in the reader's unit."""
        if len(self) == 0:
            return 0.0
        return float(np.max(np.abs(self.base_value + self.values.sum(axis=1) - self.prediction)))

    def contributions(self, row: int = 0) -> pd.DataFrame:
        """One row's contributions as a table, largest effect first.

        Returns
        -------
        DataFrame with columns ``feature``, ``value`` (the raw value), ``contribution`` (in the reader's unit).
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
