"""The model-agnostic fallback: Shapley values estimated by sampling permutations, with their standard errors.

Used only when no exact method exists for the model (an SVM, a neural net, a custom estimator, preprocessing that
mixes columns). It treats the whole model as a black box on the raw columns.

The estimate is of the interventional Shapley values against the whole reference data. Each sample is an
antithetic pair (a random order of the columns and its reverse, which cancels much of the noise) evaluated
against its own random draw of reference rows, so the spread between samples covers both sources of error and
gives each contribution a standard error. Samples are added until every standard error on the row is small (half
a percentage point of a chance, or 1% of the spread of a value) or the budget is spent; what is reached is
recorded, never hidden. The contributions add up exactly: what a sample's reference rows differ from the whole
reference data is shared out by each contribution's uncertainty.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from explain.bundle.bundle import Bundle
from explain.methods.codec import Codec, make_codec
from explain.methods.explanation import Explanation, Provenance
from explain.methods.registry import Method, Progress

BACKGROUND_ROWS = 20  # reference rows each sample compares with (a fresh draw per sample)
FIRST_PAIRS, MORE_PAIRS, MAX_PAIRS = 8, 8, 48
# Many rows at once (a whole-population view) take the first samples only: each row's error is still measured
# and shown, and the view's averages over hundreds of rows carry far less noise than any one row.
MANY_ROWS = 10
POPULATION_CAP = 500  # rows the slow fallback explains for a whole-population view
BATCH_ROWS = 50_000  # model rows per call to predict: bounds memory, and reports progress often
SEED = 0


def target_error(bundle: Bundle) -> float:
    """The standard error to reach on every contribution, in the model's own output (0-1 for a chance)."""
    if bundle.is_classifier:
        return 0.005  # half a percentage point
    return 0.01 * float(np.std(bundle.outputs)) or 1e-9


