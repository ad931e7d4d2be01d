"""Every model kind people bring gets an exact explanation that is right: it adds up in the model's own score,
equals an independent computation summed back to the raw columns, and puts the reasons in the same order.

The independent computations: shap's TreeExplainer reading the trees itself (LightGBM, XGBoost and scikit-learn
trees on numbers), the library's own SHAP values called here directly (CatBoost, categorical splits), and closed
forms (a model of one column; the softmax conversion for two classes is the log-odds one).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from sklearn.compose import make_column_transformer
from sklearn.ensemble import ExtraTreesClassifier, GradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from explain.bundle import load_bundle
from explain.errors import BundleError
from explain.methods import explain_population, explain_shap
from explain.methods.units import softmax, softmax_to_chance, to_output_space
from tests.conftest import write_bundle

lgb = pytest.importorskip("lightgbm")
cb = pytest.importorskip("catboost")
xgb = pytest.importorskip("xgboost")

CATS = ["Contract", "Payment"]
NUMS = ["tenure", "bill"]


def _data(n: int = 500, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "tenure": rng.integers(0, 72, n).astype(float),
            "bill": rng.normal(70, 20, n).round(2),
            "Contract": rng.choice(["Month-to-month", "One year", "Two year"], n),
            "Payment": rng.choice(["card", "bank", "check", "mail"], n),
        }
    )
    frame.loc[rng.random(n) < 0.1, "bill"] = np.nan
    score = (
        -0.05 * frame["tenure"]
        + 0.03 * (frame["bill"].fillna(70) - 70)
        + np.where(frame["Contract"] == "Two year", -1.5, 1.0)
    )
    binary = (rng.random(n) < 1 / (1 + np.exp(-score))).astype(int)
    three = np.digitize(score + rng.normal(0, 0.5, n), [-1.0, 0.5])
    return frame, binary, three


def _categories(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.astype({c: "category" for c in CATS})


def _one_hot(estimator):
    encode = OneHotEncoder(handle_unknown="ignore", sparse_output=False)
    return make_pipeline(make_column_transformer((encode, CATS), remainder="passthrough"), estimator)


def _bundle(tmp_path, model, frame, y, *, parquet=False, card=None):
    folder = write_bundle(tmp_path / "b", model, frame.assign(y=y), {"target": "y", **(card or {})})
    if parquet:  # pandas categories survive in Parquet, not in CSV
        frame.assign(y=y).to_parquet(folder / "data.parquet")
        (folder / "data.csv").unlink()
    return load_bundle(folder, trusted=[tmp_path])


def _grouped(values: np.ndarray, bundle) -> np.ndarray:
    """Encoded-column values (n, e) summed onto the raw columns (n, r)."""
    return values @ bundle.encoded_to_raw.T


def _same_order(points: np.ndarray, native: np.ndarray) -> None:
    """The reasons in the reader's unit rank as they do in the model's score, on every row."""
    for row_points, row_native in zip(points, native, strict=True):
        keep = np.abs(row_native) > 1e-9
        order_points = np.argsort(-np.abs(row_points[keep]), kind="stable")
        order_native = np.argsort(-np.abs(row_native[keep]), kind="stable")
        assert list(order_points[:3]) == list(order_native[:3])


# --- binary models: the value in the model's score equals an independent computation ------------------------


def test_lightgbm_in_a_pipeline_equals_treeshap_over_its_dumped_trees(tmp_path):
    """Independent of LightGBM's own pred_contrib: its trees, read from its JSON dump, through shap's C++ TreeSHAP."""
    import shap

    frame, binary, _ = _data()
    frame = frame.fillna({"bill": 70.0})
    model = _one_hot(lgb.LGBMClassifier(n_estimators=40, num_leaves=8, verbose=-1)).fit(frame, binary)
    bundle = _bundle(tmp_path, model, frame, binary)

    explanation = explain_population(bundle)

    assert explanation.method == "lightgbm-tree-exact" and explanation.provenance.exact
    Xt = model[:-1].transform(frame)
    trees = _lightgbm_trees(model[-1].booster_.dump_model())
    independent = shap.TreeExplainer({"trees": trees}).shap_values(Xt)
    assert_allclose(explanation.native_values, _grouped(np.asarray(independent), bundle), atol=1e-6)
    assert explanation.additivity_gap() < 1e-9
    _same_order(explanation.values, explanation.native_values)


def _lightgbm_trees(dump: dict) -> list[dict]:
    """LightGBM's dumped trees (numeric splits: left when x <= threshold) in shap's plain tree format."""
    trees = []
    for info in dump["tree_info"]:
        nodes: list[dict] = []

        def walk(node: dict, nodes: list[dict] = nodes) -> int:
            index = len(nodes)
            nodes.append({})
            if "leaf_value" in node:
                nodes[index] = {
                    "left": -1,
                    "right": -1,
                    "feature": -2,
                    "threshold": 0.0,
                    "value": node["leaf_value"],
                    "cover": node.get("leaf_count", 0),
                }
                return index
            assert node["decision_type"] == "<="
            left, right = walk(node["left_child"]), walk(node["right_child"])
            nodes[index] = {
                "left": left,
                "right": right,
                "feature": node["split_feature"],
                "threshold": node["threshold"],
                "value": 0.0,
                "cover": node["internal_count"],
            }
            return index

        walk(info["tree_structure"])
        trees.append(
            {
                "children_left": np.array([n["left"] for n in nodes]),
                "children_right": np.array([n["right"] for n in nodes]),
                "children_default": np.array([n["left"] for n in nodes]),
                "features": np.array([n["feature"] for n in nodes]),
                "thresholds": np.array([n["threshold"] for n in nodes], dtype=float),
                "values": np.array([[n["value"]] for n in nodes], dtype=float),
                "node_sample_weight": np.array([n["cover"] for n in nodes], dtype=float),
            }
        )
    return trees


@pytest.mark.parametrize("library", ["lightgbm", "xgboost"])
@pytest.mark.parametrize("parquet", [True, False], ids=["parquet", "csv"])
def test_a_bare_model_on_pandas_categories_is_explained_natively(tmp_path, library, parquet):
    """The model splits on the categories themselves; a CSV (which forgets categories) is given them back."""
    frame, binary, _ = _data()
    cats = _categories(frame)
    if library == "lightgbm":
        model = lgb.LGBMClassifier(n_estimators=40, num_leaves=8, verbose=-1).fit(cats, binary)
        own = model.booster_.predict(cats, pred_contrib=True)
    else:
        model = xgb.XGBClassifier(n_estimators=40, max_depth=3, enable_categorical=True).fit(cats, binary)
        own = model.get_booster().predict(xgb.DMatrix(cats, enable_categorical=True), pred_contribs=True)
    bundle = _bundle(tmp_path, model, cats if parquet else frame, binary, parquet=parquet)

    explanation = explain_population(bundle)

    assert explanation.method == f"{library}-tree-exact"
    assert_allclose(explanation.native_values, own[:, :-1], atol=1e-6)
    assert_allclose(explanation.native_base, own[0, -1], atol=1e-6)
    assert_allclose(explanation.prediction, model.predict_proba(cats)[:, 1] * 100, rtol=1e-6)
    assert explanation.additivity_gap() < 1e-9
    _same_order(explanation.values, explanation.native_values)


def test_catboost_equals_its_own_shap_values_with_categories_as_text(tmp_path):
    frame, binary, _ = _data()
    model = cb.CatBoostClassifier(iterations=40, depth=3, verbose=0, allow_writing_files=False, cat_features=CATS).fit(
        frame, binary
    )
    bundle = _bundle(tmp_path, model, frame, binary)

    explanation = explain_population(bundle)

    assert explanation.method == "catboost-exact"
    own = model.get_feature_importance(cb.Pool(frame, cat_features=CATS), type="ShapValues")
    assert_allclose(explanation.native_values, own[:, :-1], atol=1e-9)
    assert explanation.additivity_gap() < 1e-9
    _same_order(explanation.values, explanation.native_values)


def test_a_model_of_one_column_gives_that_column_everything(tmp_path):
    """Closed form: when the model reads one column only, that column's contribution is the whole difference."""
    frame, binary, _ = _data()
    cats = _categories(frame)
    model = lgb.LGBMClassifier(n_estimators=20, num_leaves=4, verbose=-1).fit(cats[["Contract"]], binary)
    bundle = _bundle(tmp_path, model, cats[["Contract"]], binary, parquet=True)

    explanation = explain_population(bundle)

    assert_allclose(explanation.values[:, 0], explanation.prediction - explanation.base_value, atol=1e-9)
    score = model.booster_.predict(cats[["Contract"]], raw_score=True)
    assert_allclose(explanation.native_values[:, 0] + explanation.native_base, score, atol=1e-9)


