"""How good the model is, as one part shared by the model page, the overview's exports and the CLI."""

from __future__ import annotations

from dataclasses import dataclass, field

from explain.analyses.quality import ClassifierQuality, Quality, model_quality
from explain.bundle.bundle import Bundle
from explain.bundle.card import Card
from explain.errors import ExplainError, NotAvailable
from explain.reports.common import Table
from explain.words.quality import quality_sentences, quality_table, training_data_sentence

# Below these, a group's quality figures are mostly chance: they are not shown, and the page says why.
MIN_QUALITY_ROWS = 100  # rows with a known outcome
MIN_EACH_OUTCOME = 10  # of each outcome, for a classifier (recall and precision need both)


@dataclass(frozen=True)
class QualityPart:
    """The quality figures in plain words, whether they flatter the model, and the analyst's table and numbers."""

    sentences: tuple[str, ...]
    training: str  # whether the figures are fair (the data is, or may be, what the model learned from)
    flattering: bool  # True unless the card says the data is new to the model: the page warns
    table: Table
    quality: Quality = field(repr=False, compare=False)  # the numbers behind the analyst's charts


def quality_part(bundle: Bundle) -> QualityPart | NotAvailable:
    """The model's quality on its reference data, or why it cannot be given (no outcome in the data, or an
    outcome column that does not fit the model)."""
    card = bundle.card
    try:
        found = model_quality(bundle)
    except ExplainError as exc:
        return NotAvailable(f"The model's quality could not be checked: {exc}")
    if found is None:
        column = f"the column {card.target}" if card.target else "the real outcome"
        return NotAvailable(
            f"To say how good the model is, the data needs what really happened to each {card.entity}. "
            f"It does not hold {column}"
            + ("" if card.target else "; the model card can name that column (target: …)")
            + "."
        )
    if bundle.group is not None:
        small = _too_small(found, bundle)
        if small is not None:
            return small
    return QualityPart(
        sentences=tuple(quality_sentences(found, card)),
        training=training_data_sentence(card),
        flattering=card.reference_is_training is not False,
        table=Table(columns=("metric", "value"), rows=tuple(quality_table(found, card))),
        quality=found,
    )


def _too_small(quality: Quality, group: Bundle) -> NotAvailable | None:
    """Why the group is too small to judge the model on, or None when it is large enough."""
    card = group.card
    n = quality.n_rows
    if isinstance(quality, ClassifierQuality):
        positives = int(quality.tp + quality.fn)
        negatives = n - positives
        if n >= MIN_QUALITY_ROWS and min(positives, negatives) >= MIN_EACH_OUTCOME:
            return None
        return NotAvailable(
            f"This group is too small to judge how good the model is in it: it has {_count(n, card)} whose "
            f"outcome is known: {positives:,} did {card.outcome_positive} and {negatives:,} did not. "
            f"It takes at least {MIN_QUALITY_ROWS} {card.entities}, with {MIN_EACH_OUTCOME} or more of each."
        )
    if n >= MIN_QUALITY_ROWS:
        return None
    return NotAvailable(
        f"This group is too small to judge how good the model is in it: it has {_count(n, card)} whose "
        f"outcome is known, and it takes at least {MIN_QUALITY_ROWS}."
    )


def _count(n: int, card: Card) -> str:
    return f"{n:,} {card.entity if n == 1 else card.entities}"


def quality_lines(bundle: Bundle) -> tuple[str, ...] | NotAvailable:
    """The quality in a few sentences, with whether they flatter the model (the overview's section)."""
    part = quality_part(bundle)
    if isinstance(part, NotAvailable):
        return part
    return (*part.sentences, part.training)
