"""The sentences and charts the pages show, from the demo bundles."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from explain.analyses.importance import RiskSummary, global_importance, risk_summary
from explain.bundle import load_bundle
from explain.figures.explanation import bars_figure, waterfall_figure
from explain.methods.reasons import explain_shap
from explain.reports.charts import importance_spec, waterfall_spec
from explain.words.explanation import customer_headline, reason_sentences
from explain.words.numbers import a_chance
from explain.words.overview import overview_headline


@pytest.fixture(scope="module")
def demo(demo_dir):
    bundle = load_bundle(demo_dir / "churn-demo", trusted=[demo_dir])
    return bundle, explain_shap(bundle)


def test_overview_headline_counts_high_risk_and_names_the_top_drivers(demo):
    bundle, explanation = demo
    importance = global_importance(explanation)
    risk = risk_summary(bundle)
    text = " ".join(
        overview_headline(importance, risk=risk, outputs=bundle.outputs, output=bundle.output, card=bundle.card)
    )

    n_high = int((bundle.model.predict_proba(bundle.X)[:, 1] >= 0.5).sum())
    assert risk.n_high == n_high
    assert f"Of your {len(bundle.X):,} customers" in text
    assert bundle.card.label(importance["feature"][0]).lower() in text
    assert "chance to leave" in text


def test_importance_is_the_mean_absolute_contribution(demo):
    _, explanation = demo
    importance = global_importance(explanation)
    by_feature = dict(zip(importance["feature"], importance["importance"], strict=True))
    for j, f in enumerate(explanation.feature_names):
        assert by_feature[f] == pytest.approx(np.abs(explanation.values[:, j]).mean())
    assert list(importance["importance"]) == sorted(importance["importance"], reverse=True)


def test_customer_sentences_and_reasons_in_raw_values(demo):
    bundle, explanation = demo
    row = int(np.argmax(explanation.prediction))
    headline = " ".join(customer_headline(explanation, row, bundle.card))
    lines = reason_sentences(explanation, row, bundle.card)

    chance = round(bundle.model.predict_proba(bundle.X.iloc[[row]])[0, 1] * 100)
    assert f"has {a_chance(chance / 100)} to leave" in headline
    assert "customers like this one leave" in headline
    tenure = int(bundle.X.iloc[row]["tenure"])
    assert any(f"Months as a customer is {tenure} month" in line for line in lines)
    assert all(line.endswith(("point.", "points.")) for line in lines)


def test_waterfall_bars_add_up_to_the_prediction(demo):
    bundle, explanation = demo
    figure = waterfall_figure(waterfall_spec(explanation, 5, bundle.card, max_reasons=4))
    trace = figure.data[0]
    steps = list(trace.x)
    assert list(trace.measure) == ["absolute"] + ["relative"] * (len(steps) - 2) + ["total"]
    assert steps[0] + sum(steps[1:-1]) == pytest.approx(steps[-1], abs=1e-9)
    assert steps[-1] == pytest.approx(explanation.prediction[5])
    assert trace.y[-2] == "4 other factors"


def test_markup_in_data_never_reaches_a_chart_as_markup(demo):
    bundle, explanation = demo
    hostile = explanation.data.copy()
    hostile.iloc[0, hostile.columns.get_loc("Contract")] = "<a href='javascript:alert(1)'>x</a>"
    tampered = replace(explanation, data=hostile)
    figure = waterfall_figure(waterfall_spec(tampered, 0, bundle.card, max_reasons=20))
    labels = " ".join(figure.data[0].y)
    assert "<a" not in labels and "&lt;a href=" in labels
    bar = bars_figure(importance_spec(global_importance(explanation), bundle.output, bundle.card))
    assert len(bar.data[0].y) == len(explanation.feature_names)


def test_sentences_survive_a_single_row_and_missing_values(demo):
    bundle, explanation = demo
    one = explanation.take([0])
    data = one.data.copy()
    data.iloc[0, :] = np.nan
    blank = replace(one, data=data.astype(object))
    lines = reason_sentences(blank, 0, bundle.card)
    assert any("is not recorded, which" in line for line in lines)
    chance = float(one.prediction[0]) / 100
    risk = RiskSummary(n_rows=1, n_high=int(chance >= 0.5), threshold=0.5, mean_chance=chance)
    outputs = bundle.outputs[:1]
    assert overview_headline(global_importance(one), risk=risk, outputs=outputs, output=bundle.output, card=bundle.card)
