"""``plainsight batch``: every row's figures, equal to ``plainsight explain``'s; a real Dask LocalCluster writes the
same parts; bad rows go to the side file by line; a rerun skips finished parts."""

from __future__ import annotations

import json
import sys

import numpy as np
import pandas as pd
import pytest

from explain.batch import part as part_module
from explain.batch import run_batch
from explain.bundle import load_bundle
from explain.cli import main
from explain.words.numbers import format_chance


def batch(capsys, *args: str) -> tuple[int, str, str]:
    status = main(["batch", *args])
    out, err = capsys.readouterr()
    return status, out, err


def explain_json(capsys, bundle_dir, row_id: str) -> dict:
    assert main(["explain", str(bundle_dir), "--row", row_id, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture(scope="module")
def demo_run(demo_dir, tmp_path_factory):
    """The demo's own data through ``plainsight batch`` in parts of 400 rows, in this process."""
    out = tmp_path_factory.mktemp("batch") / "out"
    status = main(
        ["batch", str(demo_dir / "churn-demo"), "--data", str(demo_dir / "churn-demo" / "data.csv"),
         "--out", str(out), "--chunk-rows", "400"]
    )  # fmt: skip
    assert status == 0
    return out


def test_every_row_is_written_with_the_figures_explain_gives(capsys, demo_dir, demo_run):
    table = pd.read_parquet(demo_run)
    data = pd.read_csv(demo_dir / "churn-demo" / "data.csv", dtype={"customerID": str})
    assert len(list(demo_run.glob("part-*.parquet"))) == 4  # 1,500 rows in parts of 400
    assert table["id"].tolist() == data["customerID"].tolist()  # every row, in the file's order
    for position in np.random.default_rng(3).choice(len(data), 6, replace=False):
        row = table.iloc[position]
        told = explain_json(capsys, demo_dir / "churn-demo", row["id"])
        assert row["prediction"] == pytest.approx(told["prediction"], abs=1e-9)
        assert row["value_at_risk"] == pytest.approx(told["prediction"] / 100 * 1200, abs=1e-9)  # the card's $1,200
        for k, reason in enumerate(told["contributions"][:3], start=1):
            assert row[f"reason_{k}_column"] == reason["feature"]
            assert row[f"reason_{k}_label"] == reason["label"]
            assert row[f"reason_{k}_value"] == (None if reason["value"] is None else str(reason["value"]))
            assert row[f"reason_{k}_contribution"] == pytest.approx(reason["contribution"], abs=1e-9)
        chance, typical = format_chance(told["prediction"] / 100), format_chance(told["baseline"] / 100)
        assert row["summary"].startswith(f"This customer has a{'n' if chance[0] == '8' else ''} {chance} chance")
        assert f"typical customer's {typical}" in row["summary"] or "the same as a typical" in row["summary"]


def test_the_summary_names_the_reason_that_moves_the_row_its_way(demo_run, demo_dir):
    bundle = load_bundle(demo_dir / "churn-demo", trusted=[demo_dir])
    table = pd.read_parquet(demo_run)
    higher = table[table["summary"].str.contains("more than a typical")].iloc[0]
    lower = table[table["summary"].str.contains("less than a typical")].iloc[0]
    for row, pick in ((higher, max), (lower, min)):
        contributions = [row[f"reason_{k}_contribution"] for k in (1, 2, 3)]
        top = pick(range(3), key=lambda k: contributions[k])
        column = row[f"reason_{top + 1}_column"]
        phrase = bundle.card.feature(column).phrase(bundle.X.iloc[bundle.position(row["id"])][column])
        assert (phrase or bundle.card.label(column).lower()) in row["summary"]
    meta = json.loads(
        __import__("pyarrow.parquet").parquet.read_schema(next(demo_run.glob("*.parquet"))).metadata[b"plainsight"]
    )
    assert meta["method"] == "xgboost-tree-exact" and meta["exact"] is True and meta["unit"] == "points"


def test_a_local_dask_cluster_writes_the_same_parts(capsys, demo_dir, demo_run, tmp_path):
    pytest.importorskip("dask.distributed")
    out = tmp_path / "dask"
    status, said, err = batch(
        capsys, str(demo_dir / "churn-demo"), "--data", str(demo_dir / "churn-demo" / "data.csv"), "--out", str(out),
        "--chunk-rows", "400", "--workers", "2",
    )  # fmt: skip
    assert status == 0, err
    assert "explained 1,500 rows into 4 part(s)" in said
    for name in sorted(p.name for p in demo_run.glob("part-*.parquet")):
        pd.testing.assert_frame_equal(pd.read_parquet(out / name), pd.read_parquet(demo_run / name))


def test_bad_rows_go_to_the_side_file_by_line_never_a_crash(capsys, demo_dir, tmp_path):
    lines = (demo_dir / "churn-demo" / "data.csv").read_text().splitlines()[:41]  # the header and 40 rows
    header = lines[0].split(",")
    bad_number = lines[4].split(",")
    bad_number[header.index("MonthlyCharges")] = "lots"
    lines[4] = ",".join(bad_number)  # line 5
    lines[8] += ",one too many"  # line 9
    infinite = lines[11].split(",")
    infinite[header.index("tenure")] = "inf"
    lines[11] = ",".join(infinite)  # line 12
    lines.insert(20, "")  # a blank line: skipped, and the lines after it keep their numbers
    source = tmp_path / "daily.csv"
    source.write_text("\n".join(lines) + "\n")
    out = tmp_path / "out"

    status, said, err = batch(capsys, str(demo_dir / "churn-demo"), "--data", str(source), "--out", str(out))

    assert status == 0, err
    assert "left out 3 row(s)" in said and "_rejected.csv" in said
    rejected = pd.read_csv(out / "_rejected.csv", dtype={"id": str})
    assert rejected["line"].tolist() == [5, 9, 12]
    ids = [line.split(",")[header.index("customerID")] for line in (lines[4], lines[8], lines[11])]
    assert rejected["id"].tolist() == ids
    assert "MonthlyCharges" in rejected["problem"][0] and "'lots'" in rejected["problem"][0]
    assert "more values" in rejected["problem"][1]
    assert "tenure" in rejected["problem"][2] and "infinite" in rejected["problem"][2]
    written = pd.read_parquet(out)
    assert len(written) == 37 and not set(ids) & set(written["id"])


def test_a_folder_of_parquet_parts_with_a_bad_row(capsys, demo_dir, tmp_path):
    data = pd.read_csv(demo_dir / "churn-demo" / "data.csv", dtype={"customerID": str})
    folder = tmp_path / "in"
    folder.mkdir()
    first, second = data.iloc[:30].copy(), data.iloc[30:50].copy()
    second["MonthlyCharges"] = second["MonthlyCharges"].astype(str)  # a text column, as some exports write it
    second.iloc[3, second.columns.get_loc("MonthlyCharges")] = "n/a please"  # row 4 of the second file
    first.to_parquet(folder / "a.parquet")
    second.to_parquet(folder / "b.parquet")

    status, said, err = batch(capsys, str(demo_dir / "churn-demo"), "--data", str(folder), "--out", str(tmp_path / "o"))

    assert status == 0, err
    rejected = pd.read_csv(tmp_path / "o" / "_rejected.csv", dtype={"id": str})
    assert rejected[["file", "line", "id"]].values.tolist() == [["b.parquet", 4, second["customerID"].iloc[3]]]
    assert "row 4" in rejected["problem"][0]
    assert len(pd.read_parquet(tmp_path / "o")) == 49


def test_a_rerun_after_an_interruption_skips_finished_parts(demo_dir, tmp_path, monkeypatch):
    bundle = load_bundle(demo_dir / "churn-demo", trusted=[demo_dir])
    data, out = demo_dir / "churn-demo" / "data.csv", tmp_path / "out"
    real = part_module.run_part
    calls: list[int] = []

    def interrupted(bundle, task, out, top, checked=None):
        if task.part == 2:
            raise KeyboardInterrupt  # the operator pressed Ctrl-C during the third part
        calls.append(task.part)
        return real(bundle, task, out, top, checked)

    monkeypatch.setattr("explain.batch.run.run_part", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run_batch(bundle, data, out, rows=500)
    assert sorted(p.name for p in out.glob("part-*.parquet")) == ["part-00000.parquet", "part-00001.parquet"]
    finished = {p.name: p.stat().st_mtime_ns for p in out.glob("part-*.parquet")}

    calls.clear()
    monkeypatch.setattr("explain.batch.run.run_part", lambda *a, **k: calls.append(a[1].part) or real(*a, **k))
    result = run_batch(bundle, data, out, rows=500)

    assert calls == [2] and result.skipped == 2 and result.rows == 500
    assert {n: (out / n).stat().st_mtime_ns for n in finished} == finished  # not written again
    assert len(pd.read_parquet(out)) == 1500
    with pytest.raises(Exception, match="holds the output of another run"):
        run_batch(bundle, data, out, rows=500, top=2)  # other options: never mixed into the same folder


def test_without_dask_the_option_says_how_to_install_it(capsys, demo_dir, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "dask.distributed", None)
    status, _, err = batch(
        capsys, str(demo_dir / "churn-demo"), "--data", str(demo_dir / "churn-demo" / "data.csv"),
        "--out", str(tmp_path / "o"), "--workers", "2",
    )  # fmt: skip
    assert status == 2
    assert "pip install -e '.[dask]'" in err and "Traceback" not in err


def test_a_file_without_the_model_columns_is_one_plain_line(capsys, demo_dir, tmp_path):
    source = tmp_path / "wrong.csv"
    source.write_text("a,b\n1,2\n")
    status, _, err = batch(capsys, str(demo_dir / "churn-demo"), "--data", str(source), "--out", str(tmp_path / "o"))
    assert status == 2
    assert err.startswith("plainsight: wrong.csv: None of the columns the model needs") and "Traceback" not in err


def test_a_value_the_model_never_saw_is_flagged_never_named_as_the_reason(capsys, demo_dir, tmp_path):
    data = pd.read_csv(demo_dir / "churn-demo" / "data.csv", dtype={"customerID": str}).iloc[:20].copy()
    data.loc[data.index[2], "Contract"] = "Ten year"  # a contract the model never saw
    source = tmp_path / "new.csv"
    data.to_csv(source, index=False)
    explained_upload = tmp_path / "bundle"  # the same model, with this file as its data, for `explain` to compare
    explained_upload.mkdir()
    for name in ("model.joblib", "card.yaml"):
        (explained_upload / name).write_bytes((demo_dir / "churn-demo" / name).read_bytes())
    data.to_csv(explained_upload / "data.csv", index=False)

    status, _, err = batch(capsys, str(demo_dir / "churn-demo"), "--data", str(source), "--out", str(tmp_path / "o"))

    assert status == 0, err
    table = pd.read_parquet(tmp_path / "o").set_index("id")
    row_id = data["customerID"].iloc[2]
    told = explain_json(capsys, explained_upload, row_id)
    assert told["never_seen"] == ["Contract"]
    assert table.loc[row_id, "never_seen"] == "Contract"
    assert "contract" not in table.loc[row_id, "summary"].lower()
    assert table["never_seen"].isna().sum() == 19


def test_a_running_cluster_is_used_by_its_scheduler_address(capsys, demo_dir, demo_run, tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, dashboard_address=None) as cluster:
        status, said, err = batch(
            capsys, str(demo_dir / "churn-demo"), "--data", str(demo_dir / "churn-demo" / "data.csv"),
            "--out", str(tmp_path / "o"), "--chunk-rows", "400", "--scheduler", cluster.scheduler_address,
        )  # fmt: skip
        assert status == 0, err
        assert len(cluster.scheduler.workers) == 1  # the cluster is still the caller's: it was not closed
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "o"), pd.read_parquet(demo_run))
    status, _, err = batch(
        capsys, str(demo_dir / "churn-demo"), "--data", str(demo_dir / "churn-demo" / "data.csv"),
        "--out", str(tmp_path / "p"), "--scheduler", "tcp://127.0.0.1:9",
    )  # fmt: skip
    assert status == 2 and err.startswith("plainsight: No Dask scheduler answered at tcp://127.0.0.1:9")
