"""Slides as a PDF: one A4 page per customer (or the overview), text as real, searchable text.

The page is A4 *portrait*. A one-page summary is read top to bottom and printed or attached to an e-mail, and
portrait suits both: the explanation charts are horizontal bars with long labels that want the full width of a
column, and a single portrait column keeps lines of text short enough to read (a landscape column would be about
150 characters wide, or need a two-column layout that breaks badly when a page overflows).

Content that is taller than the page first shrinks the chart (down to :data:`CHART_MIN_SHARE` of its size), and
when that is not enough flows on to a following page; nothing is drawn off the page.

Colours and fonts are the exports' shared style (:mod:`explain.export.style`), but lines are measured by fpdf2
itself, so that they are the lines it draws.
"""

from __future__ import annotations

import io
import math
import struct
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

import plotly.graph_objects as go
from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.enums import MethodReturnValue, XPos, YPos

from explain.export.slide import Section, Slide
from explain.export.style import ACCENT, INK, MUTED, RGB, RULE, TILE
from explain.export.style import font_path as font_path  # where it was first defined; callers import it here

Render = Callable[[go.Figure, int, int], bytes]
"""Draws a figure laid out at (width, height) CSS pixels and returns PNG bytes (possibly at a higher scale)."""
Progress = Callable[[float, str], None]

FONT = "DejaVu"
MM_PER_PT = 25.4 / 72
LINE = 1.35  # line height as a multiple of the font size

PAGE_W, PAGE_H = 210.0, 297.0  # A4 portrait, in mm
MARGIN = 15.0
CONTENT_W = PAGE_W - 2 * MARGIN
FOOTER_BOTTOM = 8.0  # the footer's last line ends this far above the page's bottom edge
FOOTER_GAP = 5.0  # between the body and the footer's rule
FOOTER_MAX_LINES = 3

# Charts are laid out at about this many CSS pixels per millimetre of page: the charts' 14 px labels print at about
# 9 pt. The renderer decides the pixel density of the picture (2x for print: ``render_png(..., scale=2)``).
PX_PER_MM = 110 / 25.4
# Charts narrower than this lose the labels written beside their longest bars; a narrower box gets a smaller picture.
MIN_CHART_PX = 800
CHART_MIN_SHARE = 0.5  # a chart shrinks to no less than half its natural height before the text moves on

TITLE_PT, VALUE_PT, LABEL_PT, SUMMARY_PT, HEADING_PT, BODY_PT, FOOTER_PT = 20, 18, 9, 11.5, 12.5, 10, 8
FACTS_PER_ROW = 4


@cache
def _covered(bold: bool) -> frozenset[int]:
    with TTFont(font_path(bold)) as font:
        cmap: dict[int, str] = font.getBestCmap()
    return frozenset(cmap)


def printable(text: str, *, one_line: bool = False) -> str:
    """Text the vendored font can draw: NFC-normalised, control characters as spaces, unknown glyphs as "?".

    Both DejaVu faces must have the glyph (CJK and most emoji do not; accents, €, £, ¥, ₹, ≥, dashes and curly
    quotes do). ``one_line`` also turns line breaks into spaces.
    """
    covered = _covered(False) & _covered(True)
    out: list[str] = []
    for char in unicodedata.normalize("NFC", str(text)):
        if char == "\n" and not one_line:
            out.append(char)
        elif char in "\t\r\n\v\f" or unicodedata.category(char) == "Cc":
            out.append(" ")
        elif ord(char) in covered:
            out.append(char)
        elif unicodedata.category(char) in ("Mn", "Me", "Cf"):  # a mark or format character it lacks: drop it
            continue
        else:
            out.append("?")
    return "".join(out)


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels, read from a PNG's header."""
    if png[:8] != b"\x89PNG\r\n\x1a\n" or len(png) < 24:
        raise ValueError("The chart picture is not a PNG.")
    width, height = struct.unpack(">II", png[16:24])
    return int(width), int(height)


@dataclass(frozen=True)
class ChartSize:
    """How to render a chart (CSS pixels) and how large to place it (page units: mm or inches)."""

    width_px: int
    height_px: int
    width: float
    height: float


