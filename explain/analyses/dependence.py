"""How one column moves the prediction across its range, for any model.

Two views: the *dependence* read off the explanations (each row's value against that column's contribution, which
is what the stakeholder sees), and the classic *partial dependence* (the model's average output with the column
set to each value for every row), which the analyst view adds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from explain.bundle.bundle import Bundle
from explain.bundle.output import Output
from explain.bundle.values import is_missing
from explain.methods.explanation import Explanation

NUMBER, CATEGORY = "number", "category"
MAX_CATEGORIES = 12


@dataclass(frozen=True)
class Dependence:
    """One column's values against its contributions.

    ``points`` holds a seeded sample of rows (columns ``value``, ``effect``) to plot; ``curve`` the average effect
    per value range (numbers: ``value`` is the bin's median, ``low``/``high`` its edges) or per category, with the
    number of rows ``n``. Effects are in the explanation's unit (``output``).
    """

    feature: str
    kind: str
    points: pd.DataFrame
    curve: pd.DataFrame
    output: Output
    missing_effect: float | None  # the average effect on rows where the value was not recorded


def is_number(values: pd.Series) -> bool:
    """Numbers with more than a few values read as a curve; the rest as categories."""
    return bool(
        pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values) and values.nunique() > 5
    )


def dependence(explanation: Explanation, feature: str, *, max_points: int = 600, bins: int = 12) -> Dependence:
    """The dependence of the prediction on ``feature``, from every row's explanation.

    The dots are a seeded sample of at most ``max_points`` rows (the curve uses every row): 600 dots show the
    spread as well as 1,500, and each dot is an element the reader's browser draws (with 1,500 the stakeholder's
    /model took 1.8 s to draw against 1.3 s)."""
    j = explanation.feature_names.index(feature)
    values = explanation.data[feature].reset_index(drop=True)
    effects = pd.Series(explanation.values[:, j])
    missing = values.map(is_missing).astype(bool)
    missing_effect = float(effects[missing].mean()) if missing.any() else None
    known_values, known_effects = values[~missing], effects[~missing]

    rng = np.random.default_rng(0)
    keep = np.sort(rng.choice(len(known_values), min(max_points, len(known_values)), replace=False))
    if is_number(values):
        numbers = known_values.astype(float)
        points = pd.DataFrame({"value": numbers.iloc[keep].to_numpy(), "effect": known_effects.iloc[keep].to_numpy()})
        edges = np.unique(np.quantile(numbers, np.linspace(0, 1, bins + 1))) if len(numbers) else np.array([])
        if 0 < numbers.nunique() <= bins:  # few distinct values (counts): one point per value
            frame = pd.DataFrame({"value": numbers, "effect": known_effects})
            curve = (
                frame.groupby("value")
                .agg(effect=("effect", "mean"), n=("effect", "size"))
                .reset_index()
                .assign(low=lambda f: f["value"], high=lambda f: f["value"])
            )
        elif len(edges) >= 2:
            group = pd.cut(numbers, edges, include_lowest=True, labels=False)
            frame = pd.DataFrame({"bin": group, "value": numbers, "effect": known_effects})
            curve = (
                frame.groupby("bin")
                .agg(value=("value", "median"), low=("value", "min"), high=("value", "max"), effect=("effect", "mean"))
                .assign(n=frame.groupby("bin").size())
                .reset_index(drop=True)
            )
        else:
            curve = pd.DataFrame({"value": [], "low": [], "high": [], "effect": [], "n": []})
        kind = NUMBER
    else:
        text = known_values.map(str)
        points = pd.DataFrame({"value": text.iloc[keep].to_numpy(), "effect": known_effects.iloc[keep].to_numpy()})
        frame = pd.DataFrame({"value": text, "effect": known_effects})
        curve = (
            frame.groupby("value", sort=False)
            .agg(effect=("effect", "mean"), n=("effect", "size"))
            .sort_values("n", ascending=False)
            .head(MAX_CATEGORIES)
            .sort_values("effect", ascending=False)
            .reset_index()
        )
        kind = CATEGORY
    return Dependence(feature, kind, points, curve, explanation.output, missing_effect)


def partial_dependence(bundle: Bundle, feature: str, *, grid: int = 20, rows: int = 400, seed: int = 0) -> pd.DataFrame:
    """The model's average output (in the reader's unit) with ``feature`` set to each grid value for every row.

    Numbers use ``grid`` evenly spaced values between the 5th and 95th percentiles; categories every value (the
    most common ``MAX_CATEGORIES``). Rows are a seeded sample of the reference data. Returns columns ``value`` and
    ``average``: percent (0-100) for classifiers, the target's unit otherwise.
    """
    rng = np.random.default_rng(seed)
    X = bundle.X
    sample = X.iloc[np.sort(rng.choice(len(X), min(rows, len(X)), replace=False))]
    values = X[feature].dropna()
    if is_number(X[feature]):
        low, high = np.quantile(values.astype(float), [0.05, 0.95])
        grid_values: list[object] = list(np.unique(np.linspace(low, high, grid)))
        if pd.api.types.is_integer_dtype(X[feature]):
            grid_values = list(np.unique(np.round(np.asarray(grid_values, dtype=float))).astype(int))
    else:
        grid_values = list(values.value_counts().index[:MAX_CATEGORIES])
    frame = pd.concat([sample] * len(grid_values), ignore_index=True)
    column = np.repeat(np.asarray(grid_values, dtype=object), len(sample))
    frame[feature] = pd.Series(column).astype(X[feature].dtype)
    average = bundle.predict(frame).reshape(len(grid_values), len(sample)).mean(axis=1)
    return pd.DataFrame({"value": grid_values, "average": average * bundle.output.scale})
