"""Exact path-dependent TreeSHAP on XGBoost at 100,000 and 1,000,000 rows: time, peak memory, agreement.

    .venv/bin/python bench/bench_scale.py [--sizes 100000,1000000] [--models demo,nan]
                                          [--methods pred_contribs,shap,woodelf] [--limit 600]

Compares, on the same rows in the same run:

* ``pred_contribs``: XGBoost's own ``booster.predict(DMatrix(X), pred_contribs=True)``, the reference;
* ``shap``: ``shap.TreeExplainer(model, feature_perturbation="tree_path_dependent").shap_values(X)``. For an XGBoost
  model shap hands this call to XGBoost's ``pred_contribs`` and then predicts the margin once more for its own
  additivity check, so it is not shap's C++;
* ``woodelf``: ``WoodelfExplainer(model).shap_values(X, verbose=False)`` (package ``woodelf-explainer``), which is
  path-dependent when given no background data and computes in float32;
* ``woodelf-stepped``: the same, as Plainsight calls it (``explain/methods/backends/woodelf.py``): every input one
  float32 step lower, because WOODELF 0.4 lowers XGBoost's thresholds a step and tests ``<``, which sent a value one
  step below a threshold the wrong way (the plain ``woodelf`` row shows it on the nan model);
* ``shap-cext`` (only when asked for in ``--methods``): shap's own C++ TreeSHAP, reached by telling the explainer its
  model is an "internal" one so that it does not hand the call to XGBoost. It is single-threaded and slow (47 s at
  100,000 rows on the demo model, some minutes on the deeper nan model).

on two models: ``demo``, the demo bundle's XGBClassifier (300 trees, depth 4) on rows from ``build_demo.make_customers``
after the bundle's own imputer and one-hot encoder, and ``nan``, a bare XGBClassifier (300 trees, depth 6) fitted here
on 20 numeric columns with about 10% of the values left missing, so that the trees' default (missing) directions are
taken; its agreement is also given over the rows that hold a NaN.

Each (model, rows, method) runs in a fresh interpreter that makes its rows from a seed, times only the explanation
call (the explainer's construction included) and reports the wall and CPU seconds of that call, the peak resident
memory while it ran (Linux: the process's high-water mark is reset just before the call; elsewhere the whole child's
peak), and the additivity gap ``max |values.sum(1) + base - margin|`` with the method's own base value. The values go
to a temporary .npy file, from which this process reads the largest |value - pred_contribs| in log-odds. A call that
runs longer than ``--limit`` seconds is stopped and reported as "> limit". At the end: a Markdown table, per model and
size the time ratios against shap.TreeExplainer (the product target: the chosen method takes at most half of
shap.TreeExplainer's time at 1,000,000 rows), and the chosen method: the fastest that agrees with pred_contribs within
1e-4.

A script, not a test: timings depend on the machine, so they are reported, never asserted. Nothing is written into
the repository. On a 2-core machine shared with other work the 100,000-row sizes took about 9 minutes, a minute of it
fitting the nan model. At 1,000,000 rows the demo model takes about 6 minutes (pred_contribs about 140 s, shap as long
again, WOODELF about 50 s) and the nan model much longer: WOODELF took 6.5 minutes, and XGBoost's pred_contribs and
shap each need some 10 to 20 minutes on 2 cores, past the default limit, so give ``--limit 1800`` there (without the
reference nothing is compared). Needs ``models/churn-demo/model.joblib`` for the demo model (``make demo``).
"""

from __future__ import annotations

import argparse
import gc
import importlib.metadata
import json
import os
import platform
import resource
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import warnings
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DEMO_MODEL = ROOT / "models" / "churn-demo" / "model.joblib"

