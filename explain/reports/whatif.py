"""What-if stories: what a change to one customer does, and what it would take to reach a target.

The customer page and its exports show the same suggestions (:func:`suggestions_report` towards the default
target); the what-if page asks for any target and applies any change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from explain.analyses.suggest import suggest, suggestion_target
from explain.analyses.whatif import changed_columns, unseen_values
from explain.bundle.bundle import Bundle
from explain.bundle.card import Card
from explain.figures.specs import CompareSpec
from explain.methods.explanation import Explanation
from explain.methods.reasons import explain_shap
from explain.reports.charts import compare_spec
from explain.words.explanation import shown_reasons
from explain.words.grammar import join_words, lower_label
from explain.words.numbers import say_output, say_reason
from explain.words.whatif import change_sentence, cost_words, nothing_reaches, search_caption


@dataclass(frozen=True)
class SuggestionLine:
    """One checked set of changes: what changes, the model's output after it (re-predicted), in a sentence."""

    changes: tuple[tuple[str, Any], ...]  # (column, new raw value)
    prediction: float  # in the reader's unit (percent, or the amount)
    sentence: str
    cost: float | None = None  # what the changes cost, by the card's figures


@dataclass(frozen=True)
class SuggestionsReport:
    """What it would take to bring one row to a target."""

    target: float  # in the reader's unit
    target_text: str
    current_text: str
    caption: str
    reached: bool
    lines: tuple[SuggestionLine, ...]
    none_reached: str | None  # said when nothing within reach works


@dataclass(frozen=True)
class WhatIfReport:
    """What changing one customer's values does to the model's output and its reasons."""

    label: str
    now_text: str
    new_text: str
    delta: str | None  # the change in the output, as shown; None when nothing changed (as shown)
    sentence: str
    changes: tuple[tuple[str, Any], ...]
    new_value: float  # in the reader's unit
    unseen: tuple[str, ...]  # labels of columns whose new value the model never saw
    chart: CompareSpec
    note: str | None  # why facts the reader did not touch moved too


def suggestions_report(
    bundle: Bundle, row: int | pd.DataFrame, target: float | None = None, *, limit: int = 5
) -> SuggestionsReport:
    """Up to ``limit`` checked sets of changes that bring the row to ``target``.

    Parameters
    ----------
    row : int or DataFrame of shape (1, n_features)
        A reference row's position, or a row of its own.
    target : float, optional
        In the reader's unit (a chance in percent, or an amount); by default half the chance (halfway up to
        certain for good news), or a round amount a little above.
    """
    card, output = bundle.card, bundle.output
    X0 = bundle.X.iloc[[row]] if isinstance(row, int) else row[bundle.features]
    current = float(bundle.predict(X0)[0])
    goal = suggestion_target(bundle, current) if target is None else output.model_value(target)
    found = suggest(bundle, X0, goal, limit=limit)
    now = output.shown(current)
    lines = tuple(
        SuggestionLine(
            changes=tuple(s.changes.items()),
            prediction=output.shown(s.prediction),
            sentence=change_sentence(now, output.shown(s.prediction), s.changes, card, output)
            + (f" It {cost_words(s.cost, card)}." if s.cost is not None else ""),
            cost=s.cost,
        )
        for s in found.suggestions
    )
    target_text = say_output(output.shown(goal), output)
    return SuggestionsReport(
        target=output.shown(goal),
        target_text=target_text,
        current_text=say_output(now, output),
        caption=search_caption(card, bundle.features),
        reached=found.reached,
        lines=lines,
        none_reached=None if found.reached else nothing_reaches(target_text, card),
    )


def whatif_report(bundle: Bundle, row: int | pd.DataFrame, changed: pd.DataFrame, before: Explanation) -> WhatIfReport:
    """What the one-row frame ``changed`` (the row with the reader's changes) gets from the model, against
    ``before``, the row's own explanation."""
    card, output = bundle.card, bundle.output
    after = explain_shap(bundle, X=changed)
    changes = changed_columns(bundle, row, changed)
    old, new = float(before.prediction[0]), float(after.prediction[0])
    # The difference of the two figures as shown, so the three agree.
    delta = round(new, output.decimals) - round(old, output.decimals)
    return WhatIfReport(
        label=output.label,
        now_text=say_output(old, output),
        new_text=say_output(new, output),
        delta=say_reason(delta, output) if changes and round(delta, output.decimals) != 0 else None,
        sentence=change_sentence(old, new, changes, card, output),
        changes=tuple(changes.items()),
        new_value=new,
        unseen=tuple(card.label(c) for c in unseen_values(bundle, changed)),
        chart=compare_spec(before, after, card),
        note=_untouched_note(before, after, changes, card) if changes else None,
    )


def _untouched_note(before: Explanation, after: Explanation, changes: dict[str, Any], card: Card) -> str | None:
    """Said when a fact the reader did not change moves too: the model weighs the facts together."""
    _, old, _ = shown_reasons(before, 0)
    _, new, _ = shown_reasons(after, 0)
    moved = [f for i, f in enumerate(before.feature_names) if f not in changes and old[i] != new[i]]
    if not moved:
        return None
    return (
        f"Some facts you did not change move too ({join_words([lower_label(card.label(f)) for f in moved[:3]])}): "
        f"the model weighs the facts about {card.an_entity} together, so one change can alter what the others add."
    )
