"""How the model works: each fact's effect (per raw unit for a straight-line model; across its range for any
other), how good the model is, and what it assumes and was not built for."""

from __future__ import annotations

from dataclasses import dataclass

from explain.analyses.coefficients import LinearEffects, linear_effects
from explain.analyses.dependence import dependence, partial_dependence
from explain.analyses.importance import global_importance
from explain.bundle.bundle import Bundle
from explain.errors import NotAvailable
from explain.figures.specs import BarsSpec, DependenceSpec, PartialDependenceSpec
from explain.methods.explanation import Explanation
from explain.methods.saved import population_explanation
from explain.reports.charts import dependence_spec, effects_spec, partial_spec
from explain.reports.common import Made, Table, made
from explain.reports.quality import QualityPart, quality_part
from explain.reports.settings import Settings
from explain.words.coefficients import (
    chance_sentence,
    coefficients_table,
    effect_sentence,
    odds_explainer,
    typical_change_text,
)
from explain.words.dependence import dependence_sentence
from explain.words.method import method_lines, sample_sentence
from explain.words.numbers import a_chance

MAIN_FACTS = 4
SHOWN_EFFECTS = 10


@dataclass(frozen=True)
class Effects:
    """A straight-line model's effects: a sentence each, a chart of typical changes, the analyst's table."""

    sentences: tuple[str, ...]  # largest typical effect first; the page shows the first ten, the rest folded
    odds_note: str | None
    chart: BarsSpec
    caption: str
    analyst_intro: str
    table: Table
    left_out: str | None


@dataclass(frozen=True)
class FactView:
    """How one of the main facts moves the output across its range (any model)."""

    feature: str
    label: str
    sentence: str
    chart: DependenceSpec
    partial: PartialDependenceSpec | None  # the analyst's partial dependence


@dataclass(frozen=True)
class ModelReport:
    """Everything the "How the model works" page and ``plainsight report --story model`` say."""

    bundle_name: str
    title: str
    settings: Settings
    intro: tuple[str, ...]
    heading: str
    linear: Effects | None
    caption: str | None
    sample_note: str | None  # said where the charts come from a sample of the rows (a large bundle, a slow method)
    facts: tuple[FactView, ...]
    analyst: tuple[str, ...]
    quality: QualityPart | NotAvailable
    assumptions: tuple[str, ...]
    limitations: tuple[str, ...]
    no_limits: str | None
    made: Made


def model_report(
    bundle: Bundle, settings: Settings | None = None, *, explanation: Explanation | None = None
) -> ModelReport:
    """How the model works, for the reader's settings (the analyst's version adds how it was measured)."""
    settings = settings or Settings()
    card, output = bundle.card, bundle.output
    explanation = explanation if explanation is not None else population_explanation(bundle)
    result = linear_effects(bundle)
    linear = isinstance(result, LinearEffects)
    if isinstance(result, LinearEffects):
        intro = (
            f"This model adds up one fixed effect per fact about {card.an_entity}.",
            "So each fact always pushes the same way, by the same amount, whatever else is true.",
        )
        effects = _effects(bundle, result, explanation, analyst=settings.analyst)
        heading, caption = "What each fact does", None
        facts: tuple[FactView, ...] = ()
        analyst: tuple[str, ...] = ()
    else:
        intro = (
            f"In this model, how much a fact matters can depend on its level and on the other facts about a "
            f"{card.entity}.",
            f"So here is how each main fact moves {output.what}, across its range.",
        )
        effects, heading = None, f"How the main facts move {output.what}"
        caption = (
            f"For numbers, each dot is one {card.entity} (how much this fact moves their result) and the line is the "
            "average; for choices, each bar is the average."
        )
        facts = _facts(bundle, explanation, partial=settings.analyst)
        analyst = (
            f"No per-unit coefficients: {result.reason}. The dots above are each row's SHAP value for the column "
            "(the line: their average per value range). Partial dependence below: the model's average output with "
            "the column set to each value for a seeded sample of 400 rows.",
            *method_lines(explanation),
        )
    no_limits = None
    if not card.assumptions and not card.limitations:
        no_limits = (
            "The model card lists no assumptions or limits. Ask the model's author what it was not built for, "
            "and add it to card.yaml under assumptions: and limitations:."
        )
    return ModelReport(
        bundle_name=bundle.name,
        title=card.title,
        settings=settings,
        intro=intro,
        heading=heading,
        linear=effects if linear else None,
        caption=caption,
        sample_note=None if linear else sample_sentence(explanation, card.entities),
        facts=facts,
        analyst=analyst,
        quality=quality_part(bundle),
        assumptions=card.assumptions,
        limitations=card.limitations,
        no_limits=no_limits,
        made=made(explanation, card.entities),
    )


