"""Card-less bundles read right: most first uses bring a model and its data, and no card.yaml.

Each bundle here is data nobody prepared for Plainsight (a Titanic-like frame that still holds Survived, a
purchase model, house prices with a year and a tiny-valued column, a price in thousands of dollars); each test
reads what the reports and the command line say about it.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import textstat
import yaml
from sklearn.compose import make_column_transformer
from sklearn.ensemble import GradientBoostingRegressor, RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from explain.analyses.quality import model_quality
from explain.analyses.suggest import suggestion_target
from explain.analyses.whatif import unseen_values
from explain.bundle import load_bundle
from explain.bundle.card import complete_card
from explain.bundle.inferred import entity_from_id, is_good_news, outcome_words
from explain.bundle.naming import article_for
from explain.bundle.output import split_unit
from explain.cli import main
from explain.errors import CardError, ExplainError
from explain.methods.reasons import explain_shap
from explain.reports import customer_report, impact_report, overview_report, whatif_report
from explain.reports.serialize import to_text
from explain.words.numbers import format_number, format_value, format_with_unit, unit_name
from explain.words.plain_words import find_jargon
from tests.conftest import write_bundle

MAX_GRADE = 8.0
N = 300


def _titanic(n: int = N, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "PassengerId": np.arange(1, n + 1),
            "Pclass": rng.choice([1, 2, 3], n),
            "Sex": rng.choice(["male", "female"], n),
            "Age": np.where(rng.random(n) < 0.2, np.nan, rng.integers(1, 80, n).astype(float)),
            "Fare": rng.gamma(2, 15, n).round(2),
            "Embarked": rng.choice(["S", "C", "Q"], n),
        }
    )
    frame["Survived"] = ((frame["Sex"] == "female") ^ (rng.random(n) < 0.2)).astype(int)
    return frame


def _titanic_model(frame: pd.DataFrame, target: pd.Series):
    prep = make_column_transformer(
        (make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore")),
         ["Sex", "Embarked"]),
        (SimpleImputer(strategy="median"), ["Pclass", "Age", "Fare"]),
    )  # fmt: skip
    columns = ["Pclass", "Sex", "Age", "Fare", "Embarked"]
    return make_pipeline(prep, RandomForestClassifier(40, max_depth=4, random_state=0)).fit(frame[columns], target)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("cardless")
    titanic = _titanic()
    # The model learned from passengers who embarked at S or C only: Q is a port it never saw.
    learned = titanic[titanic["Embarked"] != "Q"]
    write_bundle(root / "titanic", _titanic_model(learned, learned["Survived"]), titanic)

    rng = np.random.default_rng(1)
    shop = pd.DataFrame(
        {
            "Age": rng.integers(18, 70, N),
            "EstimatedSalary": rng.integers(15_000, 150_000, N),
            "Gender": rng.choice(["Male", "Female"], N),
        }
    )
    shop["Purchased"] = ((shop["Age"] > 40) & (rng.random(N) < 0.8)).astype(int)
    prep = make_column_transformer(
        (OneHotEncoder(handle_unknown="ignore"), ["Gender"]), (StandardScaler(), ["Age", "EstimatedSalary"])
    )
    model = make_pipeline(prep, LogisticRegression()).fit(shop.drop(columns="Purchased"), shop["Purchased"])
    write_bundle(root / "purchase", model, shop)

    houses = pd.DataFrame(
        {
            "YearBuilt": rng.integers(1900, 2011, N),
            "LotArea": rng.integers(2_000, 20_000, N),
            "Pollution": rng.random(N) * 0.006,
            "Neighborhood": rng.choice(["North", "South", "East"], N),
        }
    )
    price = 50_000 + (houses["YearBuilt"] - 1900) * 1_000 + houses["LotArea"] * 5 - houses["Pollution"] * 2e6
    houses["SalePrice"] = price + rng.normal(0, 10_000, N)
    prep = make_column_transformer((OneHotEncoder(handle_unknown="ignore"), ["Neighborhood"]), remainder="passthrough")
    features = houses.drop(columns="SalePrice")
    write_bundle(root / "houses", make_pipeline(prep, GradientBoostingRegressor(random_state=0)).fit(
        features, houses["SalePrice"]), houses)  # fmt: skip
    thousands = houses.assign(MEDV=houses["SalePrice"] / 1000).drop(columns="SalePrice")
    model = make_pipeline(prep, GradientBoostingRegressor(random_state=0)).fit(features, thousands["MEDV"])
    write_bundle(root / "boston", model, thousands, {"target": "MEDV", "unit": "$1,000"})
    return root


def _load(folder: Path, name: str):
    return load_bundle(folder / name, trusted=[folder])


def _all_text(bundle) -> str:
    """Everything the overview and one row's story say (with what would change it), as the CLI prints them."""
    texts = [to_text(overview_report(bundle)), to_text(customer_report(bundle, 0, second_check=False))]
    return "\n".join(texts)


