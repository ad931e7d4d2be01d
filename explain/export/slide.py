"""The content of one exported page or slide: what it says, in the reader's words, and the chart that shows it."""

from __future__ import annotations

from dataclasses import dataclass, field

import plotly.graph_objects as go


@dataclass(frozen=True)
class Section:
    """A heading and its plain sentences (PDF and PPTX show every section; the PNG picture only the summary)."""

    heading: str
    lines: list[str]


@dataclass(frozen=True)
class Slide:
    """One customer or the overview, ready to lay out.

    All text is plain (no markup): writers must treat it as text, never as HTML or Markdown, because it carries
    names and values from the data.

    Attributes
    ----------
    title : str
        The page's title ("Customer 8030-TERHH").
    summary : list of str
        Two or three sentences that explain the chart; the PNG picture shows exactly these.
    figure : plotly Figure or None
        The main chart (the same figure the page shows).
    facts : list of (label, value)
        Headline figures shown large ("Chance to leave", "54%").
    sections : list of Section
        The rest of the story, for the PDF page and the PPTX slide.
    footer : str
        Names the model, the date and how the explanation was made.
    """

    title: str
    summary: list[str]
    figure: go.Figure | None
    facts: list[tuple[str, str]] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    footer: str = ""
