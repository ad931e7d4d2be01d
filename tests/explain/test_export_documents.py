"""The PDF and PPTX writers: text that can be read back, pages and slides that hold everything they are given."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from PIL import Image, ImageFont
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pypdf import PageObject, PdfReader

from explain.bundle.card import Card
from explain.bundle.output import describe_output
from explain.export.pdf import font_path, pdf_document, printable
from explain.export.pptx import pptx_document
from explain.export.slide import Section, Slide
from explain.figures.explanation import bars_figure
from explain.reports.charts import importance_spec

A4_PT = (595.28, 841.89)
MARGIN_PT = 15 / 25.4 * 72
CHART_COLOUR = (255, 0, 255)  # the fake chart is magenta, so the rendered page shows where it landed
EMU = 914400


class FakeRender:
    """A stand-in for the Kaleido renderer: a real PNG of the asked size, in one colour; remembers the sizes."""

    def __init__(self) -> None:
        self.sizes: list[tuple[int, int]] = []

    def __call__(self, figure: go.Figure, width: int, height: int) -> bytes:
        assert isinstance(figure, go.Figure)
        self.sizes.append((width, height))
        out = io.BytesIO()
        Image.new("RGB", (width, height), CHART_COLOUR).save(out, format="PNG")
        return out.getvalue()


def _card() -> Card:
    return Card(
        title="Churn",
        task="classification",
        target="churn",
        positive_class=1,
        entity="customer",
        outcome_positive="leave",
        outcome_negative="stay",
        id_column="customer_id",
        unit=None,
        risk_threshold=0.5,
    )


def _figure(n: int = 8) -> go.Figure:
    importance = pd.DataFrame({"feature": [f"feature_{i}" for i in range(n)], "importance": [n - i for i in range(n)]})
    card = _card()
    return bars_figure(importance_spec(importance, describe_output(card, np.array([0.2, 0.4])), card))


def _slide(customer: str = "8030-TERHH", *, figure: go.Figure | None = None, **changes: object) -> Slide:
    fields: dict[str, object] = dict(
        title=f"Customer {customer}",
        summary=[
            f"Customer {customer} has a 54% chance to leave.",
            "About 5 in 10 customers like this one in São Paulo leave.",
            "A typical customer has a 27% chance.",
        ],
        figure=figure if figure is not None else _figure(),
        facts=[("Chance to leave", "54%"), ("Typical customer", "27%"), ("Monthly bill", "€1,200")],
        sections=[
            Section("Why the chance is this high", ["Months as a customer is 2 months, which adds 18 points."]),
            Section("What could lower it", ["A one-year contract: about 12 points lower — the biggest change."]),
        ],
        footer="Model: churn-demo · 24 November 2026 · reasons by SHAP against 1,500 customers",
    )
    fields.update(changes)
    return Slide(**fields)  # type: ignore[arg-type]


LONG_WORDS = "Zürich’s “premium” plan costs ≥ €1,200 — or £950, ¥180,000, ₹99,000 — for Ærø and São Paulo. "


def _long_slide() -> Slide:
    """Everything too long: a title over many lines, a huge fact, long sentences, an unbroken word, 20 sections."""
    return _slide(
        "LONG-1",
        title="Customer LONG-1 " + "with an extraordinarily long name " * 12,
        summary=[LONG_WORDS * 8, "X" * 400, LONG_WORDS * 3],
        facts=[("Chance to leave", "54%"), ("A label that goes on " * 6, "€1,200,000,000 a year " * 3)],
        sections=[
            Section(
                f"Section {i}: " + "a heading that is long " * 4,
                [f"Line {j} of {i}. " + LONG_WORDS * 2 for j in range(4)],
            )
            for i in range(20)
        ],
        footer="Model: churn-demo · 24 November 2026 · reasons by SHAP " * 8,
    )


def _pdf_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def _flat(text: str) -> str:
    return " ".join(text.split())


# --- PDF ---------------------------------------------------------------------------------------------------


def test_pdf_text_reads_back_title_facts_sentences_sections_and_footer() -> None:
    slide = _slide()
    data = pdf_document([slide], FakeRender())
    assert data.startswith(b"%PDF-")
    (text,) = _pdf_text(data)
    flat = _flat(text)
    assert "Customer 8030-TERHH" in flat
    for label, value in slide.facts:
        assert label in flat and value in flat
    for sentence in slide.summary:
        assert sentence in flat
    for section in slide.sections:
        assert section.heading in flat
        assert all(line in flat for line in section.lines)
    assert _flat(slide.footer) in flat
    assert "page 1 of 1" in flat


def test_pdf_keeps_text_outside_latin_1() -> None:
    slide = _slide(
        title="Kunde in Zürich — “Ærø” branch",
        summary=["São Paulo pays €1,200; London £950; Tokyo ¥180,000; Mumbai ₹99,000.", "A chance ≥ 50% is high."],
        facts=[("Monthly bill", "€1,200"), ("Threshold", "≥ 50%")],
    )
    flat = _flat(_pdf_text(pdf_document([slide], FakeRender()))[0])
    for text in ("Zürich — “Ærø”", "São Paulo", "€1,200", "£950", "¥180,000", "₹99,000", "≥ 50%"):
        assert text in flat


def test_characters_the_font_lacks_become_question_marks_without_crashing() -> None:
    assert printable("東京 🦄 café") == "?? ? café"
    assert printable("a\x00b\tc\x07d") == "a b c d"
    assert printable("line one\nline two", one_line=True) == "line one line two"
    slide = _slide(title="Customer 東京-1 🦄", summary=["Tokyo (東京) 🦄 has a 54% chance."])
    flat = _flat(_pdf_text(pdf_document([slide], FakeRender()))[0])
    assert "Customer ??-1 ?" in flat
    assert "Tokyo (??) ? has a 54% chance." in flat


def test_text_that_looks_like_markup_or_a_page_alias_stays_as_written() -> None:
    slide = _slide(summary=["Plan **gold** <b>VIP</b> [link](x) {nb} pages."], facts=[("Code", "{nb}")])
    flat = _flat(_pdf_text(pdf_document([slide], FakeRender()))[0])
    assert "Plan **gold** <b>VIP</b> [link](x) {nb} pages." in flat


def test_pdf_has_one_page_per_slide_with_page_numbers_and_metadata() -> None:
    slides = [_slide(f"C-{i}") for i in range(3)]
    data = pdf_document(slides, FakeRender())
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 3
    for number, (page, slide) in enumerate(zip(reader.pages, slides, strict=True), start=1):
        flat = _flat(page.extract_text())
        assert slide.title in flat and f"page {number} of 3" in flat
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (width, height) == pytest.approx(A4_PT, abs=0.5)
    metadata = reader.metadata
    assert metadata is not None
    assert metadata.title == "Customer C-0 and 2 more"
    assert metadata.producer == "Plainsight"
    assert metadata.creation_date is not None


def test_progress_is_told_once_per_page_ending_at_one() -> None:
    calls: list[tuple[float, str]] = []
    data = pdf_document([_slide(f"C-{i}") for i in range(4)], FakeRender(), progress=lambda f, m: calls.append((f, m)))
    assert len(PdfReader(io.BytesIO(data)).pages) == 4
    assert [f for f, _ in calls] == pytest.approx([0.25, 0.5, 0.75, 1.0])
    assert "C-3" in calls[-1][1]


def test_a_chart_shrinks_before_the_text_moves_to_another_page() -> None:
    tall = _figure(12)  # 552 px tall: about 130 mm at full size
    render = FakeRender()
    nine = [f"Reason {j}: " + LONG_WORDS for j in range(9)]
    data = pdf_document([_slide(figure=tall, sections=[Section("Reasons", nine)])], render)
    assert len(PdfReader(io.BytesIO(data)).pages) == 1
    ((width, height),) = render.sizes
    assert tall.layout.height / 2 <= height < tall.layout.height  # laid out shorter than the figure asks
    assert width >= 780  # but still full width

    render = FakeRender()  # far too much text for one page: the chart keeps its size and the text moves on
    data = pdf_document([_slide(figure=tall, sections=[Section("Reasons", nine * 4)])], render)
    assert len(PdfReader(io.BytesIO(data)).pages) > 1
    assert render.sizes[0][1] == tall.layout.height


def _text_starts(page: PageObject) -> list[tuple[float, float]]:
    """Where every piece of text on the page starts (x, y in points), from the PDF's own text matrices."""
    starts: list[tuple[float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            starts.append((tm[4] * cm[0] + tm[5] * cm[2] + cm[4], tm[4] * cm[1] + tm[5] * cm[3] + cm[5]))

    page.extract_text(visitor_text=visit)
    return starts


def test_long_text_flows_on_to_more_pages_and_stays_on_the_page() -> None:
    slide = _long_slide()
    calls: list[float] = []
    data = pdf_document([slide, _slide()], FakeRender(), progress=lambda f, m: calls.append(f))
    reader = PdfReader(io.BytesIO(data))
    pages = len(reader.pages)
    assert pages > 3
    assert calls == pytest.approx([0.5, 1.0])
    for number, page in enumerate(reader.pages, start=1):
        assert f"page {number} of {pages}" in _flat(page.extract_text())
    everything = _flat(" ".join(page.extract_text() for page in reader.pages))
    for i in (0, 10, 19):  # the sections all made it, in order
        assert f"Line 3 of {i}." in everything
    assert everything.index("Line 3 of 10.") < everything.index("Line 0 of 19.")

    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        starts = _text_starts(page)
        assert starts
        for x, y in starts:
            assert MARGIN_PT - 1 <= x <= width - MARGIN_PT and 0 < y < height


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_every_word_of_long_text_lies_inside_the_margins(tmp_path: Path) -> None:
    path = tmp_path / "long.pdf"
    path.write_bytes(pdf_document([_long_slide()], FakeRender()))
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True, text=True).stdout
    pages = re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html, flags=re.S)
    assert len(pages) > 3
    for width, height, body in pages:
        words = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', body)
        assert words
        for x0, y0, x1, y1 in (map(float, word) for word in words):
            assert MARGIN_PT - 1 <= x0 and x1 <= float(width) - MARGIN_PT + 1
            assert 0 <= y0 and y1 <= float(height)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_pdftoppm_draws_each_page_at_a4_size_with_the_chart_on_it(tmp_path: Path) -> None:
    path = tmp_path / "deck.pdf"
    path.write_bytes(pdf_document([_slide("A"), _slide("B")], FakeRender()))
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(path), str(tmp_path / "page")], check=True)
    pictures = sorted(tmp_path.glob("page-*.png"))
    assert len(pictures) == 2
    for picture in pictures:
        with Image.open(picture) as image:
            width, height = image.size
            assert abs(width - 210 / 25.4 * 50) <= 1 and abs(height - 297 / 25.4 * 50) <= 1
            colours = dict((colour, count) for count, colour in image.convert("RGB").getcolors(width * height) or [])
            assert colours.get(CHART_COLOUR, 0) > 0.1 * width * height  # the chart is there, and large


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Chromium is not installed (real charts need it)")
def test_pdf_and_pptx_with_real_chart_pictures() -> None:
    from explain.export.render import render_png

    def render(figure: go.Figure, width: int, height: int) -> bytes:
        return render_png(figure, width, height, scale=2)

    slide = _slide()
    reader = PdfReader(io.BytesIO(pdf_document([slide], render)))
    assert len(reader.pages) == 1 and len(reader.pages[0].images) == 1
    deck = Presentation(io.BytesIO(pptx_document([slide], render)))
    (picture,) = [s for s in deck.slides[0].shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert picture.image.size[0] >= 1600  # drawn at 2x


def test_an_empty_list_of_slides_is_refused() -> None:
    with pytest.raises(ValueError):
        pdf_document([], FakeRender())
    with pytest.raises(ValueError):
        pptx_document([], FakeRender())


# --- PPTX --------------------------------------------------------------------------------------------------


def _texts(slide: object) -> list[str]:
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]  # type: ignore[attr-defined]


