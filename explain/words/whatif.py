"""What-if changes in the card's words: what was changed, and what it does to the model's output."""

from __future__ import annotations

from typing import Any

from explain.bundle.card import Card
from explain.bundle.output import Output
from explain.words.grammar import join_words, lower_label
from explain.words.numbers import about_money, format_number, format_value, say_output


def changes_words(changes: dict[str, Any], card: Card) -> str:
    """``"contract type to Two year and monthly bill to $52.24"``."""
    parts = [_to(c, v, card) for c, v in changes.items()]
    return join_words(parts)


def _to(column: str, value: Any, card: Card) -> str:
    """ "contract type to Two year", or "to a two-year contract" with the card's phrase for the value."""
    phrase = card.feature(column).phrase(value)
    if phrase:
        return f"to {phrase}"
    return f"{lower_label(card.label(column))} to {format_value(value, card.feature(column))}"


def change_sentence(before: float, after: float, changes: dict[str, Any], card: Card, output: Output) -> str:
    """What a change does, in the card's words: "Changing contract type to Two year lowers the chance ...".

    Parameters
    ----------
    before, after : float
        The model's output before and after, in the reader's unit (a chance in percent, or an amount).
    """
    if not changes:
        return "Nothing is changed yet: move a control to see what happens."
    what = changes_words(changes, card)
    old, new = say_output(before, output), say_output(after, output)
    target = output.what
    if old == new:
        return f"Changing {what} does not change {target} ({old})."
    verb = "raises" if after > before else "lowers"
    return f"Changing {what} {verb} {target} from {old} to {new}."


def search_caption(card: Card, columns: list[str]) -> str:
    """What "what would it take" may change (and why those), and in which order its answers come."""
    may = [c for c in columns if card.actionable(c)]
    if card.names_actionable:
        which = f"The model card says you can act on {join_words([lower_label(card.label(c)) for c in may])}. "
        which += "Only those change here."
    else:
        fixed = [lower_label(card.label(c)) for c in columns if not card.actionable(c)]
        never = f", except {join_words(fixed)}" if fixed else ""
        which = f"The model card does not say what you can act on, so any fact may change here{never}."
    costs = any(card.feature(c).cost is not None for c in may)
    order = (
        "The cheapest changes come first, then the fewest and smallest."
        if costs
        else ("The fewest, smallest changes come first.")
    )
    return f"{which} {order} The model checks each one."


def cost_words(cost: float, card: Card) -> str:
    """What a change costs, by the card's figures: "costs about $40"."""
    currency = card.business.currency if card.business is not None else ""
    return f"costs {about_money(cost, currency)}" if currency else f"costs {format_number(cost)}"


def nothing_reaches(target: str, card: Card) -> str:
    """Said when no change within reach gets a row to the target."""
    return f"No change of up to three things you can act on reaches {target} for this {card.entity}."