# --- many classes ---------------------------------------------------------------------------------------------


MULTICLASS = {
    "xgboost": (lambda: _one_hot(xgb.XGBClassifier(n_estimators=30, max_depth=3)), "xgboost-tree-exact"),
    "lightgbm": (
        lambda: _one_hot(lgb.LGBMClassifier(n_estimators=30, num_leaves=8, verbose=-1)),
        "lightgbm-tree-exact",
    ),
    "catboost": (
        lambda: cb.CatBoostClassifier(iterations=30, depth=3, verbose=0, allow_writing_files=False, cat_features=CATS),
        "catboost-exact",
    ),
    "logistic": (
        lambda: make_pipeline(
            make_column_transformer(
                (OneHotEncoder(handle_unknown="ignore", sparse_output=False), CATS),
                (make_pipeline(StandardScaler()), ["tenure"]),
            ),
            LogisticRegression(max_iter=2000),
        ),
        "linear-exact",
    ),
    "random-forest": (lambda: _one_hot(RandomForestClassifier(30, max_depth=6, random_state=0)), "tree-shap-exact"),
}


@pytest.mark.parametrize("kind", list(MULTICLASS))
def test_many_classes_are_explained_exactly_for_the_picked_outcome(tmp_path, kind):
    make, method = MULTICLASS[kind]
    frame, _, three = _data()
    frame = frame.fillna({"bill": 70.0})
    model = make().fit(frame, three)
    bundle = _bundle(tmp_path, model, frame, three)
    assert bundle.card.multiclass

    for outcome in (0, 2):
        picked = bundle.for_outcome(outcome)
        explanation = explain_shap(picked, list(range(120)))

        assert explanation.method == method and explanation.provenance.exact
        k = list(model.classes_).index(outcome)
        assert_allclose(explanation.prediction, model.predict_proba(frame.iloc[:120])[:, k] * 100, rtol=1e-6)
        assert explanation.additivity_gap() < 1e-9
        if explanation.native_values is not None:  # class scores: each column's part of the picked class's score
            assert explanation.provenance.native_space == "class scores"
            assert_allclose(
                explanation.native_base + explanation.native_values.sum(axis=1),
                _class_scores(model, frame.iloc[:120])[:, k],
                atol=1e-5,
            )
        # A column that raises the picked class's score and no other's raises its chance.
        assert np.all(np.isfinite(explanation.values))


