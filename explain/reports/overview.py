"""The overview story: how many are at risk (or what the model expects), what drives it across all rows and
which way, what it is worth under the reader's assumptions, how good the model is, and what it was not built for.

Counts and averages come from the model's outputs on every row; the drivers from the population explanation
(for a slow method, a seeded sample of rows, which the report says).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explain.analyses.importance import RiskSummary, global_importance, risk_summary
from explain.bundle.bundle import Bundle
from explain.errors import NotAvailable, PlainsightError
from explain.figures.specs import BarsSpec
from explain.methods.explanation import Explanation
from explain.methods.registry import Progress
from explain.methods.saved import population_explanation
from explain.reports.charts import importance_spec
from explain.reports.common import Fact, Made, Table, made
from explain.reports.impact import ImpactReport, impact_report
from explain.reports.quality import quality_lines
from explain.reports.settings import Settings
from explain.words.business import business_answer
from explain.words.method import method_lines, sample_sentence
from explain.words.numbers import format_chance, say_output, unit_words
from explain.words.outcome import high_chance_label
from explain.words.overview import overview_drivers, overview_headline


@dataclass(frozen=True)
class OverviewReport:
    """Everything the overview page, its exports and ``plainsight report`` say about the model as a whole."""

    bundle_name: str
    title: str
    settings: Settings
    n_rows: int
    risk: RiskSummary | None
    headline: tuple[str, ...]
    facts: tuple[Fact, ...]
    chart_heading: str
    chart_caption: str
    importance: BarsSpec
    drivers: tuple[str, ...]
    sample_note: str | None
    business: tuple[str, ...] | NotAvailable
    acted: int | None  # how many the impact figures act on (the list to open), when there are money figures
    quality: tuple[str, ...] | NotAvailable
    limitations: tuple[str, ...]
    analyst: tuple[str, ...]
    table: Table
    made: Made


def overview_report(
    bundle: Bundle,
    settings: Settings | None = None,
    *,
    explanation: Explanation | None = None,
    progress: Progress | None = None,
) -> OverviewReport:
    """The whole-model story for the reader's settings.

    Parameters
    ----------
    explanation : Explanation, optional
        The population explanation, when the caller already has it (the app caches it); made here otherwise.
    progress : callable(fraction, message), optional
        Passed to a slow explanation method.
    """
    settings = settings or Settings()
    card, output = bundle.card, bundle.output
    explanation = explanation if explanation is not None else population_explanation(bundle, progress=progress)
    importance = global_importance(explanation)
    risk = risk_summary(bundle) if output.is_chance else None
    outputs = bundle.outputs
    headline = overview_headline(importance, risk=risk, outputs=outputs, output=output, card=card)
    money = _money(bundle, settings)
    if isinstance(money, ImpactReport) and money.impact is not None:
        headline = [business_answer(money.impact, card), *headline]  # the business answer comes first

    facts = [Fact(card.entities.capitalize(), f"{len(outputs):,}")]
    if risk is not None:
        above = f"{format_chance(risk.threshold)} or more"
        facts.append(
            Fact(
                f"{high_chance_label(card)} ({above})",
                f"{risk.n_high:,} ({format_chance(risk.share_high)})",
                help=f"{card.entities.capitalize()} whose chance to {card.outcome_positive} is "
                f"{format_chance(risk.threshold)} or higher, and their share of all {card.entities}.",
            )
        )
        facts.append(Fact(f"Average chance to {card.outcome_positive}", format_chance(risk.mean_chance)))
    elif len(outputs):
        low, mean, high = (say_output(output.shown(float(f(outputs))), output) for f in (np.min, np.mean, np.max))
        facts.append(Fact(f"Average {output.label[:1].lower()}{output.label[1:]}", mean))
        facts.append(Fact("From lowest to highest", f"{low} to {high}"))

    table = Table(
        columns=(
            "column",
            "label",
            f"mean |SHAP| ({output.name})",
            "share of total",
            "rows where it raises the output",
        ),
        rows=tuple(
            (r.feature, card.label(r.feature), round(r.importance, 3), round(r.share, 3), round(r.raises, 3))
            for r in importance.itertuples()
        ),
    )
    return OverviewReport(
        bundle_name=bundle.name,
        title=card.title,
        settings=settings,
        n_rows=len(outputs),
        risk=risk,
        headline=tuple(headline),
        facts=tuple(facts),
        chart_heading=f"What moves {output.what} most",
        chart_caption=f"How much each factor moves {output.what} for a typical {card.entity}{unit_words(output)}.",
        importance=importance_spec(importance, output, card),
        drivers=tuple(overview_drivers(explanation, importance, card)),
        sample_note=sample_sentence(explanation, _who(bundle)),
        business=money if isinstance(money, NotAvailable) else (money.missing or money.headline),
        acted=money.impact.n_acted if isinstance(money, ImpactReport) and money.impact is not None else None,
        quality=quality_lines(bundle),
        limitations=card.limitations,
        analyst=tuple(method_lines(explanation)),
        table=table,
        made=made(explanation, card.entities),
    )


def _who(bundle: Bundle) -> str:
    """Whom the counts are about: "customers", or "customers in this group" on a page narrowed to one."""
    return bundle.card.entities if bundle.group is None else f"{bundle.card.entities} in this group"


def _money(bundle: Bundle, settings: Settings) -> ImpactReport | NotAvailable:
    """The impact story under the reader's settings, or why it cannot be told (assumptions that do not fit)."""
    try:
        return impact_report(bundle, settings)
    except PlainsightError as exc:
        return NotAvailable(str(exc))
