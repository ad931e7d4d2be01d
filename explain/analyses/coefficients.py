"""A linear model's effects in the columns people know, per raw unit, with the preprocessing undone.

A linear model inside a pipeline (imputers, scalers and one-hot encoding before a LogisticRegression, Ridge, ...)
has a straight-line effect for every number and a fixed shift for every category value, but its coefficients are
per *encoded* unit: per standard deviation after a scaler, per one-hot column. Rather than re-deriving each
transformer's algebra, the effects are measured on the fitted pipeline itself: change one raw column of a typical
row and read the model's native output (log-odds for classifiers, the target for regressors). Any affine
preprocessing (every scaler, imputers for recorded values, one-hot) is undone this way, and the measurement is
checked to be a straight line; when it is not (splines, bins, interactions), there are no per-unit effects and
:func:`linear_effects` says why.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from explain.bundle.bundle import Bundle
from explain.bundle.structure import KIND_LINEAR
from explain.errors import NotAvailable
from explain.methods.units import LINKS

NUMBER, CATEGORY = "number", "category"
MAX_LEVELS = 30  # category values shown per column; rarer ones are left out (said in the analyst view)
_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Effect:
    """One column's effect (a number), or one category value's effect against the most common value.

    ``coefficient`` is in the model's native output per raw unit: log-odds for classifiers, the target's unit for
    regressors. For a category value it is the shift from ``reference`` to ``term``.
    """

    feature: str
    term: str
    kind: str  # NUMBER or CATEGORY
    coefficient: float
    reference: str | None = None  # categories: the most common value, which every other value is compared with
    typical_change: float | None = None  # numbers: the interquartile range (or one standard deviation)
    typical_from: float | None = None  # numbers: the lower quartile, where the typical change starts
    typical_how: str | None = None  # "interquartile range" or "standard deviation"
    encoded_coefficient: float | None = None  # the estimator's own coefficient for the column (analyst view)
    scale: float | None = None  # raw units per encoded unit: the scaling that was undone
    center: float | None = None  # the raw value that encodes to 0

    @property
    def typical_effect(self) -> float:
        """The effect of a typical change, on a scale common to every column (native output)."""
        if self.kind == NUMBER:
            return self.coefficient * (self.typical_change or 0.0)
        return self.coefficient


@dataclass(frozen=True)
class LinearEffects:
    """Every column's effect, largest typical effect first, and what they are measured from."""

    effects: list[Effect]
    intercept: float  # the estimator's intercept, native output (on the encoded scale)
    classifier: bool
    typical_row: pd.DataFrame  # one row: medians and most common values
    typical_output: float  # native output for the typical row
    left_out: dict[str, int]  # category values not shown (rare), by column

    def chance_change(self, effect: Effect, *, start: float) -> float:
        """Percentage points a typical change moves the chance of a row whose chance is ``start`` (0-1).

        The pages measure from the explanations' typical customer (their baseline), so the chart and the
        customer's waterfall start from the same chance.
        """
        start = min(max(float(start), 1e-12), 1 - 1e-12)
        base = math.log(start / (1 - start))
        return 100.0 * float(_sigmoid(base + effect.typical_effect) - start)

    @property
    def typical_chance(self) -> float:
        """The chance (0-1) of the row the effects were measured on: middle values and the most common choices."""
        return float(_sigmoid(self.typical_output))


