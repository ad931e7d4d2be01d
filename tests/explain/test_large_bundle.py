"""A bundle with more rows than a whole-population view explains: what drives the model comes from a seeded
sample (the same rows every time, said wherever it shows), while counts, averages, the list and the quality
figures use every row. The row limit is lowered for these tests (a few thousand rows, not a million)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
import textstat

from explain.analyses import quality
from explain.bundle import load_bundle
from explain.methods import explain_population, explain_shap, population_explanation, reasons
from explain.methods import saved as saved_module
from explain.methods.explanation import Sample
from explain.methods.reasons import POPULATION_ROWS, population_rows, sample_rows
from explain.reports import Settings, model_report, overview_report
from explain.reports.customers import customer_list, high_risk_query
from explain.words.plain_words import find_jargon
from models.build_demo import make_customers

ROWS, LIMIT = 3000, 400


def write_large(root: Path, demo_dir: Path, name: str = "churn-large", rows: int = ROWS, seed: int = 3) -> Path:
    """The demo's churn model and card over ``rows`` generated customers, in data.parquet (ids unique)."""
    folder = root / name
    folder.mkdir(parents=True)
    for part in ("model.joblib", "card.yaml"):
        shutil.copy(demo_dir / "churn-demo" / part, folder)
    data = make_customers(rows, seed=seed)
    data["customerID"] = [f"{i:05d}-L" for i in range(rows)]
    data.to_parquet(folder / "data.parquet", index=False)
    return folder


@pytest.fixture
def large(tmp_path, demo_dir, monkeypatch):
    """A 3,000-row bundle, with the row limit lowered to 400 and a cache folder of its own."""
    monkeypatch.setenv("PLAINSIGHT_POPULATION_ROWS", str(LIMIT))
    monkeypatch.setenv("PLAINSIGHT_CACHE_DIR", str(tmp_path / "cache"))
    folder = write_large(tmp_path / "models", demo_dir)
    return load_bundle(folder, trusted=[tmp_path / "models"])


def test_a_large_bundle_explains_a_seeded_sample_exactly_the_same_rows_every_time(large):
    first = explain_population(large)
    again = explain_population(large)

    assert first.provenance.sample == Sample(rows=LIMIT, of=ROWS, seed=reasons.SEED)
    assert first.provenance.exact  # the exact method is kept; only the rows are fewer
    expected_rows = sample_rows(ROWS, LIMIT)
    assert first.row_ids == [large.ids[i] for i in expected_rows] == again.row_ids
    np.testing.assert_array_equal(first.values, again.values)
    # each sampled row is explained exactly as it is on its own, and adds up to the model's own output
    alone = explain_shap(large, expected_rows[:20])
    np.testing.assert_allclose(first.values[:20], alone.values, atol=1e-9)
    np.testing.assert_allclose(first.prediction, large.outputs[expected_rows] * large.output.scale, atol=1e-6)


def test_a_bundle_within_the_limit_explains_every_row(large):
    whole = explain_population(large, max_rows=ROWS)
    assert whole.provenance.sample is None and len(whole) == ROWS


def test_the_limit_comes_from_the_environment_and_a_bad_value_is_not_used(monkeypatch):
    monkeypatch.setenv("PLAINSIGHT_POPULATION_ROWS", "1234")
    assert population_rows() == 1234
    for bad in ("lots", "0", "-5"):
        monkeypatch.setenv("PLAINSIGHT_POPULATION_ROWS", bad)
        assert population_rows() == POPULATION_ROWS
    monkeypatch.delenv("PLAINSIGHT_POPULATION_ROWS")
    assert population_rows() == POPULATION_ROWS


def test_the_sample_is_kept_on_disk_under_its_limit(large, tmp_path, monkeypatch):
    worked_out = population_explanation(large)
    assert len(list((tmp_path / "cache").glob(f"population-{LIMIT}-*.npz"))) == 1

    def no_work(*args, **kwargs):
        raise AssertionError("worked out again")

    with monkeypatch.context() as patch:
        patch.setattr(saved_module, "explain_population", no_work)
        kept = population_explanation(large)
    assert kept.provenance.sample == worked_out.provenance.sample and kept.row_ids == worked_out.row_ids
    np.testing.assert_array_equal(kept.values, worked_out.values)
    # another limit is another entry: never the old sample
    monkeypatch.setenv("PLAINSIGHT_POPULATION_ROWS", str(ROWS))
    assert population_explanation(large).provenance.sample is None


