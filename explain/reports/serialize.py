"""Reports as data (JSON) and as plain text, for ``plainsight report`` and anyone who scripts the engine.

JSON holds every field of a report: the facts, the sentences as the pages show them, the chart data and how it
was made. Fields marked ``repr=False`` (large arrays behind a chart or a table) are left out.
"""

from __future__ import annotations

import dataclasses
import json
import math
from typing import Any

import numpy as np
import pandas as pd

from explain.errors import NotAvailable
from explain.reports.common import Fact, Table
from explain.reports.customer import CustomerReport
from explain.reports.drift import DriftReport
from explain.reports.impact import ImpactReport
from explain.reports.model import ModelReport
from explain.reports.overview import OverviewReport
from explain.reports.segment import SegmentReport

Report = OverviewReport | CustomerReport | ImpactReport | ModelReport | SegmentReport | DriftReport


def to_data(value: Any) -> Any:
    """A report (or any part of one) as plain JSON-ready data."""
    if isinstance(value, NotAvailable):
        return {"not_available": value.reason, "hint": value.hint}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {f.name: to_data(getattr(value, f.name)) for f in dataclasses.fields(value) if f.repr}
        if isinstance(value, Table):
            out["rows"] = [to_data(list(row)) for row in value.rows]
        return out
    if isinstance(value, dict):
        return {str(k): to_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_data(v) for v in value]
    if isinstance(value, np.ndarray):
        return [to_data(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        return to_data(value.item())
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is pd.NA:
        return None
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def to_json(report: Report) -> str:
    """The report as JSON: ``{"story": "customer", ...fields}``."""
    data = {"story": story_name(report), **to_data(report)}
    return json.dumps(data, indent=2, ensure_ascii=False)


def story_name(report: Report) -> str:
    return {
        OverviewReport: "overview",
        CustomerReport: "customer",
        ImpactReport: "impact",
        ModelReport: "model",
        SegmentReport: "segment",
        DriftReport: "drift",
    }[type(report)]


def to_text(report: Report) -> str:
    """The report as the plain text a terminal shows: the same sentences and figures as the page."""
    if isinstance(report, OverviewReport):
        lines = _overview(report)
    elif isinstance(report, CustomerReport):
        lines = _customer(report)
    elif isinstance(report, ImpactReport):
        lines = _impact(report)
    elif isinstance(report, SegmentReport):
        lines = _segment(report)
    elif isinstance(report, DriftReport):
        lines = _drift(report)
    else:
        lines = _model(report)
    return "\n".join(lines).rstrip()


def _facts(facts: tuple[Fact, ...]) -> list[str]:
    return [f"  {fact.label}: {fact.value}" for fact in facts]


def _section(heading: str, lines: tuple[str, ...] | list[str] | NotAvailable) -> list[str]:
    if isinstance(lines, NotAvailable):
        return ["", heading, f"  {lines.reason}"]
    if not lines:
        return []
    return ["", heading, *(f"  - {line}" for line in lines)]


def _analyst(lines: tuple[str, ...], table: Table | None, *, show: bool) -> list[str]:
    if not show:
        return []
    out = _section("How this was made (analyst)", lines)
    if table is not None and table.rows:
        out += ["", "  " + " | ".join(table.columns)]
        out += ["  " + " | ".join(str(v) for v in row) for row in table.rows]
    return out


def _overview(report: OverviewReport) -> list[str]:
    lines = [report.title, "", *report.headline, "", *_facts(report.facts), "", report.chart_heading]
    lines += [f"  {bar.text:>14}  {bar.label}" for bar in report.importance.bars]
    lines += _section("Which way they push", report.drivers)
    if report.sample_note:
        lines += ["", report.sample_note]
    lines += _section("What it is worth", report.business)
    lines += _section("How good the model is", report.quality)
    lines += _section("What this model was not built for", report.limitations)
    lines += ["", report.made.plain]
    return lines + _analyst(report.analyst, report.table, show=report.settings.analyst)


def _segment(report: SegmentReport) -> list[str]:
    lines = [f"{report.title}: {report.name}", "", report.intro, *report.headline, ""]
    width = max(len(str(row[0])) for row in report.side_by_side.rows)
    heads = report.side_by_side.columns
    lines += [f"  {'':<{width}}  {heads[1]:>18}  {heads[2]:>18}"]
    lines += [f"  {row[0]:<{width}}  {row[1]:>18}  {row[2]:>18}" for row in report.side_by_side.rows]
    lines += ["", report.chart_heading]
    lines += [
        f"  {first.text:>10}  {second.text:>10}  {first.label}"
        for first, second in zip(report.drivers_chart.first, report.drivers_chart.second, strict=True)
    ]
    lines += [f"  ({report.drivers_chart.names[0]}, then {report.drivers_chart.names[1].lower()})"]
    lines += _section("How the drivers differ", report.drivers)
    if report.sample_note:
        lines += ["", report.sample_note]
    if report.settings.analyst:
        lines += _section("How good the model is in this group (analyst)", report.quality)
        if report.quality_table is not None:
            lines += ["", "  " + " | ".join(report.quality_table.columns)]
            lines += ["  " + " | ".join(str(v) for v in row) for row in report.quality_table.rows]
    lines += ["", report.made.plain]
    return lines + _analyst(report.analyst, report.table, show=report.settings.analyst)


def _drift(report: DriftReport) -> list[str]:
    lines = [report.title, f"Newer data: {report.source}", "", *report.headline, "", *_facts(report.facts)]
    lines += _section("What changed", [sentence for change in report.changes for sentence in change.sentences])
    lines += _section("Unlike anything the model learned from", report.warning)
    lines += _section("On average", report.chance)
    chart = report.drivers_chart
    lines += ["", report.drivers_heading, f"  {chart.names[0]:>10}  {chart.names[1]:>10}"]
    lines += [f"  {a.text:>10}  {b.text:>10}  {a.label}" for a, b in zip(chart.first, chart.second, strict=True)]
    lines += _section("What drives it", report.drivers)
    if report.sample_note:
        lines += ["", report.sample_note]
    lines += _section("How good the model is on the newer data", report.quality)
    lines += _section("About the file", report.file_notes)
    lines += ["", report.made.plain]
    if not report.settings.analyst:
        return lines
    lines += _analyst(report.analyst, report.table, show=True) + _analyst((), report.drivers_table, show=True)
    return lines + (_analyst((), report.quality_table, show=True) if report.quality_table is not None else [])


def _customer(report: CustomerReport) -> list[str]:
    lines = [report.title, "", *_facts(report.facts), "", *report.headline]
    if report.value_at_risk_sentence:
        lines.append(report.value_at_risk_sentence)
    lines += ["", "Reasons, largest first:"]
    lines += [f"  Note: {flag}" for flag in report.flags]  # a value the model never saw, as the page warns
    lines += [f"  {reason.text:>18}  {reason.said}" for reason in report.reasons]
    lines += ["", *report.reason_sentences]
    if report.second_check:
        lines += ["", report.second_check]
    if report.suggestions is not None:
        found = report.suggestions
        lines += _section("What would change it", [line.sentence for line in found.lines] or [found.none_reached or ""])
    lines += ["", report.made.plain]
    return lines + _analyst(report.analyst, report.table, show=report.settings.analyst)


def _impact(report: ImpactReport) -> list[str]:
    lines = [f"Business impact: {report.title}", ""]
    if report.missing is not None:
        return [*lines, report.missing.reason, *([report.missing.hint] if report.missing.hint else [])]
    if report.note:
        lines += [report.note, ""]
    lines += [*report.headline, "", *_facts(report.facts)]
    if report.chart is not None:
        lines += ["", *(f"  {bar.label}: {bar.text}" for bar in report.chart.bars)]
    if report.assumptions:
        lines += ["", *report.assumptions]
    return lines + _analyst(report.analyst, report.table, show=report.settings.analyst)


def _model(report: ModelReport) -> list[str]:
    lines = [f"How the model works: {report.title}", "", *report.intro, "", report.heading]
    if report.linear is not None:
        lines += [f"  - {sentence}" for sentence in report.linear.sentences]
        if report.linear.odds_note:
            lines += ["", report.linear.odds_note]
    for fact in report.facts:
        lines += [f"  - {fact.sentence}"]
    if report.sample_note:
        lines += ["", report.sample_note]
    quality = report.quality
    lines += _section(
        "How good is the model?",
        quality if isinstance(quality, NotAvailable) else (*quality.sentences, quality.training),
    )
    lines += _section("What it assumes", report.assumptions)
    lines += _section("What this model was not built for", report.limitations)
    if report.no_limits:
        lines += ["", report.no_limits]
    analyst = report.analyst + ((report.linear.analyst_intro,) if report.linear is not None else ())
    table = report.linear.table if report.linear is not None else None
    if not isinstance(quality, NotAvailable) and report.settings.analyst:
        lines += _analyst(analyst, table, show=True) + _analyst((), quality.table, show=True)
        return lines
    return lines + _analyst(analyst, table, show=report.settings.analyst)