# --- what is inferred -----------------------------------------------------------------------------------------


def test_the_target_is_found_in_the_data_and_the_words_follow_it(folder):
    bundle = _load(folder, "titanic")
    card = bundle.card
    assert card.target == "Survived"  # in the data, not among the model's columns, and holding its classes
    assert card.entity == "passenger"  # from PassengerId, a column of unique ids
    assert card.outcome_positive == "survive" and card.good_news
    assert bundle.output.what == "the chance to survive"
    quality = model_quality(bundle)
    assert quality is not None and quality.n_rows == N  # so the quality pages work without a card

    text = _all_text(bundle)
    assert "This passenger has " in text and "chance to survive" in text
    assert "outcome 1" not in text and "customer" not in text.lower()


def test_a_regressor_finds_its_target_and_says_what_it_expects(folder):
    bundle = _load(folder, "houses")
    assert bundle.card.target == "SalePrice" and bundle.card.entity == "case"
    assert bundle.output.label == "Expected sale price"
    assert model_quality(bundle) is not None


def test_no_target_is_guessed_between_two_columns_that_fit(tmp_path):
    frame = _titanic()
    model = _titanic_model(frame, frame["Survived"])
    bundle = load_bundle(write_bundle(tmp_path / "b", model, frame.assign(Copy=frame["Survived"])), trusted=[tmp_path])
    assert bundle.card.target is None
    assert bundle.card.outcome_positive == "get a yes"  # neutral, never "have the outcome 1"


@pytest.mark.parametrize(
    ("target", "positive", "classes", "words"),
    [
        ("Survived", 1, [0, 1], "survive"),
        ("Purchased", 1, [0, 1], "buy"),
        ("Churn", "Yes", ["No", "Yes"], "leave"),
        ("Exited", 1, [0, 1], "leave"),
        ("Clicked", True, [False, True], "click"),
        ("subscribed", 1, [0, 1], "subscribe"),
        ("is_fraud", 1, [0, 1], "be fraud"),
        ("HeartDisease", 1, [0, 1], "have heart disease"),
        ("target", 1, [0, 1], "get a yes"),
        (None, 1, [0, 1], "get a yes"),
        ("income", ">50K", ["<=50K", ">50K"], "have income >50K"),
        (None, "setosa", ["setosa", "versicolor", "virginica"], "turn out setosa"),
    ],
)
def test_outcome_words_come_from_the_target_name(target, positive, classes, words):
    assert outcome_words(target, positive, classes) == words


@pytest.mark.parametrize(
    ("words", "good"),
    [
        ("survive", True), ("buy", True), ("renew", True), ("stay", True), ("repay the loan", True),
        ("click", True), ("convert", True), ("respond", True), ("win", True), ("be approved", True),
        ("leave", False), ("default", False), ("die", False), ("not renew", False), ("fail to repay", False),
        ("get a yes", False), ("have heart disease", False), ("be fraud", False), ("window", False),
    ],
)  # fmt: skip
def test_good_news_is_read_from_the_outcome_words(words, good):
    assert is_good_news(words) is good


def test_the_card_may_say_whether_the_outcome_is_good_news(tmp_path):
    base = {"columns": ["a"], "task": "classification", "classes": [0, 1], "default_title": "m"}
    assert complete_card({"outcome": {"positive": "leave"}}, **base).good_news is False
    assert complete_card({"outcome": {"positive": "leave", "good": True}}, **base).good_news is True
    assert complete_card({"outcome": {"positive": "stay", "good": False}}, **base).good_news is False
    with pytest.raises(CardError, match="outcome.good must be true"):
        complete_card({"outcome": {"good": "very"}}, **base)


@pytest.mark.parametrize(
    ("name", "entity"),
    [("PassengerId", "passenger"), ("customer_id", "customer"), ("customerID", "customer"), ("EmployeeID", "employee"),
     ("id", None), ("UUID", None), ("Kid", None), ("paid", None)],
)  # fmt: skip
def test_the_entity_is_the_noun_of_an_id_column(name, entity):
    assert entity_from_id(name) == entity


# --- good news is never a risk -----------------------------------------------------------------------------