def chart_size(
    figure: go.Figure,
    max_width: float,
    max_height: float,
    px_per_unit: float,
    *,
    min_share: float = 0.6,
    min_width_px: float = MIN_CHART_PX,
) -> ChartSize:
    """Fit a figure into a box without changing the size of its text more than it must.

    The figure keeps its own width and height where it sets them (else it takes the box's width, at least
    ``min_width_px``, and a height of 0.6 of that) and is never enlarged. A figure too tall for the box is first
    laid out shorter (the bars closer together, the text the same size), down to ``min_share`` of its height, and
    only then shrunk as a picture.
    """
    layout = figure.layout
    box_w_px, box_h_px = max_width * px_per_unit, max_height * px_per_unit
    width_px = float(layout.width or max(box_w_px, min_width_px))
    height_px = float(layout.height or width_px * 0.6)
    shrink = min(1.0, box_w_px / width_px)  # a figure wider than the box is drawn smaller
    if height_px * shrink > box_h_px:
        height_px = max(box_h_px / shrink, height_px * min_share)
    shrink = min(shrink, box_h_px / (height_px * shrink) * shrink)
    return ChartSize(
        width_px=max(1, round(width_px)),
        height_px=max(1, round(height_px)),
        width=width_px * shrink / px_per_unit,
        height=height_px * shrink / px_per_unit,
    )


def document_title(slides: list[Slide]) -> str:
    """The file's title: the one slide's title, or the first and how many more."""
    if len(slides) == 1:
        return slides[0].title
    return f"{slides[0].title} and {len(slides) - 1} more"


def _height(points: float) -> float:
    """A line's height in mm for a font size in points."""
    return points * LINE * MM_PER_PT


@dataclass(frozen=True)
class _Block:
    text: str
    size: float
    bold: bool = False
    indent: float = 0.0
    before: float = 0.0  # space above, mm
    color: RGB = INK
    keep_with_next: bool = False
    bullet: bool = False


class _Pages(FPDF):
    """An A4 portrait document with the slide's footer and "page N of M" at the bottom of every page."""

    def __init__(self) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.add_font(FONT, "", font_path(False))
        self.add_font(FONT, "B", font_path(True))
        # A control character cannot come from the data (printable() removes them), so text from the data that
        # happens to read "{nb}" is never replaced by the page count.
        self.alias_nb_pages("\x01nb\x01")
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.footer_text = ""
        self.continued = ""  # the slide's title on the pages it flows on to

    def footer_height(self, text: str) -> float:
        self.set_font(FONT, "", FOOTER_PT)
        lines = _lines(self, CONTENT_W - 32, _height(FOOTER_PT), text)
        return max(1, min(len(lines), FOOTER_MAX_LINES)) * _height(FOOTER_PT)

    def header(self) -> None:
        if not self.continued:
            return
        self.set_font(FONT, "", FOOTER_PT)
        self.set_text_color(*MUTED)
        self.set_xy(MARGIN, 7)
        self.cell(CONTENT_W, _height(FOOTER_PT), _one_line(self, self.continued + " (continued)", CONTENT_W))
        self.set_xy(MARGIN, MARGIN)

    def footer(self) -> None:
        self.set_font(FONT, "", FOOTER_PT)
        line = _height(FOOTER_PT)
        height = self.footer_height(self.footer_text)
        top = PAGE_H - FOOTER_BOTTOM - height
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        self.line(MARGIN, top - 1.5, PAGE_W - MARGIN, top - 1.5)
        self.set_text_color(*MUTED)
        if self.footer_text:
            self.set_xy(MARGIN, top)
            lines = _lines(self, CONTENT_W - 32, line, self.footer_text)
            text = self.footer_text
            if len(lines) > FOOTER_MAX_LINES:  # a footer is a line or two; anything longer is cut short
                rest = _one_line(self, " ".join(lines[FOOTER_MAX_LINES - 1 :]), CONTENT_W - 32)
                text = "\n".join([*lines[: FOOTER_MAX_LINES - 1], rest])
            self.multi_cell(CONTENT_W - 32, line, text, align="L")
        self.set_xy(PAGE_W - MARGIN - 30, top)  # after the footer's text, so that it reads in that order
        self.cell(30, line, f"page {self.page_no()} of \x01nb\x01", align="R")


