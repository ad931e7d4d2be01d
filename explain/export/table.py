"""Customers as a table (CSV) for spreadsheets, with formulas from data made harmless.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and some read a leading tab or carriage
return the same way) as a formula, so text from data that starts that way is written with a leading apostrophe,
which spreadsheets show as text. Numbers stay numbers, negative ones included.
"""

from __future__ import annotations

import numbers
from dataclasses import replace

import numpy as np
import pandas as pd

from explain.analyses.business import value_at_risk
from explain.analyses.selection import ListQuery, select
from explain.bundle.bundle import Bundle
from explain.bundle.card import Business, Card
from explain.methods.explanation import Explanation
from explain.methods.reasons import explain_shap, reasons_method
from explain.words.explanation import reason_label

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """A cell as a spreadsheet should read it: text that could start a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """The table as UTF-8 CSV (with a byte-order mark, so spreadsheet programs read the accents right)."""
    safe = frame.copy()
    safe.columns = [str(neutralise(str(c))) for c in safe.columns]
    for column in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[column]):
            safe[column] = safe[column].map(
                lambda v: v if isinstance(v, numbers.Number) and not isinstance(v, bool) else neutralise(v)
            )
    text: str = safe.to_csv(index=False, lineterminator="\r\n")
    return text.encode("utf-8-sig")


def customers_table(bundle: Bundle, positions: list[int], *, reasons: int = 3) -> pd.DataFrame:
    """One row per reference customer: id, the model's output in the reader's unit, the main reasons and sizes."""
    return explanation_table(explain_shap(bundle, positions), bundle.card, reasons=reasons)


def explanation_table(explanation: Explanation, card: Card, *, reasons: int = 3) -> pd.DataFrame:
    """One row per explained row: id, the output in the reader's unit, and the main reasons with their sizes."""
    output = explanation.output
    head = output.label + (" (%)" if output.is_chance else f" ({output.unit})" if output.unit else "")
    business = card.risk_business if output.is_chance else None
    rows = []
    for i in range(len(explanation)):
        table = explanation.contributions(i)
        order = np.argsort(-np.abs(table["contribution"].to_numpy()), kind="stable")[:reasons]
        row: dict[str, object] = {
            card.label(card.id_column) if card.id_column else "Row": explanation.row_ids[i],
            head: round(float(explanation.prediction[i]), 2),
        }
        if business is not None:
            chance = output.model_value(float(explanation.prediction[i]))
            row[value_at_risk_heading(business)] = round(value_at_risk(chance, business), 2)
        for k, j in enumerate(order, start=1):
            reason = table.iloc[int(j)]
            row[f"Reason {k}"] = reason_label(reason["feature"], reason["value"], card)
            row[f"Reason {k} effect"] = round(float(reason["contribution"]), 2)
        rows.append(row)
    return pd.DataFrame(rows)


def value_at_risk_heading(business: Business) -> str:
    """The table's value-at-risk column: "Value at risk (USD a year)"."""
    return f"Value at risk ({business.currency} a {business.period})"


DOWNLOAD_ROWS = 100_000  # a larger list is for `plainsight batch` (Excel stops at 1,048,576 rows; minutes to explain)


def list_table(bundle: Bundle, query: ListQuery) -> tuple[pd.DataFrame, str | None]:
    """Every customer a list query matches, in its order, with their main reasons: what the list downloads as.

    A model that needs the slow method explains at most its population cap of rows (the first ones in the list's
    order); the note says so. Returns the table and that note (None when every row is in it).
    """
    positions = select(bundle, replace(query, page=1))
    cap = reasons_method(bundle).cap(bundle)
    note = None
    if cap is not None and len(positions) > cap:
        note = (
            f"This model needs a slower method, so the table holds the first {cap:,} of the "
            f"{len(positions):,} {bundle.card.entities} in the list."
        )
        positions = positions[:cap]
    elif len(positions) > DOWNLOAD_ROWS:
        note = (
            f"The table holds the first {DOWNLOAD_ROWS:,} of the {len(positions):,} {bundle.card.entities} in the "
            "list, as many as a spreadsheet opens quickly. Your data team can write every one with "
            "plainsight batch."
        )
        positions = positions[:DOWNLOAD_ROWS]
    return customers_table(bundle, [int(p) for p in positions]), note


def table_formats(bundle: Bundle) -> dict[str, str]:
    """Excel number formats for the columns of :func:`explanation_table`."""
    output, card = bundle.output, bundle.card
    formats: dict[str, str] = {}
    if output.is_chance:
        formats[output.label + " (%)"] = '0.0"%"'
        if card.risk_business is not None:
            formats[value_at_risk_heading(card.risk_business)] = "#,##0.00"
    else:
        formats[output.label + (f" ({output.unit})" if output.unit else "")] = "#,##0.00"
    for k in range(1, 4):
        formats[f"Reason {k} effect"] = "+0.00;-0.00;0"
    return formats
