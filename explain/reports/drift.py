"""The What changed story: newer data against the data the model knows, composed once for the page, the CLI and
the export.

Which columns moved, said plainly with the numbers before and after; how the average chance (or value) moved;
a plain warning when newer rows hold values the model never learned from; whether what drives the model moved;
and, when the newer data says what really happened, how the model's quality changed. The analyst's measures
(population stability index, Kolmogorov-Smirnov or chi-square with p-values) sit in a table beside the words.
"""

from __future__ import annotations

from dataclasses import dataclass

from explain.analyses.drift import (
    DRIVER_CHANGE,
    DRIVER_FLOOR,
    LARGE_PSI,
    SHIFT_PSI,
    ColumnDrift,
    Drift,
    Drivers,
    drift,
    driver_shifts,
    quality_change,
)
from explain.bundle.bundle import Bundle
from explain.bundle.output import Output
from explain.errors import ExplainError, NotAvailable
from explain.figures.specs import PairSpec
from explain.methods.explanation import Explanation
from explain.methods.registry import Progress
from explain.reports.charts import weights_pair_spec
from explain.reports.common import Fact, Made, Table, made
from explain.reports.settings import Settings
from explain.upload import Upload
from explain.words.drift import (
    chance_sentences,
    change_headline,
    column_sentences,
    driver_sentences,
    newer_sample_sentence,
    quality_change_sentences,
    quality_verdict,
    unlike_sentences,
)
from explain.words.method import how_made_analyst
from explain.words.numbers import format_chance, say_output
from explain.words.quality import quality_table

NAMES = ("Newer", "Earlier")  # the drivers chart's legend: the newer data coloured, the earlier in grey
MEASURES = ("column", "label", "kind", "PSI", "test", "statistic", "p-value", "level", "earlier", "newer", "new values")


@dataclass(frozen=True)
class ColumnChange:
    """One column that moved: its label, how much (``level``: "shift" or "large"; "new" for new values only),
    and what changed in plain sentences."""

    column: str
    label: str
    level: str
    sentences: tuple[str, ...]


@dataclass(frozen=True)
class DriftReport:
    """Everything the What changed page, its export and ``plainsight drift`` say."""

    bundle_name: str
    title: str
    settings: Settings
    source: str  # the newer data's file name
    reference_rows: int
    current_rows: int
    headline: tuple[str, ...]
    facts: tuple[Fact, ...]
    changes: tuple[ColumnChange, ...]  # the columns that moved, most first
    warning: tuple[str, ...]  # rows unlike the reference: empty when there are none
    chance: tuple[str, ...]  # how the average chance (or value) moved
    drivers_heading: str
    drivers_chart: PairSpec
    drivers: tuple[str, ...]
    sample_note: str | None
    quality: tuple[str, ...] | NotAvailable
    file_notes: tuple[str, ...]  # what reading the file found: rows left out, gaps, values never seen
    table: Table  # the analyst's measures, one row per column
    drivers_table: Table
    quality_table: Table | None
    analyst: tuple[str, ...]
    made: Made


def drift_report(
    bundle: Bundle,
    current: Upload,
    settings: Settings | None = None,
    *,
    source: str,
    reference: Explanation | None = None,
    progress: Progress | None = None,
) -> DriftReport:
    """What changed between the bundle's reference data and the newer rows ``current`` (read with
    :func:`~explain.upload.current.read_current`).

    Parameters
    ----------
    source : str
        The newer data's file name, as the reader knows it.
    reference : Explanation, optional
        The bundle's population explanation when the caller has it (the app caches it).
    progress : callable(fraction, message), optional
        Passed to a slow explanation method.
    """
    if current.frame is None:
        raise ValueError("drift_report needs an upload with rows (Upload.ok)")
    settings = settings or Settings()
    card, output, frame = bundle.card, bundle.output, current.frame
    found = drift(bundle, frame)
    drivers = driver_shifts(bundle, frame, reference=reference, progress=progress)
    quality, quality_words, verdict = _quality(bundle, current, found)
    changes = tuple(
        ColumnChange(
            column=c.column,
            label=card.label(c.column),
            level=c.level if c.level != "steady" else "new",
            sentences=tuple(column_sentences(c, card, rows=found.current_rows)),
        )
        for c in found.moved
    )
    warning = tuple(unlike_sentences(found, card))
    chance = tuple(chance_sentences(found, output, card))
    headline = [change_headline(found, card), chance[0], *warning[:1], *verdict[:1]]
    chart = weights_pair_spec(
        _sizes(drivers, current=True), _sizes(drivers, current=False), NAMES, output, card, max_features=8
    )
    return DriftReport(
        bundle_name=bundle.name,
        title=f"What changed: {card.title}",
        settings=settings,
        source=source,
        reference_rows=found.reference_rows,
        current_rows=found.current_rows,
        headline=tuple(headline),
        facts=_facts(found, output, bundle),
        changes=changes,
        warning=warning,
        chance=chance,
        drivers_heading=f"What moves {output.what} most, earlier and now",
        drivers_chart=chart,
        drivers=tuple(driver_sentences(drivers, output, card)),
        sample_note=newer_sample_sentence(drivers.current, card),
        quality=quality_words,
        file_notes=tuple([p.message for p in current.problems] + list(current.notes)),
        table=_measures(found, bundle),
        drivers_table=_drivers_table(drivers, bundle),
        quality_table=quality,
        analyst=_analyst(drivers),
        made=made(drivers.current, f"newer {card.entities}"),
    )


