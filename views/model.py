"""How the model works: what each factor does, how good the model is, what it assumes and was not built for."""

import pandas as pd
import streamlit as st

from explain.analyses.coefficients import (
    LinearEffects,
    coefficients_table,
    effect_sentence,
    odds_explainer,
    typical_change_text,
)
from explain.analyses.dependence import dependence, dependence_sentence
from explain.analyses.importance import global_importance
from explain.figures.model import dependence_figure, effects_figure, partial_dependence_figure
from explain.methods.explanation import POINTS
from explain.words.formatting import escape_markdown, format_chance
from explain.words.narrative import target_words
from ui import analyst
from ui.cache import linear_effects_cached, partial_dependence_cached, population_explanation
from ui.context import current
from ui.quality import quality_section
from ui.text import bullets, sentences

MAIN_FACTORS = 4

context = current()
bundle, card = context.bundle, context.bundle.card
explanation = population_explanation(bundle)
importance = global_importance(explanation)
result = linear_effects_cached(bundle, bundle.fingerprint)
what = (
    f"the chance to {card.outcome_positive}"
    if explanation.unit == POINTS
    else (f"the expected {target_words(card)}" if target_words(card) else "the prediction")
)

st.title("How the model works")
if isinstance(result, LinearEffects):
    sentences(
        [
            f"This model adds up one fixed effect per fact about a {card.entity}.",
            "So each fact always pushes the same way, by the same amount, whatever else is true.",
        ]
    )
    st.subheader("What each fact does")
    lines = [effect_sentence(e, card, classifier=result.classifier) for e in result.effects]
    bullets(lines[:10])
    if len(lines) > 10:
        with st.expander(f"{len(lines) - 10} smaller effects"):
            bullets(lines[10:])
    if result.classifier:
        st.caption(escape_markdown(odds_explainer(card)))

    st.subheader("The effects side by side")
    typical = format_chance(result.typical_chance)
    st.caption(
        escape_markdown(
            "Each bar is the effect of a typical change: for a number, from the lower to the upper quarter of your "
            f"{card.entities} (half of them are in between); for a choice, against the most common one. "
            + (
                f"Shown for a {card.entity} with middle values and the most common choices, whose chance to "
                f"{card.outcome_positive} is {typical}."
                if result.classifier
                else ""
            )
        )
    )
    st.plotly_chart(effects_figure(result, card), key="effects_chart")
else:
    sentences(
        [
            f"In this model, how much a fact matters can depend on its level and on the other facts about a "
            f"{card.entity}.",
            f"So here is how each main fact moves {what}, across its range.",
        ]
    )
    st.subheader(escape_markdown(f"How the main facts move {what}"))
    st.caption(
        escape_markdown(
            f"For numbers, each dot is one {card.entity} (how much this fact moves their result) and the line is "
            "the average; for choices, each bar is the average."
        )
    )
    main = list(importance["feature"][:MAIN_FACTORS])
    for pair in range(0, len(main), 2):
        for column, feature in zip(st.columns(2), main[pair : pair + 2], strict=False):
            with column:
                dep = dependence(explanation, feature)
                st.markdown(f"**{escape_markdown(card.label(feature))}**")
                st.markdown(escape_markdown(dependence_sentence(dep, card)))
                st.plotly_chart(dependence_figure(dep, card), key=f"dependence_{feature}")

if context.analyst:
    with st.expander("Analyst detail: how these effects were measured", expanded=True):
        if isinstance(result, LinearEffects):
            space = "log-odds" if result.classifier else escape_markdown(card.unit or "the target's unit")
            st.markdown(
                f"**Coefficients in raw units ({space}).** Measured on the fitted pipeline: each column moved by one "
                "raw unit (categories: switched from the most common value) on a typical row, reading the model's "
                "native output. This undoes imputers, scalers and one-hot encoding whatever their kind; each "
                "number was checked to move the output along a straight line. "
                f"Intercept (on the encoded scale): **{result.intercept:.4f}**."
            )
            # The same records `plainsight coefficients` prints, with the typical change each bar stands for.
            table = pd.DataFrame(coefficients_table(result, card)).rename(
                columns={
                    "feature": "column",
                    "coefficient": "coefficient (raw units)",
                    "odds_ratio": "odds ratio",
                    "encoded_coefficient": "encoded coefficient",
                    "scale": "scale undone",
                    "center": "center (encodes to 0)",
                }
            )
            table["typical change"] = [typical_change_text(e, card) for e in result.effects]
            shown = [c for c in table.columns if c not in ("kind", "reference", "typical_change")]
            places = {"coefficient (raw units)": 6, "odds ratio": 4, "encoded coefficient": 6, "scale undone": 6}
            st.dataframe(table[shown].round({**places, "center (encodes to 0)": 4}), hide_index=True)
            if result.left_out:
                st.caption(
                    escape_markdown(
                        "Rare values not listed: " + ", ".join(f"{c} ({n})" for c, n in result.left_out.items())
                    )
                )
        else:
            st.markdown(
                f"**No per-unit coefficients:** {escape_markdown(result.reason)}. The dots above are each row's "
                "SHAP value for the column (the line: their average per value range). Partial dependence below: "
                "the model's average output with the column set to each value for a seeded sample of 400 rows."
            )
            analyst.method_note(explanation)
            for column, feature in zip(st.columns(2) * 2, importance["feature"][:MAIN_FACTORS], strict=False):
                frame = partial_dependence_cached(bundle, bundle.fingerprint, feature)
                column.plotly_chart(
                    partial_dependence_figure(frame, feature, card, classifier=bundle.is_classifier),
                    key=f"partial_{feature}",
                )

quality_section(bundle, analyst_view=context.analyst)

st.subheader("What this model assumes, and what it was not built for")
if card.assumptions:
    st.markdown("**What it assumes**")
    bullets(list(card.assumptions))
if card.limitations:
    st.markdown("**What this model was not built for**")
    bullets(list(card.limitations))
if not card.assumptions and not card.limitations:
    st.info(
        escape_markdown(
            "The model card lists no assumptions or limits. Ask the model's author what it was not built for, "
            "and add it to card.yaml under assumptions: and limitations:."
        )
    )