def linear_effects(bundle: Bundle) -> LinearEffects | NotAvailable:
    """Each raw column's effect per raw unit, measured on the fitted pipeline.

    Returns
    -------
    LinearEffects, or NotAvailable with the reason when the model is not linear in its raw columns.
    """
    parts = bundle.parts
    if parts.kind != KIND_LINEAR:
        return NotAvailable(f"the model ({type(parts.estimator).__name__}) is not a straight-line model")
    if bundle.is_classifier and len(parts.classes or []) != 2:
        return NotAvailable("the model chooses between more than two outcomes")
    if bundle.is_classifier and not hasattr(parts.estimator, "decision_function"):
        return NotAvailable(f"{type(parts.estimator).__name__} gives no log-odds")
    native = _native(bundle)
    if native is None:
        return NotAvailable("the model's chances are not a logistic function of its score")

    typical = _typical_row(bundle.X)
    base = float(native(typical)[0])
    effects: list[Effect] = []
    left_out: dict[str, int] = {}
    for column in bundle.features:
        values = bundle.X[column]
        if _is_number(values):
            effect = _number_effect(bundle, native, typical, column, base)
            if effect is not None:
                effects.append(effect)
                continue
            if values.nunique() > MAX_LEVELS:
                return NotAvailable(f"the effect of {column} is not a straight line")
            # A number the pipeline encodes as categories (0/1 flags, small counts one-hot encoded).
            shown, rest = _category_effects(native, typical, column, values, base)
            if shown is None:
                return NotAvailable(f"the effect of {column} depends on the other columns")
            effects.extend(shown)
        else:
            shown, rest = _category_effects(native, typical, column, values, base)
            if shown is None:
                return NotAvailable(f"the effect of {column} depends on the other columns")
            effects.extend(shown)
            if rest:
                left_out[column] = rest
    effects.sort(key=lambda e: -abs(e.typical_effect))
    return LinearEffects(
        effects=effects,
        intercept=_intercept(bundle),
        classifier=bundle.is_classifier,
        typical_row=typical,
        typical_output=base,
        left_out=left_out,
    )


def _native(bundle: Bundle) -> Any:
    """The model's native output for raw rows: log-odds of the positive class, or the regressor's prediction."""
    parts = bundle.parts
    if not bundle.is_classifier:
        return lambda X: np.asarray(parts.model.predict(X), dtype=float).reshape(-1)
    sign = -1.0 if bundle.class_index == 0 else 1.0  # decision_function scores classes_[1]

    def log_odds(X: pd.DataFrame) -> np.ndarray:
        return sign * np.asarray(parts.estimator.decision_function(parts.transform(X)), dtype=float).reshape(-1)

    sample = bundle.X.iloc[: min(50, len(bundle.X))]
    if not np.allclose(_sigmoid(log_odds(sample)), bundle.predict(sample), atol=1e-6):
        return None
    return log_odds


def _sigmoid(z: Any) -> Any:
    return LINKS["logit"][0](np.asarray(z, dtype=float))


def _is_number(values: pd.Series) -> bool:
    return bool(pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values))


def _typical_row(X: pd.DataFrame) -> pd.DataFrame:
    row: dict[str, Any] = {}
    for column in X.columns:
        values = X[column].dropna()
        if _is_number(X[column]):
            row[column] = float(values.median()) if len(values) else 0.0
        else:
            row[column] = values.mode().iloc[0] if len(values) else None
    # Numbers stay floats (a median of 14.5 months is fine to probe at); other columns keep their own type.
    kinds = {c: (float if _is_number(X[c]) else X[c].dtype) for c in X.columns}
    return pd.DataFrame([row], columns=X.columns).astype(kinds)


def _number_effect(bundle: Bundle, native: Any, typical: pd.DataFrame, column: str, base: float) -> Effect | None:
    values = bundle.X[column].dropna().astype(float)
    b = float(typical[column].iloc[0])
    probes = np.unique(np.concatenate([[b, b + 1.0], values.quantile([0.0, 0.25, 0.75, 1.0]).to_numpy()]))
    rows = pd.concat([typical] * len(probes), ignore_index=True)
    rows[column] = probes
    out = native(rows)
    slope = float(out[list(probes).index(b + 1.0)] - base)
    line = base + slope * (probes - b)
    scale_out = max(1.0, float(np.abs(out).max()))
    if not np.allclose(out, line, atol=_TOLERANCE * scale_out, rtol=0):
        return None

    q1, q3 = (float(v) for v in values.quantile([0.25, 0.75])) if len(values) else (0.0, 0.0)
    typical_change, how, start = q3 - q1, "interquartile range", q1
    if typical_change <= 0:
        typical_change, how, start = float(values.std()) if len(values) > 1 else 0.0, "standard deviation", b
    if not typical_change or not math.isfinite(typical_change):
        typical_change, how, start = 1.0, "one unit", b
    encoded, scale, center = _encoding(bundle, typical, column)
    return Effect(
        feature=column,
        term=column,
        kind=NUMBER,
        coefficient=slope,
        typical_change=typical_change,
        typical_from=start,
        typical_how=how,
        encoded_coefficient=encoded,
        scale=scale,
        center=center,
    )


