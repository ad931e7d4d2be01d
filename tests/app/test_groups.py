"""Pages narrowed to a group, through AppTest: the link keeps the group, the sidebar picks it, the list makes one,
the overview sets it beside everyone, and a customer's own story does not change with it."""

from __future__ import annotations

import pandas as pd
import pytest

from explain.analyses.segments import named, narrow
from explain.bundle import load_bundle
from explain.reports.segment import segment_report
from explain.words.plain_words import find_jargon
from tests.app.test_pages import _app, _text

FIBRE = "Fibre customers"


def _value(at, name: str) -> str | None:
    value = at.query_params.get(name)
    return value[0] if isinstance(value, list) else value


@pytest.fixture
def demo(models_env):
    return load_bundle(models_env / "churn-demo", trusted=[models_env])


def test_a_group_in_the_link_narrows_the_overview_and_sets_it_beside_everyone(demo):
    at = _app({"group": FIBRE})
    assert not at.exception
    report = segment_report(narrow(demo, named(demo, FIBRE)))
    text = _text(at)
    n = report.comparison.group.n_rows
    assert f"This page shows one group, Fibre customers: {n:,} of your {len(demo.ids):,} customers." in text
    assert report.intro in text and report.headline[0] in text and report.drivers[0] in text
    table = next(m.value.replace("\\", "") for m in at.markdown if m.value.startswith("| "))
    lines = table.splitlines()
    assert lines[0] == "|  | This group | All customers |"
    assert lines[2] == f"| Customers | {n:,} | {len(demo.ids):,} |"
    assert len(lines) == 2 + len(report.side_by_side.rows)
    # the group's own overview counts the group's customers
    assert any(m.label == "Customers" and m.value == f"{n:,}" for m in at.metric)
    assert at.sidebar.selectbox(key="group_picker").value == FIBRE
    # every link in the sidebar keeps the group
    assert all("group=Fibre+customers" in link.proto.query_string for link in at.sidebar.get("page_link"))
    assert find_jargon(text) == []


def test_the_sidebar_picks_a_group_and_show_everyone_takes_it_away(demo):
    at = _app()
    assert not at.exception
    picker = at.sidebar.selectbox(key="group_picker")
    assert picker.value == "" and picker.options[0] == "Everyone"  # shown as Everyone, never the placeholder
    at.sidebar.selectbox(key="group_picker").set_value(FIBRE).run()
    assert _value(at, "group") == FIBRE
    assert "This page shows one group, Fibre customers" in _text(at)
    at.button(key="group_clear").click().run()
    assert _value(at, "group") is None
    assert "This page shows one group" not in _text(at)


def test_the_lists_filters_become_the_group_every_page_shows(demo):
    at = _app({"where": "Contract~is~Month-to-month|tenure~under~12"})
    at.switch_page("views/customers.py").run()
    assert not at.exception
    at.button(key="list_to_group").click().run()
    assert _value(at, "where") is None
    assert _value(at, "group") == "Contract~is~Month-to-month|tenure~under~12"
    expected = int(((demo.X["Contract"] == "Month-to-month") & (demo.X["tenure"] < 12)).sum())
    assert f"All {expected:,} customers" in _text(at)  # the list is the group's
    at.switch_page("views/overview.py").run()
    text = _text(at)
    assert (
        "This page shows one group, Contract type is Month-to-month and Months as a customer under 12 months: "
        f"{expected:,} of your {len(demo.ids):,} customers." in text
    )
    # the hand-made group is offered in the sidebar beside the card's
    options = at.sidebar.selectbox(key="group_picker").options
    assert options[0] == "Everyone" and options[-1].startswith("Contract type is Month-to-month")


def test_a_group_the_model_does_not_know_is_said_and_everyone_is_shown(demo):
    at = _app({"group": "Gold customers"})
    assert not at.exception
    warnings = [w.value.replace("\\", "") for w in at.sidebar.warning]
    assert "This model has no group called 'Gold customers'. Showing everyone instead." in warnings
    assert "This page shows one group" not in _text(at)
    at = _app({"group": "tenure~over~100000"})
    assert "No customers are in this group: no row meets every condition. Showing everyone instead." in [
        w.value.replace("\\", "") for w in at.sidebar.warning
    ]


def test_a_customers_story_is_the_same_whatever_group_is_in_view(demo, models_env):
    ids = pd.read_csv(models_env / "churn-demo" / "data.csv", dtype={"customerID": str})["customerID"]
    outside = next(i for i, value in enumerate(demo.X["InternetService"]) if value != "Fiber optic")
    plain = _app({"customer": ids[outside]})
    plain.switch_page("views/customer.py").run()
    grouped = _app({"customer": ids[outside], "group": FIBRE})
    grouped.switch_page("views/customer.py").run()
    assert not grouped.exception
    assert [m.value for m in grouped.metric] == [m.value for m in plain.metric]
    assert [m.value for m in grouped.markdown] == [m.value for m in plain.markdown]


def test_the_analyst_sees_the_groups_quality_or_that_it_is_too_small(demo):
    at = _app({"group": FIBRE}, analyst=True)
    assert not at.exception
    quality = at.dataframe[0].value
    assert list(quality.columns) == ["metric", "This group", "All customers"]
    assert quality.iloc[0].tolist()[0] == "Rows checked"
    at = _app({"group": "SupportCalls~at least~6|Contract~is~Two year"}, analyst=True)
    assert not at.exception
    assert any("too small to judge" in i.value for i in at.info)


def test_how_the_model_works_for_a_tiny_group_does_not_judge_its_quality(demo):
    at = _app({"group": "SupportCalls~at least~6|Contract~is~Two year"})
    at.switch_page("views/model.py").run()
    assert not at.exception
    said = " ".join(i.value.replace("\\", "") for i in at.info)
    assert "This group is too small to judge how good the model is in it" in said
