"""What changed, told: known shifts injected into a copy of the demo data are named exactly, in words and numbers;
a seeded random split of the same data raises no alarm; newer outcomes that got worse say so; the sentences are
plain (no jargon, grade 8); and the newer file keeps its outcome column through the upload's checks."""

from __future__ import annotations

import io
import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest
import textstat

from explain.bundle import load_bundle
from explain.errors import NotAvailable
from explain.reports import Settings
from explain.reports.drift import DriftReport, drift_report
from explain.upload.current import current_file, read_current
from explain.words.numbers import format_chance
from explain.words.plain_words import find_jargon

MAX_GRADE = 8.0
# Words an analyst uses for this story that a stakeholder should never read, beyond the product's own list.
ANALYST_WORDS = ("drift", "distribution", "PSI", "stability", "Kolmogorov", "chi-square", "p-value", "SHAP", "column")
NEW_METHOD = "Crypto wallet"


@pytest.fixture(scope="module")
def churn(demo_dir):
    return load_bundle(demo_dir / "churn-demo", trusted=[demo_dir])


@pytest.fixture(scope="module")
def data(demo_dir) -> pd.DataFrame:
    return pd.read_csv(demo_dir / "churn-demo" / "data.csv", dtype={"customerID": str})


def _report(bundle, frame: pd.DataFrame, *, analyst: bool = False, parquet: bool = False) -> DriftReport:
    """The report for ``frame`` as a newer data file, read through the upload's checks."""
    out = io.BytesIO()
    if parquet:
        frame.to_parquet(out, index=False)
    else:
        frame.to_csv(out, index=False)
    current = read_current(out.getvalue(), "newer.parquet" if parquet else "newer.csv", bundle)
    assert current.ok, current.problems
    return drift_report(bundle, current, Settings(audience="analyst" if analyst else "stakeholder"), source="newer")


@pytest.fixture(scope="module")
def shifted(data) -> pd.DataFrame:
    """The demo data with three known shifts: half the customers move to fibre, every bill is $15 higher, and 90
    customers pay with a method the model never saw."""
    rng = np.random.default_rng(3)
    newer = data.copy()
    newer.loc[rng.random(len(newer)) < 0.5, "InternetService"] = "Fiber optic"
    newer["MonthlyCharges"] = newer["MonthlyCharges"] + 15.0
    newer.loc[newer.index[:90], "PaymentMethod"] = NEW_METHOD
    return newer


