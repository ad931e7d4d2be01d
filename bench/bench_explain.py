"""How fast Plainsight explains: cold start to a first overview, one customer, and every row at once.

    .venv/bin/python bench/bench_explain.py [--bundle models/churn-demo] [--rows N]

Prints labelled figures, with the targets next to them. A script, not a test: timings depend on the machine,
so they are reported, never asserted. Takes well under 3 minutes on a 2-core machine with the demo bundle.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a plain script from anywhere, like `make bench` does

from explain.bundle import Bundle, load_bundle  # noqa: E402 - needs the path above
from explain.methods.backends.lime import DEFAULT_SAMPLES  # noqa: E402
from explain.methods.reasons import (  # noqa: E402
    explain_lime,  # noqa: E402
    explain_population,
    explain_shap,
)

COLD_RUNS = 3
CUSTOMERS = 200
POPULATION_RUNS = 5
SHAP_RUNS = 3  # shap's TreeExplainer is slower; three runs are enough for a median
SEED = 0
TARGET_COLD_S = 2.0
TARGET_CUSTOMER_MS = 50.0
LIME_CUSTOMERS = 50
TARGET_LIME_MS = 60.0

# Everything views/overview.py computes before Streamlit draws it, in a fresh interpreter.
_COLD_CHILD = textwrap.dedent(
    """
    import json, sys, time
    start = time.perf_counter()
    from explain.bundle import load_bundle
    from explain.figures.explanation import bars_figure
    from explain.methods.reasons import explain_population
    from explain.reports.overview import overview_report
    imported = time.perf_counter()
    bundle = load_bundle(sys.argv[1])
    loaded = time.perf_counter()
    explanation = explain_population(bundle)
    explained = time.perf_counter()
    report = overview_report(bundle, explanation=explanation)  # headline, drivers, money, quality, chart data
    bars_figure(report.importance)
    done = time.perf_counter()
    print(json.dumps({"import": imported - start, "load": loaded - imported, "explain": explained - loaded,
                      "rest": done - explained, "total": done - start}))
    """
)


def cold_start(bundle_path: Path) -> tuple[list[float], list[dict[str, float]]]:
    """Wall time of fresh interpreters that compute the overview, and each child's own breakdown."""
    # A bundle outside models/ is only opened from a folder the operator trusts, so trust its parent here.
    env = {**os.environ, "PLAINSIGHT_MODELS_DIR": str(bundle_path.parent)}
    walls, inside = [], []
    for _ in range(COLD_RUNS):
        start = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-c", _COLD_CHILD, str(bundle_path)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        walls.append(time.perf_counter() - start)
        if result.returncode != 0:
            sys.exit(f"the cold-start child failed:\n{result.stderr[-3000:]}")
        inside.append(json.loads(result.stdout.strip().splitlines()[-1]))
    return walls, inside


def per_customer(bundle: Bundle, explain: Any = None, count: int = CUSTOMERS) -> np.ndarray:
    """Milliseconds to explain one row (what the customer page asks for), on seeded random rows."""
    explain = explain or (lambda position: explain_shap(bundle, [position]))
    rng = np.random.default_rng(SEED)
    positions = rng.integers(0, len(bundle.X), count)
    for position in positions[:5]:  # warm-up: first calls pay for lazy imports and caches
        explain(int(position))
    times = []
    for position in positions:
        start = time.perf_counter()
        explain(int(position))
        times.append((time.perf_counter() - start) * 1000)
    return np.array(times)


def timed(runs: int, work: Any) -> tuple[float, Any]:
    """Median seconds of ``runs`` calls of ``work()``, and the last call's result."""
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def n_trees(estimator: Any) -> str:
    if hasattr(estimator, "get_booster"):
        return str(estimator.get_booster().num_boosted_rounds())
    if hasattr(estimator, "estimators_"):
        return str(len(estimator.estimators_))
    return "n/a (not a tree model)"


