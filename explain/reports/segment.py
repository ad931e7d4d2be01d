"""The group story: a group of customers against everyone, side by side and in words, with how the model's
drivers and (for the analyst) its quality differ in the group.

The page shows it above the group's own overview (the overview report of the narrowed bundle); ``plainsight
segment`` prints it; the export puts it on a slide. One report, composed here once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from explain.analyses.segments import NOTABLE_RATIO, Comparison, compare
from explain.bundle.bundle import Bundle
from explain.bundle.filters import Segment
from explain.errors import NotAvailable
from explain.figures.specs import PairSpec
from explain.methods.explanation import Explanation
from explain.methods.registry import Progress
from explain.methods.saved import population_explanation
from explain.reports.charts import weights_pair_spec
from explain.reports.common import Made, Table, made
from explain.reports.quality import MIN_EACH_OUTCOME, MIN_QUALITY_ROWS, QualityPart, quality_part
from explain.reports.settings import Settings
from explain.words.method import sample_sentence
from explain.words.segments import (
    comparison_sentences,
    driver_sentences,
    group_description,
    group_intro,
    group_name,
    side_by_side,
)

THIS_GROUP = "This group"


@dataclass(frozen=True)
class SegmentReport:
    """Everything the overview's group section, its export and ``plainsight segment`` say about one group."""

    bundle_name: str
    title: str
    settings: Settings
    segment: Segment
    name: str  # the card's label, or the conditions in words
    description: str  # the conditions in words
    intro: str  # who is in it: "...: 1,595 of your 7,043 customers (23%)."
    headline: tuple[str, ...]  # how its chances and money compare
    side_by_side: Table  # (figure, this group, everyone)
    chart_heading: str
    drivers_chart: PairSpec
    drivers: tuple[str, ...]
    sample_note: str | None
    quality: tuple[str, ...] | NotAvailable  # the group's quality (the analyst's), or why it is not judged
    quality_table: Table | None  # (metric, this group, everyone)
    analyst: tuple[str, ...]
    table: Table  # each column's weight in the group and overall
    made: Made
    comparison: Comparison = field(repr=False, compare=False)


def segment_report(
    group: Bundle,
    settings: Settings | None = None,
    *,
    explanation: Explanation | None = None,
    everyone: Explanation | None = None,
    progress: Progress | None = None,
) -> SegmentReport:
    """The group story for ``group``, a bundle narrowed to the group (:func:`explain.analyses.segments.narrow`).

    Parameters
    ----------
    explanation, everyone : Explanation, optional
        The population explanations of the group and of the whole bundle, when the caller has them (the app
        caches them); made here otherwise.
    """
    if group.group is None:
        raise ValueError("segment_report takes a bundle narrowed to a group (see explain.analyses.segments.narrow)")
    settings = settings or Settings()
    card, output = group.card, group.output
    everyone = everyone if everyone is not None else population_explanation(group.whole, progress=progress)
    explanation = explanation if explanation is not None else population_explanation(group, progress=progress)
    comparison = compare(group, explanation, everyone)
    segment = group.group
    everyone_heading = f"All {card.entities}"
    rows = tuple(side_by_side(comparison, card, output))
    quality, quality_table = _quality(group)
    weights = comparison.group.weights, comparison.everyone.weights
    return SegmentReport(
        bundle_name=group.name,
        title=card.title,
        settings=settings,
        segment=segment,
        name=group_name(segment, card, output),
        description=group_description(segment, card, output),
        intro=group_intro(comparison, segment, card, output),
        headline=tuple(comparison_sentences(comparison, card, output)),
        side_by_side=Table(columns=("", THIS_GROUP, everyone_heading), rows=rows),
        chart_heading=f"What moves {output.what} in this group and for all {card.entities}",
        drivers_chart=weights_pair_spec(*weights, (THIS_GROUP, everyone_heading), output, card),
        drivers=tuple(driver_sentences(comparison, card, output)),
        sample_note=sample_sentence(explanation, f"{card.entities} in this group"),
        quality=quality,
        quality_table=quality_table,
        analyst=_analyst_lines(comparison),
        table=Table(
            columns=("column", "label", f"mean |SHAP| in group ({output.name})", "mean |SHAP| overall", "ratio"),
            rows=tuple(
                (
                    column,
                    card.label(column),
                    round(weights[0].get(column, 0.0), 3),
                    round(weight, 3),
                    round(weights[0].get(column, 0.0) / weight, 2) if weight > 0 else None,
                )
                for column, weight in weights[1].items()
            ),
        ),
        made=made(explanation, card.entities),
        comparison=comparison,
    )


def _quality(group: Bundle) -> tuple[tuple[str, ...] | NotAvailable, Table | None]:
    """The group's quality beside everyone's, or why it is not judged (no outcome, or too few to judge)."""
    mine = quality_part(group)  # a group too small to judge is not judged (the part says why)
    if isinstance(mine, NotAvailable):
        return mine, None
    everyone = quality_part(group.whole)
    theirs: dict[object, object] = (
        {row[0]: row[1] for row in everyone.table.rows} if isinstance(everyone, QualityPart) else {}
    )
    rows = tuple((metric, value, theirs.get(metric, "")) for metric, value in mine.table.rows)
    table = Table(columns=("metric", THIS_GROUP, f"All {group.card.entities}"), rows=rows)
    return (*mine.sentences, mine.training), table


def _analyst_lines(comparison: Comparison) -> tuple[str, ...]:
    ratios = [g.ratio for g in comparison.drivers]
    return (
        "Each row's SHAP values in the group are the values it has in the whole population (same explainer, same "
        "base value): the group's weights are the mean |SHAP| over its rows, so they compare directly.",
        f"A column's weight is called different when the group's is at least {NOTABLE_RATIO:g} times everyone's "
        f"or at most 1/{NOTABLE_RATIO:g} of it, among columns carrying 5% or more of the total weight on either "
        f"side (seeded random halves of the demo data differ by at most 1.03 times, over ten seeds).",
        "Counts, averages and value at risk use every row of the group; the quality figures need the outcome "
        f"and at least {MIN_QUALITY_ROWS} rows ({MIN_EACH_OUTCOME} of each class).",
    ) + ((f"Largest ratio here: {max(ratios, key=lambda r: abs(np.log(r))):.2f}.",) if ratios else ())
