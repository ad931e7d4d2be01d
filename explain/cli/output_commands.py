"""Commands that write what the pages show: ``report`` (any story, as text or JSON) and ``export`` (files)."""

from __future__ import annotations

import argparse
from pathlib import Path

from explain.cli.common import load, settings
from explain.errors import PlainsightError


def report(args: argparse.Namespace) -> str:
    from explain.reports.customer import customer_report
    from explain.reports.impact import impact_report
    from explain.reports.model import model_report
    from explain.reports.overview import overview_report
    from explain.reports.serialize import Report, to_json, to_text

    story = args.story or ("customer" if args.row is not None else "overview")
    if story == "customer" and args.row is None:
        raise PlainsightError("--story customer needs --row, the customer's id.")
    if story != "customer" and args.row is not None:
        raise PlainsightError(f"--row is for the customer story, not the {story} story.")
    bundle = load(args)
    chosen = settings(args)
    made: Report
    if story == "customer":
        made = customer_report(bundle, bundle.position(args.row), chosen)
    elif story == "impact":
        made = impact_report(bundle, chosen)
    elif story == "model":
        made = model_report(bundle, chosen)
    else:
        made = overview_report(bundle, chosen)
    return to_json(made) if args.format == "json" else to_text(made)


def export(args: argparse.Namespace) -> str:
    from explain.export.files import FORMATS, ExportError, export_bytes
    from explain.export.layout import customer_slides, overview_slide, top_at_risk
    from explain.export.render import render_png
    from explain.export.table import customers_table, to_csv_bytes
    from explain.reports.overview import overview_report

    target: Path = args.to
    suffix = target.suffix.lower()
    if suffix not in (*FORMATS, ".csv"):
        raise ExportError(f"--to must end in .png, .pdf, .pptx or .csv (got '{target.name}').")
    if args.top is not None and args.top < 1:
        raise ExportError("--top must be at least 1.")
    bundle = load(args)
    card = bundle.card
    chosen = settings(args)
    positions = [bundle.position(r) for r in args.row]
    if args.top:
        positions += [p for p in top_at_risk(bundle, args.top) if p not in positions]
    if suffix == ".csv":
        rows = positions or list(range(len(bundle.X)))  # a table without rows named: every customer
        data = to_csv_bytes(customers_table(bundle, rows))
        what = f"{len(rows):,} {card.entity if len(rows) == 1 else card.entities}"
    elif positions:
        data = export_bytes(customer_slides(bundle, positions, chosen), suffix, render_png)
        what = f"{len(positions)} {card.entity if len(positions) == 1 else card.entities}"
    else:
        data = export_bytes([overview_slide(overview_report(bundle, chosen), bundle)], suffix, render_png)
        what = "the overview"
    try:
        target.write_bytes(data)
    except OSError as exc:
        raise ExportError(f"Could not write {target}: {exc.strerror or exc}.") from None
    return f"wrote {target} ({what}, {len(data):,} bytes)"