@pytest.fixture(scope="module")
def split(data) -> pd.DataFrame:
    rows = np.random.default_rng(11).permutation(len(data))[: len(data) // 2]
    return data.iloc[np.sort(rows)].reset_index(drop=True)


def test_injected_shifts_are_named_exactly_in_words_and_numbers(churn, data, shifted):
    report = _report(churn, shifted, analyst=True)

    assert {c.column for c in report.changes} == {"InternetService", "MonthlyCharges", "PaymentMethod"}
    said = {c.column: c.sentences for c in report.changes}
    fibre_before = (data["InternetService"] == "Fiber optic").mean()
    fibre_after = (shifted["InternetService"] == "Fiber optic").mean()
    assert said["InternetService"][0] == (
        f"{format_chance(fibre_after)} of customers now have fibre internet, up from {format_chance(fibre_before)}."
    )
    median = data["MonthlyCharges"].median()
    assert said["MonthlyCharges"] == (f"The typical monthly bill rose from ${median:.0f} to ${median + 15:.0f}.",)
    share = format_chance(90 / len(data))
    assert said["PaymentMethod"] == (
        f"90 newer customers ({share}) have a payment method the model never saw.",
        f"The new one is {NEW_METHOD}.",
    )
    assert report.headline[0] == (
        f"The {len(data):,} newer customers differ from the {len(data):,} earlier ones in 3 ways. "
        "What changed: monthly bill, payment method and internet service."
    )
    # the warning counts the rows with the new payment method or a bill above any the model saw
    unlike = int(((shifted.index < 90) | (shifted["MonthlyCharges"] > data["MonthlyCharges"].max())).sum())
    assert report.warning[0] == (
        f"{unlike:,} of the {len(data):,} newer customers ({format_chance(unlike / len(data))}) have values the model "
        "never saw when it learned."
    )
    assert report.headline[2] == report.warning[0]
    then = churn.predict(churn.X).mean()
    now = churn.predict(churn.as_model_takes(shifted[churn.features])).mean()
    verb = "rose" if now > then else "fell"
    assert report.chance[0] == f"The average chance to leave {verb} from {format_chance(then)} to {format_chance(now)}."
    # the analyst's numbers: only those three columns moved, each with a tiny p-value
    rows = {row[0]: dict(zip(report.table.columns, row, strict=True)) for row in report.table.rows}
    moved = {c for c, row in rows.items() if row["level"] != "steady" or row["new values"]}
    assert moved == {"InternetService", "MonthlyCharges", "PaymentMethod"}
    assert all(rows[c]["p-value"] < 1e-6 and rows[c]["PSI"] >= 0.1 for c in moved)
    assert rows["MonthlyCharges"]["test"] == "ks" and rows["InternetService"]["test"] == "chi-square"
    assert rows["PaymentMethod"]["new values"] == NEW_METHOD


def test_a_random_split_of_the_same_data_raises_no_alarm(churn, data, split):
    report = _report(churn, split)

    assert report.changes == () and report.warning == ()
    assert report.headline[0] == (
        f"The {len(split):,} newer customers look much like the {len(data):,} earlier ones. Nothing about them "
        "changed enough to matter."
    )
    assert not any("never saw" in line for line in report.headline)
    assert not any(row[-1] for row in report.drivers_table.rows)  # no driver moved
    assert report.drivers[0].startswith("What moves the chance to leave has not changed:")
    assert "The model does about as well as before." in report.quality
    assert report.facts[1].value == "0 of 8"


def test_worse_newer_outcomes_are_said_to_be_worse(churn, split):
    flipped = split.copy()
    turn = np.random.default_rng(5).random(len(flipped)) < 0.4
    flipped.loc[turn, "Churn"] = 1 - flipped.loc[turn, "Churn"]

    report = _report(churn, flipped, analyst=True)

    assert not isinstance(report.quality, NotAvailable)
    assert "The model does worse on the newer customers than on the earlier ones." in report.quality
    assert "The model does worse on the newer customers than on the earlier ones." in report.headline
    assert (
        report.quality[0]
        == f"We checked the model against what really happened to {len(split):,} of the newer customers."
    )
    table = {row[0]: row for row in report.quality_table.rows}
    assert float(table["ROC-AUC"][2]) < float(table["ROC-AUC"][1]) - 0.1
    assert float(table["Accuracy"][2]) < float(table["Accuracy"][1])


def test_without_the_outcome_the_quality_says_why(churn, split):
    report = _report(churn, split.drop(columns=["Churn"]))
    assert isinstance(report.quality, NotAvailable)
    assert "does not say what really happened (Churn is not in it). So" in report.quality.reason
    assert report.quality_table is None


def test_the_newer_file_keeps_its_outcome_row_for_row_when_bad_rows_are_left_out(churn, data):
    text = data.head(40).to_csv(index=False).splitlines()
    text[5] = text[5].replace(text[5].split(",")[1], "soon", 1)  # line 6: months as a customer is text
    current = read_current("\n".join(text).encode(), "newer.csv", churn)
    assert current.ok and len(current.frame) == 39
    assert any("line 6" in p.message for p in current.problems)
    kept = data.head(40).drop(index=4)["Churn"].astype(str).tolist()
    assert current.outcome.tolist() == kept
    assert not any("was not used" in note for note in current.notes)  # the outcome is not dropped with a note

    out = io.BytesIO()
    data.head(40).to_parquet(out, index=False)
    from_parquet = read_current(out.getvalue(), "newer.parquet", churn)
    assert from_parquet.outcome.tolist() == data.head(40)["Churn"].tolist()


def test_the_demo_bundle_holds_a_later_month(demo_dir, churn, data):
    path = current_file(demo_dir / "churn-demo")
    assert path is not None and path.name == "current.csv"
    later = pd.read_csv(path, dtype={"customerID": str})
    assert later["customerID"].is_unique and not set(later["customerID"]) & set(data["customerID"])
    report = _report(churn, later)
    assert {"InternetService", "MonthlyCharges", "PaymentMethod"} <= {c.column for c in report.changes}
    assert not isinstance(report.quality, NotAvailable)
    assert current_file(demo_dir / "spend-demo") is None


def _sentences(report: DriftReport) -> list[str]:
    """Every sentence the report says to a stakeholder."""
    quality = (report.quality.reason,) if isinstance(report.quality, NotAvailable) else report.quality
    lines = [*report.headline, *report.warning, *report.chance, *report.drivers, *quality]
    lines += [s for change in report.changes for s in change.sentences]
    lines += [fact.help for fact in report.facts] + [report.sample_note or "", report.made.plain]
    return [line for line in lines if line]


def _labels(report: DriftReport) -> list[str]:
    """The report's short texts that are not sentences: headings, figures' labels, the chart's words."""
    chart = report.drivers_chart
    return [report.drivers_heading, chart.axis, *chart.names, *(f"{b.label} {b.text}" for b in chart.first)] + [
        f"{fact.label} {fact.value}" for fact in report.facts
    ]


def _spend_shifted(demo_dir) -> tuple[object, pd.DataFrame]:
    spend = load_bundle(demo_dir / "spend-demo", trusted=[demo_dir])
    frame = pd.read_csv(demo_dir / "spend-demo" / "data.csv", dtype={"customerID": str})
    newer = frame.copy()
    newer["StoreVisits"] = newer["StoreVisits"] * 2
    newer.loc[newer.index[:50], "Region"] = "Moon"
    newer["YearlySpend"] = newer["YearlySpend"] * 1.5
    return spend, newer


def test_every_sentence_is_plain_and_grade_8(demo_dir, churn, shifted, split):
    spend, newer = _spend_shifted(demo_dir)
    flipped = split.assign(Churn=1 - split["Churn"])
    reports = [_report(churn, shifted), _report(churn, split), _report(churn, flipped), _report(spend, newer)]
    reports.append(_report(spend, newer.drop(columns=["YearlySpend"])))
    assert not isinstance(reports[3].quality, NotAvailable) and reports[3].changes
    assert isinstance(reports[4].quality, NotAvailable)
    for report in reports:
        for text in _sentences(report) + _labels(report):
            assert find_jargon(text) == [], text
            assert not [w for w in ANALYST_WORDS if w.lower() in text.lower()], text
        for text in _sentences(report):
            assert textstat.flesch_kincaid_grade(text) <= MAX_GRADE, text


@pytest.mark.skipif(
    shutil.which("chromium") is None or shutil.which("pdftotext") is None, reason="needs Chromium and pdftotext"
)
def test_a_pdf_of_the_slide_holds_the_headline(churn, shifted, tmp_path):
    from explain.export.drift_layout import drift_slide
    from explain.export.files import export_bytes
    from explain.export.render import render_png

    report = _report(churn, shifted)
    path = tmp_path / "what-changed.pdf"
    path.write_bytes(export_bytes([drift_slide(report, churn)], ".pdf", render_png))
    text = " ".join(
        subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout.split()
    )
    assert report.headline[0] in text
    assert report.changes[0].sentences[0] in text
    assert "How this was made" not in text  # the stakeholder's slide has no analyst section


def test_many_newer_rows_are_explained_from_a_seeded_sample_and_it_says_so(churn, shifted, monkeypatch):
    monkeypatch.setenv("PLAINSIGHT_POPULATION_ROWS", "400")
    report = _report(churn, shifted)
    assert report.sample_note == (
        f"There are {len(shifted):,} newer customers, too many to go through one by one. So what moves the model for "
        "them was worked out from 400 of them, picked at random. The counts and averages use every one."
    )
    assert textstat.flesch_kincaid_grade(report.sample_note) <= MAX_GRADE
    assert report.made.plain.endswith(f"for a sample of 400 of your {len(shifted):,} newer customers")
    assert report.facts[0].value == f"{len(shifted):,}"  # counts use every row
    assert _report(churn, shifted).drivers_table == report.drivers_table  # the same seed, the same rows
