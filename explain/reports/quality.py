"""How good the model is, as one part shared by the model page, the overview's exports and the CLI."""

from __future__ import annotations

from dataclasses import dataclass, field

from explain.analyses.quality import Quality, model_quality
from explain.bundle.bundle import Bundle
from explain.errors import ExplainError, NotAvailable
from explain.reports.common import Table
from explain.words.quality import quality_sentences, quality_table, training_data_sentence


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
    return QualityPart(
        sentences=tuple(quality_sentences(found, card)),
        training=training_data_sentence(card),
        flattering=card.reference_is_training is not False,
        table=Table(columns=("metric", "value"), rows=tuple(quality_table(found, card))),
        quality=found,
    )


def quality_lines(bundle: Bundle) -> tuple[str, ...] | NotAvailable:
    """The quality in a few sentences, with whether they flatter the model (the overview's section)."""
    part = quality_part(bundle)
    if isinstance(part, NotAvailable):
        return part
    return (*part.sentences, part.training)
