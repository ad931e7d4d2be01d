"""How good the model is, checked against what really happened in the reference data.

The figures are scikit-learn's metrics on the rows whose outcome is known (its own curves; the flag's figures from
one confusion matrix, the same numbers its functions give), so an analyst can reproduce every number;
:func:`quality_sentences` then says the same figures in plain words (natural frequencies, grade 8, none of the
words in :mod:`explain.words.plain_words`).
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import pandas as pd
from sklearn.calibration import calibration_curve
from sklearn.metrics import (
    auc,
    mean_absolute_error,
    median_absolute_error,
    precision_recall_curve,
    r2_score,
    roc_curve,
    root_mean_squared_error,
)

from explain.bundle.bundle import Bundle
from explain.bundle.inferred import is_yes
from explain.bundle.naming import join_words
from explain.bundle.values import is_missing
from explain.errors import ExplainError
from explain.store import Entry, kept

# Calibration bins: quantile bins hold the same number of rows each. Churn-like data piles most chances near
# zero, so equal-width bins would leave the high bins with a handful of rows (noisy points) and the low ones
# crowded; with equal counts every point on the curve is about equally trustworthy.
CALIBRATION_BINS = 10
CALIBRATION_STRATEGY = "quantile"
# The ROC and precision-recall curves keep at most this many points, evenly along the curve: a million rows give
# hundreds of thousands of thresholds, more than a chart can show; the areas under them come from every row.
MAX_CURVE_POINTS = 2000


@dataclass(frozen=True, eq=False)
class ClassifierQuality:
    """How well the chances of ``positive_class`` match what happened (one class against the rest).

    Attributes
    ----------
    n_rows : int
        Rows checked: those whose outcome is recorded.
    n_dropped : int
        Rows left out because their outcome is missing.
    threshold : float
        The card's risk threshold; a row is flagged when its chance is at least this.
    confusion : ndarray of shape (2, 2)
        ``[[tn, fp], [fn, tp]]`` with "positive" = the row really has ``positive_class``, "flagged" = predicted.
    roc_fpr, roc_tpr : ndarray or None
        The ROC curve (at most ``MAX_CURVE_POINTS`` of its points); None when only one outcome occurs in the data.
    pr_precision, pr_recall : ndarray or None
        The precision-recall curve (as thinned); None when the positive outcome never occurs.
    calibration_predicted, calibration_observed : ndarray
        Per bin: the mean chance given and the share that really had the outcome.
    overall_accuracy : float or None
        Multiclass models only: the share of rows where the model's best guess is the real class.
    """

    positive_class: Any
    n_rows: int
    n_dropped: int
    threshold: float
    base_rate: float
    n_positive: int
    n_flagged: int
    accuracy: float
    precision: float
    recall: float
    f1: float
    roc_auc: float | None
    average_precision: float | None
    brier: float
    confusion: np.ndarray
    roc_fpr: np.ndarray | None
    roc_tpr: np.ndarray | None
    pr_precision: np.ndarray | None
    pr_recall: np.ndarray | None
    calibration_predicted: np.ndarray
    calibration_observed: np.ndarray
    n_classes: int = 2
    overall_accuracy: float | None = None

    @property
    def tn(self) -> int:
        return int(self.confusion[0, 0])

    @property
    def fp(self) -> int:
        return int(self.confusion[0, 1])

    @property
    def fn(self) -> int:
        return int(self.confusion[1, 0])

    @property
    def tp(self) -> int:
        return int(self.confusion[1, 1])


@dataclass(frozen=True, eq=False)
class RegressionQuality:
    """How far the model's values are from the real ones.

    Attributes
    ----------
    within : float
        The share of rows whose error is at most the mean absolute error.
    baseline_mae : float
        The mean absolute error of always guessing the average real value (what "no model" would do).
    actual, predicted : ndarray of shape (n_rows,)
        The real and the predicted values of the rows checked, for plotting.
    """

    n_rows: int
    n_dropped: int
    mae: float
    rmse: float
    r2: float | None
    median_abs_error: float
    within: float
    baseline_mae: float
    actual: np.ndarray
    predicted: np.ndarray


Quality = ClassifierQuality | RegressionQuality


def model_quality(bundle: Bundle) -> Quality | None:
    """The model's quality on the bundle's reference data, or None when the data holds no outcome to check.

    Rows whose outcome is missing are left out and counted (``n_dropped``).

    Raises
    ------
    ExplainError
        When the outcome column is empty, when none of its values is one of the model's classes, or (regression)
        when it holds values that are not numbers.
    """
    card = bundle.card
    if card.target is None or card.target not in bundle.data.columns:
        return None
    # Kept on disk with the bundle's other whole-data results: a million rows took two seconds on every start.
    found: Quality = kept(
        "quality",
        bundle.fingerprint,
        lambda: _worked_out(bundle),
        _encode,
        lambda entry: _decode(bundle, entry),
        what=f"how good the model of {bundle.name} is",
    )
    return found


def _worked_out(bundle: Bundle) -> Quality:
    assert bundle.card.target is not None
    return quality_on(bundle, bundle.X, bundle.data[bundle.card.target], bundle.outputs)


def quality_on(bundle: Bundle, X: pd.DataFrame, outcome: pd.Series, outputs: np.ndarray) -> Quality:
    """The model's quality on any rows: ``X`` (the model's raw columns), what really happened to them
    (``outcome``, the card's target column as the data holds it) and the model's outputs for them.

    :func:`model_quality` is this for the reference data; newer data with its outcome is checked the same way
    (see :mod:`explain.analyses.drift`). Raises as :func:`model_quality` does.
    """
    card = bundle.card
    target = _as_classes(outcome, card.target_values)
    codes, uniques = pd.factorize(target, use_na_sentinel=True)  # each distinct value checked once, not each row
    blank = np.array([is_missing(u) for u in uniques] + [True], dtype=bool)  # code -1 (NaN, None) indexes the last
    keep = ~blank[codes]
    n_dropped = int((~keep).sum())
    if not keep.any():
        raise ExplainError(
            f"The column '{card.target}' is empty in every row, so the model cannot be checked against it."
        )
    # The outputs come in (the reference's are worked out once per bundle and kept on disk): never predicted here.
    if keep.all():
        known, outputs = target, np.asarray(outputs)
    else:
        rows = np.flatnonzero(keep)
        X, known, outputs = X.iloc[rows], target.iloc[rows], np.asarray(outputs)[rows]
    if bundle.is_classifier:
        return _classifier_quality(bundle, X, known, outputs, n_dropped)
    return _regression_quality(bundle, known, outputs, n_dropped)


def _encode(quality: Quality) -> Entry:
    """Arrays as arrays, the other figures in the header (the positive class comes back from the card)."""
    arrays, figures = {}, {}
    for item in fields(quality):
        value = getattr(quality, item.name)
        if isinstance(value, np.ndarray):
            arrays[item.name] = value
        elif item.name != "positive_class":
            figures[item.name] = value.item() if isinstance(value, np.generic) else value
    return Entry(arrays, {"kind": type(quality).__name__, "figures": figures})


def _decode(bundle: Bundle, entry: Entry) -> Quality:
    kind: type[ClassifierQuality] | type[RegressionQuality] = (
        ClassifierQuality if entry.header["kind"] == "ClassifierQuality" else RegressionQuality
    )
    if (kind is ClassifierQuality) != bundle.is_classifier:
        raise ValueError(f"it holds a {kind.__name__}")
    values = {**entry.header["figures"], **entry.arrays}
    if kind is ClassifierQuality:
        values["positive_class"] = bundle.card.positive_class
    return kind(**{item.name: values[item.name] for item in fields(kind)})


def _as_classes(target: pd.Series, target_values: dict[str, Any]) -> pd.Series:
    """The outcome column with the card's ``target_values`` applied: the data's "Yes" becomes the model's 1."""
    if not target_values:
        return target
    lookup = {_key(label): value for label, value in target_values.items()}
    codes, uniques = pd.factorize(target, use_na_sentinel=True)
    mapped = np.array([lookup.get(_key(u), u) for u in uniques] + [None], dtype=object)
    return pd.Series(mapped[codes], index=target.index, dtype=object)


def _key(value: Any) -> str:
    """A value as text that matches however a CSV or a model spells it: 1, 1.0, "1" and " 1 " are all "1"."""
    if isinstance(value, bool | np.bool_):
        return str(bool(value)).casefold()
    if isinstance(value, str):
        text = value.strip()
        try:
            number = float(text)
        except ValueError:
            return text.casefold()
        return _number_key(number) if math.isfinite(number) else text.casefold()
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real) and math.isfinite(float(value)):
        return _number_key(float(value))
    return str(value).strip().casefold()