def _effects(bundle: Bundle, result: LinearEffects, explanation: Explanation, *, analyst: bool) -> Effects:
    card, output = bundle.card, bundle.output
    # The chart starts from the explanations' typical customer, the same one every customer's reasons start from.
    start = output.model_value(explanation.base_value) if output.is_chance else 0.0
    shown_for = (
        f"Shown for a typical {card.entity}, who has {a_chance(start)} to {card.outcome_positive}."
        if result.classifier
        else ""
    )
    caption = (
        "Each bar is the effect of a typical change: for a number, from the lower to the upper quarter of your "
        f"{card.entities} (half of them are in between); for a choice, against the most common one. " + shown_for
    ).strip()
    space = "log-odds" if result.classifier else (card.unit or "the target's unit")
    intro = (
        f"Coefficients in raw units ({space}). Measured on the fitted pipeline: each column moved by one raw unit "
        "(categories: switched from the most common value) on a typical row, reading the model's native output. "
        "This undoes imputers, scalers and one-hot encoding whatever their kind; each number was checked to move "
        f"the output along a straight line. Intercept (on the encoded scale): {result.intercept:.4f}."
    )
    records = coefficients_table(result, card)
    names = {
        "feature": "column",
        "coefficient": "coefficient (raw units)",
        "odds_ratio": "odds ratio",
        "encoded_coefficient": "encoded coefficient",
        "scale": "scale undone",
        "center": "center (encodes to 0)",
    }
    places = {"coefficient": 6, "odds_ratio": 4, "encoded_coefficient": 6, "scale": 6, "center": 4}
    keys = [k for k in dict.fromkeys(k for r in records for k in r) if k not in ("kind", "reference", "typical_change")]
    rows = tuple(
        tuple(_rounded(record.get(k), places.get(k)) for k in keys) + (typical_change_text(effect, card),)
        for record, effect in zip(records, result.effects, strict=True)
    )
    left_out = (
        "Rare values not listed: " + ", ".join(f"{c} ({n})" for c, n in result.left_out.items())
        if result.left_out
        else None
    )
    if result.classifier and not analyst:  # the stakeholder reads chances; odds are for the analyst
        sentences = tuple(
            chance_sentence(e, card, start=start, after=start + result.chance_change(e, start=start) / 100)
            for e in result.effects
        )
    else:
        sentences = tuple(effect_sentence(e, card, classifier=result.classifier) for e in result.effects)
    return Effects(
        sentences=sentences,
        odds_note=odds_explainer(card) if result.classifier and analyst else None,
        chart=effects_spec(result, card, output, start=start),
        caption=caption,
        analyst_intro=intro,
        table=Table(columns=(*(names.get(k, k) for k in keys), "typical change"), rows=rows),
        left_out=left_out,
    )


def _rounded(value: object, places: int | None) -> object:
    if places is None or not isinstance(value, float):
        return value
    return round(value, places)


def _facts(bundle: Bundle, explanation: Explanation, *, partial: bool) -> tuple[FactView, ...]:
    card = bundle.card
    main = list(global_importance(explanation)["feature"][:MAIN_FACTS])
    views = []
    for feature in main:
        dep = dependence(explanation, feature)
        views.append(
            FactView(
                feature=feature,
                label=card.label(feature),
                sentence=dependence_sentence(dep, card),
                chart=dependence_spec(dep, card),
                partial=partial_spec(partial_dependence(bundle, feature), feature, card, bundle.output)
                if partial
                else None,
            )
        )
    return tuple(views)