def test_a_good_news_model_never_says_risk_and_suggests_raising_it(folder, capsys):
    bundle = _load(folder, "purchase")
    card = bundle.card
    assert card.target == "Purchased" and card.outcome_positive == "buy" and card.good_news

    overview = overview_report(bundle)
    assert any(f.label == "Likely to buy (50% or more)" for f in overview.facts)
    impact = impact_report(bundle)
    assert impact.missing is not None and "good news" in impact.missing.reason

    low = int(np.argmin(bundle.outputs))
    story = customer_report(bundle, low, second_check=False)
    assert story.suggestions is not None and story.suggestions.lines
    now = float(bundle.outputs[low])
    assert suggestion_target(bundle, now) == pytest.approx(min(0.99, round(now + (1 - now) / 2, 2)))  # halfway up
    assert all(" raises the chance to buy " in line.sentence for line in story.suggestions.lines)

    assert main(["importance", str(folder / "purchase")]) == 0
    said = capsys.readouterr().out
    assert "likely to buy (≥ 50%)" in said
    text = "\n".join([_all_text(bundle), to_text(story), to_text(impact), said])
    assert "risk" not in text.lower()
    for sentence in [*overview.headline, *story.headline, impact.missing.reason]:
        assert find_jargon(sentence) == [], sentence
    assert textstat.flesch_kincaid_grade(impact.missing.reason) <= MAX_GRADE


def test_a_bad_news_model_still_lowers_the_chance(tmp_path):
    frame = _titanic()
    model = _titanic_model(frame, frame["Survived"])
    card = {"target": "Survived", "outcome": {"positive": "leave"}, "entity": "customer"}
    bundle = load_bundle(write_bundle(tmp_path / "b", model, frame, card), trusted=[tmp_path])
    assert not bundle.card.good_news
    high = int(np.argmax(bundle.outputs))
    assert suggestion_target(bundle, float(bundle.outputs[high])) < float(bundle.outputs[high])
    assert any(f.label.startswith("At high risk") for f in overview_report(bundle).facts)


# --- numbers as people read them -----------------------------------------------------------------------------


def test_years_have_no_thousands_separator_and_small_values_are_not_zero(folder):
    bundle = _load(folder, "houses")
    assert bundle.card.feature("YearBuilt").year and not bundle.card.feature("LotArea").year
    text = _all_text(bundle)
    year = int(bundle.X["YearBuilt"].iloc[0])
    assert f"Year built: {year}" in text and f"{year:,}" not in text
    assert not re.search(r"year built to \d,\d{3}", text)  # suggestions too: "year built to 1937"
    assert "Cases with a later year built" in text
    pollution = float(bundle.X["Pollution"].iloc[0])
    assert f"Pollution: {format_number(pollution)}" in text
    assert "Pollution: 0\n" not in text and "Pollution is 0," not in text


@pytest.mark.parametrize(
    ("value", "said"), [(0.003, "0.003"), (0.0034567, "0.0035"), (0.05, "0.05"), (0.123, "0.12"), (-0.004, "-0.004")]
)
def test_small_numbers_keep_two_figures(value, said):
    assert format_number(value) == said


def test_a_price_in_thousands_reads_as_dollars_in_full(folder):
    bundle = _load(folder, "boston")
    output = bundle.output
    text = _all_text(bundle)
    mean = float(np.mean(bundle.outputs))
    assert f"expects an MEDV of ${round(mean) * 1000:,} on average" in text
    assert "$1,000" not in text.replace("<$1,000", "")  # a unit, never written after a number
    assert overview_report(bundle).chart_caption.endswith("for a typical case, in thousands of dollars.")
    assert format_with_unit(22.53, "$1,000", decimals=output.decimals) in ("$23,000", "$22,500")
    assert format_with_unit(4.7, "$1,000") == "$4,700"
    assert unit_name("$1,000") == "thousands of dollars"
    impact = impact_report(bundle)
    assert impact.kind == "totals" and "$1,000" not in " ".join(impact.headline)


@pytest.mark.parametrize(
    ("unit", "split"),
    [
        ("$1,000", ("$", 1e3)), ("$k", ("$", 1e3)), ("USD thousands", ("USD", 1e3)), ("€1M", ("€", 1e6)),
        ("thousands of dollars", ("$", 1e3)), ("1,000 USD", ("USD", 1e3)), ("$", ("$", 1.0)),
        ("kWh", ("kWh", 1.0)), ("km", ("km", 1.0)), ("months", ("months", 1.0)),
    ],
)  # fmt: skip
def test_units_in_thousands_are_split(unit, split):
    assert split_unit(unit) == split


# --- grammar ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "a"), [("employee", "an"), ("customer", "a"), ("MEDV", "an"), ("PDF", "a"), ("user", "a"), ("hour", "an")]
)
def test_the_article_goes_with_the_sound(word, a):
    assert article_for(word) == a


def test_a_regressor_without_a_target_reads_right(tmp_path, capsys):
    frame = pd.DataFrame({"x": np.arange(40.0), "z": np.arange(40.0) % 7})
    model = make_pipeline(StandardScaler(), GradientBoostingRegressor(random_state=0)).fit(frame, frame["x"] * 3)
    folder = write_bundle(tmp_path / "r", model, frame)
    assert main(["check", str(folder)]) == 0
    said = capsys.readouterr().out
    assert "predicts: the prediction" in said and "the expected a value" not in said
    text = _all_text(load_bundle(folder, trusted=[tmp_path]))
    assert " a a " not in text and " a an " not in text
    assert "have a slightly" in text or "have a much" in text or "have a higher" in text or "have a lower" in text


