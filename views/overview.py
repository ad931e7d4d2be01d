"""Overview: what drives the model's predictions across all customers."""

import pandas as pd
import streamlit as st

from explain.charts import importance_figure
from explain.explanation import POINTS
from explain.formatting import escape_markdown, format_chance, format_with_unit
from explain.importance import global_importance, risk_summary
from explain.narrative import overview_drivers, overview_headline
from ui import analyst
from ui.cache import population_explanation
from ui.context import current
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
    columns[1].metric("Average expected", format_with_unit(float(explanation.prediction.mean()), card.unit))

what = f"the chance to {card.outcome_positive}" if explanation.unit == POINTS else "the prediction"
st.subheader(escape_markdown(f"What moves {what} most"))
st.caption(
    escape_markdown(
        f"How much each factor moves {what} for a typical {card.entity}, in percentage points."
        if explanation.unit == POINTS
        else f"How much each factor moves the prediction for a typical {card.entity}."
    )
)
st.plotly_chart(importance_figure(importance, card, unit=explanation.unit), key="importance_chart")
bullets(overview_drivers(explanation, importance, card))

if context.analyst:
    with st.expander("Analyst detail: how these numbers were made", expanded=True):
        analyst.method_note(explanation)
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
