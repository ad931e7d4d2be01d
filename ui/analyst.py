"""The analyst's notes on how an explanation was made. Technical words are allowed here, and labelled."""

from __future__ import annotations

import streamlit as st

from explain.explanation import POINTS, Explanation

_METHODS = {
    "xgboost-tree-exact": "exact TreeSHAP from XGBoost's own `pred_contribs` (path-dependent)",
    "tree-shap-exact": "exact TreeSHAP from `shap.TreeExplainer` (path-dependent)",
    "linear-exact": "the closed form for linear models, coef × (x − mean of the reference data)",
    "permutation-sampling": "model-agnostic permutation sampling of Shapley values (`shap.PermutationExplainer`)",
}


def method_note(explanation: Explanation) -> None:
    """Say which method made the numbers and how percentage points relate to the model's log-odds."""
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
    lines.append(f"Largest additivity gap over these rows: {explanation.additivity_gap():.2e} {explanation.unit}.")
    st.markdown("\n\n".join(lines))