SEED = 0  # the nan model's training rows; the explained rows use SEED + 1
SIZES = (100_000, 1_000_000)
MODELS = ("demo", "nan")
METHODS = ("pred_contribs", "shap", "woodelf", "woodelf-stepped")
EXTRA_METHODS = ("shap-cext",)
METHOD_NAMES = {
    "pred_contribs": "XGBoost pred_contribs",
    "shap": "shap.TreeExplainer",
    "woodelf": "WoodelfExplainer",
    "woodelf-stepped": "WOODELF as Plainsight calls it",
    "shap-cext": "shap C++ (internal)",
}
AGREE = 1e-4  # log-odds: an exact method agrees with pred_contribs within this
TARGET_RATIO = 0.5  # the chosen method's time over shap.TreeExplainer's, at TARGET_ROWS
TARGET_ROWS = 1_000_000
DEFAULT_LIMIT_S = 600
SETUP_ALLOWANCE_S = 900  # on top of the limit: making a million rows, imports, loading, saving the values

NAN_COLUMNS = 20
NAN_SHARE = 0.10
NAN_TRAIN_ROWS = 50_000


# --- the models and their rows -------------------------------------------------------------------------------------


def nan_matrix(rows: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Numeric rows with about NAN_SHARE of the values missing, and a 0/1 target that missingness moves.

    Returns X, ndarray of shape (rows, NAN_COLUMNS), float32 with NaN, and y, ndarray of shape (rows,).
    """
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((rows, NAN_COLUMNS), dtype=np.float32)
    missing = rng.random((rows, NAN_COLUMNS), dtype=np.float32) < NAN_SHARE
    logit = (
        X[:, 0]
        - 0.8 * X[:, 1]
        + 0.5 * X[:, 2] * X[:, 3]
        + 0.7 * np.sin(2 * X[:, 4])
        + 0.3 * X[:, 5:10].sum(axis=1)
        + 0.8 * missing[:, 0]  # a gap that means something, so the default directions differ between trees
        - 0.6 * missing[:, 1]
    )
    y = (rng.random(rows, dtype=np.float32) < 1 / (1 + np.exp(-logit))).astype(np.int8)
    X[missing] = np.nan
    return X, y


def fit_nan_model(path: Path) -> str:
    """Fit the bare XGBClassifier on gappy rows (no imputer) and save it as JSON; a one-line description."""
    from xgboost import XGBClassifier

    X, y = nan_matrix(NAN_TRAIN_ROWS, SEED)
    model = XGBClassifier(n_estimators=300, max_depth=6, learning_rate=0.1, tree_method="hist", random_state=SEED)
    start = time.perf_counter()
    model.fit(X, y)
    model.save_model(path)
    return f"fitted on {NAN_TRAIN_ROWS:,} rows x {NAN_COLUMNS} in {time.perf_counter() - start:.1f} s"


def _rows_and_model(name: str, rows: int, work: Path) -> tuple[np.ndarray, Any]:
    """The float32 matrix to explain and the XGBClassifier that explains it, made afresh from the seed."""
    if name == "demo":
        import joblib

        sys.path.insert(0, str(ROOT / "models"))
        from build_demo import make_customers

        pipe = joblib.load(DEMO_MODEL)
        frame = make_customers(rows)
        X = np.asarray(pipe[:-1].transform(frame[pipe.feature_names_in_]), dtype=np.float32)
        return X, pipe[-1]
    from xgboost import XGBClassifier

    model = XGBClassifier()
    model.load_model(work / "nan.json")
    return nan_matrix(rows, SEED + 1)[0], model


# --- one method in one child ---------------------------------------------------------------------------------------


def _explain(method: str, model: Any, X: np.ndarray) -> tuple[np.ndarray, Any]:
    """The values, ndarray of shape (rows, columns), and what the caller keeps to find the base value later."""
    if method == "pred_contribs":
        import xgboost as xgb

        raw = model.get_booster().predict(xgb.DMatrix(X), pred_contribs=True)
        return raw[:, :-1], float(raw[0, -1])
    if method in ("woodelf", "woodelf-stepped"):
        from woodelf import WoodelfExplainer

        if method == "woodelf-stepped":  # as explain/methods/backends/woodelf.py does: every input a float32 step down
            X = np.nextafter(np.asarray(X, dtype=np.float32), np.float32(-np.inf))
        frame = _woodelf_frame(X)
        explainer = WoodelfExplainer(model)
        return np.asarray(explainer.shap_values(frame, verbose=False)), explainer
    import shap

    explainer = shap.TreeExplainer(model, feature_perturbation="tree_path_dependent")
    if method == "shap":
        return np.asarray(explainer.shap_values(X)), explainer
    if method == "shap-cext":
        explainer.model.model_type = "internal"  # skips shap's hand-over to XGBoost's pred_contribs
        return np.asarray(explainer.shap_values(X, check_additivity=False)), explainer
    raise ValueError(method)


def _woodelf_frame(X: np.ndarray) -> Any:
    """WOODELF reads columns by name; a model fitted on an array names them f0, f1, ..."""
    import pandas as pd

    return pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])], copy=False)


def _base(kept: Any) -> float:
    """The method's own base value, as its user would read it after the call."""
    if isinstance(kept, float):
        return kept
    return float(np.ravel(kept.expected_value)[0])


def _reset_peak() -> bool:
    """Reset this process's peak resident memory (Linux 4.0+); False where that cannot be done."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
        return True
    except OSError:
        return False


def _memory_mb(field: str) -> float:
    """VmRSS or VmHWM of this process in MB; where /proc is missing, the whole process's peak."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024


def _child(work: Path, name: str, rows: int, method: str, limit: int) -> None:
    """In a fresh interpreter: make the rows, time one method on them, save its values, report the figures."""
    import xgboost as xgb

    warnings.simplefilter("ignore")
    start = time.perf_counter()
    X, model = _rows_and_model(name, rows, work)
    made = time.perf_counter() - start
    importlib.import_module(  # not timed
        {"pred_contribs": "xgboost", "woodelf": "woodelf", "woodelf-stepped": "woodelf"}.get(method, "shap")
    )
    gc.collect()
    before = _memory_mb("VmRSS")
    reset = _reset_peak()
    # The default action of SIGALRM ends the process even inside a long C++ call, where a Python handler would wait.
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    signal.alarm(limit)
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    values, kept = _explain(method, model, X)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF)
    signal.alarm(0)
    peak = _memory_mb("VmHWM") if reset else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    np.save(work / f"{name}-{rows}-{method}.npy", values)
    if not (work / f"{name}-{rows}-nan-rows.npy").exists():
        np.save(work / f"{name}-{rows}-nan-rows.npy", np.isnan(X).any(axis=1))
    margin = model.get_booster().predict(xgb.DMatrix(X), output_margin=True)
    residual = margin - values.sum(axis=1, dtype=np.float64) - _base(kept)
    _say(
        seconds=seconds,
        cpu=(after.ru_utime + after.ru_stime) - (cpu.ru_utime + cpu.ru_stime),
        peak_mb=peak,
        before_mb=before,
        whole_child=not reset,
        made_s=made,
        shape=list(values.shape),
        gap=float(np.abs(residual).max()),
        offset=float(np.median(residual)),
        spread=float(np.abs(residual - np.median(residual)).max()),
    )


