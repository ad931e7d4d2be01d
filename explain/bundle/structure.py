"""What a fitted model is made of: the preprocessing, the final estimator, and how its inputs relate.

A model is normally an sklearn ``Pipeline`` whose last step is the estimator; a bare estimator is a pipeline
with no preprocessing. The explanation methods work on the estimator's own inputs (the encoded columns) and
:mod:`explain.bundle.grouping` sums the result back onto the raw columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.pipeline import Pipeline

from explain.errors import UnsupportedModelError

# The method each estimator family gets: the fastest exact one known for it.
KIND_XGBOOST = "xgboost"
KIND_LIGHTGBM = "lightgbm"
KIND_CATBOOST = "catboost"
KIND_HIST_GRADIENT_BOOSTING = "hist-gradient-boosting"  # native categorical splits: shap misreads them
KIND_TREE = "tree"
KIND_LINEAR = "linear"
KIND_OTHER = "other"

_SKLEARN_TREES = {
    "DecisionTreeClassifier",
    "DecisionTreeRegressor",
    "ExtraTreeClassifier",
    "ExtraTreeRegressor",
    "RandomForestClassifier",
    "RandomForestRegressor",
    "ExtraTreesClassifier",
    "ExtraTreesRegressor",
    "GradientBoostingClassifier",
    "GradientBoostingRegressor",
}
_HIST_GRADIENT_BOOSTING = {"HistGradientBoostingClassifier", "HistGradientBoostingRegressor"}
_LINEAR = {
    "LogisticRegression",
    "LogisticRegressionCV",
    "LinearRegression",
    "Ridge",
    "RidgeCV",
    "Lasso",
    "LassoCV",
    "ElasticNet",
    "ElasticNetCV",
    "SGDClassifier",
    "SGDRegressor",
    "LinearSVR",
    "HuberRegressor",
    "BayesianRidge",
    "ARDRegression",
    "RidgeClassifier",
}


@dataclass(frozen=True)
class ModelParts:
    """A fitted model split into the part that encodes and the part that predicts."""

    model: Any  # what predict/predict_proba are called on: the whole pipeline
    preprocessor: Any | None  # the pipeline without its last step, or None for a bare estimator
    estimator: Any  # the final estimator
    kind: str  # one of KIND_*
    task: str  # "classification" or "regression"
    classes: list[Any] | None

    def inputs(self, X: pd.DataFrame) -> Any:
        """What the estimator itself receives for raw rows ``X``, as it receives it: a frame whose categorical
        columns stay categories (XGBoost, LightGBM, CatBoost and HistGradientBoosting read them natively), or the
        preprocessing's array."""
        return X if self.preprocessor is None else self.preprocessor.transform(X)

    def transform(self, X: pd.DataFrame) -> np.ndarray:
        """The estimator's input for raw rows ``X``, as a dense float array of shape (n_rows, n_encoded).

        Raises ValueError when an input is not a number (a bare model that reads categories natively)."""
        Xt = self.inputs(X)
        if hasattr(Xt, "toarray"):
            Xt = Xt.toarray()
        return np.asarray(Xt, dtype=float)


def split_model(model: Any) -> ModelParts:
    """Split a fitted model into preprocessing and estimator and classify both.

    Raises
    ------
    UnsupportedModelError
        When the object cannot predict (no ``predict``), or is a multi-output model.
    """
    if not hasattr(model, "predict"):
        raise UnsupportedModelError(f"The model file holds a {type(model).__name__}, which cannot make predictions.")
    if isinstance(model, Pipeline):
        estimator = model.steps[-1][1]
        preprocessor = model[:-1] if len(model.steps) > 1 else None
    else:
        estimator, preprocessor = model, None
    classes = getattr(model, "classes_", None)
    task = "classification" if classes is not None or hasattr(model, "predict_proba") else "regression"
    return ModelParts(
        model=model,
        preprocessor=preprocessor,
        estimator=estimator,
        kind=_kind(estimator),
        task=task,
        classes=[c.item() if hasattr(c, "item") else c for c in classes] if classes is not None else None,
    )


def _kind(estimator: Any) -> str:
    name = type(estimator).__name__
    module = type(estimator).__module__
    if module.startswith("xgboost"):
        return KIND_XGBOOST
    if module.startswith("lightgbm"):
        return KIND_LIGHTGBM
    if module.startswith("catboost"):
        return KIND_CATBOOST
    if name in _HIST_GRADIENT_BOOSTING:
        return KIND_HIST_GRADIENT_BOOSTING
    if name in _SKLEARN_TREES:
        return KIND_TREE
    if name in _LINEAR and hasattr(estimator, "coef_"):
        return KIND_LINEAR
    return KIND_OTHER


def raw_columns(model: Any, data: pd.DataFrame, exclude: list[str]) -> list[str]:
    """The raw columns a model takes: what it was fitted on when it remembers, else the data's other columns."""
    names = getattr(model, "feature_names_in_", None)
    if names is None and isinstance(model, Pipeline):
        names = getattr(model.steps[0][1], "feature_names_in_", None)
    if names is not None:
        return [str(n) for n in names]
    return [c for c in data.columns if c not in exclude]
