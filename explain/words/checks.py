"""What a second, independent check says about one row's reasons, in plain words."""

from __future__ import annotations

from explain.analyses.agreement import Agreement


def agreement_sentence(found: Agreement, *, exact: bool) -> str:
    """Whether the two checks agree on the main reasons.

    ``exact`` says whether the reasons on the chart are exact; only then is the chart's check called exact.
    """
    if found.n == 0:
        return "There are no reasons to compare."
    if found.shared == found.n:
        return f"Two different checks agree on the top {found.n} reasons."
    if found.shared == 0:
        return f"Two different checks do not agree on the top {found.n} reasons, so read them with care."
    shown = "The chart shows the exact one" if exact else "The chart shows the closer estimate"
    return (
        f"Two different checks agree on {found.shared} of the top {found.n} reasons. "
        f"{shown}; the other is a rougher estimate."
    )
