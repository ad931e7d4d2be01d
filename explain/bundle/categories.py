"""Give a bare model its categories back when the data file cannot carry them.

XGBoost, LightGBM and HistGradientBoosting fitted on pandas categorical columns split on the categories
natively, and score only a frame whose columns are categories again. A CSV file holds them as text, so a bundle
of such a model with a data.csv could not be scored at all. Each of these models remembers the categories it
learned; the text columns are turned back into exactly those (values it never saw become missing, which is how
the models treat an unknown category anyway).
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pandas as pd

log = logging.getLogger(__name__)


def learned_categories(estimator: Any, columns: list[str]) -> dict[str, list[Any]]:
    """The categories a bare estimator learned for each of its categorical raw columns (empty when none)."""
    module = type(estimator).__module__
    try:
        if module.startswith("xgboost"):
            return _xgboost(estimator)
        if module.startswith("lightgbm"):
            return _lightgbm(estimator, columns)
        if type(estimator).__name__.startswith("HistGradientBoosting"):
            return _hist_gradient_boosting(estimator, columns)
    except Exception as exc:  # noqa: BLE001 - a library's internals moved: the data is used as it is
        log.info("could not read the categories of %s: %r", type(estimator).__name__, exc)
    return {}


def with_learned_categories(X: pd.DataFrame, learned: dict[str, list[Any]]) -> pd.DataFrame:
    """``X`` with each text column the model took as categories turned back into those categories."""
    out = X
    for column, categories in learned.items():
        if column in X.columns and not isinstance(X[column].dtype, pd.CategoricalDtype):
            if out is X:
                out = X.copy()
            values = X[column]
            if pd.api.types.is_numeric_dtype(values) and not all(isinstance(c, int | float) for c in categories):
                values = values.astype(object)
            out[column] = pd.Categorical(values, categories=categories)
    return out


def _xgboost(estimator: Any) -> dict[str, list[Any]]:
    booster = estimator.get_booster() if hasattr(estimator, "get_booster") else estimator
    if "c" not in (booster.feature_types or []):
        return {}
    found = booster.get_categories(export_to_arrow=True).to_arrow()
    return {str(name): array.to_pylist() for name, array in found if array is not None}


def _lightgbm(estimator: Any, columns: list[str]) -> dict[str, list[Any]]:
    booster = estimator.booster_ if hasattr(estimator, "booster_") else estimator
    learned = getattr(booster, "pandas_categorical", None) or []
    names = booster.feature_name()
    # LightGBM keeps the category lists in the order of the categorical columns, and which columns those are in
    # its parameters, by position.
    positions = booster.params.get("categorical_column") or _categorical_positions(booster)
    if len(positions) != len(learned):
        return {}
    return {names[int(i)]: list(cats) for i, cats in zip(positions, learned, strict=True) if names[int(i)] in columns}


def _categorical_positions(booster: Any) -> list[int]:
    infos = booster.dump_model(num_iteration=0).get("feature_infos", {})
    return [i for i, info in enumerate(infos.values()) if isinstance(info, dict) and info.get("values")]


def _hist_gradient_boosting(estimator: Any, columns: list[str]) -> dict[str, list[Any]]:
    preprocessor = getattr(estimator, "_preprocessor", None)
    if preprocessor is None:
        return {}
    found: dict[str, list[Any]] = {}
    for _, encoder, selected in preprocessor.transformers_:
        if hasattr(encoder, "categories_"):
            chosen = list(selected)
            if chosen and isinstance(chosen[0], bool | np.bool_):  # a mask over the columns
                chosen = [i for i, keep in enumerate(chosen) if keep]
            names = [columns[int(i)] if isinstance(i, int | np.integer) else str(i) for i in chosen]
            for name, cats in zip(names, encoder.categories_, strict=True):
                found[str(name)] = list(cats)
    return found
