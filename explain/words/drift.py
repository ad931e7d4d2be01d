"""What changed between the data the model knows and newer data, in the stakeholder's words.

The reference data are "the earlier" rows and the newer data "the newer" ones. A column is named by its card label,
a value by the card's phrase for it when there is one ("fibre internet"), and amounts in the column's unit, rounded
as a person says them ("The typical monthly bill rose from $65 to $71."). Shares and chances are whole percentages
(:func:`~explain.words.numbers.format_chance`), the average chance also as a natural frequency, as on the overview.
No analyst words (the tests check :mod:`explain.words.plain_words` and a few more) and grade 8 or below.

Plain text: values from the data appear as they are; the caller escapes them.
"""

from __future__ import annotations

from explain.analyses.drift import GAP, ColumnDrift, Drift, Drivers, QualityChange
from explain.analyses.quality import ClassifierQuality, RegressionQuality
from explain.bundle.card import Card, FeatureInfo
from explain.bundle.output import Output
from explain.methods.explanation import Explanation
from explain.words.grammar import article_for, capitalize, join_words, lower_label, plural_verb
from explain.words.numbers import (
    format_chance,
    format_number,
    format_with_unit,
    natural_frequency,
    say_output,
    say_reason_size,
)

SHARE_MOVE = 0.05  # a value's share is named when it moved by 5 points or more (the largest move always is)
SHOWN_VALUES = 2  # at most this many values of one category are named
QUALITY_MOVE = 0.03  # a share of right answers that moved by 3 in 100 or more is better or worse
ERROR_MOVE = 0.10  # an average error that moved by a tenth or more is better or worse


def change_headline(found: Drift, card: Card) -> str:
    """One sentence: how many of the model's columns changed for the newer rows, and which."""
    moved = [lower_label(card.label(c.column)) for c in found.moved]
    n, m = found.current_rows, found.reference_rows
    if not moved:
        return (
            f"The {n:,} newer {card.entities} look much like the {m:,} earlier ones. Nothing about them changed "
            "enough to matter."
        )
    ways = "one way" if len(moved) == 1 else f"{len(moved)} ways"
    return (
        f"The {n:,} newer {card.entities} differ from the {m:,} earlier ones in {ways}. "
        f"What changed: {join_words(moved)}."
    )


def column_sentences(change: ColumnDrift, card: Card, *, rows: int) -> list[str]:
    """What changed in one column, with the numbers before and after (``rows``: how many newer rows there are)."""
    info = card.feature(change.column)
    if change.kind == "number":
        return _number_sentences(change, info, card)
    return _category_sentences(change, info, card, rows=rows)


def _up(after: float, before: float) -> str:
    return "up" if after > before else "down"


def _amount(value: float, info: FeatureInfo) -> str:
    """A typical value as a person says it: whole units from 10 up ("$65", "29 months"), else one decimal."""
    if info.year:
        return f"{round(value):.0f}"
    decimals = 0 if abs(value) >= 10 else 1 if abs(value) >= 1 else None
    return (
        format_with_unit(value, info.unit, decimals=decimals) if info.unit else format_number(value, decimals=decimals)
    )


def _number_sentences(change: ColumnDrift, info: FeatureInfo, card: Card) -> list[str]:
    label = lower_label(info.label)
    sentences = []
    if abs(change.current_missing - change.reference_missing) >= SHARE_MOVE:
        sentences.append(_gap_sentence(info, card, change.current_missing, change.reference_missing))
    said = _moved(change.reference_median, change.current_median, info)
    if said is not None:
        sentences.append(f"The typical {label} {said}.")
        # A column of two humps (bills of two kinds of plan) moves its middle far more than its average: say both.
        average = _moved(change.reference_mean, change.current_mean, info)
        assert change.reference_median is not None and change.current_median is not None
        middle = change.current_median - change.reference_median
        if average is not None and change.reference_mean is not None and change.current_mean is not None:
            if abs((change.current_mean - change.reference_mean) - middle) >= 0.25 * abs(middle):
                sentences.append(f"On average it {average}.")
        return sentences
    average = _moved(change.reference_mean, change.current_mean, info)
    if average is not None:
        return [*sentences, f"The average {label} {average}."]
    if not sentences and change.current_median is not None:
        typical = _amount(change.current_median, info)
        sentences.append(f"{capitalize(label)} is spread out in a new way, though the typical one is still {typical}.")
    return sentences


def _moved(before: float | None, after: float | None, info: FeatureInfo) -> str | None:
    """ "rose from $65 to $71", or None when the two read the same (or one is unknown)."""
    if before is None or after is None:
        return None
    then, now = _amount(before, info), _amount(after, info)
    if then == now:
        return None
    return f"{'rose' if after > before else 'fell'} from {then} to {now}"


def _gap_sentence(info: FeatureInfo, card: Card, after: float, before: float) -> str:
    return (
        f"{capitalize(lower_label(info.label))} is not recorded for {format_chance(after)} of {card.entities} now, "
        f"{_up(after, before)} from {format_chance(before)}."
    )


