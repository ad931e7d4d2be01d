"""The what-if page through AppTest: controls re-predict exactly as the model does; suggestions are checked."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.proto.Metric_pb2 import Metric as MetricProto
from streamlit.testing.v1 import AppTest

from explain.bundle import load_bundle
from explain.words.numbers import format_chance, format_with_unit
from explain.words.plain_words import find_jargon
from tests.app.test_pages import _text

APP = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")


@pytest.fixture
def demo(models_env):
    bundle = load_bundle(models_env / "churn-demo", trusted=[models_env])
    ids = pd.read_csv(models_env / "churn-demo" / "data.csv", dtype={"customerID": str})["customerID"]
    return bundle, ids


def _whatif(row_id: str, model: str = "churn-demo") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["model"] = model
    at.query_params["customer"] = row_id
    at.run()
    return at.switch_page("views/whatif.py").run()


def test_controls_re_predict_as_the_model_does(demo):
    bundle, ids = demo
    row = int(bundle.predict(bundle.X).argmax())
    row_id = ids[row]
    at = _whatif(row_id)
    assert not at.exception
    assert at.metric[0].value.replace("\\", "") == format_chance(bundle.predict(bundle.X.iloc[[row]])[0])
    assert "Nothing is changed yet" in _text(at)

    prefix = f"whatif:churn-demo:{row_id}:"
    at.selectbox(key=prefix + "Contract").set_value("Two year").run()
    at.slider(key=prefix + "SupportCalls").set_value(0).run()

    changed = bundle.X.iloc[[row]].assign(Contract="Two year", SupportCalls=0.0)
    expected = bundle.model.predict_proba(changed)[0, 1]
    assert not at.exception
    assert at.metric[0].value.replace("\\", "") == format_chance(expected)
    text = _text(at)
    assert "Changing to a two-year contract and support calls last year to 0 calls lowers the chance" in text
    assert find_jargon(text) == []


def test_values_outside_what_the_model_saw_are_flagged_and_reset_restores(demo):
    bundle, ids = demo
    at = _whatif(ids[0])
    prefix = f"whatif:churn-demo:{ids[0]}:"
    at.slider(key=prefix + "tenure").set_value(int(bundle.X["tenure"].max() + 10)).run()
    assert "Outside what the model has seen: Months as a customer" in _text(at)

    at.button(key=prefix + "reset").click().run()
    assert at.metric[0].value.replace("\\", "") == format_chance(bundle.predict(bundle.X.iloc[[0]])[0])
    assert at.slider(key=prefix + "tenure").value == int(bundle.X["tenure"].iloc[0])


def test_scenarios_are_saved_and_compared(demo):
    _, ids = demo
    at = _whatif(ids[1])
    prefix = f"whatif:churn-demo:{ids[1]}:"
    for name, contract in (("Yearly", "One year"), ("Two years", "Two year")):
        at.selectbox(key=prefix + "Contract").set_value(contract).run()
        at.text_input(key=prefix + "name").input(name).run()
        at.button(key=prefix + "save").click().run()
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["Scenario"]) == ["Now (real values)", "Yearly", "Two years"]
    assert "Contract type: Two year" in table["Changes"].iloc[2]


def test_what_would_it_take_lists_checked_changes_to_actionable_columns(demo):
    bundle, ids = demo
    row = int(bundle.predict(bundle.X).argmax())
    at = _whatif(ids[row])
    prefix = f"whatif:churn-demo:{ids[row]}:"
    at.slider(key=prefix + "target").set_value(30).run()
    at.button(key=prefix + "find").click().run()

    assert not at.exception
    lines = [m.value.replace("\\", "") for m in at.markdown if m.value.replace("\\", "").startswith("Changing ")]
    assert lines
    assert all("months as a customer" not in line and "senior citizen" not in line for line in lines)
    # "Try this" puts the first suggestion into the controls, and the page shows the model's answer for it.
    at.button(key=prefix + "try0").click().run()
    assert not at.exception
    chance = int(at.metric[0].value.replace("\\", "").rstrip("%").replace("under 1", "0"))
    assert chance <= 30


def test_what_if_works_for_a_regressor_and_a_card_less_model(other_models):
    forest, knn, frame = other_models
    for model, name in ((forest, "spend"), (knn, "knn_model")):
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params["model"] = name
        at.query_params["customer"] = "0"  # without a card's id column, a customer's id is their row
        at.run()
        at.switch_page("views/whatif.py").run()
        assert not at.exception
        at.slider(key=f"whatif:{name}:0:visits").set_value(29).run()
        assert not at.exception
        changed = frame.iloc[[0]].assign(visits=29.0)
        if name == "spend":
            assert at.metric[0].value.replace("\\", "") == format_with_unit(model.predict(changed)[0], "$")
        else:
            assert at.metric[0].value.replace("\\", "") == format_chance(model.predict_proba(changed)[0, 1])
        assert find_jargon(_text(at)) == []
        at.button(key=f"whatif:{name}:0:find").click().run()
        assert not at.exception


def test_a_try_it_link_opens_what_if_with_those_changes_applied_once(demo):
    bundle, ids = demo
    row = int(bundle.predict(bundle.X).argmax())
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"model": "churn-demo", "customer": ids[row], "try": "Contract~Two%20year|SupportCalls~0"})
    at.run()
    at.switch_page("views/whatif.py").run()
    assert not at.exception
    prefix = f"whatif:churn-demo:{ids[row]}:"
    changed = bundle.X.iloc[[row]].assign(Contract="Two year", SupportCalls=0.0)
    assert at.metric[0].value.replace("\\", "") == format_chance(bundle.predict(changed)[0])
    assert (
        at.selectbox(key=prefix + "Contract").value == "Two year" and at.slider(key=prefix + "SupportCalls").value == 0
    )
    # the reader's next move is kept: the link's changes are not applied again on the next run
    at.slider(key=prefix + "SupportCalls").set_value(3).run()
    assert (
        at.slider(key=prefix + "SupportCalls").value == 3 and at.selectbox(key=prefix + "Contract").value == "Two year"
    )
    # a fact the reader did not touch moves too, and the page says why
    assert "the model weighs the facts about a customer together" in _text(at)


def test_the_bars_keep_their_order_as_the_controls_move(demo):
    bundle, ids = demo
    at = _whatif(ids[5])
    order = list(json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]["y"])
    assert len(order) == len(bundle.features)
    prefix = f"whatif:churn-demo:{ids[5]}:"
    for value in ("Two year", "One year"):
        at.selectbox(key=prefix + "Contract").set_value(value).run()
        chart = json.loads(at.get("plotly_chart")[0].proto.spec)
        assert list(chart["data"][0]["y"]) == order and list(chart["data"][1]["y"]) == order


def test_a_yes_no_fact_gets_a_yes_no_control(tmp_path, monkeypatch):
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from tests.conftest import write_bundle

    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"has_app": rng.integers(0, 2, 300).astype(float), "visits": rng.integers(0, 20, 300) * 1.0})
    y = (frame["visits"] - 8 * frame["has_app"] + rng.normal(0, 2, 300) > 6).astype(int)
    model = LogisticRegression().fit(frame, y)
    write_bundle(tmp_path / "app_users", model, frame)
    monkeypatch.setenv("PLAINSIGHT_MODELS_DIR", str(tmp_path))
    at = _whatif("0", model="app_users")
    assert not at.exception
    control = at.selectbox(key="whatif:app_users:0:has_app")
    assert control.options == ["No", "Yes"] and control.value == ("Yes" if frame["has_app"][0] == 1 else "No")
    assert [s.label for s in at.slider if "app" in s.label.lower()] == []  # never a 0-1 slider
    flipped = "No" if control.value == "Yes" else "Yes"
    control.set_value(flipped).run()
    changed = frame.iloc[[0]].assign(has_app=1.0 if flipped == "Yes" else 0.0)
    assert at.metric[0].value.replace("\\", "") == format_chance(model.predict_proba(changed)[0, 1])


def test_a_value_not_recorded_says_so_and_the_model_sees_the_gap(tmp_path, monkeypatch):
    """A card-less bundle (a passenger list that still holds Survived): where Age is missing the control is an
    empty box that says "not recorded", never the typical age; a chance to survive is good news, so a higher
    chance shows as good (green), and the page never speaks of risk."""
    import numpy as np
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import Pipeline

    from tests.conftest import write_bundle

    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"Age": rng.integers(1, 80, 200).astype(float), "Fare": rng.gamma(2, 15, 200).round(2)})
    frame["Dust"] = rng.random(200) * 0.006  # a tiny-valued column: its slider must not read 0.00
    frame.loc[[0, 5, 9], "Age"] = np.nan
    survived = ((frame["Age"].fillna(40) < 30) ^ (rng.random(200) < 0.2)).astype(int)
    model = Pipeline([("i", SimpleImputer(strategy="median")), ("m", RandomForestClassifier(30, random_state=0))])
    write_bundle(tmp_path / "passengers", model.fit(frame, survived), frame.assign(Survived=survived))
    monkeypatch.setenv("PLAINSIGHT_MODELS_DIR", str(tmp_path))
    at = _whatif("0", model="passengers")
    assert not at.exception

    age = at.number_input(key="whatif:passengers:0:Age")
    assert age.value is None and age.proto.placeholder.startswith("not recorded")
    assert not [s for s in at.slider if s.label == "Age"]  # no slider sitting on a typical age
    dust = at.slider(key="whatif:passengers:0:Dust")
    assert dust.proto.format % dust.value == f"{frame['Dust'][0]:.5f}" != "0.00000"
    assert at.metric[0].label == "Chance to survive"
    assert at.metric[0].value.replace("\\", "") == format_chance(model.predict_proba(frame.iloc[[0]])[0, 1])

    age.set_value(70).run()
    assert not at.exception
    changed = frame.iloc[[0]].assign(Age=70.0)
    assert at.metric[0].value.replace("\\", "") == format_chance(model.predict_proba(changed)[0, 1])
    before, after = model.predict_proba(frame.iloc[[0]])[0, 1], model.predict_proba(changed)[0, 1]
    assert at.metric[0].delta and round(before, 2) != round(after, 2)
    # Higher is good news: green when the chance to survive goes up, red when it goes down (a risk is the inverse).
    assert at.metric[0].proto.color == (
        MetricProto.MetricColor.GREEN if after > before else MetricProto.MetricColor.RED
    )
    assert "risk" not in _text(at).lower()


def test_a_bare_model_on_categories_answers_what_if_and_an_untouched_slider_is_no_change(tmp_path, monkeypatch):
    """A bare LightGBM fitted on pandas categories, its data a CSV: a what-if row keeps the categories the model
    needs; a fare of 83.42 on a slider whose steps cannot hold it is the customer's own value, not a change."""
    import numpy as np

    lgb = pytest.importorskip("lightgbm")
    from tests.conftest import write_bundle

    rng = np.random.default_rng(4)
    frame = pd.DataFrame({"Sex": rng.choice(["male", "female"], 400), "Fare": rng.gamma(2, 15, 400).round(2) + 0.01})
    frame.loc[0, "Fare"] = 83.42
    y = ((frame["Sex"] == "female") ^ (rng.random(400) < 0.2)).astype(int)
    model = lgb.LGBMClassifier(n_estimators=20, verbose=-1).fit(frame.astype({"Sex": "category"}), y)
    write_bundle(tmp_path / "boat", model, frame)
    monkeypatch.setenv("PLAINSIGHT_MODELS_DIR", str(tmp_path))
    at = _whatif("0", model="boat")

    assert not at.exception
    assert any("Nothing is changed yet" in m.value for m in at.markdown)
    # The browser snaps the slider to its nearest step and sends that back: still the customer's own value.
    from explain.analyses.whatif import column_ranges_cached

    spec = column_ranges_cached(load_bundle(tmp_path / "boat", trusted=[tmp_path]))["Fare"]
    snapped = spec.control_low + round((83.42 - spec.control_low) / spec.step) * spec.step
    assert snapped != 83.42
    at.slider(key="whatif:boat:0:Fare").set_value(snapped).run()
    assert any("Nothing is changed yet" in m.value for m in at.markdown)
    other = "male" if frame["Sex"][0] == "female" else "female"
    at.selectbox(key="whatif:boat:0:Sex").set_value(other).run()
    assert not at.exception
    changed = frame.iloc[[0]].assign(Sex=other).astype({"Sex": pd.CategoricalDtype(sorted(frame["Sex"].unique()))})
    assert at.metric[0].value.replace("\\", "") == format_chance(model.predict_proba(changed)[0, 1])
