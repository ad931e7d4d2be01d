"""Which customers a list shows, in which order: filters on any column or on the model's output, a search by id,
the top N, a sort and a page. Numbers only: vectorised over every row, so a million rows stay quick."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from explain.bundle.bundle import Bundle
from explain.bundle.filters import ALL_OPS, NUMBER_OPS, OPS, OUTPUT, Filter, Op, SelectionError
from explain.errors import PlainsightError

__all__ = ["OPS", "OUTPUT", "Filter", "ListQuery", "Op", "SelectionError", "select"]


@dataclass(frozen=True)
class ListQuery:
    """What the reader asked the list for. Defaults: everyone, highest output first, 25 to a page."""

    filters: tuple[Filter, ...] = ()
    search: str = ""  # part of an id, any case
    sort: str = OUTPUT
    descending: bool = True
    top: int | None = None  # only the N highest outputs (e.g. the customers a budget pays for)
    page: int = 1
    page_size: int = 25


def select(bundle: Bundle, query: ListQuery) -> np.ndarray:
    """The positions of the rows the query matches, in its order.

    Raises
    ------
    SelectionError
        When a filter names an unknown column or gives a number column a value that is not a number.
    """
    outputs = bundle.outputs
    keep = np.ones(len(outputs), dtype=bool)
    if query.top is not None:
        top = np.argsort(-outputs, kind="stable")[: max(0, int(query.top))]
        keep[:] = False
        keep[top] = True
    if query.search.strip():
        ids = pd.Series(bundle.ids, dtype=object).str.casefold()
        keep &= ids.str.contains(query.search.strip().casefold(), regex=False).to_numpy()
    for condition in query.filters:
        keep &= matches(bundle, condition)
    positions = np.flatnonzero(keep)
    ordered: np.ndarray = positions[_order(bundle, positions, query.sort, query.descending)]
    return ordered


def top_at_risk(bundle: Bundle, n: int = 20) -> list[int]:
    """The positions of the ``n`` rows with the highest output (the highest chance, or the largest value)."""
    if n == 1:  # the first of the highest, as the stable sort gives it, without sorting a million rows
        return [int(np.argmax(bundle.outputs))] if len(bundle.outputs) else []
    return [int(i) for i in np.argsort(-bundle.outputs, kind="stable")[:n]]


@dataclass(frozen=True)
class Found:
    """What a search by id found: the exact id, or the ids that contain the text (highest output first)."""

    exact: int | None  # the position of the row whose id is the text (any case), if there is one
    positions: tuple[int, ...]  # up to ``limit`` rows whose id contains it
    total: int  # how many ids contain it


def find_ids(bundle: Bundle, text: str, limit: int = 10) -> Found:
    """Find customers by id, on the server: an exact id at once (a lookup), else the ids containing the text."""
    text = text.strip()
    if not text:
        return Found(None, (), 0)
    try:
        return Found(bundle.position(text), (), 1)
    except PlainsightError:
        pass
    positions = select(bundle, ListQuery(search=text))
    exact = [int(i) for i in positions if bundle.ids[i].casefold() == text.casefold()]
    return Found(exact[0] if len(exact) == 1 else None, tuple(int(i) for i in positions[:limit]), len(positions))


def page_of(positions: np.ndarray, page: int, page_size: int) -> tuple[np.ndarray, int, int]:
    """The positions on one page, the page shown (clipped to those there are) and how many pages there are."""
    pages = max(1, math.ceil(len(positions) / page_size))
    page = min(max(1, int(page)), pages)
    start = (page - 1) * page_size
    return positions[start : start + page_size], page, pages


def _values(bundle: Bundle, column: str) -> pd.Series:
    if column == OUTPUT:
        return pd.Series(bundle.outputs * bundle.output.scale)
    if column not in bundle.features:
        raise SelectionError(
            f"There is no column '{column}' to filter on; the columns are {', '.join(bundle.features)}."
        )
    return bundle.X[column].reset_index(drop=True)


def is_number(values: pd.Series) -> bool:
    return bool(pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values))


def matches(bundle: Bundle, condition: Filter) -> np.ndarray:
    """Which rows meet ``condition`` (a missing value never does).

    Raises
    ------
    SelectionError
        When the column is unknown or the value does not fit it.
    """
    values = _values(bundle, condition.column)
    known = values.notna().to_numpy()
    if condition.op in NUMBER_OPS:
        if not is_number(values):
            raise SelectionError(
                f"'{condition.column}' holds categories; it takes 'is' or 'is not', not '{condition.op}'."
            )
        bound = _number(condition, condition.value)
        numbers = values.to_numpy(dtype=float)
        compare = {"at least": np.greater_equal, "at most": np.less_equal, "under": np.less, "over": np.greater}
        with np.errstate(invalid="ignore"):
            hit: np.ndarray = compare[condition.op](numbers, bound) & known
        return hit
    if condition.op not in ALL_OPS:
        raise SelectionError(f"A filter takes one of {', '.join(ALL_OPS)}, not '{condition.op}'.")
    if is_number(values):
        numbers = values.to_numpy(dtype=float)
        equal = np.zeros(len(values), dtype=bool)
        for text in condition.values:
            equal |= np.isclose(numbers, _number(condition, text))
        equal &= known
    else:
        wanted = {str(v).strip() for v in condition.values}
        codes, distinct = pd.factorize(values, use_na_sentinel=True)  # each distinct value compared once
        flags = np.array([str(v).strip() in wanted for v in distinct] + [False], dtype=bool)
        equal = flags[codes] & known
    matched: np.ndarray = ~equal & known if condition.op == "is not" else equal
    return matched


def _number(condition: Filter, text: str) -> float:
    try:
        return float(str(text).replace(",", "").strip())
    except ValueError:
        what = "a number to compare with" if condition.op in NUMBER_OPS else "a number"
        raise SelectionError(f"'{condition.column}' takes {what}, not '{text}'.") from None


def _order(bundle: Bundle, positions: np.ndarray, sort: str, descending: bool) -> np.ndarray:
    """The order of ``positions`` by the sort key; ties keep the data's order, missing values last."""
    if len(positions) == 0:
        return np.arange(0)
    if sort == "id":
        keys = pd.Series([bundle.ids[i] for i in positions])
    else:
        keys = _values(bundle, sort).iloc[positions].reset_index(drop=True)
        if not is_number(keys):
            keys = keys.astype(str).where(keys.notna(), None)
    frame = pd.DataFrame({"key": keys, "at": np.arange(len(positions))})
    ordered = frame.sort_values(["key", "at"], ascending=[not descending, True], na_position="last", kind="stable")
    order: np.ndarray = ordered["at"].to_numpy()
    return order
