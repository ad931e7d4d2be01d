"""The reasons for the model's outputs: SHAP values in raw columns and the reader's unit, by the best method.

The registry's reasons methods are tried in order: the exact ones for the model's kind (XGBoost's own tree
contributions, shap's TreeExplainer for scikit-learn trees, the closed form for linear models), each checked
against the model's own output, then the model-agnostic sampling fallback, which is slower, approximate and
reports progress.
"""

from __future__ import annotations

import logging
import os
from dataclasses import replace

import numpy as np
import pandas as pd

from explain.bundle.bundle import Bundle
from explain.methods.explanation import Explanation, Sample
from explain.methods.registry import Method, MethodMismatch, Progress, get_method, reasons_methods

SEED = 0
# The most rows a whole-population view (what drives the model, its charts) explains, whatever the method. At a
# million rows even the fastest exact method took over three minutes on two cores; a seeded sample of 10,000 put
# each column's average effect within 0.06 points (1%) of 200,000 rows' and kept their order, in under 3 s.
# Counts, averages, the list and the quality figures always use every row.
POPULATION_ROWS = 10_000
log = logging.getLogger(__name__)


def reasons_method(bundle: Bundle) -> Method:
    """The method that gives this bundle's reasons: the first that applies (exact ones before sampling)."""
    return reasons_methods(bundle)[0]


def exact_method(bundle: Bundle) -> str | None:
    """The name of the exact method this bundle gets, or None when only an estimate applies."""
    method = reasons_method(bundle)
    return method.name if method.exact else None


def _rows(bundle: Bundle, rows: list[int] | np.ndarray | None, X: pd.DataFrame | None) -> pd.DataFrame:
    """The raw rows to explain, their index holding each row's id."""
    if X is None:
        positions = np.arange(len(bundle.X)) if rows is None else np.asarray(rows, dtype=int)
        return bundle.X.iloc[positions].set_axis([bundle.ids[i] for i in positions])
    return bundle.as_model_takes(X[bundle.features]).set_axis([str(i) for i in X.index])


def explain_shap(
    bundle: Bundle,
    rows: list[int] | np.ndarray | None = None,
    *,
    X: pd.DataFrame | None = None,
    progress: Progress | None = None,
    method: str | None = None,
) -> Explanation:
    """Explain rows of the bundle's reference data (or the rows ``X``), in raw columns.

    Parameters
    ----------
    bundle : Bundle
    rows : sequence of int, optional
        0-based positions in the reference data; all rows when omitted.
    X : DataFrame, optional
        Rows to explain instead of reference rows (a what-if row, an upload), with the bundle's raw columns;
        their index gives their ids.
    progress : callable(fraction, message), optional
        Called as the slow fallback works; exact methods finish too fast to need it.
    method : str, optional
        A reasons method by name; by default the best that applies.

    Returns
    -------
    Explanation
        In percentage points of the positive outcome's chance for classifiers, the target's unit otherwise;
        ``base_value + values.sum(1) == prediction`` on every row.
    """
    if bundle.group_rows is not None:  # a group's rows are explained by the whole bundle (see Bundle.narrowed)
        at = bundle.group_rows if rows is None else bundle.group_rows[np.asarray(rows, dtype=int)]
        return explain_shap(bundle.whole, at if X is None else None, X=X, progress=progress, method=method)
    frame = _rows(bundle, rows, X)
    candidates = [get_method(method)] if method is not None else reasons_methods(bundle, len(frame))
    for i, candidate in enumerate(candidates):
        try:
            return candidate.explain(bundle, frame, progress=progress)
        except MethodMismatch:
            if i == len(candidates) - 1:
                raise
    raise AssertionError("the sampling fallback applies to every model")  # pragma: no cover


