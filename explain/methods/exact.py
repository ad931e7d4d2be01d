"""What the exact methods share: from the estimator's encoded columns and native space to raw columns and the
reader's unit, checked against the model's own output.

Each exact backend only computes :class:`Native` contributions on the estimator's own input, with the model's own
score for the same rows; everything else happens here, once:

1. **The check, in the native space.** ``base + values.sum(1)`` must equal the model's own score (log-odds, class
   scores, log or the value) on every row, to a tolerance relative to the size of the terms summed. A check in
   the chance would pass rows near 0% or 100% whatever their values (the sigmoid flattens any error there), so it
   is never done there.
2. **The link**: which function turns that score into the output the reader sees (the chance or the value), found
   by checking it against ``predict``/``predict_proba``.
3. **Grouping** the encoded columns back onto the raw columns, and **converting** to the reader's unit so that the
   contributions still add up (see :mod:`explain.methods.units`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from explain.bundle.bundle import Bundle
from explain.methods.explanation import Explanation, Provenance
from explain.methods.registry import Explainer, MethodMismatch, Progress
from explain.methods.units import LINKS, softmax, softmax_to_chance, to_output_space

log = logging.getLogger(__name__)

_SPACE_NAMES = {"logit": "log-odds", "log": "log", "identity": "output", "softmax": "class scores"}
# float32 trees (XGBoost, LightGBM) sum hundreds of terms: allow for their rounding, relative to the terms' size.
RELATIVE_TOLERANCE = 1e-5
FIRST_CHUNK = 1000  # rows in the first chunk of a long piece of work: its time sets the next chunks' size


@dataclass(frozen=True)
class Native:
    """Contributions in the estimator's own score, with that score itself for the check.

    Attributes
    ----------
    values : ndarray of shape (n_rows, n_encoded) or (n_rows, n_encoded, n_outputs)
        One output (regression, or a binary classifier's score for its last class), or one per class.
    base : float or ndarray of shape (n_outputs,)
    raw : ndarray of shape (n_rows,) or (n_rows, n_outputs)
        The model's own score for the rows, computed by the model (not from ``values``): what must add up.
    """

    values: np.ndarray
    base: float | np.ndarray
    raw: np.ndarray


Contributions = Callable[[Bundle, Any], Native]  # (bundle, the estimator's own input for the rows) -> Native


def bias_last(contributions: np.ndarray, score: np.ndarray) -> Native:
    """A library's own contributions with the bias in the last column, as XGBoost, LightGBM and CatBoost give them:
    shape (n_rows, n_columns + 1), or (n_rows, n_classes, n_columns + 1) for many classes."""
    raw = np.asarray(contributions, dtype=float)
    if raw.ndim == 3:
        return Native(values=raw[:, :, :-1].transpose(0, 2, 1), base=raw[0, :, -1], raw=score)
    return Native(values=raw[:, :-1], base=float(raw[0, -1]) if len(raw) else 0.0, raw=score)


def can_group(bundle: Bundle) -> bool:
    """Whether an exact method on the encoded columns can be summed back onto the raw columns."""
    return bundle.encoded_to_raw is not None


def exact_explainer(name: str, contributions: Contributions, *, chunk: int = FIRST_CHUNK) -> Explainer:
    """An :class:`~explain.methods.registry.Explainer` for an exact backend's ``contributions``.

    ``chunk``: the fewest rows one call gets when a long piece of work is cut up to move a progress bar (a method
    that costs seconds to set up per call wants large ones).
    """

    def explain(
        bundle: Bundle,
        X: pd.DataFrame,
        *,
        progress: Progress | None = None,
        samples: int | None = None,
        seed: int | None = None,
    ) -> Explanation:
        mapping = bundle.encoded_to_raw
        if mapping is None:
            raise MethodMismatch(f"{name}: the preprocessing cannot be mapped back to raw columns")
        try:
            native, prediction = _in_chunks(contributions, bundle, X, progress, chunk)
        except MethodMismatch:
            raise
        except Exception as exc:  # noqa: BLE001 - a library that cannot read this model: the next method will
            log.warning("%s could not explain %s (%r); trying the next method", name, bundle.name, exc)
            raise MethodMismatch(name) from exc
        values, base, raw = _shaped(native)
        gap, tolerance = native_gap(values, base, raw)
        if gap > tolerance:
            log.warning(
                "%s does not add up to the model's own score for %s (largest gap %.3g, allowed %.3g); "
                "trying the next method",
                name,
                bundle.name,
                gap,
                tolerance,
            )
            raise MethodMismatch(name)
        link, values, base, raw = _link(bundle, values, base, raw, prediction)
        if link is None:
            log.warning("%s: no known link turns the model's score into its output for %s", name, bundle.name)
            raise MethodMismatch(name)
        grouped = np.einsum("ne...,re->nr...", values, mapping)  # sum encoded columns back onto their raw column
        provenance = Provenance(method=name, exact=True, native_space=_SPACE_NAMES[link])
        native_values: np.ndarray | None
        if link == "softmax":
            k = bundle.class_index
            out_values, out_base = softmax_to_chance(grouped, base, k, prediction)
            native_values, native_base = grouped[:, :, k], float(base[k])
        elif grouped.ndim == 3:  # one output per class, each already the chance
            k = bundle.class_index
            out_values, out_base = grouped[:, :, k], float(base[k])
            native_values, native_base = None, None
        elif link == "identity":
            out_values, out_base, native_values, native_base = grouped, float(base[0]), None, None
        else:
            out_values, out_base = to_output_space(grouped, float(base[0]), prediction, link=link)
            native_values, native_base = grouped, float(base[0])
        output = bundle.output
        return Explanation(
            values=out_values * output.scale,
            base_value=out_base * output.scale,
            prediction=prediction * output.scale,
            data=X,
            feature_names=bundle.features,
            row_ids=[str(i) for i in X.index],
            output=output,
            provenance=provenance,
            native_values=native_values,
            native_base=native_base,
        )

    return explain


def _in_chunks(
    contributions: Contributions, bundle: Bundle, X: pd.DataFrame, progress: Progress | None, first: int
) -> tuple[Native, np.ndarray]:
    """The contributions for ``X`` and the model's output for it, in chunks of about a second each (at least
    ``first`` rows) when there is a progress bar to move. Each chunk is encoded once, for both."""

    def one(rows: pd.DataFrame) -> tuple[Native, np.ndarray]:
        inputs = bundle.parts.inputs(rows)
        return contributions(bundle, inputs), bundle.predict_inputs(inputs, rows)

    if progress is None or len(X) <= first:
        return one(X)
    parts: list[tuple[Native, np.ndarray]] = []
    start, size = 0, first
    while start < len(X):
        began = time.perf_counter()
        parts.append(one(X.iloc[start : start + size]))
        took = time.perf_counter() - began
        start += size
        progress(min(start, len(X)) / len(X), f"Worked out {min(start, len(X)):,} of {len(X):,} rows exactly")
        size = int(np.clip(size / max(took, 1e-3), first, 50 * first))  # about a second's worth
    native = Native(
        values=np.concatenate([p.values for p, _ in parts]),
        base=parts[0][0].base,
        raw=np.concatenate([np.asarray(p.raw) for p, _ in parts]),
    )
    return native, np.concatenate([prediction for _, prediction in parts])


def _shaped(native: Native) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Values (n, e) or (n, e, k), base (1,) or (k,), raw (n,) or (n, k), with one-output axes dropped."""
    values = np.asarray(native.values, dtype=float)
    base = np.atleast_1d(np.asarray(native.base, dtype=float))
    raw = np.asarray(native.raw, dtype=float)
    if values.ndim == 3 and values.shape[2] == 1:
        values = values[:, :, 0]
    if values.ndim == 2:
        return values, base[:1], raw.reshape(len(values))
    return values, base, raw.reshape(len(values), values.shape[2])


