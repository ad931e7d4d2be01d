"""A slide as one 16:9 picture (1920 x 1080): the title, the chart, and the two or three sentences that explain it.

The chart is the page's own Plotly figure drawn by Kaleido; the words are drawn with Pillow in an embedded font
(DejaVu Sans, which covers accents and currency signs), so text from data is only ever drawn as text. Font, colours
and word wrapping are the documents' own (:mod:`explain.export.style`).
"""

from __future__ import annotations

import io
from collections.abc import Callable

import plotly.graph_objects as go
from PIL import Image, ImageDraw

from explain.export.slide import Slide
from explain.export.style import ACCENT, INK, MUTED, PAPER, RGB, pillow_font, wrap

WIDTH, HEIGHT = 1920, 1080
MARGIN = 72
CHART_WIDTH = 1120  # the left part of the slide; the words take the right
TITLE_PX, VALUE_PX, LABEL_PX, SUMMARY_PX, FOOTER_PX = 56, 64, 26, 32, 20  # font sizes, in pixels

Render = Callable[..., bytes]  # render(figure, width, height, *, scale=1.0) -> PNG bytes


def slide_png(slide: Slide, render: Render) -> bytes:
    """The slide as PNG bytes, exactly ``WIDTH`` x ``HEIGHT`` pixels."""
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)

    y = _block(draw, [slide.title], TITLE_PX, MARGIN, MARGIN, WIDTH - 2 * MARGIN, ACCENT, bold=True, max_lines=2)
    y += 24
    footer_lines = wrap(slide.footer, FOOTER_PX, WIDTH - 2 * MARGIN)[:2]
    footer_top = HEIGHT - MARGIN // 2 - 28 * len(footer_lines)
    body_bottom = footer_top - 24

    text_left = MARGIN + (CHART_WIDTH + 48 if slide.figure is not None else 0)
    text_width = WIDTH - MARGIN - text_left
    if slide.figure is not None:
        chart_height = body_bottom - y
        chart = Image.open(io.BytesIO(render(_sized(slide.figure), CHART_WIDTH, chart_height))).convert("RGB")
        chart.thumbnail((CHART_WIDTH, chart_height))
        image.paste(chart, (MARGIN, y))

    text_y = y
    for label, value in slide.facts[:3]:
        text_y = _block(draw, [label], LABEL_PX, text_left, text_y, text_width, MUTED, max_lines=2)
        text_y = _block(draw, [value], VALUE_PX, text_left, text_y, text_width, ACCENT, bold=True, max_lines=1)
        text_y += 18
    text_y += 12
    room = max(0, (body_bottom - text_y) // 44)
    _block(draw, slide.summary, SUMMARY_PX, text_left, text_y, text_width, INK, max_lines=room, gap=16)

    _block(draw, footer_lines, FOOTER_PX, MARGIN, footer_top, WIDTH - 2 * MARGIN, MUTED, max_lines=2)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


def _sized(figure: go.Figure) -> go.Figure:
    """The page's figure, filling the picture: its own fixed height is for the page, not the slide."""
    copy = go.Figure(figure)
    copy.update_layout(height=None, width=None, font=dict(size=18), margin=dict(l=20, r=40, t=20, b=60))
    return copy


def _block(
    draw: ImageDraw.ImageDraw,
    paragraphs: list[str],
    size: int,
    x: int,
    y: int,
    width: int,
    color: RGB,
    *,
    bold: bool = False,
    max_lines: int,
    gap: int = 0,
) -> int:
    """Draw wrapped paragraphs (``size`` pixels) from ``y`` down; returns the y below them.

    Lines past ``max_lines`` are left out, and the last line drawn then ends in "…".
    """
    font = pillow_font(size, bold)
    height = int(size * 1.3)
    drawn = 0
    for paragraph in paragraphs:
        lines = wrap(paragraph, size, width, bold=bold)
        for i, line in enumerate(lines):
            if drawn >= max_lines:
                return y
            last = drawn == max_lines - 1 and i < len(lines) - 1
            draw.text((x, y), line + (" …" if last else ""), font=font, fill=color)
            y += height
            drawn += 1
        y += gap
    return y
