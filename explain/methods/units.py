"""From the model's native output space (log-odds, log) to the unit a stakeholder reads.

An exact explanation of a classifier is additive in log-odds, not in the chance. To show percentage points that
still add up, each row's log-odds contributions are multiplied by one factor for that row,

    factor = (chance - baseline chance) / (log-odds - baseline log-odds),

with the baseline chance = sigmoid(baseline log-odds). Because the sigmoid is increasing, the factor is positive:
every contribution keeps its sign and its share of the total, and the scaled contributions add up exactly to
chance - baseline. When a row's log-odds equal the baseline's, the factor is the sigmoid's slope there.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

LINKS: dict[str, tuple[Callable[[np.ndarray], np.ndarray], Callable[[np.ndarray], np.ndarray]]] = {
    # name: (inverse link: native -> output, its derivative)
    "identity": (lambda m: m, lambda m: np.ones_like(m)),
    "logit": (lambda m: 1.0 / (1.0 + np.exp(-m)), lambda m: np.exp(-m) / (1.0 + np.exp(-m)) ** 2),
    "log": (np.exp, np.exp),
}


def to_output_space(values: np.ndarray, base: float, prediction: np.ndarray, *, link: str) -> tuple[np.ndarray, float]:
    """Rescale native-space contributions so they add up to the model's own prediction.

    Parameters
    ----------
    values : ndarray of shape (n_rows, n_features)
        Contributions in the native space (e.g. log-odds).
    base : float
        The baseline in the native space.
    prediction : ndarray of shape (n_rows,)
        The model's own output for each row (e.g. the chance, 0-1).
    link : {"identity", "logit", "log"}
        How the native space relates to the output: output = inverse_link(native).

    Returns
    -------
    values : ndarray of shape (n_rows, n_features)
        Contributions in the output space; ``base_out + values.sum(1) == prediction``.
    base_out : float
        The baseline in the output space, ``inverse_link(base)``.
    """
    inverse, slope = LINKS[link]
    base_out = float(inverse(np.asarray(base)))
    native_delta = values.sum(axis=1)
    output_delta = prediction - base_out
    # Below float32 noise the ratio is meaningless; the slope is the limit it tends to.
    tiny = np.abs(native_delta) < 1e-6
    safe = np.where(tiny, 1.0, native_delta)
    factor = np.where(tiny, slope(np.full_like(native_delta, base)), output_delta / safe)
    return values * factor[:, None], base_out
