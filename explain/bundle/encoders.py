"""The categories a fitted pipeline's encoders learned, by raw column.

The reference data is not always what the model learned from: a category in ``data.csv`` (or in an upload, or
picked in what-if) may be one the model's ``OneHotEncoder`` never saw, and then the model quietly treats it as
unknown. Reading the encoders tells those values apart, so the pages can flag them rather than explain them as if
the model knew them.
"""

from __future__ import annotations

import logging
from typing import Any

from sklearn.compose import ColumnTransformer
from sklearn.pipeline import Pipeline

from explain.bundle.values import is_missing

log = logging.getLogger(__name__)


def encoder_categories(preprocessor: Any | None, raw: list[str]) -> dict[str, frozenset[str]]:
    """Each raw column's learned categories (as text), for the columns an encoder with ``categories_`` takes.

    Parameters
    ----------
    preprocessor : fitted transformer or None
        The pipeline without its estimator.
    raw : list of str
        The raw columns the model takes, in order.

    Returns
    -------
    dict of str to frozenset of str
        Only the columns whose encoder could be read; empty when none (no encoder, or one the walk does not know).
    """
    found: dict[str, frozenset[str]] = {}
    try:
        _walk(preprocessor, list(raw), found)
    except Exception as exc:  # noqa: BLE001 - an unknown layout: fall back to the reference data's categories
        log.info("could not read the encoders' categories: %r", exc)
        return {}
    return found


def _walk(step: Any, columns: list[str], found: dict[str, frozenset[str]]) -> list[str] | None:
    """Record what ``step`` learned about its input ``columns``; return its output columns when they are still
    the same raw columns one to one (an imputer), else None."""
    if step is None or isinstance(step, str):
        return columns if step in (None, "passthrough") else None
    if isinstance(step, Pipeline):
        current: list[str] | None = columns
        for _, sub in step.steps:
            if current is None:
                return None
            current = _walk(sub, current, found)
        return current
    if isinstance(step, ColumnTransformer):
        names = [str(n) for n in getattr(step, "feature_names_in_", columns)]
        for _, trans, cols in step.transformers_:
            _walk(trans, _selected(cols, names), found)
        return None
    categories = getattr(step, "categories_", None)
    if categories is not None and len(categories) == len(columns):
        for column, learned in zip(columns, categories, strict=True):
            found[column] = frozenset(str(c) for c in learned if not is_missing(c))
        return None
    if type(step).__name__ in ("SimpleImputer", "KNNImputer") and not getattr(step, "add_indicator", False):
        return columns  # fills gaps, column for column: the encoder after it sees the same raw columns
    return None


def _selected(cols: Any, names: list[str]) -> list[str]:
    """A ColumnTransformer's column selection as raw column names."""
    if isinstance(cols, str):
        return [cols]
    if isinstance(cols, slice):
        return names[cols]
    if callable(cols):
        return []
    picked = list(cols)
    if picked and all(isinstance(c, bool) for c in picked):
        return [n for n, keep in zip(names, picked, strict=False) if keep]
    return [names[int(c)] if not isinstance(c, str) else c for c in picked]
