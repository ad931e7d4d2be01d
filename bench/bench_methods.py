"""How long a whole-population explanation takes per model kind, and the exact tree methods side by side.

    .venv/bin/python bench/bench_methods.py [--part a|b|both] [--kinds xgb-pipeline,rf,...] [--rows 10000]
                                            [--timeout 300] [--shapes xgb-d6x200,...] [--sizes 2000,10000]

Part A builds a seeded Telco-like churn frame, fits one model per kind, saves it as a bundle and times
``explain.methods.explain_population`` on it in a fresh interpreter, with the method used, whether it is exact, the
rows explained, the additivity gap and the largest difference from the model library's own SHAP values (first 200
rows explained, summed back to raw columns). Part B times path-dependent exact TreeSHAP on one encoded numeric
matrix with every implementation installed (shap, WOODELF, shapiq, XGBoost's own, and Plainsight's own when it
has one), against shap's values.

Imports ``explain`` from the current folder when it is a Plainsight checkout, so the same script measures another
checkout (``cd /tmp/other && python /path/to/bench_methods.py``). A script, not a test: timings depend on the
machine, so they are reported, never asserted. Every run is a subprocess with a timeout, and a kind or method that
fails or runs out of time is printed as such; the bench always goes on. On a 2-core machine Part A takes about
15 minutes and Part B about an hour (the deep forests run into the timeout); ``--kinds``, ``--shapes`` and ``--sizes``
pick a quicker subset.

The Plainsight row of Part B reads each model into ``explain.methods.treeshap``'s format with this bench's own small
readers (XGBoost, scikit-learn forests, HistGradientBoosting), so the algorithm is timed whichever readers the
checkout has; reading is part of its time.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import traceback
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
# The checkout being measured: the current folder when it is one, else the one this script lives in.
CHECKOUT = Path.cwd() if (Path.cwd() / "explain").is_dir() else ROOT
sys.path.insert(0, str(CHECKOUT))
sys.path.insert(0, str(ROOT / "models"))

from build_demo import CONTRACT, INTERNET, PAYMENT  # noqa: E402 - the demo's own effects, on the same scale

SEED = 0
DEFAULT_ROWS = 10_000
DEFAULT_TIMEOUT_S = 300
REFERENCE_ROWS = 200
EXACT_RELATIVE = 1e-6  # an exact method agrees with shap within this share of the output's scale

NUMERIC = ["tenure", "MonthlyCharges", "TotalCharges", "SupportCalls", "DataUsageGB", "SeniorCitizen"]
CATEGORICAL = ["Contract", "InternetService", "PaymentMethod", "PaperlessBilling"]
FEATURES = NUMERIC + CATEGORICAL
CHURN, PLAN = "Churn", "Plan"  # binary target (0/1) and three-class target (0: stay, 1: downgrade, 2: upgrade)


def telco_frame(rows: int, seed: int = SEED, *, missing: bool = True) -> pd.DataFrame:
    """A seeded Telco-like customer frame: six numeric columns (two with gaps when ``missing``), four text columns,
    a binary target ``Churn`` and a three-class target ``Plan``."""
    rng = np.random.default_rng(seed)
    contract = rng.choice(list(CONTRACT), rows, p=[0.55, 0.25, 0.20])
    internet = rng.choice(list(INTERNET), rows, p=[0.35, 0.45, 0.20])
    payment = rng.choice(list(PAYMENT), rows, p=[0.35, 0.2, 0.22, 0.23])
    paperless = rng.choice(["Yes", "No"], rows, p=[0.6, 0.4])
    tenure = rng.integers(0, 73, rows).astype(float)
    monthly = np.round(rng.uniform(18, 120, rows), 2)
    total = np.round(tenure * monthly * rng.normal(1, 0.05, rows), 2)
    calls = rng.poisson(1.5, rows).astype(float)
    data_gb = np.round(rng.gamma(2.0, 10.0, rows), 1)
    senior = (rng.random(rows) < 0.16).astype(float)
    logit = (
        -1.55
        + np.vectorize(CONTRACT.get)(contract)
        + np.vectorize(INTERNET.get)(internet)
        + np.vectorize(PAYMENT.get)(payment)
        - 0.035 * tenure
        + 0.012 * (monthly - 65)
        + 0.30 * calls
        + 0.30 * senior
        + 0.20 * (paperless == "Yes")
        + 0.01 * (data_gb - 20)
    )
    churn = (rng.random(rows) < 1 / (1 + np.exp(-logit))).astype(int)
    plan_logits = np.column_stack(
        [np.zeros(rows), 0.02 * (monthly - 65) + 0.2 * calls - 0.5, 0.03 * (data_gb - 20) - 0.01 * tenure]
    )
    plan_p = np.exp(plan_logits) / np.exp(plan_logits).sum(axis=1, keepdims=True)
    plan = (rng.random((rows, 1)) > np.cumsum(plan_p, axis=1)).sum(axis=1)
    if missing:  # like the real Telco file: some totals blank, and a usage figure not every customer has
        total[rng.random(rows) < 0.01] = np.nan
        data_gb[rng.random(rows) < 0.05] = np.nan
    return pd.DataFrame(
        {
            "tenure": tenure,
            "MonthlyCharges": monthly,
            "TotalCharges": total,
            "SupportCalls": calls,
            "DataUsageGB": data_gb,
            "SeniorCitizen": senior,
            "Contract": contract,
            "InternetService": internet,
            "PaymentMethod": payment,
            "PaperlessBilling": paperless,
            CHURN: churn,
            PLAN: plan,
        }
    )


def with_categories(X: pd.DataFrame) -> pd.DataFrame:
    """The text columns as pandas categories, for estimators that split on categories natively."""
    return X.assign(**{c: X[c].astype("category") for c in CATEGORICAL})


# --- Part A: one model per kind ------------------------------------------------------------------------------------


def _onehot(scale: bool = False) -> Any:
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    numeric: Any = "passthrough"
    if scale:
        numeric = Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())])
    return ColumnTransformer(
        [("num", numeric, NUMERIC), ("cat", OneHotEncoder(handle_unknown="ignore", sparse_output=False), CATEGORICAL)]
    )


def _pipeline(estimator: Any, scale: bool = False) -> Any:
    from sklearn.pipeline import Pipeline

    return Pipeline([("prep", _onehot(scale)), ("model", estimator)])


def _xgb(**options: Any) -> Any:
    from xgboost import XGBClassifier

    return XGBClassifier(n_estimators=200, max_depth=6, learning_rate=0.1, random_state=SEED, **options)


def _lgbm() -> Any:
    from lightgbm import LGBMClassifier

    return LGBMClassifier(n_estimators=200, random_state=SEED, verbose=-1)


def _hgb_ordinal() -> Any:
    from sklearn.compose import ColumnTransformer
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OrdinalEncoder

    prep = ColumnTransformer([("cat", OrdinalEncoder(), CATEGORICAL), ("num", "passthrough", NUMERIC)])
    hgb = HistGradientBoostingClassifier(categorical_features=list(range(len(CATEGORICAL))), random_state=SEED)
    return Pipeline([("prep", prep), ("model", hgb)])


def _kinds() -> dict[str, tuple[Callable[[], Any], str, bool, bool]]:
    """kind -> (make the model, target, frame has gaps, text columns as pandas categories)."""
    from catboost import CatBoostClassifier
    from sklearn.ensemble import (
        ExtraTreesClassifier,
        GradientBoostingClassifier,
        HistGradientBoostingClassifier,
        RandomForestClassifier,
    )
    from sklearn.linear_model import LogisticRegression
    from sklearn.neural_network import MLPClassifier

    return {
        "xgb-pipeline": (lambda: _pipeline(_xgb()), CHURN, True, False),
        "xgb-multiclass": (lambda: _pipeline(_xgb()), PLAN, True, False),
        "xgb-categorical": (lambda: _xgb(enable_categorical=True, tree_method="hist"), CHURN, True, True),
        "lgbm-pipeline": (lambda: _pipeline(_lgbm()), CHURN, True, False),
        "lgbm-categorical": (_lgbm, CHURN, True, True),
        "catboost": (
            lambda: CatBoostClassifier(
                iterations=200,
                depth=6,
                cat_features=CATEGORICAL,
                random_seed=SEED,
                verbose=0,
                allow_writing_files=False,
            ),
            CHURN,
            True,
            False,
        ),
        "hgb-ordinal-native": (_hgb_ordinal, CHURN, True, False),
        "hgb-categorical": (
            lambda: HistGradientBoostingClassifier(categorical_features="from_dtype", random_state=SEED),
            CHURN,
            True,
            True,
        ),
        "rf": (lambda: _pipeline(RandomForestClassifier(n_estimators=100, random_state=SEED)), CHURN, False, False),
        "extratrees": (
            lambda: _pipeline(ExtraTreesClassifier(n_estimators=100, random_state=SEED)),
            CHURN,
            False,
            False,
        ),
        "gb": (lambda: _pipeline(GradientBoostingClassifier(random_state=SEED)), CHURN, False, False),
        "logreg": (lambda: _pipeline(LogisticRegression(max_iter=2000), scale=True), CHURN, True, False),
        "mlp": (
            lambda: _pipeline(MLPClassifier(hidden_layer_sizes=(32,), max_iter=300, random_state=SEED), scale=True),
            CHURN,
            True,
            False,
        ),
    }


def build_bundle(kind: str, rows: int, root: Path) -> tuple[Path, float]:
    """Fit ``kind`` on a fresh frame and write its bundle (and the typed frame the reference needs) under ``root``."""
    from tests.conftest import write_bundle

    make, target, missing, categories = _kinds()[kind]
    frame = telco_frame(rows, missing=missing)
    X = with_categories(frame[FEATURES]) if categories else frame[FEATURES]
    model = make()
    start = time.perf_counter()
    with warnings.catch_warnings():  # an MLP that stops before it converges is still a model to explain
        warnings.simplefilter("ignore")
        model.fit(X, frame[target])
    fitted = time.perf_counter() - start
    folder = write_bundle(root / kind, model, frame[[*FEATURES, target]], card={"target": target})
    X.to_pickle(root / f"{kind}.frame.pkl")  # beside the bundle, not in it: the reference's typed input
    return folder, fitted


def _child_a(folder: Path) -> None:
    """In a fresh interpreter: load the bundle, time explain_population, then compare with the reference."""
    from explain.bundle import load_bundle
    from explain.methods import explain_population

    bundle = load_bundle(folder, trusted=[folder.parent])
    start = time.perf_counter()
    explanation = explain_population(bundle)
    seconds = time.perf_counter() - start
    provenance = explanation.provenance
    sample = provenance.sample
    _say(
        method=provenance.method,
        exact=provenance.exact,
        rows=len(explanation),
        of=sample.of if sample is not None else len(bundle.X),
        seconds=seconds,
        gap=explanation.additivity_gap(),
        unit=_unit(bundle.output),
    )
    try:
        _say(**_reference_gap(bundle, explanation, pd.read_pickle(folder.parent / f"{folder.name}.frame.pkl")))
    except Exception as exc:  # noqa: BLE001 - the timing stands even when the reference cannot be made
        _say(reference=f"reference failed: {_first_line(exc)}")


def _reference_gap(bundle: Any, explanation: Any, typed: pd.DataFrame) -> dict[str, Any]:
    """The largest |ours - the library's own SHAP| over the first rows explained, per raw column."""
    if not explanation.provenance.exact:
        return {"reference": "— (an estimate)"}
    positions = np.array([int(i) for i in explanation.row_ids[:REFERENCE_ROWS]])
    estimator = bundle.parts.estimator
    if bundle.parts.preprocessor is None:
        Xt: Any = typed.iloc[positions]
        mapping = np.eye(len(bundle.features))
    else:
        Xt = bundle.parts.transform(bundle.X.iloc[positions])
        mapping = bundle.encoded_to_raw
    reference = _library_shap(estimator, Xt, bundle.class_index)
    if reference is None:
        return {"reference": "—"}
    values, space = reference
    grouped = values @ mapping.T
    if space == "margin":
        if explanation.native_values is None:
            return {"reference": "— (ours is not in the margin)"}
        ours, unit = np.asarray(explanation.native_values[: len(positions)]), explanation.provenance.native_space
    else:  # probability: compare in the reader's unit
        scale = bundle.output.scale
        ours, grouped = np.asarray(explanation.values[: len(positions)]), grouped * scale
        unit = _unit(bundle.output)
    return {"reference": f"{float(np.abs(ours - grouped).max()):.1e} {unit}".strip()}


