"""Who to act on: every customer ranked by the model's output, with the value at risk and the main reason in
words, filtered, searched and paged as the reader asks; each row opens that customer's story."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explain.analyses.selection import OUTPUT, Filter, ListQuery, page_of, select
from explain.bundle.bundle import Bundle
from explain.bundle.card import Card
from explain.methods.explanation import Explanation
from explain.methods.reasons import explain_shap
from explain.reports.common import Made, made
from explain.reports.settings import Settings
from explain.words.business import value_at_risk_amount, value_at_risk_column
from explain.words.explanation import reason_label, shown_reasons
from explain.words.numbers import say_output, say_reason
from explain.words.selection import filter_words, list_intro


@dataclass(frozen=True)
class ListRow:
    """One customer in the list."""

    position: int
    row_id: str
    output: float  # in the reader's unit
    output_text: str
    value_at_risk: str | None  # "about $1,100", for the period its heading names
    reason: str  # the main reason, in words, with its share as the customer page shows it


@dataclass(frozen=True)
class CustomerList:
    """One page of the list, and what the whole list holds."""

    bundle_name: str
    title: str
    settings: Settings
    query: ListQuery
    intro: str
    filters: tuple[str, ...]  # each filter in words
    columns: tuple[str, ...]  # the headings: id, output, value at risk (where the card has money), main reason
    rows: tuple[ListRow, ...]
    total: int  # rows that match
    of: int  # rows in the data
    page: int
    pages: int
    made: Made | None  # how the reasons were made (None when the page is empty)


def customer_list(bundle: Bundle, query: ListQuery | None = None, settings: Settings | None = None) -> CustomerList:
    """One page of the customers the query matches, each with their main reason.

    Only the page's rows are explained, so the list stays quick however many customers there are; the order,
    the counts and the filters use every row.

    Raises
    ------
    SelectionError
        When a filter cannot be used (an unknown column, a value that does not fit it).
    """
    query = query or ListQuery()
    settings = settings or Settings()
    card, output = bundle.card, bundle.output
    matching = select(bundle, query)
    shown, page, pages = page_of(matching, query.page, query.page_size)
    explanation = explain_shap(bundle, shown) if len(shown) else None
    business = card.risk_business if output.is_chance else None
    rows = []
    for i, position in enumerate(shown):
        assert explanation is not None
        value = float(explanation.prediction[i])
        rows.append(
            ListRow(
                position=int(position),
                row_id=bundle.ids[position],
                output=value,
                output_text=say_output(value, output),
                value_at_risk=value_at_risk_amount(output.model_value(value), business)
                if business is not None
                else None,
                reason=main_reason(explanation, i, card),
            )
        )
    id_label = card.label(card.id_column) if card.id_column else card.entity.capitalize()
    at_risk = (value_at_risk_column(business),) if business is not None else ()
    columns = (id_label, output.label, *at_risk, "Main reason")
    return CustomerList(
        bundle_name=bundle.name,
        title=card.title,
        settings=settings,
        query=query,
        intro=list_intro(len(matching), len(bundle.ids), query, card, output),
        filters=tuple(filter_words(f, card, output) for f in query.filters),
        columns=columns,
        rows=tuple(rows),
        total=len(matching),
        of=len(bundle.ids),
        page=page,
        pages=pages,
        made=made(explanation, card.entities) if explanation is not None else None,
    )


def main_reason(explanation: Explanation, row: int, card: Card) -> str:
    """The reason that raises the output most (for a chance: why this one is at risk), else the largest one:
    "Support calls last year: 4 calls (+30 points)", rounded as the customer page shows it."""
    _, shown, _ = shown_reasons(explanation, row)
    values = explanation.values[row]
    raising = np.flatnonzero(values > 0)
    pick = raising[np.argmax(values[raising])] if len(raising) else int(np.argmax(np.abs(values)))
    feature = explanation.feature_names[pick]
    label = reason_label(feature, explanation.data.iloc[row][feature], card)
    return f"{label} ({say_reason(float(shown[pick]), explanation.output)})"


def high_risk_query(bundle: Bundle) -> ListQuery:
    """The list of the customers at high risk: a chance at or above the card's threshold (the overview's count)."""
    threshold = bundle.output.shown(bundle.card.risk_threshold)
    return ListQuery(filters=(Filter(OUTPUT, "at least", f"{threshold:g}"),))


def acted_on_query(n: int) -> ListQuery:
    """The list of the ``n`` customers most at risk (those the impact page acts on)."""
    return ListQuery(top=n)
