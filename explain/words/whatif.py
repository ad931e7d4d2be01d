"""What-if changes in the card's words: what was changed, and what it does to the model's output."""

from __future__ import annotations

from typing import Any

from explain.bundle.card import Card
from explain.bundle.output import Output
from explain.words.grammar import join_words, lower_label
from explain.words.numbers import format_value, say_output


def changes_words(changes: dict[str, Any], card: Card) -> str:
    """``"contract type to Two year and monthly bill to $52.24"``."""
    parts = [f"{lower_label(card.label(c))} to {format_value(v, card.feature(c))}" for c, v in changes.items()]
    return join_words(parts)


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


def search_caption(card: Card, fixed: list[str]) -> str:
    """What "what would it take" looks for, and what it never changes."""
    never = f" (never {', '.join(card.label(c) for c in fixed).lower()})" if fixed else ""
    return (
        f"Looks for the fewest, smallest changes to what you can act on{never}. Each answer is checked with the model."
    )


def nothing_reaches(target: str, card: Card) -> str:
    """Said when no change within reach gets a row to the target."""
    return f"No change of up to three things you can act on reaches {target} for this {card.entity}."
