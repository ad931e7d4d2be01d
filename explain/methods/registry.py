"""Every explanation method, behind one signature, with how it is made said in plain words beside it.

A method is one module in :mod:`explain.methods.backends` that defines ``METHOD = Method(...)``; the registry finds
them all, so adding a method means adding one file (and its test). Methods that give the *reasons* (SHAP values:
exact ones first, sampling last) are tried in order of ``priority`` among those whose ``applies`` says yes; a
method that gives a *check* (LIME) is asked for by name.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Literal, Protocol

import pandas as pd

from explain.bundle.bundle import Bundle
from explain.errors import PlainsightError
from explain.methods.explanation import Explanation

Progress = Callable[[float, str], None]


class Explainer(Protocol):
    """The one signature: explain the raw rows ``X`` (their index holds the row ids) of a bundle's model."""

    def __call__(
        self,
        bundle: Bundle,
        X: pd.DataFrame,
        *,
        progress: Progress | None = None,
        samples: int | None = None,
        seed: int | None = None,
    ) -> Explanation: ...


@dataclass(frozen=True)
class Method:
    """One way to explain a model.

    Attributes
    ----------
    name : str
        How provenance, the analyst view and the CLI name it (``"xgboost-tree-exact"``).
    role : {"reasons", "check"}
        "reasons": SHAP values, the explanation every page shows; "check": a second, independent look (LIME).
    exact : bool
        Whether its values are exact for the model (else an estimate, and every outlet says so).
    plain : str
        How it works, for a stakeholder, to end "Reasons ..." in a footer: "worked out exactly from the model".
    analyst : str
        How it works, for an analyst; technical words allowed.
    applies : callable(Bundle) -> bool
        Whether it can explain this bundle's model.
    explain : Explainer
        The method itself.
    priority : int
        Lower goes first among the methods that apply.
    population_cap : int, callable(Bundle) -> int or None, or None
        The most rows a whole-population view explains with it (slow methods); None: every row. A callable
        decides per bundle (an exact method that is slow only for very large models).
    from_rows : int or None
        A method that is slower for a few rows but faster for many: from this many rows in one call on, it goes
        before the methods that apply (see :func:`reasons_methods`); None: its priority alone places it.
    """

    name: str
    role: Literal["reasons", "check"]
    exact: bool
    plain: str
    analyst: str
    applies: Callable[[Bundle], bool]
    explain: Explainer
    priority: int = 100
    population_cap: int | Callable[[Bundle], int | None] | None = None
    from_rows: int | None = None

    def cap(self, bundle: Bundle) -> int | None:
        """The most rows a whole-population view of this bundle explains with this method (None: every row)."""
        if callable(self.population_cap):
            return self.population_cap(bundle)
        return self.population_cap


class MethodMismatch(Exception):  # noqa: N818 - a signal between methods, never shown to anyone
    """An exact method's result did not reproduce the model's own output; the next method is tried instead."""


@cache
def all_methods() -> tuple[Method, ...]:
    """Every method in :mod:`explain.methods.backends`, reasons first, each group by priority."""
    from explain.methods import backends

    found: list[Method] = []
    for info in pkgutil.iter_modules(backends.__path__):
        module = importlib.import_module(f"{backends.__name__}.{info.name}")
        method = getattr(module, "METHOD", None)
        if isinstance(method, Method):
            found.append(method)
    return tuple(sorted(found, key=lambda m: (m.role != "reasons", m.priority, m.name)))


def get_method(name: str) -> Method:
    """The method with this name.

    Raises
    ------
    PlainsightError
        When there is no such method (the message lists the ones there are).
    """
    for method in all_methods():
        if method.name == name:
            return method
    known = ", ".join(m.name for m in all_methods())
    raise PlainsightError(f"There is no explanation method '{name}'; the methods are {known}.")


def reasons_methods(bundle: Bundle, rows: int | None = None) -> list[Method]:
    """The methods that can give this bundle's reasons, best first (the sampling fallback always applies).

    ``rows``: how many rows one call explains. A method that is fastest from that many rows on goes first;
    without it, or for fewer rows, the order is the methods' priority.
    """
    methods = [m for m in all_methods() if m.role == "reasons" and m.applies(bundle)]
    return sorted(methods, key=lambda m: not (rows is not None and m.from_rows is not None and rows >= m.from_rows))
