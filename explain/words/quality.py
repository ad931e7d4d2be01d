"""How good the model is, in plain words for everyone and in a table of technical names for the analyst."""

from __future__ import annotations

import math

import numpy as np

from explain.analyses.quality import ClassifierQuality, Quality, RegressionQuality
from explain.bundle.card import Card
from explain.words.grammar import capitalize, lower_label, plural_verb
from explain.words.numbers import article, format_number, format_with_unit, natural_frequency


def quality_sentences(q: Quality, card: Card) -> list[str]:
    """The quality figures in the stakeholder's words: short sentences, natural frequencies, no jargon."""
    if isinstance(q, ClassifierQuality):
        return _classifier_sentences(q, card)
    return _regression_sentences(q, card)


def format_threshold(threshold: float) -> str:
    """The risk threshold as a percentage, exact to three digits: 0.5 -> "50%", 0.999 -> "99.9%"."""
    return f"{threshold * 100:.3g}%"


def _per_100(share: float) -> int:
    return round(share * 100)


def _times_in_100(share: float) -> str:
    """ "about 84 times in 100"; "almost every time" rather than "about 100 times in 100"."""
    if share >= 0.995:
        return "every time" if share == 1 else "almost every time"
    return f"about {_per_100(share)} times in 100"


def _dropped_sentence(n_dropped: int) -> list[str]:
    if not n_dropped:
        return []
    rows = "row has" if n_dropped == 1 else "rows have"
    return [f"{n_dropped:,} more {rows} no record of what happened, so they are left out."]


def _those_who_do_not(card: Card) -> str:
    """ "those who stay", or "those who do not" when the card's words are just "not <outcome>"."""
    negative = card.outcome_negative.strip()
    if not negative or negative.lower().startswith("not "):
        return "those who do not"
    return f"those who {negative}"


def _classifier_sentences(q: ClassifierQuality, card: Card) -> list[str]:
    entities, outcome = card.entities, card.outcome_positive
    really = f"really {plural_verb(outcome)}"
    threshold = format_threshold(q.threshold)
    rule = f"{article(threshold)} {threshold} or higher chance to {outcome}"
    checked = card.entity if q.n_rows == 1 else entities
    sentences = [f"We checked the model against what really happened to {q.n_rows:,} {checked}."]
    sentences += _dropped_sentence(q.n_dropped)
    if q.n_positive == 0:
        sentences.append(f"None of them {really}, so there is no one for it to find.")
    elif q.n_positive == q.n_rows:
        sentences.append(f"All of them {really}.")
    else:
        sentences.append(f"Of them, {natural_frequency(q.base_rate)} {really}.")

    # Of those it flags, how many really have the outcome (precision).
    if q.n_flagged == 0:
        sentences.append(f"It flags none of your {entities}: none has {rule}.")
    elif q.n_flagged == 1:
        among = f"those who {really}" if q.tp else _those_who_do_not(card)
        sentences.append(f"It flags just one {card.entity} ({rule}), and that one is among {among}.")
    elif q.tp == q.n_flagged:
        sentences.append(f"All {q.n_flagged:,} {entities} it flags ({rule}) {really}.")
    elif q.n_flagged >= 100:
        sentences.append(f"Of every 100 {entities} it flags ({rule}), about {_per_100(q.precision)} {really}.")
    else:
        sentences.append(f"Of the {q.n_flagged:,} {entities} it flags ({rule}), {q.tp:,} {really}.")

    # Of those who really have the outcome, how many it flags (recall).
    if q.n_positive:
        if q.recall == 1:
            found = "all"
        elif q.tp == 0:
            found = "none"
        else:
            found = natural_frequency(q.recall)
        sentences.append(f"It finds {found} of the {entities} who {really}.")

    # Ranking (ROC-AUC).
    if q.roc_auc is not None:
        sentences.append(
            f"Pick one of the {entities} who {really} and one of {_those_who_do_not(card)}: "
            f"{_times_in_100(q.roc_auc)} it gives the first one the higher chance."
        )

    # Right overall, next to the simplest guess (accuracy is flattering when the outcome is rare).
    if q.overall_accuracy is not None:
        if q.overall_accuracy >= 0.995:
            share = f"every {card.entity}" if q.overall_accuracy == 1 else f"almost every {card.entity}"
        else:
            share = f"about {_per_100(q.overall_accuracy)} in 100 {entities}"
        sentences.append(f"Its best guess among the {q.n_classes} outcomes is right for {share}.")
    else:
        sentences.append(
            f"Counting those who {plural_verb(outcome)} and {_those_who_do_not(card)}, "
            f"it is right {_times_in_100(q.accuracy)}."
        )
        if 0 < q.n_positive < q.n_rows:
            rare = q.base_rate <= 0.5
            who = f"no {card.entity}" if rare else f"every {card.entity}"
            guess = 1 - q.base_rate if rare else q.base_rate
            sentences.append(f"Always guessing that {who} will {outcome} would be right {_times_in_100(guess)}.")
    return sentences


