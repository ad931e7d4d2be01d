"""The audit trail: JSON lines with only ids, whole under many threads, rotated by size, and written by the pages."""

from __future__ import annotations

import json
import threading

import pytest

from ui import audit


@pytest.fixture
def trail(tmp_path, monkeypatch):
    path = tmp_path / "audit" / "audit.jsonl"
    monkeypatch.setenv(audit.AUDIT_FILE_ENV, str(path))
    return path


def _lines(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_an_event_is_one_json_line_with_only_the_known_fields(trail):
    audit.record("open", "alice@acme.com", model="churn-demo", page="customer", customer="8030-TERHH",
                 chance="97%", reason="Contract type")  # fmt: skip
    (line,) = _lines(trail)
    assert list(line) == ["time", "event", "user", "model", "page", "customer"]  # no chance, no reason: ids only
    assert line["event"] == "open" and line["user"] == "alice@acme.com" and line["customer"] == "8030-TERHH"
    assert line["time"].endswith("Z") and line["time"][10] == "T"


def test_lines_stay_whole_when_many_sessions_write_at_once(trail):
    def write(n: int) -> None:
        for i in range(50):
            audit.record("open", f"user{n}@acme.com", model="churn-demo", customer=f"{n}-{i}")

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    lines = _lines(trail)
    assert len(lines) == 400
    assert {(line["user"], line["customer"]) for line in lines} == {
        (f"user{n}@acme.com", f"{n}-{i}") for n in range(8) for i in range(50)
    }


def test_the_trail_rotates_by_size_and_keeps_five_old_files(trail, monkeypatch):
    monkeypatch.setenv(audit.AUDIT_BYTES_ENV, "2000")
    for i in range(200):
        audit.record("export", "local", model="churn-demo", export="overview", format=".pdf", customer=str(i))
    files = sorted(p.name for p in trail.parent.iterdir())
    assert files == ["audit.jsonl", *(f"audit.jsonl.{n}" for n in range(1, 6))]
    assert all(p.stat().st_size <= 2000 for p in trail.parent.iterdir())
    assert _lines(trail)[-1]["customer"] == "199"  # the newest line is in the current file


def test_the_pages_write_who_opened_which_model_and_customer_once_per_look(trail, models_env):
    import pandas as pd

    from tests.app.test_pages import _app

    ids = pd.read_csv(models_env / "churn-demo" / "data.csv", dtype={"customerID": str})["customerID"]
    at = _app({"group": "Fibre customers", "customer": ids[5]})
    at.run()  # the same view again: not a new look
    at.switch_page("views/customer.py").run()
    assert not at.exception
    lines = _lines(trail)
    assert [(line["event"], line["page"]) for line in lines] == [("open", "overview"), ("open", "customer")]
    assert lines[0] == {**lines[0], "user": "local", "model": "churn-demo", "group": "Fibre customers"}
    assert lines[1]["customer"] == ids[5]
    assert all(set(line) <= {"time", "event", "user", *audit.FIELDS} for line in lines)


def test_without_sign_in_the_sidebar_says_anyone_here_sees_every_model(models_env):
    from tests.app.test_pages import _app

    at = _app()
    assert not at.exception
    captions = [c.value for c in at.sidebar.caption]
    assert "Sign-in is off: anyone who can open this address sees every model. The README says how to turn it on." in [
        c.replace("\\", "") for c in captions
    ]
    assert not [b for b in at.sidebar.button if b.label == "Sign out"]


def test_with_sign_in_set_up_nothing_shows_before_it(models_env):
    from streamlit.testing.v1 import AppTest

    from tests.app.test_pages import APP

    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x"}
    at.run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Sign in"]
    assert [t.value for t in at.title] == ["Plainsight"]
    assert not at.sidebar.selectbox and not at.get("page_link") and not at.metric


def test_which_models_a_signed_in_reader_sees(monkeypatch, tmp_path):
    from ui import signin

    names = ["churn-demo", "spend-demo"]
    monkeypatch.setattr(signin, "configured", lambda: True)
    monkeypatch.setattr(signin, "signed_in_email", lambda: "bob@acme.com")
    monkeypatch.delenv("PLAINSIGHT_ACCESS_FILE", raising=False)
    assert signin.allowed_models(names) == names  # sign-in without an access file: every model
    rules = tmp_path / "access.yaml"
    rules.write_text("models: {spend-demo: ['@acme.com']}", encoding="utf-8")
    monkeypatch.setenv("PLAINSIGHT_ACCESS_FILE", str(rules))
    assert signin.allowed_models(names) == ["spend-demo"]
    monkeypatch.setattr(signin, "configured", lambda: False)
    assert signin.allowed_models(names) == names  # sign-in off: the file is not read