def _sizes(drivers: Drivers, *, current: bool) -> dict[str, float]:
    return {d.column: d.current if current else d.reference for d in drivers.columns}


def _quality(
    bundle: Bundle, current: Upload, found: Drift
) -> tuple[Table | None, tuple[str, ...] | NotAvailable, tuple[str, ...]]:
    """The analyst's table, the sentences (or why there are none) and the verdict for the headline."""
    card = bundle.card
    if current.outcome is None or current.frame is None:
        why = "the model card does not name the outcome" if card.target is None else f"{card.target} is not in it"
        missing = (
            f"The newer data does not say what really happened ({why}). So the model's quality on it cannot be checked."
        )
        return None, NotAvailable(missing), ()
    try:
        change = quality_change(bundle, current.frame, current.outcome, found.outputs)
    except ExplainError as exc:
        return None, NotAvailable(f"The model's quality on the newer data could not be checked: {exc}"), ()
    newer = dict(quality_table(change.current, card))
    earlier = dict(quality_table(change.reference, card)) if change.reference is not None else {}
    table = Table(
        columns=("metric", "earlier", "newer"),
        rows=tuple((name, earlier.get(name, "n/a"), value) for name, value in newer.items()),
    )
    verdict = quality_verdict(change, card)
    return table, tuple(quality_change_sentences(change, card)), tuple(verdict)


def _facts(found: Drift, output: Output, bundle: Bundle) -> tuple[Fact, ...]:
    card = bundle.card
    unlike = int(found.unlike.sum())
    then = say_output(output.shown(found.reference_output), output)
    now = say_output(output.shown(found.current_output), output)
    average = f"Average {output.what.removeprefix('the ')}"
    return (
        Fact(f"Newer {card.entities}", f"{found.current_rows:,}"),
        Fact(
            "What changed",
            f"{len(found.moved)} of {len(found.columns)}",
            help="How many of the things the model looks at changed enough to matter.",
        ),
        Fact(f"{average} (was {then})", now),  # the earlier figure in the label: a value stays short enough to show
        Fact(
            "Unlike the earlier ones",
            f"{unlike:,} ({format_chance(unlike / found.current_rows if found.current_rows else 0)})",
            help=f"Newer {card.entities} with a value the model never saw when it learned.",
        ),
    )


def _measures(found: Drift, bundle: Bundle) -> Table:
    """The analyst's table: one row per column, largest PSI first."""
    return Table(
        columns=(
            "column",
            "label",
            "kind",
            "PSI",
            "test",
            "statistic",
            "p-value",
            "level",
            "earlier",
            "newer",
            "new values",
        ),
        rows=tuple(
            (
                c.column,
                bundle.card.label(c.column),
                c.kind,
                round(c.psi, 4),
                c.test,
                round(c.statistic, 4),
                float(f"{c.p_value:.3g}"),
                c.level,
                *_then_now(c),
                ", ".join(c.new_categories),
            )
            for c in found.columns
        ),
    )


def _then_now(c: ColumnDrift) -> tuple[str, str]:
    """Numbers: the medians; categories: the share of the value whose share moved most."""
    if c.kind == "number":
        then, now = (f"median {v:.4g}" if v is not None else "n/a" for v in (c.reference_median, c.current_median))
        return then, now
    before, after = c.reference_shares or {}, c.current_shares or {}
    value = max(sorted(set(before) | set(after)), key=lambda v: abs(after.get(v, 0.0) - before.get(v, 0.0)))
    return f"{value}: {before.get(value, 0.0):.1%}", f"{value}: {after.get(value, 0.0):.1%}"


def _drivers_table(drivers: Drivers, bundle: Bundle) -> Table:
    unit = bundle.output.name
    return Table(
        columns=(
            "column",
            "label",
            f"earlier mean |SHAP| ({unit})",
            f"newer mean |SHAP| ({unit})",
            "earlier rank",
            "newer rank",
            "moved",
        ),
        rows=tuple(
            (
                d.column,
                bundle.card.label(d.column),
                round(d.reference, 3),
                round(d.current, 3),
                d.reference_rank,
                d.current_rank,
                d.moved,
            )
            for d in drivers.columns
        ),
    )


def _analyst(drivers: Drivers) -> tuple[str, ...]:
    return (
        f"A column moved when its population stability index (PSI) is {SHIFT_PSI:g} or more ({LARGE_PSI:g} or more: "
        "large), over the reference's deciles for numbers (gaps a bin of their own) or each value's share for "
        "categories; a value only the newer data holds is always named.",
        "The p-values (two-sample Kolmogorov-Smirnov for numbers, chi-square for categories, from scipy) are shown "
        "beside it but do not raise the alarm: with thousands of rows they are tiny for changes nobody would act on.",
        f"Drivers: mean |SHAP| per raw column on the reference's population explanation and on the newer rows "
        f"({how_made_analyst(drivers.current)}); a driver moved when it changed by {DRIVER_CHANGE:.0%} of its size "
        f"and by {DRIVER_FLOOR:.0%} of all the columns' together.",
        "Rows unlike the reference: a number outside the reference's range, or a category the model never saw.",
    )
