"""What a check finds: problems and notes, the :class:`Upload` they end in, and the refusal that stops reading."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Problem:
    """One finding a stakeholder can read and act on.

    ``rows`` holds every affected line of the file (1-based, the header is line 1); for a Parquet file, the 1-based
    row number. The message shows at most five of them.
    """

    message: str
    column: str | None = None
    rows: tuple[int, ...] = ()
    fatal: bool = False  # True: nothing can be explained


@dataclass(frozen=True)
class Upload:
    """An uploaded file read against a model.

    Attributes
    ----------
    frame : DataFrame or None
        The model's raw columns, in the model's order, typed like ``bundle.X``; None when a problem is fatal.
    ids : list of str
        Each row's id: the card's id column, else ``"line N"`` (``"row N"`` for Parquet).
    problems : list of Problem
        Everything found, fatal first.
    notes : list of str
        What is worth saying but needs no action (an encoding, dropped columns, gaps the model fills).
    lines : ndarray of int or None
        Each kept row's line in the file (row number for Parquet), in ``frame``'s order.
    outcome : Series or None
        Asked for with ``read_upload(..., outcome=True)``: the card's target column as the file holds it (text
        for CSV), in ``frame``'s order, for checking the model against it; None when the file has no such column.
    """

    frame: pd.DataFrame | None
    ids: list[str]
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    lines: np.ndarray | None = None
    outcome: pd.Series | None = None

    @property
    def ok(self) -> bool:
        """True when there are rows to explain (problems that are not fatal may remain)."""
        return self.frame is not None and not any(p.fatal for p in self.problems)


class _Refused(Exception):
    """A fatal finding: stops reading."""

    def __init__(self, message: str, column: str | None = None, rows: tuple[int, ...] = ()) -> None:
        super().__init__(message)
        self.problem = Problem(message, column=column, rows=rows, fatal=True)


@dataclass
class _Report:
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def fatal(self) -> Upload:
        return Upload(None, [], _ordered(self.problems), self.notes)


def _ordered(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: not p.fatal)
