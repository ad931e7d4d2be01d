"""Raw columns as numbers for the samplers (shap's maskers, LIME) and back again.

Numbers stay numbers; every other column becomes category codes, with a missing value as a category of its own,
so a sampled row decodes to exactly the kind of row the model was trained on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

MISSING = "not recorded"


@dataclass(frozen=True)
class Codec:
    """How one frame's columns map to numbers. Build it with :func:`make_codec`."""

    columns: list[str]
    categories: dict[int, np.ndarray]  # position -> category values (object array); a code indexes into it
    fill: dict[int, float]  # position -> the number that stands in for a missing one (absent: stays NaN)
    dtypes: pd.Series

    @property
    def categorical(self) -> list[int]:
        return sorted(self.categories)

    def encode(self, frame: pd.DataFrame) -> np.ndarray:
        """Shape (n_rows, n_columns), float; unknown categories become the missing-value code."""
        out = np.empty(frame.shape, dtype=float)
        for j, column in enumerate(self.columns):
            values = frame[column]
            if j in self.categories:
                keys = values.astype(object).where(values.notna(), MISSING).astype(str)
                index = pd.Index(self.categories[j].astype(str))
                codes = index.get_indexer(keys)
                out[:, j] = np.where(codes < 0, index.get_loc(MISSING) if MISSING in index else 0, codes)
            else:
                out[:, j] = values.to_numpy(dtype=float, na_value=np.nan)
                if j in self.fill:
                    out[np.isnan(out[:, j]), j] = self.fill[j]
        return out

    def decode(self, codes: np.ndarray) -> pd.DataFrame:
        """Rows of raw values in the original dtypes (vectorised: the samplers decode thousands of rows a call)."""
        data: dict[str, Any] = {}
        for j, column in enumerate(self.columns):
            if j in self.categories:
                values = self.categories[j][codes[:, j].round().astype(int)]
                values = np.where(values == MISSING, None, values)
                dtype = self.dtypes[column]
                data[column] = values if dtype == np.dtype(object) else pd.Series(values, dtype=dtype)
            else:
                data[column] = codes[:, j]
        return pd.DataFrame(data, columns=self.columns)


def make_codec(frame: pd.DataFrame, *, fill_numbers: bool = False, min_spread: int = 0) -> Codec:
    """A codec for ``frame``'s columns.

    Parameters
    ----------
    fill_numbers : bool
        Stand the median in for missing numbers (LIME's sampler cannot take NaN); otherwise they stay NaN.
    min_spread : int
        Numbers with fewer distinct values than this are coded as categories (LIME divides by a column's spread).
    """
    categories, fill = {}, {}
    for j, column in enumerate(frame.columns):
        values = frame[column]
        numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
        if numeric and values.dropna().nunique() >= min_spread:
            if fill_numbers:
                fill[j] = float(values.median()) if values.notna().any() else 0.0
            continue
        seen = values.astype(object).where(values.notna(), MISSING)
        categories[j] = np.asarray(sorted(pd.unique(seen), key=str), dtype=object)
    return Codec(list(frame.columns), categories, fill, frame.dtypes)
