"""A group of customers against everyone, in plain words: who is in it, how its chances and money compare, and
which factors weigh more or less in it ("In this group, the monthly bill matters about twice as much as overall")."""

from __future__ import annotations

from explain.analyses.segments import Comparison, DriverGap, Side
from explain.bundle.card import Card
from explain.bundle.filters import Segment
from explain.bundle.output import Output
from explain.words.business import per_period
from explain.words.grammar import capitalize
from explain.words.numbers import about_money, format_chance, say_output, say_reason_size
from explain.words.outcome import high_chance_label, high_chance_words
from explain.words.selection import filter_words


def group_description(segment: Segment, card: Card, output: Output) -> str:
    """The group's conditions: "Contract type is Month-to-month and Months as a customer under 12 months"."""
    if not segment.filters:
        return f"All {card.entities}"
    return " and ".join(filter_words(f, card, output) for f in segment.filters)


def group_name(segment: Segment, card: Card, output: Output) -> str:
    """What the group is called: the card's label, else its conditions."""
    return segment.label or group_description(segment, card, output)


def group_intro(comparison: Comparison, segment: Segment, card: Card, output: Output) -> str:
    """Who is in it: "Fibre customers (Internet service is Fiber optic): 3,097 of your 7,043 customers (44%)."."""
    n, of = comparison.group.n_rows, comparison.everyone.n_rows
    name = group_name(segment, card, output)
    described = f"{name} ({group_description(segment, card, output)})" if segment.label else name
    share = format_chance(comparison.share)
    return f"{described}: {n:,} of your {of:,} {card.entities} ({share})."


def comparison_sentences(comparison: Comparison, card: Card, output: Output) -> list[str]:
    """How the group's outputs and money compare with everyone's."""
    mine, all_ = comparison.group, comparison.everyone
    who = f"all {card.entities}"
    lines = []
    if output.is_chance:
        lines.append(
            f"Their average chance to {card.outcome_positive} is {format_chance(mine.mean_output)}; "
            f"for {who} it is {format_chance(all_.mean_output)}."
        )
        if mine.n_high is not None and all_.n_high is not None:
            lines.append(
                f"{mine.n_high:,} of them ({format_chance(mine.share_high or 0.0)}) are {high_chance_words(card)}, "
                f"against {format_chance(all_.share_high or 0.0)} of {who}."
            )
    else:
        said = output.label[:1].lower() + output.label[1:]
        lines.append(
            f"Their average {said} is {say_output(output.shown(mine.mean_output), output)}; "
            f"for {who} it is {say_output(output.shown(all_.mean_output), output)}."
        )
    business = card.risk_business
    if business is not None and mine.value_at_risk is not None and all_.value_at_risk:
        per = per_period(business)
        part = mine.value_at_risk / all_.value_at_risk
        lines.append(
            f"{capitalize(about_money(mine.value_at_risk, business.currency))} {per} is at risk in this group: "
            f"{format_chance(part)} of the total for {who}, {about_money(all_.value_at_risk, business.currency)}."
        )
    return lines


def driver_sentences(comparison: Comparison, card: Card, output: Output) -> list[str]:
    """What moves the model most in the group and overall, and the factors that weigh notably more or less."""
    what = output.what
    lines = []
    top, top_all = card.label(comparison.top_group), card.label(comparison.top_everyone)
    if comparison.top_group == comparison.top_everyone:
        lines.append(f"What moves {what} most is the same in this group as for all {card.entities}: {_lower(top)}.")
    else:
        lines.append(
            f"What moves {what} most in this group is {_lower(top)}; for all {card.entities} it is {_lower(top_all)}."
        )
    for gap in comparison.drivers[:3]:
        lines.append(_gap_sentence(gap, card, output))
    if not comparison.drivers:
        lines.append("The other factors weigh about the same in this group as for everyone.")
    return lines


def _gap_sentence(gap: DriverGap, card: Card, output: Output) -> str:
    label = _lower(card.label(gap.column))
    mine, all_ = say_reason_size(gap.group, output), say_reason_size(gap.everyone, output)
    return (
        f"In this group, {label} matters {times(gap.ratio)} for all {card.entities} "
        f"({mine} on average, against {all_})."
    )


def times(ratio: float) -> str:
    """A ratio as people say it, up to the words before the other side: "about twice as much as", "about 3 times
    as much as", "about half as much as"; "more than" and "less than" when it is under 1.75 times either way."""
    if ratio >= 1:
        halves = round(ratio * 2) / 2
        if halves < 2:
            return "more than"
        said = "twice" if halves == 2 else f"{halves:g} times"
        return f"about {said} as much as"
    inverse = 1 / ratio
    if round(inverse * 2) / 2 < 2:
        return "less than"
    parts = {2: "half", 3: "a third", 4: "a quarter"}
    rounded = round(inverse)
    said = parts.get(rounded, f"a {rounded}th")
    return f"about {said} as much as"


def side_by_side(comparison: Comparison, card: Card, output: Output) -> list[tuple[str, str, str]]:
    """The figures in two columns (this group, everyone), each row a figure and its two values."""
    mine, all_ = comparison.group, comparison.everyone
    rows = [(card.entities.capitalize(), f"{mine.n_rows:,}", f"{all_.n_rows:,}")]
    average = f"Average chance to {card.outcome_positive}" if output.is_chance else f"Average {_lower(output.label)}"
    rows.append((average, _output(mine, output), _output(all_, output)))
    if mine.n_high is not None and all_.n_high is not None:
        label = f"{high_chance_label(card)} ({format_chance(card.risk_threshold)} or more)"
        rows.append((label, _count(mine), _count(all_)))
    business = card.risk_business
    if business is not None and mine.value_at_risk is not None and all_.value_at_risk is not None:
        per = per_period(business)
        rows.append(
            (
                f"Value at risk ({per})",
                about_money(mine.value_at_risk, business.currency),
                about_money(all_.value_at_risk, business.currency),
            )
        )
    return rows


def _output(side: Side, output: Output) -> str:
    if output.is_chance:
        return format_chance(side.mean_output)
    return say_output(output.shown(side.mean_output), output)


def _count(side: Side) -> str:
    return f"{side.n_high:,} ({format_chance(side.share_high or 0.0)})"


def _lower(label: str) -> str:
    """A label inside a sentence: "the monthly bill" style lower case, unless it starts with an acronym."""
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


def group_banner(segment: Segment, n: int, of: int, card: Card, output: Output) -> str:
    """What a page narrowed to a group says first: "This page shows one group, New month-to-month customers:
    1,595 of your 7,043 customers."."""
    return (
        f"This page shows one group, {group_name(segment, card, output)}: {n:,} of your {of:,} "
        f"{card.entity if of == 1 else card.entities}."
    )