def _keys(values: pd.Series) -> np.ndarray:
    """:func:`_key` of each value, computed once per distinct value."""
    codes, uniques = pd.factorize(values)
    keys = np.array([_key(u) for u in uniques], dtype=object)
    return np.take(keys, np.asarray(codes, dtype=np.intp))


def _example(known: pd.Series, classes: list[Any]) -> str:
    """How the card maps the data's values to the model's: "target_values: {'Yes': 1, 'No': 0}" for yes/no data
    and a 0/1 model, else the field's name."""
    seen = sorted({str(v).strip() for v in pd.unique(known.astype(str))})
    yes = [c for c in classes if is_yes(c)]
    if len(seen) == 2 and len(classes) == 2 and len(yes) == 1 and sum(is_yes(v) for v in seen) == 1:
        no = next(c for c in classes if not is_yes(c))
        pairs = sorted(((v, yes[0] if is_yes(v) else no) for v in seen), key=lambda p: not is_yes(p[0]))
        return "target_values: {" + ", ".join(f"'{v}': {_plain(c)!r}" for v, c in pairs) + "}"
    return "target_values maps each value in the column to one of the model's outcomes"


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def _number_key(number: float) -> str:
    return str(int(number)) if number.is_integer() else repr(number)


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _thinned(*curve: np.ndarray) -> tuple[np.ndarray, ...]:
    """A curve's points, at most ``MAX_CURVE_POINTS`` of them, evenly along it (its ends kept)."""
    n = len(curve[0])
    if n <= MAX_CURVE_POINTS:
        return curve
    keep = np.unique(np.linspace(0, n - 1, MAX_CURVE_POINTS).round().astype(int))
    return tuple(points[keep] for points in curve)


