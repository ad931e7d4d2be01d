"""The shared, cached model under many sessions at once: same answers as one at a time, and never mutated."""

from __future__ import annotations

import copy
import pickle
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from explain.bundle import load_bundle
from explain.methods.reasons import explain_lime, explain_shap

THREADS = 32


def test_32_threads_of_predict_and_explain_give_the_single_thread_answers(demo_dir):
    bundle = load_bundle(demo_dir / "churn-demo", trusted=[demo_dir])
    before = pickle.dumps(bundle.model)
    data_before = bundle.X.copy()

    def work(i: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        rows = [i, i + 40, i + 80]
        prediction = bundle.predict(bundle.X.iloc[rows])
        shap_values = explain_shap(bundle, rows).values
        lime_values = explain_lime(bundle, i, num_samples=500).values
        return prediction, shap_values, lime_values

    alone = [work(i) for i in range(THREADS)]
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        together = list(pool.map(work, range(THREADS)))

    for (p1, s1, l1), (p2, s2, l2) in zip(alone, together, strict=True):
        np.testing.assert_array_equal(p1, p2)
        np.testing.assert_allclose(s1, s2, rtol=0, atol=1e-9)
        np.testing.assert_array_equal(l1, l2)  # LIME's explainer is never shared: same seed, same answer
    assert pickle.dumps(bundle.model) == before  # the shared model was not changed by anyone
    assert bundle.X.equals(data_before)


def test_the_linear_model_too(demo_dir):
    bundle = load_bundle(demo_dir / "churn-demo-linear", trusted=[demo_dir])
    snapshot = copy.deepcopy(bundle.model.named_steps["model"].coef_)
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = list(pool.map(lambda i: explain_shap(bundle, [i]).values, range(THREADS)))
    for i, values in enumerate(results):
        np.testing.assert_allclose(values, explain_shap(bundle, [i]).values, atol=1e-12)
    np.testing.assert_array_equal(bundle.model.named_steps["model"].coef_, snapshot)
