"""``plainsight segment``: the group story in text and JSON, the same figures as the engine's report, and one plain
line for a filter it cannot use."""

from __future__ import annotations

import json

import pytest

from explain.cli import main

MONTHLY_NEW = "Contract == 'Month-to-month' and tenure < 12"


def _run(capsys, *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out = capsys.readouterr()
    return status, out.out, out.err


def test_json_holds_the_groups_figures_beside_everyones(demo_dir, capsys):
    from explain.analyses.segments import narrow, where
    from explain.bundle import load_bundle
    from explain.reports.segment import segment_report

    status, out, err = _run(capsys, "segment", str(demo_dir / "churn-demo"), "--where", MONTHLY_NEW, "--format", "json")
    assert status == 0, err
    data = json.loads(out)
    bundle = load_bundle(demo_dir / "churn-demo", trusted=[demo_dir])
    report = segment_report(narrow(bundle, where(bundle, MONTHLY_NEW)))
    assert data["story"] == "segment"
    assert data["segment"]["filters"] == [
        {"column": "Contract", "op": "is", "value": "Month-to-month"},
        {"column": "tenure", "op": "under", "value": "12"},
    ]
    assert data["intro"] == report.intro and data["headline"] == list(report.headline)
    assert data["side_by_side"]["rows"] == [list(row) for row in report.side_by_side.rows]
    assert data["drivers"] == list(report.drivers)
    assert "comparison" not in data  # the numbers behind it stay out; the table and sentences say them


def test_text_names_the_cards_group_and_the_analyst_gets_quality(demo_dir, capsys):
    status, out, err = _run(
        capsys, "segment", str(demo_dir / "churn-demo"), "--group", "fibre customers", "--audience", "analyst"
    )
    assert status == 0, err
    assert out.startswith("Customer churn risk: Fibre customers\n")
    assert "Fibre customers (Internet service is Fiber optic): " in out
    assert "This group" in out and "All customers" in out
    assert "How good the model is in this group (analyst)" in out and "ROC-AUC" in out


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--where", "Contract = 'x'"], "could not be read as a filter"),
        (["--where", "Colour == 'red'"], "There is no column 'Colour'"),
        (["--where", "Contract == 'Monthly'"], "'Contract' never holds 'Monthly'"),
        (["--where", "tenure > 100000"], "No customers are in this group"),
        (["--group", "Gold"], "The model card names no group 'Gold'"),
        ([], "Name the group with --where"),
        (["--where", "tenure < 3", "--group", "Fibre customers"], "one of the two"),
    ],
)
def test_problems_are_one_plain_line(demo_dir, capsys, args, said):
    status, out, err = _run(capsys, "segment", str(demo_dir / "churn-demo"), *args)
    assert status == 2 and out == ""
    assert err.startswith("plainsight: ") and said in err and err.count("\n") == 1
