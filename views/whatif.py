"""What-if: change a customer's situation and see the chance and the reasons move; find what it would take."""

import pandas as pd
import streamlit as st

from explain.analyses.suggest import default_target, suggest
from explain.analyses.whatif import change_sentence, changed_columns, column_ranges_cached, unseen_values
from explain.errors import PlainsightError
from explain.figures.charts import compare_figure
from explain.methods.explanation import POINTS
from explain.methods.shap import explain_shap
from explain.words.formatting import escape_markdown, format_chance, format_contribution, format_value, format_with_unit
from explain.words.narrative import decimals, join_words, lower_label, output_label
from ui.cache import row_explanation
from ui.context import current
from ui.picker import pick_customer
from ui.text import sentences

MAX_SCENARIOS = 3

context = current()
bundle, card = context.bundle, context.bundle.card
row_id, position = pick_customer(bundle)
before = row_explanation(bundle, bundle.fingerprint, position)
original = bundle.X.iloc[position]
ranges = column_ranges_cached(bundle)
chance = before.unit == POINTS
places = None if chance else decimals(before, card)  # one precision for every amount on the page
prefix = f"whatif:{bundle.name}:{row_id}:"
scenarios_key = f"scenarios:{bundle.name}:{row_id}"


def _shown(value: float) -> str:
    return format_chance(value / 100) if chance else format_with_unit(value, card.unit, decimals=places)


def _start(column: str):  # noqa: ANN202 - a number or a category
    """The control's starting value: the customer's own, or the typical value where it was not recorded."""
    value, spec = original[column], ranges[column]
    if spec.numeric:
        number = float(bundle.X[column].median()) if pd.isna(value) else float(value)
        return int(round(number)) if spec.step == 1 else number  # whole-number columns get whole-number sliders
    return "(not recorded)" if pd.isna(value) else str(value)


def _reset() -> None:
    for column in bundle.features:
        st.session_state[prefix + column] = _start(column)


def _apply(changes: dict) -> None:
    _reset()
    for column, value in changes.items():
        spec = ranges[column]
        if spec.numeric:
            st.session_state[prefix + column] = int(round(value)) if spec.step == 1 else float(value)
        else:
            st.session_state[prefix + column] = str(value)


st.title(escape_markdown(f"What if: {card.entity} {row_id}"))
st.caption(
    escape_markdown(
        f"Change this {card.entity}'s situation and see what the model says. Nothing here changes your data."
    )
)


