"""Every page through Streamlit's AppTest: what it shows, in both audiences, and the shareable deep link."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from explain.bundle import load_bundle
from explain.reports import Settings, customer_report
from explain.words.numbers import format_chance
from explain.words.plain_words import find_jargon

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")


def _app(query: dict[str, str] | None = None, analyst: bool = False) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    if analyst:
        at.query_params["audience"] = "analyst"
    return at.run()


def _text(at: AppTest) -> str:
    """Every word the page shows: text elements, metrics, widget labels and the charts' own words."""
    parts = [m.value for m in at.markdown] + [t.value for t in at.title] + [s.value for s in at.subheader]
    parts += [c.value for c in at.caption] + [f"{m.label} {m.value} {m.help or ''}" for m in at.metric]
    parts += [w.value for w in at.warning] + [e.value for e in at.error] + [i.value for i in at.info]
    parts += [w.label for w in [*at.selectbox, *at.radio, *at.slider, *at.number_input, *at.text_input]]
    parts += [link.proto.label for link in at.get("page_link")]
    parts += [e.label for e in at.expander] + _chart_text(at)
    return "\n".join(str(p) for p in parts).replace("\\", "")


def _chart_text(at: AppTest) -> list[str]:
    words = []
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        for trace in spec.get("data", []):
            words += [str(v) for key in ("y", "text", "name") for v in np.atleast_1d(trace.get(key, []))]
        layout = spec.get("layout", {})
        words += [str(layout.get("title", {}).get("text", ""))]
        words += [str(layout.get(axis, {}).get("title", {}).get("text", "")) for axis in ("xaxis", "yaxis")]
    return words


def _title(at: AppTest) -> str:
    return at.title[0].value.replace("\\", "")  # the page escapes text from data for Markdown


@pytest.fixture
def demo(models_env):
    bundle = load_bundle(models_env / "churn-demo", trusted=[models_env])
    ids = pd.read_csv(models_env / "churn-demo" / "data.csv", dtype={"customerID": str})["customerID"]
    return bundle, ids


def test_overview_is_the_default_page_and_speaks_plainly(demo):
    bundle, _ = demo
    at = _app()

    assert not at.exception
    text = _text(at)
    assert _title(at) == "Customer churn risk"
    n_high = int((bundle.model.predict_proba(bundle.X)[:, 1] >= 0.5).sum())
    assert any(
        m.label.startswith("At high risk") and m.value.replace("\\", "").startswith(f"{n_high:,} (") for m in at.metric
    )
    assert "What moves the chance to leave most is contract type" in text
    assert "Customers with a month-to-month contract are much more likely to leave." in text  # the card's phrase
    # it leads with the business answer; the high-risk count opens the list of those customers
    assert at.markdown[0].value.replace("\\", "").startswith("#### About $")
    assert f"See the {n_high:,} customers at high risk" in text
    assert at.sidebar.selectbox[0].value == "churn-demo"
    assert "model" not in at.query_params  # the default is not written: opening a page adds no history entry
    assert find_jargon(text) == []


def test_overview_for_the_analyst_says_how_points_were_made(demo):
    at = _app(analyst=True)
    assert not at.exception
    text = _text(at)
    assert "Analyst detail" in [e.label for e in at.expander][0]
    assert "log-odds" in text and "sigmoid" in text
    assert "xgboost" in text.lower()


def test_customer_deep_link_opens_that_customer(demo):
    bundle, ids = demo
    row_id = ids[11]
    at = _app({"model": "churn-demo", "customer": row_id})
    at.switch_page("views/customer.py").run()

    assert not at.exception
    assert _title(at) == f"Customer {row_id}"
    chance = bundle.model.predict_proba(bundle.X.iloc[[11]])[0, 1]
    assert at.metric[0].label == "Chance to leave" and at.metric[0].value.replace("\\", "") == format_chance(chance)
    text = _text(at)
    assert "customers like this one leave" in text
    assert "which adds" in text or "which takes off" in text
    # The second check as the engine says it (agreement, a poor fit or a direction it disputes), word for word.
    second_check = customer_report(bundle, 11, Settings(), suggestions=False).second_check
    assert second_check.startswith(("Two different checks", "The second check")) and second_check in text
    assert "in 100 customers like this one" in text  # the icon array's title
    assert find_jargon(text) == []


