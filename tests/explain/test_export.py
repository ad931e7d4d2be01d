"""Exports built from a bundle: what the slides say, the picture's size, the files read back, and no browser."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import shutil

import pytest
from PIL import Image

from explain.bundle import load_bundle
from explain.export import render
from explain.export.files import ExportError, export_bytes
from explain.export.layout import customer_slide as lay_out_customer
from explain.export.layout import customer_slides, top_at_risk
from explain.export.layout import overview_slide as lay_out_overview
from explain.export.png import HEIGHT, WIDTH, slide_png
from explain.export.slide import Slide
from explain.reports import ANALYST, STAKEHOLDER, Settings, customer_report, overview_report
from explain.words.numbers import format_chance
from explain.words.plain_words import find_jargon

needs_browser = pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Chromium: apt-get install chromium")


def fake_render(figure, width, height, scale=1.0):
    """A real PNG of the asked size, so layout tests need no browser."""
    out = io.BytesIO()
    Image.new("RGB", (int(width * scale), int(height * scale)), (200, 220, 240)).save(out, format="PNG")
    return out.getvalue()


def _words(slide: Slide) -> str:
    lines = [slide.title, *slide.summary, slide.footer, *itertools.chain(*(s.lines for s in slide.sections))]
    lines += [s.heading for s in slide.sections] + [f"{label} {value}" for label, value in slide.facts]
    return "\n".join(lines)


def customer_slide(bundle, position, *, analyst=False, today=None):
    settings = Settings(audience=ANALYST if analyst else STAKEHOLDER)
    return lay_out_customer(customer_report(bundle, position, settings), bundle, today=today)


def overview_slide(bundle, *, analyst=False, today=None):
    settings = Settings(audience=ANALYST if analyst else STAKEHOLDER)
    return lay_out_overview(overview_report(bundle, settings), bundle, today=today)


@pytest.fixture(scope="module")
def churn(demo_dir):
    return load_bundle(demo_dir / "churn-demo", trusted=[demo_dir])


def test_customer_slide_says_what_the_page_says(churn):
    slide = customer_slide(churn, 3, today=dt.date(2026, 11, 24))
    chance = format_chance(float(churn.predict(churn.X.iloc[[3]])[0]))
    assert slide.title == f"Customer {churn.ids[3]}"
    assert slide.facts[0] == ("Chance to leave", chance)
    assert slide.facts[1][0] == "Value at risk" and slide.facts[1][1].endswith(" a year")
    assert slide.summary[0] == f"This customer has {'an' if chance.startswith('8') else 'a'} {chance} chance to leave."
    headings = [s.heading for s in slide.sections]
    assert headings == ["Main reasons", "What would change it"]  # the value at risk is a headline figure
    assert "Customer churn risk (model: churn-demo) · 24 November 2026 · Reasons worked out exactly" in slide.footer
    assert find_jargon(_words(slide)) == []


def test_what_would_change_it_is_checked_against_the_model(churn):
    slide = customer_slide(churn, 3)
    changes = next(s for s in slide.sections if s.heading == "What would change it").lines
    assert changes and all(
        line.startswith("Changing ") and " lowers the chance to leave from " in line for line in changes
    )


def test_analyst_slides_add_how_it_was_made(churn):
    slide = customer_slide(churn, 3, analyst=True)
    analyst = next(s for s in slide.sections if s.heading == "How this was made (analyst)")
    assert any("xgboost-tree-exact" in line for line in analyst.lines)
    assert "SHAP values by xgboost-tree-exact" in slide.footer


def test_overview_slide_covers_drivers_money_quality_and_limits(churn):
    slide = overview_slide(churn)
    headings = [s.heading for s in slide.sections]
    assert headings == [
        "What drives it",
        "Business impact",
        "How good the model is",
        "What this model was not built for",
    ]
    assert slide.summary[0].startswith("About $") and "customers most at risk to keep about $" in slide.summary[0]
    assert slide.summary[1].startswith(f"Of your {len(churn.X):,} customers")
    assert find_jargon(_words(slide)) == []


def test_regression_slides_read_in_the_unit(demo_dir):
    spend = load_bundle(demo_dir / "spend-demo", trusted=[demo_dir])
    slide = customer_slide(spend, 0)
    assert slide.facts[0][0] == "Expected yearly spend" and slide.facts[0][1].startswith("$")
    assert slide.summary[0].startswith("Expected yearly spend: $")
    overview = overview_slide(spend)
    assert "Business impact" in [s.heading for s in overview.sections]
    assert find_jargon(_words(slide) + _words(overview)) == []


def test_top_at_risk_are_the_highest_chances_and_progress_reaches_the_end(churn):
    top = top_at_risk(churn, 5)
    chances = churn.predict(churn.X)
    assert sorted(chances[top], reverse=True) == list(chances[top])
    assert min(chances[top]) >= sorted(chances)[-5]
    seen = []
    slides = customer_slides(churn, top, progress=lambda done, message: seen.append(done))
    assert [s.title for s in slides] == [f"Customer {churn.ids[p]}" for p in top]
    assert seen[-1] == 1.0 and len(seen) == 5


def test_the_picture_is_a_16_9_slide(churn):
    data = slide_png(customer_slide(churn, 3), fake_render)
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.size == (WIDTH, HEIGHT) == (1920, 1080)


def test_long_and_hostile_text_is_drawn_as_text_without_failing():
    slide = Slide(
        title="<iframe srcdoc='<script>alert(1)</script>'> " + "Very long title " * 20,
        summary=["São Paulo, Zürich, Ærø: €1,200 ≥ 50% — “quoted” " * 10, "Unbrokenwordwithoutanyspaces" * 30],
        figure=None,
        facts=[("Chance to leave", "54%")],
        footer="x " * 500,
    )
    assert Image.open(io.BytesIO(slide_png(slide, fake_render))).size == (1920, 1080)


def test_formats_are_chosen_by_extension(churn):
    slide = customer_slide(churn, 3)
    with pytest.raises(ExportError, match="not '.docx'"):
        export_bytes([slide], ".docx", fake_render)
    with pytest.raises(ExportError, match="holds one slide.*has 2"):
        export_bytes([slide, slide], ".png", fake_render)
    assert export_bytes([slide], ".PNG", fake_render).startswith(b"\x89PNG")


def test_without_a_browser_the_message_says_how_to_get_one(monkeypatch):
    monkeypatch.setattr(render.shutil, "which", lambda name: None)
    monkeypatch.setattr(render, "_kaleido_has_chrome", lambda: False)
    assert not render.browser_found()
    with pytest.raises(render.RenderError, match="apt-get install chromium"):
        render.render_png(__import__("plotly.graph_objects").graph_objects.Figure(), 100, 100)


@needs_browser
def test_the_real_renderer_draws_the_page_figure_at_the_asked_size(churn):
    slide = customer_slide(churn, 3)
    png = render.render_png(slide.figure, 800, 500)
    assert Image.open(io.BytesIO(png)).size == (800, 500)
    picture = Image.open(io.BytesIO(slide_png(slide, render.render_png)))
    assert picture.size == (1920, 1080)
    # The chart really is there: the left part of the slide is not blank.
    chart = picture.crop((100, 200, 1100, 900)).convert("L")
    assert chart.getextrema()[0] < 100


def test_a_groups_slide_sets_it_beside_everyone_and_reads_back_from_the_pdf(churn):
    from explain.analyses.segments import named, narrow
    from explain.export.layout import segment_slide
    from explain.reports.segment import segment_report
    from tests.explain.test_export_documents import _flat, _pdf_text

    group = narrow(churn, named(churn, "Fibre customers"))
    report = segment_report(group)
    slide = segment_slide(report, group)
    assert slide.title == "Customer churn risk: Fibre customers"
    assert slide.summary == [report.intro, *report.headline[:2]]
    assert slide.facts[0] == ("Customers (this group / all customers)", f"{len(group.ids):,} / {len(churn.ids):,}")
    assert [s.heading for s in slide.sections] == ["How the drivers differ"]
    assert find_jargon(_words(slide)) == []
    analyst = segment_slide(segment_report(group, Settings(audience=ANALYST)), group)
    assert [s.heading for s in analyst.sections][1:] == [
        "How good the model is in this group",
        "How this was made (analyst)",
    ]

    text = _flat(" ".join(_pdf_text(export_bytes([slide], ".pdf", fake_render))))
    assert _flat(report.intro) in text and _flat(report.drivers[0]) in text
