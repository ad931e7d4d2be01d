"""One export style: the PNG, the PDF and the PPTX draw the same text in the same colours, and wrap alike."""

from __future__ import annotations

import io

import plotly.graph_objects as go
import pytest
from PIL import Image, features
from pptx import Presentation
from pypdf import PdfReader

from explain.export import png, pptx_text, style
from explain.export.pdf import font_path, pdf_document
from explain.export.png import slide_png
from explain.export.pptx import pptx_document
from explain.export.slide import Slide

TITLE, VALUE, LABEL, SENTENCE, FOOTER = (
    "Customer 8030-TERHH",
    "54%",
    "Chance to leave",
    "A typical customer has a 27% chance.",
    "Model: churn-demo · 24 November 2026",
)
# What each part of a slide is drawn in, in every format.
EXPECTED = {
    "title": style.ACCENT,
    "value": style.ACCENT,
    "label": style.MUTED,
    "sentence": style.INK,
    "footer": style.MUTED,
}
TEXT = (
    "Zürich’s “premium” plan costs ≥ €1,200 — or £950 — for São Paulo; id 8030-TERHH-0001-ABCDEFGHIJKLMNOPQRSTUVWXYZ."
)


def _render(figure: go.Figure, width: int, height: int, scale: float = 1.0) -> bytes:
    """A real PNG of the asked size, so no browser is needed."""
    out = io.BytesIO()
    Image.new("RGB", (int(width * scale), int(height * scale)), (200, 220, 240)).save(out, format="PNG")
    return out.getvalue()


def _slide() -> Slide:
    return Slide(title=TITLE, summary=[SENTENCE], figure=go.Figure(), facts=[(LABEL, VALUE)], footer=FOOTER)


def _png_colour(slide: Slide) -> tuple[int, int, int]:
    """The colour most of a picture's ink is drawn in (the exact colour fills the inside of every glyph)."""
    image = Image.open(io.BytesIO(slide_png(slide, _render))).convert("RGB")
    colours = image.getcolors(image.width * image.height) or []
    inked = [(count, colour) for count, colour in colours if colour != style.PAPER]
    assert inked, "nothing was drawn"
    return max(inked)[1]  # type: ignore[no-any-return]


def _png_colours() -> dict[str, tuple[int, int, int]]:
    """Each part drawn alone on an otherwise empty slide (blank text draws nothing), then its colour."""
    empty = Slide(title="", summary=[], figure=None)
    parts = {
        "title": Slide(title=TITLE, summary=[], figure=None),
        "value": Slide(title="", summary=[], figure=None, facts=[("", VALUE)]),
        "label": Slide(title="", summary=[], figure=None, facts=[(LABEL, "")]),
        "sentence": Slide(title="", summary=[SENTENCE], figure=None),
        "footer": Slide(title="", summary=[], figure=None, footer=FOOTER),
    }
    image = Image.open(io.BytesIO(slide_png(empty, _render)))
    assert image.getcolors() == [(image.width * image.height, style.PAPER)]
    return {part: _png_colour(slide) for part, slide in parts.items()}


def _pdf_colours() -> tuple[dict[str, tuple[int, int, int]], set[tuple[int, int, int]]]:
    """The fill colour set when each piece of text is shown, and every fill colour the page sets."""
    page = PdfReader(io.BytesIO(pdf_document([_slide()], _render))).pages[0]
    fills: list[tuple[int, int, int]] = [(0, 0, 0)]
    shown: list[tuple[int, int, int]] = [(0, 0, 0)]
    texts: dict[str, tuple[int, int, int]] = {}

    def before(operator: bytes, operands: list[object], cm: object, tm: object) -> None:
        if operator == b"rg":
            fills.append(tuple(round(float(value) * 255) for value in operands))  # type: ignore[arg-type, misc]
        elif operator in (b"Tj", b"TJ", b"'", b'"'):
            shown[0] = fills[-1]  # pypdf may hand over the text later, after another colour is set

    def text(content: str, cm: object, tm: object, font: object, size: object) -> None:
        if content.strip():
            texts[content.strip()] = shown[0]

    page.extract_text(visitor_operand_before=before, visitor_text=text)
    wanted = {"title": TITLE, "value": VALUE, "label": LABEL, "sentence": SENTENCE, "footer": FOOTER}
    return {part: texts[words] for part, words in wanted.items()}, set(fills[1:])


def _pptx_colours() -> dict[str, tuple[int, int, int]]:
    """Each part's run colour, from the text boxes the deck names."""
    deck = Presentation(io.BytesIO(pptx_document([_slide()], _render)))
    shapes = {shape.name: shape for shape in deck.slides[0].shapes}

    def colour(name: str, paragraph: int = 0) -> tuple[int, int, int]:
        run = shapes[name].text_frame.paragraphs[paragraph].runs[0]
        return tuple(run.font.color.rgb)  # type: ignore[return-value]

    return {
        "title": colour("Title"),
        "value": colour("Fact 1", 0),
        "label": colour("Fact 1", 1),
        "sentence": colour("Summary"),
        "footer": colour("Footer"),
    }


