"""One customer's story: values the model never saw are flagged, not ranked; reasons too small to show fold into
one bar; what would change it names only what may change, with its cost, cheapest first."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from explain.bundle import load_bundle
from explain.reports import Settings, customer_report
from explain.words.plain_words import find_jargon
from tests.conftest import write_bundle


@pytest.fixture(scope="module")
def churn(demo_dir):
    return load_bundle(demo_dir / "churn-demo", trusted=[demo_dir])


def _adds_up(report) -> bool:
    spec = report.waterfall
    return bool(np.isclose(spec.start.value + sum(b.value for b in spec.reasons), spec.end.value))


def test_a_category_the_model_never_saw_is_flagged_and_not_a_reason(churn):
    X = churn.X.iloc[[0]].assign(Contract="Ten year")
    X.index = ["NEW-1"]
    report = customer_report(churn, None, Settings(), X=X, second_check=False, suggestions=False)
    assert report.flags == (
        "Contract type is Ten year, which the model never saw when it learned. It treats it as unknown, so it is "
        "not listed as a reason.",
    )
    assert report.waterfall.reasons[-1].label == "Contract type: Ten year (new to the model)"
    assert not any("contract" in sentence.lower() for sentence in report.reason_sentences)
    assert _adds_up(report)  # the flagged bar still counts, so the chart adds up to the chance


def test_reasons_too_small_to_show_fold_into_one_bar(churn):
    folded = 0
    for position in range(40):
        report = customer_report(churn, position, Settings(), second_check=False, suggestions=False)
        small = [r for r in report.reasons if r.shown == 0]
        names = [bar.label for bar in report.waterfall.reasons]
        assert all(r.said not in names for r in small)  # never a bar of its own that reads "0 points"
        assert not any(sentence.endswith("adds 0 points.") for sentence in report.reason_sentences)
        if small:
            folded += 1
            assert names[-1].endswith(("other small factors", "other small factor")), names
        assert _adds_up(report)
    assert folded  # the demo has customers with facts that barely matter


def test_what_would_change_it_says_what_each_change_costs_cheapest_first(churn):
    position = int(np.argmax(churn.outputs))
    report = customer_report(churn, position, Settings(), second_check=False)
    found = report.suggestions
    assert found is not None and found.reached and 1 <= len(found.lines) <= 3
    costs = [line.cost for line in found.lines]
    assert costs == sorted(costs)
    for line in found.lines:
        assert line.cost == sum(churn.card.feature(c).cost for c, _ in line.changes)
        assert line.sentence.endswith(f"It costs ${line.cost:,.0f}.")
        assert {c for c, _ in line.changes} <= {c for c in churn.features if churn.card.actionable(c)}
    assert found.caption == (
        "The model card says you can act on contract type, monthly bill, internet service, support calls last year, "
        "payment method and paperless billing. Only those change here. The cheapest changes come first, then the "
        "fewest and smallest. The model checks each one."
    )
    assert find_jargon(" ".join([found.caption, *(line.sentence for line in found.lines)])) == []


def test_with_no_card_the_page_says_every_fact_may_change(tmp_path):
    rng = np.random.default_rng(2)
    frame = pd.DataFrame({"visits": rng.integers(0, 20, 200).astype(float), "age": rng.integers(20, 70, 200) * 1.0})
    model = LogisticRegression().fit(frame, (frame["visits"] + rng.normal(0, 3, 200) > 10).astype(int))
    bundle = load_bundle(write_bundle(tmp_path / "plain", model, frame), trusted=[tmp_path])
    report = customer_report(bundle, int(np.argmax(bundle.outputs)), Settings(), second_check=False)
    assert report.suggestions is not None
    assert report.suggestions.caption == (
        "The model card does not say what you can act on, so any fact may change here. The fewest, smallest changes "
        "come first. The model checks each one."
    )
    assert all(line.cost is None and "costs" not in line.sentence for line in report.suggestions.lines)


def test_the_picture_of_100_and_the_sentence_give_the_same_frequency(churn):
    import re

    # customers across the range, and the edges where rounding could split them (under 1 in 100, 99.6%)
    order = np.argsort(churn.outputs)
    positions = [int(order[i]) for i in np.linspace(0, len(order) - 1, 25).astype(int)]
    for position in positions:
        report = customer_report(churn, position, Settings(), second_check=False, suggestions=False)
        assert report.icon is not None
        said = re.search(r"(\d+) in 100 customers like this one", " ".join(report.headline))
        if said is None:  # "fewer than 1 in 100" has no number to compare
            assert report.icon.count == 0, report.headline
        else:
            assert int(said.group(1)) == report.icon.count, (report.headline, report.icon.count)