def population_rows() -> int:
    """The most rows a whole-population view explains: ``PLAINSIGHT_POPULATION_ROWS``, else ``POPULATION_ROWS``."""
    configured = os.environ.get("PLAINSIGHT_POPULATION_ROWS", "").strip()
    try:
        rows = int(configured) if configured else POPULATION_ROWS
    except ValueError:
        rows = 0
    if rows < 1:
        log.warning(
            "PLAINSIGHT_POPULATION_ROWS=%r is not a whole number above 0; using %s", configured, POPULATION_ROWS
        )
        return POPULATION_ROWS
    return rows


def explain_population(bundle: Bundle, *, progress: Progress | None = None, max_rows: int | None = None) -> Explanation:
    """Explain every reference row, or a seeded sample of rows when there are many or the method is slow.

    Parameters
    ----------
    max_rows : int, optional
        The most rows explained (default :func:`population_rows`); above it, a seeded sample of that many.
        A slow method's own cap (``Method.population_cap``) may take fewer.

    The sample, when there is one, is recorded in the explanation's provenance, so every outlet can say so;
    the same bundle always gets the same rows.
    """
    limit = population_rows() if max_rows is None else max_rows
    if bundle.group_rows is not None:
        return explain_many(bundle, progress=progress, max_rows=limit)
    for i, method in enumerate(candidates := reasons_methods(bundle, len(bundle.X))):
        own = method.cap(bundle)
        cap = limit if own is None else min(limit, own)
        rows = None if len(bundle.X) <= cap else sample_rows(len(bundle.X), cap)
        try:
            explanation = method.explain(bundle, _rows(bundle, rows, None), progress=progress)
        except MethodMismatch:
            if i == len(candidates) - 1:
                raise
            continue
        if rows is None:
            return explanation
        sample = Sample(rows=len(rows), of=len(bundle.X), seed=SEED)
        return replace(explanation, provenance=replace(explanation.provenance, sample=sample))
    raise AssertionError("the sampling fallback applies to every model")  # pragma: no cover


def explain_many(
    bundle: Bundle,
    *,
    X: pd.DataFrame | None = None,
    progress: Progress | None = None,
    max_rows: int | None = None,
) -> Explanation:
    """Many rows explained as a whole-population view explains them: the bundle's own rows (a group's, for a
    narrowed bundle) or the rows ``X`` (newer data), every one, or a seeded sample of as many as a population view
    explains (fewer for a slow method), recorded in the provenance so every outlet can say so."""
    n = len(bundle.X) if X is None else len(X)
    limit = population_rows() if max_rows is None else max_rows
    own = reasons_method(bundle.whole).cap(bundle.whole)
    cap = limit if own is None else min(limit, own)
    rows = None if n <= cap else sample_rows(n, cap)
    if X is None:
        explanation = explain_shap(bundle, rows, progress=progress)
    else:
        explanation = explain_shap(bundle, X=X if rows is None else X.iloc[rows], progress=progress)
    if rows is None:
        return explanation
    sample = Sample(rows=len(rows), of=n, seed=SEED)
    return replace(explanation, provenance=replace(explanation.provenance, sample=sample))


def sample_rows(n: int, size: int) -> np.ndarray:
    """The seeded sample of ``size`` of ``n`` row positions a whole-population view explains, in order."""
    return np.sort(np.random.default_rng(SEED).choice(n, size, replace=False))


def explain_lime(
    bundle: Bundle,
    row: int | None = None,
    *,
    X: pd.DataFrame | None = None,
    num_samples: int | None = None,
    seed: int | None = None,
) -> Explanation:
    """The second check (LIME) for one reference row, or the one-row frame ``X``; see the ``lime`` method.

    Raises
    ------
    ExplainError
        When LIME fails on this row; the message is plain.
    """
    if X is None and row is None:
        raise ValueError("explain_lime needs a row position or a row X")
    if bundle.group_rows is not None and X is None:
        assert row is not None
        return explain_lime(bundle.whole, int(bundle.group_rows[row]), num_samples=num_samples, seed=seed)
    frame = _rows(bundle.whole, None if row is None else [row], X)
    return get_method("lime").explain(bundle.whole, frame, samples=num_samples, seed=seed)