def _category_sentences(change: ColumnDrift, info: FeatureInfo, card: Card, *, rows: int) -> list[str]:
    before, after = change.reference_shares or {}, change.current_shares or {}
    new = set(change.new_categories)
    moves = sorted(
        ((value, after.get(value, 0.0), before.get(value, 0.0)) for value in set(before) | set(after)),
        key=lambda m: (-abs(m[1] - m[2]), m[0]),
    )
    moves = [m for m in moves if m[0] not in new]
    named = [m for m in moves if abs(m[1] - m[2]) >= SHARE_MOVE][:SHOWN_VALUES]
    if not named and moves and not new:  # moved in many small steps: its largest step stands for it
        named = moves[:1]
    sentences = []
    for value, now, then in named:
        if value == GAP:
            sentences.append(_gap_sentence(info, card, now, then))
            continue
        phrase = info.phrase(value)
        direction = f"{_up(now, then)} from {format_chance(then)}"
        if phrase:
            sentences.append(f"{format_chance(now)} of {card.entities} now have {phrase}, {direction}.")
        else:
            label = capitalize(lower_label(info.label))
            sentences.append(f"{label} is {value} for {format_chance(now)} of {card.entities} now, {direction}.")
    if change.new_categories:
        count = round(sum(after.get(v, 0.0) for v in change.new_categories) * rows)
        values = list(change.new_categories)
        shown = values[:3] + ([f"{len(values) - 3} more"] if len(values) > 3 else [])
        what = lower_label(info.label)
        who, has = (card.entity, "has") if count == 1 else (card.entities, "have")
        share = format_chance(count / rows if rows else 0)
        sentences.append(f"{count:,} newer {who} ({share}) {has} {article_for(what)} {what} the model never saw.")
        sentences.append(f"{'The new one is' if len(values) == 1 else 'The new ones are'} {join_words(shown)}.")
    return sentences


def chance_sentences(found: Drift, output: Output, card: Card) -> list[str]:
    """How the model's average output moved: "The average chance to leave rose from 26% to 31%." (and, for a
    chance, how many in 100 that is)."""
    what = output.what.removeprefix("the ")
    then = say_output(output.shown(found.reference_output), output)
    now = say_output(output.shown(found.current_output), output)
    if then == now:
        sentence = f"The average {what} is the same as before: {now}."
    else:
        verb = "rose" if found.current_output > found.reference_output else "fell"
        sentence = f"The average {what} {verb} from {then} to {now}."
    if not output.is_chance:
        return [sentence]
    earlier = natural_frequency(found.reference_output)
    frequency = natural_frequency(found.current_output)
    verb = plural_verb(card.outcome_positive)
    since = (
        "the same as before"
        if frequency == earlier
        else f"{_up(found.current_output, found.reference_output)} from " + earlier.removeprefix("about ")
    )
    return [sentence, f"On average, {frequency} newer {card.entities} {verb}, {since}."]


def unlike_sentences(found: Drift, card: Card) -> list[str]:
    """The plain warning when newer rows hold values the model never learned from, else nothing."""
    count = int(found.unlike.sum())
    if not count:
        return []
    n = found.current_rows
    who = card.entity if count == 1 else card.entities
    has = "has values" if count == 1 else "have values"
    sentences = [
        f"{count:,} of the {n:,} newer {who} ({format_chance(count / n)}) {has} the model never saw when it learned.",
        f"Its reasons for {'that one' if count == 1 else 'them'} are less sure.",
    ]
    where = [f"{lower_label(card.label(c))} ({k:,})" for c, k in found.unlike_counts[:4]]
    if where:
        sentences.append(f"These values are in {join_words(where)}.")
    return sentences


def driver_sentences(drivers: Drivers, output: Output, card: Card) -> list[str]:
    """Whether what drives the model moved: the main driver, then each driver that matters more or less now."""
    first = min(drivers.columns, key=lambda d: d.reference_rank)
    top_now = min(drivers.columns, key=lambda d: d.current_rank)
    what = output.what
    sentences = []
    if top_now.column != first.column:
        sentences.append(
            f"{capitalize(lower_label(card.label(top_now.column)))} now moves {what} most, ahead of "
            f"{lower_label(card.label(first.column))}."
        )
    elif not drivers.moved:
        sentences.append(
            f"What moves {what} has not changed: {lower_label(card.label(first.column))} still matters most."
        )
    for driver in drivers.moved:
        more = "more" if driver.current > driver.reference else "less"
        now, then = say_reason_size(driver.current, output), say_reason_size(driver.reference, output)
        sentences.append(f"{capitalize(lower_label(card.label(driver.column)))} matters {more} now.")
        sentences.append(f"It moves {what} by {now} on average, {_up(driver.current, driver.reference)} from {then}.")
    return sentences


