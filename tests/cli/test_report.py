"""``plainsight report``: any story a page tells, as text or JSON, from a real process."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from explain.bundle import load_bundle
from explain.words.plain_words import find_jargon


def plainsight(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "explain", *args], capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def churn(demo_dir):
    return load_bundle(demo_dir / "churn-demo", trusted=[demo_dir])


def test_the_overview_is_the_default_story_and_counts_every_customer(demo_dir, churn):
    done = plainsight("report", str(demo_dir / "churn-demo"), "--format", "json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["story"] == "overview" and out["n_rows"] == len(churn.X)
    n_high = int((churn.predict(churn.X) >= 0.5).sum())
    assert out["risk"]["n_high"] == n_high
    assert out["facts"][1]["value"].startswith(f"{n_high:,} (")
    acted = out["acted"]
    assert f": act on the {acted:,} customers most at risk to keep about $" in out["headline"][0]
    assert out["headline"][1].startswith(f"Of your {len(churn.X):,} customers")
    bars = out["importance"]["bars"]
    assert [b["value"] for b in bars] == sorted((b["value"] for b in bars), reverse=True)
    assert out["made"] == {
        "method": "xgboost-tree-exact",
        "exact": True,
        "plain": "Reasons worked out exactly from the model",
        "analyst": "SHAP values by xgboost-tree-exact",
    }
    assert out["settings"] == {"audience": "stakeholder", "success_rate": None, "budget": None}


def test_a_customer_story_as_text_reads_like_the_page(demo_dir, churn):
    row_id = churn.ids[12]
    done = plainsight("report", str(demo_dir / "churn-demo"), "--row", row_id)
    assert done.returncode == 0, done.stderr
    text = done.stdout
    chance = churn.predict(churn.X.iloc[[12]])[0]
    assert text.startswith(f"Customer {row_id}\n")
    assert f"Chance to leave: {round(chance * 100)}%" in text or "Chance to leave: under 1%" in text
    assert "Reasons, largest first:" in text and "A typical customer has a" in text
    assert "How this was made" not in text and find_jargon(text) == []
    analyst = plainsight("report", str(demo_dir / "churn-demo"), "--row", row_id, "--audience", "analyst").stdout
    assert "How this was made (analyst)" in analyst and "Fidelity (weighted R² of the local fit)" in analyst


def test_the_readers_assumptions_change_the_impact_story(demo_dir):
    base = json.loads(
        plainsight("report", str(demo_dir / "churn-demo"), "--story", "impact", "--format", "json").stdout
    )
    more = plainsight(
        "report", str(demo_dir / "churn-demo"), "--story", "impact", "--success-rate", "60", "--format", "json"
    )
    assert more.returncode == 0, more.stderr
    told = json.loads(more.stdout)
    assert told["settings"]["success_rate"] == 0.6 and base["settings"]["success_rate"] is None
    assert told["impact"]["expected_saved_money"] == pytest.approx(2 * base["impact"]["expected_saved_money"])
    assert any("keeps 6 in 10 of those who would leave" in s for s in told["headline"])


def test_a_story_the_model_cannot_tell_says_why(demo_dir):
    done = plainsight("report", str(demo_dir / "spend-demo"), "--story", "model", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["linear"] is None  # a tree model: how each main fact moves the amount instead
    spend = json.loads(
        plainsight("report", str(demo_dir / "spend-demo"), "--story", "impact", "--format", "json").stdout
    )
    assert spend["kind"] == "totals" and spend["headline"][0].startswith("Added up over your")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--story", "customer"], "--story customer needs --row"),
        (["--story", "impact", "--row", "x"], "--row is for the customer story"),
        (["--row", "NOT-A-CUSTOMER"], "There is no customer with id 'NOT-A-CUSTOMER'"),
        (["--story", "impact", "--success-rate", "150"], "a percentage between 0 and 100"),
        (["--story", "impact", "--budget", "-5"], "The budget cannot be negative"),
    ],
)
def test_problems_are_one_plain_line(demo_dir, args, message):
    done = plainsight("report", str(demo_dir / "churn-demo"), *args)
    assert done.returncode == 2 and done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1 and message in done.stderr