def contributions(
    predict: Callable[[pd.DataFrame], np.ndarray],
    X: pd.DataFrame,
    reference: pd.DataFrame,
    *,
    base: float,
    outputs: np.ndarray,
    seed: int,
    target: float,
    progress: Progress | None = None,
    max_pairs: int = MAX_PAIRS,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sampled Shapley values of ``predict`` for the rows of ``X`` against ``reference``, with standard errors.

    Parameters
    ----------
    predict : callable(DataFrame) -> ndarray of shape (n,)
    X : DataFrame of shape (n_rows, n_columns)
    reference : DataFrame
        The rows a missing column's value is drawn from.
    base : float
        The average of ``predict`` over ``reference`` (the values add up to each row's output minus it).
    outputs : ndarray of shape (n_rows,)
        ``predict(X)``, worked out once by the caller.
    seed : int
    target : float
        Stop adding samples to a row when every one of its standard errors is at most this.

    Returns
    -------
    values, errors : ndarray of shape (n_rows, n_columns)
        The estimates and their standard errors, in the output of ``predict``.
    pairs : ndarray of shape (n_rows,)
        How many antithetic pairs each row took.
    """
    codec = make_codec(pd.concat([reference, X]))
    rows, pool = codec.encode(X), codec.encode(reference)
    rng = np.random.default_rng(seed)
    n, f = rows.shape
    sums, squares = np.zeros((n, f)), np.zeros((n, f))
    pairs = np.zeros(n, dtype=int)
    active = np.arange(n)
    planned = n * min(FIRST_PAIRS, max_pairs)
    done = 0

    def tick(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress(
                min(done / planned, 1.0), f"Estimated {min(done, planned) // max(planned // n, 1):,} of {n:,} rows"
            )

    while len(active):
        batch = min(FIRST_PAIRS if pairs[active[0]] == 0 else MORE_PAIRS, max_pairs - int(pairs[active[0]]))
        if pairs[active[0]] > 0:  # a further round for the rows still short of the target: it is planned now
            planned = done + len(active) * batch
        samples = _pairs(predict, codec, rows[active], pool, batch, rng, tick)  # (active, batch, f)
        sums[active] += samples.sum(axis=1)
        squares[active] += (samples**2).sum(axis=1)
        pairs[active] += batch
        errors = _errors(sums[active], squares[active], pairs[active])
        active = active[(errors.max(axis=1) > target) & (pairs[active] < max_pairs)]
    values = sums / pairs[:, None]
    errors = _errors(sums, squares, pairs)
    # Each sample adds up to the row's output minus its own reference rows' average; share out what those
    # averages differ from the whole reference's, by uncertainty, so the estimate adds up exactly.
    residue = outputs - base - values.sum(axis=1)
    weight = errors**2
    total = weight.sum(axis=1, keepdims=True)
    share = np.where(total > 0, weight / np.where(total > 0, total, 1.0), 1.0 / f)
    return values + residue[:, None] * share, errors, pairs


def _errors(sums: np.ndarray, squares: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """The standard error of each mean over antithetic pairs."""
    k = pairs[:, None].astype(float)
    variance = np.maximum(squares - sums**2 / k, 0.0) / np.maximum(k - 1.0, 1.0)
    return np.sqrt(variance / k)  # type: ignore[no-any-return]


def _pairs(
    predict: Callable[[pd.DataFrame], np.ndarray],
    codec: Codec,
    rows: np.ndarray,
    pool: np.ndarray,
    batch: int,
    rng: np.random.Generator,
    tick: Callable[[int], None],
) -> np.ndarray:
    """``batch`` antithetic samples for each row: shape (n_rows, batch, n_columns)."""
    n, f = rows.shape
    b = min(BACKGROUND_ROWS, len(pool))
    out = np.zeros((n, batch, f))
    per_call = max(1, BATCH_ROWS // (2 * (f + 1) * b))  # samples that fit one call to predict
    tasks = [(i, s) for i in range(n) for s in range(batch)]
    for start in range(0, len(tasks), per_call):
        chunk = tasks[start : start + per_call]
        orders = np.array([rng.permutation(f) for _ in chunk])  # (c, f)
        draws = np.array([rng.choice(len(pool), b, replace=False) for _ in chunk])  # (c, b)
        # For each sample: the order and its reverse; steps 0..f switch the row's values on, one column at a time.
        both = np.concatenate([orders, orders[:, ::-1]])  # (2c, f)
        backgrounds = np.concatenate([pool[draws], pool[draws]])  # (2c, b, f)
        targets = np.concatenate([rows[[i for i, _ in chunk]]] * 2)  # (2c, f)
        rank = np.argsort(both, axis=1)  # the step at which each column is switched on
        steps = np.arange(f + 1)[None, :, None] > rank[:, None, :]  # (2c, f+1, f): on at step t?
        states = np.where(steps[:, :, None, :], targets[:, None, None, :], backgrounds[:, None, :, :])
        flat = states.reshape(-1, f)  # (2c * (f+1) * b, f)
        scores = np.asarray(predict(codec.decode(flat)), dtype=float).reshape(len(both), f + 1, b).mean(axis=2)
        steps_gain = np.diff(scores, axis=1)  # (2c, f): the gain of the column switched on at each step
        gains = np.zeros((len(both), f))
        np.put_along_axis(gains, both, steps_gain, axis=1)
        half = len(chunk)
        paired = (gains[:half] + gains[half:]) / 2.0  # an antithetic pair is one sample
        for (i, s), value in zip(chunk, paired, strict=True):
            out[i, s] = value
        tick(len(chunk))
    return out


def explain(
    bundle: Bundle,
    X: pd.DataFrame,
    *,
    progress: Progress | None = None,
    samples: int | None = None,
    seed: int | None = None,
) -> Explanation:
    """Sampled Shapley values of the whole model, with a standard error for each.

    ``samples`` caps the antithetic pairs per row (default 48 for a few rows, 8 for many); ``seed`` fixes every
    draw.
    """
    seed = SEED if seed is None else seed
    prediction = bundle.predict(X)
    budget = samples or (MAX_PAIRS if len(X) <= MANY_ROWS else FIRST_PAIRS)
    base = float(np.mean(bundle.outputs))
    values, errors, pairs = contributions(
        bundle.predict,
        X,
        bundle.X,
        base=base,
        outputs=prediction,
        seed=seed,
        target=target_error(bundle),
        progress=progress,
        max_pairs=budget,
    )
    output = bundle.output
    return Explanation(
        values=values * output.scale,
        base_value=base * output.scale,
        prediction=prediction * output.scale,
        data=X,
        feature_names=bundle.features,
        row_ids=[str(i) for i in X.index],
        output=output,
        provenance=Provenance(
            method="permutation-sampling",
            exact=False,
            native_space="output",
            seed=seed,
            background_rows=min(BACKGROUND_ROWS, len(bundle.X)),
            permutations=int(pairs.max(initial=0)),
        ),
        errors=errors * output.scale,
    )


METHOD = Method(
    name="permutation-sampling",
    role="reasons",
    exact=False,
    plain="estimated by trying many combinations of the facts (a close estimate, not exact)",
    analyst="model-agnostic antithetic permutation sampling of interventional Shapley values against the reference "
    "data, with a standard error per value",
    applies=lambda bundle: True,
    explain=explain,
    priority=1000,  # the fallback: any model, but slow and approximate
    population_cap=POPULATION_CAP,
)
