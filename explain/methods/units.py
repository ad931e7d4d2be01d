"""From the model's native output space (log-odds, log) to the unit a stakeholder reads.

An exact explanation of a classifier is additive in log-odds, not in the chance. To show percentage points that
still add up, each row's log-odds contributions are multiplied by one factor for that row, the secant slope of
the link between the baseline and the row,

    factor = (sigmoid(baseline log-odds + sum) - sigmoid(baseline log-odds)) / sum,

worked out in float64 from the contributions themselves. Because the sigmoid is increasing, the factor is
positive: every contribution keeps its sign and its share of the total. When the sum is nil, the factor is the
sigmoid's slope there, the secant's limit. The model's own chance differs from sigmoid(baseline + sum) only by
its float32 rounding (about 1e-7); that remainder is shared by the contributions' sizes so they add up exactly.

Why not divide the chance's own change by the sum: when the contributions cancel out (a sum near nil, each one
large), the chance's float32 rounding divided by that small sum scaled every contribution by a noisy factor, and
two exact methods within 1e-5 log-odds of each other differed by a twentieth of a point.
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
    # Below this the secant's own rounding grows; the slope is the limit it tends to.
    tiny = np.abs(native_delta) < 1e-9
    safe = np.where(tiny, 1.0, native_delta)
    with np.errstate(over="ignore"):
        secant = (inverse(base + native_delta) - base_out) / safe
    factor = np.where(tiny, slope(np.full_like(native_delta, base)), secant)
    out = values * factor[:, None]
    # What the model's own (float32) output differs by, shared in proportion to each contribution's size.
    remainder = prediction - base_out - out.sum(axis=1)
    sizes = np.abs(out)
    total = sizes.sum(axis=1)
    even = np.full_like(sizes, 1.0 / max(values.shape[1], 1))
    share = np.divide(sizes, total[:, None], out=even, where=total[:, None] > 0)
    return out + share * remainder[:, None], base_out


def softmax(scores: np.ndarray) -> np.ndarray:
    """Each class's chance from the class scores, shape (..., n_classes)."""
    shifted = scores - np.max(scores, axis=-1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=-1, keepdims=True)  # type: ignore[no-any-return]


_NODES, _WEIGHTS = np.polynomial.legendre.leggauss(64)
_NODES, _WEIGHTS = (_NODES + 1.0) / 2.0, _WEIGHTS / 2.0  # from [-1, 1] to [0, 1]


def softmax_to_chance(
    values: np.ndarray, base: np.ndarray, k: int, prediction: np.ndarray | None = None
) -> tuple[np.ndarray, float]:
    """Per-class contributions in class scores to points of one class's chance, so that they add up.

    A multiclass model's chance of class ``k`` depends on every class's score, so no one factor per row (as for
    log-odds) can convert it. Each column's contribution is instead the change in the chance it causes along the
    straight line from the baseline scores to the row's scores (integrated gradients), which adds up to the
    chance minus the baseline chance; for two classes it is exactly the log-odds rescaling above. The integral is
    taken by 64-point Gauss-Legendre quadrature; what little it leaves over is shared out by size.

    Parameters
    ----------
    values : ndarray of shape (n_rows, n_features, n_classes)
        Exact contributions to each class's score.
    base : ndarray of shape (n_classes,)
        The baseline scores.
    k : int
        The class whose chance is explained.
    prediction : ndarray of shape (n_rows,), optional
        The model's own chance of class ``k``; by default the softmax of the summed scores.

    Returns
    -------
    values : ndarray of shape (n_rows, n_features)
        Contributions to the chance of class ``k``; ``base_out + values.sum(1) == prediction``.
    base_out : float
        The baseline chance of class ``k``, ``softmax(base)[k]``.
    """
    delta = values.sum(axis=1)  # (n, K)
    base_out = float(softmax(base)[k])
    out = np.zeros(values.shape[:2])
    for t, weight in zip(_NODES, _WEIGHTS, strict=True):
        p = softmax(base + t * delta)  # (n, K)
        gradient = -p[:, k : k + 1] * p  # d p_k / d score_c = p_k (1[c = k] - p_c)
        gradient[:, k] += p[:, k]
        out += weight * np.einsum("nfc,nc->nf", values, gradient)
    target = (softmax(base + delta)[:, k] if prediction is None else prediction) - base_out
    residue = target - out.sum(axis=1)
    size = np.abs(out).sum(axis=1)
    share = np.where(size[:, None] > 0, np.abs(out) / np.where(size > 0, size, 1.0)[:, None], 1.0 / out.shape[1])
    return out + residue[:, None] * share, base_out
