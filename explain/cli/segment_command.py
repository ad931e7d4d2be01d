"""``plainsight segment``: a group of customers against everyone, as the overview's group section tells it."""

from __future__ import annotations

import argparse

from explain.cli.common import load, settings
from explain.errors import PlainsightError


def segment(args: argparse.Namespace) -> str:
    from explain.analyses.segments import named, narrow, where
    from explain.reports.segment import segment_report
    from explain.reports.serialize import to_json, to_text

    if (args.where is None) == (args.group is None):
        raise PlainsightError(
            "Name the group with --where \"Contract == 'Month-to-month'\" (a filter) or --group NAME "
            "(a group the model card names), one of the two."
        )
    bundle = load(args)
    chosen = named(bundle, args.group) if args.group is not None else where(bundle, args.where)
    report = segment_report(narrow(bundle, chosen), settings(args))
    return to_json(report) if args.format == "json" else to_text(report)
