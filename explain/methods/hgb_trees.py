"""scikit-learn's HistGradientBoosting models read into :mod:`explain.methods.treeshap`'s format, and explained.

shap's TreeExplainer reads these models' numeric thresholds but not their native categorical splits (the category
bitsets), so its values do not add up to the model's output once ``categorical_features`` is used. This reader takes
every split as the model's own predictor (``sklearn/ensemble/_hist_gradient_boosting/_predictor.pyx``) takes it:

- **Columns.** With categorical features the estimator's internal preprocessor (an ``OrdinalEncoder`` in a
  ``ColumnTransformer``) puts the categorical columns first, as codes ``0 .. n_categories - 1`` (the position of
  the category among the sorted categories seen in training, for numpy integer columns as well as for pandas
  categories or strings); the predictors' ``feature_idx`` count in that order. :func:`hgb_inputs` returns the same
  numbers in the caller's column order, and the trees here read that order, so values come back per input column.
- **Categorical splits.** A code goes left when it is in the split's left bitset; a known category that is not goes
  right. Everything else goes the split's missing way: NaN (missing values, and categories unseen in training,
  which the encoder turns into NaN), negative codes, and codes that are not known categories of the feature (the
  encoder never makes those, but codes fed to the trees directly can be). That last rule is folded into each
  split's 256-entry table.
- **Numeric splits**: left when ``x <= num_threshold``; NaN follows ``missing_go_to_left``.
"""

from __future__ import annotations

import weakref
from typing import Any, NamedTuple

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.utils.validation import check_is_fitted

from explain.methods.treeshap import N_CATEGORY_CODES, FloatArray, IntArray, Tree, TreeEnsemble, path_dependent_shap

type HGB = HistGradientBoostingClassifier | HistGradientBoostingRegressor


class HGBShap(NamedTuple):
    """Exact path-dependent SHAP values of a HistGradientBoosting model, in its raw score.

    Attributes
    ----------
    values : ndarray of shape (n_rows, n_features, n_outputs)
        One output for regression and binary classification (the log-odds of the last class), one per class
        otherwise; features in the estimator's input column order.
    base : ndarray of shape (n_outputs,)
    raw : ndarray of shape (n_rows, n_outputs)
        The estimator's own raw score (``_raw_predict``), not computed from ``values``:
        ``base[k] + values[:, :, k].sum(1) == raw[:, k]``.
    """

    values: FloatArray
    base: FloatArray
    raw: FloatArray


def hgb_shap(estimator: HGB, X: Any) -> HGBShap:
    """Explain rows of a fitted HistGradientBoostingClassifier or Regressor exactly (native categorical splits too).

    Parameters
    ----------
    estimator : HistGradientBoostingClassifier or HistGradientBoostingRegressor
    X : array-like or DataFrame of shape (n_rows, n_features)
        What the estimator's ``predict`` receives.

    Returns
    -------
    HGBShap
    """
    inputs = hgb_inputs(estimator, X)
    explained = [path_dependent_shap(ensemble, inputs) for ensemble in hgb_ensembles(estimator)]
    values = np.stack([values for values, _ in explained], axis=2)
    base = hgb_baseline(estimator) + np.array([base for _, base in explained])
    # One thread: the same numbers (each row sums its trees in order either way), and on a busy machine OpenMP's
    # waiting threads made this 10x slower than the SHAP values themselves (1.2 s against 0.09 s for 10,000 rows).
    raw = np.asarray(estimator._raw_predict(X, n_threads=1), dtype=np.float64).reshape(inputs.shape[0], -1)
    return HGBShap(values=values, base=base, raw=raw)


def hgb_inputs(estimator: HGB, X: Any) -> FloatArray:
    """The numbers the estimator's trees read, in the caller's column order: categories as codes, NaN when missing.

    Parameters
    ----------
    estimator : HistGradientBoostingClassifier or HistGradientBoostingRegressor
    X : array-like or DataFrame of shape (n_rows, n_features)

    Returns
    -------
    ndarray of shape (n_rows, n_features)
        Numeric columns as given; categorical ones as the codes of the categories seen in training, NaN for missing
        values and categories never seen.
    """
    _check(estimator)
    encoded = np.asarray(estimator._preprocess_X(X, reset=False), dtype=np.float64)
    out = np.empty_like(encoded)
    out[:, _column_order(estimator)] = encoded
    return out


def hgb_baseline(estimator: HGB) -> FloatArray:
    """The constant the estimator adds to its trees' sum, shape (n_outputs,)."""
    _check(estimator)
    return np.asarray(estimator._baseline_prediction, dtype=np.float64).reshape(-1)