@st.fragment
def playground() -> None:
    """Everything a control move changes; reruns alone, so the rest of the page is not redrawn."""
    values = {}
    columns = st.columns(3)
    for i, column in enumerate(bundle.features):
        spec, key = ranges[column], prefix + column
        if key not in st.session_state:
            st.session_state[key] = _start(column)
        label = card.label(column) + (f" ({card.feature(column).unit})" if card.feature(column).unit else "")
        with columns[i % 3]:
            if spec.numeric:
                assert spec.control_low is not None and spec.control_high is not None and spec.step is not None
                whole = spec.step == 1
                low, high = (
                    (int(spec.control_low), int(spec.control_high)) if whole else (spec.control_low, spec.control_high)
                )
                step = 1 if whole else spec.step
                values[column] = st.slider(escape_markdown(label), low, high, step=step, key=key)
            else:
                options = list(spec.categories) + (["(not recorded)"] if pd.isna(original[column]) else [])
                if str(st.session_state[key]) not in options:
                    options.append(str(st.session_state[key]))
                values[column] = st.selectbox(escape_markdown(label), options, key=key)

    row = bundle.X.iloc[[position]].copy()
    for column, value in values.items():
        untouched = pd.isna(original[column]) and value == _start(column)
        if not untouched:
            row[column] = float(value) if ranges[column].numeric else str(value)
    after = explain_shap(bundle, X=row)
    changes = changed_columns(bundle, position, row)
    old, new = float(before.prediction[0]), float(after.prediction[0])

    left, right = st.columns([1, 2])
    label = output_label(before, card)
    if chance:
        delta = f"{new - old:+.1f} points"
    else:  # the difference of the two figures as shown, so the three agree
        delta = format_contribution(round(new, places) - round(old, places), card.unit or "", decimals=places)
    left.metric(
        escape_markdown(label),
        _shown(new),
        delta=None if not changes else delta,
        delta_color="inverse" if chance else "off",  # a higher chance to leave is bad; a higher amount need not be
    )
    left.caption(escape_markdown(f"Now: {_shown(old)}"))
    with right:
        scale = 100 if chance else 1
        sentences([change_sentence(old / scale, new / scale, changes, card, chance=chance, decimals=places)])
        flagged = unseen_values(bundle, row)
        if flagged:
            names = ", ".join(card.label(c) for c in flagged)
            st.warning(escape_markdown(f"Outside what the model has seen: {names}. Treat the answer with care."))
        st.button("Reset to the real values", on_click=_reset, key=f"{prefix}reset")
    st.plotly_chart(compare_figure(before, after, card, decimals=places), key="compare_chart")

    saved = st.session_state.setdefault(scenarios_key, [])
    name_col, button_col = st.columns([3, 1])
    name = name_col.text_input("Name this scenario", key=f"{prefix}name", placeholder="e.g. Two-year offer")
    full = len(saved) >= MAX_SCENARIOS
    if button_col.button("Save scenario", key=f"{prefix}save", disabled=full or not changes):
        saved.append({"name": name.strip() or f"Scenario {len(saved) + 1}", "changes": changes, "result": new})
    if full:
        st.caption(f"You can keep {MAX_SCENARIOS} scenarios for a {card.entity}; clear them to save more.")
    if saved:
        table = pd.DataFrame(
            [{"Scenario": "Now (real values)", "Changes": "none", "Result": _shown(old)}]
            + [
                {
                    "Scenario": s["name"],
                    "Changes": "; ".join(
                        f"{card.label(c)}: {format_value(v, card.feature(c))}" for c, v in s["changes"].items()
                    ),
                    "Result": _shown(s["result"]),
                }
                for s in saved
            ]
        )
        st.dataframe(table, hide_index=True)
        if st.button("Clear scenarios", key=f"{prefix}clear"):
            saved.clear()
            st.rerun(scope="fragment")


playground()

st.subheader("What would it take?")
actionable = [card.label(c) for c in bundle.features if card.feature(c).actionable is not False]
fixed = [card.label(c) for c in bundle.features if card.feature(c).actionable is False]
st.caption(
    escape_markdown(
        "Looks for the fewest, smallest changes to what you can act on"
        + (f" (never {', '.join(fixed).lower()})" if fixed else "")
        + ". Each answer is checked with the model."
    )
)
current_value = float(before.prediction[0])
if chance:
    default = max(1, int(round(current_value / 2)))  # halve the chance: the usual question is how to lower it
    target = st.slider(
        f"Target chance to {escape_markdown(card.outcome_positive)} (%)", 1, 99, default, key=f"{prefix}target"
    )
    target_value = target / 100
else:
    what = output_label(before, card)
    start, step = default_target(current_value, bundle.outputs)
    st.caption(
        escape_markdown(
            f"Pick the {lower_label(what)} to reach, above or below {_shown(current_value)} now: "
            "the search looks for changes that get there."
        )
    )
    target_value = st.number_input(
        escape_markdown(f"Target {lower_label(what)}" + (f" ({card.unit})" if card.unit else "")),
        value=start,
        step=step,
        format="%.0f" if places == 0 else f"%.{places}f",
        key=f"{prefix}target",
    )
if st.button("Find changes", key=f"{prefix}find", type="primary"):
    try:
        found = suggest(bundle, position, target_value)
    except PlainsightError as exc:
        st.error(escape_markdown(str(exc)))
    else:
        st.session_state[f"{prefix}found"] = found
found = st.session_state.get(f"{prefix}found")
if found is not None:
    if not found.reached:
        st.info(
            escape_markdown(
                f"No change of up to three things you can act on reaches "
                f"{_shown(found.target * (100 if chance else 1))} for this {card.entity}."
            )
        )
    for i, s in enumerate(found.suggestions):
        words = join_words(
            [f"{lower_label(card.label(c))} to {format_value(v, card.feature(c))}" for c, v in s.changes.items()]
        )
        result = _shown(s.prediction * (100 if chance else 1))
        text, button = st.columns([4, 1])
        text.markdown(escape_markdown(f"Change {words or 'nothing'}: {result}."))
        button.button("Try this", key=f"{prefix}try{i}", on_click=_apply, args=(s.changes,))
