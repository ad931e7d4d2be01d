"""Business impact: what the risk is worth in money, and what acting on the riskiest entities could save.

Pure arithmetic on each entity's chance (0-1) and the card's ``business:`` section. For a model that predicts an
amount of money instead (a regressor whose card gives a currency as its unit: yearly spend, balance), what the
amounts add up to and where the total comes from (:func:`totals`). Plain text out: the caller escapes it for
whatever renders it. Sentences are short and avoid the words in :mod:`explain.words.plain_words`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from explain.bundle.card import Business, Card
from explain.errors import BusinessError
from explain.words.formatting import CURRENCY_SIGNS, format_with_unit, is_money, output_decimals, round_count
from explain.words.narrative import target_words

Selection = Literal["top_n", "budget", "worth"]
_TOLERANCE = 1e-6  # chances this far outside 0-1 are rounding noise

_SIGNS = set(CURRENCY_SIGNS.values())
_PERIODS = {
    "year": ("year", "yearly"),
    "years": ("year", "yearly"),
    "yearly": ("year", "yearly"),
    "annual": ("year", "yearly"),
    "annually": ("year", "yearly"),
    "quarter": ("quarter", "quarterly"),
    "quarters": ("quarter", "quarterly"),
    "quarterly": ("quarter", "quarterly"),
    "month": ("month", "monthly"),
    "months": ("month", "monthly"),
    "monthly": ("month", "monthly"),
    "week": ("week", "weekly"),
    "weeks": ("week", "weekly"),
    "weekly": ("week", "weekly"),
    "day": ("day", "daily"),
    "days": ("day", "daily"),
    "daily": ("day", "daily"),
}


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

    success_rate: float = 0.3
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


def value_at_risk(chance: float, business: Business) -> float:
    """The money one entity puts at risk: its chance (0-1) times what it is worth per period.

    Raises
    ------
    BusinessError
        When the chance is not between 0 and 1.
    """
    if not math.isfinite(chance) or not 0 <= chance <= 1:
        raise BusinessError(f"A chance must be between 0 and 1, not {chance!r}.")
    return float(chance) * business.value_per_entity


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


# --- Words --------------------------------------------------------------------------------------------------


def currency_sign(currency: str) -> str:
    """The sign for USD, EUR, GBP and JPY (``"$"``); any other currency as its code (``"CHF"``)."""
    code = currency.strip()
    return CURRENCY_SIGNS.get(code.upper(), code)


def format_money(amount: float, currency: str, *, rounded: bool = True) -> str:
    """Money the way a person says it: ``"$1.5 million"``, ``"$12,000"``, ``"$230"``, ``"CHF 1,200"``.

    Parameters
    ----------
    amount : float
        The amount, in ``currency``.
    currency : str
        An ISO code: USD, EUR, GBP and JPY show as their sign, any other code is written before the number.
    rounded : bool, default True
        Round to 2 significant figures from 1,000 up, and to whole units from 10 up ("say about" is the
        caller's job). False: the exact amount, with cents only when there are any.
    """
    sign = currency_sign(currency)
    prefix = sign if sign in _SIGNS or not sign else sign + " "
    minus = "-" if amount < 0 else ""
    number = _money_number(abs(float(amount)), rounded=rounded)
    return f"{minus}{prefix}{number}"


def _money_number(amount: float, *, rounded: bool) -> str:
    if not math.isfinite(amount):
        return f"{amount}"
    if not rounded:
        return f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,.2f}"
    if amount < 10:
        return f"{amount:,.0f}" if float(round(amount, 2)).is_integer() else f"{amount:,.2f}"
    if amount < 1000:
        return f"{math.floor(amount + 0.5):,.0f}"
    magnitude = 10 ** (math.floor(math.log10(amount)) - 1)
    amount = math.floor(amount / magnitude + 0.5) * magnitude  # half up, two significant figures
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if amount >= size:
            scaled = amount / size
            text = f"{scaled:,.1f}" if scaled < 10 else f"{scaled:,.0f}"
            return f"{text.removesuffix('.0')} {word}"
    return f"{amount:,.0f}"


def _about_money(amount: float, currency: str) -> str:
    """``"about $72,000"`` when rounding changed the figure, ``"$20,000"`` when it did not."""
    said = format_money(amount, currency)
    exact = format_money(amount, currency, rounded=False)
    return said if said == exact else f"about {said}"


def _period(business: Business) -> tuple[str, str]:
    """("a year", "yearly"), ("a month", "monthly"); an unknown period as ("a season", "")."""
    key = business.period.strip().lower()
    noun, adjective = _PERIODS.get(key, (key or "year", ""))
    article = "an" if noun[:1] in "aeiou" else "a"
    return f"{article} {noun}", adjective


def _revenue(business: Business) -> str:
    per, adjective = _period(business)
    return f"{adjective} revenue" if adjective else f"revenue each {per.split(' ', 1)[1]}"


def _next_period(business: Business) -> str:
    per, _ = _period(business)
    return "the next " + per.split(" ", 1)[1]


def _count(n: float) -> str:
    """An expected count: always "about", since it is a sum of chances."""
    if n >= 100:
        return round_count(n)
    return f"about {round(n):,}"


def _share(rate: float) -> str:
    """A success rate as people say it: 0.3 -> "3 in 10", 0.25 -> "25 in 100", 1 -> "all"."""
    if rate >= 1:
        return "all"
    if rate <= 0:
        return "none"
    if math.isclose(rate * 10, round(rate * 10), abs_tol=1e-9):
        return f"{round(rate * 10)} in 10"
    if math.isclose(rate * 100, round(rate * 100), abs_tol=1e-9):
        return f"{round(rate * 100)} in 100"
    return f"{rate * 100:.1f}%"


def impact_headline(impact: Impact, card: Card) -> list[str]:
    """What is at risk, and what acting on the riskiest would cost and save, in plain words."""
    business, currency = impact.business, impact.business.currency
    per, _ = _period(business)
    total = f"{impact.n_customers:,} {card.entity if impact.n_customers == 1 else card.entities}"
    leavers = impact.expected_leavers
    if leavers < 0.5:
        first = f"Fewer than 1 of your {total} is likely to {card.outcome_positive}"
    else:
        verb = "is" if round(leavers) == 1 else "are"
        first = f"{_count(leavers).capitalize()} of your {total} {verb} likely to {card.outcome_positive}"
    sentences = [
        f"{first} in {_next_period(business)}.",
        f"That is about {format_money(impact.money_at_risk, currency)} of {_revenue(business)} at risk.",
    ]

    n = impact.n_acted
    if n == 0:
        sentences.append(_nobody(impact, card))
        return sentences
    if n == impact.n_customers and n > 1:
        who = f"all {n:,} {card.entities}"
    elif n == 1:
        who = f"the {card.entity} most at risk"
    else:
        who = f"the {n:,} {card.entities} most at risk"
    keeps = f"If that keeps {_share(impact.assumptions.success_rate)} of those who would {card.outcome_positive}"
    saved = impact.expected_saved_money
    save = f"it would save about {format_money(saved, currency)} {per}" if saved >= 0.5 else "it would save nothing"
    if business.action_cost:
        sentences.append(f"Acting on {who} would cost {_about_money(impact.cost, currency)}.")
        sentences.append(f"{keeps}, {save}.")
        if impact.net >= 0:
            sentences.append(f"After the cost, that leaves about {format_money(impact.net, currency)}.")
        else:
            sentences.append(f"The cost is about {format_money(-impact.net, currency)} more than the saving.")
    else:
        sentences.append(f"Suppose you act on {who}.")
        sentences.append(f"{keeps}, {save}.")
    return sentences


def _nobody(impact: Impact, card: Card) -> str:
    currency = impact.business.currency
    if impact.selection == "budget":
        budget = format_money(impact.assumptions.budget or 0.0, currency, rounded=False)
        return f"A budget of {budget} is not enough to act on even one {card.entity}."
    if impact.selection == "top_n" or impact.n_customers == 0:
        return f"No {card.entity} is acted on, so nothing is spent or saved."
    if impact.assumptions.success_rate == 0:
        return f"If acting keeps no one, no {card.entity} is worth acting on."
    return f"No {card.entity} is worth acting on: for each one, the likely saving is less than the cost."


def assumption_sentences(impact: Impact, card: Card) -> list[str]:
    """The assumptions behind the figures, stated plainly."""
    business, currency = impact.business, impact.business.currency
    per, _ = _period(business)
    value = format_money(business.value_per_entity, currency, rounded=False)
    if business.action_cost:
        cost = format_money(business.action_cost, currency, rounded=False)
        sentences = [f"This assumes one {card.entity} is worth {value} {per} and acting on one costs {cost}."]
    else:
        sentences = [f"This assumes one {card.entity} is worth {value} {per}."]
        sentences.append("The card gives no cost for acting, so it counts as nothing.")
    share = _share(impact.assumptions.success_rate)
    sentences.append(f"It also assumes acting keeps {share} of those who would {card.outcome_positive}.")
    if impact.selection == "budget" and impact.assumptions.budget is not None and impact.n_acted > 0:
        budget = format_money(impact.assumptions.budget, currency, rounded=False)
        sentences.append(f"The budget is {budget}, which pays for {impact.n_acted:,} {_noun(impact.n_acted, card)}.")
    elif impact.selection == "worth" and business.action_cost:
        sentences.append(f"It acts on each {card.entity} whose likely saving is more than the cost.")
    return sentences


def _noun(n: int, card: Card) -> str:
    return card.entity if n == 1 else card.entities


def impact_sentences(impact: Impact, card: Card) -> list[str]:
    """Everything the impact says, in plain words: what is at risk, what acting would do, and the assumptions."""
    return impact_headline(impact, card) + assumption_sentences(impact, card)


def value_at_risk_sentence(chance: float, card: Card) -> str | None:
    """One row's value at risk in plain words ("About $230 of yearly revenue is at risk."), or None without values."""
    if card.business is None:
        return None
    amount = value_at_risk(chance, card.business)
    return f"About {format_money(amount, card.business.currency)} of {_revenue(card.business)} is at risk."


def business_example(card: Card) -> str:
    """A ``business:`` section for card.yaml, as YAML, with a comment on each figure."""
    return (
        "business:\n"
        f"  value_per_entity: 1200   # what one {card.entity} is worth per year\n"
        "  currency: USD\n"
        "  period: year\n"
        f"  action_cost: 40          # what acting on one {card.entity} costs\n"
    )


def missing_business_text(card: Card, *, example: bool = True) -> str:
    """What this page needs when the card has no ``business:`` section, in one plain paragraph.

    Parameters
    ----------
    card : Card
        The model's card (for its entity word).
    example : bool, default True
        Add the YAML example after the paragraph (a blank line between); False for a page that shows the
        example itself (:func:`business_example`).
    """
    text = (
        f"To put a money figure on the risk, this page needs to know what a {card.entity} is worth. "
        "Add a business: section to card.yaml in the model's folder. "
        f"Give value_per_entity (what one {card.entity} is worth per period), currency (like USD), "
        f"period (like year) and action_cost (what acting on one {card.entity} costs). "
        "Then reload this page."
    )
    if example:
        text += " For example:\n\n" + business_example(card)
    return text


def not_a_chance_text(card: Card) -> str:
    """Why the page has nothing to show for a model that predicts a number, not a chance."""
    what = f"the expected {card.label(card.target).lower()}" if card.target else "a number"
    return (
        f"This page is for models that predict a chance, like the chance a {card.entity} will leave. "
        f"This model predicts {what} for each {card.entity}, so there is no risk here to put a price on."
    )


# --- Models that predict an amount of money -------------------------------------------------------------------


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


def totals_sentences(result: Totals, card: Card) -> list[str]:
    """What the predicted amounts add up to, their average and middle half, and how much the top tenth brings."""
    unit = card.unit or ""
    places = output_decimals(result.mean, card.unit)

    def each(amount: float) -> str:
        return format_with_unit(amount, card.unit, decimals=places)

    what = target_words(card)
    noun = f"expected {what}" if what else "expected amount"
    who = f"{result.n:,} {card.entity if result.n == 1 else card.entities}"
    sentences = [f"Added up over your {who}, the {noun} is {_about_money(result.total, unit)}."]
    if result.n == 1:
        return sentences
    sentences.append(f"On average, it is {each(result.mean)} for each {card.entity}.")
    if each(result.low) != each(result.high):
        sentences.append(f"For half of your {card.entities}, it is between {each(result.low)} and {each(result.high)}.")
    share = result.top_share
    if result.n >= 10 and share is not None:
        top = f"The top {result.n_top:,} {card.entity if result.n_top == 1 else card.entities}"
        sentences.append(
            f"{top}, 1 in 10, bring {_about_money(result.top_total, unit)} of it ({round(share * 100):.0f}%)."
        )
    return sentences


def totals_note(card: Card) -> str:
    """Why the page adds up amounts instead of pricing a risk."""
    what = target_words(card)
    return (
        f"This model predicts an amount for each {card.entity}"
        + (f" (the expected {what})" if what else "")
        + ", not a chance. So there is no risk to put a price on: this page adds up the amounts instead."
    )