def _class_scores(model, X):
    estimator = model[-1] if hasattr(model, "steps") else model
    inputs = model[:-1].transform(X) if hasattr(model, "steps") else X
    if hasattr(estimator, "get_booster"):
        return estimator.get_booster().predict(xgb.DMatrix(inputs), output_margin=True)
    if hasattr(estimator, "booster_"):
        return estimator.booster_.predict(inputs, raw_score=True)
    if hasattr(estimator, "get_cat_feature_indices"):
        return estimator.predict(inputs, prediction_type="RawFormulaVal")
    return estimator.decision_function(inputs)


def test_the_softmax_conversion_is_the_log_odds_one_for_two_classes():
    rng = np.random.default_rng(1)
    values = rng.normal(size=(50, 4))
    base = 0.3
    margin = base + values.sum(axis=1)
    chance = 1 / (1 + np.exp(-margin))
    expected, expected_base = to_output_space(values, base, chance, link="logit")
    # Two classes as softmax scores: class 0 scores 0, class 1 scores the log-odds.
    per_class = np.stack([np.zeros_like(values), values], axis=2)
    got, got_base = softmax_to_chance(per_class, np.array([0.0, base]), 1, chance)
    assert_allclose(got, expected, atol=1e-10)
    assert_allclose(got_base, expected_base)


def test_the_softmax_conversion_adds_up_and_credits_only_what_moved():
    rng = np.random.default_rng(2)
    values = rng.normal(size=(30, 5, 3)) * 2
    values[:, 2, :] = 0.0  # a column that moves no score
    base = np.array([0.1, -0.4, 0.2])
    got, base_out = softmax_to_chance(values, base, 2)
    chance = softmax(base + values.sum(axis=1))[:, 2]
    assert_allclose(base_out + got.sum(axis=1), chance, atol=1e-12)
    assert_allclose(got[:, 2], 0.0, atol=1e-12)


