"""What would it take? Small sets of changes to actionable columns that bring a row to a target.

A search over a grid of realistic values rather than a counterfactual library: the grid is the reference data's
own quantiles (clipped to the card's min/max), every candidate is scored in one batch by the model itself, and
sets are kept only when no smaller set already reaches the target. Each suggestion returned was re-predicted on
its own. Only the columns the card lets change are changed (:meth:`~explain.bundle.card.Card.actionable`); where
the card gives what a change costs, the cheapest suggestions come first.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from explain.analyses.whatif import apply_changes, column_ranges_cached
from explain.bundle.bundle import Bundle

QUANTILES = np.linspace(0.05, 0.95, 10)
TOP_VALUES_FOR_TRIPLES = 4  # per column: the values that helped most alone

Change = tuple[str, Any]
Combo = tuple[Change, ...]


@dataclass(frozen=True)
class Suggestion:
    """Changes to a row and the model's output after them (a chance 0-1, or the value)."""

    changes: dict[str, Any]
    prediction: float
    size: float  # how big the changes are: typical spreads moved, summed (a category switch counts 1)
    cost: float | None = None  # what the changes cost, from the card's costs (None unless it gives one for each)


@dataclass(frozen=True)
class Suggestions:
    """The search's answer for one row."""

    target: float
    current: float
    lower: bool  # True when the target is below the current output
    actionable: list[str]
    suggestions: list[Suggestion] = field(default_factory=list)

    @property
    def reached(self) -> bool:
        return bool(self.suggestions)


def suggest(
    bundle: Bundle, row: int | pd.DataFrame, target: float, *, max_changes: int = 3, limit: int = 5
) -> Suggestions:
    """Find up to ``limit`` small sets of changes that bring a row to ``target``.

    Parameters
    ----------
    row : int or DataFrame of shape (1, n_features)
        A reference row's position, or a row of its own (an uploaded customer).
    target : float
        A chance (0-1) for classifiers, a value in the target's unit for regressors. The goal is to reach it from
        the row's side: at or below it when the row is above, at or above it when below.
    max_changes : int
        The most columns one suggestion may change (1-3).

    Returns
    -------
    Suggestions
        Ranked by how few columns change, then how small the changes are; empty when nothing within reach works.
    """
    X0 = bundle.X.iloc[[row]] if isinstance(row, int | np.integer) else row[bundle.features]
    current = float(bundle.predict(X0)[0])
    lower = target < current
    actionable = [c for c in bundle.features if bundle.card.actionable(c)]
    if current == target:  # already there: the answer is to change nothing
        return Suggestions(target, current, lower, actionable, [Suggestion({}, current, 0.0)])

    options = {c: _candidates(bundle, c, X0[c].iloc[0]) for c in actionable}
    options = {c: v for c, v in options.items() if v}

    def reaches(p: np.ndarray) -> np.ndarray:
        return p <= target if lower else p >= target

    found: list[Suggestion] = []
    working: list[frozenset[Change]] = []
    singles: list[Combo] = [((c, v),) for c, values in options.items() for v, _ in values]
    scores = _score(bundle, X0, singles)
    found += _keep(singles, scores, reaches, options, working)

    if max_changes >= 2:
        helpful = _most_helpful(singles, scores, lower)
        pairs: list[Combo] = [
            (a, b)
            for c1, c2 in itertools.combinations(options, 2)
            for a in [s[0] for s in singles if s[0][0] == c1]
            for b in [s[0] for s in singles if s[0][0] == c2]
        ]
        found += _keep(pairs, _score(bundle, X0, pairs), reaches, options, working)
        if max_changes >= 3:
            triples: list[Combo] = [
                tuple(combo)
                for cols in itertools.combinations(options, 3)
                for combo in itertools.product(*(helpful[c] for c in cols))
            ]
            found += _keep(triples, _score(bundle, X0, triples), reaches, options, working)

    found = [Suggestion(s.changes, s.prediction, s.size, _cost(bundle, s.changes)) for s in found]
    ranked = _distinct(sorted(found, key=_rank), limit)
    # Re-predict each from its own changed row, not from the search's grid: what is shown is what the model says.
    # One call for all of them (a model call costs about 20 ms however few rows it gets).
    changed = [apply_changes(bundle, X0, s.changes) for s in ranked]
    predictions = bundle.predict(pd.concat(changed, ignore_index=True)) if changed else np.array([])
    verified = [
        Suggestion(s.changes, float(p), s.size, s.cost)
        for s, p in zip(ranked, predictions, strict=True)
        if reaches(np.array([p]))[0]
    ]
    return Suggestions(target, current, lower, actionable, verified)


def suggestion_target(bundle: Bundle, current: float) -> float:
    """The target "what would change it" aims at when the reader sets none: half the chance (the usual question
    about a risk is how to lower it); for good news (to survive, to buy: see ``Card.good_news``) halfway up to
    certain, since the question is how to raise it; or a round amount a little above (see :func:`default_target`).

    ``current`` and the result are the model's own output: a chance 0-1, or an amount.
    """
    if bundle.is_classifier:
        if bundle.card.good_news:
            return min(0.99, round(current + (1 - current) / 2, 2))
        return max(0.01, round(current / 2, 2))
    return default_target(current, bundle.outputs)[0]


