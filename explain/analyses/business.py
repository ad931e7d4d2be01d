"""Business impact in numbers: what the risk is worth, and what acting on the riskiest entities would cost and save.

Pure arithmetic on each entity's chance (0-1) and the card's ``business:`` section. For a model that predicts an
amount of money instead (a regressor whose card gives a currency as its unit: yearly spend, balance), what the
amounts add up to and where the total comes from (:func:`totals`). The sentences that say these figures are in
:mod:`explain.words.business`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from explain.bundle.bundle import Bundle
from explain.bundle.card import Business, Card
from explain.bundle.output import is_money
from explain.errors import BusinessError

Selection = Literal["top_n", "budget", "worth"]
_TOLERANCE = 1e-6  # chances this far outside 0-1 are rounding noise
DEFAULT_SUCCESS_RATE = 0.3


@dataclass(frozen=True)
class Assumptions:
    """What the impact figures take as given.

    Attributes
    ----------
    success_rate : float
        The share (0-1) of those who would otherwise have the outcome that acting on them prevents
        ("an offer keeps 3 in 10 of those who would leave").
    budget : float or None
        The money available to spend on acting; None acts on every entity worth acting on.

    Raises
    ------
    BusinessError
        When the success rate is not between 0 and 1, or the budget is negative or not a number.
    """

    success_rate: float = DEFAULT_SUCCESS_RATE
    budget: float | None = None

    def __post_init__(self) -> None:
        rate = _as_number(self.success_rate)
        if rate is None or not 0 <= rate <= 1:
            raise BusinessError(
                f"The share kept by acting must be between 0 and 1 (0.3 means 3 in 10), not {self.success_rate!r}."
            )
        if self.budget is None:
            return
        budget = _as_number(self.budget)
        if budget is None:
            raise BusinessError(f"The budget must be a number, not {self.budget!r}.")
        if budget < 0:
            raise BusinessError(f"The budget cannot be negative (it is {budget:,.0f}).")


def _as_number(value: object) -> float | None:
    """The value as a finite float, or None when it is not one."""
    if isinstance(value, bool | str):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


@dataclass(frozen=True)
class Impact:
    """The money at stake across all entities, and what acting on the riskiest ones would cost and save.

    Attributes
    ----------
    n_customers : int
        How many entities were scored.
    expected_leavers : float
        How many are expected to have the outcome: the sum of their chances.
    money_at_risk : float
        The sum over entities of chance x value per entity, in the card's currency per period.
    n_acted : int
        How many entities are acted on: the top ones by chance.
    cost : float
        ``n_acted x action_cost`` (0 when the card gives no action cost).
    expected_saved_customers : float
        ``success_rate x`` the sum of the chances of those acted on.
    expected_saved_money : float
        ``success_rate x`` the sum of chance x value of those acted on.
    net : float
        ``expected_saved_money - cost``.
    assumptions : Assumptions
        The assumptions used.
    business : Business
        The card's money figures used.
    selection : {"top_n", "budget", "worth"}
        How ``n_acted`` was chosen: given outright, as many as the budget pays for, or every entity whose
        expected saving exceeds the cost of acting on it.
    acted : ndarray of int
        The positions of those acted on, riskiest first.
    """

    n_customers: int
    expected_leavers: float
    money_at_risk: float
    n_acted: int
    cost: float
    expected_saved_customers: float
    expected_saved_money: float
    net: float
    assumptions: Assumptions
    business: Business
    selection: Selection
    acted: np.ndarray = field(repr=False, compare=False)

    def __post_init__(self) -> None:
        self.acted.flags.writeable = False  # shared through the caches: read-only once made


def value_at_risk(chance: float, business: Business) -> float:
    """The money one entity puts at risk: its chance (0-1) times what it is worth per period.

    Raises
    ------
    BusinessError
        When the chance is not between 0 and 1.
    """
    if not math.isfinite(chance) or not 0 <= chance <= 1:
        raise BusinessError(f"A chance must be between 0 and 1, not {chance!r}.")
    return float(values_at_risk(np.array([chance]), business)[0])


def values_at_risk(chances: np.ndarray, business: Business) -> np.ndarray:
    """:func:`value_at_risk` for many chances (0-1, a model's own) at once: a batch of a million rows."""
    return np.asarray(chances, dtype=float) * business.value_per_entity


def risk_order(chances: np.ndarray) -> np.ndarray:
    """Positions sorted by chance, highest first; ties keep their order in the data."""
    return np.argsort(-np.asarray(chances, dtype=float), kind="stable")


def impact(chances: np.ndarray, business: Business, assumptions: Assumptions, *, top_n: int | None = None) -> Impact:
    """What the risk is worth, and what acting on the riskiest entities would cost and save.

    Parameters
    ----------
    chances : ndarray of shape (n,)
        Each entity's chance (0-1) of the outcome.
    business : Business
        The card's money figures: value per entity per period, currency, period and cost of acting on one.
    assumptions : Assumptions
        The share acting keeps, and the budget.
    top_n : int, optional
        Act on exactly this many (the riskiest). Otherwise: as many as the budget pays for when the budget
        and the action cost are both set, else every entity whose expected saving exceeds the action cost.

    Raises
    ------
    BusinessError
        When the chances are not between 0 and 1, the money figures are negative, or ``top_n`` is negative.
    """
    p = np.asarray(chances, dtype=float).reshape(-1)
    if p.size and (not np.all(np.isfinite(p)) or p.min() < -_TOLERANCE or p.max() > 1 + _TOLERANCE):
        raise BusinessError("Every chance must be a number between 0 and 1.")
    p = np.clip(p, 0.0, 1.0)  # rounding noise from a model's arithmetic, not a real chance above 1
    _check_business(business)
    if top_n is not None and top_n < 0:
        raise BusinessError(f"The number to act on cannot be negative (it is {top_n}).")

    value, cost_each = business.value_per_entity, business.action_cost or 0.0
    rate = assumptions.success_rate
    order = risk_order(p)
    selection: Selection
    if top_n is not None:
        n_acted, selection = min(int(top_n), p.size), "top_n"
    elif assumptions.budget is not None and cost_each > 0:
        n_acted, selection = min(int(assumptions.budget // cost_each), p.size), "budget"
    else:
        n_acted, selection = int(np.sum(rate * p * value > cost_each)), "worth"
    acted = order[:n_acted]
    saved_customers = rate * float(p[acted].sum())
    saved_money = saved_customers * value
    cost = n_acted * cost_each
    return Impact(
        n_customers=int(p.size),
        expected_leavers=float(p.sum()),
        money_at_risk=float(p.sum()) * value,
        n_acted=n_acted,
        cost=float(cost),
        expected_saved_customers=saved_customers,
        expected_saved_money=saved_money,
        net=saved_money - cost,
        assumptions=assumptions,
        business=business,
        selection=selection,
        acted=acted,
    )


def suggested_budget(chances: np.ndarray, business: Business, risk_threshold: float) -> float:
    """What acting on every high-risk entity (chance at or above the threshold) would cost; 0 without a cost."""
    n_high = int(np.sum(np.asarray(chances, dtype=float) >= risk_threshold))
    return n_high * (business.action_cost or 0.0)


def _check_business(business: Business) -> None:
    if not math.isfinite(business.value_per_entity) or business.value_per_entity < 0:
        raise BusinessError("card.yaml: business.value_per_entity must be zero or more.")
    cost = business.action_cost
    if cost is not None and (not math.isfinite(cost) or cost < 0):
        raise BusinessError("card.yaml: business.action_cost must be zero or more.")


@dataclass(frozen=True)
class SavingCurve:
    """What acting on the riskiest ``n`` entities would cost and save, for ``n`` from none to everyone.

    Attributes
    ----------
    acted : ndarray of shape (k,)
        How many are acted on, at each point.
    cost, saved, net : ndarray of shape (k,)
        The cost of acting on them, the expected saving, and the saving minus the cost.
    """

    acted: np.ndarray = field(repr=False)
    cost: np.ndarray = field(repr=False)
    saved: np.ndarray = field(repr=False)
    net: np.ndarray = field(repr=False)

    def __post_init__(self) -> None:
        for array in (self.acted, self.cost, self.saved, self.net):
            array.flags.writeable = False


def saving_curve(chances: np.ndarray, business: Business, success_rate: float, *, points: int = 60) -> SavingCurve:
    """The cost and the expected saving of acting on the riskiest entities, from none to everyone.

    The same arithmetic as :func:`impact` for each ``n`` on a grid (every ``n`` when there are few): acting on
    the ``n`` highest chances costs ``n x action_cost`` and keeps ``success_rate x`` their chances ``x`` value.
    """
    p = np.clip(np.asarray(chances, dtype=float).reshape(-1), 0.0, 1.0)
    ordered = np.sort(p)[::-1]
    cumulative = np.concatenate([[0.0], np.cumsum(ordered)])
    acted = np.unique(np.round(np.linspace(0, len(p), min(points, len(p) + 1))).astype(int))
    saved = success_rate * cumulative[acted] * business.value_per_entity
    cost = acted * (business.action_cost or 0.0)
    return SavingCurve(acted=acted, cost=cost.astype(float), saved=saved, net=saved - cost)


def default_assumptions(bundle: Bundle) -> Assumptions:
    """What the impact figures assume until a reader says otherwise: an offer keeps 3 in 10, and the budget pays
    for acting on every high-risk entity (no budget when the card gives no cost of acting).

    Every outlet starts from these, so the impact page, the overview and an export agree on their defaults.
    """
    business = bundle.card.business
    if business is None or not business.action_cost:
        return Assumptions()
    return Assumptions(budget=suggested_budget(bundle.outputs, business, bundle.card.risk_threshold))


@dataclass(frozen=True)
class Totals:
    """What a regressor's predictions add up to across all entities, and where the total comes from.

    Attributes
    ----------
    n : int
        How many entities were scored.
    total, mean, median : float
        Of the predictions, in the card's unit.
    low, high : float
        The 25th and 75th percentiles: half the entities lie between them.
    n_top : int
        How many entities make the top tenth (at least one).
    top_total : float
        What the top tenth's predictions add up to.
    tenths : ndarray of shape (k,)
        The total of each tenth of the entities ranked highest first (``k = min(10, n)``); sums to ``total``.
    order : ndarray of shape (n,)
        Positions sorted by prediction, highest first; ties keep their order in the data.
    """

    n: int
    total: float
    mean: float
    median: float
    low: float
    high: float
    n_top: int
    top_total: float
    tenths: np.ndarray = field(repr=False, compare=False)
    order: np.ndarray = field(repr=False, compare=False)

    def __post_init__(self) -> None:
        for array in (self.tenths, self.order):
            array.flags.writeable = False  # shared through the caches: read-only once made

    @property
    def top_share(self) -> float | None:
        """The top tenth's share of the total (0-1); None when the total is not positive."""
        return self.top_total / self.total if self.total > 0 else None


def shows_totals(card: Card) -> bool:
    """Whether the impact page adds up this model's predictions: a regressor predicting an amount of money."""
    return card.task == "regression" and is_money(card.unit)


def totals(predictions: np.ndarray) -> Totals:
    """Add up each entity's predicted amount, and split the total into tenths from the highest amounts down.

    Raises
    ------
    BusinessError
        When there are no predictions or one is not a finite number.
    """
    y = np.asarray(predictions, dtype=float).reshape(-1)
    if y.size == 0:
        raise BusinessError("There is nothing to add up: the data has no rows.")
    if not np.all(np.isfinite(y)):
        raise BusinessError("Every predicted amount must be a number.")
    order = np.argsort(-y, kind="stable")
    parts = np.array_split(y[order], min(10, y.size))
    tenths = np.array([float(part.sum()) for part in parts])
    n_top = len(parts[0])  # the chart's first bar: the sentence and the chart name the same people
    low, median, high = (float(q) for q in np.quantile(y, [0.25, 0.5, 0.75]))
    return Totals(
        n=int(y.size),
        total=float(y.sum()),
        mean=float(y.mean()),
        median=median,
        low=low,
        high=high,
        n_top=n_top,
        top_total=float(y[order[:n_top]].sum()),
        tenths=tenths,
        order=order,
    )
