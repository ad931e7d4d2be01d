"""What every report shares: headline figures, tables for the analyst, and how the numbers were made."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from explain.bundle.bundle import Bundle
from explain.methods.explanation import Explanation
from explain.words.method import how_made, how_made_analyst


@dataclass(frozen=True)
class Fact:
    """A headline figure: "Chance to leave" / "72%", with an optional line that says what it means."""

    label: str
    value: str
    help: str = ""


@dataclass(frozen=True)
class Table:
    """A table for the analyst view and the CLI: column names and rows of plain values (numbers stay numbers)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]

    def records(self) -> list[dict[str, object]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


@dataclass(frozen=True)
class Made:
    """How the explanation behind a report was made, in both audiences' words."""

    method: str  # the registry's name
    exact: bool
    plain: str  # "Reasons worked out exactly from the model"
    analyst: str  # "SHAP values by xgboost-tree-exact"


def made(explanation: Explanation, entities: str) -> Made:
    """How ``explanation`` was made, for the footer of an export and the CLI."""
    return Made(
        method=explanation.method,
        exact=explanation.provenance.exact,
        plain=how_made(explanation, entities=entities),
        analyst=how_made_analyst(explanation),
    )


def footer(bundle: Bundle, made_by: Made, *, analyst: bool, today: dt.date | None = None) -> str:
    """Names the model, the date and how the explanation was made (an export's last line)."""
    day = (today or dt.date.today()).strftime("%d %B %Y").lstrip("0")
    how = made_by.analyst if analyst else made_by.plain
    return f"{bundle.card.title} (model: {bundle.name}) · {day} · {how[:1].upper() + how[1:]}"
