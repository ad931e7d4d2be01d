"""``plainsight drift``, in-process: the demo's later month as text and JSON, another file with --data, and one plain
line (exit 2, no traceback) for a bad file or a bundle without newer data."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from explain.bundle import load_bundle
from explain.cli import main
from explain.reports.drift import drift_report
from explain.reports.serialize import to_text
from explain.upload.current import load_current


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["drift", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture(scope="module")
def demo_report(demo_dir):
    bundle = load_bundle(demo_dir / "churn-demo", trusted=[demo_dir])
    current, source = load_current(bundle)
    return drift_report(bundle, current, source=source)


def test_text_tells_the_same_story_as_the_report(capsys, demo_dir, demo_report):
    code, out, err = _run(capsys, str(demo_dir / "churn-demo"))

    assert code == 0, err
    assert out.rstrip("\n") == to_text(demo_report)
    assert out.startswith("What changed: Customer churn risk\nNewer data: current.csv\n")
    for sentence in demo_report.headline:
        assert sentence in out
    assert "fibre internet" in out and "Digital wallet" in out
    assert "How this was made (analyst)" not in out and "PSI" not in out


def test_json_holds_the_figures_and_the_analyst_measures(capsys, demo_dir, demo_report):
    code, out, err = _run(capsys, str(demo_dir / "churn-demo"), "--format", "json", "--audience", "analyst")

    assert code == 0, err
    data = json.loads(out)
    assert data["story"] == "drift" and data["source"] == "current.csv"
    assert data["headline"] == list(demo_report.headline)
    later = pd.read_csv(demo_dir / "churn-demo" / "current.csv")
    assert data["current_rows"] == len(later)
    table = data["table"]
    rows = {row[0]: dict(zip(table["columns"], row, strict=True)) for row in table["rows"]}
    assert rows["InternetService"]["test"] == "chi-square" and rows["MonthlyCharges"]["test"] == "ks"
    assert rows["PaymentMethod"]["new values"] == "Digital wallet"
    assert {c["column"] for c in data["changes"]} == {
        c for c, r in rows.items() if r["level"] != "steady" or r["new values"]
    }
    quality = {row[0]: row for row in data["quality_table"]["rows"]}
    assert quality["Rows checked"][2] == f"{len(later):,}"


def test_data_names_another_file(capsys, demo_dir, tmp_path):
    same = tmp_path / "same.parquet"
    pd.read_csv(demo_dir / "churn-demo" / "data.csv", dtype={"customerID": str}).to_parquet(same, index=False)

    code, out, err = _run(capsys, str(demo_dir / "churn-demo"), "--data", str(same))

    assert code == 0, err
    assert "Newer data: same.parquet" in out
    assert "Nothing about them changed enough to matter." in out


def test_a_bad_file_is_one_plain_line(capsys, demo_dir, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("name,colour\nAda,blue\n", encoding="utf-8")

    code, out, err = _run(capsys, str(demo_dir / "churn-demo"), "--data", str(bad))

    assert code == 2 and out == ""
    assert err.startswith("plainsight: bad.csv could not be compared with the model's data: None of the columns")
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_no_newer_data_and_a_missing_file_are_plain(capsys, demo_dir, tmp_path):
    code, _, err = _run(capsys, str(demo_dir / "spend-demo"))
    assert code == 2
    assert err.strip() == (
        "plainsight: spend-demo has no newer data to compare with. Put a current.csv or current.parquet file with "
        "the same columns beside its data file, or name one with --data."
    )
    code, _, err = _run(capsys, str(demo_dir / "churn-demo"), "--data", str(tmp_path / "nowhere.csv"))
    assert code == 2 and err.strip() == f"plainsight: There is no file {tmp_path / 'nowhere.csv'}."
