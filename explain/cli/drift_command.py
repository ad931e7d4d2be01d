"""``plainsight drift``: what changed between the model's reference data and newer data.

The newer data is ``--data FILE`` (CSV or Parquet), else the bundle's own ``current.parquet`` or ``current.csv``. It is
read through the upload's checks; a file that cannot be used, or no newer data at all, is one plain line.
"""

from __future__ import annotations

import argparse

from explain.cli.common import load, settings
from explain.reports.drift import drift_report
from explain.reports.serialize import to_json, to_text
from explain.upload.current import load_current


def drift(args: argparse.Namespace) -> str:
    bundle = load(args)
    current, source = load_current(bundle, args.data)
    report = drift_report(bundle, current, settings(args), source=source)
    return to_json(report) if args.format == "json" else to_text(report)
