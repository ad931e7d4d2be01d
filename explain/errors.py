"""The one error tree of the engine.

Every message is written for the person reading the page or the terminal: it names the thing that is wrong
(the folder, the file, the column, the row) and, where there is one, what to do about it. No tracebacks reach
a user; the UI and the CLI catch :class:`PlainsightError` and show ``str(error)``.
"""

from __future__ import annotations

from dataclasses import dataclass


class PlainsightError(Exception):
    """Base of every error the engine raises on purpose."""


class BundleError(PlainsightError):
    """A model folder is missing a part, or a part cannot be read."""


class UntrustedLocationError(BundleError):
    """A pickled model lies outside the folders the operator configured, so it is not loaded."""


class CardError(BundleError):
    """card.yaml is not valid YAML or contradicts the model or the data."""


class RowNotFoundError(PlainsightError):
    """The customer (row) asked for is not in the reference data."""


class UnsupportedModelError(PlainsightError):
    """The model, or a step of its pipeline, is of a kind the engine cannot explain."""


class BusinessError(PlainsightError):
    """The money figures or the assumptions behind the business impact cannot be used."""


class ExplainError(PlainsightError):
    """An explanation method failed on this input."""


class UntrustedTypeError(BundleError):
    """A model file holds a type outside the allowlist (e.g. a function a skops file asks to build)."""


@dataclass(frozen=True)
class NotAvailable:
    """Something the engine cannot give here, and why, in words a stakeholder can read.

    Errors are raised when a request cannot be answered; ``NotAvailable`` is *returned* where absence is a normal
    answer (a second check that could not run, a model with no per-unit effects, data without the real outcome,
    a card without money figures). Every outlet shows ``reason`` and, where there is one, ``hint``: what would make
    it available (for example a YAML snippet to add to card.yaml).
    """

    reason: str
    hint: str | None = None
