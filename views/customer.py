"""Customer: one customer's chance, the reasons for it adding up from a typical customer, and a second check."""

import pandas as pd
import streamlit as st

from explain.analyses.agreement import agreement
from explain.analyses.business import value_at_risk_sentence
from explain.export.content import customer_slide
from explain.figures.charts import icon_array_figure, waterfall_figure
from explain.methods.explanation import POINTS
from explain.words.formatting import escape_markdown, format_chance, format_value, unit_name
from explain.words.narrative import customer_headline, output_label, output_text, reason_sentences, target_words
from ui import analyst
from ui.cache import lime_explanation, row_explanation
from ui.context import current
from ui.export import download_buttons, file_stem
from ui.picker import pick_customer
from ui.text import sentences

context = current()
bundle, card = context.bundle, context.bundle.card
row_id, position = pick_customer(bundle)
explanation = row_explanation(bundle, bundle.fingerprint, position)
second = lime_explanation(bundle, bundle.fingerprint, position)

st.title(escape_markdown(f"{card.entity.capitalize()} {row_id}"))
left, middle, right = st.columns([1, 1, 2])
prediction = float(explanation.prediction[0])
if explanation.unit == POINTS:
    left.metric(escape_markdown(f"Chance to {card.outcome_positive}"), format_chance(prediction / 100))
    at_risk = value_at_risk_sentence(prediction / 100, card)
    if at_risk:
        left.caption(escape_markdown(at_risk))
    middle.plotly_chart(icon_array_figure(prediction / 100, card), key="icon_array", width="content")
else:
    left.metric(escape_markdown(output_label(explanation, card)), output_text(prediction, explanation, card))
with right:
    sentences(customer_headline(explanation, 0, card))
    if isinstance(second, str):
        st.caption(escape_markdown("A second, independent check could not run for this " + card.entity + "."))
    else:
        st.markdown(escape_markdown(agreement(explanation, second).sentence))

st.subheader("Why")
if explanation.unit == POINTS:
    what, total = "the chance, in percentage points", "chance"
else:
    target = target_words(card)
    what = (f"the expected {target}" if target else "the prediction") + (
        f", in {unit_name(card.unit)}" if card.unit else ""
    )
    total = f"expected {target}" if target else "prediction"
st.caption(
    escape_markdown(
        f"Starting from a typical {card.entity}, each bar shows how one fact about this {card.entity} moves {what}. "
        f"They add up to this {card.entity}'s {total}."
    )
)
st.plotly_chart(waterfall_figure(explanation, 0, card), key="waterfall_chart")
sentences(reason_sentences(explanation, 0, card))

if context.analyst:
    with st.expander("Analyst detail: the numbers behind the chart", expanded=True):
        analyst.method_note(explanation, card)
        table = explanation.contributions(0)
        frame = pd.DataFrame(
            {
                "column": table["feature"],
                "label": [card.label(f) for f in table["feature"]],
                "value": [format_value(r["value"], card.feature(r["feature"])) for _, r in table.iterrows()],
                f"SHAP ({explanation.unit})": table["contribution"].round(4),
            }
        )
        if explanation.native_values is not None:
            native = dict(zip(explanation.feature_names, explanation.native_values[0], strict=True))
            frame["SHAP (log-odds)"] = [round(float(native[f]), 5) for f in table["feature"]]
        if not isinstance(second, str):
            weights = dict(zip(second.feature_names, second.values[0], strict=True))
            frame[f"LIME ({second.unit})"] = [round(float(weights[f]), 4) for f in table["feature"]]
        st.dataframe(frame, hide_index=True)
        analyst.lime_note(explanation, second)

st.subheader("Export for a deck")
download_buttons(
    lambda: [customer_slide(bundle, position, analyst=context.analyst, explanation=explanation)],
    file_stem(bundle.name, card.entity, row_id),
    key="customer_export",
)
