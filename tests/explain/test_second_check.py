"""The second check is honest: a shared reason counts only in the same direction, a poor local fit confirms
nothing, and with few columns agreement is never automatic."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
import textstat

from explain.analyses.agreement import POOR_FIT, agreement
from explain.bundle import load_bundle
from explain.methods.explanation import Explanation, LocalFit, Provenance
from explain.methods.reasons import explain_shap
from explain.reports import Settings, customer_report
from explain.reports import customer as customer_module
from explain.reports.serialize import to_text
from explain.words.checks import agreement_sentence
from explain.words.method import lime_lines
from explain.words.plain_words import find_jargon

POOR = "The second check could not fit this customer well, so it cannot confirm these reasons."
MAIN_OPPOSITE = "The second check finds that the main reason pushes the other way, so read these reasons with care."


@pytest.fixture(scope="module")
def output(demo_dir):
    return load_bundle(demo_dir / "churn-demo", trusted=[demo_dir]).output


def _explanation(output, values: list[float], *, fidelity: float | None = None) -> Explanation:
    names = list("abcdefgh"[: len(values)])
    fit = None
    if fidelity is not None:  # a local fit, as LIME gives: its intercept is not a typical row's output
        fit = LocalFit(samples=5000, seed=0, fidelity=fidelity, prediction=33 + sum(values), intercept=33.0,
                       discretizer="quartile")  # fmt: skip
    return Explanation(
        values=np.array([values], dtype=float), base_value=33.0 if fit else 8.0,
        prediction=np.array([8.0 + sum(values)]), data=pd.DataFrame([[0] * len(values)], columns=names),
        feature_names=names, row_ids=["0"], output=output,
        provenance=Provenance(method="lime" if fit else "x", exact=fit is None, native_space="output"),
        local_fit=fit,
    )  # fmt: skip


def _said(output, first: list[float], second: list[float], *, fidelity: float = 0.9) -> str:
    found = agreement(_explanation(output, first), _explanation(output, second, fidelity=fidelity))
    return agreement_sentence(found, exact=True, entity="customer")


def test_a_main_reason_pushed_the_other_way_is_not_agreement(output):
    shap, lime = _explanation(output, [5, -4, 3, 0.1]), _explanation(output, [-6, -4, 3, 0.5], fidelity=0.9)
    found = agreement(shap, lime)

    # Same three names on top; the old count said "agree on the top 3". The main one points the other way.
    assert set(found.first) == set(found.second) == {"a", "b", "c"}
    assert found.shared == 2 and found.opposite == ("a",) and found.main_opposite
    sentence = agreement_sentence(found, exact=True, entity="customer")
    assert sentence == MAIN_OPPOSITE
    assert "agree" not in sentence


def test_another_reason_pushed_the_other_way_is_left_out_of_the_count(output):
    found = agreement(_explanation(output, [5, -4, 3, 0.1]), _explanation(output, [6, 4, 3, 0.5], fidelity=0.9))
    assert found.shared == 2 and found.opposite == ("b",) and not found.main_opposite
    assert agreement_sentence(found, exact=True, entity="customer") == (
        "Two different checks agree on 2 of the top 3 reasons and which way they push. "
        "The chart shows the exact one; the other is a rougher estimate."
    )
    # A reason the second check ranks lower but still pushes the other way is recorded too.
    low = agreement(_explanation(output, [5, -4, 3, 0.1]), _explanation(output, [6, -4, 0.5, 3], fidelity=0.9))
    assert low.opposite == () and low.shared == 2
    flipped = agreement(_explanation(output, [5, -4, 3, 0.1]), _explanation(output, [6, -4, -0.5, 3], fidelity=0.9))
    assert flipped.opposite == ("c",)


def test_a_poor_local_fit_claims_no_agreement(output):
    # The same reasons in the same directions, but the fit explains 4% of the model's behaviour around the row.
    sentence = _said(output, [5, -4, 3, 0.1], [6, -4, 1, 0.5], fidelity=0.04)
    assert sentence == POOR
    assert "agree" not in sentence
    # A poor fit is said before a direction it cannot vouch for.
    assert _said(output, [5, -4, 3, 0.1], [-6, -4, 1, 0.5], fidelity=0.04) == POOR
    # The cut itself: at the threshold the fit is used, just under it not.
    assert _said(output, [5, -4, 3, 0.1], [6, -4, 1, 0.5], fidelity=POOR_FIT).startswith("Two different checks agree")
    assert _said(output, [5, -4, 3, 0.1], [6, -4, 1, 0.5], fidelity=POOR_FIT - 0.01) == POOR


def test_an_explanation_without_a_local_fit_is_compared_on_reasons_alone(output):
    found = agreement(_explanation(output, [5, -4, 3, 0.1]), _explanation(output, [6, -4, 1, 0.5]))
    assert found.fidelity is None and not found.poor_fit
    assert agreement_sentence(found, exact=True, entity="customer").startswith("Two different checks agree on the top")


def test_with_three_columns_the_top_three_is_never_compared(output):
    # With three columns both top-3 lists are the same set whatever the checks say: compare the top 2.
    found = agreement(_explanation(output, [5, -4, 3]), _explanation(output, [1, -2, 6], fidelity=0.9))
    assert (found.n, found.asked, found.columns) == (2, 3, 3)
    assert found.first == ("a", "b") and found.second == ("c", "b") and found.shared == 1
    sentence = agreement_sentence(found, exact=True, entity="customer")
    assert "top 3" not in sentence and sentence.startswith("Two different checks agree on 1 of the top 2 reasons")
    same = agreement(_explanation(output, [5, -4, 3]), _explanation(output, [6, -2, 1], fidelity=0.9))
    assert agreement_sentence(same, exact=True, entity="customer") == (
        "Two different checks agree on the top 2 reasons and which way they push."
    )
    lines = lime_lines(_explanation(output, [1, -2, 6], fidelity=0.9), found)
    assert "Only the top 2 compared, not 3: with 3 columns, the top 3 would always be the same set." in lines


def test_with_two_columns_only_the_main_reason_and_with_one_nothing(output):
    two = agreement(_explanation(output, [5, -4]), _explanation(output, [3, -4], fidelity=0.9))
    assert two.n == 1 and two.shared == 0
    assert "do not agree on the main reason" in agreement_sentence(two, exact=True, entity="customer")
    main = agreement(_explanation(output, [5, -4]), _explanation(output, [6, -4], fidelity=0.9))
    assert agreement_sentence(main, exact=True, entity="customer") == (
        "Two different checks agree on the main reason and which way it pushes."
    )
    one = agreement(_explanation(output, [5]), _explanation(output, [5], fidelity=0.9))
    assert one.n == 0
    assert agreement_sentence(one, exact=True, entity="customer") == (
        "There are too few reasons for a second check to compare."
    )


def test_the_analyst_reads_the_fit_and_the_sign_aware_counts(output):
    lime = _explanation(output, [-6, -4, 3, 0.5], fidelity=0.04)
    found = agreement(_explanation(output, [5, -4, 3, 0.1]), lime)
    lines = lime_lines(lime, found)
    assert (
        f"Fidelity (weighted R² of the local fit): 0.04, below {POOR_FIT:.2f}: too poor a fit to confirm the "
        "reasons, so no agreement is claimed." in lines
    )
    assert "Top 3 by size — SHAP: a, b, c; LIME: a, b, c (2 shared with the same sign; opposite sign: a)." in lines
    intercept = next(line for line in lines if line.startswith("Its intercept"))
    assert "33.0, the local fit's starting point, not a typical row" in intercept


@pytest.mark.parametrize(
    ("first", "second", "fidelity"),
    [
        ([5, -4, 3, 0.1], [6, -4, 1, 0.5], 0.9),  # all agree
        ([5, -4, 3, 0.1], [6, 4, 3, 0.5], 0.9),  # some agree
        ([5, 4, 3, 0], [0, 0, 0, 1], 0.9),  # none agree
        ([5, -4, 3, 0.1], [-6, -4, 3, 0.5], 0.9),  # the main reason the other way
        ([5, -4, 3, 0.1], [6, -4, 1, 0.5], 0.04),  # a poor fit
        ([5, -4], [6, -4], 0.9),  # the main reason only
        ([5], [5], 0.9),  # nothing to compare
    ],
)
def test_every_second_check_sentence_is_plain(output, first, second, fidelity):
    sentence = _said(output, first, second, fidelity=fidelity)
    assert find_jargon(sentence) == []
    assert textstat.flesch_kincaid_grade(sentence) <= 8.0, sentence


def test_the_customer_story_says_a_poor_fit_once_for_every_outlet(demo_dir, monkeypatch):
    bundle = load_bundle(demo_dir / "churn-demo", trusted=[demo_dir])

    def poor_lime(bundle, *, X):  # the chart's own reasons in the same directions, but a 4% fit
        shap = explain_shap(bundle, X=X)
        return replace(shap, local_fit=LocalFit(5000, 0, 0.04, float(shap.prediction[0]), shap.base_value, "quartile"))

    monkeypatch.setattr(customer_module, "explain_lime", poor_lime)
    report = customer_report(bundle, 3, Settings(), suggestions=False)

    assert report.agreement is not None and report.agreement.poor_fit and report.agreement.shared == 3
    assert report.second_check == POOR
    assert any(line.startswith("Fidelity (weighted R² of the local fit): 0.04, below") for line in report.analyst)
    assert POOR in to_text(report)  # the CLI's and the export's text say the same sentence
