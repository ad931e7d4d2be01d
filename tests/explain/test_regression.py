"""Regressors everywhere: reasons that add up in the target's unit, sentences in that unit, the spend demo's known
effects, what-if and what-would-it-take, totals, and the CLI on the spend demo."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import textstat
from numpy.testing import assert_allclose
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import RandomForestRegressor
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LinearRegression, Ridge
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from explain.analyses.business import shows_totals, totals
from explain.analyses.importance import global_importance
from explain.analyses.suggest import default_target, suggest
from explain.analyses.whatif import apply_changes
from explain.bundle import load_bundle
from explain.bundle.output import output_decimals
from explain.figures.business import columns_figure
from explain.figures.explanation import compare_figure, waterfall_figure
from explain.methods.reasons import explain_shap
from explain.reports.charts import compare_spec, tenths_spec, waterfall_spec
from explain.words.business import totals_note, totals_sentences
from explain.words.explanation import customer_headline, customer_story, reason_label
from explain.words.numbers import format_with_unit, rounded_to_add_up
from explain.words.overview import overview_drivers, overview_headline
from explain.words.plain_words import find_jargon
from explain.words.whatif import change_sentence
from models.build_demo import SPEND_CATEGORICAL, SPEND_FEATURES, SPEND_NUMERIC, make_spenders
from tests.conftest import write_bundle

MAX_GRADE = 8.0
CARD = {
    "title": "Customer yearly spend",
    "target": "YearlySpend",
    "unit": "$",
    "id_column": "customerID",
    "features": {"StoreVisits": {"label": "Store visits a year", "unit": "visits"}},
}


@pytest.fixture(scope="module")
def spend(demo_dir):
    bundle = load_bundle(demo_dir / "spend-demo", trusted=[demo_dir])
    return bundle, explain_shap(bundle)


@pytest.fixture(scope="module")
def spenders() -> pd.DataFrame:
    return make_spenders(600, seed=11)


def _prep(*, scale: bool) -> ColumnTransformer:
    numbers = [("impute", SimpleImputer(strategy="median"))] + ([("scale", StandardScaler())] if scale else [])
    categories = Pipeline(
        [("impute", SimpleImputer(strategy="most_frequent")), ("onehot", OneHotEncoder(handle_unknown="ignore"))]
    )
    return ColumnTransformer([("num", Pipeline(numbers), SPEND_NUMERIC), ("cat", categories, SPEND_CATEGORICAL)])


def _bundle(tmp_path, model, frame):
    model.fit(frame[SPEND_FEATURES], frame["YearlySpend"])
    return load_bundle(write_bundle(tmp_path / "b", model, frame, CARD), trusted=[tmp_path])


def _dollars(text: str) -> float:
    """ "+$1,240" -> 1240.0, "-$15" -> -15.0; "<$1", a share that rounds to nothing, -> 0."""
    if text == "<$1":
        return 0.0
    match = re.fullmatch(r"([+-]?)\$([\d,]+(?:\.\d+)?)", text)
    assert match, text
    return (-1 if match.group(1) == "-" else 1) * float(match.group(2).replace(",", ""))


# --- Reasons add up, in dollars ---------------------------------------------------------------------------------


def test_the_xgboost_spend_demo_adds_up_on_every_row_in_dollars(spend):
    bundle, explanation = spend
    own = bundle.model.predict(bundle.X).astype(float)
    assert explanation.method == "xgboost-tree-exact" and explanation.output.name == "$"
    assert_allclose(explanation.prediction, own, rtol=1e-12)
    # XGBoost works in float32: a thousandth of a cent is as exact as its own arithmetic gets.
    assert_allclose(explanation.base_value + explanation.values.sum(axis=1), own, atol=1e-2)
    assert explanation.feature_names == SPEND_FEATURES
    assert explanation.native_values is None  # dollars are the model's own output: nothing was converted


def test_a_random_forest_regressor_adds_up_in_dollars(tmp_path, spenders):
    model = Pipeline([("p", _prep(scale=False)), ("m", RandomForestRegressor(30, max_depth=6, random_state=0))])
    bundle = _bundle(tmp_path, model, spenders)
    explanation = explain_shap(bundle)
    own = model.predict(bundle.X)
    assert explanation.method == "tree-shap-exact" and explanation.output.name == "$"
    assert_allclose(explanation.base_value + explanation.values.sum(axis=1), own, atol=1e-6)
    assert_allclose(explanation.prediction, own, rtol=1e-12)


@pytest.mark.parametrize("make", [LinearRegression, lambda: Ridge(alpha=3.0)], ids=["linear", "ridge"])
def test_a_linear_regressor_gives_slope_times_distance_from_the_mean_in_raw_units(tmp_path, spenders, make):
    model = Pipeline([("p", _prep(scale=True)), ("m", make())])
    bundle = _bundle(tmp_path, model, spenders)
    explanation = explain_shap(bundle)
    own = model.predict(bundle.X)
    assert explanation.method == "linear-exact"
    assert_allclose(explanation.base_value + explanation.values.sum(axis=1), own, atol=1e-8)
    assert_allclose(explanation.base_value, own.mean(), rtol=1e-12)

    prep, coef = model[0], model[-1].coef_
    numbers = prep.named_transformers_["num"]
    slope = coef[: len(SPEND_NUMERIC)] / numbers.named_steps["scale"].scale_  # dollars per visit, per person...
    filled = numbers.named_steps["impute"].transform(bundle.X[SPEND_NUMERIC])  # a gap counts as the median
    expected = slope * (filled - filled.mean(axis=0))
    for j, column in enumerate(SPEND_NUMERIC):
        assert_allclose(explanation.values[:, explanation.feature_names.index(column)], expected[:, j], atol=1e-8)
    # A category's value: the sum over its one-hot block of coef * (indicator - share of rows with it).
    onehot = prep.named_transformers_["cat"].transform(bundle.X[SPEND_CATEGORICAL]).toarray()
    blocks = np.cumsum([0] + [len(c) for c in prep.named_transformers_["cat"][-1].categories_])
    cat_coef = coef[len(SPEND_NUMERIC) :]
    for k, column in enumerate(SPEND_CATEGORICAL):
        part = slice(blocks[k], blocks[k + 1])
        oracle = (onehot[:, part] - onehot[:, part].mean(axis=0)) @ cat_coef[part]
        assert_allclose(explanation.values[:, explanation.feature_names.index(column)], oracle, atol=1e-8)


def test_the_spend_demo_shows_the_effects_it_was_made_with(spend):
    """models/README.md: +$20 a store visit, Premium > Plus > Basic, bigger households spend more, West least."""
    bundle, explanation = spend
    effect = pd.DataFrame(explanation.values, columns=explanation.feature_names)
    X = bundle.X.reset_index(drop=True)
    by_plan = effect["Plan"].groupby(X["Plan"]).mean()
    assert by_plan["Premium"] > by_plan["Plus"] > by_plan["Basic"]
    assert by_plan["Premium"] - by_plan["Basic"] == pytest.approx(600, rel=0.3)
    by_region = effect["Region"].groupby(X["Region"]).mean()
    assert by_region.idxmin() == "West" and by_region.idxmax() == "North"
    seen = X["StoreVisits"].between(3, 35)
    per_visit = np.polyfit(X.loc[seen, "StoreVisits"], effect.loc[seen, "StoreVisits"], 1)[0]
    assert per_visit == pytest.approx(20, rel=0.35)
    assert np.corrcoef(X["HouseholdSize"], effect["HouseholdSize"])[0, 1] > 0.9
    top = list(global_importance(explanation)["feature"][:3])
    assert set(top) == {"Plan", "StoreVisits", "HouseholdSize"}


def test_the_spend_data_reads_back_with_sane_types(demo_dir):
    frame = pd.read_csv(demo_dir / "spend-demo" / "data.csv", dtype={"customerID": str})
    assert frame["customerID"].is_unique
    for column in ("HouseholdSize", "tenure"):  # never missing: whole numbers stay whole numbers
        assert pd.api.types.is_integer_dtype(frame[column])
    for column in ("StoreVisits", "OnlineShare", "YearlySpend"):
        assert pd.api.types.is_float_dtype(frame[column])
    assert frame["StoreVisits"].isna().any() and frame["Region"].isna().any()  # gaps, as in real exports
    assert set(frame["Plan"]) == {"Basic", "Plus", "Premium"}


# --- Shown figures: whole dollars that add up -----------------------------------------------------------------


@pytest.mark.parametrize("seed", range(20))
def test_rounded_figures_add_up_exactly_and_move_less_than_one_unit(seed):
    rng = np.random.default_rng(seed)
    values = rng.normal(0, 300, rng.integers(1, 12))
    base = rng.uniform(500, 2000)
    for places in (0, 1, 2):
        base_r, shown, total_r = rounded_to_add_up(base, values, base + values.sum(), places)
        assert round(base_r + shown.sum(), places) == total_r
        assert np.all(np.abs(shown - values) < 10.0**-places)


def test_the_waterfall_labels_add_up_to_the_prediction_as_shown(spend):
    bundle, explanation = spend
    for row in np.linspace(0, len(explanation) - 1, 25).astype(int):
        trace = waterfall_figure(waterfall_spec(explanation, int(row), bundle.card, max_reasons=4)).data[0]
        amounts = [_dollars(t) for t in trace.text]
        assert amounts[0] + sum(amounts[1:-1]) == amounts[-1]
        assert amounts[-1] == round(float(bundle.model.predict(bundle.X.iloc[[row]])[0]))
    assert trace.y[-2] == "2 other factors"
    assert (
        waterfall_figure(waterfall_spec(explanation, 0, bundle.card)).layout.xaxis.title.text
        == "Expected yearly spend ($)"
    )


def test_the_what_if_chart_shows_the_same_dollars_as_the_customer_page(spend):
    bundle, explanation = spend
    for row in range(20):
        before = explain_shap(bundle, [row])
        after = explain_shap(bundle, X=apply_changes(bundle, row, {"StoreVisits": 30}))
        figure = compare_figure(compare_spec(before, after, bundle.card))
        now = dict(zip(figure.data[0].y, figure.data[0].text, strict=True))
        waterfall = waterfall_figure(waterfall_spec(explanation, row, bundle.card)).data[0]
        # each waterfall bar names a fact as "Label: value" or by the card's phrase ("The plus plan")
        named = {reason_label(f, bundle.X.iloc[row][f], bundle.card): bundle.card.label(f) for f in bundle.features}
        for label, text in zip(waterfall.y[1:-1], waterfall.text[1:-1], strict=True):
            if " other " not in label:  # "N other small factors" is the fold, not a fact
                assert now[named[label]] == text, (row, label)


def test_precision_follows_the_size_of_the_output():
    assert output_decimals(1279.3, "$") == 0 and output_decimals(45.0, "$") == 2
    assert output_decimals(45.0, "kWh") == 1 and output_decimals(0.42, None) == 3
    assert format_with_unit(1, "people") == "1 person" and format_with_unit(4, "people") == "4 people"
    assert format_with_unit(1, "visits a year") == "1 visit a year"
    assert format_with_unit(-0.4, "$", decimals=0) == "$0"  # never "-$0"


# --- Sentences in the card's unit -------------------------------------------------------------------------------


def test_the_customer_story_quotes_dollars_that_add_up(spend):
    bundle, explanation = spend
    row = int(np.argmax(explanation.prediction))
    story = customer_story(explanation, row, bundle.card, n=6)
    predicted = round(float(bundle.model.predict(bundle.X.iloc[[row]])[0]))
    typical = round(explanation.base_value)
    assert story[0] == f"Expected yearly spend: ${predicted:,}."
    assert story[1] == f"That is ${predicted - typical:,} more than for a typical customer (${typical:,})."
    signed = []
    for line in story[2:]:
        amount = re.search(r"which (adds|takes off) \$([\d,]+)\.$", line)
        assert amount, line
        signed.append((1 if amount.group(1) == "adds" else -1) * int(amount.group(2).replace(",", "")))
    assert typical + sum(signed) == predicted  # every reason is listed here, so the sentences add up too
    visits = bundle.X.iloc[row]["StoreVisits"]
    if not pd.isna(visits):
        assert any(line.startswith(f"Store visits a year is {visits:.0f} visit") for line in story)


def test_a_customer_below_the_typical_one_is_told_how_much_less(spend):
    bundle, explanation = spend
    row = int(np.argmin(explanation.prediction))
    headline = customer_headline(explanation, row, bundle.card)
    assert headline[1].startswith("That is $") and " less than for a typical customer" in headline[1]


def test_overview_sentences_quote_the_average_and_name_the_drivers(spend):
    bundle, explanation = spend
    importance = global_importance(explanation)
    text = " ".join(
        overview_headline(importance, risk=None, outputs=bundle.outputs, output=bundle.output, card=bundle.card)
    )
    mean = round(float(bundle.model.predict(bundle.X).mean()))
    assert f"Across your {len(bundle.X):,} customers, the model expects a yearly spend of ${mean:,} on average." in text
    assert "For half of them, it expects between $" in text
    assert "What moves the expected yearly spend most is" in text
    drivers = overview_drivers(explanation, importance, bundle.card)
    assert "Customers with the premium plan have a much higher expected yearly spend." in drivers  # card's phrase


def _rows(explanation) -> list[int]:
    order = np.argsort(explanation.prediction)
    return [int(order[0]), int(order[len(order) // 2]), int(order[-1])]


def test_spend_narratives_use_no_jargon_and_read_at_grade_8_or_below(spend):
    bundle, explanation = spend
    importance = global_importance(explanation)
    texts = [
        " ".join(
            overview_headline(importance, risk=None, outputs=bundle.outputs, output=bundle.output, card=bundle.card)
        )
    ]
    texts.append(" ".join(overview_drivers(explanation, importance, bundle.card)))
    texts += [" ".join(customer_story(explanation, r, bundle.card)) for r in _rows(explanation)]
    result = totals(explanation.prediction)
    texts += [" ".join(totals_sentences(result, bundle.card, bundle.output)), totals_note(bundle.card)]
    for text in texts:
        assert find_jargon(text) == [], text
        assert textstat.flesch_kincaid_grade(text) <= MAX_GRADE, text


def test_a_card_without_a_target_never_says_expected_value(tmp_path, spenders):
    model = Pipeline([("p", _prep(scale=True)), ("m", Ridge())]).fit(spenders[SPEND_FEATURES], spenders["YearlySpend"])
    bundle = load_bundle(write_bundle(tmp_path / "b", model, spenders[SPEND_FEATURES]), trusted=[tmp_path])
    explanation = explain_shap(bundle)
    importance = global_importance(explanation)
    text = " ".join(
        overview_headline(importance, risk=None, outputs=bundle.outputs, output=bundle.output, card=bundle.card)
        + overview_drivers(explanation, importance, bundle.card)
        + customer_story(explanation, 0, bundle.card)
    )
    assert find_jargon(text) == [], text
    assert "The model expects " in text and "prediction" in text


# --- What if, and what would it take ----------------------------------------------------------------------------


def test_a_what_if_sentence_in_dollars(spend):
    bundle, explanation = spend
    row = int(np.argsort(explanation.prediction)[len(explanation) // 2])
    before = float(bundle.predict(bundle.X.iloc[[row]])[0])
    after = float(bundle.predict(apply_changes(bundle, row, {"StoreVisits": 40}))[0])
    text = change_sentence(before, after, {"StoreVisits": 40.0}, bundle.card, bundle.output)
    assert text == (
        f"Changing store visits a year to 40 visits raises the expected yearly spend "
        f"from ${round(before):,} to ${round(after):,}."
    )
    assert find_jargon(text) == []


@pytest.mark.parametrize("direction", [+1, -1])
def test_what_would_it_take_reaches_a_dollar_target_up_or_down(spend, direction):
    bundle, explanation = spend
    # Raise a customer from the lower part, lower one from the upper part: each has room to move that way.
    row = int(np.argsort(explanation.prediction)[int(len(explanation) * (0.5 - 0.3 * direction))])
    current = float(bundle.predict(bundle.X.iloc[[row]])[0])
    target = current + direction * 250
    found = suggest(bundle, row, target)
    assert found.reached and found.lower == (direction < 0)
    fixed = {"HouseholdSize", "tenure", "Region"}  # the card says these cannot be acted on
    for s in found.suggestions:
        assert not fixed & set(s.changes)
        own = float(bundle.predict(apply_changes(bundle, row, s.changes))[0])
        assert own == pytest.approx(s.prediction)
        assert (own >= target) if direction > 0 else (own <= target)


def test_the_default_target_is_a_round_number_a_little_above():
    target, step = default_target(756.34, np.array([990.0, 1240.0, 1528.0, 1100.0, 1400.0]))
    assert step == 10 and target % step == 0 and 756.34 < target < 1000


# --- Totals on the impact page ----------------------------------------------------------------------------------


def test_totals_add_up_and_split_into_tenths(spend):
    bundle, explanation = spend
    own = bundle.model.predict(bundle.X).astype(float)
    result = totals(own)
    assert result.total == pytest.approx(own.sum())
    assert result.tenths.sum() == pytest.approx(own.sum()) and len(result.tenths) == 10
    assert list(result.tenths) == sorted(result.tenths, reverse=True)
    assert result.top_total == pytest.approx(np.sort(own)[::-1][: result.n_top].sum())
    assert result.top_total == pytest.approx(result.tenths[0])
    lines = totals_sentences(result, bundle.card, bundle.output)
    assert lines[0].startswith(f"Added up over your {len(own):,} customers, the expected yearly spend is")
    assert f"The top {result.n_top:,} customers, 1 in 10, bring" in lines[-1]
    assert shows_totals(bundle.card)
    figure = columns_figure(tenths_spec(result, bundle.card))
    assert list(figure.data[0].x)[0] == "Top tenth" and list(figure.data[0].x)[-1] == "Bottom tenth"


def test_totals_say_nothing_misleading_for_odd_inputs(spend):
    bundle, _ = spend
    one = totals(np.array([120.0]))
    assert one.n_top == 1 and len(one.tenths) == 1
    assert totals_sentences(one, bundle.card, bundle.output) == [
        "Added up over your 1 customer, the expected yearly spend is $120."
    ]
    negative = totals(np.array([-50.0, 20.0, 10.0]))
    assert negative.top_share is None


# --- The CLI on the spend demo ----------------------------------------------------------------------------------


def plainsight(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "explain", *args], capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def spend_ids(demo_dir):
    return pd.read_csv(demo_dir / "spend-demo" / "data.csv", dtype={"customerID": str})["customerID"]


def test_cli_explain_json_is_in_dollars_and_adds_up(demo_dir, spend_ids, spend):
    bundle, _ = spend
    done = plainsight("explain", str(demo_dir / "spend-demo"), "--row", spend_ids[4], "--format", "json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["unit"] == "$" and out["method"] == "xgboost-tree-exact"
    assert out["prediction"] == pytest.approx(float(bundle.model.predict(bundle.X.iloc[[4]])[0]), abs=1e-3)
    total = out["baseline"] + sum(c["contribution"] for c in out["contributions"])
    assert total == pytest.approx(out["prediction"], abs=0.01)
    assert {c["feature"] for c in out["contributions"]} == set(SPEND_FEATURES)


def test_cli_explain_text_and_importance_speak_dollars(demo_dir, spend_ids):
    done = plainsight("explain", str(demo_dir / "spend-demo"), "--row", spend_ids[0])
    assert done.returncode == 0, done.stderr
    assert f"customer {spend_ids[0]}: $" in done.stdout and "typical customer: $" in done.stdout
    assert "Store visits a year:" in done.stdout and "Household size:" in done.stdout

    done = plainsight("importance", str(demo_dir / "spend-demo"), "--format", "json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["unit"] == "$"
    values = [f["importance"] for f in out["features"]]
    assert values == sorted(values, reverse=True)
    assert {f["feature"] for f in out["features"][:3]} == {"Plan", "StoreVisits", "HouseholdSize"}


def test_cli_check_and_suggest_for_the_regressor(demo_dir, spend_ids, spend):
    done = plainsight("check", str(demo_dir / "spend-demo"))
    assert done.returncode == 0, done.stderr
    assert "XGBRegressor (regressor), 6 columns" in done.stdout

    bundle, explanation = spend
    row = int(np.argsort(explanation.prediction)[len(explanation) // 2])
    target = round(float(explanation.prediction[row])) + 200
    done = plainsight("suggest", str(demo_dir / "spend-demo"), "--row", spend_ids[row], "--target", str(target),
                      "--format", "json")  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["target"] == target and out["suggestions"]
    assert all(s["prediction"] >= target for s in out["suggestions"])
    assert all(not {"HouseholdSize", "tenure", "Region"} & set(s["changes"]) for s in out["suggestions"])