def _spoken(value: float) -> float:
    """A figure rounded the way a person says it: two significant digits (123.4 -> 120, 0.0346 -> 0.035)."""
    if value == 0 or not math.isfinite(value):
        return value
    digits = 1 - math.floor(math.log10(abs(value)))
    return round(value, digits)


def _say(value: float, unit: str | None) -> str:
    return format_with_unit(_spoken(value), unit)


def _regression_sentences(q: RegressionQuality, card: Card) -> list[str]:
    what = lower_label(card.label(card.target)) if card.target else "value"
    checked = card.entity if q.n_rows == 1 else card.entities
    sentences = [f"We checked the model against the real {what} of {q.n_rows:,} {checked}."]
    sentences += _dropped_sentence(q.n_dropped)
    if q.mae == 0:
        return [*sentences, "Its estimates match the real values exactly."]
    sentences.append(
        f"Its estimates are typically off by about {_say(q.median_abs_error, card.unit)} "
        "(the middle error: half are closer)."
    )
    sentences.append(f"On average they are off by about {_say(q.mae, card.unit)}.")
    sentences.append(
        f"{capitalize(natural_frequency(q.within))} estimates are within {_say(q.mae, card.unit)} of the real value."
    )
    if q.n_rows >= 2:
        mean = float(np.mean(q.actual))
        sentences.append(
            f"Always guessing the average ({_say(mean, card.unit)}) would be off by about "
            f"{_say(q.baseline_mae, card.unit)}."
        )
    return sentences


def training_data_sentence(card: Card) -> str:
    """Whether the figures are fair: a model checked on what it learned from looks better than it is."""
    entities = card.entities
    if card.reference_is_training is True:
        return (
            f"The model learned from these same {entities}, so these figures flatter it. "
            f"Expect it to do worse on new {entities}."
        )
    if card.reference_is_training is None:
        return (
            f"The model card does not say whether the model learned from these {entities}. "
            f"If it did, these figures flatter it, and it will do worse on new {entities}."
        )
    return (
        f"The model did not learn from these {entities}, so these figures show how it does on {entities} "
        "it has not seen."
    )


# ---------------------------------------------------------------------------------------------------------------
# The analyst's table


def _metric(value: float | None, decimals: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{decimals}f}"


def quality_table(q: Quality, card: Card | None = None) -> list[tuple[str, str]]:
    """The figures by their technical names, formatted, for the analyst view: ``[(metric, value), ...]``.

    ``card`` (optional) gives regression errors their unit.
    """
    rows = [("Rows checked", f"{q.n_rows:,}"), ("Rows without the outcome (left out)", f"{q.n_dropped:,}")]
    if isinstance(q, ClassifierQuality):
        rows += [
            ("Positive class", str(q.positive_class)),
            ("Base rate (share positive)", f"{q.base_rate:.1%}"),
            ("Threshold", f"{q.threshold:g}"),
            ("Flagged (chance ≥ threshold)", f"{q.n_flagged:,}"),
            ("Accuracy", _metric(q.accuracy)),
            ("Precision", _metric(q.precision)),
            ("Recall", _metric(q.recall)),
            ("F1", _metric(q.f1)),
            ("ROC-AUC", _metric(q.roc_auc)),
            ("Average precision", _metric(q.average_precision)),
            ("Brier score", _metric(q.brier, 4)),
            ("Confusion (TN, FP, FN, TP)", ", ".join(f"{n:,}" for n in (q.tn, q.fp, q.fn, q.tp))),
        ]
        if q.overall_accuracy is not None:
            rows.append((f"Accuracy over all {q.n_classes} classes", _metric(q.overall_accuracy)))
        return rows
    unit = card.unit if card is not None else None

    def amount(value: float) -> str:
        return format_with_unit(value, unit) if unit else format_number(value, decimals=3)

    rows += [
        ("MAE", amount(q.mae)),
        ("RMSE", amount(q.rmse)),
        ("R²", _metric(q.r2)),
        ("Median absolute error", amount(q.median_abs_error)),
        ("Share within MAE", f"{q.within:.1%}"),
        ("MAE of always guessing the mean", amount(q.baseline_mae)),
    ]
    return rows