# --- the parent ----------------------------------------------------------------------------------------------------


def _say(**fields: Any) -> None:
    """One JSON line to the parent, at once."""
    print("@@" + json.dumps(fields), flush=True)


def _run_child(work: Path, name: str, rows: int, method: str, limit: int) -> dict[str, Any]:
    """Run one method in a child; what it said, or {"failure": why}."""
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "TQDM_DISABLE": "1", "PLAINSIGHT_CACHE_DIR": "off"}
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        str(work),
        name,
        str(rows),
        method,
        str(limit),
    ]
    try:
        done = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=limit + SETUP_ALLOWANCE_S
        )
    except subprocess.TimeoutExpired:
        return {"failure": f"> {limit} s (with making the rows)"}
    said: dict[str, Any] = {}
    for line in done.stdout.splitlines():
        if line.startswith("@@"):
            said.update(json.loads(line[2:]))
    if done.returncode == -signal.SIGALRM:
        return {"failure": f"> {limit} s"}
    if "seconds" not in said:
        tail = (done.stderr.strip().splitlines() or [f"exit {done.returncode}, no output"])[-1]
        return {"failure": said.get("error", f"failed: {tail[:160]}")}
    return said


def _compare(work: Path, name: str, rows: int, method: str) -> dict[str, Any]:
    """The largest |value - pred_contribs| over all rows and over the rows holding a NaN, how many rows those are, and
    how many rows of each are off by more than AGREE."""
    reference_file = work / f"{name}-{rows}-pred_contribs.npy"
    nan_rows = np.load(work / f"{name}-{rows}-nan-rows.npy")
    found: dict[str, Any] = {"diff": None, "diff_nan": None, "nan_rows": int(nan_rows.sum())}
    if not reference_file.exists():
        return found
    reference = np.load(reference_file).astype(np.float64)
    diff = np.abs(np.load(work / f"{name}-{rows}-{method}.npy").astype(np.float64) - reference).max(axis=1)
    found.update(diff=float(diff.max()), off=int((diff > AGREE).sum()))
    if nan_rows.any():
        found.update(diff_nan=float(diff[nan_rows].max()), off_nan=int((diff[nan_rows] > AGREE).sum()))
    return found