def _unit(output: Any) -> str:
    """The reader's unit in short: percentage points for a chance, else the card's unit."""
    return "pp" if output.kind == "chance" else str(output.unit or "")


def _library_shap(estimator: Any, Xt: Any, class_index: int) -> tuple[np.ndarray, str] | None:
    """The model library's own path-dependent SHAP values for one class, and their space; None when it has none."""
    module = type(estimator).__module__
    classes = len(getattr(estimator, "classes_", [])) or 2
    if module.startswith("xgboost"):
        import xgboost as xgb

        booster = estimator.get_booster()
        raw = booster.predict(xgb.DMatrix(Xt, enable_categorical=True), pred_contribs=True)
        return _one_class(raw, classes, class_index), "margin"
    if module.startswith("lightgbm"):
        raw = np.asarray(estimator.predict(Xt, pred_contrib=True))
        if classes > 2:
            raw = raw.reshape(len(Xt), classes, -1)
        return _one_class(raw, classes, class_index), "margin"
    if module.startswith("catboost"):
        from catboost import Pool

        pool = Pool(Xt, cat_features=estimator.get_cat_feature_indices())
        raw = np.asarray(estimator.get_feature_importance(pool, type="ShapValues"))
        return _one_class(raw, classes, class_index), "margin"
    name = type(estimator).__name__
    native_categories = getattr(estimator, "is_categorical_", None)
    if name.startswith("HistGradientBoosting") and native_categories is not None and np.any(native_categories):
        return None  # shap's TreeExplainer cannot follow category splits
    if name in {"RandomForestClassifier", "ExtraTreesClassifier", "GradientBoostingClassifier"} or name.startswith(
        "HistGradientBoosting"
    ):
        import shap

        raw = np.asarray(shap.TreeExplainer(estimator).shap_values(np.asarray(Xt, dtype=float)), dtype=float)
        space = "margin" if "Boosting" in name else "probability"
        if raw.ndim == 3:
            return raw[:, :, class_index], space
        return (-raw if class_index == 0 else raw), space
    return None


