"""What changed between the reference data and newer data, column by column: numbers only (issue 16, first part).

For each raw column the model takes:

- **Numbers**: the reference's deciles cut both samples into ten bins (gaps get a bin of their own); the
  population stability index (PSI) compares the bins' shares, and the two-sample Kolmogorov-Smirnov test
  (``scipy.stats.ks_2samp``) the values themselves. The medians and means are kept for the words ("the typical
  monthly bill rose from $65 to $71").
- **Categories**: each value's share in both (gaps are a value of their own, a value only the newer data holds is
  *new*); PSI over the shares and the chi-square test of the two count tables (``scipy.stats.chi2_contingency``).

Which columns moved is decided by PSI alone, on the usual scale (under 0.1 steady, 0.1 to 0.25 a shift, 0.25 or
more a large one): with thousands of rows every p-value is tiny for a change nobody would act on, so the tests'
p-values are shown to the analyst beside it, never used to raise the alarm. A category held by new rows and never
by the reference is always named. PSI's empty bins get a floor of 1e-4 of a share, as is usual, so it stays finite.

Rows unlike anything the model learned from are counted per row: a number outside the reference's range, or a
category the model never saw (:class:`~explain.analyses.whatif.ColumnRange`).

Whether the drivers moved (:func:`driver_shifts`): each column's average effect (mean absolute contribution, as
:func:`~explain.analyses.importance.global_importance`) on the reference's population explanation and on the newer
rows (a seeded sample of them when there are more than a population view explains). A driver moved when its
average effect changed by a quarter of what it was *and* by at least 5% of all the columns' effects together, so
small drivers' wobbles from sampling do not raise an alarm. How the model's quality changed
(:func:`quality_change`) is the reference's quality beside the same figures on the newer rows whose outcome is
known (:func:`~explain.analyses.quality.quality_on`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from explain.analyses.importance import global_importance
from explain.analyses.quality import Quality, model_quality, quality_on
from explain.analyses.whatif import column_ranges_cached
from explain.bundle.bundle import PREDICT_CHUNK, Bundle
from explain.errors import ExplainError
from explain.methods.explanation import Explanation
from explain.methods.reasons import explain_many
from explain.methods.registry import Progress
from explain.methods.saved import population_explanation

SHIFT_PSI = 0.1  # from here a column has moved
LARGE_PSI = 0.25  # from here it has moved a lot
_FLOOR = 1e-4  # the smallest share PSI uses, so an empty bin does not make it infinite
_BINS = 10
GAP = "(not recorded)"  # the key of the gaps' share among a category's values
DRIVER_CHANGE = 0.25  # a driver moved when its average effect changed by this share of what it was...
DRIVER_FLOOR = 0.05  # ...and by at least this share of all the columns' average effects together


@dataclass(frozen=True)
class ColumnDrift:
    """How one raw column differs between the reference data and the newer data."""

    column: str
    kind: Literal["number", "category"]
    psi: float
    test: Literal["ks", "chi-square"]
    statistic: float
    p_value: float
    level: Literal["steady", "shift", "large"]
    reference_median: float | None = None  # numbers
    current_median: float | None = None
    reference_mean: float | None = None
    current_mean: float | None = None
    reference_missing: float = 0.0  # numbers: the share of gaps (0-1); categories keep theirs under GAP
    current_missing: float = 0.0
    reference_shares: dict[str, float] | None = None  # categories: each value's share (0-1), gaps under GAP
    current_shares: dict[str, float] | None = None
    new_categories: tuple[str, ...] = ()  # values only the newer data holds

    @property
    def moved(self) -> bool:
        return self.level != "steady" or bool(self.new_categories)


@dataclass(frozen=True)
class Drift:
    """Every column's drift, the model's average output on both, and the rows unlike the reference."""

    columns: tuple[ColumnDrift, ...]  # largest PSI first
    reference_rows: int
    current_rows: int
    reference_output: float  # the model's mean output (a chance 0-1, or a value)
    current_output: float
    unlike: np.ndarray  # (current_rows,) bool: a value outside the reference's range, or a category never seen
    unlike_counts: tuple[tuple[str, int], ...] = ()  # per column, the rows with such a value there (most first)
    outputs: np.ndarray = field(default_factory=lambda: np.zeros(0), repr=False)  # (current_rows,) the model's

    @property
    def moved(self) -> tuple[ColumnDrift, ...]:
        return tuple(c for c in self.columns if c.moved)


def drift(bundle: Bundle, current: pd.DataFrame) -> Drift:
    """Compare ``current`` (the model's raw columns, typed like ``bundle.X``) with the bundle's reference data."""
    columns = []
    for column in bundle.features:
        reference, newer = bundle.X[column], current[column]
        numeric = pd.api.types.is_numeric_dtype(reference) and not pd.api.types.is_bool_dtype(reference)
        columns.append(_numbers(column, reference, newer) if numeric else _categories(column, reference, newer))
    columns.sort(key=lambda c: (-c.psi, c.column))
    outputs = _predict(bundle, current[bundle.features])
    by_column = unlike_by_column(bundle, current)
    unlike = np.zeros(len(current), dtype=bool)
    for flags in by_column.values():
        unlike |= flags
    return Drift(
        columns=tuple(columns),
        reference_rows=len(bundle.X),
        current_rows=len(current),
        reference_output=float(np.mean(bundle.outputs)),
        current_output=float(np.mean(outputs)),
        unlike=unlike,
        unlike_counts=tuple(sorted(((c, int(f.sum())) for c, f in by_column.items()), key=lambda p: (-p[1], p[0]))),
        outputs=outputs,
    )


def _predict(bundle: Bundle, X: pd.DataFrame) -> np.ndarray:
    """The model's output for every row, in chunks (as the bundle scores its own rows: less memory at once)."""
    if len(X) <= PREDICT_CHUNK:
        return bundle.predict(X)
    return np.concatenate([bundle.predict(X.iloc[i : i + PREDICT_CHUNK]) for i in range(0, len(X), PREDICT_CHUNK)])


def psi(reference_shares: np.ndarray, current_shares: np.ndarray) -> float:
    """The population stability index of two share vectors over the same bins (each summing to 1)."""
    a = np.maximum(np.asarray(reference_shares, dtype=float), _FLOOR)
    b = np.maximum(np.asarray(current_shares, dtype=float), _FLOOR)
    return float(np.sum((b - a) * np.log(b / a)))


def _level(value: float) -> Literal["steady", "shift", "large"]:
    return "large" if value >= LARGE_PSI else "shift" if value >= SHIFT_PSI else "steady"


def _numbers(column: str, reference: pd.Series, current: pd.Series) -> ColumnDrift:
    a = pd.to_numeric(reference, errors="coerce").to_numpy(dtype=float)
    b = pd.to_numeric(current, errors="coerce").to_numpy(dtype=float)
    a_known, b_known = a[~np.isnan(a)], b[~np.isnan(b)]
    edges = np.unique(np.quantile(a_known, np.linspace(0, 1, _BINS + 1)[1:-1])) if len(a_known) else np.array([])

    def shares(values: np.ndarray) -> np.ndarray:
        known = values[~np.isnan(values)]
        counts = np.bincount(np.searchsorted(edges, known, side="right"), minlength=len(edges) + 1).astype(float)
        return np.append(counts, np.isnan(values).sum()) / max(len(values), 1)

    ks = stats.ks_2samp(a_known, b_known) if len(a_known) and len(b_known) else None
    value = psi(shares(a), shares(b))
    return ColumnDrift(
        column=column,
        kind="number",
        psi=value,
        test="ks",
        statistic=float(ks.statistic) if ks is not None else 0.0,
        p_value=float(ks.pvalue) if ks is not None else 1.0,
        level=_level(value),
        reference_median=float(np.median(a_known)) if len(a_known) else None,
        current_median=float(np.median(b_known)) if len(b_known) else None,
        reference_mean=float(np.mean(a_known)) if len(a_known) else None,
        current_mean=float(np.mean(b_known)) if len(b_known) else None,
        reference_missing=float(np.isnan(a).mean()) if len(a) else 0.0,
        current_missing=float(np.isnan(b).mean()) if len(b) else 0.0,
    )


def _categories(column: str, reference: pd.Series, current: pd.Series) -> ColumnDrift:
    a = reference.astype(object).where(reference.notna(), GAP).astype(str)
    b = current.astype(object).where(current.notna(), GAP).astype(str)
    a_counts, b_counts = a.value_counts(), b.value_counts()
    values = sorted(set(a_counts.index) | set(b_counts.index))
    table = np.array([[a_counts.get(v, 0) for v in values], [b_counts.get(v, 0) for v in values]], dtype=float)
    a_shares, b_shares = table[0] / max(table[0].sum(), 1), table[1] / max(table[1].sum(), 1)
    seen = table.sum(axis=0) > 0
    if seen.sum() > 1:
        chi = stats.chi2_contingency(table[:, seen])
        statistic, p_value = float(chi.statistic), float(chi.pvalue)
    else:  # one value in both: nothing to test
        statistic, p_value = 0.0, 1.0
    value = psi(a_shares, b_shares)
    return ColumnDrift(
        column=column,
        kind="category",
        psi=value,
        test="chi-square",
        statistic=statistic,
        p_value=p_value,
        level=_level(value),
        reference_shares={v: float(s) for v, s in zip(values, a_shares, strict=True)},
        current_shares={v: float(s) for v, s in zip(values, b_shares, strict=True)},
        new_categories=tuple(v for v in values if a_counts.get(v, 0) == 0 and v != GAP),
    )


def unlike_rows(bundle: Bundle, current: pd.DataFrame) -> np.ndarray:
    """Which rows of ``current`` hold a number outside the reference's range or a category the model never saw."""
    unlike = np.zeros(len(current), dtype=bool)
    for flags in unlike_by_column(bundle, current).values():
        unlike |= flags
    return unlike


def unlike_by_column(bundle: Bundle, current: pd.DataFrame) -> dict[str, np.ndarray]:
    """Per column, which rows of ``current`` hold a value unlike the reference's (only columns with any)."""
    found = {}
    for column, spec in column_ranges_cached(bundle).items():
        values = current[column]
        if spec.numeric:
            numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
            assert spec.low is not None and spec.high is not None
            with np.errstate(invalid="ignore"):
                flags = (numbers < spec.low) | (numbers > spec.high)
        else:
            codes, distinct = pd.factorize(values, use_na_sentinel=True)
            flags = np.array([bool(spec.unseen(v)) for v in distinct] + [False], dtype=bool)[codes]
        if flags.any():
            found[column] = flags
    return found


@dataclass(frozen=True)
class DriverShift:
    """One column's average effect on the model's output, on the reference data and on the newer data."""

    column: str
    reference: float  # mean |contribution| on the reference rows, in the reader's unit (points of a chance, or $)
    current: float  # the same on the newer rows
    reference_rank: int  # 1: the largest
    current_rank: int
    moved: bool


@dataclass(frozen=True)
class Drivers:
    """What drives the model on both data: every column, in the reference's order (largest effect first)."""

    columns: tuple[DriverShift, ...]
    reference: Explanation = field(repr=False, compare=False)
    current: Explanation = field(repr=False, compare=False)  # may be a seeded sample (see its provenance)

    @property
    def moved(self) -> tuple[DriverShift, ...]:
        return tuple(d for d in self.columns if d.moved)


def driver_shifts(
    bundle: Bundle,
    current: pd.DataFrame,
    *,
    reference: Explanation | None = None,
    progress: Progress | None = None,
) -> Drivers:
    """Each column's average effect on the reference data and on ``current``, and whether it moved.

    Parameters
    ----------
    reference : Explanation, optional
        The bundle's population explanation when the caller has it (the app caches it); read or made otherwise.
    progress : callable(fraction, message), optional
        Passed to a slow explanation method.
    """
    reference = reference if reference is not None else population_explanation(bundle, progress=progress)
    newer = current_explanation(bundle, current, progress=progress)
    before = global_importance(reference).set_index("feature")["importance"]
    after = global_importance(newer).set_index("feature")["importance"]
    floor = DRIVER_FLOOR * float(before.sum())
    rank_before = {c: i + 1 for i, c in enumerate(before.index)}
    rank_after = {c: i + 1 for i, c in enumerate(after.index)}
    columns = []
    for column, size in before.items():
        now = float(after[column])
        change = abs(now - float(size))
        columns.append(
            DriverShift(
                column=str(column),
                reference=float(size),
                current=now,
                reference_rank=rank_before[column],
                current_rank=rank_after[column],
                moved=bool(change >= DRIVER_CHANGE * float(size) and change >= floor and change > 0),
            )
        )
    return Drivers(columns=tuple(columns), reference=reference, current=newer)


def current_explanation(bundle: Bundle, current: pd.DataFrame, *, progress: Progress | None = None) -> Explanation:
    """The newer rows explained as the reference's population is (:func:`~explain.methods.reasons.explain_many`):
    every row, or a seeded sample, recorded in the provenance so the words say so."""
    return explain_many(bundle, X=current[bundle.features], progress=progress)


@dataclass(frozen=True)
class QualityChange:
    """The model's quality on the reference data (None when it holds no outcome) and on the newer data."""

    reference: Quality | None
    current: Quality


def quality_change(bundle: Bundle, current: pd.DataFrame, outcome: pd.Series, outputs: np.ndarray) -> QualityChange:
    """The model's quality on the newer rows (``outcome``: what really happened to them; ``outputs``: the model's
    outputs for them, as :func:`drift` worked them out) beside its quality on the reference data.

    Raises
    ------
    ExplainError
        As :func:`~explain.analyses.quality.quality_on`: an empty outcome, or one that does not fit the model.
    """
    try:
        reference = model_quality(bundle)
    except ExplainError:  # the reference's own outcome does not fit the model: the newer figures stand alone
        reference = None
    return QualityChange(reference=reference, current=quality_on(bundle, current, outcome, outputs))