def _lines(pdf: FPDF, width: float, height: float, text: str) -> list[str]:
    """The lines ``multi_cell`` would write the text in, in the current font."""
    lines = pdf.multi_cell(width, height, text, dry_run=True, output=MethodReturnValue.LINES)
    if not isinstance(lines, list):
        raise TypeError(f"fpdf2 measured {type(lines).__name__}, not lines")
    return [str(line) for line in lines]


def _one_line(pdf: FPDF, text: str, width: float) -> str:
    """The text cut to fit one line of ``width`` in the current font, ending in "…" when cut."""
    text = " ".join(text.split())
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def pdf_document(slides: list[Slide], render: Render, *, progress: Progress | None = None) -> bytes:
    """The slides as a PDF, one A4 portrait page each (more where a slide's text does not fit on one).

    Parameters
    ----------
    slides : list of Slide
        In page order; at least one.
    render : callable
        ``render(figure, width, height) -> PNG bytes``: the figure laid out at ``width`` x ``height`` CSS pixels.
        Pass a renderer that draws at 2x (``functools.partial(render_png, scale=2)``) for crisp print.
    progress : callable, optional
        ``progress(done_fraction, message)``, called after each slide's page(s); the last call says 1.0.

    Returns
    -------
    bytes
        The PDF file.
    """
    if not slides:
        raise ValueError("A PDF needs at least one slide.")
    pdf = _Pages()
    pdf.set_title(printable(document_title(slides), one_line=True))
    pdf.set_producer("Plainsight")
    pdf.set_creator("Plainsight")
    pdf.set_creation_date(datetime.now(UTC))
    pdf.set_lang("en")
    for number, slide in enumerate(slides, start=1):
        _lay_out(pdf, slide, render)
        if progress is not None:
            progress(number / len(slides), f"Laid out {number} of {len(slides)}: {slide.title}")
    try:
        return bytes(pdf.output())
    finally:
        # fpdf2 reads fonts lazily through fontTools and never closes the files; close them here, or every
        # export leaks two open files until the garbage collector finds them.
        for font in pdf.fonts.values():
            ttfont = getattr(font, "ttfont", None)
            if ttfont is not None:
                ttfont.close()


def _lay_out(pdf: _Pages, slide: Slide, render: Render) -> None:
    """One slide from the top of a new page; its text flows on to further pages if it must."""
    footer = printable(slide.footer, one_line=True)
    pdf.continued = ""
    pdf.add_page()  # the previous page's footer is drawn here, with the previous slide's text
    pdf.footer_text = footer
    pdf.set_auto_page_break(True, FOOTER_BOTTOM + pdf.footer_height(footer) + FOOTER_GAP)
    title = printable(slide.title, one_line=True)
    _write(pdf, _Block(title, TITLE_PT, bold=True, color=ACCENT))
    pdf.continued = title  # pages this slide flows on to say whose they are
    if slide.facts:
        pdf.ln(3)
        _facts(pdf, slide.facts)
    blocks = list(_text_blocks(slide))
    if slide.figure is not None:
        pdf.ln(4)
        _chart(pdf, slide.figure, render, sum(_block_height(pdf, block) for block in blocks))
    for block in blocks:
        _write(pdf, block)


def _text_blocks(slide: Slide) -> Iterator[_Block]:
    for number, sentence in enumerate(slide.summary):
        yield _Block(printable(sentence), SUMMARY_PT, before=4.0 if number == 0 else 1.5)
    for section in slide.sections:
        yield from _section_blocks(section)


def _section_blocks(section: Section) -> Iterator[_Block]:
    heading = printable(section.heading, one_line=True)
    yield _Block(heading, HEADING_PT, bold=True, before=5.0, color=ACCENT, keep_with_next=True)
    for line in section.lines:
        yield _Block(printable(line), BODY_PT, indent=5.0, before=1.0, bullet=True)


def _block_height(pdf: FPDF, block: _Block) -> float:
    pdf.set_font(FONT, "B" if block.bold else "", block.size)
    lines = _lines(pdf, CONTENT_W - block.indent, _height(block.size), block.text)
    return block.before + len(lines) * _height(block.size)


