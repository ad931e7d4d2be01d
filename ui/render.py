"""Showing a report's parts on a page: always escaped, since they carry names and values from data."""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable, Sequence
from typing import Any

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from explain.errors import NotAvailable
from explain.reports.common import Fact, Table
from explain.words.escape import escape_label, escape_markdown


def escape(line: str) -> str:
    """Text from a report, safe to hand to any Streamlit element that reads Markdown."""
    return escape_markdown(line)


def sentences(lines: Sequence[str], *, size: str = "normal") -> None:
    """Show plain sentences as one paragraph."""
    text = " ".join(escape_markdown(s) for s in lines)
    st.markdown(f"#### {text}" if size == "large" else text)


def bullets(lines: Sequence[str]) -> None:
    """Show plain lines as a bulleted list."""
    st.markdown("\n".join(f"- {escape_markdown(line)}" for line in lines) if lines else "- none")


def text(line: str, *, where: DeltaGenerator | None = None) -> None:
    """One plain line of text, escaped."""
    (where or st).markdown(escape_markdown(line))


def caption(line: str, *, where: DeltaGenerator | None = None) -> None:
    (where or st).caption(escape_markdown(line))


def metric(fact: Fact, *, where: DeltaGenerator | None = None, delta: str | None = None, **options: object) -> None:
    """A headline figure as a metric; its help says what it means."""
    (where or st).metric(
        escape_label(fact.label),  # a label: a screen reader reads it, escapes and all
        escape_markdown(fact.value),
        delta=delta,
        help=escape_markdown(fact.help) if fact.help else None,
        **options,  # type: ignore[arg-type]
    )


def metrics(facts: Sequence[Fact], *, columns: int | None = None) -> None:
    """Headline figures side by side."""
    for column, fact in zip(st.columns(columns or len(facts) or 1), facts, strict=False):
        metric(fact, where=column)


def comparison(table: Table) -> None:
    """Figures side by side (a group and everyone): a small table whose cells wrap, so it fits a phone's width
    (a grid there scrolls sideways and hides the second column). Every cell is escaped, pipes included."""
    head = "| " + " | ".join(escape_markdown(c) for c in table.columns) + " |"
    rule = "| :-- |" + " --: |" * (len(table.columns) - 1)
    body = ["| " + " | ".join(escape_markdown(str(v)) for v in row) + " |" for row in table.rows]
    st.markdown("\n".join([head, rule, *body]))


def not_available(missing: NotAvailable, *, warn: bool = False) -> None:
    """Why something is not shown, and what would make it available."""
    (st.warning if warn else st.info)(escape_markdown(missing.reason))
    if missing.hint:
        st.code(missing.hint, language="yaml")


def frame(table: Table) -> pd.DataFrame:
    """A report's table as a DataFrame (text from data stays text: the grid never reads it as markup)."""
    return pd.DataFrame(list(table.rows), columns=list(table.columns))


def analyst_lines(lines: Sequence[str]) -> None:
    """The analyst's account, a paragraph a line (technical words allowed, labelled as such by the expander)."""
    st.markdown("\n\n".join(escape_markdown(line) for line in lines))


@functools.lru_cache(maxsize=256)
def _built(make: Callable[..., Any], *args: Hashable) -> Any:
    return make(*args)


def figure(make: Callable[..., Any], *args: Any) -> Any:
    """The engine's figure ``make(*args)``, built once for the same chart data (reports and their chart specs are
    frozen; a figure is never changed after it is built, so every session shares it). Plotly's figure building
    was most of a warm page's server time (0.27 s of /model's 0.39 s)."""
    try:
        hash(args)
    except TypeError:  # chart data that cannot be a key (arrays): built each time
        return make(*args)
    return _built(make, *args)


# No chart toolbar: on a phone it sits over titles and legends, and the export buttons make the files.
CHART_CONFIG = {"displayModeBar": False}


def chart(figure: object, *, key: str, where: DeltaGenerator | None = None, **options: object) -> None:
    """Draw a chart from the engine's figures, the same way on every page."""
    (where or st).plotly_chart(figure, key=key, config=CHART_CONFIG, **options)  # type: ignore[arg-type]
