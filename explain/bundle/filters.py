"""Conditions on raw columns, and groups of rows named by them: "Contract is Month-to-month and Months as a
customer under 12".

A :class:`Filter` is one condition; a :class:`Segment` is a group: filters that all hold, with a name when the card
gives one. They are written by hand in three places, all read by :func:`parse_where`: the CLI's
``--where "Contract == 'Month-to-month' and tenure < 12"``, the card's ``segments:`` and the link. The text is
parsed with :mod:`ast` and only comparisons joined by ``and`` are accepted: nothing in it is ever run, so a card
or a link cannot make the engine do anything but compare values.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from typing import Any, Literal

from explain.errors import CardError, PlainsightError

OUTPUT = "__output__"  # filter or sort on the model's output (the chance, or the amount) rather than a column
Op = Literal["is", "is not", "at least", "at most", "under", "over", "is one of"]
OPS: tuple[Op, ...] = ("is", "is not", "at least", "at most", "under", "over")  # what the list's controls offer
ALL_OPS: tuple[Op, ...] = (*OPS, "is one of")  # "is one of" holds a JSON list of values: only typed (``in [...]``)
NUMBER_OPS: tuple[Op, ...] = ("at least", "at most", "under", "over")
EXAMPLE = "Contract == 'Month-to-month' and tenure < 12"


class SelectionError(PlainsightError):
    """A filter names a column the model does not use, or a value that does not fit it, or cannot be read."""


@dataclass(frozen=True)
class Filter:
    """One condition: ``column`` (a raw column, or :data:`OUTPUT`) ``op`` ``value``.

    Numbers take "at least", "at most", "under" and "over"; every column takes "is", "is not" and "is one of"
    (its value a JSON list). An output's value is in the reader's unit (a chance in percent, or the amount). A
    missing value never matches.
    """

    column: str
    op: Op
    value: str

    @property
    def values(self) -> list[str]:
        """The values "is one of" names (one value for the other operators)."""
        if self.op != "is one of":
            return [self.value]
        try:
            found = json.loads(self.value)
        except ValueError:
            return [self.value]
        return [str(v) for v in found] if isinstance(found, list) else [str(found)]


@dataclass(frozen=True)
class Segment:
    """A group of rows: every filter holds. ``label`` is the card's name for it (None for a group made by hand)."""

    filters: tuple[Filter, ...]
    label: str | None = None

    @property
    def key(self) -> str:
        """The same text for the same group, however it was written: what caches and links key it by."""
        return json.dumps([[f.column, f.op, f.value] for f in self.filters], ensure_ascii=False)


_COMPARE: dict[type[ast.cmpop], Op] = {
    ast.Eq: "is",
    ast.NotEq: "is not",
    ast.GtE: "at least",
    ast.LtE: "at most",
    ast.Lt: "under",
    ast.Gt: "over",
    ast.In: "is one of",
}
_FLIPPED: dict[Op, Op] = {"at least": "at most", "at most": "at least", "under": "over", "over": "under"}
_QUOTED = re.compile(r"`([^`]*)`")


def parse_where(text: str, columns: list[str], labels: dict[str, str] | None = None) -> tuple[Filter, ...]:
    """The filters in ``text``: comparisons of a column with a value, joined by ``and``.

    A column is named as the data names it (``tenure``), or by the card's label, in backticks when it holds
    spaces (`` `Months as a customer` < 12``); any case. Operators: ``==``, ``!=``, ``<``, ``<=``, ``>``, ``>=``
    and ``in [...]``; a range reads as ``1 <= tenure < 12``.

    Raises
    ------
    SelectionError
        When the text is not such a filter, or names a column the model does not use; the message says which
        part and how to write it.
    """
    names: dict[str, str] = {}

    def hold(match: re.Match[str]) -> str:
        names[f"_column_{len(names)}_"] = match.group(1)
        return f" _column_{len(names) - 1}_ "

    source = _QUOTED.sub(hold, text.strip()).strip()
    if not source:
        raise SelectionError(f"The filter is empty. Write it like: {EXAMPLE}")
    try:
        tree = ast.parse(source, mode="eval").body
    except SyntaxError:
        raise SelectionError(
            f'"{text.strip()}" could not be read as a filter. Write it like: {EXAMPLE} '
            "(text in quotes; a column name with spaces in `backticks`)."
        ) from None
    parts = tree.values if isinstance(tree, ast.BoolOp) and isinstance(tree.op, ast.And) else [tree]
    if isinstance(tree, ast.BoolOp) and not isinstance(tree.op, ast.And):
        raise SelectionError("Filters join with 'and' only: a group holds the rows that meet every condition.")
    lookup = _column_lookup(columns, labels or {})
    found: list[Filter] = []
    for part in parts:
        if not isinstance(part, ast.Compare):
            raise SelectionError(
                f'"{_shown(source, part, names)}" is not a comparison. Write each condition like: {EXAMPLE}'
            )
        operands = [part.left, *part.comparators]
        for left, op, right in zip(operands, part.ops, operands[1:], strict=False):
            found.append(_condition(left, op, right, lookup, names, source))
    return tuple(found)