def test_picking_another_customer_updates_the_page_and_the_link(demo):
    bundle, ids = demo
    at = _app({"model": "churn-demo"})
    at.switch_page("views/customer.py").run()
    at.text_input(key="customer_search_churn-demo").set_value(ids[42].lower()).run()  # any case finds the id

    assert not at.exception
    assert _title(at) == f"Customer {ids[42]}"
    assert at.query_params["customer"] in (ids[42], [ids[42]])
    assert at.text_input(key="customer_search_churn-demo").value == ids[42]
    chance = bundle.model.predict_proba(bundle.X.iloc[[42]])[0, 1]
    assert at.metric[0].value.replace("\\", "") == format_chance(chance)


def test_part_of_an_id_lists_the_customers_most_at_risk_whose_ids_contain_it(demo):
    bundle, ids = demo
    at = _app({"model": "churn-demo", "customer": ids[3]})
    at.switch_page("views/customer.py").run()
    part = ids[42][:2]  # e.g. "70": many ids contain it
    at.text_input(key="customer_search_churn-demo").set_value(part).run()
    assert not at.exception
    assert _title(at) == f"Customer {ids[3]}"  # nothing changes until the reader picks one
    holding = [i for i, row_id in enumerate(bundle.ids) if part.casefold() in row_id.casefold()]
    riskiest = sorted(holding, key=lambda i: -bundle.outputs[i])[:8]
    caption = " ".join(c.value for c in at.caption)
    assert f"{len(holding):,} customers' ids contain '{part}'" in caption
    buttons = [b for b in at.main.button if b.key.startswith("customer_match_")]
    labels = [b.label.replace("\\", "") for b in buttons]
    assert labels == [f"{bundle.ids[i]} ({format_chance(bundle.outputs[i])})" for i in riskiest]
    buttons[1].click().run()
    assert _title(at) == f"Customer {bundle.ids[riskiest[1]]}"
    assert at.query_params["customer"] in (bundle.ids[riskiest[1]], [bundle.ids[riskiest[1]]])
    assert at.text_input(key="customer_search_churn-demo").value == bundle.ids[riskiest[1]]

    at.text_input(key="customer_search_churn-demo").set_value(part).run()

    at.text_input(key="customer_search_churn-demo").set_value("no such id").run()
    warning = " ".join(w.value for w in at.warning).replace("\\", "")
    assert f"No customer id contains 'no such id'; this page still shows {bundle.ids[riskiest[1]]}." in warning


def test_customer_analyst_view_shows_the_numbers_that_add_up(demo):
    _, ids = demo
    at = _app({"model": "churn-demo", "customer": ids[3]}, analyst=True)
    at.switch_page("views/customer.py").run()
    assert not at.exception
    frame = at.dataframe[0].value
    assert {"column", "label", "value", "SHAP (points)", "SHAP (log-odds)", "LIME (points)"} <= set(frame.columns)
    assert "Fidelity" in _text(at)
    assert len(frame) == 8


def test_unknown_customer_and_model_are_said_plainly(demo):
    bundle, ids = demo
    at = _app({"model": "churn-demo", "customer": "NOT-A-CUSTOMER"})
    at.switch_page("views/customer.py").run()
    assert not at.exception
    assert "There is no customer with id 'NOT-A-CUSTOMER'" in _text(at)
    riskiest = ids[int(np.argmax(bundle.model.predict_proba(bundle.X)[:, 1]))]
    assert _title(at) == f"Customer {riskiest}"  # the page opens on the customer most at risk instead

    at = _app({"model": "no-such-model"})
    assert not at.exception
    assert "There is no model called 'no-such-model'" in _text(at)


def test_the_linear_model_can_be_picked(demo):
    at = _app({"model": "churn-demo-linear"})
    assert not at.exception
    assert _title(at) == "Customer churn risk (simple model)"
    at.sidebar.selectbox[0].set_value("churn-demo").run()
    assert _title(at) == "Customer churn risk"


def test_no_models_found_is_a_message_not_a_crash(tmp_path, monkeypatch):
    monkeypatch.setenv("PLAINSIGHT_MODELS_DIR", str(tmp_path))
    at = _app()
    assert not at.exception
    assert "No models found" in _text(at)


