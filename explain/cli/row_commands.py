"""Commands about one row: ``explain`` (its reasons, by SHAP or LIME, what-if rows too) and ``suggest``."""

from __future__ import annotations

import argparse
import json
from typing import Any

from explain.analyses.agreement import POOR_FIT
from explain.analyses.suggest import suggest as search
from explain.analyses.whatif import apply_changes, unseen_categories
from explain.bundle.bundle import Bundle
from explain.cli.common import json_value, load
from explain.errors import PlainsightError
from explain.methods.explanation import Explanation
from explain.methods.reasons import explain_lime, explain_shap
from explain.words.explanation import shown_reasons, unseen_sentence
from explain.words.numbers import format_value, rounded_to_add_up, say_output, say_reason


def explain(args: argparse.Namespace) -> str:
    bundle = load(args)
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
        if explanation.local_fit is not None:
            out["fidelity"] = explanation.local_fit.fidelity
            out["local_prediction"] = explanation.local_fit.prediction
        return json.dumps(out, indent=2, ensure_ascii=False)
    return _row_text(bundle, explanation)


def _row_json(bundle: Bundle, explanation: Explanation) -> dict[str, Any]:
    table = explanation.contributions(0)
    errors = _errors(explanation)
    return {
        "row": explanation.row_ids[0],
        "prediction": float(explanation.prediction[0]),
        "baseline": float(explanation.base_value),
        "unit": explanation.output.name,
        "method": explanation.method,
        "exact": explanation.provenance.exact,
        "contributions": [
            {
                "feature": r["feature"],
                "label": bundle.card.label(r["feature"]),
                "value": json_value(r["value"]),
                "contribution": float(r["contribution"]),
                **({"standard_error": errors[r["feature"]]} if errors else {}),
            }
            for _, r in table.iterrows()
        ],
        "never_seen": list(unseen_categories(bundle, explanation.data.iloc[[0]])),
    }


def _row_text(bundle: Bundle, explanation: Explanation) -> str:
    card, output, fit = bundle.card, explanation.output, explanation.local_fit
    lines = [
        f"{card.entity} {explanation.row_ids[0]}: {say_output(float(explanation.prediction[0]), output)}"
        + (f" chance to {card.outcome_positive}" if output.is_chance else "")
    ]
    if fit is None:
        _, shown, _ = shown_reasons(explanation, 0)
        lines += [f"typical {card.entity}: {say_output(explanation.base_value, output)}", "reasons, largest first:"]
    else:
        # LIME's intercept is where its local straight line starts, not the model's output for a typical row
        # (it can be far from it), and its weights add up to the fit's own estimate, not to the model's output.
        _, shown, _ = rounded_to_add_up(explanation.base_value, explanation.values[0], fit.prediction, output.decimals)
        lines += [
            f"local fit intercept (where LIME's straight line starts): {say_output(fit.intercept, output)}",
            f"local fit estimate (intercept + weights): {say_output(fit.prediction, output)}",
            "local fit weights, largest first (they add up to the fit's estimate, not to the model's output):",
        ]
    by_feature = dict(zip(explanation.feature_names, shown, strict=True))
    errors = _errors(explanation)
    for _, r in explanation.contributions(0).iterrows():
        value = format_value(r["value"], card.feature(r["feature"]))
        size = say_reason(by_feature[r["feature"]], output)
        if errors:  # an estimate: each figure with its standard error
            size += f" ± {errors[r['feature']]:.{max(output.decimals, 1)}f}"
        lines.append(f"  {size:>18}  {card.label(r['feature'])}: {value}")
    lines.append(f"method: {explanation.method}" + ("" if explanation.provenance.exact else " (an estimate)"))
    row = explanation.data.iloc[[0]]
    lines += [f"note: {unseen_sentence(c, row.iloc[0][c], card)}" for c in unseen_categories(bundle, row)]
    if fit is not None:
        quality = (
            f"below {POOR_FIT:.2f}: too poor a fit to confirm the reasons"
            if fit.fidelity < POOR_FIT
            else f"at least {POOR_FIT:.2f}, the bar for confirming the reasons"
        )
        lines.append(f"fidelity (local fit R², 0-1): {fit.fidelity:.2f}, {quality}")
    return "\n".join(lines)


def _errors(explanation: Explanation) -> dict[str, float]:
    """Each column's standard error, for an estimate that has them (else empty)."""
    if explanation.errors is None:
        return {}
    return {f: float(e) for f, e in zip(explanation.feature_names, explanation.errors[0], strict=True)}


def _assignment(text: str) -> tuple[str, str]:
    column, sep, value = text.partition("=")
    if not sep or not column.strip():
        raise PlainsightError(f"--set takes COLUMN=VALUE, like --set Contract='Two year'; got '{text}'.")
    return column.strip(), value.strip()


def suggest(args: argparse.Namespace) -> str:
    bundle = load(args)
    output = bundle.output
    position = bundle.position(args.row)
    if output.is_chance and not 0 < args.target < 100:
        raise PlainsightError("--target is a chance in percent for this model: a number between 0 and 100.")
    found = search(bundle, position, output.model_value(args.target))
    if args.format == "json":
        out = {
            "target": args.target,
            "current": output.shown(found.current),
            "suggestions": [
                {"changes": {c: json_value(v) for c, v in s.changes.items()}, "prediction": output.shown(s.prediction)}
                for s in found.suggestions
            ],
        }
        return json.dumps(out, indent=2, ensure_ascii=False)
    card = bundle.card

    def shown(value: float) -> str:
        return say_output(output.shown(value), output)

    target = say_output(args.target, output)
    if not found.reached:
        return f"Nothing within reach gets {card.entity} {args.row} to {target}."
    lines = [f"{card.entity} {args.row}: now {shown(found.current)}, target {target}"]
    for s in found.suggestions:
        changes = ", ".join(f"{card.label(c)} = {format_value(v, card.feature(c))}" for c, v in s.changes.items())
        lines.append(f"  {shown(s.prediction):>10}  {changes}")
    return "\n".join(lines)