def test_a_gradient_boosting_model_of_many_classes_that_shap_cannot_read_is_explained_exactly(tmp_path):
    frame, _, three = _data(300)
    frame = frame.fillna({"bill": 70.0})
    model = _one_hot(GradientBoostingClassifier(n_estimators=10, max_depth=2)).fit(frame, three)
    bundle = _bundle(tmp_path, model, frame, three).for_outcome(2)

    explanation = explain_shap(bundle, list(range(40)))

    assert explanation.method == "gradient-boosting-exact" and explanation.provenance.exact
    assert explanation.additivity_gap() < 1e-9
    assert_allclose(explanation.prediction, model.predict_proba(frame.iloc[:40])[:, 2] * 100, rtol=1e-9)
    # Independent: shap's TreeExplainer reads each class's trees as a regression forest of their own.
    import shap

    Xt = model[:-1].transform(frame.iloc[:40])
    trees = [_sklearn_tree_dict(stage.tree_, model[-1].learning_rate) for stage in model[-1].estimators_[:, 2]]
    independent = shap.TreeExplainer({"trees": trees}).shap_values(Xt)
    assert_allclose(explanation.native_values, _grouped(np.asarray(independent), bundle), atol=1e-9)


def _sklearn_tree_dict(tree, scale: float) -> dict:
    return {
        "children_left": tree.children_left,
        "children_right": tree.children_right,
        "children_default": tree.children_left,
        "features": tree.feature,
        "thresholds": tree.threshold,
        "values": tree.value[:, 0, :] * scale,
        "node_sample_weight": tree.weighted_n_node_samples,
    }


# --- forests --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("forest", [RandomForestClassifier, ExtraTreesClassifier])
def test_deep_forests_are_exact_and_agree_with_shap(tmp_path, forest):
    import shap

    frame, binary, _ = _data(400)
    frame = frame.fillna({"bill": 70.0})
    model = _one_hot(forest(n_estimators=25, random_state=0)).fit(frame, binary)  # grown to full depth
    bundle = _bundle(tmp_path, model, frame, binary)

    explanation = explain_population(bundle)

    assert explanation.method == "tree-shap-exact"
    independent = np.asarray(shap.TreeExplainer(model[-1]).shap_values(model[:-1].transform(frame)))[:, :, 1]
    assert_allclose(explanation.values, _grouped(independent, bundle) * 100, atol=1e-6)
    assert explanation.additivity_gap() < 1e-9


# --- a model whose exact path would be wrong is caught ---------------------------------------------------------


def test_an_exact_method_that_does_not_add_up_in_the_models_score_is_refused(tmp_path, monkeypatch, caplog):
    """An error hidden in the chance (rows near 0% or 100%) is caught in the model's own score."""
    from explain.methods.backends import xgb as backend

    frame, binary, _ = _data()
    model = _one_hot(xgb.XGBClassifier(n_estimators=40, max_depth=3)).fit(frame, binary)
    bundle = _bundle(tmp_path, model, frame, binary)
    honest = backend.contributions

    def off_by_a_little(bundle, inputs):
        native = honest(bundle, inputs)
        values = native.values.copy()
        values[:, 0] += 0.01  # 0.01 log-odds: under 1e-4 in the chance for rows near 0% or 100%
        return type(native)(values=values, base=native.base, raw=native.raw)

    method = backend.METHOD
    from dataclasses import replace

    from explain.methods import exact, registry

    patched = replace(method, explain=exact.exact_explainer(method.name, off_by_a_little))
    # Without WOODELF, the other exact method for XGBoost: the refused rows go to the model-agnostic estimate.
    methods = tuple(
        m if m.name != method.name else patched for m in registry.all_methods() if m.name != "woodelf-tree-exact"
    )
    monkeypatch.setattr(registry, "all_methods", lambda: methods)

    explanation = explain_shap(bundle, [0, 1, 2])

    assert explanation.method == "permutation-sampling" and not explanation.provenance.exact
    assert "does not add up to the model's own score" in caplog.text


def test_when_the_exact_method_is_refused_the_population_is_still_capped(tmp_path, monkeypatch):
    from dataclasses import replace

    from explain.methods import exact, registry

    frame, binary, _ = _data(300)
    model = _one_hot(xgb.XGBClassifier(n_estimators=10, max_depth=2)).fit(frame, binary)
    bundle = _bundle(tmp_path, model, frame, binary)
    monkeypatch.setattr(exact, "RELATIVE_TOLERANCE", -1.0)  # nothing adds up: every exact method is refused
    methods = tuple(replace(m, population_cap=20) if not m.exact else m for m in registry.all_methods())
    monkeypatch.setattr(registry, "all_methods", lambda: methods)

    explanation = explain_population(bundle)

    assert explanation.method == "permutation-sampling"
    assert explanation.provenance.sample is not None and len(explanation) == explanation.provenance.sample.rows == 20


# --- an optional library that is missing ------------------------------------------------------------------------