def test_the_overview_counts_every_row_and_says_where_the_drivers_come_from(large):
    report = overview_report(large, Settings())
    chances = large.outputs
    assert report.n_rows == ROWS
    assert dict((f.label, f.value) for f in report.facts)["Customers"] == f"{ROWS:,}"
    assert report.risk is not None and report.risk.n_high == int((chances >= 0.5).sum())
    assert report.risk.mean_chance == pytest.approx(float(chances.mean()))
    assert report.sample_note == (
        f"You have {ROWS:,} customers, too many to go through one by one. So what drives the model was worked out "
        f"from {LIMIT} of them, picked at random. The counts and the list use every one of them."
    )
    assert textstat.flesch_kincaid_grade(report.sample_note) <= 8 and find_jargon(report.sample_note) == []
    assert f"for a sample of {LIMIT} of your {ROWS:,} customers" in report.made.plain
    assert any(f"seeded sample of {LIMIT} of {ROWS}" in line for line in report.analyst)


def test_the_model_page_says_its_charts_come_from_the_sample(large):
    report = model_report(large, Settings())
    assert report.sample_note is not None and f"from {LIMIT} of them, picked at random" in report.sample_note
    # the dots each chart draws are at most a few hundred, whatever the size of the data
    assert all(len(fact.chart.points) <= 600 for fact in report.facts)


def test_the_list_and_the_at_risk_count_cover_every_row(large):
    everyone = customer_list(large)
    assert (everyone.total, everyone.of) == (ROWS, ROWS)
    at_risk = customer_list(large, high_risk_query(large))
    assert at_risk.total == int((large.outputs >= 0.5).sum())
    riskiest = large.ids[int(np.argmax(large.outputs))]
    assert everyone.rows[0].row_id == riskiest
    # a customer is found by id at once, wherever they are in the data
    assert large.position(large.ids[ROWS - 1]) == ROWS - 1


def test_quality_uses_every_row_and_its_curves_stay_small(large, monkeypatch):
    monkeypatch.setattr(quality, "MAX_CURVE_POINTS", 50)
    q = quality.model_quality(large)
    assert isinstance(q, quality.ClassifierQuality) and q.n_rows == ROWS
    assert q.roc_fpr is not None and len(q.roc_fpr) <= 50 and len(q.pr_recall) <= 50
    assert (q.roc_fpr[0], q.roc_fpr[-1], q.roc_tpr[-1]) == (0.0, 1.0, 1.0)  # the curve's ends are kept
    from sklearn.metrics import roc_auc_score

    y = (large.data["Churn"] == 1).to_numpy()
    assert q.roc_auc == pytest.approx(roc_auc_score(y, large.outputs), abs=1e-12)  # the area from every row


def test_quality_is_kept_on_disk(large, monkeypatch):
    first = quality.model_quality(large)

    def no_work(bundle):
        raise AssertionError("worked out again")

    monkeypatch.setattr(quality, "_worked_out", no_work)
    again = quality.model_quality(load_bundle(large.path, trusted=[large.path.parent]))
    assert isinstance(again, quality.ClassifierQuality) and isinstance(first, quality.ClassifierQuality)
    assert (again.n_rows, again.roc_auc, again.f1, again.positive_class) == (
        first.n_rows,
        first.roc_auc,
        first.f1,
        first.positive_class,
    )
    np.testing.assert_array_equal(again.confusion, first.confusion)
    np.testing.assert_array_equal(again.calibration_observed, first.calibration_observed)


def test_one_row_is_explained_without_encoding_every_row(large, monkeypatch):
    encoded_rows: list[int] = []
    preprocessing = large.parts.preprocessor
    transform = preprocessing.transform

    def counting(X):
        encoded_rows.append(len(X))
        return transform(X)

    monkeypatch.setattr(preprocessing, "transform", counting)
    explain_shap(large, [ROWS - 1])
    assert max(encoded_rows, default=0) < 10  # never the whole data (a million rows took 9 s and a gigabyte)


def test_every_rows_output_is_the_same_scored_in_chunks(large, monkeypatch, tmp_path):
    monkeypatch.setenv("PLAINSIGHT_CACHE_DIR", "off")
    from explain.bundle import bundle as bundle_module

    monkeypatch.setattr(bundle_module, "PREDICT_CHUNK", 700)  # five chunks, the last one short
    chunked = load_bundle(large.path, trusted=[large.path.parent]).outputs
    np.testing.assert_array_equal(chunked, large.predict(large.X))
