"""Overview: what drives the model's predictions across all customers."""

import numpy as np
import pandas as pd
import streamlit as st

from explain.analyses.importance import global_importance, risk_summary
from explain.export.content import overview_slide
from explain.figures.charts import importance_figure
from explain.methods.explanation import POINTS
from explain.words.formatting import escape_markdown, format_chance, format_with_unit, unit_name
from explain.words.narrative import decimals, output_label, overview_drivers, overview_headline, target_words
from ui import analyst
from ui.cache import population_explanation
from ui.context import current
from ui.export import download_buttons, file_stem
from ui.text import bullets, sentences

context = current()
bundle, card = context.bundle, context.bundle.card
explanation = population_explanation(bundle)
importance = global_importance(explanation)
risk = risk_summary(explanation, card) if bundle.is_classifier else None

st.title(escape_markdown(card.title))
sentences(overview_headline(importance, risk, explanation, card), size="large")

columns = st.columns(3)
columns[0].metric(escape_markdown(card.entities.capitalize()), f"{len(explanation):,}")
if risk is not None:
    columns[1].metric(
        escape_markdown(f"At high risk ({format_chance(risk.threshold)} or more)"),
        f"{risk.n_high:,} ({format_chance(risk.share_high)})",
        help=escape_markdown(
            f"{card.entities.capitalize()} whose chance to {card.outcome_positive} is "
            f"{format_chance(risk.threshold)} or higher, and their share of all {card.entities}."
        ),
    )
    columns[2].metric(escape_markdown(f"Average chance to {card.outcome_positive}"), format_chance(risk.mean_chance))
else:
    places = decimals(explanation, card)
    label = output_label(explanation, card)
    if len(explanation):
        low, mean, high = (
            format_with_unit(float(f(explanation.prediction)), card.unit, decimals=places)
            for f in (np.min, np.mean, np.max)
        )
        columns[1].metric(escape_markdown(f"Average {label[:1].lower()}{label[1:]}"), mean)
        columns[2].metric("From lowest to highest", f"{low} to {high}")

if explanation.unit == POINTS:
    what = f"the chance to {card.outcome_positive}"
    unit_words = ", in percentage points"
else:
    target = target_words(card)
    what = f"the expected {target}" if target else "the prediction"
    unit_words = f", in {unit_name(card.unit)}" if card.unit else ""
st.subheader(escape_markdown(f"What moves {what} most"))
st.caption(escape_markdown(f"How much each factor moves {what} for a typical {card.entity}{unit_words}."))
places = None if explanation.unit == POINTS else decimals(explanation, card)
st.plotly_chart(importance_figure(importance, card, unit=explanation.unit, decimals=places), key="importance_chart")
bullets(overview_drivers(explanation, importance, card))

if context.analyst:
    with st.expander("Analyst detail: how these numbers were made", expanded=True):
        analyst.method_note(explanation, card)
        table = pd.DataFrame(
            {
                "column": importance["feature"],
                "label": [card.label(f) for f in importance["feature"]],
                f"mean |SHAP| ({explanation.unit})": importance["importance"].round(3),
                "share of total": importance["share"].round(3),
                "rows where it raises the output": importance["raises"].round(3),
            }
        )
        st.dataframe(table, hide_index=True)

st.subheader("Export for a deck")
download_buttons(
    lambda: [overview_slide(bundle, analyst=context.analyst, explanation=explanation)],
    file_stem(bundle.name, "overview"),
    key="overview_export",
)
