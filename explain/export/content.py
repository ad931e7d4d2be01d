"""What an exported customer page or overview page says: the same sentences and figures the app shows.

The stakeholder's version uses only plain words (checked against :mod:`explain.words.plain_words` by the tests); the
analyst's adds a section on how the numbers were made, labelled as such.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np

from explain.analyses.business import (
    Assumptions,
    format_money,
    impact,
    impact_headline,
    shows_totals,
    totals,
    totals_sentences,
    value_at_risk,
)
from explain.analyses.importance import global_importance, risk_summary
from explain.analyses.quality import model_quality, quality_sentences, training_data_sentence
from explain.analyses.suggest import default_target, suggest
from explain.analyses.whatif import change_sentence
from explain.bundle import Bundle
from explain.errors import PlainsightError
from explain.export.slide import Section, Slide
from explain.figures.charts import importance_figure, waterfall_figure
from explain.methods.explanation import POINTS, Explanation
from explain.methods.shap import SAMPLING_METHOD, explain_population, explain_shap
from explain.words.formatting import format_chance, format_with_unit
from explain.words.narrative import (
    customer_headline,
    decimals,
    output_label,
    output_text,
    overview_drivers,
    overview_headline,
    reason_sentences,
)

Progress = Callable[[float, str], None]

_PLAIN_METHOD = {
    SAMPLING_METHOD: "reasons estimated by trying many combinations of the facts (a close estimate, not exact)",
}
_EXACT_WORDS = "reasons worked out exactly from the model"


def footer(bundle: Bundle, explanation: Explanation, *, analyst: bool, today: dt.date | None = None) -> str:
    """Names the model, the date and how the explanation was made."""
    day = (today or dt.date.today()).strftime("%d %B %Y").lstrip("0")
    if analyst:
        how = f"SHAP values by {explanation.method}"
        if "background_rows" in explanation.params:
            how += f" ({explanation.params['background_rows']} background rows, seed {explanation.params['seed']})"
    else:
        how = _PLAIN_METHOD.get(explanation.method, _EXACT_WORDS)
    return f"{bundle.card.title} (model: {bundle.name}) · {day} · {how[:1].upper() + how[1:]}"


def customer_slide(
    bundle: Bundle,
    position: int,
    *,
    analyst: bool = False,
    today: dt.date | None = None,
    explanation: Explanation | None = None,
) -> Slide:
    """One customer's page: their chance (or expected value), the reasons, what would change it, value at risk."""
    card = bundle.card
    explanation = explanation if explanation is not None else explain_shap(bundle, [position])
    chance = explanation.unit == POINTS
    prediction = float(explanation.prediction[0])
    headline = customer_headline(explanation, 0, card)
    reasons = reason_sentences(explanation, 0, card)

    facts = [(output_label(explanation, card), output_text(prediction, explanation, card))]
    if chance and card.business is not None:
        money = format_money(value_at_risk(prediction / 100, card.business), card.business.currency)
        facts.append(("Value at risk", f"{money} a {card.business.period}"))
    sections = [Section("Main reasons", reasons)]
    changes = _what_would_change_it(bundle, position, explanation)
    if changes:
        sections.append(Section("What would change it", changes))
    if analyst:
        sections.append(Section("How this was made (analyst)", _analyst_lines(explanation)))
    return Slide(
        title=f"{card.entity.capitalize()} {explanation.row_ids[0]}",
        summary=headline[:2] + reasons[:1],
        figure=waterfall_figure(explanation, 0, card),
        facts=facts,
        sections=sections,
        footer=footer(bundle, explanation, analyst=analyst, today=today),
    )


def _what_would_change_it(bundle: Bundle, position: int, explanation: Explanation) -> list[str]:
    """Up to three checked changes: towards half the chance for classifiers, a round target above for regressors."""
    card = bundle.card
    current = float(explanation.prediction[0]) / (100.0 if bundle.is_classifier else 1.0)
    if bundle.is_classifier:
        target = max(0.01, round(current / 2, 2))
    else:
        target, _ = default_target(current, bundle.outputs)
    try:
        found = suggest(bundle, position, target, limit=3)
    except PlainsightError:
        return []
    if not found.reached:
        return []
    places = None if bundle.is_classifier else decimals(explanation, card)
    # Each suggestion's output was re-predicted by the search itself.
    return [
        change_sentence(current, option.prediction, option.changes, card, chance=bundle.is_classifier, decimals=places)
        for option in found.suggestions
    ]


