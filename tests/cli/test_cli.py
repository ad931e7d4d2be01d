"""The ``plainsight`` CLI, run as a real process: its JSON, its text, and one plain line on any problem."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from explain.analyses.agreement import POOR_FIT
from explain.bundle import load_bundle
from explain.words.numbers import say_output


def plainsight(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "explain", *args], capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def demo_ids(demo_dir):
    return pd.read_csv(demo_dir / "churn-demo" / "data.csv", dtype={"customerID": str})["customerID"]


def test_explain_json_adds_up_and_matches_the_model(demo_dir, demo_ids):
    row_id = demo_ids[7]
    done = plainsight("explain", str(demo_dir / "churn-demo"), "--row", row_id, "--format", "json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)

    assert set(out) == {"row", "prediction", "baseline", "unit", "method", "exact", "contributions", "never_seen"}
    assert out["exact"] is True and out["never_seen"] == []
    assert out["row"] == row_id and out["unit"] == "points" and out["method"] == "xgboost-tree-exact"
    bundle = load_bundle(demo_dir / "churn-demo", trusted=[demo_dir])
    own = bundle.model.predict_proba(bundle.X.iloc[[7]])[0, 1] * 100
    assert out["prediction"] == pytest.approx(own, abs=1e-4)
    total = out["baseline"] + sum(c["contribution"] for c in out["contributions"])
    assert total == pytest.approx(out["prediction"], abs=0.01)
    contract = next(c for c in out["contributions"] if c["feature"] == "Contract")
    assert contract["label"] == "Contract type"
    assert contract["value"] == bundle.X.iloc[7]["Contract"]
    assert {c["feature"] for c in out["contributions"]} == set(bundle.features)


def test_explain_by_position_when_there_is_no_id_column(tmp_path, demo_dir):
    folder = tmp_path / "noid"
    folder.mkdir()
    (folder / "model.joblib").write_bytes((demo_dir / "churn-demo-linear" / "model.joblib").read_bytes())
    frame = pd.read_csv(demo_dir / "churn-demo-linear" / "data.csv").drop(columns=["customerID"])
    frame.to_csv(folder / "data.csv", index=False)

    done = plainsight("explain", str(folder), "--row", "3", "--format", "json")

    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["row"] == "3" and out["method"] == "linear-exact"
    # Without a card, the target column is unknown, but the model's own columns are still the only ones used.
    assert "Churn" not in {c["feature"] for c in out["contributions"]}


def test_explain_text_reads_in_raw_values(demo_dir, demo_ids):
    done = plainsight("explain", str(demo_dir / "churn-demo"), "--row", demo_ids[0])
    assert done.returncode == 0, done.stderr
    assert f"customer {demo_ids[0]}:" in done.stdout
    assert "chance to leave" in done.stdout
    assert "Months as a customer:" in done.stdout and " months" in done.stdout


def test_importance_json_is_sorted_and_in_points(demo_dir):
    done = plainsight("importance", str(demo_dir / "churn-demo"), "--format", "json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["unit"] == "points"
    values = [f["importance"] for f in out["features"]]
    assert values == sorted(values, reverse=True) and np.all(np.array(values) >= 0)
    assert out["features"][0]["label"] == "Contract type"


def test_check_summarises_a_good_bundle(demo_dir):
    done = plainsight("check", str(demo_dir / "churn-demo"))
    assert done.returncode == 0
    assert "churn-demo: OK" in done.stdout and "1,500 customers" in done.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "/no/such/folder"], "There is no model folder at /no/such/folder."),
        (["explain", "{demo}/churn-demo", "--row", "NOPE"], "There is no customer with id 'NOPE'"),
        (["check", "{broken}"], "card.yaml is not valid YAML on line 2"),
        (["check", "{empty}"], "has no model file"),
    ],
)
def test_problems_exit_2_with_one_plain_line(tmp_path, demo_dir, args, message):
    broken = tmp_path / "broken"
    broken.mkdir()
    for f in ("model.joblib", "data.csv"):
        (broken / f).write_bytes((demo_dir / "churn-demo" / f).read_bytes())
    (broken / "card.yaml").write_text("title: [oops\n", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    args = [a.format(demo=demo_dir, broken=broken, empty=tmp_path / "empty") for a in args]

    done = plainsight(*args)

    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("plainsight: ")
    assert message in lines[0]
    assert "Traceback" not in done.stderr


def test_explain_with_lime_gives_the_same_shape_plus_fidelity(demo_dir, demo_ids):
    args = ["explain", str(demo_dir / "churn-demo"), "--row", demo_ids[4], "--method", "lime", "--format", "json"]
    first, second = plainsight(*args), plainsight(*args)
    assert first.returncode == 0, first.stderr
    out = json.loads(first.stdout)

    assert set(out) == {"row", "prediction", "baseline", "unit", "method", "exact", "contributions", "never_seen",
                        "fidelity", "local_prediction"}  # fmt: skip
    assert out["method"] == "lime" and 0 <= out["fidelity"] <= 1
    assert out == json.loads(second.stdout)  # seeded: the same request gives the same answer
    total = out["baseline"] + sum(c["contribution"] for c in out["contributions"])
    assert total == pytest.approx(out["local_prediction"], abs=1e-6)
    bundle = load_bundle(demo_dir / "churn-demo", trusted=[demo_dir])
    assert out["prediction"] == pytest.approx(bundle.model.predict_proba(bundle.X.iloc[[4]])[0, 1] * 100, abs=1e-4)


def test_explain_lime_text_never_calls_its_intercept_typical(demo_dir, demo_ids):
    folder = str(demo_dir / "churn-demo")
    text = plainsight("explain", folder, "--row", demo_ids[4], "--method", "lime")
    data = plainsight("explain", folder, "--row", demo_ids[4], "--method", "lime", "--format", "json")
    assert text.returncode == 0, text.stderr
    out = json.loads(data.stdout)

    # LIME's intercept is where its local line starts (here far from a typical customer's chance), so it is
    # named for what it is, beside the fit's own estimate that its weights add up to.
    assert "typical" not in text.stdout.lower()
    output = load_bundle(demo_dir / "churn-demo", trusted=[demo_dir]).output
    lines = text.stdout.splitlines()
    assert f"local fit intercept (where LIME's straight line starts): {say_output(out['baseline'], output)}" in lines
    assert f"local fit estimate (intercept + weights): {say_output(out['local_prediction'], output)}" in lines
    fidelity = next(line for line in lines if line.startswith("fidelity"))
    assert fidelity.startswith(f"fidelity (local fit R², 0-1): {out['fidelity']:.2f}, ")
    assert ("below" in fidelity) == (out["fidelity"] < POOR_FIT)
    # The exact reasons still start from the typical customer.
    assert "typical customer: " in plainsight("explain", folder, "--row", demo_ids[4]).stdout


def test_explain_a_what_if_row(demo_dir, demo_ids):
    folder = str(demo_dir / "churn-demo")
    done = plainsight("explain", folder, "--row", demo_ids[2], "--set", "Contract=Two year", "--set", "tenure=48",
                      "--format", "json")  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    bundle = load_bundle(demo_dir / "churn-demo", trusted=[demo_dir])
    changed = bundle.X.iloc[[2]].assign(Contract="Two year", tenure=48.0)
    assert out["row"] == demo_ids[2]
    assert out["prediction"] == pytest.approx(bundle.model.predict_proba(changed)[0, 1] * 100, abs=1e-4)
    assert {c["feature"]: c["value"] for c in out["contributions"]}["Contract"] == "Two year"
    assert out["baseline"] + sum(c["contribution"] for c in out["contributions"]) == pytest.approx(
        out["prediction"], abs=0.01
    )

    bad = plainsight("explain", folder, "--row", demo_ids[2], "--set", "Colour=red")
    assert bad.returncode == 2 and "There is no column 'Colour' in this model" in bad.stderr


def test_suggest_json_is_checked_by_the_model(demo_dir):
    bundle = load_bundle(demo_dir / "churn-demo", trusted=[demo_dir])
    row = int(bundle.predict(bundle.X).argmax())
    done = plainsight("suggest", str(demo_dir / "churn-demo"), "--row", bundle.ids[row], "--target", "30",
                      "--format", "json")  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["target"] == 30 and out["suggestions"]
    for s in out["suggestions"]:
        changed = bundle.X.iloc[[row]].assign(**s["changes"])
        assert bundle.model.predict_proba(changed)[0, 1] * 100 == pytest.approx(s["prediction"], abs=1e-4)
        assert s["prediction"] <= 30
        assert not {"tenure", "SeniorCitizen"} & set(s["changes"])


def test_coefficients_json_is_per_raw_unit(demo_dir):
    done = plainsight("coefficients", str(demo_dir / "churn-demo-linear"), "--format", "json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    bundle = load_bundle(demo_dir / "churn-demo-linear", trusted=[demo_dir])
    scaler = bundle.model.named_steps["prepare"].named_transformers_["num"].named_steps["scale"]
    coef = bundle.model.named_steps["model"].coef_[0]
    rows = {(f["feature"], f["term"]): f for f in out["features"]}
    tenure = rows[("tenure", "tenure")]
    assert {"feature", "term", "coefficient", "odds_ratio", "per"} <= set(tenure)
    assert tenure["coefficient"] == pytest.approx(coef[0] / scaler.scale_[0], rel=1e-9)
    assert tenure["odds_ratio"] == pytest.approx(np.exp(coef[0] / scaler.scale_[0]), rel=1e-9)
    assert tenure["per"] == "1 month"
    assert rows[("Contract", "Two year")]["per"] == "Two year instead of Month-to-month"
    assert out["space"] == "log-odds"


def test_coefficients_of_a_tree_model_is_one_plain_line(demo_dir):
    done = plainsight("coefficients", str(demo_dir / "churn-demo"))
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "not a straight-line model" in done.stderr


def test_outcome_picks_the_class_of_a_multiclass_model(tmp_path):
    from tests.app.conftest import plan_model
    from tests.conftest import write_bundle

    model, frame = plan_model()
    write_bundle(tmp_path / "plans", model, frame, {"target": "plan"})
    done = plainsight("explain", str(tmp_path / "plans"), "--row", "0", "--outcome", "plus", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["prediction"] == pytest.approx(model.predict_proba(frame.iloc[[0]])[0, 1] * 100)
    wrong = plainsight("explain", str(tmp_path / "plans"), "--row", "0", "--outcome", "gold")
    assert wrong.returncode == 2 and "no outcome 'gold'" in wrong.stderr


def test_quality_json_equals_scikit_learn(demo_dir):
    from sklearn.metrics import f1_score, roc_auc_score

    done = plainsight("quality", str(demo_dir / "churn-demo"), "--format", "json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    bundle = load_bundle(demo_dir / "churn-demo", trusted=[demo_dir])
    chance = bundle.predict(bundle.X)
    truth = bundle.data["Churn"].to_numpy()
    assert out["roc_auc"] == pytest.approx(roc_auc_score(truth, chance), rel=1e-12)
    assert out["f1"] == pytest.approx(f1_score(truth, chance >= 0.5), rel=1e-12)
    assert out["reference_is_training"] is True
    text = plainsight("quality", str(demo_dir / "churn-demo"))
    assert "Of every 100 customers it flags" in text.stdout


def test_quality_without_a_target_is_one_plain_line(tmp_path, demo_dir):
    import shutil

    shutil.copytree(demo_dir / "churn-demo", tmp_path / "no-target")
    (tmp_path / "no-target" / "card.yaml").write_text("title: No target\nid_column: customerID\n", encoding="utf-8")
    data = pd.read_csv(tmp_path / "no-target" / "data.csv", dtype={"customerID": str})
    data.drop(columns="Churn").to_csv(tmp_path / "no-target" / "data.csv", index=False)  # else it is found
    done = plainsight("quality", str(tmp_path / "no-target"))
    assert done.returncode == 2 and "cannot be checked" in done.stderr


def test_export_writes_each_format_by_its_extension(demo_dir, demo_ids, tmp_path):
    import shutil

    from PIL import Image
    from pptx import Presentation
    from pypdf import PdfReader

    if shutil.which("chromium") is None:
        pytest.skip("needs Chromium: apt-get install chromium")
    row = demo_ids[3]
    png = plainsight("export", str(demo_dir / "churn-demo"), "--row", row, "--to", str(tmp_path / "c.png"))
    assert png.returncode == 0, png.stderr
    with Image.open(tmp_path / "c.png") as picture:
        assert picture.size == (1920, 1080)

    pdf = plainsight(
        "export", str(demo_dir / "churn-demo"), "--top", "3", "--row", row, "--to", str(tmp_path / "c.pdf")
    )
    assert pdf.returncode == 0, pdf.stderr
    reader = PdfReader(tmp_path / "c.pdf")
    first = reader.pages[0].extract_text()
    assert f"Customer {row}" in first and "Chance to leave" in first
    assert len(reader.pages) >= 4  # the asked customer and the top 3, a page (or more) each

    deck = plainsight("export", str(demo_dir / "churn-demo"), "--to", str(tmp_path / "overview.pptx"))
    assert deck.returncode == 0, deck.stderr
    texts = [s.text_frame.text for s in Presentation(tmp_path / "overview.pptx").slides[0].shapes if s.has_text_frame]
    assert any("Customer churn risk" in t for t in texts)


def test_export_problems_are_one_plain_line(demo_dir, tmp_path):
    wrong = plainsight("export", str(demo_dir / "churn-demo"), "--to", str(tmp_path / "c.docx"))
    assert wrong.returncode == 2 and "--to must end in .png, .pdf, .pptx or .csv" in wrong.stderr
    several = plainsight("export", str(demo_dir / "churn-demo"), "--top", "2", "--to", str(tmp_path / "c.png"))
    assert several.returncode == 2 and "use .pdf or .pptx for several" in several.stderr


def test_export_csv_is_every_customer_with_their_reasons(demo_dir, tmp_path):
    done = plainsight("export", str(demo_dir / "churn-demo"), "--to", str(tmp_path / "all.csv"))
    assert done.returncode == 0, done.stderr
    table = pd.read_csv(tmp_path / "all.csv", encoding="utf-8-sig", dtype={"Customer ID": str})
    bundle = load_bundle(demo_dir / "churn-demo", trusted=[demo_dir])
    assert len(table) == len(bundle.X) and table["Customer ID"].tolist() == bundle.ids


def test_warm_keeps_every_row_s_explanation_so_the_next_command_reads_it(demo_dir, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("PLAINSIGHT_CACHE_DIR", str(cache))
    bundles = [str(demo_dir / "churn-demo"), str(demo_dir / "spend-demo")]
    first = plainsight("warm", *bundles)
    assert first.returncode == 0, first.stderr
    lines = first.stdout.splitlines()
    assert lines[0].startswith("churn-demo: every row's output and explanation (1,500 rows) worked out in ")
    assert lines[1].startswith("spend-demo: every row's output and explanation (1,500 rows) worked out in ")
    assert lines[2] == f"kept in {cache}"
    assert len(list(cache.glob("population-*.npz"))) == 2 and len(list(cache.glob("outputs-*.npz"))) == 2
    again = plainsight("warm", *bundles)
    assert [line.split(" (")[0] for line in again.stdout.splitlines()[:2]] == [
        "churn-demo: already kept",
        "spend-demo: already kept",
    ]
    # What `importance` prints is the same from the cache as when worked out afresh.
    kept = plainsight("importance", bundles[0], "--format", "json")
    monkeypatch.setenv("PLAINSIGHT_CACHE_DIR", "off")
    fresh = plainsight("importance", bundles[0], "--format", "json")
    assert kept.returncode == fresh.returncode == 0 and json.loads(kept.stdout) == json.loads(fresh.stdout)
    off = plainsight("warm", bundles[0])
    assert off.returncode == 0
    assert off.stdout.strip() == "The cache is off (PLAINSIGHT_CACHE_DIR=off): nothing was kept."


def test_explain_flags_a_category_the_model_never_saw(demo_dir, demo_ids):
    folder = str(demo_dir / "churn-demo")
    text = plainsight("explain", folder, "--row", demo_ids[2], "--set", "PaymentMethod=Bitcoin")
    as_json = plainsight("explain", folder, "--row", demo_ids[2], "--set", "PaymentMethod=Bitcoin", "--format", "json")

    assert text.returncode == 0, text.stderr
    assert "note: Payment method is Bitcoin, which the model never saw" in text.stdout
    assert json.loads(as_json.stdout)["never_seen"] == ["PaymentMethod"]
