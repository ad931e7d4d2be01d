"""Do two independent explanations of the same row agree on its main reasons, and on which way they push?

A shared reason counts only when both explanations give it the same direction (the sign of its contribution).
When the second explanation is a local fit (LIME), how well that fit holds is recorded beside the counts: a fit
that explains little of the model's behaviour around the row cannot confirm anything, whatever it names.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explain.methods.explanation import Explanation

POOR_FIT = 0.5
"""Below this weighted R² a local fit is too poor to confirm the reasons.

At 0.5 the straight-line fit accounts for half of how the model's output moves around the row; below it, more of
that movement is left out of the fit than is in it, and its weights cannot vouch for anything. The data offer no
sharper cut: on the demo models (5,000 samples, every tenth row) the top 3 reasons and their directions
match less often as the fit gets worse, with no break (boosted churn model: 2.55 of 3 above 0.5, 2.35 at 0.4-0.5,
2.0 at 0.3-0.4, 1.9 below). LIME bins each number into quartiles, which caps its R² well below 1 even for a
smooth model, so about half the demo rows fall under the cut (median fidelity about 0.5); the stakeholder is then
told the second check cannot confirm the reasons, which is true, not that they are wrong.
"""


@dataclass(frozen=True)
class Agreement:
    """How many of the top ``n`` reasons (largest effects) two explanations share, in the same direction.

    Attributes
    ----------
    n : int
        How many top reasons were compared: the ``n`` asked for, but fewer than the number of columns, so that
        the two top lists are never the same set only because there is nothing else to pick.
    shared : int
        Reasons in both top lists that both explanations push the same way.
    first, second : tuple of str
        Each explanation's top reasons, largest first.
    opposite : tuple of str
        The first explanation's top reasons that the second pushes the other way (wherever it ranks them).
    fidelity : float or None
        The second explanation's local fit quality (weighted R², 0-1), None when it is not a local fit.
    columns : int
        How many columns the explanations have.
    asked : int
        How many top reasons the caller asked to compare.
    """

    n: int
    shared: int
    first: tuple[str, ...]
    second: tuple[str, ...]
    opposite: tuple[str, ...]
    fidelity: float | None
    columns: int
    asked: int

    @property
    def poor_fit(self) -> bool:
        """The second explanation's local fit is too poor (below :data:`POOR_FIT`) to confirm the reasons."""
        return self.fidelity is not None and self.fidelity < POOR_FIT

    @property
    def main_opposite(self) -> bool:
        """The second explanation pushes the first's main reason the other way."""
        return bool(self.first) and self.first[0] in self.opposite


def top_reasons(explanation: Explanation, row: int = 0, *, n: int = 3) -> tuple[str, ...]:
    """The ``n`` columns with the largest effects on one row, largest first (ties broken by column order)."""
    values = np.abs(explanation.values[row])
    order = np.argsort(-values, kind="stable")
    return tuple(explanation.feature_names[i] for i in order[: min(n, len(order))] if values[i] > 0)


def agreement(first: Explanation, second: Explanation, *, row: int = 0, n: int = 3) -> Agreement:
    """Compare the top ``n`` reasons of two explanations of the same row: names as sets, each with its direction.

    ``first`` is the one on the chart. With ``n`` or fewer columns the top ``n`` would always be the same set, so
    fewer are compared (``columns - 1``), and with one column none.
    """
    columns = len(first.feature_names)
    size_asked = max(0, min(n, columns - 1))
    a, b = top_reasons(first, row, n=size_asked), top_reasons(second, row, n=size_asked)
    sign_a = dict(zip(first.feature_names, np.sign(first.values[row]), strict=True))
    sign_b = dict(zip(second.feature_names, np.sign(second.values[row]), strict=True))
    shared = sum(1 for name in a if name in b and sign_a[name] == sign_b[name])
    opposite = tuple(name for name in a if sign_b.get(name, 0.0) == -sign_a[name])
    fit = second.local_fit
    return Agreement(
        n=min(size_asked, max(len(a), len(b))),
        shared=shared,
        first=a,
        second=b,
        opposite=opposite,
        fidelity=None if fit is None else fit.fidelity,
        columns=columns,
        asked=n,
    )