def test_pptx_is_16_9_with_editable_text_a_chart_and_notes() -> None:
    slide = _slide()
    deck = Presentation(io.BytesIO(pptx_document([slide], FakeRender())))
    assert (deck.slide_width, deck.slide_height) == (12192000, 6858000)
    assert len(deck.slides) == 2  # the slide and its details
    main, details = deck.slides
    texts = _texts(main)
    assert any("8030-TERHH" in text for text in texts)
    for label, value in slide.facts:
        assert any(value in text and label in text for text in texts)
    joined = "\n".join(texts)
    assert all(sentence in joined for sentence in slide.summary)
    assert slide.footer in texts
    pictures = [shape for shape in main.shapes if shape.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) == 1
    assert main.has_notes_slide
    notes = main.notes_slide.notes_text_frame.text
    assert all(sentence in notes for sentence in slide.summary)

    detail_text = "\n".join(_texts(details))
    assert "Customer 8030-TERHH: the details" in detail_text
    for section in slide.sections:
        assert section.heading in detail_text and all(line in detail_text for line in section.lines)
    assert slide.footer in _texts(details)


def test_a_slide_with_only_a_title_and_a_sentence() -> None:
    bare = Slide(title="Overview", summary=["Of your 1,500 customers, 310 are likely to leave."], figure=None)
    render = FakeRender()
    (text,) = _pdf_text(pdf_document([bare], render))
    assert "Overview" in text and "310 are likely to leave" in text and "page 1 of 1" in text
    assert render.sizes == []
    deck = Presentation(io.BytesIO(pptx_document([bare], FakeRender())))
    assert len(deck.slides) == 1
    assert not [s for s in deck.slides[0].shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert any("310 are likely to leave" in text for text in _texts(deck.slides[0]))


@pytest.mark.parametrize("which", ["normal", "long"])
def test_pptx_shapes_stay_on_the_slide_and_their_text_fits(which: str) -> None:
    slide = _slide() if which == "normal" else _long_slide()
    deck = Presentation(io.BytesIO(pptx_document([slide, _slide("B")], FakeRender())))
    width, height = deck.slide_width, deck.slide_height
    if which == "long":
        assert len(deck.slides) > 4  # the 20 sections need more than one details slide
        everything = "\n".join(text for page in deck.slides for text in _texts(page))
        assert all(f"Line 3 of {i}." in everything for i in (0, 10, 19))
    for page in deck.slides:
        for shape in page.shapes:
            assert shape.left >= 0 and shape.top >= 0
            assert shape.left + shape.width <= width and shape.top + shape.height <= height
            if not shape.has_text_frame:
                continue
            frame = shape.text_frame
            assert frame.word_wrap is True
            runs = [run for paragraph in frame.paragraphs for run in paragraph.runs]
            assert runs and all(run.font.size is not None for run in runs)
            assert _estimated_height(shape) <= shape.height / EMU * 72 - 2 * 0.05 * 72 + 0.5, shape.name


def _estimated_height(shape: object) -> float:
    """The height (points) of a text box's text, wrapped greedily with DejaVu Sans at each run's size."""
    frame = shape.text_frame  # type: ignore[attr-defined]
    usable = (shape.width - frame.margin_left - frame.margin_right) / EMU * 72  # type: ignore[attr-defined]
    total = 0.0
    for number, paragraph in enumerate(frame.paragraphs):
        run = paragraph.runs[0]
        size = run.font.size.pt
        font = ImageFont.truetype(str(font_path(bool(run.font.bold))), 100)
        indent = int(paragraph._p.pPr.get("marL", 0)) / 12700 if paragraph._p.pPr is not None else 0.0
        lines, current = 0, ""
        for word in paragraph.text.split():
            trial = f"{current} {word}".strip()
            if font.getlength(trial) * size / 100 <= usable - indent:
                current = trial
                continue
            lines += 1 if current else 0
            current = word
            while font.getlength(current) * size / 100 > usable - indent:  # a word wider than the box
                lines += 1
                current = current[max(1, len(current) // 2) :]
        lines += 1
        before = paragraph.space_before.pt if number and paragraph.space_before is not None else 0.0
        total += before + lines * size * 1.2
    return total


def test_pptx_text_from_data_is_cleaned_of_control_characters() -> None:
    slide = _slide(title="Customer \x00BAD\x07-1", summary=["A line\x0bwith a vertical tab."])
    deck = Presentation(io.BytesIO(pptx_document([slide], FakeRender())))
    texts = _texts(deck.slides[0])
    assert "Customer BAD -1" in texts
    assert any("A line with a vertical tab." in text for text in texts)
