"""Groups of customers: the filter language, a group's figures against the same figures worked out by hand on the
filtered data, the comparison with everyone, and its words."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import textstat
from sklearn.metrics import roc_auc_score

from explain.analyses.segments import compare, named, narrow, positions, where
from explain.bundle import load_bundle
from explain.bundle.filters import Filter, Segment, SelectionError, parse_where
from explain.errors import CardError, NotAvailable
from explain.methods import explain_shap, population_explanation
from explain.reports import Settings, overview_report
from explain.reports.customers import customer_list
from explain.reports.segment import segment_report
from explain.words.plain_words import find_jargon
from explain.words.segments import group_banner, times
from tests.conftest import write_bundle

MAX_GRADE = 8
MONTHLY_NEW = "Contract == 'Month-to-month' and tenure < 12"


@pytest.fixture(scope="module")
def demo(demo_dir):
    return load_bundle(demo_dir / "churn-demo", trusted=[demo_dir])


def _by_hand(bundle, mask: np.ndarray) -> pd.DataFrame:
    """The filtered reference rows, scored by the model itself."""
    rows = bundle.X[mask]
    return rows.assign(chance=bundle.model.predict_proba(rows)[:, 1].astype(float))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (MONTHLY_NEW, [("Contract", "is", "Month-to-month"), ("tenure", "under", "12")]),
        ("`Months as a customer` >= 24", [("tenure", "at least", "24")]),  # the card's label, in backticks
        ("12 > tenure", [("tenure", "under", "12")]),  # a value first reads the other way round
        ("1 <= SupportCalls < 4", [("SupportCalls", "at least", "1"), ("SupportCalls", "under", "4")]),
        (
            "MonthlyCharges <= 70.5 and SupportCalls != 0",
            [("MonthlyCharges", "at most", "70.5"), ("SupportCalls", "is not", "0")],
        ),  # fmt: skip
        ("contract in ['One year', 'Two year']", [("Contract", "is one of", '["One year", "Two year"]')]),
    ],
)
def test_where_reads_comparisons_joined_by_and(demo, text, expected):
    labels = {c: demo.card.label(c) for c in demo.features}
    assert [(f.column, f.op, f.value) for f in parse_where(text, demo.features, labels)] == expected


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("Contract = 'Month-to-month'", "could not be read as a filter"),
        ("tenure < 12 or tenure > 40", "join with 'and' only"),
        ("Colour == 'red'", "There is no column 'Colour'"),
        ("tenure < months", "compares one column with a value"),
        ("Contract == Month", "compares one column with a value"),
        ("", "The filter is empty"),
        ("tenure < 12 and 3", "is not a comparison"),
        ("Contract in 'One year'", "in takes a list of values"),
    ],
)
def test_a_filter_that_cannot_be_read_says_why_in_one_line(demo, text, said):
    with pytest.raises(SelectionError) as caught:
        parse_where(text, demo.features, {})
    assert said in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_filter_is_never_run(demo, tmp_path):
    marker = tmp_path / "ran"
    for text in (
        f"__import__('pathlib').Path({str(marker)!r}).touch() == 1",
        f"tenure < __import__('pathlib').Path({str(marker)!r}).touch()",
        "tenure < (lambda: 1)()",
    ):
        with pytest.raises(SelectionError):
            parse_where(text, demo.features, {})
    assert not marker.exists()


def test_categories_are_matched_as_the_data_writes_them_and_unknown_ones_are_named(demo):
    segment = where(demo, "contract == 'month-to-month' and InternetService in ['dsl', 'NO']")
    assert segment.filters == (
        Filter("Contract", "is", "Month-to-month"),
        Filter("InternetService", "is one of", '["DSL", "No"]'),
    )
    with pytest.raises(SelectionError, match="'Contract' never holds 'Monthly'; it holds 'Month-to-month'"):
        where(demo, "Contract == 'Monthly'")
    with pytest.raises(SelectionError, match="'tenure' holds numbers; 'long' is not one"):
        where(demo, "tenure == 'long'")
    with pytest.raises(SelectionError, match="No customers are in this group"):
        narrow(demo, where(demo, "tenure > 100000"))


def test_a_groups_figures_are_the_same_figures_worked_out_by_hand_on_the_filtered_data(demo):
    group = narrow(demo, where(demo, MONTHLY_NEW))
    mask = (demo.X["Contract"] == "Month-to-month").to_numpy() & (demo.X["tenure"] < 12).to_numpy()
    hand = _by_hand(demo, mask)
    assert 0 < len(hand) < len(demo.X)

    # the rows, their ids and the model's outputs
    assert group.ids == [demo.ids[i] for i in np.flatnonzero(mask)]
    np.testing.assert_array_equal(group.outputs, hand["chance"].to_numpy())
    pd.testing.assert_frame_equal(group.X, hand[demo.features].reset_index(drop=True))

    # the comparison's sides
    report = segment_report(group)
    mine, everyone = report.comparison.group, report.comparison.everyone
    assert mine.n_rows == len(hand) and everyone.n_rows == len(demo.X)
    assert mine.mean_output == pytest.approx(hand["chance"].mean(), abs=1e-12)
    assert mine.n_high == int((hand["chance"] >= 0.5).sum())
    assert mine.value_at_risk == pytest.approx(1200 * hand["chance"].sum(), rel=1e-12)  # the card's value

    # what drives the model in the group: each row explained on its own, averaged over the group's rows
    direct = explain_shap(demo, X=demo.X[mask])
    weights = dict(zip(demo.features, np.abs(direct.values).mean(axis=0), strict=True))
    assert mine.weights == pytest.approx(weights, abs=1e-9)
    assert population_explanation(group).additivity_gap() < 1e-6

    # the same counts on the group's own overview and list
    overview = overview_report(group)
    assert overview.facts[0].value == f"{len(hand):,}"
    assert overview.risk is not None and overview.risk.n_high == mine.n_high
    assert customer_list(group).total == len(hand)

    # the analyst's quality, from the data's outcome in the group (sklearn on the filtered rows)
    outcome = demo.data.loc[mask, "Churn"].to_numpy()
    assert report.quality_table is not None
    quality = {row[0]: row[1] for row in report.quality_table.rows}
    assert quality["Rows checked"] == f"{len(hand):,}"
    assert float(quality["ROC-AUC"]) == pytest.approx(roc_auc_score(outcome, hand["chance"]), abs=5e-4)


def test_the_side_by_side_table_and_sentences_say_the_same_figures(demo):
    report = segment_report(narrow(demo, where(demo, MONTHLY_NEW)))
    rows = {row[0]: row[1:] for row in report.side_by_side.rows}
    mine, everyone = report.comparison.group, report.comparison.everyone
    assert rows["Customers"] == (f"{mine.n_rows:,}", f"{everyone.n_rows:,}")
    chance, all_chance = round(100 * mine.mean_output), round(100 * everyone.mean_output)
    assert rows["Average chance to leave"] == (f"{chance}%", f"{all_chance}%")
    assert f"Their average chance to leave is {chance}%; for all customers it is {all_chance}%." in report.headline
    share = round(100 * mine.n_rows / everyone.n_rows)
    assert report.intro.endswith(f": {mine.n_rows:,} of your {everyone.n_rows:,} customers ({share}%).")


def test_a_seeded_random_half_differs_from_everyone_in_no_driver(demo):
    half = np.sort(np.random.default_rng(7).choice(len(demo.X), len(demo.X) // 2, replace=False))
    group = demo.narrowed(Segment(()), half)
    comparison = compare(group, population_explanation(group), population_explanation(demo))
    assert comparison.drivers == ()
    report = segment_report(group)
    assert "The other factors weigh about the same in this group as for everyone." in report.drivers


def test_a_group_where_one_factor_weighs_more_says_so_with_its_figures(demo):
    # Customers who called support often: support calls move their chance much more than everyone's.
    report = segment_report(narrow(demo, where(demo, "SupportCalls >= 5")))
    gaps = {gap.column: gap for gap in report.comparison.drivers}
    assert "SupportCalls" in gaps and gaps["SupportCalls"].ratio >= 1.5
    gap = gaps["SupportCalls"]
    said = [line for line in report.drivers if line.startswith("In this group, support calls last year matters")]
    assert len(said) == 1
    assert f"({round(gap.group)} points on average, against {round(gap.everyone)} points)" in said[0]


@pytest.mark.parametrize(
    ("ratio", "said"),
    [(2.1, "about twice as much as"), (3.2, "about 3 times as much as"), (1.6, "more than"),
     (0.45, "about half as much as"), (0.7, "less than"), (0.33, "about a third as much as")],
)  # fmt: skip
def test_ratios_are_said_as_people_say_them(ratio, said):
    assert times(ratio) == said


def test_a_small_group_is_too_small_to_judge_and_says_so(demo):
    small = narrow(demo, where(demo, "SupportCalls >= 6 and Contract == 'Two year'"))
    report = segment_report(small, Settings("analyst"))
    assert isinstance(report.quality, NotAvailable)
    assert "too small to judge" in report.quality.reason
    assert report.quality_table is None


def test_the_cards_groups_are_read_and_a_bad_one_names_itself(demo, demo_dir, tmp_path):
    labels = [s.label for s in demo.card.segments]
    assert labels == ["New month-to-month customers", "Fibre customers", "Customers of two years or more"]
    assert named(demo, "fibre CUSTOMERS").filters == (Filter("InternetService", "is", "Fiber optic"),)
    with pytest.raises(SelectionError, match="names no group 'Gold'; it names 'New month-to-month customers'"):
        named(demo, "Gold")

    frame = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0] * 10, "kind": ["a", "b"] * 20})
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder

    prep = ColumnTransformer([("c", OneHotEncoder(), ["kind"])], remainder="passthrough")
    model = Pipeline([("p", prep), ("m", LogisticRegression())]).fit(frame, (frame["x"] > 2).astype(int))
    bad = {"segments": [{"label": "Big ones", "filter": "size > 2"}]}
    write_bundle(tmp_path / "bad", model, frame, bad)
    with pytest.raises(CardError, match="segment 'Big ones': There is no column 'size'"):
        load_bundle(tmp_path / "bad", trusted=[tmp_path])


def test_a_narrowed_bundle_explains_each_row_as_the_whole_bundle_does(demo):
    group = narrow(demo, where(demo, "InternetService == 'Fiber optic'"))
    rows = [0, 5, len(group.ids) - 1]
    mine = explain_shap(group, rows)
    theirs = explain_shap(demo, [demo.position(group.ids[i]) for i in rows])
    np.testing.assert_allclose(mine.values, theirs.values, atol=1e-12)
    assert mine.base_value == theirs.base_value
    assert mine.row_ids == [group.ids[i] for i in rows]


def test_group_words_are_plain_and_read_at_grade_8(demo):
    for segment in demo.card.segments:
        report = segment_report(narrow(demo, segment))
        banner = group_banner(segment, report.comparison.group.n_rows, len(demo.ids), demo.card, demo.output)
        texts = [report.intro, *report.headline, *report.drivers, banner, report.chart_heading]
        texts += [str(cell) for row in report.side_by_side.rows for cell in row]
        for text in texts:
            assert find_jargon(text) == [], text
        assert textstat.flesch_kincaid_grade(" ".join([*report.headline, *report.drivers])) <= MAX_GRADE


def test_positions_follow_every_filter_with_gaps_never_matching(tmp_path):
    from sklearn.compose import ColumnTransformer
    from sklearn.ensemble import HistGradientBoostingRegressor
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OrdinalEncoder

    frame = pd.DataFrame({"x": [1.0, np.nan, 3.0, 4.0, np.nan, 6.0], "kind": ["a", "b", None, "a", "a", "b"]})
    prep = ColumnTransformer([("c", OrdinalEncoder(), ["kind"])], remainder="passthrough")
    model = Pipeline([("p", prep), ("m", HistGradientBoostingRegressor(max_iter=5))]).fit(frame, np.arange(6.0))
    write_bundle(tmp_path / "m", model, frame)
    bundle = load_bundle(tmp_path / "m", trusted=[tmp_path])

    def found(*filters: Filter) -> list[int]:
        return positions(bundle, Segment(filters)).tolist()

    assert found(Filter("x", "under", "4")) == [0, 2]
    assert found(Filter("x", "over", "4")) == [5]
    assert found(Filter("x", "is not", "3")) == [0, 3, 5]  # a gap is neither 3 nor not 3
    assert found(Filter("x", "is one of", "[1, 6]")) == [0, 5]
    assert found(Filter("kind", "is not", "a")) == [1, 5]
    assert found(Filter("kind", "is one of", '["a", "b"]'), Filter("x", "at least", "4")) == [3, 5]


def test_a_sampled_group_says_its_sample_is_of_the_group(demo, monkeypatch):
    monkeypatch.setenv("PLAINSIGHT_POPULATION_ROWS", "100")
    group = narrow(demo, named(demo, "Fibre customers"))
    n = len(group.ids)
    expected = (
        f"You have {n:,} customers in this group, too many to go through one by one. So what drives the model was "
        "worked out from 100 of them, picked at random. The counts and the list use every one of them."
    )
    assert segment_report(group).sample_note == expected
    assert overview_report(group).sample_note == expected
    assert population_explanation(group).provenance.sample.of == n
