"""``plainsight warm``: work out what is expensive about bundles now, and keep it on disk for the app and the CLI."""

from __future__ import annotations

import argparse
import time

from explain.analyses.quality import model_quality
from explain.bundle.bundle import Bundle
from explain.cli.common import load
from explain.errors import PlainsightError
from explain.methods.saved import kept_population_explanation, population_explanation
from explain.store import cache_folder


def warm(args: argparse.Namespace) -> str:
    folder = cache_folder()
    if folder is None:
        return "The cache is off (PLAINSIGHT_CACHE_DIR=off): nothing was kept."
    lines = []
    for path in args.bundle:
        bundle = load(argparse.Namespace(bundle=path, outcome=getattr(args, "outcome", None)))
        outcomes = [bundle] if args.outcome is not None else [bundle.for_outcome(c) for c in bundle.outcomes]
        for one in outcomes or [bundle]:
            lines.append(_warm(one))
    lines.append(f"kept in {folder}")
    return "\n".join(lines)


def _warm(bundle: Bundle) -> str:
    name = bundle.name + (f" ({bundle.card.positive_class})" if bundle.card.multiclass else "")
    start = time.perf_counter()
    if kept_population_explanation(bundle) is not None:
        bundle.outputs  # noqa: B018 - read (or work out) every row's output too
        _quality(bundle)
        return f"{name}: already kept ({time.perf_counter() - start:.1f} s to check)"
    explanation = population_explanation(bundle)
    bundle.outputs  # noqa: B018 - every row's output
    _quality(bundle)
    rows = f"{len(explanation):,} of {len(bundle.X):,}" if explanation.provenance.sample else f"{len(bundle.X):,}"
    return f"{name}: every row's output and explanation ({rows} rows) worked out in {time.perf_counter() - start:.1f} s"


def _quality(bundle: Bundle) -> None:
    """The model's quality figures, kept too (the model page's; two seconds at a million rows)."""
    try:
        model_quality(bundle)
    except PlainsightError:  # an outcome column the figures cannot use: the page says so when it is opened
        pass