def _classifier_quality(
    bundle: Bundle, X: pd.DataFrame, known: pd.Series, chance: np.ndarray, n_dropped: int
) -> ClassifierQuality:
    card = bundle.card
    classes = list(card.classes) or list(bundle.parts.classes or [])
    keys = _keys(known)
    if not set(keys) & {_key(c) for c in classes}:
        seen = join_words([f"'{v}'" for v in pd.unique(known.astype(str).str.strip())[:2]])
        names = join_words([f"'{c}'" for c in classes])
        raise ExplainError(
            f"The column '{card.target}' holds values like {seen}, but the model's outcomes are {names}. "
            "None of them match, so the model cannot be checked against this column. "
            f"The model card can say which is which: {_example(known, classes)}."
        )
    positive = _key(card.positive_class)
    y = (keys == positive).astype(int)
    flagged = (chance >= card.risk_threshold).astype(int)
    # The flag's figures from its confusion matrix [[tn, fp], [fn, tp]]: the numbers scikit-learn's accuracy,
    # precision, recall and F1 give (zero when undefined), without checking a million labels once for each.
    confusion = np.bincount(2 * y + flagged, minlength=4).reshape(2, 2)
    tn, fp, fn, tp = (int(v) for v in confusion.ravel())
    n_positive = int(y.sum())
    both = 0 < n_positive < len(y)

    roc_fpr = roc_tpr = pr_precision = pr_recall = None
    roc_auc = average_precision = None
    # Each curve once, its area from it as scikit-learn's roc_auc_score and average_precision_score work it out
    # (each of those sorts every row again: seconds at a million rows).
    if both:
        roc_fpr, roc_tpr, _ = roc_curve(y, chance)
        roc_auc = float(auc(roc_fpr, roc_tpr))
        roc_fpr, roc_tpr = _thinned(roc_fpr, roc_tpr)
    if n_positive:
        pr_precision, pr_recall, _ = precision_recall_curve(y, chance)
        average_precision = float(max(0.0, -np.sum(np.diff(pr_recall) * pr_precision[:-1])))
        pr_precision, pr_recall = _thinned(pr_precision, pr_recall)
    observed, predicted = calibration_curve(y, chance, n_bins=CALIBRATION_BINS, strategy=CALIBRATION_STRATEGY)

    overall = None
    if len(classes) > 2:
        best = _keys(pd.Series(np.asarray(bundle.model.predict(X)).reshape(-1), dtype=object))
        overall = float(np.mean(best == keys))

    return ClassifierQuality(
        positive_class=card.positive_class,
        n_rows=len(y),
        n_dropped=n_dropped,
        threshold=card.risk_threshold,
        base_rate=n_positive / len(y),
        n_positive=n_positive,
        n_flagged=int(flagged.sum()),
        accuracy=(tn + tp) / len(y),
        precision=_share(tp, tp + fp),
        recall=_share(tp, tp + fn),
        f1=_share(2 * tp, 2 * tp + fp + fn),
        roc_auc=roc_auc,
        average_precision=average_precision,
        brier=float(np.mean((chance - y) ** 2)),
        confusion=confusion,
        roc_fpr=roc_fpr,
        roc_tpr=roc_tpr,
        pr_precision=pr_precision,
        pr_recall=pr_recall,
        calibration_predicted=predicted,
        calibration_observed=observed,
        n_classes=max(len(classes), 2),
        overall_accuracy=overall,
    )


def _regression_quality(bundle: Bundle, known: pd.Series, predicted: np.ndarray, n_dropped: int) -> RegressionQuality:
    column = bundle.card.target
    actual_series = pd.to_numeric(known, errors="coerce")
    bad = actual_series.isna().to_numpy()
    if bad.any():
        seen = join_words([f"'{v}'" for v in pd.unique(known[bad].astype(str))[:2]])
        raise ExplainError(
            f"The column '{column}' holds values that are not numbers (like {seen}), "
            "so the model's values cannot be checked against it."
        )
    actual = actual_series.to_numpy(dtype=float)
    errors = np.abs(actual - predicted)
    mae = float(mean_absolute_error(actual, predicted))
    return RegressionQuality(
        n_rows=len(actual),
        n_dropped=n_dropped,
        mae=mae,
        rmse=float(root_mean_squared_error(actual, predicted)),
        r2=float(r2_score(actual, predicted)) if len(actual) >= 2 else None,
        median_abs_error=float(median_absolute_error(actual, predicted)),
        within=float(np.mean(errors <= mae)),
        baseline_mae=float(np.mean(np.abs(actual - actual.mean()))),
        actual=actual,
        predicted=predicted,
    )
