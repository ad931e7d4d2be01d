"""Slides as a PowerPoint deck (16:9) whose text stays editable: every word is in a text box, the chart a picture.

Each :class:`Slide` becomes one slide (title, headline figures, summary, chart, footer; the summary is also in the
speaker notes) and, when it has sections, a second one ("…: the details") with the sections in two columns, more
if they do not fit at a readable size. Font sizes are chosen so that the text fits its box, measured with the
vendored DejaVu Sans (wider than Calibri, the deck's font, so the estimate errs on the roomy side; see
:mod:`explain.export.pptx_text`); the boxes also shrink their text on overflow when someone edits them in
PowerPoint. Colours are the exports' shared style (:mod:`explain.export.style`).
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field, replace
from typing import Any

import plotly.graph_objects as go
from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.slide import Slide as PptxSlide
from pptx.util import Emu, Pt

from explain.export.pdf import Render, chart_size, document_title
from explain.export.pptx_text import INSET_X, INSET_Y, Para, box_height, clean, fit, inner, para_height, shorten
from explain.export.slide import Section, Slide
from explain.export.style import ACCENT, MUTED, RGB, TILE

EMU_PER_INCH = 914400
SLIDE_W, SLIDE_H = 12192000 / EMU_PER_INCH, 7.5  # inches: 13.333 x 7.5, 16:9
MARGIN = 0.5
CONTENT_W = SLIDE_W - 2 * MARGIN
TITLE_TOP, TITLE_H = 0.3, 1.0
BODY_TOP = 1.45
FOOTER_TOP, FOOTER_H = 6.92, 0.42
BODY_BOTTOM = FOOTER_TOP - 0.12
GAP = 0.3
LEFT_W = 4.8  # the text column beside the chart
CHART_LEFT = MARGIN + LEFT_W + GAP
CHART_W = SLIDE_W - MARGIN - CHART_LEFT
FACTS_MAX_H = 2.6
PX_PER_INCH = 100  # charts are laid out at 100 CSS px an inch: their 14 px labels show at about 10 pt


def pptx_document(slides: list[Slide], render: Render) -> bytes:
    """The slides as a 16:9 PowerPoint deck with editable text.

    Parameters
    ----------
    slides : list of Slide
        In order; at least one.
    render : callable
        ``render(figure, width, height) -> PNG bytes``: the figure laid out at ``width`` x ``height`` CSS pixels.
        A renderer at 2x (``functools.partial(render_png, scale=2)``) keeps charts sharp on a projector.

    Returns
    -------
    bytes
        The .pptx file.
    """
    if not slides:
        raise ValueError("A deck needs at least one slide.")
    deck = Presentation()
    deck.slide_width = _emu(SLIDE_W)
    deck.slide_height = _emu(SLIDE_H)
    properties = deck.core_properties
    title = clean(document_title(slides))
    properties.title = title if len(title) <= 255 else title[:254] + "…"  # the file format's limit
    properties.author = "Plainsight"
    properties.last_modified_by = "Plainsight"
    blank = deck.slide_layouts[6]
    for item in slides:
        page = deck.slides.add_slide(blank)
        _main_slide(page, item, render)
        for details in _detail_pages(item.sections):
            extra = deck.slides.add_slide(blank)
            _title(extra, f"{clean(item.title)}: the details")
            _details(extra, details)
            _footer(extra, item.footer)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def _emu(inches: float) -> Emu:
    return Emu(round(inches * EMU_PER_INCH))


def _rgb(color: RGB) -> RGBColor:
    rgb: RGBColor = RGBColor(*color)  # type: ignore[no-untyped-call]
    return rgb


def _main_slide(page: PptxSlide, item: Slide, render: Render) -> None:
    _title(page, clean(item.title))
    text_w = LEFT_W if item.figure is not None else CONTENT_W
    top = BODY_TOP
    if item.facts:
        top = _facts(page, item.facts, text_w) + 0.2
    summary = [Para(clean(s), before=0.5) for s in item.summary if clean(s)]
    if summary:
        height = BODY_BOTTOM - top
        base = fit(summary, text_w, height, 20, 11)
        if base is None:
            base = 11
            summary = shorten(summary, text_w, height, base)
        _box(page, MARGIN, top, text_w, height, summary, base, name="Summary")
    if item.figure is not None:
        _chart(page, item.figure, render)
    _footer(page, item.footer)
    notes = page.notes_slide.notes_text_frame
    if notes is not None:
        notes.text = "\n".join(clean(s) for s in item.summary)


def _title(page: PptxSlide, text: str) -> None:
    paras = [Para(text, bold=True, color=ACCENT)]
    base = fit(paras, CONTENT_W, TITLE_H, 30, 16)
    if base is None:
        base = 16
        paras = shorten(paras, CONTENT_W, TITLE_H, base)
    _box(page, MARGIN, TITLE_TOP, CONTENT_W, TITLE_H, paras, base, anchor=MSO_ANCHOR.BOTTOM, name="Title")


def _footer(page: PptxSlide, text: str) -> None:
    paras = [Para(clean(text), color=MUTED)]
    if not paras[0].text:
        return
    base = fit(paras, CONTENT_W, FOOTER_H, 11, 7)
    if base is None:
        base = 7
        paras = shorten(paras, CONTENT_W, FOOTER_H, base)
    _box(page, MARGIN, FOOTER_TOP, CONTENT_W, FOOTER_H, paras, base, name="Footer")


def _facts(page: PptxSlide, facts: list[tuple[str, str]], width: float) -> float:
    """Headline figures as tiles, the value large and its label beneath; returns where the tiles end."""
    per_row = 2 if width < CONTENT_W else min(4, len(facts))
    per_row = min(per_row, len(facts))
    rows = math.ceil(len(facts) / per_row)
    gap = 0.15
    tile_w = (width - gap * (per_row - 1)) / per_row
    tile_h = min(1.2, (FACTS_MAX_H - gap * (rows - 1)) / rows)
    tiles = [
        [
            Para(clean(value), bold=True, color=ACCENT),
            Para(clean(label), scale=0.45, color=MUTED, before=0.1, min_size=9),
        ]
        for label, value in facts
    ]
    sizes = [fit(tile, tile_w, tile_h, 28, 9) or 9.0 for tile in tiles]
    usual = [size for size in sizes if size >= 16]
    shared = min(usual) if usual else max(sizes)  # the values share a size; one that needs less gets less
    for number, tile in enumerate(tiles):
        row, column = divmod(number, per_row)
        left, top = MARGIN + column * (tile_w + gap), BODY_TOP + row * (tile_h + gap)
        base = min(sizes[number], shared)
        if box_height(tile, base, inner(tile_w, tile_h)[0]) > inner(tile_w, tile_h)[1]:
            tile = shorten(tile, tile_w, tile_h, base)
        shape = _box(page, left, top, tile_w, tile_h, tile, base, anchor=MSO_ANCHOR.MIDDLE, name=f"Fact {number + 1}")
        shape.fill.solid()
        shape.fill.fore_color.rgb = _rgb(TILE)
    return BODY_TOP + rows * tile_h + (rows - 1) * gap


def _chart(page: PptxSlide, figure: go.Figure, render: Render) -> None:
    size = chart_size(figure, CHART_W, BODY_BOTTOM - BODY_TOP, PX_PER_INCH)
    png = render(figure, size.width_px, size.height_px)
    left = CHART_LEFT + (CHART_W - size.width) / 2
    picture = page.shapes.add_picture(io.BytesIO(png), _emu(left), _emu(BODY_TOP), _emu(size.width), _emu(size.height))
    picture.name = "Chart"


def _box(
    page: PptxSlide,
    left: float,
    top: float,
    width: float,
    height: float,
    paras: list[Para],
    base: float,
    *,
    anchor: MSO_ANCHOR = MSO_ANCHOR.TOP,
    name: str = "",
) -> Any:
    """A text box holding the paragraphs at the given base size (inches for the box, points for the text)."""
    shape = page.shapes.add_textbox(_emu(left), _emu(top), _emu(width), _emu(height))
    if name:
        shape.name = name
    frame = shape.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE  # never grows past the slide; shrinks if edited longer
    frame.vertical_anchor = anchor
    frame.margin_left = frame.margin_right = _emu(INSET_X)
    frame.margin_top = frame.margin_bottom = _emu(INSET_Y)
    for number, para in enumerate(paras):
        paragraph = frame.paragraphs[0] if number == 0 else frame.add_paragraph()
        paragraph.alignment = PP_ALIGN.LEFT
        if number and para.before:
            paragraph.space_before = Pt(para.before * base)
        if para.bullet:
            _bullet(paragraph, para.indent(base))
        run = paragraph.add_run()
        run.text = para.text
        run.font.size = Pt(para.size(base))
        run.font.bold = para.bold
        run.font.color.rgb = _rgb(para.color)
    return shape


def _bullet(paragraph: Any, indent: float) -> None:
    """A real bullet ("•") with a hanging indent of ``indent`` points."""
    properties = paragraph._p.get_or_add_pPr()
    properties.set("marL", str(round(indent * 12700)))
    properties.set("indent", str(-round(indent * 12700)))
    for tag in ("a:buNone", "a:buAutoNum", "a:buChar"):
        for old in properties.findall(qn(tag)):
            properties.remove(old)
    etree.SubElement(properties, qn("a:buChar"), char="•")


@dataclass
class _Column:
    paras: list[Para] = field(default_factory=list)
    height: float = 0.0


DETAIL_COLUMNS = 2
DETAIL_W = (CONTENT_W - GAP * (DETAIL_COLUMNS - 1)) / DETAIL_COLUMNS
DETAIL_H = BODY_BOTTOM - BODY_TOP


def _detail_paras(sections: list[Section]) -> list[tuple[Para, str]]:
    """Each section's heading and lines, with the heading they belong under (to repeat it in a new column)."""
    out: list[tuple[Para, str]] = []
    for section in sections:
        heading = clean(section.heading)
        out.append((Para(heading, scale=1.12, bold=True, color=ACCENT, before=0.9), heading))
        out.extend((Para(clean(line), before=0.25, bullet=True), heading) for line in section.lines if clean(line))
    return out


