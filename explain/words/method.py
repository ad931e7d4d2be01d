"""How an explanation was made, said once: in plain words for everyone, in technical words for the analyst.

The method's own words come from the registry (:mod:`explain.methods.registry`), where each method keeps them
beside its code; here they are put in sentences with the sample, the seed and the unit conversion.
"""

from __future__ import annotations

import numpy as np

from explain.analyses.agreement import POOR_FIT, Agreement
from explain.errors import NotAvailable
from explain.methods.explanation import Explanation
from explain.methods.registry import get_method
from explain.words.checks import agreement_sentence


def how_made(explanation: Explanation, *, entities: str = "rows") -> str:
    """For a stakeholder: "Reasons worked out exactly from the model", with the sample when there is one."""
    text = f"Reasons {get_method(explanation.method).plain}"
    sample = explanation.provenance.sample
    if sample is not None:
        text += f", for a sample of {sample.rows:,} of your {sample.of:,} {entities}"
    return text


def how_made_analyst(explanation: Explanation) -> str:
    """For an analyst, in one line: "SHAP values by xgboost-tree-exact (100 background rows, seed 0)"."""
    provenance = explanation.provenance
    text = f"SHAP values by {provenance.method}"
    if provenance.background_rows is not None:
        text += f" ({provenance.background_rows} background rows, seed {provenance.seed})"
    return text


def sample_sentence(explanation: Explanation, entities: str) -> str | None:
    """Said wherever a whole-population figure comes from a sample of the rows, None when every row was used."""
    sample = explanation.provenance.sample
    if sample is None:
        return None
    if not explanation.provenance.exact:
        return (
            f"This model needs a slower method, so what drives it was worked out from a sample of {sample.rows:,} "
            f"of your {sample.of:,} {entities}, picked at random. Counts and averages use every one of them."
        )
    # An exact method on a sample: there were too many rows to go through one by one in good time.
    return (
        f"You have {sample.of:,} {entities}, too many to go through one by one. So what drives the model was "
        f"worked out from {sample.rows:,} of them, picked at random. The counts and the list use every one of them."
    )


def method_lines(explanation: Explanation) -> list[str]:
    """The analyst's account of the numbers: the method, its sample, how the unit relates to the model, the gap."""
    provenance, output = explanation.provenance, explanation.output
    how = get_method(provenance.method).analyst
    lines = [f"Method (SHAP values): {provenance.method}, {how}, summed from encoded columns back to raw."]
    if provenance.background_rows is not None:
        lines.append(
            f"Background: a fresh draw of {provenance.background_rows} reference rows per sample, seed "
            f"{provenance.seed}."
        )
    if explanation.errors is not None and len(explanation):
        pairs = f"up to {provenance.permutations} antithetic pairs of orders per row" if provenance.permutations else ""
        lines.append(
            f"Standard errors: {pairs}; the largest standard error here is ±{float(explanation.errors.max()):.2f} "
            f"{output.name} and the median ±{float(np.median(explanation.errors)):.2f}. Each value is an estimate; "
            "about 19 in 20 such values lie within two standard errors of the exact interventional Shapley value."
        )
    if provenance.sample is not None:
        lines.append(
            f"Population view computed on a seeded sample of {provenance.sample.rows} of {provenance.sample.of} rows "
            f"(seed {provenance.sample.seed}); counts and averages use every row."
        )
    if output.is_chance and provenance.native_space == "log-odds":
        lines.append(
            "Units: the model adds up in log-odds. Each row's log-odds SHAP values are multiplied by one factor, "
            "(chance − baseline chance) / (log-odds − baseline log-odds), where the baseline chance is "
            "sigmoid(baseline log-odds). The factor is positive (the sigmoid is increasing), so every value keeps "
            "its sign and its share, and the values add up exactly to the chance minus the baseline. "
            f"Baseline: {explanation.native_base or 0.0:.4f} log-odds = {explanation.base_value:.2f}%."
        )
    elif output.is_chance and provenance.native_space == "class scores":
        lines.append(
            "Units: the model adds up in class scores, one per outcome, and its chances are their softmax. Each "
            "column's points are the change in this outcome's chance that its score contributions cause along the "
            "straight line from the baseline scores to the row's (integrated gradients, by 64-point Gauss-Legendre "
            "quadrature), so they add up exactly to the chance minus the baseline chance. "
            f"Baseline: {explanation.native_base or 0.0:.4f} in this outcome's score = {explanation.base_value:.2f}%."
        )
    elif output.is_chance:
        lines.append("Units: the method works directly on the chance, so the values are percentage points as is.")
    elif provenance.native_space == "log":
        lines.append(
            "Units: the model adds up in log space (its output is exp of the sum). Each row's log-space SHAP values "
            "are multiplied by one positive factor, (prediction − baseline) / (log prediction − log baseline), so "
            f"they keep their sign and share and add up exactly to the prediction in {output.name}. "
            f"Baseline: {explanation.base_value:,.4f}."
        )
    else:
        lines.append(
            f"Units: the model's own output, {output.name}, with no conversion: baseline "
            f"{explanation.base_value:,.4f} (the model's average output: over its training data for tree models, over "
            "the reference data for linear ones) plus the row's values equals model.predict."
        )
        lines.append(
            f"Stakeholder text rounds amounts to {output.decimals} decimal{'s' if output.decimals != 1 else ''}, "
            "with the contributions rounded by largest remainder so that the shown figures add up exactly."
        )
    if output.is_chance:
        lines.append(
            "Stakeholder text rounds the chance to whole percent and each reason to whole points, by largest "
            "remainder, so that the shown figures add up exactly."
        )
    lines.append(f"Largest additivity gap over these rows: {explanation.additivity_gap():.2e} {output.name}.")
    return lines