def newer_sample_sentence(explanation: Explanation, card: Card) -> str | None:
    """Said when what drives the model on the newer rows comes from a seeded sample of them; None otherwise."""
    sample = explanation.provenance.sample
    if sample is None:
        return None
    why = "too many to go through one by one" if explanation.provenance.exact else "and this model needs a slow method"
    return (
        f"There are {sample.of:,} newer {card.entities}, {why}. So what moves the model for them was worked out "
        f"from {sample.rows:,} of them, picked at random. The counts and averages use every one."
    )


def quality_change_sentences(change: QualityChange, card: Card) -> list[str]:
    """How good the model is on the newer rows whose outcome is known, beside the earlier ones, and a verdict."""
    new, old = change.current, change.reference
    if isinstance(new, RegressionQuality):
        details = _regression_change(new, old if isinstance(old, RegressionQuality) else None, card)
    else:
        assert isinstance(new, ClassifierQuality)
        details = _classifier_change(new, old if isinstance(old, ClassifierQuality) else None, card)
    return [*details, *quality_verdict(change, card)]


def quality_verdict(change: QualityChange, card: Card) -> list[str]:
    """Better, worse or about as good on the newer rows (a drop may be partly expected); nothing without earlier
    figures to compare with.

    Classifiers are judged on how well they rank (ROC-AUC) where both data have both outcomes, else on how often
    they are right, by ``QUALITY_MOVE``; regressors on the average error, by ``ERROR_MOVE`` of it.
    """
    new, old = change.current, change.reference
    if isinstance(new, ClassifierQuality) and isinstance(old, ClassifierQuality):
        both = new.roc_auc is not None and old.roc_auc is not None
        moved = (new.roc_auc or 0.0) - (old.roc_auc or 0.0) if both else new.accuracy - old.accuracy
        step = QUALITY_MOVE
    elif isinstance(new, RegressionQuality) and isinstance(old, RegressionQuality) and old.mae:
        moved, step = (old.mae - new.mae) / old.mae, ERROR_MOVE  # a smaller error is better: positive is better
    else:
        return []
    if moved <= -step:
        sentences = [f"The model does worse on the newer {card.entities} than on the earlier ones."]
        if card.reference_is_training is not False:
            sentences.append(
                f"Part of that is expected: it learned from the earlier {card.entities}, so it looks better on them."
            )
        return sentences
    if moved >= step:
        return [f"The model does better on the newer {card.entities} than on the earlier ones."]
    return ["The model does about as well as before."]


def _per_100(share: float) -> str:
    return f"{round(share * 100)} times in 100"


def _checked(n: int, dropped: int, card: Card) -> list[str]:
    sentences = [f"We checked the model against what really happened to {n:,} of the newer {card.entities}."]
    if dropped:
        sentences.append(f"{dropped:,} more have no record of what happened, so they are left out.")
    return sentences


def _classifier_change(new: ClassifierQuality, old: ClassifierQuality | None, card: Card) -> list[str]:
    sentences = _checked(new.n_rows, new.n_dropped, card)
    if old is None:
        sentences.append(f"It was right about {_per_100(new.accuracy)}.")
        sentences.append("The earlier data does not say what really happened, so there is nothing to compare with.")
        return sentences
    sentences.append(
        f"It was right about {_per_100(new.accuracy)}, {_trend(new.accuracy, old.accuracy)} "
        f"{_per_100(old.accuracy)} for the earlier {card.entities}."
    )
    negative = card.outcome_negative.strip()
    those = "those who do not" if not negative or negative.lower().startswith("not ") else f"those who {negative}"
    if new.roc_auc is not None and old.roc_auc is not None:
        sentences.append(
            f"It gives those who {plural_verb(card.outcome_positive)} a higher chance than {those} about "
            f"{_per_100(new.roc_auc)}, {_trend(new.roc_auc, old.roc_auc)} {round(old.roc_auc * 100)}."
        )
    return sentences


def _trend(new: float, old: float) -> str:
    return "the same as" if round(new * 100) == round(old * 100) else f"{_up(new, old)} from"


def _regression_change(new: RegressionQuality, old: RegressionQuality | None, card: Card) -> list[str]:
    what = lower_label(card.label(card.target)) if card.target else "value"
    sentences = [f"We checked the model against the real {what} of {new.n_rows:,} of the newer {card.entities}."]
    if new.n_dropped:
        sentences.append(f"{new.n_dropped:,} more have no record of it, so they are left out.")
    now = format_with_unit(new.mae, card.unit, decimals=_places(new.mae))
    if old is None:
        sentences.append(f"Its estimates are off by about {now} on average.")
        sentences.append("The earlier data does not hold the real values, so there is nothing to compare with.")
        return sentences
    then = format_with_unit(old.mae, card.unit, decimals=_places(old.mae))
    sentences.append(f"Its estimates are off by about {now} on average, {_up(new.mae, old.mae)} from {then} before.")
    return sentences


def _places(value: float) -> int:
    return 0 if abs(value) >= 10 else 1