@dataclass(frozen=True)
class _DetailPage:
    base: float  # the lines' font size, in points
    columns: list[list[Para]]


def _detail_pages(sections: list[Section]) -> list[_DetailPage]:
    """The sections packed into pages of two columns, at the largest size (16 to 11 pt) that fits one page."""
    if not sections:
        return []
    items = _detail_paras(sections)
    for base in (16.0, 15.0, 14.0, 13.0, 12.0, 11.0):
        pages = _pack(items, base)
        if len(pages) == 1:
            break
    else:  # too much for one page even at 11 pt: more pages, at 12 pt
        base = 12.0
        pages = _pack(items, base)
    return [_DetailPage(base, [column.paras for column in page]) for page in pages]


def _pack(items: list[tuple[Para, str]], base: float) -> list[list[_Column]]:
    inner_w, inner_h = inner(DETAIL_W, DETAIL_H)
    pages: list[list[_Column]] = [[_Column()]]

    def column() -> _Column:
        return pages[-1][-1]

    def next_column() -> None:
        if len(pages[-1]) < DETAIL_COLUMNS:
            pages[-1].append(_Column())
        else:
            pages.append([_Column()])

    for number, (para, heading) in enumerate(items):
        is_heading = para.bold
        height = para_height(para, base, inner_w, first=not column().paras)
        following = items[number + 1][0] if number + 1 < len(items) and is_heading else None
        if following is not None and not following.bold:  # a heading stays with its first line
            height += para_height(following, base, inner_w, first=False)
        if column().paras and column().height + height > inner_h:
            next_column()
            if not is_heading:  # a section that goes on in a new column says so
                again = Para(f"{heading} (continued)", scale=1.12, bold=True, color=ACCENT, before=0.9)
                column().paras.append(again)
                column().height += para_height(again, base, inner_w, first=True)
        alone = para_height(para, base, inner_w, first=not column().paras)
        if column().height + alone > inner_h:  # one paragraph taller than a column: cut it short
            room = (inner_h - column().height) / 72 + 2 * INSET_Y
            cut = shorten([para], DETAIL_W, room, base)
            para = cut[0] if cut else replace(para, text="…")
            alone = para_height(para, base, inner_w, first=not column().paras)
        column().paras.append(para)
        column().height += alone
    return pages


def _details(page: PptxSlide, details: _DetailPage) -> None:
    for number, paras in enumerate(details.columns):
        if paras:
            left = MARGIN + number * (DETAIL_W + GAP)
            _box(page, left, BODY_TOP, DETAIL_W, DETAIL_H, paras, details.base, name=f"Details {number + 1}")