def _encoding(bundle: Bundle, typical: pd.DataFrame, column: str) -> tuple[float | None, float | None, float | None]:
    """The estimator's coefficient for a number's encoded column, and the scaling between raw and encoded."""
    mapping = bundle.encoded_to_raw
    coef = np.asarray(getattr(bundle.parts.estimator, "coef_", None), dtype=float)
    if mapping is None or coef.size == 0:
        return None, None, None
    coef = coef.reshape(-1) if coef.ndim == 1 or coef.shape[0] == 1 else coef[bundle.class_index]
    if bundle.is_classifier and bundle.class_index == 0:
        coef = -coef
    own = np.flatnonzero(mapping[bundle.features.index(column)])
    shifted = typical.copy()
    shifted[column] = typical[column] + 1
    at = bundle.parts.transform(typical)[0, own]
    step = bundle.parts.transform(shifted)[0, own] - at
    moving = np.flatnonzero(np.abs(step) > 1e-12)
    if len(moving) != 1:
        return None, None, None
    j = int(moving[0])
    scale = 1.0 / float(step[j])
    center = float(typical[column].iloc[0]) - float(at[j]) * scale
    return float(coef[own[j]]), scale, center


def _category_effects(
    native: Any, typical: pd.DataFrame, column: str, values: pd.Series, base: float
) -> tuple[list[Effect] | None, int]:
    counts = values.dropna().map(str).value_counts()
    if counts.empty:
        return [], 0
    levels = list(counts.index[:MAX_LEVELS])
    originals = {str(v): v for v in values.dropna().unique()}
    reference = levels[0]
    rows = pd.concat([typical] * len(levels), ignore_index=True)
    rows[column] = pd.Series([originals[level] for level in levels], dtype=values.dtype)
    if _is_number(values):
        rows[column] = rows[column].astype(values.dtype)
    out = native(rows)
    # A category's shift must not depend on the rest of the row (no interactions): check it from a second row.
    other = typical.copy()
    for c in typical.columns:
        if c != column and _is_number(typical[c]):
            other[c] = typical[c] + 1
    rows_other = pd.concat([other] * len(levels), ignore_index=True)
    rows_other[column] = rows[column]
    out_other = native(rows_other)
    if not np.allclose(out - out[0], out_other - out_other[0], atol=_TOLERANCE * max(1.0, float(np.abs(out).max()))):
        return None, 0
    effects = [
        Effect(feature=column, term=level, kind=CATEGORY, coefficient=float(out[i] - out[0]), reference=reference)
        for i, level in enumerate(levels)
        if i > 0
    ]
    return effects, len(counts) - len(levels)


def encoded_coefficients(bundle: Bundle) -> pd.DataFrame | None:
    """The estimator's own coefficients, one per encoded column, for the analyst (None if unnamed)."""
    coef = np.asarray(getattr(bundle.parts.estimator, "coef_", None), dtype=float)
    if coef.size == 0:
        return None
    coef = coef.reshape(-1) if coef.ndim == 1 or coef.shape[0] == 1 else coef[bundle.class_index]
    if bundle.is_classifier and bundle.class_index == 0:
        coef = -coef
    names: list[str]
    try:
        prep = bundle.parts.preprocessor
        names = [str(n) for n in prep.get_feature_names_out()] if prep is not None else bundle.features
    except Exception:  # noqa: BLE001 - some transformers cannot name their outputs; numbers then stand in
        names = [f"x{i}" for i in range(coef.size)]
    if len(names) != coef.size:
        names = [f"x{i}" for i in range(coef.size)]
    return pd.DataFrame({"encoded column": names, "coefficient": coef})


def _intercept(bundle: Bundle) -> float:
    intercept = np.asarray(getattr(bundle.parts.estimator, "intercept_", 0.0), dtype=float).reshape(-1)
    value = float(intercept[0]) if intercept.size else 0.0
    return -value if bundle.is_classifier and bundle.class_index == 0 else value
