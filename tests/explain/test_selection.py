"""Who to act on: the list's filters, search, sort, top N and pages, its rows against the customer's own story,
and its downloads read back (CSV and Excel)."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from sklearn.linear_model import LogisticRegression

from explain.analyses.business import Assumptions, impact, suggested_budget
from explain.analyses.selection import OUTPUT, Filter, ListQuery, SelectionError, page_of, select, top_at_risk
from explain.bundle import load_bundle
from explain.export.excel import to_xlsx_bytes
from explain.export.table import list_table, table_formats, to_csv_bytes
from explain.reports import Settings, customer_report
from explain.reports.customers import acted_on_query, customer_list, high_risk_query
from explain.words.plain_words import find_jargon
from tests.conftest import write_bundle


@pytest.fixture(scope="module")
def churn(demo_dir):
    return load_bundle(demo_dir / "churn-demo", trusted=[demo_dir])


@pytest.fixture(scope="module")
def gappy(tmp_path_factory):
    """A card-less model over data with gaps, a category and ids that differ only in case."""
    folder = tmp_path_factory.mktemp("gappy")
    rng = np.random.default_rng(3)
    n = 400
    frame = pd.DataFrame(
        {
            "account": [f"AC-{i:04d}" if i % 2 else f"ac-{i:04d}" for i in range(n)],
            "visits": rng.integers(0, 30, n).astype(float),
            "region": rng.choice(["north", "south", "east"], n),
        }
    )
    frame.loc[::7, "visits"] = np.nan
    X = frame[["visits"]].fillna(0).assign(south=(frame["region"] == "south").astype(float))
    model = LogisticRegression().fit(X, (X["visits"] + 5 * X["south"] + rng.normal(0, 4, n) > 16).astype(int))
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder

    prep = ColumnTransformer([("n", SimpleImputer(strategy="median"), ["visits"]), ("c", OneHotEncoder(), ["region"])])
    pipe = Pipeline([("p", prep), ("m", LogisticRegression())]).fit(frame, model.predict(X))
    write_bundle(folder / "gappy", pipe, frame, {"id_column": "account"})
    return load_bundle(folder / "gappy", trusted=[folder])


def test_the_whole_list_is_everyone_highest_chance_first(churn):
    positions = select(churn, ListQuery())
    assert sorted(positions.tolist()) == list(range(len(churn.X)))
    assert np.all(np.diff(churn.outputs[positions]) <= 0)
    assert positions[:20].tolist() == top_at_risk(churn, 20)


def test_filters_match_an_independent_pandas_query(churn):
    chance = churn.outputs * 100
    X = churn.X.reset_index(drop=True)
    query = ListQuery(
        filters=(
            Filter(OUTPUT, "at least", "40"),
            Filter("Contract", "is", "Month-to-month"),
            Filter("tenure", "at most", "12"),
            Filter("InternetService", "is not", "DSL"),
        )
    )
    expected = np.flatnonzero(
        (chance >= 40) & (X["Contract"] == "Month-to-month") & (X["tenure"] <= 12) & (X["InternetService"] != "DSL")
    )
    got = select(churn, query)
    assert sorted(got.tolist()) == expected.tolist() and len(got) > 0


def test_the_high_risk_list_holds_the_overviews_count_and_the_acted_on_list_the_impacts(churn):
    n_high = int((churn.outputs >= churn.card.risk_threshold).sum())
    assert len(select(churn, high_risk_query(churn))) == n_high
    business = churn.card.business
    result = impact(churn.outputs, business, Assumptions(budget=suggested_budget(churn.outputs, business, 0.5)))
    acted = select(churn, acted_on_query(result.n_acted))
    assert len(acted) == result.n_acted
    assert set(acted.tolist()) == set(np.argsort(-churn.outputs, kind="stable")[: result.n_acted].tolist())


def test_search_sort_and_missing_values(gappy):
    found = select(gappy, ListQuery(search="ac-00", sort="id", descending=False))
    ids = [gappy.ids[i] for i in found]
    assert ids == sorted(ids) and len(ids) == 100  # any case: AC-0001 and ac-0002 alike
    by_visits = select(gappy, ListQuery(sort="visits", descending=True))
    visits = gappy.X["visits"].to_numpy()[by_visits]
    known = visits[~np.isnan(visits)]
    assert np.all(np.diff(known) <= 0) and np.isnan(visits[-len(visits) + len(known) :]).all()  # gaps last
    # a missing value never matches, whichever way the filter goes
    at_least = select(gappy, ListQuery(filters=(Filter("visits", "at least", "0"),)))
    assert len(at_least) == int(gappy.X["visits"].notna().sum())
    not_five = select(gappy, ListQuery(filters=(Filter("visits", "is not", "5"),)))
    assert len(not_five) == int((gappy.X["visits"].notna() & (gappy.X["visits"] != 5)).sum())


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        (Filter("nope", "is", "1"), "There is no column 'nope' to filter on"),
        (Filter("region", "at least", "3"), "'region' holds categories; it takes 'is' or 'is not'"),
        (Filter("visits", "at most", "many"), "'visits' takes a number to compare with, not 'many'"),
        (Filter("visits", "is", "lots"), "'visits' takes a number, not 'lots'"),
    ],
)
def test_a_filter_that_cannot_be_used_is_named(gappy, condition, message):
    with pytest.raises(SelectionError, match=message):
        select(gappy, ListQuery(filters=(condition,)))


def test_pages_are_clipped_to_those_there_are():
    positions = np.arange(60)
    shown, page, pages = page_of(positions, 9, 25)
    assert (page, pages) == (3, 3) and shown.tolist() == list(range(50, 60))
    assert page_of(np.arange(0), 1, 25)[1:] == (1, 1)


def test_each_row_says_what_the_customers_own_page_says(churn):
    listed = customer_list(churn, ListQuery(page=2, page_size=10))
    assert listed.total == len(churn.X) and (listed.page, listed.pages) == (2, -(-len(churn.X) // 10))
    assert listed.columns == ("Customer ID", "Chance to leave", "Value at risk (a year)", "Main reason")
    for row in listed.rows[:4]:
        report = customer_report(churn, row.position, Settings())
        assert row.output_text == report.facts[0].value  # the same chance, said the same
        assert f"{row.value_at_risk} a year" == report.facts[1].value  # the same amount; the period in the heading
        # the main reason is the largest reason that raises the chance, as the waterfall shows it
        raising = [bar for bar in report.waterfall.reasons if bar.value > 0]
        biggest = max(raising, key=lambda bar: bar.value)
        assert row.reason == f"{biggest.label} ({biggest.text})"
    assert listed.intro == f"All {len(churn.X):,} customers, highest chance to leave first."
    assert find_jargon(" ".join([listed.intro, *(r.reason for r in listed.rows)])) == []


def test_the_list_says_what_it_holds(churn):
    listed = customer_list(churn, high_risk_query(churn))
    n_high = int((churn.outputs >= 0.5).sum())
    assert listed.intro == f"{n_high:,} of your {len(churn.X):,} customers, highest chance to leave first."
    assert listed.filters == ("Chance to leave at least 50%",)
    top = customer_list(churn, ListQuery(top=30, sort="tenure", descending=False))
    assert top.intro == (
        f"30 of your {len(churn.X):,} customers (among the 30 with the highest chance to leave), "
        "by months as a customer, lowest first."
    )


def test_a_list_longer_than_a_spreadsheet_takes_downloads_its_first_rows_and_says_so(churn, monkeypatch):
    from explain.export import table as table_module

    monkeypatch.setattr(table_module, "DOWNLOAD_ROWS", 50)
    table, note = list_table(churn, ListQuery())
    assert len(table) == 50
    assert note == (
        f"The table holds the first 50 of the {len(churn.X):,} customers in the list, as many as a spreadsheet "
        "opens quickly. Your data team can write every one with plainsight batch."
    )


def test_the_list_downloads_as_csv_and_a_formatted_workbook(gappy):
    query = ListQuery(filters=(Filter("region", "is", "south"),))
    table, note = list_table(gappy, query)
    assert note is None and len(table) == len(select(gappy, query))
    head = "Chance to get a yes (%)"  # no card, no target in the data: neutral words, never "the outcome 1"
    assert list(table.columns[:2]) == ["Account", head]
    back = pd.read_csv(io.BytesIO(to_csv_bytes(table)), encoding="utf-8-sig", dtype={"Account": str})
    assert back["Account"].tolist() == table["Account"].tolist()

    hostile = table.copy()
    hostile.loc[0, "Account"] = '=HYPERLINK("http://x")'
    book = load_workbook(io.BytesIO(to_xlsx_bytes(hostile, title="Gappy: south", formats=table_formats(gappy))))
    sheet = book.active
    assert sheet["A1"].value == "Gappy: south" and sheet["A1"].font.bold
    assert [c.value for c in sheet[3]][:2] == ["Account", head] and sheet["B3"].font.bold
    assert sheet["A4"].value == '\'=HYPERLINK("http://x")' and sheet["A4"].data_type == "s"  # never a formula
    assert sheet["B4"].value == pytest.approx(table[head].iloc[0]) and sheet["B4"].number_format == '0.0"%"'
    assert (
        sheet.freeze_panes == "B4"
        and sheet.auto_filter.ref == f"A3:{sheet.cell(3, sheet.max_column).column_letter}{3 + len(table)}"
    )
    assert sheet.max_row == 3 + len(table)
