"""Business impact: closed-form money figures, the choice of whom to act on, and the words that say it."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import textstat

from explain.analyses.business import Assumptions, BusinessError, impact, suggested_budget, value_at_risk
from explain.bundle import load_bundle
from explain.bundle.card import Business, complete_card
from explain.errors import PlainsightError
from explain.words.business import (
    assumption_sentences,
    business_answer,
    counts_explained,
    impact_headline,
    impact_sentences,
    missing_business_text,
    not_a_chance_text,
    value_at_risk_sentence,
)
from explain.words.numbers import about_money, parse_amount
from explain.words.numbers import format_money as money
from explain.words.plain_words import find_jargon

MAX_GRADE = 8.0
CHANCES = np.array([0.9, 0.1, 0.5, 0.02, 0.7])  # in risk order: positions 0, 4, 2, 1, 3
BUSINESS = Business(value_per_entity=1000.0, currency="USD", period="year", action_cost=50.0)


def _card(**raw):
    base = {"entity": "subscriber", "outcome": {"positive": "cancel", "negative": "stay"}}
    return complete_card({**base, **raw}, columns=["a"], task="classification", classes=[0, 1], default_title="m")


def test_value_at_risk_is_chance_times_value():
    assert value_at_risk(0.25, BUSINESS) == pytest.approx(250.0)
    assert value_at_risk(0.0, BUSINESS) == 0.0
    with pytest.raises(BusinessError):
        value_at_risk(1.5, BUSINESS)


def test_population_figures_are_sums_of_chances():
    result = impact(CHANCES, BUSINESS, Assumptions())
    assert result.n_customers == 5
    assert result.expected_leavers == pytest.approx(CHANCES.sum())
    assert result.money_at_risk == pytest.approx((CHANCES * 1000).sum())


def test_the_budget_picks_the_riskiest_it_pays_for():
    # 120 at 50 each pays for 2: the 0.9 and the 0.7.
    result = impact(CHANCES, BUSINESS, Assumptions(success_rate=0.5, budget=120))
    assert result.selection == "budget"
    assert result.n_acted == 2
    assert list(result.acted) == [0, 4]
    assert result.cost == pytest.approx(100.0)
    assert result.expected_saved_customers == pytest.approx(0.5 * (0.9 + 0.7))
    assert result.expected_saved_money == pytest.approx(0.5 * (0.9 + 0.7) * 1000)
    assert result.net == pytest.approx(800.0 - 100.0)


def test_a_budget_larger_than_everyone_acts_on_everyone():
    result = impact(CHANCES, BUSINESS, Assumptions(budget=1e9))
    assert result.n_acted == 5
    assert result.cost == pytest.approx(250.0)


def test_top_n_wins_over_the_budget():
    result = impact(CHANCES, BUSINESS, Assumptions(success_rate=0.3, budget=1e9), top_n=3)
    assert result.selection == "top_n"
    assert list(result.acted) == [0, 4, 2]
    assert result.cost == pytest.approx(150.0)
    assert result.expected_saved_money == pytest.approx(0.3 * (0.9 + 0.7 + 0.5) * 1000)
    assert impact(CHANCES, BUSINESS, Assumptions(), top_n=99).n_acted == 5


def test_without_a_budget_it_acts_where_the_saving_exceeds_the_cost():
    # Saving per customer = 0.3 x chance x 1000 > 50  <=>  chance > 1/6: the 0.9, 0.7 and 0.5.
    result = impact(CHANCES, BUSINESS, Assumptions(success_rate=0.3))
    assert result.selection == "worth"
    assert list(result.acted) == [0, 4, 2]
    assert result.net == pytest.approx(0.3 * 2.1 * 1000 - 150)


def test_zero_or_missing_action_cost_costs_nothing():
    for cost in (0.0, None):
        free = dataclasses.replace(BUSINESS, action_cost=cost)
        result = impact(CHANCES, free, Assumptions(success_rate=0.3, budget=100))
        assert result.cost == 0.0
        assert result.n_acted == 5  # every customer with any chance is worth acting on when acting is free
        assert result.net == pytest.approx(result.expected_saved_money)
        assert result.expected_saved_money == pytest.approx(0.3 * CHANCES.sum() * 1000)


def test_no_customers_is_all_zeros():
    result = impact(np.array([]), BUSINESS, Assumptions(budget=100))
    assert (result.n_customers, result.n_acted, result.expected_leavers, result.net) == (0, 0, 0.0, 0.0)


@pytest.mark.parametrize("rate", [-0.1, 1.5, float("nan"), "0.3"])
def test_a_success_rate_outside_0_to_1_is_refused(rate):
    with pytest.raises(PlainsightError, match="between 0 and 1"):
        Assumptions(success_rate=rate)


def test_bad_budgets_and_inputs_are_refused():
    with pytest.raises(BusinessError, match="negative"):
        Assumptions(budget=-1)
    with pytest.raises(BusinessError, match="number"):
        Assumptions(budget=float("inf"))
    with pytest.raises(BusinessError, match="between 0 and 1"):
        impact(np.array([0.5, 1.2]), BUSINESS, Assumptions())
    with pytest.raises(BusinessError, match="action_cost"):
        impact(CHANCES, dataclasses.replace(BUSINESS, action_cost=-5.0), Assumptions())
    with pytest.raises(BusinessError, match="negative"):
        impact(CHANCES, BUSINESS, Assumptions(), top_n=-1)


def test_suggested_budget_pays_for_the_high_risk_customers():
    assert suggested_budget(CHANCES, BUSINESS, 0.5) == pytest.approx(3 * 50.0)
    assert suggested_budget(CHANCES, dataclasses.replace(BUSINESS, action_cost=None), 0.5) == 0.0


@pytest.mark.parametrize(
    ("amount", "currency", "said"),
    [
        (1_500_000, "USD", "$1.5 million"),
        (1_234_567, "USD", "$1.2 million"),
        (15_300_000, "USD", "$15 million"),
        (2_250_000_000, "USD", "$2.3 billion"),
        (12_345, "USD", "$12,000"),
        (999_999, "USD", "$1 million"),
        (1_250, "USD", "$1,300"),
        (230, "USD", "$230"),
        (229.6, "USD", "$230"),
        (4_500, "EUR", "€4,500"),
        (4_500, "GBP", "£4,500"),
        (120_000, "JPY", "¥120,000"),
        (1_200, "CHF", "CHF 1,200"),
        (0.5, "usd", "$1"),
        (1.93, "USD", "$2"),
        (1_166, "USD", "$1,200"),
        (-72_000, "USD", "-$72,000"),
        (0, "USD", "$0"),
    ],
)
def test_format_money(amount, currency, said):
    assert money(amount, currency) == said


def test_format_money_exact():
    assert money(57_480, "USD", rounded=False) == "$57,480"
    assert money(12.5, "CHF", rounded=False) == "CHF 12.50"


def test_sentences_in_the_cards_words():
    card = _card(business={"value_per_entity": 1000, "currency": "EUR", "period": "month", "action_cost": 50})
    assert card.business is not None
    result = impact(np.full(3000, 0.6), card.business, Assumptions(success_rate=0.3, budget=20_000))
    lines = impact_sentences(result, card)
    text = " ".join(lines)

    assert lines[:2] == [
        "About 1,800 of your 3,000 subscribers are likely to cancel in the next month.",
        "That is about €1.8 million of monthly revenue at risk.",
    ]
    assert "Acting on the 400 subscribers most at risk would cost €20,000." in text
    assert "If that keeps 3 in 10 of those who would cancel, it would save about €72,000 a month." in text
    assert "After the cost, that leaves about €52,000." in text
    assert "This assumes one subscriber is worth €1,000 a month and acting on one costs €50." in text
    assert "The budget is €20,000, which pays for 400 subscribers." in text
    assert lines == impact_headline(result, card) + assumption_sentences(result, card)


def _every_case(card):
    business = card.business
    chances = np.random.default_rng(0).beta(1, 3, 2000)
    yield impact(chances, business, Assumptions())
    yield impact(chances, business, Assumptions(success_rate=0.25, budget=30_000))
    yield impact(chances, business, Assumptions(success_rate=1.0), top_n=1)
    yield impact(chances, business, Assumptions(success_rate=0.0))
    yield impact(chances, business, Assumptions(budget=10))
    yield impact(chances, business, Assumptions(success_rate=0.05))  # a loss: nobody worth it, or little
    yield impact(chances, business, Assumptions(success_rate=0.5), top_n=2000)
    yield impact(chances, dataclasses.replace(business, action_cost=None), Assumptions())
    yield impact(np.array([0.1, 0.2]), business, Assumptions())
    yield impact(chances, dataclasses.replace(business, action_cost=900.0), Assumptions(success_rate=0.3), top_n=500)


@pytest.mark.parametrize("period", ["year", "month", "quarter", "season"])
def test_sentences_use_no_jargon_and_read_at_grade_8_or_below(period):
    card = _card(business={"value_per_entity": 1200, "currency": "USD", "period": period, "action_cost": 40})
    for result in _every_case(card):
        lines = impact_sentences(result, card)
        text = " ".join(lines)
        assert "subscriber" in text and "cancel" in text
        assert find_jargon(text) == [], text
        for line in lines:
            assert textstat.flesch_kincaid_grade(line) <= MAX_GRADE, line


def test_a_loss_is_said_as_a_loss():
    card = _card(business={"value_per_entity": 1000, "currency": "USD", "action_cost": 900})
    result = impact(np.full(10, 0.5), card.business, Assumptions(success_rate=0.3), top_n=10)
    assert result.net == pytest.approx(1500 - 9000)
    assert "The cost is $7,500 more than the saving." in impact_headline(result, card)  # exact: no "about"


def test_the_demo_card_reads_as_the_brief_says(demo_dir):
    bundle = load_bundle(demo_dir / "churn-demo", trusted=[demo_dir])
    chances = bundle.predict(bundle.X)
    business = bundle.card.business
    result = impact(chances, business, Assumptions(budget=suggested_budget(chances, business, 0.5)))
    text = " ".join(impact_sentences(result, bundle.card))
    assert f"of your {len(chances):,} customers are likely to leave in the next year" in text
    assert "of yearly revenue at risk" in text and "a year" in text
    assert result.n_acted == int((chances >= 0.5).sum())
    assert find_jargon(text) == []


def test_missing_business_says_what_to_add():
    card = _card()
    text = missing_business_text(card)
    for needed in ("business:", "card.yaml", "value_per_entity", "currency", "period", "action_cost"):
        assert needed in text
    assert "what one subscriber is worth" in text
    assert "value_per_entity: 1200" in text  # the YAML example
    short = missing_business_text(card, example=False)
    assert "value_per_entity: 1200" not in short
    assert find_jargon(text) == []
    assert textstat.flesch_kincaid_grade(short) <= MAX_GRADE
    assert "chance" in not_a_chance_text(card) and find_jargon(not_a_chance_text(card)) == []


def test_rounding_noise_in_chances_is_tolerated():
    result = impact(np.array([1 + 1e-12, -1e-12, 0.5]), BUSINESS, Assumptions(), top_n=3)
    assert result.expected_leavers == pytest.approx(1.5)


def test_value_at_risk_sentence_for_one_customer(demo_dir):
    card = load_bundle(demo_dir / "churn-demo", trusted=[demo_dir]).card
    assert value_at_risk_sentence(0.19, card) == "$228 of yearly revenue is at risk."  # exact, so no "about"
    assert value_at_risk_sentence(0.191, card) == "About $229 of yearly revenue is at risk."
    assert value_at_risk_sentence(0.19, dataclasses.replace(card, business=None)) is None


@pytest.mark.parametrize(
    ("amount", "said"),
    [
        (1.93, "about $2"),
        (2.0, "$2"),
        (0.2, "less than $1"),
        (1_166, "about $1,200"),
        (1_200, "$1,200"),
        (229.6, "about $230"),
        (2_214_712, "about $2.2 million"),
    ],
)
def test_money_is_rounded_one_way_and_says_when_it_was(amount, said):
    assert about_money(amount, "USD") == said


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("$57,480", 57_480),
        ("57480", 57_480),
        ("€ 1.200", 1_200),
        ("12k", 12_000),
        ("1.5m", 1_500_000),
        (" 99.50 ", 99.5),
        ("", None),
        ("lots", None),
        ("$", None),
    ],
)
def test_a_money_amount_is_read_as_a_person_types_it(typed, amount):
    assert parse_amount(typed) == amount


def test_the_business_answer_names_the_money_and_how_many_to_act_on():
    card = _card(business={"value_per_entity": 1000, "currency": "USD", "action_cost": 50})
    chances = np.array([0.9, 0.8, 0.1, 0.05])
    result = impact(chances, card.business, Assumptions(success_rate=0.5), top_n=2)
    # at risk: (0.9+0.8+0.1+0.05) * 1000 = 1,850, two figures; kept: 0.5 * (0.9+0.8) * 1000 - 2 * 50 = 750 in floats
    assert business_answer(result, card) == (
        "About $1,900 a year is at risk: act on the 2 subscribers most at risk to keep about $750 of it, after costs."
    )
    costly = impact(chances, card.business, Assumptions(success_rate=0.01), top_n=2)
    assert business_answer(costly, card).endswith(
        "acting on the 2 subscribers most at risk would cost more than it keeps."
    )
    none = impact(chances, card.business, Assumptions(success_rate=0.5), top_n=0)
    assert business_answer(none, card).endswith("at these assumptions no subscriber is worth acting on.")
    for text in (business_answer(result, card), counts_explained(result, 2, 0.5, card)):
        assert find_jargon(text) == [], text
    assert textstat.flesch_kincaid_grade(business_answer(result, card)) <= MAX_GRADE


def test_likely_and_high_risk_are_explained_as_two_counts():
    card = _card(business={"value_per_entity": 1000, "currency": "USD"})
    result = impact(np.array([0.9, 0.6, 0.3, 0.3]), card.business, Assumptions())
    text = counts_explained(result, 2, 0.5, card)
    assert "a 30% chance counts as 0.3 of a subscriber" in text
    assert "about 2" in text.lower()  # 2.1 expected
    assert text.endswith("whose chance is 50% or more: 2.")
