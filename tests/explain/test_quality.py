"""Model quality against what really happened: scikit-learn's figures, in plain words, and the analyst's charts."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
import textstat
from sklearn.calibration import calibration_curve
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    brier_score_loss,
    confusion_matrix,
    f1_score,
    mean_absolute_error,
    median_absolute_error,
    precision_recall_curve,
    precision_score,
    r2_score,
    recall_score,
    roc_auc_score,
    roc_curve,
    root_mean_squared_error,
)

from explain.analyses.quality import ClassifierQuality, RegressionQuality, model_quality
from explain.bundle import load_bundle
from explain.errors import ExplainError
from explain.figures.quality import (
    MAX_POINTS,
    calibration_figure,
    confusion_figure,
    pr_figure,
    predicted_vs_actual_figure,
    roc_figure,
)
from explain.words.numbers import article, format_with_unit
from explain.words.plain_words import find_jargon
from explain.words.quality import quality_sentences, quality_table, training_data_sentence
from tests.conftest import write_bundle

MAX_GRADE = 8.0


@pytest.fixture(scope="module")
def churn(demo_dir):
    return load_bundle(demo_dir / "churn-demo", trusted=[demo_dir])


def _numbers(n: int = 400, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"x1": rng.normal(size=n), "x2": rng.normal(size=n)})
    chance = 1 / (1 + np.exp(-(1.5 * frame["x1"] - frame["x2"] - 0.8)))
    frame["left"] = (rng.random(n) < chance).astype(int)
    return frame


def _fit_classifier(frame: pd.DataFrame, target: str = "left") -> LogisticRegression:
    return LogisticRegression().fit(frame[["x1", "x2"]], frame[target])


def _sklearn_figures(y: np.ndarray, chance: np.ndarray, threshold: float) -> dict[str, object]:
    flagged = (chance >= threshold).astype(int)
    return {
        "accuracy": accuracy_score(y, flagged),
        "precision": precision_score(y, flagged, zero_division=0),
        "recall": recall_score(y, flagged, zero_division=0),
        "f1": f1_score(y, flagged, zero_division=0),
        "roc_auc": roc_auc_score(y, chance),
        "average_precision": average_precision_score(y, chance),
        "brier": brier_score_loss(y, chance),
        "n_flagged": int(flagged.sum()),
        "n_positive": int(y.sum()),
        "confusion": confusion_matrix(y, flagged, labels=[0, 1]),
    }


def _assert_matches(q: ClassifierQuality, expected: dict[str, object]) -> None:
    for name, value in expected.items():
        if name == "confusion":
            np.testing.assert_array_equal(q.confusion, value)
        else:
            assert getattr(q, name) == pytest.approx(value, abs=1e-12), name


# ---------------------------------------------------------------------------------------------------------------
# The figures are scikit-learn's


def test_churn_figures_equal_scikit_learns(churn):
    q = model_quality(churn)
    assert isinstance(q, ClassifierQuality)
    data = churn.data
    y = (data["Churn"] == 1).to_numpy().astype(int)
    # XGBoost gives float32 chances; the engine works in float64 (as bundle.predict returns them).
    chance = churn.model.predict_proba(data[churn.features])[:, list(churn.model.classes_).index(1)].astype(float)

    _assert_matches(q, _sklearn_figures(y, chance, 0.5))
    assert q.n_rows == len(data) and q.n_dropped == 0
    assert q.base_rate == pytest.approx(y.mean())
    assert q.confusion.shape == (2, 2) and q.confusion.sum() == len(data)
    assert (q.tn, q.fp, q.fn, q.tp) == tuple(int(v) for v in q.confusion.ravel())

    fpr, tpr, _ = roc_curve(y, chance)
    np.testing.assert_allclose(q.roc_fpr, fpr)
    np.testing.assert_allclose(q.roc_tpr, tpr)
    precision, recall, _ = precision_recall_curve(y, chance)
    np.testing.assert_allclose(q.pr_precision, precision)
    np.testing.assert_allclose(q.pr_recall, recall)
    observed, predicted = calibration_curve(y, chance, n_bins=10, strategy="quantile")
    np.testing.assert_allclose(q.calibration_observed, observed)
    np.testing.assert_allclose(q.calibration_predicted, predicted)
    assert q.overall_accuracy is None  # a two-class model: accuracy says it all


def test_no_target_or_no_target_column_gives_none(tmp_path):
    frame = _numbers()
    model = _fit_classifier(frame)
    no_target = load_bundle(
        write_bundle(tmp_path / "a", model, frame.drop(columns="left"), {"entity": "customer"}), trusted=[tmp_path]
    )
    assert no_target.card.target is None
    assert model_quality(no_target) is None
    no_column = load_bundle(
        write_bundle(tmp_path / "b", model, frame.drop(columns="left"), {"target": "left"}), trusted=[tmp_path]
    )
    assert model_quality(no_column) is None


def test_rows_without_an_outcome_are_left_out_and_counted(tmp_path):
    frame = _numbers()
    model = _fit_classifier(frame)
    data = frame.copy()
    data["left"] = data["left"].astype(float)
    gone = [3, 10, 11, 50, 399]
    data.loc[gone, "left"] = np.nan  # the CSV then holds 1.0 / 0.0 / blank while the model's classes are 1 / 0
    bundle = load_bundle(write_bundle(tmp_path / "m", model, data, {"target": "left"}), trusted=[tmp_path])

    q = model_quality(bundle)
    assert isinstance(q, ClassifierQuality)
    assert q.n_dropped == len(gone)
    assert q.n_rows == len(frame) - len(gone)
    kept = frame.drop(index=gone)
    chance = model.predict_proba(kept[["x1", "x2"]])[:, 1]
    _assert_matches(q, _sklearn_figures(kept["left"].to_numpy(), chance, 0.5))
    assert any(f"{len(gone)} more rows have no record" in s for s in quality_sentences(q, bundle.card))


def test_text_outcomes_match_however_they_are_spelled(tmp_path):
    frame = _numbers()
    frame["left"] = np.where(frame["left"] == 1, "Yes", "No")
    model = _fit_classifier(frame)
    data = frame.copy()
    data.loc[::7, "left"] = " " + data.loc[::7, "left"] + " "  # stray spaces from a hand-edited CSV
    card = {"target": "left", "positive_class": "Yes", "outcome": {"positive": "leave", "negative": "stay"}}
    bundle = load_bundle(write_bundle(tmp_path / "m", model, data, card), trusted=[tmp_path])

    q = model_quality(bundle)
    assert isinstance(q, ClassifierQuality)
    assert q.positive_class == "Yes"
    y = (frame["left"] == "Yes").to_numpy().astype(int)
    chance = model.predict_proba(frame[["x1", "x2"]])[:, list(model.classes_).index("Yes")]
    _assert_matches(q, _sklearn_figures(y, chance, 0.5))


def test_outcomes_that_match_no_class_name_the_column(tmp_path):
    frame = _numbers()
    model = _fit_classifier(frame)  # classes 0 and 1
    data = frame.assign(left=np.where(frame["left"] == 1, "Y", "N"))
    bundle = load_bundle(write_bundle(tmp_path / "m", model, data, {"target": "left"}), trusted=[tmp_path])
    with pytest.raises(ExplainError, match="'left'") as caught:
        model_quality(bundle)
    message = str(caught.value)
    assert "'Y'" in message or "'N'" in message
    assert "'0'" in message and "'1'" in message


def test_an_empty_outcome_column_is_a_plain_error(tmp_path):
    frame = _numbers()
    model = _fit_classifier(frame)
    data = frame.assign(left=np.nan)
    bundle = load_bundle(write_bundle(tmp_path / "m", model, data, {"target": "left"}), trusted=[tmp_path])
    with pytest.raises(ExplainError, match="'left' is empty"):
        model_quality(bundle)


def test_one_outcome_only_skips_what_needs_both(tmp_path):
    frame = _numbers()
    model = _fit_classifier(frame)
    stayed = frame[frame["left"] == 0].reset_index(drop=True)
    bundle = load_bundle(write_bundle(tmp_path / "m", model, stayed, {"target": "left"}), trusted=[tmp_path])
    q = model_quality(bundle)
    assert isinstance(q, ClassifierQuality)
    assert q.roc_auc is None and q.roc_fpr is None and q.average_precision is None and q.pr_precision is None
    assert q.n_positive == 0 and q.recall == 0.0
    text = " ".join(quality_sentences(q, bundle.card))
    assert "times in 100 it gives" not in text
    assert "no one for it to find" in text
    assert find_jargon(text) == []
    for make in (roc_figure, pr_figure, calibration_figure):
        assert isinstance(make(q).to_dict(), dict)  # builds, with a note instead of the curve


def test_multiclass_picked_outcome_is_one_against_the_rest(tmp_path):
    rng = np.random.default_rng(1)
    n = 600
    frame = pd.DataFrame({"x1": rng.normal(size=n), "x2": rng.normal(size=n)})
    score = np.stack([frame["x1"], frame["x2"], -frame["x1"] - frame["x2"]], axis=1) + rng.normal(size=(n, 3))
    frame["plan"] = np.array(["basic", "plus", "premium"])[score.argmax(axis=1)]
    model = LogisticRegression(max_iter=1000).fit(frame[["x1", "x2"]], frame["plan"])
    card = {"target": "plan", "outcomes": {"plus": "buy the plus plan"}}
    bundle = load_bundle(write_bundle(tmp_path / "m", model, frame, card), trusted=[tmp_path])
    assert bundle.card.multiclass

    picked = bundle.for_outcome("plus")
    q = model_quality(picked)
    assert isinstance(q, ClassifierQuality)
    assert q.positive_class == "plus" and q.n_classes == 3
    y = (frame["plan"] == "plus").to_numpy().astype(int)
    chance = model.predict_proba(frame[["x1", "x2"]])[:, list(model.classes_).index("plus")]
    _assert_matches(q, _sklearn_figures(y, chance, bundle.card.risk_threshold))
    best = accuracy_score(frame["plan"], model.predict(frame[["x1", "x2"]]))
    assert q.overall_accuracy == pytest.approx(best)

    other = model_quality(bundle.for_outcome("basic"))
    assert isinstance(other, ClassifierQuality)
    assert other.n_positive == int((frame["plan"] == "basic").sum()) != q.n_positive
    assert other.overall_accuracy == pytest.approx(best)  # the same best guesses, whichever class is picked

    text = " ".join(quality_sentences(q, picked.card))
    assert "who really buy the plus plan" in text
    assert f"about {round(best * 100)} in 100" in text
    assert find_jargon(text) == []
    assert ("Accuracy over all 3 classes", f"{best:.3f}") in quality_table(q)


# ---------------------------------------------------------------------------------------------------------------
# Regression


@pytest.fixture(scope="module")
def regression(tmp_path_factory):
    folder = tmp_path_factory.mktemp("regression")
    rng = np.random.default_rng(2)
    n = 4000  # more than the chart shows
    frame = pd.DataFrame({"tenure": rng.integers(0, 72, n), "calls": rng.poisson(1.5, n).astype(float)})
    frame["charges"] = 30 + 60 * frame["tenure"] + 25 * frame["calls"] + rng.normal(0, 150, n)
    model = LinearRegression().fit(frame[["tenure", "calls"]], frame["charges"])
    data = frame.copy()
    data.loc[[0, 5, 9], "charges"] = np.nan
    card = {"target": "charges", "unit": "$", "entity": "customer", "features": {"tenure": "Months"}}
    bundle = load_bundle(write_bundle(folder / "spend", model, data, card), trusted=[folder])
    return bundle, frame.drop(index=[0, 5, 9]), model


def test_regression_figures_equal_scikit_learns(regression):
    bundle, kept, model = regression
    q = model_quality(bundle)
    assert isinstance(q, RegressionQuality)
    actual, predicted = kept["charges"].to_numpy(), model.predict(kept[["tenure", "calls"]])
    assert q.n_rows == len(kept) and q.n_dropped == 3
    assert q.mae == pytest.approx(mean_absolute_error(actual, predicted))
    assert q.rmse == pytest.approx(root_mean_squared_error(actual, predicted))
    assert q.r2 == pytest.approx(r2_score(actual, predicted))
    assert q.median_abs_error == pytest.approx(median_absolute_error(actual, predicted))
    assert q.within == pytest.approx(np.mean(np.abs(actual - predicted) <= q.mae))
    assert q.baseline_mae == pytest.approx(np.mean(np.abs(actual - actual.mean())))
    np.testing.assert_allclose(q.actual, actual)
    np.testing.assert_allclose(q.predicted, predicted)


def test_regression_sentences_say_the_typical_error_in_the_unit(regression):
    bundle, _, _ = regression
    q = model_quality(bundle)
    sentences = quality_sentences(q, bundle.card)
    text = " ".join(sentences)
    median = float(f"{q.median_abs_error:.2g}")  # two significant digits, as a person says it
    mae = float(f"{q.mae:.2g}")
    assert f"typically off by about {format_with_unit(median, '$')} (the middle error: half are closer)" in text
    assert f"On average they are off by about {format_with_unit(mae, '$')}." in text
    assert "3 more rows have no record" in text
    assert find_jargon(text) == []
    assert textstat.flesch_kincaid_grade(text) <= MAX_GRADE, text
    table = dict(quality_table(q, bundle.card))
    assert table["MAE"] == format_with_unit(q.mae, "$") and table["R²"] == f"{q.r2:.3f}"


def test_regression_text_outcome_is_a_plain_error(tmp_path):
    frame = pd.DataFrame({"x1": np.arange(20.0), "y": np.arange(20.0) * 2})
    model = LinearRegression().fit(frame[["x1"]], frame["y"])
    data = frame.astype({"y": object})
    data.loc[4, "y"] = "lots"
    bundle = load_bundle(write_bundle(tmp_path / "m", model, data, {"target": "y"}), trusted=[tmp_path])
    with pytest.raises(ExplainError, match=r"'y'.*'lots'"):
        model_quality(bundle)


# ---------------------------------------------------------------------------------------------------------------
# Plain words


def test_sentences_give_the_natural_frequencies_of_the_confusion_matrix(churn):
    q = model_quality(churn)
    tn, fp, fn, tp = (int(v) for v in q.confusion.ravel())
    sentences = quality_sentences(q, churn.card)
    text = " ".join(sentences)

    assert f"what really happened to {tn + fp + fn + tp:,} customers" in text
    assert f"Of them, about {round((tp + fn) / (tn + fp + fn + tp) * 100)} in 100 really leave." in text
    assert tp + fp >= 100  # the demo flags plenty, so the "per 100" wording applies
    assert (
        f"Of every 100 customers it flags (a 50% or higher chance to leave), about {round(tp / (tp + fp) * 100)} "
        "really leave." in text
    )
    assert f"It finds about {round(tp / (tp + fn) * 100)} in 100 of the customers who really leave." in text
    auc = roc_auc_score((churn.data["Churn"] == 1).astype(int), churn.predict(churn.X))
    assert (
        "Pick one of the customers who really leave and one of those who stay: "
        f"about {round(auc * 100)} times in 100 it gives the first one the higher chance." in text
    )
    assert f"it is right about {round((tp + tn) / (tn + fp + fn + tp) * 100)} times in 100" in text
    assert f"no customer will leave would be right about {round((tn + fp) / (tn + fp + fn + tp) * 100)} times" in text


def test_sentences_are_plain_and_grade_8(churn, demo_dir):
    linear = load_bundle(demo_dir / "churn-demo-linear", trusted=[demo_dir])
    for bundle in (churn, linear):
        sentences = quality_sentences(model_quality(bundle), bundle.card) + [training_data_sentence(bundle.card)]
        text = " ".join(sentences)
        assert find_jargon(text) == [], text
        assert textstat.flesch_kincaid_grade(text) <= MAX_GRADE, text
        assert all(s.endswith(".") and s[0].isupper() for s in sentences)


def test_few_flagged_are_counted_exactly_and_none_flagged_is_said(tmp_path):
    frame = _numbers()
    model = _fit_classifier(frame)
    chance = model.predict_proba(frame[["x1", "x2"]])[:, 1]
    high = float(np.sort(chance)[-20])  # exactly 20 rows at or above it
    card = {"target": "left", "risk_threshold": high, "outcome": {"positive": "leave", "negative": "stay"}}
    card["entity"] = "customer"
    bundle = load_bundle(write_bundle(tmp_path / "few", model, frame, card), trusted=[tmp_path])
    q = model_quality(bundle)
    assert q.n_flagged == 20
    text = " ".join(quality_sentences(q, bundle.card))
    if q.tp == 20:
        assert "All 20 customers it flags" in text
    else:
        pct = f"{high * 100:.3g}%"
        rule = f"({article(pct)} {pct} or higher chance to leave)"
        assert f"Of the 20 customers it flags {rule}, {q.tp} really leave." in text

    card["risk_threshold"] = float(chance.max())
    bundle = load_bundle(write_bundle(tmp_path / "one", model, frame, card), trusted=[tmp_path])
    q = model_quality(bundle)
    assert q.n_flagged == 1
    among = "those who really leave" if q.tp else "those who stay"
    text = " ".join(quality_sentences(q, bundle.card))
    pct = f"{chance.max() * 100:.3g}%"
    assert (
        f"It flags just one customer ({article(pct)} {pct} or higher chance to leave), and that one is among {among}."
        in text
    )

    card["risk_threshold"] = 0.999
    bundle = load_bundle(write_bundle(tmp_path / "none", model, frame, card), trusted=[tmp_path])
    q = model_quality(bundle)
    assert q.n_flagged == 0 and q.precision == 0.0
    text = " ".join(quality_sentences(q, bundle.card))
    assert "It flags none of your customers: none has a 99.9% or higher chance to leave." in text
    assert "It finds none of the customers who really leave." in text
    assert find_jargon(text) == []


def test_training_data_sentence_for_each_answer(churn):
    card = churn.card
    assert card.reference_is_training is True
    learned = training_data_sentence(card)
    assert "learned from these same customers" in learned and "flatter" in learned and "new customers" in learned

    unknown = training_data_sentence(dataclasses.replace(card, reference_is_training=None))
    assert "does not say whether" in unknown and "If it did" in unknown and "flatter" in unknown

    held_back = training_data_sentence(dataclasses.replace(card, reference_is_training=False))
    assert "did not learn from these customers" in held_back and "flatter" not in held_back
    for text in (learned, unknown, held_back):
        assert find_jargon(text) == []


def test_quality_table_names_the_metrics(churn):
    q = model_quality(churn)
    table = dict(quality_table(q))
    for name in ("Accuracy", "Precision", "Recall", "F1", "ROC-AUC", "Average precision", "Brier score"):
        assert name in table
    assert table["ROC-AUC"] == f"{q.roc_auc:.3f}"
    assert table["Rows checked"] == f"{q.n_rows:,}"


# ---------------------------------------------------------------------------------------------------------------
# Figures


def test_classifier_figures_have_their_traces(churn):
    q = model_quality(churn)
    roc = roc_figure(q)
    assert [t.type for t in roc.data] == ["scatter", "scatter", "scatter"]  # diagonal, curve, the threshold's point
    np.testing.assert_allclose(roc.data[1].x, q.roc_fpr)
    assert roc.data[2].y[0] == pytest.approx(q.recall)

    pr = pr_figure(q)
    np.testing.assert_allclose(pr.data[1].x, q.pr_recall)
    assert pr.data[0].y[0] == pytest.approx(q.base_rate)
    assert (pr.data[2].x[0], pr.data[2].y[0]) == pytest.approx((q.recall, q.precision))

    confusion = confusion_figure(q, churn.card)
    (heatmap,) = confusion.data
    assert heatmap.type == "heatmap"
    np.testing.assert_array_equal(np.asarray(heatmap.z), [[q.tp, q.fn], [q.fp, q.tn]])
    assert list(heatmap.y) == ["Really leave", "Really stay"] and list(heatmap.x) == ["Flagged", "Not flagged"]
    assert f"{q.tp:,}" in heatmap.text[0][0]

    calibration = calibration_figure(q)
    assert len(calibration.data) == 2
    assert list(calibration.data[0].x) == [0, 1] and list(calibration.data[0].y) == [0, 1]
    np.testing.assert_allclose(calibration.data[1].y, q.calibration_observed)


def test_figures_escape_text_from_the_card(churn):
    q = model_quality(churn)
    card = dataclasses.replace(churn.card, outcome_positive="<b>leave</b>", outcome_negative="not <b>leave</b>")
    figure = confusion_figure(q, card)
    labels = list(figure.data[0].y) + [figure.layout.xaxis.title.text]
    assert all("<b>" not in label for label in labels)
    assert "Really &lt;b&gt;leave&lt;/b&gt;" in labels and "Did not &lt;b&gt;leave&lt;/b&gt;" in labels


def test_predicted_vs_actual_samples_at_most_3000_points_the_same_way_each_time(regression):
    bundle, _, _ = regression
    q = model_quality(bundle)
    assert q.n_rows > MAX_POINTS
    first, second = predicted_vs_actual_figure(q, bundle.card), predicted_vs_actual_figure(q, bundle.card)
    diagonal, points = first.data
    assert len(points.x) == MAX_POINTS
    np.testing.assert_array_equal(points.x, second.data[1].x)
    assert set(np.asarray(points.x)) <= set(q.actual)
    assert list(diagonal.x) == list(diagonal.y)
    assert first.layout.xaxis.title.text == "Actual charges ($)"
    assert first.layout.yaxis.title.text == "Predicted charges ($)"
