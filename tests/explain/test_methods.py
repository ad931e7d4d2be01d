"""The registry of explanation methods: one file per method, found without being listed, tried in order, each
with its words beside it; and the explanation a method makes is read-only and says how it was made."""

from __future__ import annotations

import dataclasses
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest

from explain.bundle import load_bundle
from explain.methods import (
    all_methods,
    exact_method,
    explain_population,
    explain_shap,
    get_method,
    reasons_method,
    registry,
)
from explain.methods.registry import MethodMismatch
from explain.words.method import how_made, method_lines
from explain.words.plain_words import find_jargon


@pytest.fixture(scope="module")
def demos(demo_dir):
    return {name: load_bundle(demo_dir / name, trusted=[demo_dir]) for name in ("churn-demo", "churn-demo-linear")}


def test_every_method_is_found_once_with_plain_words_beside_it():
    methods = all_methods()
    names = [m.name for m in methods]
    assert len(names) == len(set(names))
    assert {"xgboost-tree-exact", "tree-shap-exact", "linear-exact", "permutation-sampling", "lime"} <= set(names)
    reasons = [m for m in methods if m.role == "reasons"]
    assert reasons[-1].name == "permutation-sampling"  # the fallback comes last
    assert all(m.exact for m in reasons[:-1]) and not reasons[-1].exact
    for method in methods:
        assert find_jargon(method.plain) == [], method.name  # a stakeholder reads these
        assert method.analyst
    assert get_method("lime").role == "check"


def test_the_best_method_that_applies_is_picked(demos, tmp_path):
    from sklearn.neighbors import KNeighborsClassifier

    from tests.conftest import write_bundle

    assert reasons_method(demos["churn-demo"]).name == "xgboost-tree-exact"
    assert exact_method(demos["churn-demo-linear"]) == "linear-exact"
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"a": rng.normal(size=60), "b": rng.normal(size=60)})
    model = KNeighborsClassifier(5).fit(frame, (frame["a"] > 0).astype(int))
    knn = load_bundle(write_bundle(tmp_path / "knn", model, frame), trusted=[tmp_path])
    assert reasons_method(knn).name == "permutation-sampling" and exact_method(knn) is None


def test_an_unknown_method_is_named_plainly():
    with pytest.raises(Exception, match="no explanation method 'magic'.*xgboost-tree-exact"):
        get_method("magic")


def test_a_new_method_is_one_file(tmp_path, monkeypatch, demos):
    """A module in the backends package that defines METHOD is found and used; nothing else changes."""
    module = tmp_path / "zero_method.py"
    module.write_text(
        textwrap.dedent(
            """
            import numpy as np
            from explain.methods.explanation import Explanation, Provenance
            from explain.methods.registry import Method

            def explain(bundle, X, *, progress=None, samples=None, seed=None):
                output = bundle.output
                prediction = bundle.predict(X) * output.scale
                return Explanation(
                    values=np.zeros((len(X), len(bundle.features))), base_value=0.0, prediction=prediction,
                    data=X, feature_names=bundle.features, row_ids=[str(i) for i in X.index], output=output,
                    provenance=Provenance(method="zero", exact=False, native_space="output"),
                )

            METHOD = Method(name="zero", role="reasons", exact=False, plain="all put at nothing (a test)",
                            analyst="zeros", applies=lambda bundle: True, explain=explain, priority=0)
            """
        )
    )
    from explain.methods import backends

    bundle = demos["churn-demo"]
    with monkeypatch.context() as patch:
        patch.setattr(backends, "__path__", [*backends.__path__, str(tmp_path)])
        patch.delitem(sys.modules, "explain.methods.backends.zero_method", raising=False)
        registry.all_methods.cache_clear()
        try:
            assert reasons_method(bundle).name == "zero"
            explanation = explain_shap(bundle, [0, 1])
            assert explanation.method == "zero" and how_made(explanation) == "Reasons all put at nothing (a test)"
        finally:
            registry.all_methods.cache_clear()
    assert reasons_method(bundle).name == "xgboost-tree-exact"


def test_an_exact_method_that_does_not_match_falls_back_with_the_sample_cap(demos, monkeypatch):
    """When the planned exact method does not reproduce the model, the fallback still explains a sample only."""
    bundle = demos["churn-demo"]
    sampling = get_method("permutation-sampling")

    def mismatch(bundle, X, **options):
        raise MethodMismatch("test")

    broken = dataclasses.replace(get_method("xgboost-tree-exact"), explain=mismatch)
    fast = dataclasses.replace(sampling, population_cap=40)  # a small cap keeps the test quick
    monkeypatch.setattr(registry, "all_methods", lambda: (broken, fast))
    explanation = explain_population(bundle)
    assert explanation.method == "permutation-sampling" and not explanation.provenance.exact
    sample = explanation.provenance.sample
    assert sample is not None and (sample.rows, sample.of) == (40, len(bundle.X)) and len(explanation) == 40
    assert "for a sample of 40 of your" in how_made(explanation, entities="customers")
    assert any("seeded sample of 40" in line for line in method_lines(explanation))


def test_explanations_are_read_only_and_say_how_they_were_made(demos):
    explanation = explain_population(demos["churn-demo"])
    for array in (explanation.values, explanation.prediction, explanation.native_values):
        with pytest.raises(ValueError, match="read-only"):
            array[0] = 0
    provenance = explanation.provenance
    assert (provenance.method, provenance.exact, provenance.native_space) == ("xgboost-tree-exact", True, "log-odds")
    assert provenance.sample is None and explanation.output.is_chance and explanation.output.scale == 100
    with pytest.raises(dataclasses.FrozenInstanceError):
        explanation.base_value = 0.0  # type: ignore[misc]
    one = explanation.take([3])
    assert not one.values.flags.writeable and one.provenance == provenance
