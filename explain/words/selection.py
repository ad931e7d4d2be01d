"""A list of customers in words: what it holds, and each filter said as a reader would."""

from __future__ import annotations

from explain.analyses.selection import OUTPUT, Filter, ListQuery
from explain.bundle.card import Card
from explain.bundle.filters import NUMBER_OPS
from explain.bundle.output import Output
from explain.words.numbers import format_value, say_output


def filter_words(condition: Filter, card: Card, output: Output) -> str:
    """ "Chance to leave at least 50%", "Contract type is Month-to-month", "Months as a customer at most 12 months"."""
    if condition.column == OUTPUT:
        label = output.label
        try:
            value = say_output(float(condition.value), output)
        except ValueError:
            value = condition.value
    else:
        label = card.label(condition.column)
        info = card.feature(condition.column)
        try:
            value = format_value(float(condition.value), info) if condition.op in NUMBER_OPS else condition.value
        except ValueError:
            value = condition.value
    if condition.op == "is one of":
        return f"{label} is {join_or(condition.values)}"
    return f"{label} {condition.op} {value}"


def join_or(values: list[str]) -> str:
    """ "DSL", "DSL or No", "DSL, No or Fiber optic"."""
    if len(values) <= 1:
        return "".join(values)
    return f"{', '.join(values[:-1])} or {values[-1]}"


def list_intro(total: int, of: int, query: ListQuery, card: Card, output: Output) -> str:
    """What the list holds: "1,437 of your 7,043 customers, highest chance to leave first"."""
    who = card.entity if of == 1 else card.entities
    first = "highest" if query.descending else "lowest"
    if query.sort == OUTPUT:
        order = f"{first} {output.label[:1].lower()}{output.label[1:]} first"
    elif query.sort == "id":
        order = "by id"
    else:
        order = f"by {card.label(query.sort).lower()}, {first} first"
    if total == of and not query.filters and not query.search and query.top is None:
        return f"All {of:,} {who}, {order}."
    shown = f"{total:,} of your {of:,} {who}"
    if query.top is not None:
        shown += f" (among the {query.top:,} with the highest {output.label[:1].lower()}{output.label[1:]})"
    return f"{shown}, {order}."