def test_a_bundle_that_needs_a_missing_library_says_how_to_install_it(tmp_path, monkeypatch):
    import builtins
    import sys

    frame, binary, _ = _data(100)
    model = lgb.LGBMClassifier(n_estimators=5, verbose=-1).fit(_categories(frame), binary)
    folder = write_bundle(tmp_path / "b", model, frame.assign(y=binary), {"target": "y"})
    for name in [m for m in sys.modules if m == "lightgbm" or m.startswith("lightgbm.")]:
        monkeypatch.delitem(sys.modules, name)
    real_import = builtins.__import__

    def no_lightgbm(name, *args, **kwargs):
        if name == "lightgbm" or name.startswith("lightgbm."):
            raise ModuleNotFoundError(f"No module named '{name}'", name=name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_lightgbm)
    with pytest.raises(BundleError, match=r"lightgbm is not installed here.*pip install -e '\.\[lightgbm\]'"):
        load_bundle(folder, trusted=[tmp_path])


def test_long_exact_work_moves_a_progress_bar_and_gives_the_same_values(tmp_path):
    frame, binary, _ = _data(2500)
    model = _one_hot(lgb.LGBMClassifier(n_estimators=20, num_leaves=8, verbose=-1)).fit(frame, binary)
    bundle = _bundle(tmp_path, model, frame, binary)
    seen: list[float] = []

    chunked = explain_population(bundle, progress=lambda done, message: seen.append(done))
    whole = explain_shap(bundle)

    assert len(seen) >= 2 and seen == sorted(seen) and seen[-1] == 1.0
    assert_allclose(chunked.values, whole.values, rtol=1e-12, atol=1e-12)


# --- HistGradientBoosting with native categories ------------------------------------------------------------------


@pytest.mark.parametrize(
    "shape", ["ordinal-pipeline", "bare-from-dtype-csv", "bare-from-dtype-parquet", "three-classes"]
)
def test_hist_gradient_boosting_with_native_categories_is_explained_by_our_own_exact_method(tmp_path, shape):
    """shap's TreeExplainer misreads category splits; ours reads them, and adds up in the model's own score."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.preprocessing import OrdinalEncoder

    from explain.methods.hgb_trees import hgb_shap

    frame, binary, three = _data(400)
    y = three if shape == "three-classes" else binary
    if shape in ("ordinal-pipeline", "three-classes"):
        encode = make_column_transformer(
            (OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=np.nan), CATS), remainder="passthrough"
        )
        hgb = HistGradientBoostingClassifier(max_iter=30, categorical_features=[0, 1], random_state=0)
        model, data = make_pipeline(encode, hgb).fit(frame, y), frame
    else:
        data = _categories(frame)
        model = HistGradientBoostingClassifier(max_iter=30, categorical_features="from_dtype").fit(data, y)
    bundle = _bundle(tmp_path, model, data, y, parquet=shape.endswith("parquet"))
    if shape == "three-classes":
        bundle = bundle.for_outcome(1)

    explanation = explain_population(bundle)

    assert explanation.method == "hist-gradient-boosting-exact" and explanation.provenance.exact
    assert explanation.additivity_gap() < 1e-9
    k = bundle.class_index
    assert_allclose(explanation.prediction, model.predict_proba(data)[:, k] * 100, rtol=1e-9)
    estimator = model[-1] if hasattr(model, "steps") else model
    inputs = model[:-1].transform(data) if hasattr(model, "steps") else data
    own = hgb_shap(estimator, inputs)
    column = 0 if own.values.shape[2] == 1 else k
    sign = -1.0 if own.values.shape[2] == 1 and k == 0 else 1.0
    assert_allclose(explanation.native_values, sign * _grouped(own.values[:, :, column], bundle), atol=1e-9)
    if shape != "three-classes":
        _same_order(explanation.values, explanation.native_values)


def test_a_forest_too_large_to_explain_whole_is_explained_exactly_on_a_seeded_sample(tmp_path, monkeypatch):
    from explain.methods.backends import tree

    frame, binary, _ = _data(700)
    model = _one_hot(RandomForestClassifier(10, random_state=0)).fit(frame.fillna({"bill": 70.0}), binary)
    bundle = _bundle(tmp_path, model, frame.fillna({"bill": 70.0}), binary)
    assert tree.population_cap(bundle) is None  # small enough: every row
    monkeypatch.setattr(tree, "WORK_BUDGET", 1e-6)

    explanation = explain_population(bundle)

    assert explanation.method == "tree-shap-exact" and explanation.provenance.exact
    assert explanation.provenance.sample.rows == len(explanation) == tree.MIN_ROWS
    assert explanation.additivity_gap() < 1e-9
