"""A report laid out as slides: the same sentences, figures and charts the page shows, for a deck or a PDF.

The stakeholder's version uses only plain words (checked against :mod:`explain.words.plain_words` by the tests);
the analyst's adds a section on how the numbers were made, labelled as such.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from explain.analyses.selection import top_at_risk
from explain.bundle.bundle import Bundle
from explain.errors import NotAvailable
from explain.export.slide import Section, Slide
from explain.figures.explanation import bars_figure, pair_figure, waterfall_figure
from explain.methods.reasons import explain_shap
from explain.reports.common import footer
from explain.reports.customer import CustomerReport, customer_report
from explain.reports.overview import OverviewReport
from explain.reports.segment import SegmentReport
from explain.reports.settings import Settings

Progress = Callable[[float, str], None]
ANALYST_HEADING = "How this was made (analyst)"


def customer_slide(report: CustomerReport, bundle: Bundle, *, today: dt.date | None = None) -> Slide:
    """One customer's page: their chance (or expected value), the reasons, what would change it, value at risk."""
    sections = [Section("Main reasons", list(report.reason_sentences))]
    found = report.suggestions
    if found is not None and found.reached:
        sections.append(Section("What would change it", [line.sentence for line in found.lines]))
    if report.settings.analyst:
        sections.append(Section(ANALYST_HEADING, list(report.analyst)))
    return Slide(
        title=report.title,
        summary=[*report.headline[:2], *report.reason_sentences[:1]],
        figure=waterfall_figure(report.waterfall),
        facts=[(fact.label, fact.value) for fact in report.facts],
        sections=sections,
        footer=footer(bundle, report.made, analyst=report.settings.analyst, today=today),
    )


def overview_slide(report: OverviewReport, bundle: Bundle, *, today: dt.date | None = None) -> Slide:
    """The overview page: what drives the model, what it is worth, how good it is, what it was not built for."""
    sections = [Section("What drives it", list(report.drivers))]
    for heading, lines in (("Business impact", report.business), ("How good the model is", report.quality)):
        if not isinstance(lines, NotAvailable) and lines:
            sections.append(Section(heading, list(lines)))
    if report.limitations:
        sections.append(Section("What this model was not built for", list(report.limitations)))
    if report.settings.analyst:
        top = [f"{row[0]}: {row[2]:.3f}" for row in report.table.rows[:8]]
        sections.append(Section(ANALYST_HEADING, [*report.analyst, *top]))
    return Slide(
        title=report.title,
        summary=list(report.headline[:3]),
        figure=bars_figure(report.importance),
        facts=[(fact.label, fact.value) for fact in report.facts],
        sections=sections,
        footer=footer(bundle, report.made, analyst=report.settings.analyst, today=today),
    )


def segment_slide(report: SegmentReport, bundle: Bundle, *, today: dt.date | None = None) -> Slide:
    """A group against everyone: who is in it, its figures beside everyone's, and how the drivers differ."""
    columns = report.side_by_side.columns
    sections = [Section("How the drivers differ", list(report.drivers))]
    if report.settings.analyst:
        quality = report.quality
        lines = [quality.reason] if isinstance(quality, NotAvailable) else list(quality)
        sections.append(Section("How good the model is in this group", lines))
        sections.append(Section(ANALYST_HEADING, list(report.analyst)))
    return Slide(
        title=f"{report.title}: {report.name}",
        summary=[report.intro, *report.headline[:2]],
        figure=pair_figure(report.drivers_chart),
        facts=[
            (f"{row[0]} ({columns[1].lower()} / {columns[2].lower()})", f"{row[1]} / {row[2]}")
            for row in report.side_by_side.rows
        ],  # fmt: skip
        sections=sections,
        footer=footer(bundle, report.made, analyst=report.settings.analyst, today=today),
    )


def customer_slides(
    bundle: Bundle,
    positions: list[int],
    settings: Settings | None = None,
    *,
    progress: Progress | None = None,
    today: dt.date | None = None,
) -> list[Slide]:
    """Several customers' pages, explained together (one pass over the model) and reporting progress.

    The second check runs only for the analyst, whose pages show it; a stakeholder's page does not.
    """
    settings = settings or Settings()
    explanation = explain_shap(bundle, positions)
    slides = []
    for i, position in enumerate(positions):
        one = explanation.take([i])
        report = customer_report(bundle, position, settings, explanation=one, second_check=settings.analyst)
        slides.append(customer_slide(report, bundle, today=today))
        if progress is not None:
            progress((i + 1) / len(positions), f"Prepared {i + 1} of {len(positions)}")
    return slides


__all__ = ["customer_slide", "customer_slides", "overview_slide", "top_at_risk"]