def _one_class(raw: np.ndarray, classes: int, class_index: int) -> np.ndarray:
    """One class's contributions without the bias column: (rows, features)."""
    if raw.ndim == 3:
        return np.asarray(raw[:, class_index, :-1], dtype=float)
    sign = -1.0 if classes == 2 and class_index == 0 else 1.0
    return sign * np.asarray(raw[:, :-1], dtype=float)


def part_a(kinds: list[str], rows: int, timeout: int) -> None:
    print(f"Part A: explain_population per model kind, {rows:,} rows, checkout {CHECKOUT}")
    print(f"  (each in a fresh interpreter, at most {timeout} s; reference: the first {REFERENCE_ROWS} rows explained)")
    header = ("kind", "method", "exact", "rows explained", "seconds", "additivity gap", "vs library SHAP", "fit s")
    widths = (19, 24, 6, 16, 9, 15, 24, 6)
    print("  " + "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    with tempfile.TemporaryDirectory(prefix="bench-methods-") as tmp:
        for kind in kinds:
            try:
                folder, fitted = build_bundle(kind, rows, Path(tmp))
            except Exception as exc:  # noqa: BLE001 - a kind that cannot be built is reported, the rest go on
                print(f"  {kind.ljust(widths[0])}  could not build: {_first_line(exc)}")
                continue
            said, failure = _run_child(["a", str(folder)], timeout)
            if "method" not in said:
                print(f"  {kind.ljust(widths[0])}  {(failure or 'no result')[:150]}")
                continue
            explained = f"{said['rows']:,}" + (f" of {said['of']:,}" if said["rows"] != said["of"] else "")
            cells = (
                kind,
                said["method"],
                "yes" if said["exact"] else "no",
                explained,
                f"{said['seconds']:.2f}",
                f"{said['gap']:.1e} {said['unit']}".strip(),
                said.get("reference", f"reference {failure}"),
                f"{fitted:.1f}",
            )
            print("  " + "  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)), flush=True)


# --- Part B: the exact tree methods side by side -------------------------------------------------------------------


def _shapes() -> dict[str, Callable[[], Any]]:
    from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
    from xgboost import XGBClassifier

    return {
        "xgb-d6x200": lambda: XGBClassifier(n_estimators=200, max_depth=6, tree_method="hist", random_state=SEED),
        "rf-unlimited-x100": lambda: RandomForestClassifier(n_estimators=100, random_state=SEED, n_jobs=2),
        "rf-d10x100": lambda: RandomForestClassifier(n_estimators=100, max_depth=10, random_state=SEED, n_jobs=2),
        "hgb-default": lambda: HistGradientBoostingClassifier(random_state=SEED),
    }


METHODS = ("shap", "woodelf", "shapiq", "xgboost", "plainsight")
_MODULES = {
    "shap": "shap",
    "woodelf": "woodelf",
    "shapiq": "shapiq",
    "xgboost": "xgboost",
    "plainsight": "explain.methods.treeshap",
}
METHOD_NAMES = {
    "shap": "shap.TreeExplainer",
    "woodelf": "woodelf.WoodelfExplainer",
    "shapiq": "shapiq.TreeExplainer (SV)",
    "xgboost": "xgboost pred_contribs",
    "plainsight": "explain.methods.treeshap",
}


def encoded_matrix(rows: int) -> pd.DataFrame:
    """The Telco-like frame one-hot encoded, no gaps: what every method in Part B explains.

    Every value is a float32 value: scikit-learn's trees compare float32 inputs with thresholds that can be exactly
    a float32 training value (4.1 as 4.0999999), so a float64 4.1 would take the other branch there than the model
    takes, and methods that read float64 would explain a slightly different row than the ones that cast.
    """
    frame = telco_frame(rows, missing=False)
    encoded = pd.get_dummies(frame[FEATURES], columns=CATEGORICAL, dtype=float)
    return encoded.astype(np.float32).astype(np.float64)


def _child_b(work: Path, shape: str, method: str, rows: int) -> None:
    """In a fresh interpreter: time one method on the first ``rows`` rows; keep the first rows' values."""
    import joblib

    model = joblib.load(work / f"{shape}.joblib")
    X = pd.read_pickle(work / "X.pkl").iloc[:rows]
    try:  # imports are not part of the time
        importlib.import_module(_MODULES[method])
    except ImportError as exc:
        raise _NotApplicable(f"not installed or not in this checkout ({exc})") from None
    start = time.perf_counter()
    values = _path_dependent(method, model, X)
    seconds = time.perf_counter() - start
    np.save(work / f"{shape}-{method}-{rows}.npy", values[:REFERENCE_ROWS])
    _say(seconds=seconds)


def _path_dependent(method: str, model: Any, X: pd.DataFrame) -> np.ndarray:
    """Path-dependent SHAP values of the positive class, shape (rows, columns), by one implementation."""
    if method == "shap":
        import shap

        values = np.asarray(shap.TreeExplainer(model).shap_values(X.to_numpy()), dtype=float)
        return values[:, :, 1] if values.ndim == 3 else values
    if method == "woodelf":
        from woodelf import WoodelfExplainer
        from woodelf.core.trees.parse_models import load_decision_tree_ensemble_model

        # WOODELF reads class 0 of a forest unless told; class 1 is what shap and the others give.
        trees = load_decision_tree_ensemble_model(model, list(X.columns), class_index=1)
        return np.asarray(WoodelfExplainer(trees).shap_values(X, verbose=False), dtype=float)
    if method == "shapiq":
        import shapiq

        explainer = shapiq.TreeExplainer(model, max_order=1, index="SV", class_index=1)
        batch = explainer.explain_X(X.to_numpy())
        unused = np.zeros(len(X))  # shapiq leaves out the columns no split reads
        return np.column_stack([np.asarray(batch.values.get((i,), unused), dtype=float) for i in range(X.shape[1])])
    if method == "xgboost":
        import xgboost as xgb

        if not hasattr(model, "get_booster"):
            raise _NotApplicable("not an XGBoost model")
        raw = model.get_booster().predict(xgb.DMatrix(X), pred_contribs=True)
        return np.asarray(raw[:, :-1], dtype=float)
    if method == "plainsight":
        from explain.methods.treeshap import path_dependent_shap

        ensemble, inputs = _ensemble(model, X)
        values, _ = path_dependent_shap(ensemble, inputs)
        return np.asarray(values, dtype=float)
    raise ValueError(method)


def _ensemble(model: Any, X: pd.DataFrame) -> tuple[Any, np.ndarray]:
    """The model as explain.methods.treeshap's TreeEnsemble (numeric splits only), and the input it reads.

    The bench's own reader, so the algorithm can be timed on every shape whatever readers the checkout has.
    """
    from explain.methods.treeshap import Tree, TreeEnsemble

    n = X.shape[1]
    no_sets = np.zeros((0, 256), dtype=bool)

    def tree(feature: Any, threshold: Any, missing_left: Any, left: Any, right: Any, value: Any, cover: Any) -> Any:
        feature = np.asarray(feature)
        leaf = feature < 0
        return Tree(
            feature=np.where(leaf, -1, feature),
            threshold=threshold,
            missing_left=missing_left,
            category_set=np.full(len(feature), -1),
            left=np.where(leaf, 0, left),
            right=np.where(leaf, 0, right),
            value=value,
            cover=cover,
            left_categories=no_sets,
        )

    if hasattr(model, "get_booster"):  # XGBoost: left when x < split, compared in float32
        columns = {name: i for i, name in enumerate(X.columns)}
        trees = []
        for dump in model.get_booster().get_dump(dump_format="json", with_stats=True):
            nodes: dict[int, dict[str, Any]] = {}
            stack = [json.loads(dump)]
            while stack:
                node = stack.pop()
                nodes[node["nodeid"]] = node
                stack.extend(node.get("children", []))
            size = max(nodes) + 1
            f, t, m = np.full(size, -1), np.zeros(size), np.zeros(size, dtype=bool)
            lo, hi, v, c = np.zeros(size, int), np.zeros(size, int), np.zeros(size), np.ones(size)
            for i, node in nodes.items():
                c[i] = node["cover"]
                if "leaf" in node:
                    v[i] = node["leaf"]
                    continue
                f[i], lo[i], hi[i] = columns[node["split"]], node["yes"], node["no"]
                t[i] = np.nextafter(np.float32(node["split_condition"]), np.float32(-np.inf))
                m[i] = node["missing"] == node["yes"]
            trees.append(tree(f, t, m, lo, hi, v, c))
        return TreeEnsemble(trees=tuple(trees), n_features=n), X.to_numpy(dtype=np.float32).astype(float)
    if hasattr(model, "estimators_"):  # a scikit-learn forest: each tree's class-1 share, averaged
        trees = []
        for estimator in model.estimators_:
            t_ = estimator.tree_
            trees.append(
                tree(
                    t_.feature,
                    t_.threshold,
                    np.asarray(t_.missing_go_to_left, dtype=bool),
                    t_.children_left,
                    t_.children_right,
                    t_.value[:, 0, 1] / len(model.estimators_),
                    t_.weighted_n_node_samples,
                )
            )
        return TreeEnsemble(trees=tuple(trees), n_features=n), X.to_numpy(dtype=float)
    if hasattr(model, "_predictors"):  # HistGradientBoosting, numeric splits
        trees = []
        for stage in model._predictors:
            arrays = stage[0].nodes
            feature = np.where(arrays["is_leaf"], -1, arrays["feature_idx"])
            trees.append(
                tree(
                    feature,
                    arrays["num_threshold"],
                    arrays["missing_go_to_left"],
                    arrays["left"],
                    arrays["right"],
                    arrays["value"],
                    arrays["count"],
                )
            )
        return TreeEnsemble(trees=tuple(trees), n_features=n), X.to_numpy(dtype=float)
    raise _NotApplicable(f"the bench has no reader for {type(model).__name__}")


class _NotApplicable(Exception):
    pass


def part_b(shapes: list[str], sizes: list[int], timeout: int) -> None:
    print(f"Part B: path-dependent exact TreeSHAP, one encoded numeric matrix, checkout {CHECKOUT}")
    print(
        f"  (each timing in a fresh interpreter, at most {timeout} s, explainer construction included; the "
        f"difference is the largest |method - shap.TreeExplainer| over the first {REFERENCE_ROWS} rows, positive "
        f"class, in the model's own space; exact: within {EXACT_RELATIVE:g} of the output's scale)"
    )
    X = encoded_matrix(max(sizes))
    y = telco_frame(max(sizes), missing=False)[CHURN]
    print(f"  matrix: {X.shape[0]:,} rows x {X.shape[1]} columns (fitted on the same rows)")
    with tempfile.TemporaryDirectory(prefix="bench-methods-b-") as tmp:
        work = Path(tmp)
        X.to_pickle(work / "X.pkl")
        import joblib

        for shape in shapes:
            model = _shapes()[shape]().fit(X, y)
            joblib.dump(model, work / f"{shape}.joblib")
            print(f"\n  {shape} ({_tree_facts(model)})")
            said, failure = _run_child(["b", str(work), shape, "shap", str(REFERENCE_ROWS)], timeout)
            if "seconds" not in said:
                print(f"    the reference (shap on {REFERENCE_ROWS} rows) failed: {failure}")
                continue
            reference = np.load(work / f"{shape}-shap-{REFERENCE_ROWS}.npy")
            scale = _output_scale(model, X.iloc[:REFERENCE_ROWS], reference)
            header = ["method", *[f"{n:,} rows s" for n in sizes], "max |diff|", "exact"]
            widths = [28, *[15] * len(sizes), 10, 5]
            print("    " + "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
            fastest: dict[int, tuple[float, str]] = {}
            for method in METHODS:
                cells, diff, previous = [], None, None
                for n in sizes:
                    cell, seconds = _time_b(work, shape, method, n, timeout, previous)
                    cells.append(cell)
                    previous = cell
                    kept = work / f"{shape}-{method}-{n}.npy"
                    if seconds is not None and kept.exists():
                        diff = float(np.abs(np.load(kept) - reference[: min(n, REFERENCE_ROWS)]).max())
                        if diff <= EXACT_RELATIVE * scale and (n not in fastest or seconds < fastest[n][0]):
                            fastest[n] = (seconds, METHOD_NAMES[method])
                if cells[0].startswith("n/a"):
                    print(f"    {METHOD_NAMES[method].ljust(widths[0])}  {cells[0]}")
                    continue
                exact = "—" if diff is None else ("yes" if diff <= EXACT_RELATIVE * scale else "NO")
                row = [METHOD_NAMES[method], *cells, "—" if diff is None else f"{diff:.1e}", exact]
                print("    " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)), flush=True)
            for n in sizes:
                if n in fastest:
                    print(f"    fastest exact at {n:,} rows: {fastest[n][1]} ({fastest[n][0]:.2f} s)")


def _time_b(
    work: Path, shape: str, method: str, n: int, timeout: int, previous: str | None
) -> tuple[str, float | None]:
    """One timing cell: the seconds, or why there are none. A larger size is not run when the smaller one failed or
    ran out of time; otherwise it is (some methods' cost is mostly per tree, not per row, so no extrapolating)."""
    if previous is not None and not previous[0].isdigit():
        return ("n/a" if previous.startswith("n/a") else "not run"), None
    said, failure = _run_child(["b", str(work), shape, method, str(n)], timeout)
    if "seconds" in said:
        return f"{said['seconds']:.2f}", float(said["seconds"])
    return (failure or "no result")[:60], None


def _output_scale(model: Any, X: pd.DataFrame, reference: np.ndarray) -> float:
    """How large the explained output is: the largest |prediction| (chance for forests, log-odds for boosting)."""
    if type(model).__name__.startswith("RandomForest"):
        return float(np.abs(model.predict_proba(X)[:, 1]).max())
    import shap

    base = np.atleast_1d(np.asarray(shap.TreeExplainer(model).expected_value, dtype=float))[-1]
    return float(np.abs(base + reference.sum(axis=1)).max())


def _tree_facts(model: Any) -> str:
    if hasattr(model, "get_booster"):
        frame = model.get_booster().trees_to_dataframe()
        return f"{frame['Tree'].nunique()} trees, {int((frame['Feature'] == 'Leaf').sum()):,} leaves"
    trees = [t for e in getattr(model, "estimators_", []) for t in np.ravel(e)]
    if trees:
        depth = max(t.get_depth() for t in trees)
        return f"{len(trees)} trees, {sum(t.get_n_leaves() for t in trees):,} leaves, max depth {depth}"
    predictors = [p for stage in getattr(model, "_predictors", []) for p in stage]
    if predictors:
        leaves = sum(int(p.nodes["is_leaf"].sum()) for p in predictors)
        return f"{len(predictors)} trees, {leaves:,} leaves, max depth {max(p.get_max_depth() for p in predictors)}"
    return type(model).__name__


# --- the plumbing --------------------------------------------------------------------------------------------------


def _say(**fields: Any) -> None:
    """One JSON line to the parent, at once (a later line may never come if the child is stopped)."""
    print("@@" + json.dumps(fields), flush=True)


def _run_child(args: list[str], timeout: int) -> tuple[dict[str, Any], str | None]:
    """Run this script as a child; what it said, and the failure (the error's first line, or the timeout)."""
    env = {**os.environ, "PLAINSIGHT_CACHE_DIR": "off", "PYTHONWARNINGS": "ignore"}
    command = [sys.executable, str(Path(__file__).resolve()), "--child", *args]
    try:
        done = subprocess.run(command, cwd=CHECKOUT, env=env, capture_output=True, text=True, timeout=timeout)
        out, err, failure = done.stdout, done.stderr, None
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else exc.stdout or ""
        err, failure = "", f"> {timeout} s"
    said: dict[str, Any] = {}
    for line in out.splitlines():
        if line.startswith("@@"):
            said.update(json.loads(line[2:]))
    if failure is None and "error" in said:
        failure = said["error"]
    if failure is None and not said:
        failure = f"failed: {(err.strip().splitlines() or ['no output'])[-1][:160]}"
    return said, failure


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:160] if text else ''}".rstrip(": ")