def _worst(value: float | None) -> str:
    return "—" if value is None else f"{value:.1e}"


def _gap_cell(said: dict[str, Any]) -> str:
    """The additivity gap; when it is one constant shift of every row, the base value is off, not the values."""
    gap, spread = said["gap"], said["spread"]
    if gap > AGREE and spread < gap / 10:
        return f"{gap:.1e} (base off by {said['offset']:+.4f})"
    return f"{gap:.1e}"


def run_all(models: list[str], sizes: list[int], methods: list[str], limit: int) -> list[dict[str, Any]]:
    """Every (model, rows, method) in its own child, reference first; one result dict per run."""
    results: list[dict[str, Any]] = []
    ordered = sorted(methods, key=lambda m: m != "pred_contribs")
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        work = Path(tmp)
        for name in models:
            if name == "demo" and not DEMO_MODEL.exists():
                print(f"demo: {DEMO_MODEL.relative_to(ROOT)} is missing (make demo); skipped")
                continue
            if name == "nan":
                print(f"nan model: XGBClassifier 300 trees depth 6, {fit_nan_model(work / 'nan.json')}")
            for rows in sizes:
                for method in ordered:
                    said = _run_child(work, name, rows, method, limit)
                    result = {"model": name, "rows": rows, "method": method, **said}
                    if "seconds" in said:
                        result.update(_compare(work, name, rows, method))
                        if method != "pred_contribs":  # a million rows of values each: keep only the reference
                            (work / f"{name}-{rows}-{method}.npy").unlink()
                        print(
                            f"  {name} {rows:,} {METHOD_NAMES[method]}: {said['seconds']:.1f} s "
                            f"(rows made in {said['made_s']:.1f} s), peak {said['peak_mb']:,.0f} MB, "
                            f"max |diff| {_worst(result['diff'])}",
                            flush=True,
                        )
                    else:
                        print(f"  {name} {rows:,} {METHOD_NAMES[method]}: {said['failure']}", flush=True)
                    results.append(result)
                (work / f"{name}-{rows}-pred_contribs.npy").unlink(missing_ok=True)
    return results


def print_table(results: list[dict[str, Any]]) -> None:
    header = (
        "model",
        "rows",
        "method",
        "seconds",
        "CPU s",
        "peak RSS (MB)",
        "RSS before (MB)",
        "max abs diff, all rows",
        "max abs diff, NaN rows",
        "additivity gap",
    )
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for r in results:
        head = [r["model"], f"{r['rows']:,}", METHOD_NAMES[r["method"]]]
        if "seconds" not in r:
            print("| " + " | ".join([*head, r["failure"], *["—"] * (len(header) - 4)]) + " |")
            continue
        peak = f"{r['peak_mb']:,.0f}" + (" (whole child)" if r["whole_child"] else "")
        all_cell = _worst(r["diff"]) + (f" ({r['off']:,} rows > {AGREE:g})" if r.get("off") else "")
        nan_cell = "— (none)"
        if r["nan_rows"]:
            off = f", {r['off_nan']:,} > {AGREE:g}" if r.get("off_nan") else ""
            nan_cell = f"{_worst(r['diff_nan'])} ({r['nan_rows']:,} rows{off})"
        cells = [
            *head,
            f"{r['seconds']:.1f}",
            f"{r['cpu']:.1f}",
            peak,
            f"{r['before_mb']:,.0f}",
            all_cell,
            nan_cell,
            _gap_cell(r),
        ]
        print("| " + " | ".join(cells) + " |")


