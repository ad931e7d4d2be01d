"""What-if rows: a customer with some values changed, checked against what the model has seen."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from explain.bundle.bundle import Bundle
from explain.bundle.encoders import encoder_categories
from explain.errors import PlainsightError


class WhatIfError(PlainsightError):
    """A change names a column the model does not use, or a value that does not fit the column."""


@dataclass(frozen=True)
class ColumnRange:
    """What the reference data holds for one raw column, and how far a control may go."""

    column: str
    numeric: bool
    low: float | None  # the smallest value seen (numbers)
    high: float | None
    control_low: float | None  # how far a slider reaches: the card's min/max, else a margin past what was seen
    control_high: float | None
    step: float | None
    categories: tuple[str, ...]  # values seen (categories)
    learned: frozenset[str] | None = None  # the categories the model's encoder learned, when it can be read

    def unseen(self, value: Any) -> bool:
        """Whether a category is one the model never saw: not in the reference data, or not among those its
        encoder learned (data newer than the model can hold categories the model does not know)."""
        text = str(value)
        return text not in self.categories or (self.learned is not None and text not in self.learned)


def column_ranges(bundle: Bundle) -> dict[str, ColumnRange]:
    """Each raw column's range in the reference data, with the card's min/max applied to the controls; for a
    category, also the values the model's encoder learned (see :func:`~explain.bundle.encoders.encoder_categories`)."""
    learned = encoder_categories(bundle.parts.preprocessor, bundle.features)
    out = {}
    for column in bundle.features:
        values = bundle.X[column]
        info = bundle.card.feature(column)
        # The distinct values give the range and the kind: a million rows' dropna took a tenth of a second each.
        known = pd.Series(values.unique()).dropna()
        if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            low, high = (float(known.min()), float(known.max())) if len(known) else (0.0, 1.0)
            span = (high - low) or max(abs(high), 1.0)
            whole = bool(len(known)) and bool(np.all(np.mod(known, 1) == 0))
            control_low = info.min if info.min is not None else _round_down(low - 0.25 * span, whole)
            control_high = info.max if info.max is not None else _round_up(high + 0.25 * span, whole)
            if info.min is None and low >= 0:
                control_low = max(control_low, 0.0)  # counts and money that were never negative stay so
            step = 1.0 if whole else _nice_step((control_high - control_low) / 400)
            out[column] = ColumnRange(column, True, low, high, control_low, control_high, step, ())
        else:
            seen = tuple(sorted({str(v) for v in known}))
            out[column] = ColumnRange(column, False, None, None, None, None, None, seen, learned.get(column))
    return out


def _round_down(x: float, whole: bool) -> float:
    return float(math.floor(x)) if whole else x


def _round_up(x: float, whole: bool) -> float:
    return float(math.ceil(x)) if whole else x


def _nice_step(raw: float) -> float:
    if raw <= 0:
        return 0.01
    magnitude = 10 ** math.floor(math.log10(raw))
    return float(min((m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw), default=magnitude))


def apply_changes(bundle: Bundle, row: int | pd.DataFrame, changes: dict[str, Any]) -> pd.DataFrame:
    """The row (a reference position, or a one-row frame) with ``changes`` applied, as a one-row DataFrame of the
    model's raw columns.

    Raises
    ------
    WhatIfError
        When a change names an unknown column or gives a number column a value that is not a number.
    """
    X = (bundle.X.iloc[[row]] if isinstance(row, int | np.integer) else row[bundle.features]).copy()
    ranges = column_ranges_cached(bundle)
    for column, value in changes.items():
        if column not in ranges:
            known = ", ".join(bundle.features)
            raise WhatIfError(f"There is no column '{column}' in this model; its columns are {known}.")
        X[column] = _converted(value, ranges[column], X[column].dtype)
    return X


def _converted(value: Any, spec: ColumnRange, dtype: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return np.nan if spec.numeric else None
    if spec.numeric:
        try:
            number = float(str(value).strip().replace(",", "")) if isinstance(value, str) else float(value)
        except ValueError:
            raise WhatIfError(f"'{spec.column}' takes a number, not '{value}'.") from None
        if not math.isfinite(number):
            raise WhatIfError(f"'{spec.column}' takes a finite number, not '{value}'.")
        return number
    return str(value)


def column_ranges_cached(bundle: Bundle) -> dict[str, ColumnRange]:
    """:func:`column_ranges` of the whole reference data (a group's too: what the model saw is what it learned
    from, not what one group holds), computed once per loaded bundle."""
    return _ranges(bundle.whole)


@lru_cache(maxsize=16)
def _ranges(bundle: Bundle) -> dict[str, ColumnRange]:
    # Bundles are never mutated: keyed by identity.
    return column_ranges(bundle)


def unseen_values(bundle: Bundle, X: pd.DataFrame) -> list[str]:
    """Columns of a what-if row whose value lies outside what the model saw in the reference data."""
    flagged = []
    for column, spec in column_ranges_cached(bundle).items():
        value = X[column].iloc[0]
        if value is None or (isinstance(value, float) and math.isnan(value)):
            continue
        if spec.numeric:
            assert spec.low is not None and spec.high is not None
            if not spec.low <= float(value) <= spec.high:
                flagged.append(column)
        elif spec.unseen(value):
            flagged.append(column)
    return flagged


def unseen_categories(bundle: Bundle, X: pd.DataFrame) -> tuple[str, ...]:
    """The category columns of a one-row frame whose value the model never saw: not in its reference data, or
    not among the categories its encoder learned."""
    found = []
    for column, spec in column_ranges_cached(bundle).items():
        value = X[column].iloc[0]
        if spec.numeric or value is None or (isinstance(value, float) and math.isnan(value)):
            continue
        if spec.unseen(value):
            found.append(column)
    return tuple(found)


def unseen_mask(bundle: Bundle, X: pd.DataFrame) -> np.ndarray:
    """:func:`unseen_categories` for many rows: which of each row's values the model never saw, shape
    (n_rows, n_features), worked out once per distinct value."""
    mask = np.zeros((len(X), len(bundle.features)), dtype=bool)
    for column, spec in column_ranges_cached(bundle).items():
        if spec.numeric:
            continue
        codes, distinct = pd.factorize(X[column], use_na_sentinel=True)  # a gap is never "unseen"
        flags = np.array([bool(spec.unseen(value)) for value in distinct] + [False], dtype=bool)
        mask[:, bundle.features.index(column)] = flags[codes]  # code -1 (a gap) reads the last, False
    return mask


def changed_columns(bundle: Bundle, row: int | pd.DataFrame, X: pd.DataFrame) -> dict[str, Any]:
    """The columns of ``X`` that differ from the row (a reference position or a one-row frame), with new values."""
    original = bundle.X.iloc[row] if isinstance(row, int | np.integer) else row[bundle.features].iloc[0]
    out = {}
    for column in bundle.features:
        old, new = original[column], X[column].iloc[0]
        both_missing = pd.isna(old) and pd.isna(new)
        if not both_missing and (pd.isna(old) != pd.isna(new) or old != new):
            out[column] = new
    return out
