"""Business impact in words: what the risk is worth, what acting on the riskiest would cost and save, the
assumptions behind it, and what a money regressor's amounts add up to.

Plain text out: the caller escapes it for whatever renders it. Sentences are short and avoid the words in
:mod:`explain.words.plain_words`.
"""

from __future__ import annotations

import math

from explain.analyses.business import Impact, Totals, value_at_risk
from explain.bundle.card import Business, Card
from explain.bundle.output import Output, split_unit
from explain.words.explanation import target_words
from explain.words.grammar import capitalize
from explain.words.numbers import about_money, format_money, round_count, say_output

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


def _period(business: Business) -> tuple[str, str]:
    """("a year", "yearly"), ("a month", "monthly"); an unknown period as ("a season", "")."""
    key = business.period.strip().lower()
    noun, adjective = _PERIODS.get(key, (key or "year", ""))
    article = "an" if noun[:1] in "aeiou" else "a"
    return f"{article} {noun}", adjective


def per_period(business: Business) -> str:
    """The card's period with its article: "a year", "a month"."""
    return _period(business)[0]


def _revenue(business: Business) -> str:
    per, adjective = _period(business)
    return f"{adjective} revenue" if adjective else f"revenue each {per.split(' ', 1)[1]}"


def _next_period(business: Business) -> str:
    per, _ = _period(business)
    return "the next " + per.split(" ", 1)[1]


def expected_count(n: float) -> str:
    """An expected count, said the same in the sentences and the headline figure: always "about", since it is a
    sum of chances ("about 360" for 360.7; "about 4" for 3.6)."""
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
        first = f"{expected_count(leavers).capitalize()} of your {total} {verb} likely to {card.outcome_positive}"
    sentences = [
        f"{first} in {_next_period(business)}.",
        f"That is {about_money(impact.money_at_risk, currency)} of {_revenue(business)} at risk.",
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
    save = f"it would save {about_money(saved, currency)} {per}" if saved >= 0.5 else "it would save nothing"
    if business.action_cost:
        sentences.append(f"Acting on {who} would cost {about_money(impact.cost, currency)}.")
        sentences.append(f"{keeps}, {save}.")
        if impact.net >= 0:
            sentences.append(f"After the cost, that leaves {about_money(impact.net, currency)}.")
        else:
            sentences.append(f"The cost is {about_money(-impact.net, currency)} more than the saving.")
    else:
        sentences.append(f"Suppose you act on {who}.")
        sentences.append(f"{keeps}, {save}.")
    return sentences


def business_answer(impact: Impact, card: Card) -> str:
    """The business answer in one sentence, to lead with: the money at risk and how many to act on.

    "About $2.2 million a year is at risk: act on the 1,437 customers most at risk to keep about $280,000 of it,
    after costs." (Short words, so it reads at the grade the other sentences do.)
    """
    business, currency = impact.business, impact.business.currency
    per, _ = _period(business)
    at_risk = f"{capitalize(about_money(impact.money_at_risk, currency))} {per} is at risk"
    n = impact.n_acted
    if n == 0:
        return f"{at_risk}; at these assumptions no {card.entity} is worth acting on."
    who = f"the {card.entity} most at risk" if n == 1 else f"the {n:,} {card.entities} most at risk"
    kept = impact.net if business.action_cost else impact.expected_saved_money
    if kept < 0.5:
        return f"{at_risk}; acting on {who} would cost more than it keeps."
    after = ", after costs" if business.action_cost else ""
    return f"{at_risk}: act on {who} to keep {about_money(kept, currency)} of it{after}."


def counts_explained(impact: Impact, n_high: int, threshold: float, card: Card) -> str:
    """Why "likely to leave" and "at high risk" are two different counts."""
    outcome = card.outcome_positive
    likely = expected_count(impact.expected_leavers)
    return (
        f"Likely to {outcome} adds up every {card.entity}'s chance (a 30% chance counts as 0.3 of {card.an_entity}), "
        f"which comes to {likely}. At high risk counts the {card.entities} whose chance is "
        f"{round(threshold * 100)}% or more: {n_high:,}."
    )


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
    business = card.risk_business
    if business is None:
        return None
    amount = value_at_risk(chance, business)
    return f"{capitalize(about_money(amount, business.currency))} of {_revenue(business)} is at risk."


def value_at_risk_column(business: Business) -> str:
    """The list's value-at-risk heading, with the period its amounts are for: "Value at risk (a year)"."""
    return f"Value at risk ({_period(business)[0]})"


def value_at_risk_amount(chance: float, business: Business) -> str:
    """One row's value at risk as the list shows it under :func:`value_at_risk_column`: "about $1,100"."""
    return about_money(value_at_risk(chance, business), business.currency)


def value_at_risk_text(chance: float, business: Business) -> str:
    """One row's value at risk as a headline figure: ``"$1,100 a year"``."""
    per, _ = _period(business)
    return f"{about_money(value_at_risk(chance, business), business.currency)} {per}"


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
        f"To put a money figure on the risk, this page needs to know what {card.an_entity} is worth. "
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
    what = f"the expected {target_words(card)}" if card.target else "a number"
    return (
        "This page is for models that predict a chance of a loss. "
        f"This model predicts {what} for each {card.entity}, so there is no risk here to put a price on."
    )


def totals_sentences(result: Totals, card: Card, output: Output) -> list[str]:
    """What the predicted amounts add up to, their average and middle half, and how much the top tenth brings."""
    sign, factor = split_unit(card.unit)  # "$1,000": added up in dollars, in full
    unit = sign or ""

    def each(amount: float) -> str:
        return say_output(output.shown(amount), output)

    what = target_words(card)
    noun = f"expected {what}" if what else "expected amount"
    who = f"{result.n:,} {card.entity if result.n == 1 else card.entities}"
    sentences = [f"Added up over your {who}, the {noun} is {about_money(result.total * factor, unit)}."]
    if result.n == 1:
        return sentences
    sentences.append(f"On average, it is {each(result.mean)} for each {card.entity}.")
    if each(result.low) != each(result.high):
        sentences.append(f"For half of your {card.entities}, it is between {each(result.low)} and {each(result.high)}.")
    share = result.top_share
    if result.n >= 10 and share is not None:
        top = f"The top {result.n_top:,} {card.entity if result.n_top == 1 else card.entities}"
        sentences.append(
            f"{top}, 1 in 10, bring {about_money(result.top_total * factor, unit)} of it ({round(share * 100):.0f}%)."
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