def print_choices(results: list[dict[str, Any]], sizes: list[int]) -> None:
    """Per model and size: times against shap.TreeExplainer's, and the fastest method that agrees with the reference."""
    for name in dict.fromkeys(r["model"] for r in results):
        for rows in sizes:
            done = {r["method"]: r for r in results if r["model"] == name and r["rows"] == rows and "seconds" in r}
            shap_s = done["shap"]["seconds"] if "shap" in done else None
            if shap_s:
                ratios = ", ".join(
                    f"{METHOD_NAMES[m]} / shap.TreeExplainer = {done[m]['seconds'] / shap_s:.2f}"
                    for m in ("woodelf", "woodelf-stepped", "pred_contribs", "shap-cext")
                    if m in done
                )
                print(f"{name}, {rows:,} rows, global explanation: {ratios}")
            exact = [
                (r["seconds"], m)
                for m, r in done.items()
                if r["method"] == "pred_contribs" or (r["diff"] is not None and r["diff"] <= AGREE)
            ]
            if not exact:
                print(f"chosen: none for {rows:,} rows ({name}: no method agreed with pred_contribs, or none ran)")
                continue
            seconds, method = min(exact)
            verdict = ""
            if shap_s:
                ratio = seconds / shap_s
                verdict = f", {ratio:.2f}x shap.TreeExplainer"
                if rows == TARGET_ROWS:
                    verdict += f" (target <= {TARGET_RATIO}x: {'met' if ratio <= TARGET_RATIO else 'NOT met'})"
            print(f"chosen: {method} for {rows:,} rows ({name}: {seconds:.1f} s{verdict})")


def _versions() -> str:
    names = ("xgboost", "shap", "woodelf-explainer", "numpy")
    found = []
    for package in names:
        try:
            found.append(f"{package} {importlib.metadata.version(package)}")
        except importlib.metadata.PackageNotFoundError:
            found.append(f"{package} missing")
    return ", ".join(found)


def _worker(args: list[str]) -> int:
    work, name, rows, method, limit = Path(args[0]), args[1], int(args[2]), args[3], int(args[4])
    try:
        _child(work, name, rows, method, limit)
    except Exception as exc:  # noqa: BLE001 - the parent prints the first line and goes on
        traceback.print_exc()
        text = str(exc).strip().splitlines()
        _say(error=f"failed: {type(exc).__name__}: {text[0][:160] if text else ''}")
    return 0


def _choice(parser: argparse.ArgumentParser, text: str, allowed: tuple[str, ...], what: str) -> list[str]:
    picked = [p for p in text.split(",") if p]
    unknown = [p for p in picked if p not in allowed]
    if unknown:
        parser.error(f"unknown {what} {', '.join(unknown)}; choose from {', '.join(allowed)}")
    return picked


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--worker"]:
        return _worker(argv[1:])
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default=",".join(str(n) for n in SIZES), help="comma-separated row counts")
    parser.add_argument("--models", default=",".join(MODELS), help=f"comma-separated, of: {', '.join(MODELS)}")
    parser.add_argument(
        "--methods",
        default=",".join(METHODS),
        help=f"comma-separated, of: {', '.join(METHODS + EXTRA_METHODS)}",
    )
    parser.add_argument("--limit", type=int, default=DEFAULT_LIMIT_S, help="seconds per explanation call")
    args = parser.parse_args(argv)
    models = _choice(parser, args.models, MODELS, "model(s)")
    methods = _choice(parser, args.methods, METHODS + EXTRA_METHODS, "method(s)")
    sizes = [int(n) for n in args.sizes.split(",") if n]

    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"python {platform.python_version()}, {_versions()}, {os.cpu_count()} CPU(s), load average {load} at start")
    print(f"each call at most {args.limit} s; agreement: max |value - pred_contribs| in log-odds, exact within {AGREE}")
    results = run_all(models, sizes, methods, args.limit)
    print()
    print_table(results)
    print()
    print_choices(results, sizes)
    print(f"\nload average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
