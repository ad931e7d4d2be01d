"""Commands about the model as a whole: ``check``, ``importance``, ``coefficients`` and ``quality``."""

from __future__ import annotations

import argparse
import json

from explain.analyses.coefficients import linear_effects
from explain.analyses.importance import global_importance, risk_summary
from explain.analyses.quality import ClassifierQuality, model_quality
from explain.cli.common import json_value, load
from explain.errors import NotAvailable, PlainsightError
from explain.methods.saved import population_explanation
from explain.words.coefficients import coefficients_table, effect_sentence
from explain.words.method import sample_sentence
from explain.words.numbers import format_chance, format_contribution, reason_unit, unit_name
from explain.words.outcome import high_chance_words
from explain.words.quality import quality_sentences, quality_table, training_data_sentence


def check(args: argparse.Namespace) -> str:
    bundle = load(args)
    card = bundle.card
    kind = "classifier" if bundle.is_classifier else "regressor"
    lines = [
        f"{bundle.name}: OK",
        f"  {card.title}",
        f"  model: {type(bundle.parts.estimator).__name__} ({kind}), {len(bundle.features)} columns",
        f"  data: {len(bundle.X):,} {card.entities}" + (f", id column {card.id_column}" if card.id_column else ""),
    ]
    if bundle.is_classifier:
        lines.append(f"  predicts: the chance to {card.outcome_positive} (class {card.positive_class!r})")
        if card.multiclass:
            lines.append(f"  outcomes: {', '.join(str(c) for c in card.classes)} (pick one with --outcome)")
    else:
        lines.append(f"  predicts: {bundle.output.what}" + (f", in {unit_name(card.unit)}" if card.unit else ""))
    lines += [f"  note: {note}" for note in bundle.notes]
    return "\n".join(lines)


def importance(args: argparse.Namespace) -> str:
    bundle = load(args)
    card, output = bundle.card, bundle.output
    explanation = population_explanation(bundle)
    table = global_importance(explanation)
    if args.format == "json":
        features = [
            {"feature": r["feature"], "label": card.label(r["feature"]), "importance": float(r["importance"])}
            for _, r in table.iterrows()
        ]
        return json.dumps({"unit": output.name, "features": features}, indent=2, ensure_ascii=False)
    lines = [f"What drives {card.title} across {len(bundle.X):,} {card.entities}:"]
    places = None if output.is_chance else output.decimals
    for _, r in table.iterrows():
        size = format_contribution(r["importance"], reason_unit(output), decimals=places).lstrip("+")
        lines.append(f"  {size:>14}  {card.label(r['feature'])}")
    note = sample_sentence(explanation, card.entities)
    if note:
        lines.append(note)
    if bundle.is_classifier:
        risk = risk_summary(bundle)
        high = high_chance_words(card).removeprefix("at ")
        lines.append(f"{high} (≥ {format_chance(risk.threshold)}): {risk.n_high:,} of {risk.n_rows:,}")
    return "\n".join(lines)


def coefficients(args: argparse.Namespace) -> str:
    bundle = load(args)
    card = bundle.card
    result = linear_effects(bundle)
    if isinstance(result, NotAvailable):
        raise PlainsightError(
            f"{bundle.name} has no per-unit coefficients: {result.reason}. `plainsight importance` explains any model."
        )
    records = coefficients_table(result, card)
    space = "log-odds" if result.classifier else card.unit or "target"
    if args.format == "json":
        out = {
            "space": space,
            "intercept": result.intercept,
            "features": [{k: json_value(v) for k, v in r.items()} for r in records],
        }
        return json.dumps(out, indent=2, ensure_ascii=False)
    lines = [f"Effects in {card.title}, per raw unit (largest typical effect first):"]
    for effect in result.effects:
        lines.append("  " + effect_sentence(effect, card, classifier=result.classifier))
    lines.append(f"intercept: {result.intercept:.4f} ({space}, encoded scale)")
    return "\n".join(lines)


def quality(args: argparse.Namespace) -> str:
    bundle = load(args)
    card = bundle.card
    found = model_quality(bundle)
    if found is None:
        where = f"a column '{card.target}'" if card.target else "the real outcome (name it in card.yaml as target:)"
        raise PlainsightError(f"{bundle.name}'s data has no {where}, so its quality cannot be checked.")
    table = quality_table(found, card)
    if args.format == "json":
        figures = {
            name: json_value(getattr(found, name))
            for name in (
                "n_rows", "n_dropped", "threshold", "base_rate", "accuracy", "precision", "recall", "f1", "roc_auc",
                "average_precision", "brier", "overall_accuracy", "mae", "rmse", "r2", "median_abs_error",
            )
            if hasattr(found, name)
        }  # fmt: skip
        if isinstance(found, ClassifierQuality):
            figures["confusion"] = found.confusion.tolist()
        figures["reference_is_training"] = card.reference_is_training
        return json.dumps(figures, indent=2, ensure_ascii=False)
    lines = [f"Quality of {card.title} on its reference data:"]
    lines += [f"  {name}: {value}" for name, value in table]
    lines += ["", *quality_sentences(found, card), training_data_sentence(card)]
    return "\n".join(lines)