def test_a_regressor_speaks_in_its_unit_on_both_pages(other_models):
    forest, _, frame = other_models
    at = _app({"model": "spend"})
    assert not at.exception
    assert _title(at) == "Yearly spend"
    text = _text(at)
    assert "the model expects a spend of $" in text and "What moves the expected spend most is store visits" in text

    at.switch_page("views/customer.py").run()
    assert not at.exception
    expected = forest.predict(frame).max()  # the page opens on the customer with the highest amount
    assert (
        at.metric[0].label == "Expected spend" and at.metric[0].value.replace("\\", "") == f"${expected:,.0f}"
    )  # whole dollars
    assert find_jargon(_text(at)) == []


def test_a_card_less_model_has_plain_stakeholder_pages(other_models):
    for page in (None, "views/customer.py"):
        at = _app({"model": "knn_model"})
        if page:
            at.switch_page(page).run()
        assert not at.exception
        text = _text(at)
        assert find_jargon(text) == [], text
        assert "Knn model" in text or "Case 0" in text  # no card: the neutral "case", never "customer"
        assert "customer" not in text.lower()  # the sidebar too: "Case", "Your cases"


def test_a_model_without_an_exact_method_still_explains_in_plain_words(other_models):
    _, knn, frame = other_models
    at = _app({"model": "knn_model"}, analyst=True)
    assert not at.exception
    assert _title(at) == "Knn model"
    assert "permutation sampling" in _text(at)
    at.switch_page("views/customer.py").run()
    assert not at.exception
    assert at.metric[0].value.replace("\\", "") == format_chance(knn.predict_proba(frame.iloc[[0]])[0, 1])


def test_export_page_builds_a_picture_and_the_pages_offer_downloads(models_env):
    import shutil

    at = _app()
    assert [b.label for b in at.get("download_button")] == ["Slide picture (PNG)", "PDF summary", "PowerPoint (PPTX)"]
    at.switch_page("views/export.py").run()
    assert not at.exception
    if shutil.which("chromium") is not None:
        assert at.radio(key="export_what").value == "The overview"  # no customer in view
    if shutil.which("chromium") is None:
        assert "need Chrome or Chromium" in _text(at)
        return
    at.radio(key="export_what").set_value("One customer").run()
    at.radio(key="export_format").set_value(".png").run()
    at.button(key="export_build").click().run()
    assert not at.exception
    assert any(".png" in s.value.replace("\\", "") for s in at.success)
    assert at.get("download_button")[-1].label == "Download Slide picture (PNG)"
    assert find_jargon(_text(at)) == []


def test_without_a_browser_the_pages_still_work_and_say_how_to_get_one(models_env, monkeypatch):
    monkeypatch.setattr("shutil.which", lambda name: None)
    monkeypatch.setattr("explain.export.render._kaleido_has_chrome", lambda: False)
    at = _app()
    assert not at.exception
    assert "need Chrome or Chromium" in _text(at)
    assert not at.get("download_button")
    at.switch_page("views/export.py").run()
    assert not at.exception and "apt-get install chromium" in _text(at)


def test_upload_page_without_a_file_says_what_it_takes(models_env):
    at = _app()
    at.switch_page("views/upload.py").run()
    assert not at.exception
    text = _text(at)
    assert "Explain your own customers" in text and "No file yet" in text
    assert "tenure, Contract, MonthlyCharges" in text  # the columns the file needs
    assert find_jargon(text) == []


def test_export_opened_with_a_customer_in_view_exports_that_customer(demo, monkeypatch):
    import shutil

    if shutil.which("chromium") is None:
        pytest.skip("the export page's choices need Chrome or Chromium")
    _, ids = demo
    at = _app({"model": "churn-demo", "customer": ids[9]})
    at.switch_page("views/export.py").run()
    assert not at.exception
    assert at.radio(key="export_what").value == "One customer"
    assert at.text_input(key="customer_search_churn-demo").value == ids[9]


def test_charts_have_no_toolbar(demo):
    at = _app({"model": "churn-demo"})
    charts = at.get("plotly_chart")
    assert charts and all(json.loads(c.proto.config)["displayModeBar"] is False for c in charts)