def native_gap(values: np.ndarray, base: np.ndarray, raw: np.ndarray) -> tuple[float, float]:
    """The largest |base + sum(values) - raw| and the gap allowed, relative to the size of what is summed."""
    if len(values) == 0:
        return 0.0, 0.0
    total = (base if values.ndim == 3 else base[0]) + values.sum(axis=1)
    size = max(float(np.max(np.abs(raw))), float(np.max(np.abs(base))), float(np.max(np.abs(values).sum(axis=1))))
    return float(np.max(np.abs(total - raw))), RELATIVE_TOLERANCE * size + 1e-12


def _link(
    bundle: Bundle, values: np.ndarray, base: np.ndarray, raw: np.ndarray, prediction: np.ndarray
) -> tuple[str | None, np.ndarray, np.ndarray, np.ndarray]:
    """Which link turns the model's score into its output, with the score turned to the picked class's side."""
    scale = max(1.0, float(np.max(np.abs(prediction)))) if len(prediction) else 1.0
    tolerance = 1e-4 * scale

    def matches(output: np.ndarray) -> bool:
        return bool(np.allclose(output, prediction, rtol=1e-4, atol=tolerance))

    if values.ndim == 3:
        k = bundle.class_index
        if matches(raw[:, k]):
            return "identity", values, base, raw
        if matches(softmax(raw)[:, k]):
            return "softmax", values, base, raw
        return None, values, base, raw
    classes = bundle.parts.classes or []
    # A binary classifier scores its last class; the first class's chance is the other side of it.
    flip = bundle.is_classifier and len(classes) == 2 and bundle.class_index == 0
    candidates = ["logit", "identity"] if bundle.is_classifier else ["identity", "log"]
    for link in candidates:
        with np.errstate(over="ignore"):
            output = LINKS[link][0](raw)
        if matches(1.0 - output if flip else output):
            if flip and link == "logit":
                return link, -values, -base, -raw
            if flip:
                return link, -values, 1.0 - base, 1.0 - raw
            return link, values, base, raw
    return None, values, base, raw


def kind_is(kind: str) -> Callable[[Bundle], bool]:
    """``applies`` for an exact backend: the estimator is of this kind and its result can be grouped."""

    def applies(bundle: Bundle) -> bool:
        return bundle.parts.kind == kind and can_group(bundle)

    return applies


__all__ = ["Native", "bias_last", "can_group", "exact_explainer", "kind_is", "native_gap"]