# --- values the model never saw -----------------------------------------------------------------------------


def test_a_category_the_model_never_learned_is_flagged_not_explained(folder, capsys):
    bundle = _load(folder, "titanic")
    row = int(np.flatnonzero(bundle.X["Embarked"].to_numpy() == "Q")[0])
    story = customer_report(bundle, row, second_check=False)
    assert any("Embarked is Q, which the model never saw" in flag for flag in story.flags)
    # What if: the row as it is is flagged; changing only the fare keeps the flag.
    before = explain_shap(bundle, [row])
    changed = bundle.X.iloc[[row]].assign(Fare=30.0)
    assert whatif_report(bundle, row, changed, before).unseen == ("Embarked",)
    assert unseen_values(bundle, bundle.X.iloc[[row]].assign(Embarked="S")) == []
    # The command line says it too.
    assert main(["report", str(folder / "titanic"), "--row", str(row)]) == 0
    assert "Note: Embarked is Q, which the model never saw" in capsys.readouterr().out
    # And a suggestion never moves anyone to a port the model does not know.
    for other in range(10):
        found = customer_report(bundle, other, second_check=False).suggestions
        assert found is not None
        assert all(dict(line.changes).get("Embarked") != "Q" for line in found.lines)


# --- target_values -------------------------------------------------------------------------------------------


def _yes_no(tmp_path: Path, card: dict) -> Path:
    frame = _titanic()
    model = _titanic_model(frame, frame["Survived"])
    data = frame.assign(Survived=frame["Survived"].map({1: "Yes", 0: "No"}))
    folder = write_bundle(tmp_path / "yn", model, data)
    (folder / "card.yaml").write_text(yaml.safe_dump(card), encoding="utf-8")
    return folder


def test_target_values_map_the_datas_labels_to_the_models_classes(tmp_path):
    unmapped = load_bundle(_yes_no(tmp_path, {"target": "Survived"}), trusted=[tmp_path])
    with pytest.raises(ExplainError, match=r"target_values: \{'Yes': 1, 'No': 0\}"):
        model_quality(unmapped)

    folder = _yes_no(tmp_path, {"target": "Survived", "target_values": {"Yes": 1, "No": 0}})
    bundle = load_bundle(folder, trusted=[tmp_path])
    quality = model_quality(bundle)
    truth = _titanic()["Survived"]
    assert quality is not None and quality.n_positive == int(truth.sum())
    assert bundle.card.outcome_positive == "survive"

    # The positive class may be named as the data names it.
    again = load_bundle(_yes_no(tmp_path, {"target_values": {"Yes": 1, "No": 0}, "positive_class": "Yes"}),
                        trusted=[tmp_path])  # fmt: skip
    assert again.card.positive_class == 1 and again.card.target == "Survived"  # found: its labels are mapped


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"Yes": 1, "No": 2}, "target_values maps 'No' to 2, which is not one of the model's classes (0, 1)."),
        ("Yes", "target_values must map each value in the data to a class"),
    ],
)
def test_a_bad_target_value_is_named(tmp_path, values, message):
    with pytest.raises(CardError) as caught:
        load_bundle(_yes_no(tmp_path, {"target": "Survived", "target_values": values}), trusted=[tmp_path])
    assert message in str(caught.value)


def test_format_value_of_a_year_and_of_a_missing_value(folder):
    card = _load(folder, "houses").card
    assert format_value(1998, card.feature("YearBuilt")) == "1998"
    assert format_value(12000, card.feature("LotArea")) == "12,000"
    assert format_value(np.nan, card.feature("YearBuilt")) == "not recorded"


@pytest.mark.parametrize("name", ["titanic", "purchase", "houses", "boston"])
def test_card_less_words_are_plain_and_grade_8(folder, name):
    bundle = _load(folder, name)
    overview = overview_report(bundle)
    story = customer_report(bundle, 0, second_check=False)
    # Measured as tests/explain/test_plain_words.py does: each block as a reader reads it, not one line alone.
    texts = [" ".join(overview.headline), " ".join(overview.drivers), " ".join(story.headline)]
    texts += [" ".join(story.reason_sentences), *story.flags, story.waterfall_caption]
    texts += [line.sentence for line in story.suggestions.lines] if story.suggestions else []
    for text in texts:
        assert find_jargon(text) == [], text
        assert textstat.flesch_kincaid_grade(text) <= MAX_GRADE, text
    assert not re.search(r"\b(a a|a an|an a|the expected a|outcome \d)\b", " ".join(texts))
