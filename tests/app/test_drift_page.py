"""The What changed page through AppTest: the demo's later month in plain words, the analyst's measures, and a plain
message for a bundle without newer data (with a card or without one)."""

from __future__ import annotations

import numpy as np
import pytest

from explain.bundle import load_bundle
from explain.reports import Settings
from explain.reports.drift import drift_report
from explain.upload.current import load_current
from explain.words.plain_words import find_jargon
from tests.app.test_pages import _app, _text

PAGE = "views/drift.py"


def _page(model: str, *, analyst: bool = False):
    at = _app({"model": model}, analyst=analyst)
    at.switch_page(PAGE).run()
    assert not at.exception
    return at


@pytest.fixture
def demo_report(models_env):
    bundle = load_bundle(models_env / "churn-demo", trusted=[models_env])
    current, source = load_current(bundle)
    return drift_report(bundle, current, Settings(), source=source)


def test_the_demo_later_month_is_told_in_plain_words(demo_report):
    at = _page("churn-demo")

    text = _text(at)
    assert at.title[0].value == "What changed"
    for sentence in (*demo_report.headline, *demo_report.chance, *demo_report.drivers):
        assert sentence in text
    for change in demo_report.changes:
        assert all(sentence in text for sentence in change.sentences)
    assert "fibre internet" in text and "Digital wallet" in text
    assert any(w.value.replace("\\", "").startswith(demo_report.warning[0]) for w in at.warning)
    assert [(f.label, f.value) for f in demo_report.facts] == [(m.label, m.value.replace("\\", "")) for m in at.metric]
    assert demo_report.facts[2].label.startswith("Average chance to leave (was ")  # the value stays short
    assert find_jargon(text) == [], find_jargon(text)
    assert "PSI" not in text and "Analyst detail" not in [e.label for e in at.expander]


def test_the_analyst_sees_the_measures(demo_report):
    at = _page("churn-demo", analyst=True)

    assert "Analyst detail" in [e.label for e in at.expander]
    tables = [frame.value for frame in at.dataframe]
    measures = next(t for t in tables if "PSI" in t.columns)
    assert set(measures["column"]) == set(row[0] for row in demo_report.table.rows)
    assert {"test", "statistic", "p-value", "level"} <= set(measures.columns)
    assert any("earlier mean |SHAP| (points)" in t.columns for t in tables)
    assert any(list(t.columns) == ["metric", "earlier", "newer"] for t in tables)
    assert "population stability index" in _text(at)


def test_a_bundle_without_newer_data_says_how_to_give_some(models_env):
    at = _page("spend-demo")

    info = " ".join(i.value for i in at.info).replace("\\", "")
    assert "There is no newer data to compare yet" in info and "current.csv" in info
    assert at.get("file_uploader")
    assert find_jargon(_text(at)) == []


def test_a_card_less_bundle_gets_the_message_and_a_regressor_its_unit(other_models, tmp_path):
    at = _page("knn_model")
    assert "There is no newer data to compare yet" in " ".join(i.value for i in at.info).replace("\\", "")
    assert "customer" not in _text(at).lower()

    _, _, frame = other_models
    later = frame.assign(visits=frame["visits"] + 10, spend=np.round(40 * (frame["visits"] + 10), 2))
    later.to_csv(tmp_path / "spend" / "current.csv", index=False)
    at = _page("spend")
    text = _text(at)
    assert "The typical store visits rose from" in text
    assert "Its estimates are off by about $" in text
    assert find_jargon(text) == [], find_jargon(text)


def test_a_group_picked_elsewhere_still_compares_everyone(demo_report):
    at = _app({"model": "churn-demo", "group": "Contract~is~Month-to-month"})
    at.switch_page(PAGE).run()
    assert not at.exception
    text = _text(at)
    assert "This page compares all customers, not only the group you picked." in text
    assert demo_report.headline[0] in text  # the same story as for everyone


def test_the_export_page_puts_what_changed_into_a_pdf_and_its_measures_into_a_table(models_env):
    import shutil

    from tests.app.test_pages import _app

    if shutil.which("chromium") is None:
        pytest.skip("needs Chromium: apt-get install chromium")
    at = _app()
    at.switch_page("views/export.py").run()
    assert "What changed" in at.radio(key="export_what").options
    at.radio(key="export_what").set_value("What changed").run()
    at.radio(key="export_format").set_value(".pdf").run()
    at.button(key="export_build").click().run()
    assert not at.exception
    assert any("what-changed.pdf" in s.value.replace("\\", "") for s in at.success)
    at.radio(key="export_format").set_value(".csv").run()
    at.button(key="export_build").click().run()
    assert any("what-changed.csv" in s.value.replace("\\", "") for s in at.success)


def test_without_newer_data_the_export_page_does_not_offer_what_changed(models_env):
    from tests.app.test_pages import _app

    at = _app({"model": "spend-demo"})
    at.switch_page("views/export.py").run()
    assert not at.exception
    radio = at.get("radio")
    assert all("What changed" not in r.options for r in radio)
