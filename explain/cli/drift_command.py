"""``plainsight drift``: what changed between the model's reference data and newer data."""

from __future__ import annotations

import argparse

from explain.errors import PlainsightError


def drift(args: argparse.Namespace) -> str:
    raise PlainsightError("plainsight drift is not built yet.")
