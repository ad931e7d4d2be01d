"""Our exact path-dependent TreeSHAP: brute-force Shapley values, shap where shap reads the model right, and
HistGradientBoosting's native categorical splits, where it does not.

The oracle is the definition: ``v(S)`` recurses each tree, following the row at splits on features in ``S`` and
averaging both children by cover at the others; Shapley values are then summed over every subset.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pytest
import shap
from numpy.testing import assert_allclose
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.tree import DecisionTreeRegressor
from threadpoolctl import threadpool_limits

from explain.methods.hgb_trees import hgb_baseline, hgb_ensembles, hgb_inputs, hgb_shap
from explain.methods.treeshap import Tree, TreeEnsemble, path_dependent_shap, predict_raw
from explain.methods.treeshap import plan as treeshap_plan


@pytest.fixture(autouse=True)
def one_openmp_thread() -> Iterator[None]:
    """HistGradientBoosting fits and predicts with OpenMP threads, which wait on each other on a busy machine."""
    with threadpool_limits(limits=1, user_api="openmp"):
        yield


# --- the oracle -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Walkable:
    """What the brute force needs of a tree: its structure and how a row goes at a split."""

    feature: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray
    cover: np.ndarray
    goes_left: Callable[[int, np.ndarray], bool]


def _expectation(tree: _Walkable, node: int, x: np.ndarray, known: int) -> float:
    """E[tree(x) | x_S] by the path-dependent rule; ``known`` is S as a bit mask over features."""
    if tree.feature[node] < 0:
        return float(tree.value[node])
    left, right = int(tree.left[node]), int(tree.right[node])
    if known >> int(tree.feature[node]) & 1:
        return _expectation(tree, left if tree.goes_left(node, x) else right, x, known)
    both = tree.cover[left] * _expectation(tree, left, x, known)
    both += tree.cover[right] * _expectation(tree, right, x, known)
    return float(both / tree.cover[node])


def _brute_force(trees: list[_Walkable], x: np.ndarray, n_features: int) -> tuple[np.ndarray, float]:
    """Shapley values of ``v(S) = sum over trees of E[tree | x_S]`` by enumerating every subset S."""
    v = [sum(_expectation(tree, 0, x, known) for tree in trees) for known in range(1 << n_features)]
    phi = np.zeros(n_features)
    for i in range(n_features):
        for known in range(1 << n_features):
            if not known >> i & 1:
                size = bin(known).count("1")
                weight = math.factorial(size) * math.factorial(n_features - size - 1) / math.factorial(n_features)
                phi[i] += weight * (v[known | 1 << i] - v[known])
    return phi, v[0]


def _walkable(tree: Tree) -> _Walkable:
    """Our format, read by the rules its docstring states (written out again here, not imported)."""

    def goes_left(node: int, x: np.ndarray) -> bool:
        value = x[tree.feature[node]]
        if tree.category_set[node] >= 0:
            if math.isnan(value) or value < 0 or value >= 256:
                return bool(tree.missing_left[node])
            return bool(tree.left_categories[tree.category_set[node], int(value)])
        if math.isnan(value):
            return bool(tree.missing_left[node])
        return bool(value <= tree.threshold[node])

    return _Walkable(tree.feature, tree.left, tree.right, tree.value, tree.cover, goes_left)


def _sklearn_walkable(predictor: Any, known: np.ndarray, f_idx_map: np.ndarray) -> _Walkable:
    """scikit-learn's own TreePredictor, on its own (reordered) columns, as ``_predictor.pyx`` decides."""
    nodes = predictor.nodes

    def in_bitset(bitsets: np.ndarray, row: int, code: int) -> bool:
        return bool(int(bitsets[row, code // 32]) >> (code % 32) & 1)

    def goes_left(node: int, x: np.ndarray) -> bool:
        record = nodes[node]
        value = x[record["feature_idx"]]
        missing = bool(record["missing_go_to_left"])
        if math.isnan(value):
            return missing
        if record["is_categorical"]:
            if value < 0:
                return missing
            if in_bitset(predictor.raw_left_cat_bitsets, int(record["bitset_idx"]), int(value)):
                return True
            if in_bitset(known, int(f_idx_map[record["feature_idx"]]), int(value)):
                return False
            return missing
        return bool(value <= record["num_threshold"])

    feature = np.where(nodes["is_leaf"], -1, nodes["feature_idx"])
    return _Walkable(feature, nodes["left"], nodes["right"], nodes["value"], nodes["count"].astype(float), goes_left)


# --- random trees in our format -----------------------------------------------------------------------------------

N_CODES = 8  # categories 0..7 in the training data of the random trees


def _random_tree(
    rng: np.random.Generator, n_features: int, n_categorical: int, depth: int, spine: bool = False
) -> Tree:
    """A random tree; features below ``n_categorical`` are split by category sets, and features repeat on paths.

    With ``spine``, one path goes all the way down to ``depth`` and only small subtrees hang off it.
    """
    nodes: list[dict[str, Any]] = []
    tables: list[np.ndarray] = []

    def grow(level: int, on_spine: bool = False) -> int:
        index = len(nodes)
        nodes.append({})
        bushy = not spine and rng.random() < 0.8
        if level == depth or not (on_spine or bushy or (spine and level % 4 and rng.random() < 0.5)):
            nodes[index] = {"feature": -1, "value": rng.normal(), "cover": float(rng.integers(1, 30))}
            return index
        feature = int(rng.integers(n_features))
        node: dict[str, Any] = {"feature": feature, "missing_left": bool(rng.random() < 0.5), "threshold": rng.normal()}
        if feature < n_categorical:
            tables.append(rng.random(256) < 0.5)  # codes >= N_CODES too: rows may carry unseen codes
            node["category_set"] = len(tables) - 1
        spine_left = on_spine and rng.random() < 0.5
        node["left"] = grow(level + 1, spine_left)
        node["right"] = grow(level + 1, on_spine and not spine_left)
        node["cover"] = nodes[node["left"]]["cover"] + nodes[node["right"]]["cover"]
        nodes[index] = node
        return index

    grow(0, on_spine=spine)
    return Tree(
        feature=[node["feature"] for node in nodes],
        threshold=[node.get("threshold", 0.0) for node in nodes],
        missing_left=[node.get("missing_left", False) for node in nodes],
        category_set=[node.get("category_set", -1) for node in nodes],
        left=[node.get("left", -1) for node in nodes],
        right=[node.get("right", -1) for node in nodes],
        value=[node.get("value", 0.0) for node in nodes],
        cover=[node["cover"] for node in nodes],
        left_categories=np.array(tables).reshape(-1, 256),
    )


def _random_rows(rng: np.random.Generator, n_rows: int, n_features: int, n_categorical: int) -> np.ndarray:
    """Rows with NaN everywhere, and unseen, negative, too large and fractional category codes."""
    X = rng.normal(size=(n_rows, n_features))
    X[:, :n_categorical] = rng.integers(0, N_CODES, size=(n_rows, n_categorical))
    X[rng.random(X.shape) < 0.15] = np.nan
    odd_codes = [N_CODES + 1, -1.0, 300.0, 2.5]
    X[: len(odd_codes), 0] = odd_codes
    return X


@pytest.fixture(params=["tables", "along the tree"])
def evaluation(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways of evaluating a tree: pattern tables (shallow trees), and along the tree (deep ones)."""
    if request.param == "along the tree":
        monkeypatch.setattr(treeshap_plan, "_TABLE_MAX_DEPTH", -1)
    return str(request.param)


def test_random_trees_match_brute_force(evaluation: str) -> None:
    rng = np.random.default_rng(7)
    for n_features, n_categorical, depth, n_trees in [(5, 2, 6, 3), (4, 1, 4, 5), (6, 3, 5, 2), (3, 0, 7, 2)]:
        trees = [_random_tree(rng, n_features, n_categorical, depth) for _ in range(n_trees)]
        trees.append(_random_tree(rng, n_features, n_categorical, 0))  # a single leaf: only the base
        ensemble = TreeEnsemble(tuple(trees), n_features)
        X = _random_rows(rng, 8, n_features, n_categorical)
        values, base = path_dependent_shap(ensemble, X)
        walkables = [_walkable(tree) for tree in trees]
        for row, x in enumerate(X):
            expected, expected_base = _brute_force(walkables, x, n_features)
            assert_allclose(values[row], expected, rtol=0, atol=1e-9)
            assert base == pytest.approx(expected_base, abs=1e-12)
            # With every feature known, v is the tree's output itself.
            everything = sum(_expectation(tree, 0, x, (1 << n_features) - 1) for tree in walkables)
            assert predict_raw(ensemble, x[None])[0] == pytest.approx(everything, abs=1e-12)
        assert_allclose(base + values.sum(1), predict_raw(ensemble, X), rtol=0, atol=1e-12)


def test_a_long_path_that_keeps_coming_back_to_the_same_features(evaluation: str) -> None:
    """Depth 24 over 4 features: every feature is split on six times on the deepest paths."""
    rng = np.random.default_rng(3)
    trees = [_random_tree(rng, 4, 1, 24, spine=True) for _ in range(4)]
    assert min(_depth(tree) for tree in trees) == 24
    ensemble = TreeEnsemble(tuple(trees), 4)
    X = _random_rows(rng, 6, 4, 1)
    values, base = path_dependent_shap(ensemble, X)
    for row, x in enumerate(X):
        expected, _ = _brute_force([_walkable(tree) for tree in trees], x, 4)
        assert_allclose(values[row], expected, rtol=0, atol=1e-9)
    assert_allclose(base + values.sum(1), predict_raw(ensemble, X), rtol=0, atol=1e-12)


def _depth(tree: Tree) -> int:
    depth = np.zeros(tree.feature.size, dtype=int)
    for node in np.flatnonzero(tree.feature >= 0):  # parents come before their children
        depth[tree.left[node]] = depth[tree.right[node]] = depth[node] + 1
    return int(depth.max())


# --- shap, where shap reads the model right -------------------------------------------------------------------------


def _from_sklearn_tree(model: DecisionTreeRegressor) -> Tree:
    tree = model.tree_
    return Tree(
        feature=np.where(tree.children_left >= 0, tree.feature, -1),
        threshold=tree.threshold,
        missing_left=tree.missing_go_to_left.astype(bool),
        category_set=np.full(tree.node_count, -1),
        left=tree.children_left,
        right=tree.children_right,
        value=tree.value[:, 0, 0],
        cover=tree.n_node_samples,
        left_categories=np.zeros((0, 256), dtype=bool),
    )


def test_a_deep_sklearn_tree_matches_shap() -> None:
    """Depth 20+, with paths of more distinct features than pattern tables take."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(1500, 24)).astype(np.float32).astype(float)  # sklearn trees compare in float32
    y = X @ rng.normal(size=24) + rng.normal(size=1500)
    model = DecisionTreeRegressor(random_state=0).fit(X, y)
    assert model.get_depth() >= 20
    rows = X[:150]
    values, base = path_dependent_shap(TreeEnsemble((_from_sklearn_tree(model),), 24), rows)
    explainer = shap.TreeExplainer(model)
    assert_allclose(values, explainer.shap_values(rows), rtol=0, atol=1e-9)
    assert base == pytest.approx(float(np.ravel(explainer.expected_value)[0]), abs=1e-9)
    assert_allclose(base + values.sum(1), model.predict(rows), rtol=0, atol=1e-9)


@pytest.mark.parametrize("kind", ["regressor", "binary", "3-class"])
def test_numeric_hist_gradient_boosting_matches_shap(kind: str) -> None:
    rng = np.random.default_rng(1)
    X = rng.normal(size=(400, 5))
    X[rng.random(X.shape) < 0.1] = np.nan
    signal = np.nan_to_num(X[:, 0]) + np.nan_to_num(X[:, 1] * X[:, 2]) + rng.normal(size=400) * 0.3
    model, y = _model(kind, signal, max_iter=15)
    model.fit(X, y)
    explained = hgb_shap(model, X[:100])
    explainer = shap.TreeExplainer(model)
    expected = np.asarray(explainer.shap_values(X[:100])).reshape(explained.values.shape)
    assert_allclose(explained.values, expected, rtol=0, atol=1e-6)
    assert_allclose(explained.base, np.ravel(explainer.expected_value), rtol=0, atol=1e-6)


def _model(kind: str, signal: np.ndarray, **options: Any) -> tuple[Any, np.ndarray]:
    """An unfitted model of ``kind`` and its target from a numeric signal."""
    if kind == "regressor":
        return HistGradientBoostingRegressor(random_state=0, **options), signal
    if kind == "binary":
        return HistGradientBoostingClassifier(random_state=0, **options), (signal > np.median(signal)).astype(int)
    thirds = np.quantile(signal, [1 / 3, 2 / 3])
    return HistGradientBoostingClassifier(random_state=0, **options), np.digitize(signal, thirds)


# --- HistGradientBoosting with native categorical splits -----------------------------------------------------------

CITY_VALUES = [10, 20, 30, 40, 50, 60]  # numpy input: the codes are positions 0..5, not these values
COLOR_VALUES = [3, 7, 11]


def _categorical_data(input_kind: str, n: int = 300, seed: int = 0) -> tuple[Any, Any, np.ndarray]:
    """Training and test inputs, columns [number, city, amount, color], and a signal that leans on the categories.

    The test rows carry NaN in both numeric columns and in city, and a city never seen in training.
    """
    rng = np.random.default_rng(seed)
    city = rng.integers(0, 6, n)
    color = rng.integers(0, 3, n)
    number, amount = rng.normal(size=n), rng.normal(size=n)
    signal = np.array([2.0, -1.0, 0.5, 3.0, -2.0, 1.0])[city] + 1.5 * (color == 0) + number + 0.5 * amount
    number[rng.random(n) < 0.1] = np.nan
    city_missing = rng.random(n) < 0.05
    numeric = np.column_stack([number, np.take(CITY_VALUES, city), amount, np.take(COLOR_VALUES, color)]).astype(float)
    numeric[city_missing, 1] = np.nan
    test = numeric[:24].copy()
    test[0, 1] = 999.0  # a city never seen in training
    test[1, 0] = test[2, 2] = test[3, 1] = np.nan
    if input_kind == "numpy":
        return numeric, test, signal
    frames = []
    for block in (numeric, test):
        frame = pd.DataFrame({"number": block[:, 0], "city": block[:, 1], "amount": block[:, 2], "color": block[:, 3]})
        names = {value: f"city-{value:g}" for value in [*CITY_VALUES, 999]}
        frame["city"] = pd.Categorical(frame["city"].map(names), categories=[names[v] for v in [*CITY_VALUES, 999]])
        frame["color"] = pd.Categorical(frame["color"].map({3: "red", 7: "green", 11: "blue"}))
        frames.append(frame)
    return frames[0], frames[1], signal


def _categorical_model(kind: str, input_kind: str, **options: Any) -> tuple[Any, Any]:
    train, test, signal = _categorical_data(input_kind)
    categorical = [1, 3] if input_kind == "numpy" else "from_dtype"
    model, y = _model(kind, signal, categorical_features=categorical, **options)
    model.fit(train, y)
    assert any(predictor.nodes["is_categorical"].any() for iteration in model._predictors for predictor in iteration)
    return model, test


KINDS = ["regressor", "binary", "3-class"]
INPUTS = ["numpy", "pandas"]


@pytest.mark.parametrize("input_kind", INPUTS)
@pytest.mark.parametrize("kind", KINDS)
def test_native_categorical_values_add_up_to_the_model(kind: str, input_kind: str) -> None:
    model, test = _categorical_model(kind, input_kind, max_iter=20)
    explained = hgb_shap(model, test)
    n_outputs = 3 if kind == "3-class" else 1
    assert explained.values.shape == (len(test), 4, n_outputs)
    assert_allclose(explained.raw, model._raw_predict(test))
    total = explained.base + explained.values.sum(axis=1)
    assert_allclose(total, explained.raw, rtol=0, atol=1e-6 * np.abs(explained.raw).max())


@pytest.mark.parametrize("input_kind", INPUTS)
@pytest.mark.parametrize("kind", KINDS)
def test_native_categorical_values_match_brute_force_on_sklearns_own_trees(kind: str, input_kind: str) -> None:
    """The oracle walks scikit-learn's predictors themselves, as its Cython predictor does, not our reading of them."""
    model, test = _categorical_model(kind, input_kind, max_iter=3, max_leaf_nodes=4)
    explained = hgb_shap(model, test)
    own_columns = model._preprocess_X(test, reset=False)
    # scikit-learn's ColumnTransformer puts the categorical columns first; map its columns back to the caller's.
    order = np.r_[np.flatnonzero(model.is_categorical_), np.flatnonzero(~model.is_categorical_)]
    known, f_idx_map = model._bin_mapper.make_known_categories_bitsets()
    for k in range(explained.values.shape[2]):
        trees = [_sklearn_walkable(iteration[k], known, f_idx_map) for iteration in model._predictors]
        for row, x in enumerate(own_columns):
            phi, v_empty = _brute_force(trees, x, 4)
            assert_allclose(explained.values[row, order, k], phi, rtol=0, atol=1e-9)
            assert explained.base[k] == pytest.approx(model._baseline_prediction.ravel()[k] + v_empty, abs=1e-9)


@pytest.mark.parametrize("input_kind", INPUTS)
def test_inputs_are_category_positions_in_the_callers_column_order(input_kind: str) -> None:
    model, test = _categorical_model("regressor", input_kind, max_iter=5)
    inputs = hgb_inputs(model, test)
    raw = test.to_numpy(dtype=object) if input_kind == "pandas" else test
    assert_allclose(inputs[:, [0, 2]], np.asarray(raw[:, [0, 2]], dtype=float))  # NaN stays NaN
    if input_kind == "numpy":
        city = {float(value): position for position, value in enumerate(CITY_VALUES)}
        color = {float(value): position for position, value in enumerate(COLOR_VALUES)}
    else:
        city = {f"city-{value}": position for position, value in enumerate(CITY_VALUES)}
        color = {name: position for position, name in enumerate(sorted(["red", "green", "blue"]))}
    for column, codes in [(1, city), (3, color)]:
        expected = [codes.get(value, np.nan) for value in raw[:, column]]  # unseen (999) and missing: NaN
        assert_allclose(inputs[:, column], np.asarray(expected, dtype=float))
    assert np.isnan(inputs[0, 1]) and np.isnan(inputs[3, 1])


def test_codes_the_encoder_never_makes_go_where_sklearns_own_predictor_sends_them() -> None:
    """Unknown (past the 6 cities), negative and NaN codes put straight into the trees: missing, as sklearn has it."""
    model, test = _categorical_model("regressor", "numpy", max_iter=20)
    codes = hgb_inputs(model, test)
    codes[:, 1] = np.resize([6.0, 7.0, -1.0, np.nan, 255.0, 0.0], len(codes))
    codes[::3, 3] = -2.0
    known, f_idx_map = model._bin_mapper.make_known_categories_bitsets()
    own_columns = np.ascontiguousarray(codes[:, [1, 3, 0, 2]])  # categorical columns first, as sklearn has them
    theirs = sum(iteration[0].predict(own_columns, known, f_idx_map, 1) for iteration in model._predictors)
    (ensemble,) = hgb_ensembles(model)
    assert_allclose(predict_raw(ensemble, codes), theirs, rtol=0, atol=1e-12)
    values, base = path_dependent_shap(ensemble, codes)
    assert_allclose(base + values.sum(1), theirs, rtol=0, atol=1e-9)


def test_shap_tree_explainer_misreads_native_categorical_splits() -> None:
    """Why this code exists: shap ignores the category bitsets, so its values do not add up to the model's score."""
    model, test = _categorical_model("regressor", "numpy", max_iter=30)
    raw = model._raw_predict(test)[:, 0]
    explainer = shap.TreeExplainer(model)
    theirs = explainer.shap_values(test, check_additivity=False)
    assert np.abs(float(np.ravel(explainer.expected_value)[0]) + theirs.sum(1) - raw).max() > 0.5
    ours = hgb_shap(model, test)
    assert_allclose(ours.base[0] + ours.values[:, :, 0].sum(1), raw, rtol=0, atol=1e-9)


def test_a_refit_model_is_read_again() -> None:
    """The read trees are cached per estimator; warm-started iterations join the same list, and must be seen."""
    train, test, signal = _categorical_data("numpy")
    model, y = _model("binary", signal, categorical_features=[1, 3], max_iter=5, warm_start=True)
    model.fit(train, y)
    assert len(hgb_ensembles(model)[0].trees) == 5
    model.set_params(max_iter=12).fit(train, y)
    assert len(hgb_ensembles(model)[0].trees) == 12
    explained = hgb_shap(model, test)
    assert_allclose(explained.base + explained.values.sum(1), explained.raw, rtol=0, atol=1e-9)
    assert_allclose(hgb_baseline(model), model._baseline_prediction.ravel())


def test_malformed_trees_and_inputs_are_refused() -> None:
    leaf = {
        "threshold": [0.0],
        "missing_left": [False],
        "category_set": [-1],
        "left": [-1],
        "right": [-1],
        "value": [1.0],
        "left_categories": np.zeros((0, 256), dtype=bool),
    }
    with pytest.raises(ValueError, match="positive cover"):
        Tree(feature=[-1], cover=[0.0], **leaf)
    with pytest.raises(ValueError, match="after it"):
        Tree(
            feature=[0, -1, -1],
            threshold=[0.0] * 3,
            missing_left=[False] * 3,
            category_set=[-1] * 3,
            left=[0, -1, -1],
            right=[2, -1, -1],
            value=[0.0] * 3,
            cover=[2.0, 1.0, 1.0],
            left_categories=np.zeros((0, 256), dtype=bool),
        )
    ensemble = TreeEnsemble((Tree(feature=[-1], cover=[1.0], **leaf),), 3)
    with pytest.raises(ValueError, match=r"shape \(n_rows, 3\)"):
        path_dependent_shap(ensemble, np.zeros((2, 4)))
    values, base = path_dependent_shap(ensemble, np.zeros((2, 3)))
    assert base == 1.0 and not values.any()
    with pytest.raises(TypeError, match="HistGradientBoosting"):
        hgb_shap(DecisionTreeRegressor(), np.zeros((1, 1)))
