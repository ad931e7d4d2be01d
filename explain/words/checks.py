"""What a second, independent check says about one row's reasons, in plain words."""

from __future__ import annotations

from explain.analyses.agreement import Agreement


def agreement_sentence(found: Agreement, *, exact: bool, entity: str) -> str:
    """Whether the two checks agree on the main reasons and on which way they push.

    A poor local fit is said before anything else: such a check cannot confirm, whatever it names. Then a main
    reason pushed the other way; then the count of reasons that match in name and direction. ``exact`` says
    whether the reasons on the chart are exact; only then is the chart's check called exact. ``entity`` is the
    card's word for a row ("customer").
    """
    if found.n == 0:
        return "There are too few reasons for a second check to compare."
    if found.poor_fit:
        return f"The second check could not fit this {entity} well, so it cannot confirm these reasons."
    if found.main_opposite:
        return "The second check finds that the main reason pushes the other way, so read these reasons with care."
    top = "the main reason" if found.n == 1 else f"the top {found.n} reasons"
    if found.shared == found.n:
        way = "which way it pushes" if found.n == 1 else "which way they push"
        return f"Two different checks agree on {top} and {way}."
    if found.shared == 0:
        return f"Two different checks do not agree on {top}, so read these reasons with care."
    shown = "The chart shows the exact one" if exact else "The chart shows the closer estimate"
    return (
        f"Two different checks agree on {found.shared} of {top} and which way they push. "
        f"{shown}; the other is a rougher estimate."
    )
