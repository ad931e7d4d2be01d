"""One customer's story: their chance (or expected amount), the value at risk, the reasons adding up from a
typical customer, whether a second check agrees, and what would change it.

The customer page, its exports (slide picture, PDF, PowerPoint), the upload page and ``plainsight report --row``
all render this one report.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from explain.analyses.agreement import Agreement, agreement
from explain.analyses.whatif import unseen_categories
from explain.bundle.bundle import Bundle
from explain.bundle.card import Card
from explain.errors import ExplainError, NotAvailable
from explain.figures.specs import IconArraySpec, WaterfallSpec
from explain.methods.explanation import Explanation
from explain.methods.reasons import explain_lime, explain_shap
from explain.reports.charts import icon_spec, waterfall_spec
from explain.reports.common import Fact, Made, Table, made
from explain.reports.settings import Settings
from explain.reports.whatif import SuggestionsReport, suggestions_report
from explain.words.business import value_at_risk_sentence, value_at_risk_text
from explain.words.explanation import (
    customer_headline,
    reason_label,
    reason_sentences,
    shown_reasons,
    unseen_sentence,
    waterfall_caption,
)
from explain.words.method import lime_lines, method_lines, second_check_sentence
from explain.words.numbers import format_value, say_output, say_reason


@dataclass(frozen=True)
class Reason:
    """One column's part in the row's output: exact, and as shown (rounded so the shown figures add up)."""

    feature: str
    label: str
    value: str  # the row's raw value, in the card's words
    said: str  # the fact as the chart names it: "Contract type: Month-to-month", or the card's phrase for it
    contribution: float  # in the reader's unit
    shown: float
    text: str  # signed, as every outlet writes it: "+18 points", "-$207"


@dataclass(frozen=True)
class CustomerReport:
    """Everything the customer page, its exports and ``plainsight report --row`` say about one customer."""

    bundle_name: str
    title: str
    row_id: str
    position: int | None  # in the reference data; None for a row of the reader's own (an upload)
    settings: Settings
    output_label: str
    prediction: float  # in the reader's unit: a chance in percent, or the amount
    prediction_text: str
    chance: float | None  # 0-1, for a chance
    facts: tuple[Fact, ...]
    value_at_risk: float | None
    value_at_risk_sentence: str | None
    headline: tuple[str, ...]
    flags: tuple[str, ...]  # values the model never saw: said, not ranked as reasons
    reasons: tuple[Reason, ...]  # every column, largest effect first
    reason_sentences: tuple[str, ...]
    waterfall: WaterfallSpec
    waterfall_caption: str
    icon: IconArraySpec | None
    second_check: str
    agreement: Agreement | None
    suggestions: SuggestionsReport | None
    analyst: tuple[str, ...]
    table: Table
    made: Made


def customer_report(
    bundle: Bundle,
    position: int | None = None,
    settings: Settings | None = None,
    *,
    X: pd.DataFrame | None = None,
    explanation: Explanation | None = None,
    second_check: bool = True,
    suggestions: bool = True,
) -> CustomerReport:
    """One customer's story.

    Parameters
    ----------
    position : int, optional
        The customer's 0-based position in the reference data.
    X : DataFrame of shape (1, n_features), optional
        A row of the reader's own instead (an uploaded customer); its index holds the id.
    explanation : Explanation, optional
        The row's explanation, when the caller already has it (one row).
    second_check : bool
        Run LIME and say whether it agrees on the main reasons (about 50 ms).
    suggestions : bool
        Look for what would change it (about 80 ms).
    """
    settings = settings or Settings()
    card, output = bundle.card, bundle.output
    if explanation is None:
        if X is not None:
            explanation = explain_shap(bundle, X=X)
        elif position is not None:
            explanation = explain_shap(bundle, [position])
        else:
            raise ValueError("customer_report needs a position, a row X or its explanation")
    row: int | pd.DataFrame = position if X is None and position is not None else explanation.data.iloc[[0]]
    unseen = unseen_categories(bundle, explanation.data.iloc[[0]])
    prediction = float(explanation.prediction[0])
    chance = output.model_value(prediction) if output.is_chance else None

    facts = [Fact(output.label, say_output(prediction, output))]
    at_risk = at_risk_sentence = None
    if chance is not None and card.risk_business is not None:
        at_risk = chance * card.risk_business.value_per_entity
        at_risk_sentence = value_at_risk_sentence(chance, card)
        facts.append(Fact("Value at risk", value_at_risk_text(chance, card.risk_business)))

    table = explanation.contributions(0)
    _, shown, _ = shown_reasons(explanation, 0)
    by_feature = dict(zip(explanation.feature_names, shown, strict=True))
    reasons = tuple(
        Reason(
            feature=r.feature,
            label=card.label(r.feature),
            value=format_value(r.value, card.feature(r.feature)),
            said=reason_label(r.feature, r.value, card),
            contribution=float(r.contribution),
            shown=float(by_feature[r.feature]),
            text=say_reason(float(by_feature[r.feature]), output),
        )
        for r in table.itertuples()
    )

    lime: Explanation | NotAvailable | None = None
    found: Agreement | None = None
    if second_check:
        try:
            lime = explain_lime(bundle, X=explanation.data.iloc[[0]])
            found = agreement(explanation, lime)
        except ExplainError as exc:
            lime = NotAvailable(str(exc))
    exact = explanation.provenance.exact
    return CustomerReport(
        bundle_name=bundle.name,
        title=f"{card.entity.capitalize()} {explanation.row_ids[0]}",
        row_id=explanation.row_ids[0],
        position=position if X is None else None,
        settings=settings,
        output_label=output.label,
        prediction=prediction,
        prediction_text=say_output(prediction, output),
        chance=chance,
        facts=tuple(facts),
        value_at_risk=at_risk,
        value_at_risk_sentence=at_risk_sentence,
        headline=tuple(customer_headline(explanation, 0, card)),
        flags=tuple(unseen_sentence(c, explanation.data.iloc[0][c], card) for c in unseen),
        reasons=reasons,
        reason_sentences=tuple(reason_sentences(explanation, 0, card, unseen=unseen)),
        waterfall=waterfall_spec(explanation, 0, card, unseen=unseen),
        waterfall_caption=waterfall_caption(output, card, explanation.base_value),
        icon=icon_spec(chance, card) if chance is not None else None,
        second_check=second_check_sentence(lime, found, exact=exact, entity=card.entity) if lime is not None else "",
        agreement=found,
        suggestions=suggestions_report(bundle, row, limit=3) if suggestions else None,
        analyst=tuple(method_lines(explanation) + (lime_lines(lime, found) if lime is not None else [])),
        table=_analyst_table(explanation, lime, card),
        made=made(explanation, card.entities),
    )


def _analyst_table(explanation: Explanation, lime: Explanation | NotAvailable | None, card: Card) -> Table:
    """The numbers behind the chart, largest first: SHAP in the reader's unit (± its standard error for an
    estimate), in the model's own score, and LIME's weights."""
    contributions = explanation.contributions(0)
    name = explanation.output.name
    columns = ["column", "label", "value", f"SHAP ({name})"]
    native = errors = None
    if explanation.errors is not None:
        columns.append(f"± standard error ({name})")
        errors = dict(zip(explanation.feature_names, explanation.errors[0], strict=True))
    if explanation.native_values is not None:
        columns.append(f"SHAP ({explanation.provenance.native_space})")
        native = dict(zip(explanation.feature_names, explanation.native_values[0], strict=True))
    weights = None
    if isinstance(lime, Explanation):
        columns.append(f"LIME ({name})")
        weights = dict(zip(lime.feature_names, lime.values[0], strict=True))
    rows = []
    for r in contributions.itertuples():
        value = format_value(r.value, card.feature(r.feature))
        row: list[object] = [r.feature, card.label(r.feature), value, round(float(r.contribution), 4)]
        if errors is not None:
            row.append(round(float(errors[r.feature]), 4))
        if native is not None:
            row.append(round(float(native[r.feature]), 5))
        if weights is not None:
            row.append(round(float(weights[r.feature]), 4))
        rows.append(tuple(row))
    return Table(columns=tuple(columns), rows=tuple(rows))
