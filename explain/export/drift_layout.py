"""The What changed story laid out as one slide: the same headline, sentences, figures and drivers chart as the page.

The stakeholder's version uses only plain words; the analyst's adds the measures (PSI, the test and its p-value per
column that moved), labelled as such.
"""

from __future__ import annotations

import datetime as dt

from explain.bundle.bundle import Bundle
from explain.errors import NotAvailable
from explain.export.layout import ANALYST_HEADING
from explain.export.slide import Section, Slide
from explain.figures.explanation import pair_figure
from explain.reports.common import footer
from explain.reports.drift import DriftReport


def drift_slide(report: DriftReport, bundle: Bundle, *, today: dt.date | None = None) -> Slide:
    """What changed in the newer data: the headline, each change, the warning, the average, the drivers, quality."""
    changes = [sentence for change in report.changes for sentence in change.sentences]
    sections = [Section("What changed", changes)] if changes else []
    for heading, lines in (
        ("Unlike anything the model learned from", report.warning),
        ("On average", report.chance),
        (report.drivers_heading, report.drivers),
        ("How good the model is on the newer data", report.quality),
    ):
        if not isinstance(lines, NotAvailable) and lines:
            sections.append(Section(heading, list(lines)))
    if report.settings.analyst:
        moved = {change.column for change in report.changes}
        rows = [row for row in report.table.rows if row[0] in moved]
        measures = [f"{row[0]}: PSI {row[3]}, {row[4]} statistic {row[5]}, p-value {row[6]} ({row[7]})" for row in rows]
        sections.append(Section(ANALYST_HEADING, [*report.analyst, *measures]))
    return Slide(
        title=report.title,
        summary=list(report.headline[:3]),
        figure=pair_figure(report.drivers_chart),
        facts=[(fact.label, fact.value) for fact in report.facts],
        sections=sections,
        footer=footer(bundle, report.made, analyst=report.settings.analyst, today=today),
    )