def verdict(value: float, target: float) -> str:
    return "met" if value <= target else "MISSED"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "models" / "churn-demo", help="bundle folder")
    parser.add_argument("--rows", type=int, default=None, help="only the first N rows in the global figures")
    args = parser.parse_args(argv)
    bundle_path = args.bundle.resolve()
    if not bundle_path.is_dir():
        sys.exit(f"There is no bundle at {bundle_path}; run `make demo` first.")

    import shap
    import xgboost

    bundle = load_bundle(bundle_path, trusted=[bundle_path.parent])
    estimator = bundle.parts.estimator
    rows = len(bundle.X) if args.rows is None else min(args.rows, len(bundle.X))
    print(f"bundle: {bundle.name} ({bundle_path})")
    print(
        f"python {platform.python_version()}, xgboost {xgboost.__version__}, shap {shap.__version__}, "
        f"{os.cpu_count()} CPU(s)"
    )
    print(
        f"model: {type(estimator).__name__}, trees: {n_trees(estimator)}, "
        f"rows: {len(bundle.X):,} (global figures use {rows:,}), raw columns: {len(bundle.features)}, "
        f"encoded columns: {bundle.encoded.shape[1]}"
    )
    print()

    walls, inside = cold_start(bundle_path)
    wall = statistics.median(walls)
    step = {key: statistics.median(d[key] for d in inside) for key in inside[0]}
    target = f"target <= {TARGET_COLD_S:.0f} s: {verdict(wall, TARGET_COLD_S)}"
    print(
        f"cold start to first overview (process, from interpreter start): {wall:.2f} s "
        f"(median of {COLD_RUNS}; {target})"
    )
    engine = f"{step['total']:.2f} s (median of {COLD_RUNS})"
    print(f"cold start to first overview (engine, from first import): {engine}")
    for key, what in (
        ("import", "importing the engine"),
        ("load", "load_bundle"),
        ("explain", "explain_population"),
        ("rest", "the overview report (drivers, money, quality) and its figure"),
    ):
        print(f"  of which {what}: {step[key]:.2f} s")
    print()

    ms = per_customer(bundle)
    median, p95 = float(np.median(ms)), float(np.percentile(ms, 95))
    target = f"target <= {TARGET_CUSTOMER_MS:.0f} ms: {verdict(p95, TARGET_CUSTOMER_MS)} at p95"
    print(
        f"per-customer explanation (explain_shap, 1 row): median {median:.1f} ms, p95 {p95:.1f} ms "
        f"({CUSTOMERS} seeded random rows; {target})"
    )
    ms = per_customer(bundle, lambda position: explain_lime(bundle, position), LIME_CUSTOMERS)
    median, p95 = float(np.median(ms)), float(np.percentile(ms, 95))
    target = f"target <= {TARGET_LIME_MS:.0f} ms: {verdict(median, TARGET_LIME_MS)} at the median"
    print(
        f"per-customer LIME ({DEFAULT_SAMPLES:,} samples): median {median:.1f} ms, p95 {p95:.1f} ms "
        f"({LIME_CUSTOMERS} seeded random rows; {target})"
    )
    print()

    if rows == len(bundle.X):
        label = "explain_population"
        ours_s, ours = timed(POPULATION_RUNS, lambda: explain_population(bundle))
    else:
        label = f"explain_shap on the first {rows:,} rows"
        ours_s, ours = timed(POPULATION_RUNS, lambda: explain_shap(bundle, np.arange(rows)))
    print(
        f"global explanation, {rows:,} rows, ours ({label}, {ours.method}): {ours_s:.3f} s "
        f"(median of {POPULATION_RUNS})"
    )

    # The same estimator on the same encoded data; building the explainer is part of the cost, as in ours.
    Xt = bundle.parts.transform(bundle.X.iloc[:rows])
    try:
        shap_s, shap_values = timed(SHAP_RUNS, lambda: shap.TreeExplainer(estimator).shap_values(Xt))
    except Exception as exc:  # noqa: BLE001 - e.g. a linear model: report and carry on with the other figures
        print(f"global explanation, shap.TreeExplainer: not run ({type(exc).__name__}: {exc})")
        return 0
    print(
        f"global explanation, {rows:,} rows, shap.TreeExplainer(estimator).shap_values: {shap_s:.3f} s "
        f"(median of {SHAP_RUNS})"
    )
    print(f"ratio shap / ours: {shap_s / ours_s:.2f}x")
    if hasattr(estimator, "get_booster"):
        # Read the ratio for what it is: the same C++ TreeSHAP behind two wrappers, not two algorithms.
        print("  note: for XGBoost models shap's TreeExplainer also calls xgboost's own pred_contribs")

    # A speed comparison means little unless both computed the same numbers: compare in log-odds, raw columns.
    shap_array = np.asarray(shap_values[1] if isinstance(shap_values, list) else shap_values, dtype=float)
    if shap_array.ndim == 3:  # (rows, columns, classes) from some shap versions for classifiers
        shap_array = shap_array[..., bundle.class_index]
    mapping = bundle.encoded_to_raw
    if ours.native_values is not None and mapping is not None and shap_array.shape == Xt.shape:
        gap = float(np.abs(shap_array @ mapping.T - ours.native_values).max())
        print(f"agreement: largest |ours - shap| per raw column = {gap:.2e} log-odds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