# The ensembles of an estimator are read once; a refit (a new or longer ``_predictors``) reads them again.
_READ: weakref.WeakKeyDictionary[Any, tuple[Any, int, list[TreeEnsemble]]] = weakref.WeakKeyDictionary()


def hgb_ensembles(estimator: HGB) -> list[TreeEnsemble]:
    """The estimator's trees, one ensemble per output (1 for regression and binary, one per class otherwise).

    Parameters
    ----------
    estimator : HistGradientBoostingClassifier or HistGradientBoostingRegressor

    Returns
    -------
    list of TreeEnsemble
        Reading :func:`hgb_inputs`; without :func:`hgb_baseline`, which the estimator adds to their sum.
    """
    _check(estimator)
    predictors = estimator._predictors
    cached = _READ.get(estimator)
    if cached is not None and cached[0] is predictors and cached[1] == len(predictors):
        return cached[2]
    order = _column_order(estimator)
    known = np.zeros((0, N_CATEGORY_CODES), dtype=np.bool_)
    f_idx_map = np.zeros(order.size, dtype=np.intp)
    if estimator.is_categorical_ is not None:
        bitsets, f_idx = estimator._bin_mapper.make_known_categories_bitsets()
        known, f_idx_map = _unpack(bitsets), np.asarray(f_idx, dtype=np.intp)
    ensembles = [
        TreeEnsemble(
            trees=tuple(_tree(iteration[k], order, known, f_idx_map) for iteration in predictors),
            n_features=order.size,
        )
        for k in range(estimator.n_trees_per_iteration_)
    ]
    _READ[estimator] = (predictors, len(predictors), ensembles)
    return ensembles


def _tree(predictor: Any, order: IntArray, known: np.ndarray, f_idx_map: IntArray) -> Tree:
    """One ``TreePredictor`` in the caller's column order, with unknown categories folded into its left tables."""
    nodes = predictor.nodes
    leaf = nodes["is_leaf"].astype(bool)
    feature_idx = nodes["feature_idx"].astype(np.intp)
    missing_left = nodes["missing_go_to_left"].astype(bool)
    categorical = np.flatnonzero(nodes["is_categorical"].astype(bool) & ~leaf)
    category_set = np.full(nodes.size, -1, dtype=np.intp)
    category_set[categorical] = np.arange(categorical.size)
    raw_left = _unpack(predictor.raw_left_cat_bitsets)[nodes["bitset_idx"][categorical].astype(np.intp)]
    # A known category outside the left set goes right; any other code goes the missing way (see the predictor).
    unknown = ~known[f_idx_map[feature_idx[categorical]]]
    left_categories = raw_left | (unknown & missing_left[categorical, None])
    return Tree(
        feature=np.where(leaf, -1, order[feature_idx]),
        threshold=nodes["num_threshold"],
        missing_left=missing_left,
        category_set=category_set,
        left=nodes["left"],
        right=nodes["right"],
        value=nodes["value"],
        cover=nodes["count"],
        left_categories=left_categories.reshape(-1, N_CATEGORY_CODES),
    )


def _unpack(bitsets: Any) -> np.ndarray:
    """scikit-learn bitsets, (k, 8) uint32 words (bit c in word c // 32), as a (k, 256) bool table."""
    words = np.ascontiguousarray(bitsets, dtype="<u4").reshape(-1, 8)
    return np.unpackbits(words.view(np.uint8), axis=1, bitorder="little").astype(bool)


def _column_order(estimator: HGB) -> IntArray:
    """For each column the predictors read, the caller's column it comes from, shape (n_features,)."""
    is_categorical = estimator.is_categorical_
    if estimator._preprocessor is None or is_categorical is None:
        return np.arange(estimator.n_features_in_, dtype=np.intp)
    # The ColumnTransformer outputs the encoder's columns (the categorical ones, in order), then the numeric ones.
    order: IntArray = np.r_[np.flatnonzero(is_categorical), np.flatnonzero(~is_categorical)].astype(np.intp)
    encoder = estimator._preprocessor.output_indices_["encoder"]
    if encoder.stop - encoder.start != np.count_nonzero(is_categorical) or encoder.start != 0:
        raise ValueError("this scikit-learn lays out HistGradientBoosting's categorical columns in an unknown order")
    return order


def _check(estimator: Any) -> None:
    """A fitted HistGradientBoosting estimator, or a clear error."""
    if not isinstance(estimator, HistGradientBoostingClassifier | HistGradientBoostingRegressor):
        raise TypeError(f"expected a HistGradientBoostingClassifier or Regressor, got {type(estimator).__name__}")
    check_is_fitted(estimator)