def child(args: list[str]) -> int:
    try:
        if args[0] == "a":
            _child_a(Path(args[1]))
        else:
            _child_b(Path(args[1]), args[2], args[3], int(args[4]))
    except _NotApplicable as exc:
        _say(error=f"n/a: {exc}")
    except Exception as exc:  # noqa: BLE001 - the parent prints the first line and goes on
        traceback.print_exc()
        _say(error=f"failed: {_first_line(exc)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        return child(argv[1:])
    kinds = list(_kinds())
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=("a", "b", "both"), default="both")
    parser.add_argument("--kinds", default=",".join(kinds), help=f"comma-separated, of: {', '.join(kinds)}")
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS, help="rows in Part A's frame")
    parser.add_argument("--timeout", type=int, default=DEFAULT_TIMEOUT_S, help="seconds per run")
    parser.add_argument("--shapes", default=",".join(_shapes()), help="comma-separated Part B tree shapes")
    parser.add_argument("--sizes", default="2000,10000", help="comma-separated Part B row counts")
    args = parser.parse_args(argv)
    unknown = [k for k in args.kinds.split(",") if k not in kinds]
    if unknown:
        parser.error(f"unknown kind(s) {', '.join(unknown)}; the kinds are {', '.join(kinds)}")

    import shap
    import sklearn
    import xgboost

    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"python {platform.python_version()}, shap {shap.__version__}, xgboost {xgboost.__version__}, "
        f"scikit-learn {sklearn.__version__}, {os.cpu_count()} CPU(s), load average {load} at start"
    )
    if args.part in ("a", "both"):
        part_a(args.kinds.split(","), args.rows, args.timeout)
    if args.part in ("b", "both"):
        if args.part == "both":
            print()
        part_b(args.shapes.split(","), [int(n) for n in args.sizes.split(",")], args.timeout)
    print(f"\nload average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
