"""``plainsight segment``: a group of customers against everyone."""

from __future__ import annotations

import argparse

from explain.errors import PlainsightError


def segment(args: argparse.Namespace) -> str:
    raise PlainsightError("plainsight segment is not built yet.")