def _write(pdf: FPDF, block: _Block) -> None:
    line = _height(block.size)
    if pdf.will_page_break(block.before + line * (2 if block.keep_with_next else 1)):
        pdf.add_page()  # a heading goes with its first line; nothing starts in the last sliver of a page
    elif pdf.get_y() > pdf.t_margin + 0.01:
        pdf.ln(block.before)
    pdf.set_font(FONT, "B" if block.bold else "", block.size)
    pdf.set_text_color(*block.color)
    if block.bullet:
        pdf.set_x(MARGIN + 1.0)
        pdf.cell(block.indent - 1.0, line, "•")
    pdf.set_x(MARGIN + block.indent)
    left = pdf.l_margin
    pdf.set_left_margin(MARGIN + block.indent)  # lines that move to the next page keep their indent
    pdf.multi_cell(CONTENT_W - block.indent, line, block.text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_left_margin(left)
    pdf.set_x(left)


def _facts(pdf: FPDF, facts: list[tuple[str, str]]) -> None:
    """The headline figures as tiles, up to four to a row: the value large, its label small beneath."""
    gap, pad = 4.0, 3.0
    per_row = min(len(facts), FACTS_PER_ROW)
    width = (CONTENT_W - gap * (per_row - 1)) / per_row
    usable = pdf.h - pdf.t_margin - pdf.b_margin
    for start in range(0, len(facts), per_row):
        row = [(printable(label), printable(value)) for label, value in facts[start : start + per_row]]
        heights = [_tile_text(pdf, label, value, width - 2 * pad, draw=False) for label, value in row]
        height = max(heights) + 2 * pad
        if height > usable:  # a tile taller than a page: say these facts as plain lines instead
            for label, value in row:
                _write(pdf, _Block(f"{label}: {value}", SUMMARY_PT, before=1.5))
            continue
        if pdf.will_page_break(height):
            pdf.add_page()
        top = pdf.get_y()
        for column, (label, value) in enumerate(row):
            left = MARGIN + column * (width + gap)
            pdf.set_fill_color(*TILE)
            pdf.rect(left, top, width, height, style="F")
            pdf.set_xy(left + pad, top + pad)
            _tile_text(pdf, label, value, width - 2 * pad, draw=True)
        pdf.set_xy(MARGIN, top + height + gap / 2)


def _tile_text(pdf: FPDF, label: str, value: str, width: float, *, draw: bool) -> float:
    """Draw (or measure) a tile's value and label at the current position; returns their height."""
    total = 0.0
    left = pdf.get_x()
    for text, size, bold, color in ((value, VALUE_PT, True, ACCENT), (label, LABEL_PT, False, MUTED)):
        pdf.set_font(FONT, "B" if bold else "", size)
        pdf.set_text_color(*color)
        if draw:
            pdf.set_x(left)
            pdf.multi_cell(width, _height(size), text, align="L", new_x=XPos.LEFT, new_y=YPos.NEXT)
        lines = _lines(pdf, width, _height(size), text)
        total += len(lines) * _height(size)
    return total


def _chart(pdf: FPDF, figure: go.Figure, render: Render, text_below: float) -> None:
    """Place the chart at its natural size, or smaller when that lets the text below it stay on this page."""
    bottom = pdf.h - pdf.b_margin
    room = bottom - pdf.get_y()
    natural = chart_size(figure, CONTENT_W, math.inf, PX_PER_MM)
    smallest = natural.height * CHART_MIN_SHARE
    if natural.height + text_below <= room:
        box = natural.height
    elif smallest + text_below <= room:
        box = room - text_below  # shrink the chart so that everything fits on the page
    elif room >= min(natural.height, 60.0):
        box = min(natural.height, room)  # the text flows on to the next page anyway: keep the chart large
    else:
        pdf.add_page()
        room = bottom - pdf.get_y()
        box = min(natural.height, room)
    size = chart_size(figure, CONTENT_W, box, PX_PER_MM, min_share=CHART_MIN_SHARE)
    png = render(figure, size.width_px, size.height_px)
    png_size(png)  # a clear error for something that is not a PNG
    top = pdf.get_y()
    pdf.image(io.BytesIO(png), x=MARGIN + (CONTENT_W - size.width) / 2, y=top, w=size.width, h=size.height)
    pdf.set_xy(MARGIN, top + size.height)