def _condition(
    left: ast.expr, op: ast.cmpop, right: ast.expr, lookup: dict[str, str], names: dict[str, str], source: str
) -> Filter:
    verb = _COMPARE.get(type(op))
    shown = f"{_shown(source, left, names)} … {_shown(source, right, names)}"
    if verb is None:
        raise SelectionError(f'"{shown}": use ==, !=, <, <=, >, >= or in [...] to compare.')
    column_left = isinstance(left, ast.Name)
    if column_left == isinstance(right, ast.Name):
        raise SelectionError(f'"{shown}": each condition compares one column with a value, like tenure < 12.')
    name_node, value_node = (left, right) if column_left else (right, left)
    assert isinstance(name_node, ast.Name)
    column = _column(names.get(name_node.id, name_node.id), lookup)
    if verb == "is one of":
        if not column_left:
            raise SelectionError(f"\"{shown}\": write the column first, like Contract in ['One year', 'Two year'].")
        if not isinstance(value_node, ast.List | ast.Tuple | ast.Set):
            raise SelectionError(f"\"{shown}\": in takes a list of values, like ['One year', 'Two year'].")
        values = [_value(v, source, names) for v in value_node.elts]
        return Filter(column, "is one of", json.dumps([_text(v) for v in values], ensure_ascii=False))
    value = _value(value_node, source, names)
    if not column_left:
        verb = _FLIPPED.get(verb, verb)  # 12 > tenure is tenure < 12
    return Filter(column, verb, _text(value))


def _value(node: ast.expr, source: str, names: dict[str, str]) -> Any:
    try:
        value = ast.literal_eval(node)  # constants only: a name, a call or an attribute is refused here
    except (ValueError, TypeError, SyntaxError, RecursionError):
        raise SelectionError(
            f"\"{_shown(source, node, names)}\" is not a value: put text in quotes, like 'Month-to-month'."
        ) from None
    if not isinstance(value, str | int | float | bool):
        raise SelectionError(f'"{_shown(source, node, names)}" is not one value (text or a number).')
    return value


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _column_lookup(columns: list[str], labels: dict[str, str]) -> dict[str, str]:
    lookup = {label.casefold().strip(): column for column, label in labels.items() if column in columns}
    lookup.update({column.casefold(): column for column in columns})
    return lookup


def _column(name: str, lookup: dict[str, str]) -> str:
    column = lookup.get(name.casefold().strip())
    if column is None:
        known = sorted({c for c in lookup.values()})
        raise SelectionError(f"There is no column '{name}' to filter on; the columns are {', '.join(known)}.")
    return column


def _shown(source: str, node: ast.AST, names: dict[str, str]) -> str:
    """The part of the text a message is about, with backticked names put back."""
    segment = ast.get_source_segment(source, node) or ""
    for placeholder, name in names.items():
        segment = segment.replace(placeholder, f"`{name}`")
    return segment.strip()


def read_segments(raw: Any, columns: list[str], labels: dict[str, str]) -> tuple[Segment, ...]:
    """The card's named groups: ``segments: [{label: New monthly customers, filter: "tenure < 12 and ..."}]``."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise CardError("card.yaml: segments must be a list of groups, each with a label and a filter.")
    found: list[Segment] = []
    for i, item in enumerate(raw, start=1):
        if not isinstance(item, dict) or not item.get("label") or not (item.get("filter") or item.get("where")):
            raise CardError(
                f"card.yaml: segment {i} needs a label and a filter, like "
                "{label: New monthly customers, filter: \"Contract == 'Month-to-month' and tenure < 12\"}."
            )
        label = str(item["label"]).strip()
        if any(s.label is not None and s.label.casefold() == label.casefold() for s in found):
            raise CardError(f"card.yaml: two segments are called '{label}'; each needs its own label.")
        try:
            filters = parse_where(str(item.get("filter") or item.get("where")), columns, labels)
        except SelectionError as exc:
            raise CardError(f"card.yaml: segment '{label}': {exc}") from None
        found.append(Segment(filters, label))
    return tuple(found)
