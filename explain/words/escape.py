"""Escaping for text that came from data (column names, categories, ids, card text) before it meets markup."""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=])")


def escape_markdown(text: str) -> str:
    """Make text from data safe to place in Markdown: every special character shows as itself."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")


_LABEL_SPECIAL = re.compile(r"([\\`*_~\[\]$:<>|])")


def escape_label(text: str) -> str:
    """Make text safe for a widget's label, escaping only what a label's Markdown would act on (emphasis, code,
    links, maths, colours and icons, tags).

    Streamlit also puts a label into the widget's accessible name, backslashes included, so a label is escaped
    as little as it safely can be: "Months as a customer (months)" reaches a screen reader as it is written.
    """
    return _LABEL_SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")


def escape_html(text: str, *, max_length: int | None = None) -> str:
    """Make text from data safe for Plotly's labels, which read a little HTML (<b>, <br>, <a href>).

    Escaping ``&``, ``<`` and ``>`` is enough: without a ``<`` no tag can start, and Plotly shows entities it
    does not know (``&quot;``) literally, so quotes are left as they are. ``max_length`` cuts long labels (with
    "…") before escaping, so a long name cannot squeeze a chart to nothing.
    """
    text = str(text)
    if max_length is not None and len(text) > max_length:
        text = text[: max_length - 1].rstrip() + "…"
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