def default_target(current: float, predictions: np.ndarray) -> tuple[float, float]:
    """A regressor's starting target and a step for the control that sets it, both round numbers.

    The start is a little above the row's own output (a quarter of the middle half of all outputs), since the
    usual question about an amount is how to raise it; the reader may set it above or below.

    Parameters
    ----------
    current : float
        The row's output, in the target's unit.
    predictions : ndarray of shape (n,)
        The model's outputs for the reference rows.

    Returns
    -------
    target, step : float
    """
    values = np.asarray(predictions, dtype=float)
    values = values[np.isfinite(values)]
    spread = float(np.subtract(*np.quantile(values, [0.75, 0.25]))) if len(values) else 0.0
    spread = spread or abs(current) or 1.0
    step = 10.0 ** (math.floor(math.log10(spread)) - 1)
    target = math.ceil((current + spread / 4) / step) * step
    return float(round(target, 10)), float(step)


def _candidates(bundle: Bundle, column: str, current: Any) -> list[tuple[Any, float]]:
    """(value, size of the move) pairs for one column, the current value excluded."""
    spec = column_ranges_cached(bundle)[column]
    info = bundle.card.feature(column)
    if not spec.numeric:
        # Never a value the model did not learn: what it says about one is a guess, not advice.
        return [(v, 1.0) for v in spec.categories if str(v) != str(current) and not spec.unseen(v)]
    values = bundle.X[column].dropna().to_numpy(dtype=float)
    if len(values) == 0:
        return []
    grid = np.quantile(values, QUANTILES)
    if spec.step == 1.0:
        grid = np.round(grid)
    low = info.min if info.min is not None else -np.inf
    high = info.max if info.max is not None else np.inf
    grid = np.unique(np.round(np.clip(grid, low, high), 2))
    spread = float(np.subtract(*np.quantile(values, [0.75, 0.25]))) or float(values.std()) or 1.0
    base = float(current) if not pd.isna(current) else float(np.median(values))
    return [(float(v), abs(float(v) - base) / spread) for v in grid if pd.isna(current) or float(v) != float(current)]


def _score(bundle: Bundle, X0: pd.DataFrame, combos: Sequence[Combo]) -> np.ndarray:
    if not combos:
        return np.array([])
    # The one row repeated (a single take: concatenating hundreds of one-row frames took most of this function).
    rows = X0.iloc[np.zeros(len(combos), dtype=int)].reset_index(drop=True)
    for column in {c for combo in combos for c, _ in combo}:
        values = rows[column].astype(object).to_numpy(copy=True)
        for i, combo in enumerate(combos):
            for c, v in combo:
                if c == column:
                    values[i] = v
        rows[column] = pd.Series(values).astype(X0[column].dtype) if X0[column].dtype != object else values
    return bundle.predict(rows)


def _keep(
    combos: Sequence[Combo],
    scores: np.ndarray,
    reaches: Callable[[np.ndarray], np.ndarray],
    options: dict[str, list[tuple[Any, float]]],
    working: list[frozenset[Change]],
) -> list[Suggestion]:
    sizes = {(c, v): s for c, values in options.items() for v, s in values}
    kept = []
    for combo, score in zip(combos, scores, strict=True):
        if not reaches(np.array([score]))[0]:
            continue
        key = frozenset(combo)
        if any(smaller <= key for smaller in working):
            continue  # a subset already reaches the target: this one only adds changes
        working.append(key)
        kept.append(Suggestion(dict(combo), float(score), float(sum(sizes[(c, v)] for c, v in combo))))
    return kept


def _most_helpful(singles: Sequence[Combo], scores: np.ndarray, lower: bool) -> dict[str, list[Change]]:
    by_column: dict[str, list[tuple[float, Change]]] = {}
    for (change,), score in zip(singles, scores, strict=True):
        by_column.setdefault(change[0], []).append((score if lower else -score, change))
    best = {c: sorted(items, key=lambda t: t[0])[:TOP_VALUES_FOR_TRIPLES] for c, items in by_column.items()}
    return {c: [change for _, change in items] for c, items in best.items()}


def _distinct(found: list[Suggestion], limit: int) -> list[Suggestion]:
    """Up to ``limit`` suggestions, preferring different routes (sets of columns), in rank order."""
    best: dict[frozenset[str], Suggestion] = {}
    for s in found:
        best.setdefault(frozenset(s.changes), s)
    chosen = list(best.values())[:limit]
    chosen += [s for s in found if s not in chosen][: limit - len(chosen)]
    return sorted(chosen, key=_rank)


def _cost(bundle: Bundle, changes: dict[str, Any]) -> float | None:
    """What a set of changes costs, by the card's cost of changing each fact.

    None unless the card gives a cost for every fact changed: a part-sum would be said as the whole cost.
    """
    costs = [bundle.card.feature(c).cost for c in changes]
    if not costs or any(c is None for c in costs):
        return None
    return float(sum(c for c in costs if c is not None))


def _rank(s: Suggestion) -> tuple[bool, float, int, float]:
    """Those with a known cost first, the cheapest first; then the fewest changes, then the smallest."""
    return (s.cost is None, s.cost or 0.0, len(s.changes), s.size)
