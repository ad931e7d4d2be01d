"""What every command shares: loading the bundle it names, the reader's settings, and values as JSON."""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from typing import Any

import pandas as pd

from explain.bundle.bundle import Bundle
from explain.bundle.load import load_bundle, models_dirs
from explain.errors import PlainsightError
from explain.reports.settings import Settings


def load(args: argparse.Namespace) -> Bundle:
    """The bundle the command names, for the outcome it names (models with more than two outcomes)."""
    path: Path = args.bundle
    # The operator named this folder on their own command line, which is what trusting it means.
    bundle = load_bundle(path, trusted=[*models_dirs(), path.expanduser()])
    outcome = getattr(args, "outcome", None)
    if outcome is not None:
        if not bundle.is_classifier:
            raise PlainsightError("--outcome is for models that give a chance; this one predicts a value.")
        bundle = bundle.for_outcome(outcome)
    return bundle


def settings(args: argparse.Namespace) -> Settings:
    """The reader's settings from the command line, as the pages take them (the success rate in percent)."""
    rate = getattr(args, "success_rate", None)
    if rate is not None and not 0 <= rate <= 100:
        raise PlainsightError(f"--success-rate is a percentage between 0 and 100 (30 means 3 in 10), not {rate:g}.")
    return Settings(
        audience=getattr(args, "audience", "stakeholder"),
        success_rate=None if rate is None else rate / 100,
        budget=getattr(args, "budget", None),
    )


def json_value(value: Any) -> Any:
    """A value from the data as JSON: numpy numbers as Python numbers, gaps as null."""
    if hasattr(value, "item"):
        value = value.item()
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if value is pd.NA:
        return None
    return value
