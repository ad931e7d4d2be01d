"""``plainsight``: the analyst's command line over the same engine as the app.

Every problem ends in one plain line on stderr and exit status 2; no traceback reaches the terminal.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import sys
import warnings
from pathlib import Path
from typing import Any

import pandas as pd

from explain.analyses.coefficients import NotLinear, coefficients_table, effect_sentence, linear_effects
from explain.analyses.importance import global_importance, risk_summary
from explain.analyses.quality import (
    ClassifierQuality,
    model_quality,
    quality_sentences,
    quality_table,
    training_data_sentence,
)
from explain.analyses.suggest import suggest
from explain.analyses.whatif import apply_changes
from explain.bundle import Bundle, load_bundle, models_dirs
from explain.errors import PlainsightError
from explain.methods.explanation import POINTS, Explanation
from explain.methods.lime import DEFAULT_SAMPLES, explain_lime
from explain.methods.shap import explain_population, explain_shap
from explain.words.formatting import format_chance, format_contribution, format_value, format_with_unit, output_decimals
from explain.words.narrative import target_words

EXIT_PROBLEM = 2


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR, format="plainsight: %(message)s")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            output = args.run(args)
    except PlainsightError as exc:
        print(f"plainsight: {exc}", file=sys.stderr)
        return EXIT_PROBLEM
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - the promise is one plain line, whatever broke
        print(f"plainsight: unexpected problem ({type(exc).__name__}: {exc})", file=sys.stderr)
        return EXIT_PROBLEM
    try:
        print(output)
    except BrokenPipeError:  # the reader stopped early (`| head`): not a problem worth a traceback
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keeps Python's exit-time flush quiet
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="plainsight", description="Explain a trained model in plain words.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser("check", help="load a bundle and say what it holds")
    check.add_argument("bundle", type=Path, help="the bundle folder")
    check.set_defaults(run=_check)

    explain = commands.add_parser("explain", help="explain one row")
    explain.add_argument("bundle", type=Path)
    explain.add_argument(
        "--row", required=True, help="the row's id (the card's id column), or its 0-based position when there is none"
    )
    explain.add_argument("--format", choices=["text", "json"], default="text")
    explain.add_argument(
        "--method", choices=["shap", "lime"], default="shap", help="shap (exact where possible) or lime (a local fit)"
    )
    explain.add_argument("--samples", type=int, default=DEFAULT_SAMPLES, help="LIME's sample count (default 5000)")
    explain.add_argument(
        "--set", action="append", default=[], metavar="COL=VALUE", help="what-if: change a column (repeatable)"
    )
    explain.set_defaults(run=_explain)

    suggest_cmd = commands.add_parser("suggest", help="what would it take to reach a target")
    suggest_cmd.add_argument("bundle", type=Path)
    suggest_cmd.add_argument("--row", required=True)
    suggest_cmd.add_argument(
        "--target", required=True, type=float, help="a chance in percent (0-100) for classifiers, else a value"
    )
    suggest_cmd.add_argument("--format", choices=["text", "json"], default="text")
    suggest_cmd.set_defaults(run=_suggest)

    importance = commands.add_parser("importance", help="what drives the model across all rows")
    importance.add_argument("bundle", type=Path)
    importance.add_argument("--format", choices=["text", "json"], default="text")
    importance.set_defaults(run=_importance)

    coefficients = commands.add_parser(
        "coefficients", help="a linear model's effect per raw unit of each column (undoing the scaling)"
    )
    coefficients.add_argument("bundle", type=Path)
    coefficients.add_argument("--format", choices=["text", "json"], default="text")
    coefficients.set_defaults(run=_coefficients)

    quality = commands.add_parser("quality", help="how good the model is on the reference data (needs the target)")
    quality.add_argument("bundle", type=Path)
    quality.add_argument("--format", choices=["text", "json"], default="text")
    quality.set_defaults(run=_quality)

    export = commands.add_parser("export", help="write a slide picture, a PDF or a PPTX (by the file's extension)")
    export.add_argument("bundle", type=Path)
    export.add_argument("--row", action="append", default=[], metavar="ID", help="a customer (repeatable)")
    export.add_argument("--top", type=int, metavar="N", help="the N customers most at risk (or with the largest value)")
    export.add_argument(
        "--to", required=True, type=Path, metavar="FILE", help="out.png, out.pdf, out.pptx, or out.csv (a table)"
    )
    export.add_argument("--audience", choices=["stakeholder", "analyst"], default="stakeholder")
    export.set_defaults(run=_export)

    for command in commands.choices.values():
        if command.prog.split()[-1] != "check":
            command.add_argument(
                "--outcome", help="for a model with more than two outcomes: the class to explain (default: the card's)"
            )
    return parser


def _load(args: argparse.Namespace) -> Bundle:
    path: Path = args.bundle
    # The operator named this folder on their own command line, which is what trusting it means.
    bundle = load_bundle(path, trusted=[*models_dirs(), path.expanduser()])
    outcome = getattr(args, "outcome", None)
    if outcome is not None:
        if not bundle.is_classifier:
            raise PlainsightError("--outcome is for models that give a chance; this one predicts a value.")
        bundle = bundle.for_outcome(outcome)
    return bundle


def _check(args: argparse.Namespace) -> str:
    bundle = _load(args)
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
        what = target_words(card) or "a value"
        lines.append(f"  predicts: the expected {what}" + (f", in {card.unit}" if card.unit else ""))
    lines += [f"  note: {note}" for note in bundle.notes]
    return "\n".join(lines)


def _explain(args: argparse.Namespace) -> str:
    bundle = _load(args)
    position = bundle.position(args.row)
    X = apply_changes(bundle, position, dict(_assignment(a) for a in args.set)) if args.set else None
    if X is not None:
        X.index = [bundle.ids[position]]  # the what-if row keeps the customer's id
    if args.method == "lime":
        if args.samples < 100:
            raise PlainsightError("--samples must be at least 100 for LIME's local fit to mean anything.")
        explanation = explain_lime(bundle, position, X=X, num_samples=args.samples)
    else:
        explanation = explain_shap(bundle, [position]) if X is None else explain_shap(bundle, X=X)
    if args.format == "json":
        out = _row_json(bundle, explanation)
        if "fidelity" in explanation.params:
            out["fidelity"] = explanation.params["fidelity"]
            out["local_prediction"] = explanation.params["local_prediction"]
        return json.dumps(out, indent=2, ensure_ascii=False)
    return _row_text(bundle, explanation)


def _row_json(bundle: Bundle, explanation: Explanation) -> dict[str, Any]:
    table = explanation.contributions(0)
    return {
        "row": explanation.row_ids[0],
        "prediction": float(explanation.prediction[0]),
        "baseline": float(explanation.base_value),
        "unit": explanation.unit,
        "method": explanation.method,
        "contributions": [
            {
                "feature": r["feature"],
                "label": bundle.card.label(r["feature"]),
                "value": _json_value(r["value"]),
                "contribution": float(r["contribution"]),
            }
            for _, r in table.iterrows()
        ],
    }


def _row_text(bundle: Bundle, explanation: Explanation) -> str:
    card, unit = bundle.card, explanation.unit

    def shown(value: float) -> str:
        return format_chance(value / 100) if unit == POINTS else format_with_unit(value, card.unit)

    lines = [
        f"{card.entity} {explanation.row_ids[0]}: {shown(explanation.prediction[0])}"
        + (f" chance to {card.outcome_positive}" if unit == POINTS else ""),
        f"typical {card.entity}: {shown(explanation.base_value)}",
        "reasons, largest first:",
    ]
    for _, r in explanation.contributions(0).iterrows():
        value = format_value(r["value"], card.feature(r["feature"]))
        lines.append(f"  {format_contribution(r['contribution'], unit):>14}  {card.label(r['feature'])}: {value}")
    lines.append(f"method: {explanation.method}")
    if "fidelity" in explanation.params:
        lines.append(f"fidelity (local fit R², 0-1): {explanation.params['fidelity']:.2f}")
    return "\n".join(lines)


def _assignment(text: str) -> tuple[str, str]:
    column, sep, value = text.partition("=")
    if not sep or not column.strip():
        raise PlainsightError(f"--set takes COLUMN=VALUE, like --set Contract='Two year'; got '{text}'.")
    return column.strip(), value.strip()


def _suggest(args: argparse.Namespace) -> str:
    bundle = _load(args)
    position = bundle.position(args.row)
    scale = 100.0 if bundle.is_classifier else 1.0
    if bundle.is_classifier and not 0 < args.target < 100:
        raise PlainsightError("--target is a chance in percent for this model: a number between 0 and 100.")
    found = suggest(bundle, position, args.target / scale)
    if args.format == "json":
        out = {
            "target": args.target,
            "current": found.current * scale,
            "suggestions": [
                {"changes": {c: _json_value(v) for c, v in s.changes.items()}, "prediction": s.prediction * scale}
                for s in found.suggestions
            ],
        }
        return json.dumps(out, indent=2, ensure_ascii=False)
    card = bundle.card

    def shown(value: float) -> str:
        if bundle.is_classifier:
            return format_chance(value)
        return format_with_unit(value, card.unit, decimals=output_decimals(found.current, card.unit))

    target = shown(args.target / scale)
    if not found.reached:
        return f"Nothing within reach gets {card.entity} {args.row} to {target}."
    lines = [f"{card.entity} {args.row}: now {shown(found.current)}, target {target}"]
    for s in found.suggestions:
        changes = ", ".join(f"{card.label(c)} = {format_value(v, card.feature(c))}" for c, v in s.changes.items())
        lines.append(f"  {shown(s.prediction):>10}  {changes}")
    return "\n".join(lines)


def _importance(args: argparse.Namespace) -> str:
    bundle = _load(args)
    explanation = explain_population(bundle)
    table = global_importance(explanation)
    if args.format == "json":
        features = [
            {"feature": r["feature"], "label": bundle.card.label(r["feature"]), "importance": float(r["importance"])}
            for _, r in table.iterrows()
        ]
        return json.dumps({"unit": explanation.unit, "features": features}, indent=2, ensure_ascii=False)
    lines = [f"What drives {bundle.card.title} across {len(explanation):,} {bundle.card.entities}:"]
    for _, r in table.iterrows():
        size = format_contribution(r["importance"], explanation.unit).lstrip("+")
        lines.append(f"  {size:>14}  {bundle.card.label(r['feature'])}")
    if bundle.is_classifier:
        risk = risk_summary(explanation, bundle.card)
        lines.append(f"high risk (≥ {format_chance(risk.threshold)}): {risk.n_high:,} of {risk.n_rows:,}")
    return "\n".join(lines)


def _coefficients(args: argparse.Namespace) -> str:
    bundle = _load(args)
    card = bundle.card
    result = linear_effects(bundle)
    if isinstance(result, NotLinear):
        raise PlainsightError(
            f"{bundle.name} has no per-unit coefficients: {result.reason}. `plainsight importance` explains any model."
        )
    records = coefficients_table(result, card)
    space = "log-odds" if result.classifier else card.unit or "target"
    if args.format == "json":
        out = {
            "space": space,
            "intercept": result.intercept,
            "features": [{k: _json_value(v) for k, v in r.items()} for r in records],
        }
        return json.dumps(out, indent=2, ensure_ascii=False)
    lines = [f"Effects in {card.title}, per raw unit (largest typical effect first):"]
    for effect in result.effects:
        lines.append("  " + effect_sentence(effect, card, classifier=result.classifier))
    lines.append(f"intercept: {result.intercept:.4f} ({space}, encoded scale)")
    return "\n".join(lines)


def _quality(args: argparse.Namespace) -> str:
    bundle = _load(args)
    card = bundle.card
    found = model_quality(bundle)
    if found is None:
        where = f"a column '{card.target}'" if card.target else "the real outcome (name it in card.yaml as target:)"
        raise PlainsightError(f"{bundle.name}'s data has no {where}, so its quality cannot be checked.")
    table = quality_table(found, card)
    if args.format == "json":
        figures = {
            name: _json_value(getattr(found, name))
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


def _export(args: argparse.Namespace) -> str:
    from explain.export.content import customer_slides, overview_slide, top_at_risk
    from explain.export.files import FORMATS, ExportError, export_bytes
    from explain.export.render import render_png
    from explain.export.table import customers_table, to_csv_bytes

    target: Path = args.to
    suffix = target.suffix.lower()
    if suffix not in (*FORMATS, ".csv"):
        raise ExportError(f"--to must end in .png, .pdf, .pptx or .csv (got '{target.name}').")
    if args.top is not None and args.top < 1:
        raise ExportError("--top must be at least 1.")
    bundle = _load(args)
    card = bundle.card
    analyst = args.audience == "analyst"
    positions = [bundle.position(r) for r in args.row]
    if args.top:
        positions += [p for p in top_at_risk(bundle, args.top) if p not in positions]
    if suffix == ".csv":
        rows = positions or list(range(len(bundle.X)))  # a table without rows named: every customer
        data = to_csv_bytes(customers_table(bundle, rows))
        what = f"{len(rows):,} {card.entity if len(rows) == 1 else card.entities}"
    elif positions:
        data = export_bytes(customer_slides(bundle, positions, analyst=analyst), suffix, render_png)
        what = f"{len(positions)} {card.entity if len(positions) == 1 else card.entities}"
    else:
        data = export_bytes([overview_slide(bundle, analyst=analyst)], suffix, render_png)
        what = "the overview"
    try:
        target.write_bytes(data)
    except OSError as exc:
        raise ExportError(f"Could not write {target}: {exc.strerror or exc}.") from None
    return f"wrote {target} ({what}, {len(data):,} bytes)"


def _json_value(value: Any) -> Any:
    if hasattr(value, "item"):
        value = value.item()
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if value is pd.NA:
        return None
    return value


if __name__ == "__main__":
    sys.exit(main())