def _analyst_lines(explanation: Explanation) -> list[str]:
    lines = [f"Method: {explanation.method}; values in {explanation.unit}."]
    lines.append(f"Baseline {explanation.base_value:.4f}; additivity gap {explanation.additivity_gap():.2e}.")
    if explanation.native_values is not None and explanation.native_base is not None:
        total = explanation.native_base + float(explanation.native_values[0].sum())
        lines.append(f"In log-odds: baseline {explanation.native_base:.4f}, this row {total:.4f}.")
    return lines


def overview_slide(
    bundle: Bundle, *, analyst: bool = False, today: dt.date | None = None, explanation: Explanation | None = None
) -> Slide:
    """The overview page: what drives the model, business impact, model quality, what it was not built for."""
    card = bundle.card
    explanation = explanation if explanation is not None else explain_population(bundle)
    table = global_importance(explanation)
    risk = risk_summary(explanation, card) if bundle.is_classifier else None
    headline = overview_headline(table, risk, explanation, card)

    facts = [(card.entities.capitalize(), f"{len(bundle.X):,}")]
    if risk is not None:
        facts.append((f"At high risk ({format_chance(risk.threshold)} or more)", format_chance(risk.share_high)))
        facts.append((f"Average chance to {card.outcome_positive}", format_chance(risk.mean_chance)))
    else:
        mean = float(np.mean(explanation.prediction))
        label = f"Average {output_label(explanation, card)[:1].lower()}{output_label(explanation, card)[1:]}"
        facts.append((label, format_with_unit(mean, card.unit, decimals=decimals(explanation, card))))

    sections = [Section("What drives it", overview_drivers(explanation, table, card))]
    money = _business_lines(bundle)
    if money:
        sections.append(Section("Business impact", money))
    quality = _quality_lines(bundle)
    if quality:
        sections.append(Section("How good the model is", quality))
    if card.limitations:
        sections.append(Section("What this model was not built for", list(card.limitations)))
    if analyst:
        lines = [f"Method: {explanation.method}; mean |SHAP| in {explanation.unit}."]
        lines += [f"{row.feature}: {row.importance:.3f}" for row in table.head(8).itertuples()]
        sections.append(Section("How this was made (analyst)", lines))
    return Slide(
        title=card.title,
        summary=headline[:3],
        figure=importance_figure(
            table,
            card,
            unit=explanation.unit,
            decimals=None if explanation.unit == POINTS else decimals(explanation, card),
        ),
        facts=facts,
        sections=sections,
        footer=footer(bundle, explanation, analyst=analyst, today=today),
    )


def _business_lines(bundle: Bundle) -> list[str]:
    card = bundle.card
    chances = bundle.outputs
    try:
        if bundle.is_classifier and card.business is not None:
            return impact_headline(impact(chances, card.business, Assumptions()), card)
        if not bundle.is_classifier and shows_totals(card):
            return totals_sentences(totals(chances), card)
    except PlainsightError:
        return []
    return []


def _quality_lines(bundle: Bundle) -> list[str]:
    try:
        found = model_quality(bundle)
    except PlainsightError:
        return []
    if found is None:
        return []
    return [*quality_sentences(found, bundle.card), training_data_sentence(bundle.card)]


def customer_slides(
    bundle: Bundle, positions: list[int], *, analyst: bool = False, progress: Progress | None = None
) -> list[Slide]:
    """Several customers' pages, explained together (one pass over the model) and reporting progress."""
    explanation = explain_shap(bundle, positions)
    slides = []
    for i, position in enumerate(positions):
        slides.append(customer_slide(bundle, position, analyst=analyst, explanation=explanation.take([i])))
        if progress is not None:
            progress((i + 1) / len(positions), f"Prepared {i + 1} of {len(positions)}")
    return slides


def top_at_risk(bundle: Bundle, n: int = 20) -> list[int]:
    """The positions of the ``n`` rows with the highest output (the highest chance, or the largest value)."""
    return [int(i) for i in np.argsort(-bundle.outputs, kind="stable")[:n]]