def lime_lines(lime: Explanation | NotAvailable, found: Agreement | None) -> list[str]:
    """The analyst's account of the second check: how LIME was run, how well its fit holds, where it agrees."""
    if isinstance(lime, NotAvailable):
        return [f"LIME failed on this row: {lime.reason}"]
    fit = lime.local_fit
    if fit is None:  # pragma: no cover - every LIME explanation has one
        return []
    lines = [
        f"LIME (a second, independent check): a weighted linear fit on {fit.samples:,} perturbed rows around this "
        f"one ({fit.discretizer} bins for numbers, categories as categories, seed {fit.seed}).",
        f"Fidelity (weighted R² of the local fit): {fit.fidelity:.2f}"
        + (
            f", below {POOR_FIT:.2f}: too poor a fit to confirm the reasons, so no agreement is claimed."
            if fit.fidelity < POOR_FIT
            else f" (a fit below {POOR_FIT:.2f} is called too poor to confirm the reasons)."
        ),
        f"Its intercept ({fit.intercept:.1f}, the local fit's starting point, not a typical row) plus weights give "
        f"{fit.prediction:.1f}, against the model's {float(lime.prediction[0]):.1f}: LIME's weights are a local "
        "approximation and do not add up to the prediction, unlike SHAP's.",
    ]
    if found is not None and found.n > 0:
        opposite = f"; opposite sign: {', '.join(found.opposite)}" if found.opposite else ""
        lines.append(
            f"Top {found.n} by size — SHAP: {', '.join(found.first)}; LIME: {', '.join(found.second)} "
            f"({found.shared} shared with the same sign{opposite})."
        )
    if found is not None and found.columns <= found.asked:
        lines.append(
            f"Only the top {found.n} compared, not {found.asked}: with {found.columns} "
            f"column{'s' if found.columns != 1 else ''}, the top {found.asked} would always be the same set."
        )
    return lines


def second_check_sentence(
    lime: Explanation | NotAvailable, found: Agreement | None, *, exact: bool, entity: str
) -> str:
    """The stakeholder's line on the second check: whether it agrees, or that it could not run."""
    if isinstance(lime, NotAvailable) or found is None:
        return f"A second, independent check could not run for this {entity}."
    return agreement_sentence(found, exact=exact, entity=entity)
