"""Stakeholder words: no jargon, grade 8 or below, and sentences that survive odd data."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
import textstat
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import RandomForestRegressor
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from explain.analyses.agreement import agreement
from explain.analyses.importance import global_importance, risk_summary
from explain.analyses.selection import ListQuery
from explain.bundle import load_bundle
from explain.figures.explanation import icon_array_figure
from explain.methods.explanation import Explanation, Provenance
from explain.methods.reasons import explain_shap
from explain.reports import Settings, customer_report, overview_report
from explain.reports.charts import icon_spec
from explain.reports.customers import customer_list, high_risk_query
from explain.words.checks import agreement_sentence
from explain.words.explanation import customer_story
from explain.words.numbers import format_with_unit
from explain.words.overview import overview_drivers, overview_headline
from explain.words.plain_words import BANNED_TERMS, find_jargon
from tests.conftest import write_bundle

MAX_GRADE = 8.0


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("The SHAP values", ["SHAP"]),
        ("two features and a Feature", ["features", "Feature"]),
        ("log-odds, logit and probabilities", ["log-odds", "logit", "probabilities"]),
        ("a one-hot column, the base value", ["one-hot", "base value"]),
        ("featured? no: features yes", ["features"]),
        ("the chance to leave, in points", []),
    ],
)
def test_find_jargon(text, found):
    assert find_jargon(text) == found


def test_the_list_covers_what_the_brief_names():
    required = {"SHAP", "LIME", "feature", "coefficient", "log-odds", "logit", "base value", "expected value",
                "margin", "attribution", "surrogate", "fidelity", "perturbation", "probability", "classifier",
                "regressor", "one-hot"}  # fmt: skip
    assert required <= set(BANNED_TERMS)


def _all_words(bundle, explanation, rows) -> list[str]:
    importance = global_importance(explanation)
    risk = risk_summary(bundle) if bundle.is_classifier else None
    headline = overview_headline(importance, risk=risk, outputs=bundle.outputs, output=bundle.output, card=bundle.card)
    texts = [" ".join(headline)]
    texts.append(" ".join(overview_drivers(explanation, importance, bundle.card)))
    texts += [" ".join(customer_story(explanation, r, bundle.card)) for r in rows]
    # The reports' own words: the business answer first, the list of who to act on, what would change it.
    texts += list(overview_report(bundle, Settings()).headline[:1])
    listed = customer_list(bundle, high_risk_query(bundle) if bundle.is_classifier else ListQuery())
    texts += [listed.intro, *listed.filters]
    for r in rows:
        report = customer_report(bundle, r, Settings(), second_check=False)
        texts += [report.waterfall_caption, *report.flags]
        if report.suggestions is not None:
            texts += [report.suggestions.caption, *(line.sentence for line in report.suggestions.lines)]
    return texts


@pytest.fixture(scope="module")
def cardless(tmp_path_factory):
    """A bundle with no card at all, with the kind of column names real exports have."""
    folder = tmp_path_factory.mktemp("cardless") / "acct_churn_v2"
    rng = np.random.default_rng(3)
    frame = pd.DataFrame(
        {
            "acct_age_m": rng.integers(1, 100, 300).astype(float),
            "PlanTier": rng.choice(["Gold", "Silver", "Bronze"], 300),
            "num_tickets": rng.poisson(2, 300).astype(float),
        }
    )
    y = (frame["num_tickets"] + rng.normal(0, 1, 300) > 2.5).astype(int)
    prep = ColumnTransformer(
        [("n", StandardScaler(), ["acct_age_m", "num_tickets"]), ("c", OneHotEncoder(), ["PlanTier"])]
    )
    model = Pipeline([("p", prep), ("m", LogisticRegression())]).fit(frame, y)
    write_bundle(folder, model, frame)
    return load_bundle(folder, trusted=[folder.parent])


@pytest.mark.parametrize("name", ["churn-demo", "churn-demo-linear", "cardless"])
def test_narratives_use_no_jargon_and_read_at_grade_8_or_below(name, demo_dir, cardless):
    bundle = cardless if name == "cardless" else load_bundle(demo_dir / name, trusted=[demo_dir])
    explanation = explain_shap(bundle)
    # Customers across the range: the lowest, the middle and the highest chance.
    order = np.argsort(explanation.prediction)
    rows = [int(order[0]), int(order[len(order) // 2]), int(order[-1])]

    for text in _all_words(bundle, explanation, rows):
        assert find_jargon(text) == [], text
        assert textstat.flesch_kincaid_grade(text) <= MAX_GRADE, text


def test_regression_narratives_speak_in_the_unit(tmp_path):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"visits": rng.integers(0, 30, 200).astype(float), "segment": rng.choice(["a", "b"], 200)})
    spend = 40 * frame["visits"] + np.where(frame["segment"] == "b", 300, 0)
    prep = ColumnTransformer([("n", "passthrough", ["visits"]), ("c", OneHotEncoder(), ["segment"])])
    model = Pipeline([("p", prep), ("m", RandomForestRegressor(20, random_state=0))]).fit(frame, spend)
    card = {"target": "spend", "unit": "$", "features": {"visits": {"label": "Store visits", "unit": "visits"}}}
    bundle = load_bundle(write_bundle(tmp_path / "b", model, frame.assign(spend=spend), card), trusted=[tmp_path])
    explanation = explain_shap(bundle)

    story = " ".join(customer_story(explanation, 0, bundle.card))
    drivers = " ".join(overview_drivers(explanation, global_importance(explanation), bundle.card))

    expected = format_with_unit(model.predict(frame.iloc[[0]])[0], "$", decimals=0)  # whole dollars at this size
    assert story.startswith(f"Expected spend: {expected}.")
    assert "Cases with more store visits have a much higher expected spend." in drivers  # no entity: "cases"
    assert find_jargon(story + drivers) == []


def test_sentences_survive_odd_names_missing_values_and_one_row(tmp_path):
    rng = np.random.default_rng(1)
    frame = pd.DataFrame(
        {
            "<b>x</b>": rng.normal(0, 1, 60),
            "Prix (€)": rng.normal(50, 5, 60),
            "ünïcode_col": rng.choice(["é", "[link](javascript:x)", "*"], 60),
            "42": rng.normal(0, 1, 60),
        }
    )
    y = (frame["<b>x</b>"] > 0).astype(int)
    prep = ColumnTransformer(
        [("n", "passthrough", ["<b>x</b>", "Prix (€)", "42"]), ("c", OneHotEncoder(), ["ünïcode_col"])]
    )
    model = Pipeline([("p", prep), ("m", LogisticRegression())]).fit(frame, y)
    odd = load_bundle(write_bundle(tmp_path / "odd", model, frame), trusted=[tmp_path])
    explanation = explain_shap(odd, [0])
    blank = explanation.data.copy().astype(object)
    blank.iloc[0, :] = None
    missing = replace(explanation, data=blank)
    story = customer_story(missing, 0, odd.card)
    assert len(story) >= 4 and any("is not recorded, which" in s for s in story)
    assert any("<b>x</b>" in s for s in story)  # names stay as they are: escaping is the renderer's job

    one = load_bundle(write_bundle(tmp_path / "one", model, frame.iloc[[0]]), trusted=[tmp_path])
    single = explain_shap(one)
    assert customer_story(single, 0, one.card)[0].startswith("This case has a ")
    # One row: nothing to compare, and no sentence that pretends otherwise.
    assert overview_drivers(single, global_importance(single), one.card) == []


def test_agreement_counts_shared_top_reasons(demo_dir):
    output = load_bundle(demo_dir / "churn-demo", trusted=[demo_dir]).output

    def fake(values: list[float]) -> Explanation:
        return Explanation(
            values=np.array([values]), base_value=0.0, prediction=np.array([sum(values)]),
            data=pd.DataFrame([[0] * len(values)], columns=list("abcd")), feature_names=list("abcd"),
            row_ids=["0"], output=output, provenance=Provenance(method="x", exact=True, native_space="output"),
        )  # fmt: skip

    def said(first: list[float], second: list[float], *, exact: bool = True) -> str:
        return agreement_sentence(agreement(fake(first), fake(second)), exact=exact, entity="customer")

    assert said([5, -4, 3, 0.1], [6, -4, 1, 0.5]) == (
        "Two different checks agree on the top 3 reasons and which way they push."
    )
    assert agreement(fake([5, -4, 3, 0.1]), fake([5, 0.1, 0.2, 4])).shared == 2
    assert "do not agree" in said([5, 4, 3, 0], [0, 0, 0, 1])
    # Only exact reasons are called exact.
    assert "the exact one" in said([5, -4, 3, 0.1], [5, 0.1, 0.2, 4])
    assert "exact" not in said([5, -4, 3, 0.1], [5, 0.1, 0.2, 4], exact=False)


@pytest.mark.parametrize(("chance", "coloured"), [(0.734, 73), (0.0, 0), (1.0, 100), (0.005, 0)])
def test_icon_array_colours_the_share(chance, coloured, demo_dir):
    bundle = load_bundle(demo_dir / "churn-demo", trusted=[demo_dir])
    figure = icon_array_figure(icon_spec(chance, bundle.card))
    assert [len(t.x) for t in figure.data] == [coloured, 100 - coloured]
    assert figure.layout.title.text == f"{coloured} in 100 customers like this one"
