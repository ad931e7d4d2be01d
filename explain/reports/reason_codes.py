"""Reason codes for many rows at once: each row's output, value at risk, main reasons and one sentence.

What ``plainsight batch`` writes for every customer, the columns a CRM takes. Every figure is the one
``plainsight explain`` gives for the same row (the same explanation, in the same unit and order): the output in
the reader's unit (percent for a chance), each reason's raw value and its share unrounded, largest first. The
sentence rounds as the customer page does (:mod:`explain.words.one_line`).

Vectorised over the rows: nothing here loops over a million rows in Python but the sentences.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from explain.analyses.business import values_at_risk
from explain.analyses.whatif import unseen_mask
from explain.bundle.bundle import Bundle
from explain.methods.explanation import Explanation
from explain.words.one_line import one_line_summaries

ID = "id"
PREDICTION = "prediction"
VALUE_AT_RISK = "value_at_risk"
SUMMARY = "summary"
NEVER_SEEN = "never_seen"  # the columns whose value the model never saw, as explain's JSON lists them
REASON_FIELDS = ("column", "label", "value", "contribution")  # per reason k: reason_{k}_{field}


def reason_column(k: int, field: str) -> str:
    """The name of reason ``k``'s (1-based) ``field``: ``reason_1_contribution``."""
    return f"reason_{k}_{field}"


def reason_codes(bundle: Bundle, explanation: Explanation, *, top: int = 3) -> pd.DataFrame:
    """One row per explained row: ``id``, ``prediction``, ``value_at_risk`` (a chance with the card's money; else
    absent), for k = 1..top ``reason_k_column``, ``_label``, ``_value`` (the raw value as text, empty for a gap)
    and ``_contribution`` (its share, in the reader's unit), then ``never_seen`` (the columns whose category the
    model never saw, comma-separated, as ``plainsight explain`` lists them; else empty) and ``summary``, which
    never names such a value as the reason.

    The reasons are ordered as :meth:`Explanation.contributions` orders them: largest share first, ties in the
    columns' order.
    """
    card, output = bundle.card, explanation.output
    n, features = len(explanation.prediction), explanation.feature_names
    top = max(0, min(top, len(features)))
    columns: dict[str, Any] = {
        ID: pd.array(explanation.row_ids, dtype="string"),
        PREDICTION: np.asarray(explanation.prediction, dtype=float),
    }
    business = card.risk_business if output.is_chance else None
    if business is not None:
        chances = np.asarray(explanation.prediction, dtype=float) / output.scale
        columns[VALUE_AT_RISK] = values_at_risk(chances, business)
    order = np.argsort(-np.abs(explanation.values), axis=1, kind="stable")[:, :top]
    rows = np.arange(n)
    labels = np.array([card.label(f) for f in features], dtype=object)
    names = np.array(features, dtype=object)
    for k in range(top):
        picked = order[:, k]
        columns[reason_column(k + 1, "column")] = pd.array(names[picked], dtype="string")
        columns[reason_column(k + 1, "label")] = pd.array(labels[picked], dtype="string")
        columns[reason_column(k + 1, "value")] = _values_as_text(explanation, picked)
        columns[reason_column(k + 1, "contribution")] = explanation.values[rows, picked].astype(float)
    unseen = unseen_mask(bundle, explanation.data)
    flagged = np.flatnonzero(unseen.any(axis=1))
    never_seen = np.full(n, None, dtype=object)
    never_seen[flagged] = [", ".join(np.asarray(features)[unseen[i]]) for i in flagged]
    columns[NEVER_SEEN] = pd.array(never_seen, dtype="string")
    columns[SUMMARY] = pd.array(one_line_summaries(explanation, card, unseen), dtype="string")
    return pd.DataFrame(columns)


def _values_as_text(explanation: Explanation, picked: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """Each row's raw value of the column ``picked`` for it, as text (``str`` of the value, as JSON would show
    it); a gap stays empty (null)."""
    out = np.full(len(picked), None, dtype=object)
    for j, feature in enumerate(explanation.feature_names):
        where = picked == j
        if not where.any():
            continue
        chosen = explanation.data[feature].iloc[np.flatnonzero(where)].to_numpy(dtype=object)
        present = ~pd.isna(chosen)
        out[np.flatnonzero(where)[present]] = [str(_plain(v)) for v in chosen[present]]
    return pd.array(out, dtype="string")


def _plain(value: Any) -> Any:
    """numpy scalars as Python values, so a value reads as ``plainsight explain --format json`` writes it."""
    return value.item() if hasattr(value, "item") else value


def describe(bundle: Bundle, explanation: Explanation, *, top: int) -> dict[str, Any]:
    """What the columns mean, for the output's metadata: the unit, the baseline, how the reasons were made."""
    card, output = bundle.card, explanation.output
    business = card.risk_business if output.is_chance else None
    return {
        "bundle": bundle.name,
        "fingerprint": bundle.fingerprint,
        "prediction": output.label + (" (percent)" if output.is_chance else f" ({output.unit})" if output.unit else ""),
        "unit": output.name,
        "baseline": float(explanation.base_value),
        "value_at_risk": None
        if business is None
        else f"{business.currency} per {business.period}: the chance times {business.value_per_entity:g}",
        "method": explanation.method,
        "exact": bool(explanation.provenance.exact),
        "top": top,
        "entity": card.entity,
    }
