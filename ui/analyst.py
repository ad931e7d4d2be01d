"""The analyst's notes on how an explanation was made. Technical words are allowed here, and labelled."""

from __future__ import annotations

import streamlit as st

from explain.analyses.agreement import agreement
from explain.bundle.card import Card
from explain.methods.explanation import POINTS, Explanation
from explain.words.formatting import escape_markdown
from explain.words.narrative import decimals

_METHODS = {
    "xgboost-tree-exact": "exact TreeSHAP from XGBoost's own `pred_contribs` (path-dependent)",
    "tree-shap-exact": "exact TreeSHAP from `shap.TreeExplainer` (path-dependent)",
    "linear-exact": "the closed form for linear models, coef × (x − mean of the reference data)",
    "permutation-sampling": "model-agnostic permutation sampling of Shapley values (`shap.PermutationExplainer`)",
}


def method_note(explanation: Explanation, card: Card | None = None) -> None:
    """Say which method made the numbers and how their unit relates to the model's own output."""
    method = _METHODS.get(explanation.method, explanation.method)
    lines = [f"**Method (SHAP values):** {method}, summed from encoded columns back to raw columns."]
    params = explanation.params
    if "background_rows" in params:
        lines.append(f"Background sample: {params['background_rows']} rows, seed {params['seed']}.")
    if "sampled_rows" in params:
        lines.append(f"Population view computed on a seeded sample of {params['sampled_rows']} rows.")
    if explanation.unit == POINTS and params.get("native_space") == "log-odds":
        lines.append(
            "**Units:** the model adds up in log-odds. Each row's log-odds SHAP values are multiplied by one "
            "factor, (chance − baseline chance) / (log-odds − baseline log-odds), where the baseline chance is "
            "sigmoid(baseline log-odds). The factor is positive (the sigmoid is increasing), so every value keeps "
            "its sign and its share, and the values add up exactly to the chance minus the baseline. "
            f"Baseline: {explanation.native_base:.4f} log-odds = {explanation.base_value:.2f}%."
        )
    elif explanation.unit == POINTS:
        lines.append("**Units:** the method works directly on the chance, so the values are percentage points as is.")
    elif params.get("native_space") == "log":
        lines.append(
            "**Units:** the model adds up in log space (its output is exp of the sum). Each row's log-space SHAP "
            "values are multiplied by one positive factor, (prediction − baseline) / (log prediction − log "
            f"baseline), so they keep their sign and share and add up exactly to the prediction in "
            f"{escape_markdown(explanation.unit)}. Baseline: {explanation.base_value:,.4f}."
        )
    else:
        lines.append(
            f"**Units:** the model's own output, {escape_markdown(explanation.unit)}, with no conversion: "
            f"baseline {explanation.base_value:,.4f} (the model's average output: over its training data for "
            "tree models, over the reference data for linear ones) plus the row's values equals model.predict."
        )
        if card is not None:
            places = decimals(explanation, card)
            lines.append(
                f"Stakeholder text rounds amounts to {places} decimal{'s' if places != 1 else ''}, with the "
                "contributions rounded by largest remainder so that the shown figures add up exactly."
            )
    lines.append(f"Largest additivity gap over these rows: {explanation.additivity_gap():.2e} {explanation.unit}.")
    st.markdown("\n\n".join(lines))


def lime_note(shap_explanation: Explanation, lime: Explanation | str) -> None:
    """Say how LIME was run, how well its local fit holds, and where it agrees with SHAP."""
    if isinstance(lime, str):
        st.warning(f"LIME failed on this row: {escape_markdown(lime)}")
        return
    params = lime.params
    found = agreement(shap_explanation, lime)
    st.markdown(
        f"**LIME (a second, independent check):** a weighted linear fit on {params['num_samples']:,} perturbed "
        f"rows around this one (quartile bins for numbers, categories as categories, seed {params['seed']}). "
        f"Fidelity (weighted R² of the local fit): **{params['fidelity']:.2f}**. Its intercept plus weights give "
        f"{params['local_prediction']:.1f}, against the model's {float(lime.prediction[0]):.1f}: LIME's weights are "
        f"a local approximation and do not add up to the prediction, unlike SHAP's. "
        f"Top {found.n} by size — SHAP: {escape_markdown(', '.join(found.first))}; "
        f"LIME: {escape_markdown(', '.join(found.second))} ({found.shared} shared)."
    )
