"""What the exact methods share: from the estimator's encoded columns and native space to raw columns and the
reader's unit, checked against the model's own output.

Each exact backend only computes ``Native`` contributions on the estimator's own input; grouping the encoded
columns back onto the raw columns and converting log-odds to percentage points happen here, once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from explain.bundle.bundle import Bundle
from explain.methods.explanation import Explanation, Provenance
from explain.methods.registry import Explainer, MethodMismatch, Progress
from explain.methods.units import LINKS, to_output_space

log = logging.getLogger(__name__)

_SPACE_NAMES = {"logit": "log-odds", "log": "log", "identity": "output"}


@dataclass(frozen=True)
class Native:
    """Contributions in the estimator's own output space."""

    values: np.ndarray  # (n_rows, n_encoded)
    base: float
    space: str  # "margin" (log-odds or another link's native space), "output" or "unknown" (checked by the caller)


Contributions = Callable[..., Native]  # (estimator, Xt, *, background, class_index) -> Native


def can_group(bundle: Bundle) -> bool:
    """Whether an exact method on the encoded columns can be summed back: binary or regression, a known map."""
    binary_or_regression = not bundle.is_classifier or len(bundle.parts.classes or []) == 2
    return binary_or_regression and bundle.encoded_to_raw is not None


def exact_explainer(name: str, contributions: Contributions) -> Explainer:
    """An :class:`~explain.methods.registry.Explainer` for an exact backend's ``contributions``."""

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
        prediction = bundle.predict(X)
        native = contributions(
            bundle.parts.estimator, bundle.parts.transform(X), background=bundle.encoded, class_index=bundle.class_index
        )
        grouped = native.values @ mapping.T  # sum encoded columns back onto their raw column
        link = _link(bundle, grouped, native.base, prediction, native.space)
        if link is None:
            log.warning("%s did not reproduce the model's output for %s; trying the next method", name, bundle.name)
            raise MethodMismatch(name)
        provenance = Provenance(method=name, exact=True, native_space=_SPACE_NAMES[link])
        output = bundle.output
        if link == "identity":
            values, base, native_values, native_base = grouped, native.base, None, None
        else:
            values, base = to_output_space(grouped, native.base, prediction, link=link)
            native_values, native_base = grouped, native.base
        return Explanation(
            values=values * output.scale,
            base_value=base * output.scale,
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


def _link(bundle: Bundle, values: np.ndarray, base: float, prediction: np.ndarray, space: str) -> str | None:
    """Which link turns the native total into the model's own output, checked row by row."""
    total = base + values.sum(axis=1)
    candidates = ["logit", "identity"] if bundle.is_classifier else ["identity", "log"]
    if space == "margin" and bundle.is_classifier:
        candidates = ["logit"]
    for link in candidates:
        with np.errstate(over="ignore"):
            output = LINKS[link][0](total)
        if np.allclose(output, prediction, rtol=1e-4, atol=1e-4 if bundle.is_classifier else 1e-3):
            return link
    return None


def kind_is(kind: str) -> Callable[[Bundle], bool]:
    """``applies`` for an exact backend: the estimator is of this kind and its result can be grouped."""

    def applies(bundle: Bundle) -> bool:
        return bundle.parts.kind == kind and can_group(bundle)

    return applies


__all__ = ["Native", "can_group", "exact_explainer", "kind_is"]
