"""What the data says about a column that the card need not: a number that only holds 0 and 1 is a yes/no fact, a
column named for a year that holds whole numbers from 1000 to 2999 is a calendar year (shown 1998, never 1,998)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from explain.bundle.card import Card, FeatureInfo
from explain.bundle.naming import humanize


def with_column_kinds(card: Card, X: Any) -> Card:
    """The card with every number column that only holds 0 and 1 marked as a yes/no fact (``binary``), and every
    column of calendar years (named for a year, whole numbers from 1000 to 2999) marked ``year``."""
    features = dict(card.features)
    for column in X.columns:
        values = X[column]
        if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            continue
        # The distinct values answer both questions: read once (a million rows' dropna took half a second).
        known = pd.Series(values.unique()).dropna()
        seen = set(known.tolist())
        info = features.get(column) or FeatureInfo(label=humanize(column))
        if info.unit is not None:
            continue
        if seen and seen <= {0, 1} and len(seen) == 2:
            features[column] = replace(info, binary=True)
        elif len(known) and _names_a_year(column, info.label) and _calendar_years(known):
            features[column] = replace(info, year=True)
    return replace(card, features=features)


def _names_a_year(column: str, label: str) -> bool:
    """ "YearBuilt", "yr_sold", "Model year", "GarageYrBlt": a word for year in the column's name or label."""
    words = set(re.findall(r"[a-z]+", f"{humanize(column)} {label}".lower()))
    return bool(words & {"year", "yr", "yrs", "years"})


def _calendar_years(values: Any) -> bool:
    numbers = np.asarray(values, dtype=float)
    return bool(np.all(np.mod(numbers, 1) == 0) and numbers.min() >= 1000 and numbers.max() <= 2999)
