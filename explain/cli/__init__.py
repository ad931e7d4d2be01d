"""``plainsight``: the analyst's command line over the same engine, and the same reports, as the app.

Every problem ends in one plain line on stderr and exit status 2; no traceback reaches the terminal.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import warnings
from pathlib import Path

from explain.batch.plan import DEFAULT_ROWS
from explain.cli import (
    batch_command,
    cache_commands,
    drift_command,
    model_commands,
    output_commands,
    row_commands,
    segment_command,
)
from explain.errors import PlainsightError
from explain.methods.backends.lime import DEFAULT_SAMPLES

EXIT_PROBLEM = 2


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR, format="plainsight: %(message)s")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            output = args.run(args)
    except PlainsightError as exc:
        print(f"plainsight: {exc}", file=sys.stderr)
        return EXIT_PROBLEM
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - the promise is one plain line, whatever broke
        print(f"plainsight: unexpected problem ({type(exc).__name__}: {exc})", file=sys.stderr)
        return EXIT_PROBLEM
    try:
        print(output)
    except BrokenPipeError:  # the reader stopped early (`| head`): not a problem worth a traceback
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keeps Python's exit-time flush quiet
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="plainsight", description="Explain a trained model in plain words.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser("check", help="load a bundle and say what it holds")
    check.add_argument("bundle", type=Path, help="the bundle folder")
    check.set_defaults(run=model_commands.check)

    report = commands.add_parser("report", help="print a story: the overview, a customer, the impact or the model")
    report.add_argument("bundle", type=Path)
    report.add_argument("--row", help="a customer's id: their story (the default story without it: the overview)")
    report.add_argument(
        "--story", choices=["overview", "customer", "impact", "model"], help="which story (default: see --row)"
    )
    report.add_argument("--format", choices=["text", "json"], default="text")
    report.add_argument("--audience", choices=["stakeholder", "analyst"], default="stakeholder")
    _assumption_options(report)
    report.set_defaults(run=output_commands.report)

    explain = commands.add_parser("explain", help="explain one row")
    explain.add_argument("bundle", type=Path)
    explain.add_argument(
        "--row", required=True, help="the row's id (the card's id column), or its 0-based position when there is none"
    )
    explain.add_argument("--format", choices=["text", "json"], default="text")
    explain.add_argument(
        "--method", choices=["shap", "lime"], default="shap", help="shap (exact where possible) or lime (a local fit)"
    )
    explain.add_argument("--samples", type=int, default=DEFAULT_SAMPLES, help="LIME's sample count (default 5000)")
    explain.add_argument(
        "--set", action="append", default=[], metavar="COL=VALUE", help="what-if: change a column (repeatable)"
    )
    explain.set_defaults(run=row_commands.explain)

    suggest_cmd = commands.add_parser("suggest", help="what would it take to reach a target")
    suggest_cmd.add_argument("bundle", type=Path)
    suggest_cmd.add_argument("--row", required=True)
    suggest_cmd.add_argument(
        "--target", required=True, type=float, help="a chance in percent (0-100) for classifiers, else a value"
    )
    suggest_cmd.add_argument("--format", choices=["text", "json"], default="text")
    suggest_cmd.set_defaults(run=row_commands.suggest)

    importance = commands.add_parser("importance", help="what drives the model across all rows")
    importance.add_argument("bundle", type=Path)
    importance.add_argument("--format", choices=["text", "json"], default="text")
    importance.set_defaults(run=model_commands.importance)

    coefficients = commands.add_parser(
        "coefficients", help="a linear model's effect per raw unit of each column (undoing the scaling)"
    )
    coefficients.add_argument("bundle", type=Path)
    coefficients.add_argument("--format", choices=["text", "json"], default="text")
    coefficients.set_defaults(run=model_commands.coefficients)

    quality = commands.add_parser("quality", help="how good the model is on the reference data (needs the target)")
    quality.add_argument("bundle", type=Path)
    quality.add_argument("--format", choices=["text", "json"], default="text")
    quality.set_defaults(run=model_commands.quality)

    export = commands.add_parser("export", help="write a slide picture, a PDF or a PPTX (by the file's extension)")
    export.add_argument("bundle", type=Path)
    export.add_argument("--row", action="append", default=[], metavar="ID", help="a customer (repeatable)")
    export.add_argument("--top", type=int, metavar="N", help="the N customers most at risk (or with the largest value)")
    export.add_argument(
        "--to", required=True, type=Path, metavar="FILE", help="out.png, out.pdf, out.pptx, or out.csv (a table)"
    )
    export.add_argument("--audience", choices=["stakeholder", "analyst"], default="stakeholder")
    _assumption_options(export)
    export.set_defaults(run=output_commands.export)

    batch = commands.add_parser(
        "batch",
        help="every row of a CSV or Parquet file (or a folder of them): its chance, value at risk, main reasons and "
        "one sentence, written as Parquet parts",
    )
    batch.add_argument("bundle", type=Path)
    batch.add_argument("--data", required=True, type=Path, metavar="FILE|FOLDER", help="the rows to explain")
    batch.add_argument("--out", required=True, type=Path, metavar="FOLDER", help="where the parts go (new or empty)")
    batch.add_argument("--top", type=int, default=3, metavar="K", help="reasons per row (default 3)")
    batch.add_argument(
        "--chunk-rows", type=int, default=DEFAULT_ROWS, metavar="N", help=f"rows per part (default {DEFAULT_ROWS:,})"
    )
    batch.add_argument("--workers", type=int, metavar="N", help="run on a Dask cluster of N workers on this machine")
    batch.add_argument("--scheduler", metavar="ADDRESS", help="run on a running Dask cluster (tcp://host:8786)")
    batch.set_defaults(run=batch_command.batch)

    segment = commands.add_parser(
        "segment", help="a group of customers (filters on raw columns, or a group the card names) against everyone"
    )
    segment.add_argument("bundle", type=Path)
    segment.add_argument(
        "--where",
        metavar="FILTER",
        help="e.g. \"Contract == 'Month-to-month' and tenure < 12\" (==, !=, <, <=, >, >=, in [...]; and)",
    )
    segment.add_argument("--group", metavar="NAME", help="a group the card names under segments: (its label)")
    segment.add_argument("--format", choices=["text", "json"], default="text")
    segment.add_argument("--audience", choices=["stakeholder", "analyst"], default="stakeholder")
    segment.set_defaults(run=segment_command.segment)

    drift = commands.add_parser("drift", help="what changed between the model's reference data and newer data")
    drift.add_argument("bundle", type=Path)
    drift.add_argument(
        "--data",
        type=Path,
        metavar="FILE",
        help="the newer data (CSV or Parquet); default: the bundle's current.parquet or current.csv",
    )
    drift.add_argument("--format", choices=["text", "json"], default="text")
    drift.add_argument("--audience", choices=["stakeholder", "analyst"], default="stakeholder")
    drift.set_defaults(run=drift_command.drift)

    warm = commands.add_parser(
        "warm", help="work out every row's explanation now and keep it on disk, so the app opens at once"
    )
    warm.add_argument("bundle", type=Path, nargs="+", help="one or more bundle folders")
    warm.set_defaults(run=cache_commands.warm)

    for command in commands.choices.values():
        if command.prog.split()[-1] != "check":
            command.add_argument(
                "--outcome", help="for a model with more than two outcomes: the class to explain (default: the card's)"
            )
    return parser


def _assumption_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--success-rate",
        type=float,
        metavar="PERCENT",
        help="the share of at-risk customers acting keeps, in percent (default 30), as on the impact page",
    )
    command.add_argument(
        "--budget", type=float, help="the money to spend on acting (default: what acting on every high-risk one costs)"
    )
