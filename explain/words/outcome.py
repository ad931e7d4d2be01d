"""The words for those with a high chance of the outcome: "at high risk" when the outcome is a loss (to leave), a
neutral "likely to survive" when it is good news (see :attr:`~explain.bundle.card.Card.good_news`).

Every page, export and CLI line that names the high-chance group takes its words from here, so a model of
survival or purchase is never said to put anyone "at risk".
"""

from __future__ import annotations

from explain.bundle.card import Card
from explain.words.grammar import capitalize


def high_chance_words(card: Card) -> str:
    """Those at or above the card's threshold, for the middle of a sentence: "at high risk", or "likely to
    survive"."""
    return f"likely to {card.outcome_positive}" if card.good_news else "at high risk"


def high_chance_label(card: Card) -> str:
    """The same as a heading: "At high risk", or "Likely to survive"."""
    return capitalize(high_chance_words(card))


def most_likely_words(card: Card) -> str:
    """Those with the highest chances, for the middle of a sentence: "most at risk", or "most likely to survive"."""
    return f"most likely to {card.outcome_positive}" if card.good_news else "most at risk"


def good_news_text(card: Card) -> str:
    """Why the impact page puts no price on a good-news outcome (there is nothing to lose)."""
    return (
        f"This page puts a price on {card.entities} you may lose. "
        f"This model gives the chance to {card.outcome_positive}, which is good news, so there is no loss here "
        "to put a price on."
    )
