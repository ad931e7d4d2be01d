"""A slide as one 16:9 picture (1920 x 1080): the title, the chart, and the two or three sentences that explain it.

The chart is the page's own Plotly figure drawn by Kaleido; the words are drawn with Pillow in an embedded font
(DejaVu Sans, which covers accents and currency signs), so text from data is only ever drawn as text.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import plotly.graph_objects as go
from PIL import Image, ImageDraw, ImageFont

from explain.export.slide import Slide

WIDTH, HEIGHT = 1920, 1080
MARGIN = 72
CHART_WIDTH = 1120  # the left part of the slide; the words take the right
FONTS = Path(__file__).resolve().parent.parent / "fonts"
INK, MUTED, ACCENT = (33, 37, 41), (110, 117, 125), (31, 97, 141)

Render = Callable[..., bytes]  # render(figure, width, height, *, scale=1.0) -> PNG bytes


@lru_cache(maxsize=16)
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONTS / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")), size)


def wrap(text: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` pixels (a word longer than the width is cut)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if font.getlength(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while font.getlength(word) > width:  # one very long word (an id, a URL): cut it
            cut = max(1, int(len(word) * width / font.getlength(word)))
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines


def slide_png(slide: Slide, render: Render) -> bytes:
    """The slide as PNG bytes, exactly ``WIDTH`` x ``HEIGHT`` pixels."""
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)

    y = _block(draw, [slide.title], _font(56, bold=True), MARGIN, MARGIN, WIDTH - 2 * MARGIN, INK, max_lines=2)
    y += 24
    footer_font = _font(20)
    footer_lines = wrap(slide.footer, footer_font, WIDTH - 2 * MARGIN)[:2]
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
        text_y = _block(draw, [label], _font(26), text_left, text_y, text_width, MUTED, max_lines=2)
        text_y = _block(draw, [value], _font(64, bold=True), text_left, text_y, text_width, ACCENT, max_lines=1)
        text_y += 18
    text_y += 12
    room = max(0, (body_bottom - text_y) // 44)
    _block(draw, slide.summary, _font(32), text_left, text_y, text_width, INK, max_lines=room, gap=16)

    _block(draw, footer_lines, footer_font, MARGIN, footer_top, WIDTH - 2 * MARGIN, MUTED, max_lines=2)
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
    font: ImageFont.FreeTypeFont,
    x: int,
    y: int,
    width: int,
    color: tuple[int, int, int],
    *,
    max_lines: int,
    gap: int = 0,
) -> int:
    """Draw wrapped paragraphs from ``y`` down; returns the y below them. Lines past ``max_lines`` end in "…"."""
    height = int(font.size * 1.3)
    drawn = 0
    for paragraph in paragraphs:
        for i, line in enumerate(wrap(paragraph, font, width)):
            if drawn >= max_lines:
                return y
            last = drawn == max_lines - 1 and (i < len(wrap(paragraph, font, width)) - 1)
            draw.text((x, y), line + (" …" if last else ""), font=font, fill=color)
            y += height
            drawn += 1
        y += gap
    return y
