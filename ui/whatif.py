"""The what-if page's controls and the part of the page each move reruns (a fragment), over the engine's
what-if and suggestion reports."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import streamlit as st

from explain.analyses.suggest import default_target, suggestion_target
from explain.analyses.whatif import ColumnRange, column_ranges_cached
from explain.bundle import Bundle
from explain.errors import PlainsightError
from explain.figures.explanation import compare_figure
from explain.reports import suggestions_report
from explain.words.escape import escape_label, escape_markdown
from explain.words.numbers import format_value, say_output, unit_name
from explain.words.whatif import search_caption
from ui import cache, render
from ui.profiling import profiled

MAX_SCENARIOS = 3
NOT_RECORDED = "(not recorded)"
NOT_RECORDED_HINT = "not recorded: type a number to try one"


# On a narrow screen the controls stack in one long column: the answer sticks to the top of the screen, so the
# reader sees it move as they change a control far below it. It is the answer's wrapper that sticks, within the
# block that holds the controls and the chart. (A fixed style: nothing from data goes into it.)
STICKY_ANSWER = """<style>
@media (max-width: 640px) {
  [data-testid="stLayoutWrapper"]:has(> .st-key-whatif_answer) {
    position: sticky; top: 3.75rem; z-index: 10; background: #ffffff;
    border-bottom: 1px solid rgba(20, 22, 28, 0.2); padding-bottom: 0.25rem;
  }
  .st-key-whatif_answer [data-testid="stMetricValue"] { font-size: 1.75rem; }
}
</style>"""


def _places(step: float) -> int:
    """The decimals a control needs to show every value its step reaches: 0.005 -> 3, 0.5 -> 1, 10 -> 0."""
    return max(0, -math.floor(math.log10(step)))


class WhatIf:
    """One customer's what-if state: the session keys of their controls, scenarios and found changes."""

    def __init__(self, bundle: Bundle, position: int, row_id: str) -> None:
        self.bundle, self.position = bundle, position
        self.original = bundle.X.iloc[position]
        self.ranges = column_ranges_cached(bundle)
        self.prefix = f"whatif:{bundle.name}:{row_id}:"
        self.scenarios_key = f"scenarios:{bundle.name}:{row_id}"

    def binary(self, column: str) -> bool:
        """A yes/no fact kept as 0 and 1: its control says yes or no, never a slider from 0 to 1."""
        return self.bundle.card.feature(column).binary

    def start(self, column: str) -> Any:
        """A control's starting value: the customer's own, or nothing (shown "not recorded") where there is none,
        never a typical value the reader could take for the customer's own."""
        value, spec = self.original[column], self.ranges[column]
        if self.binary(column):
            return NOT_RECORDED if pd.isna(value) else ("Yes" if float(value) == 1 else "No")
        if spec.numeric:
            if pd.isna(value):
                return None  # an empty box that says "not recorded" until the reader types a number
            number = float(value)
            return int(round(number)) if spec.step == 1 else number  # whole-number columns get whole-number sliders
        return NOT_RECORDED if pd.isna(value) else str(value)

    def reset(self) -> None:
        for column in self.bundle.features:
            st.session_state[self.prefix + column] = self.start(column)

    def open_with(self, asked: dict[str, str]) -> None:
        """Apply the changes a link asks for ("try it in What if"), once for each link."""
        mark = (self.prefix, tuple(sorted(asked.items())))
        if not asked or st.session_state.get("_whatif_opened") == mark:
            return
        changes: dict[str, Any] = {}
        for column, text in asked.items():
            spec = self.ranges.get(column)
            if spec is None:
                continue
            try:
                changes[column] = float(text) if spec.numeric else text
            except ValueError:
                continue
        self.apply(changes)
        st.session_state["_whatif_opened"] = mark

    def apply(self, changes: dict[str, Any]) -> None:
        self.reset()
        for column, value in changes.items():
            spec = self.ranges[column]
            if self.binary(column):
                st.session_state[self.prefix + column] = "Yes" if float(value) == 1 else "No"
            elif not spec.numeric:
                st.session_state[self.prefix + column] = str(value)
            else:
                st.session_state[self.prefix + column] = int(round(value)) if spec.step == 1 else float(value)

    def _at_own_value(self, column: str, value: Any) -> bool:
        """A slider cannot sit between its steps, so it snaps the customer's own value to the nearest one; that
        position means "as it is", not a change."""
        spec, original = self.ranges[column], self.original[column]
        if not spec.numeric or self.binary(column) or pd.isna(original) or spec.step is None:
            return False
        return abs(float(value) - float(original)) <= spec.step / 2

    def row(self) -> pd.DataFrame:
        """The customer with the reader's values (from the controls' state, so the answer can come first)."""
        row = self.bundle.X.iloc[[self.position]].copy()
        for column in self.bundle.features:
            key = self.prefix + column
            if key not in st.session_state:
                st.session_state[key] = self.start(column)
            value = st.session_state[key]
            if pd.isna(self.original[column]) and value == self.start(column) or value is None:
                continue  # untouched, and not recorded: the model sees the gap, as in the data
            if self._at_own_value(column, value):
                continue  # the slider's nearest position to the customer's own value (83.42 on a 0.5 step)
            if self.binary(column):
                row[column] = 1.0 if value == "Yes" else 0.0
            else:
                row[column] = float(value) if self.ranges[column].numeric else str(value)
        return row

    def controls(self) -> None:
        """A control for every column: sliders for numbers, yes/no for 0/1 facts, lists for categories."""
        card = self.bundle.card
        columns = st.columns(3)
        for i, column in enumerate(self.bundle.features):
            key = self.prefix + column
            unit = card.feature(column).unit
            label = escape_label(card.label(column) + (f" ({unit_name(unit)})" if unit else ""))
            with columns[i % 3]:
                missing = bool(pd.isna(self.original[column]))
                if self.binary(column):
                    st.selectbox(label, ["No", "Yes"] + ([NOT_RECORDED] if missing else []), key=key)
                elif missing and self.ranges[column].numeric:
                    self._unrecorded_number(self.ranges[column], label, key)
                else:
                    self._control(self.ranges[column], label, key, missing)

    @staticmethod
    def _unrecorded_number(spec: ColumnRange, label: str, key: str) -> Any:
        """A number the data does not hold: an empty box that says so, where the reader may type one (a slider
        would have to sit on some value, and the reader would take it for the customer's own)."""
        assert spec.control_low is not None and spec.control_high is not None and spec.step is not None
        if spec.step == 1:
            low, high, step = int(spec.control_low), int(spec.control_high), 1
            return st.number_input(label, low, high, step=step, key=key, placeholder=NOT_RECORDED_HINT)
        places = _places(spec.step)  # as fine as the step: 0.003 is not shown as 0.00
        return st.number_input(
            label,
            spec.control_low,
            spec.control_high,
            step=spec.step,
            format=f"%.{places}f",
            key=key,
            placeholder=NOT_RECORDED_HINT,
        )

    @staticmethod
    def _control(spec: ColumnRange, label: str, key: str, missing: bool) -> Any:
        if spec.numeric:
            assert spec.control_low is not None and spec.control_high is not None and spec.step is not None
            if spec.step == 1:
                return st.slider(label, int(spec.control_low), int(spec.control_high), step=1, key=key)
            # Finer than a hundredth, as fine as the step: a value of 0.003 is not shown as 0.00.
            fine = {"format": f"%.{_places(spec.step)}f"} if _places(spec.step) > 2 else {}
            return st.slider(label, spec.control_low, spec.control_high, step=spec.step, key=key, **fine)
        options = list(spec.categories) + ([NOT_RECORDED] if missing else [])
        if str(st.session_state[key]) not in options:
            options.append(str(st.session_state[key]))
        return st.selectbox(label, options, key=key)

    def playground(self) -> None:
        """Everything a control move changes; reruns alone (a fragment), so the rest of the page is not redrawn."""
        st.fragment(self._playground)()

    def _playground(self) -> None:
        with profiled("what-if-move"):
            self._answer_and_controls()

    def _answer_and_controls(self) -> None:
        bundle, output = self.bundle, self.bundle.output
        # The answer comes first, beside the controls that change it; on a phone it stays in view above them as
        # the reader scrolls through the controls (sticky: see STICKY_ANSWER).
        report = cache.whatif(bundle, self.position, self.row())
        st.html(STICKY_ANSWER)
        with st.container(key="whatif_answer"):
            left, right = st.columns([1, 2])
            left.metric(
                escape_label(report.label),
                escape_markdown(report.new_text),
                delta=report.delta,
                # A higher chance to leave is bad (red); a higher chance to survive or buy is good news (green).
                delta_color=("normal" if bundle.card.good_news else "inverse") if output.is_chance else "off",
            )
            left.caption(escape_markdown(f"Now: {report.now_text}"))
            with right:
                render.sentences([report.sentence])
        if report.unseen:
            names = ", ".join(report.unseen)
            st.warning(escape_markdown(f"Outside what the model has seen: {names}. Treat the answer with care."))
        st.button("Reset to the real values", on_click=self.reset, key=f"{self.prefix}reset")
        self.controls()
        render.chart(render.figure(compare_figure, report.chart), key="compare_chart")
        if report.note:
            render.caption(report.note)
        self._scenarios(dict(report.changes), report.new_value, report.now_text)

    def _scenarios(self, changes: dict[str, Any], new: float, now: str) -> None:
        card, output = self.bundle.card, self.bundle.output
        saved = st.session_state.setdefault(self.scenarios_key, [])
        name_col, button_col = st.columns([3, 1])
        name = name_col.text_input("Name this scenario", key=f"{self.prefix}name", placeholder="e.g. Two-year offer")
        full = len(saved) >= MAX_SCENARIOS
        if button_col.button("Save scenario", key=f"{self.prefix}save", disabled=full or not changes):
            saved.append({"name": name.strip() or f"Scenario {len(saved) + 1}", "changes": changes, "result": new})
        if full:
            st.caption(
                f"You can keep {MAX_SCENARIOS} scenarios for {escape_markdown(card.an_entity)}; "
                "clear them to save more."
            )
        if not saved:
            return
        rows = [{"Scenario": "Now (real values)", "Changes": "none", "Result": now}]
        for s in saved:
            what = "; ".join(f"{card.label(c)}: {format_value(v, card.feature(c))}" for c, v in s["changes"].items())
            rows.append({"Scenario": s["name"], "Changes": what, "Result": say_output(s["result"], output)})
        st.dataframe(pd.DataFrame(rows), hide_index=True)
        if st.button("Clear scenarios", key=f"{self.prefix}clear"):
            saved.clear()
            st.rerun(scope="fragment")

    def what_would_it_take(self) -> None:
        """A target, a search for the fewest, smallest changes that reach it, and a button to try each."""
        bundle, card, output = self.bundle, self.bundle.card, self.bundle.output
        st.subheader("What would it take?")
        render.caption(search_caption(card, bundle.features))
        current = float(bundle.outputs[self.position])
        default = output.shown(suggestion_target(bundle, current))
        if output.is_chance:
            target = st.slider(
                escape_label(f"Target chance to {card.outcome_positive} (%)"),
                1,
                99,
                int(round(default)),
                key=f"{self.prefix}target",
            )
        else:
            _, step = default_target(current, bundle.outputs)
            label = output.label[:1].lower() + output.label[1:]
            now = say_output(output.shown(current), output)
            render.caption(
                f"Pick the {label} to reach, above or below {now} now: the search looks for changes that get there."
            )
            target = st.number_input(
                escape_label(f"Target {label}" + (f" ({unit_name(output.unit)})" if output.unit else "")),
                value=default,
                step=step,
                format="%.0f" if output.decimals == 0 else f"%.{output.decimals}f",
                key=f"{self.prefix}target",
            )
        if st.button("Find changes", key=f"{self.prefix}find", type="primary"):
            try:
                st.session_state[f"{self.prefix}found"] = suggestions_report(bundle, self.position, float(target))
            except PlainsightError as exc:
                st.error(escape_markdown(str(exc)))
        found = st.session_state.get(f"{self.prefix}found")
        if found is None:
            return
        if found.none_reached:
            st.info(escape_markdown(found.none_reached))
        for i, line in enumerate(found.lines):
            text, button = st.columns([4, 1])
            text.markdown(escape_markdown(line.sentence))
            button.button("Try this", key=f"{self.prefix}try{i}", on_click=self.apply, args=(dict(line.changes),))
