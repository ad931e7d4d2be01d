"""The reader's settings that change a story: who is reading, and the assumptions behind the money figures.

The model (and, for a model with more than two outcomes, the outcome) is the bundle a report is given
(``bundle.for_outcome``); the customer is the row it is given. Everything else a page lets the reader set is here,
so an export from a page carries exactly what the page shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from explain.analyses.business import Assumptions, default_assumptions
from explain.bundle.bundle import Bundle

STAKEHOLDER, ANALYST = "stakeholder", "analyst"
AUDIENCES = (STAKEHOLDER, ANALYST)


@dataclass(frozen=True)
class Settings:
    """What the reader chose.

    Attributes
    ----------
    audience : {"stakeholder", "analyst"}
        The analyst's version adds how the numbers were made, in technical words.
    success_rate : float or None
        The share (0-1) of those who would have the outcome that acting on them prevents; None: the default
        (3 in 10).
    budget : float or None
        The money to spend on acting; None: the default (what acting on every high-risk entity costs).
    """

    audience: str = STAKEHOLDER
    success_rate: float | None = None
    budget: float | None = None

    @property
    def analyst(self) -> bool:
        return self.audience == ANALYST

    def assumptions(self, bundle: Bundle) -> Assumptions:
        """The impact assumptions these settings make for this bundle, defaults filled in.

        Raises
        ------
        BusinessError
            When the success rate or the budget cannot be used (the message says why).
        """
        default = default_assumptions(bundle)
        return Assumptions(
            success_rate=default.success_rate if self.success_rate is None else self.success_rate,
            budget=default.budget if self.budget is None else self.budget,
        )