def test_png_pdf_and_pptx_draw_each_part_in_the_styles_colour() -> None:
    pdf, _ = _pdf_colours()
    colours = {"png": _png_colours(), "pdf": pdf, "pptx": _pptx_colours()}
    for name, found in colours.items():
        assert found == EXPECTED, name


def test_the_pdf_and_the_deck_fill_the_tiles_in_the_styles_colour() -> None:
    deck = Presentation(io.BytesIO(pptx_document([_slide()], _render)))
    (tile,) = [shape for shape in deck.slides[0].shapes if shape.name == "Fact 1"]
    assert tuple(tile.fill.fore_color.rgb) == style.TILE
    _, fills = _pdf_colours()
    assert style.TILE in fills


def test_every_format_finds_the_same_fonts() -> None:
    assert font_path(False) == style.font_path(False) and font_path(True) == style.font_path(True)
    assert font_path(False).is_file() and font_path(True).is_file()
    assert png.wrap is style.wrap and pptx_text.wrap is style.wrap
    assert png.pillow_font(32).path == str(style.font_path(False))
    assert png.pillow_font(32, True).path == str(style.font_path(True))


# --- the shared wrap ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "width", "bold"),
    [(32, 608, False), (56, 1776, True), (20, 300, False), (11.5, 320.0, False), (9, 40.0, True), (30, 12.0, True)],
)
def test_wrap_keeps_every_word_in_order_and_no_line_is_wider_than_the_width(
    size: float, width: float, bold: bool
) -> None:
    text = f"{TEXT} {TEXT} {'W' * 80}"
    lines = style.wrap(text, size, width, bold=bold)
    assert len(lines) > 1
    for line in lines:
        assert line and line == line.strip()
        assert style.text_width(line, size, bold=bold) <= width or len(line) == 1
    assert "".join("".join(lines).split()) == "".join(text.split())  # nothing lost, nothing added, in order


def test_wrap_fills_each_line_before_starting_the_next() -> None:
    size, width = 32, 608
    lines = style.wrap(f"{TEXT} {TEXT}", size, width)
    for line, following in zip(lines, lines[1:], strict=False):
        assert style.text_width(f"{line} {following.split()[0]}", size) > width


def test_wrap_breaks_a_word_longer_than_the_line() -> None:
    word = "Unbrokenwordwithoutanyspaces" * 5
    lines = style.wrap(f"short {word} end", 32, 400)
    assert lines[0] == "short" and lines[-1].endswith(" end")
    pieces = [*lines[1:-1], lines[-1].removesuffix(" end")]
    assert len(pieces) > 1 and "".join(pieces) == word
    assert all(style.text_width(line, 32) <= 400 for line in lines)
    done = 0
    for piece in pieces[:-1]:  # each piece is as long as the line allows
        done += len(piece)
        assert style.text_width(piece + word[done], 32) > 400


def test_wrap_of_blank_text_and_of_a_single_wide_character() -> None:
    assert style.wrap("", 20, 100) == []
    assert style.wrap("   \n ", 20, 100) == []
    assert style.wrap("W W", 100, 10) == ["W", "W"]  # a character cannot be broken: it gets a line of its own


def test_sizes_in_points_and_in_pixels_measure_alike() -> None:
    assert style.text_width(TEXT, 32) == pytest.approx(style.text_width(TEXT, 16) * 2)
    assert style.wrap(TEXT, 11.5, 200.0) == style.wrap(TEXT, 23, 400.0)


@pytest.mark.skipif(not features.check("raqm"), reason="without Raqm, Pillow hints glyphs and draws a little wider")
@pytest.mark.parametrize(("size", "bold"), [(20, False), (26, False), (32, False), (56, True), (64, True)])
def test_the_measure_is_what_pillow_draws_in_the_png(size: int, bold: bool) -> None:
    assert style.text_width(TEXT, size, bold=bold) == pytest.approx(
        png.pillow_font(size, bold).getlength(TEXT), abs=0.5
    )


def test_pdf_and_pptx_draw_section_headings_in_the_same_colour() -> None:
    from explain.export.slide import Section

    slide = Slide(title=TITLE, summary=[SENTENCE], figure=None, sections=[Section("Main reasons", [TEXT])])
    page = PdfReader(io.BytesIO(pdf_document([slide], _render))).pages[0]
    fills, shown = [(0, 0, 0)], {}

    def before(operator: bytes, operands: list[object], cm: object, tm: object) -> None:
        if operator == b"rg":
            fills.append(tuple(round(float(v) * 255) for v in operands))  # type: ignore[arg-type]

    def text(content: str, cm: object, tm: object, font: object, size: object) -> None:
        if content.strip():
            shown[content.strip()] = fills[-1]

    page.extract_text(visitor_operand_before=before, visitor_text=text)
    deck = Presentation(io.BytesIO(pptx_document([slide], _render)))
    runs = [
        run
        for deck_slide in deck.slides
        for shape in deck_slide.shapes
        if shape.has_text_frame
        for paragraph in shape.text_frame.paragraphs
        for run in paragraph.runs
        if run.text.strip() == "Main reasons"
    ]
    assert runs and tuple(runs[0].font.color.rgb) == style.ACCENT
    assert shown["Main reasons"] == style.ACCENT
