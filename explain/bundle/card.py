"""The model card: what the model predicts, in the stakeholder's words.

``card.yaml`` is optional and every field in it is optional; :func:`complete_card` fills what is missing from
the model and the data (task from the estimator, labels from column names, positive class from the classes).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from explain.bundle.filters import Segment, read_segments
from explain.bundle.inferred import DEFAULT_ENTITY, find_entity, find_target, is_good_news, read_target_values
from explain.bundle.inferred import outcome_words as default_outcome_words
from explain.bundle.naming import article_for, humanize, pluralize
from explain.errors import CardError


@dataclass(frozen=True)
class FeatureInfo:
    """How one raw column is presented: its label, unit, whether the business can act on it and at what cost,
    and the words for its values.

    ``values`` maps a value (as text) to a phrase a sentence can use for it ("No" -> "no internet service"), so
    a sentence never reads "internet service is No". ``binary`` marks a number that only ever holds 0 and 1 (a
    yes/no fact, shown as yes or no) and ``year`` a column of calendar years; both are read from the data.
    """

    label: str
    unit: str | None = None
    actionable: bool | None = None
    min: float | None = None
    max: float | None = None
    description: str | None = None
    cost: float | None = None  # what one change to this fact costs (the card's money), to rank suggestions by
    values: dict[str, str] = field(default_factory=dict)
    binary: bool = False
    year: bool = False  # a calendar year ("Year built"): shown 1998, never 1,998; read from the name and the data

    def phrase(self, value: object) -> str | None:
        """The card's phrase for a value, or None."""
        return self.values.get(str(value)) if self.values else None


@dataclass(frozen=True)
class Business:
    """Money the card attaches to one entity (e.g. a customer's yearly value)."""

    value_per_entity: float
    currency: str = "USD"
    period: str = "year"
    action_cost: float | None = None


@dataclass(frozen=True)
class Card:
    """The completed card: every field has a value, inferred where the author gave none."""

    title: str
    task: str  # "classification" or "regression"
    target: str | None
    positive_class: Any
    entity: str
    outcome_positive: str
    outcome_negative: str
    id_column: str | None
    unit: str | None  # the target's unit, for regression
    risk_threshold: float  # chance (0-1) from which an entity counts as "high risk"
    features: dict[str, FeatureInfo] = field(default_factory=dict)
    business: Business | None = None
    assumptions: tuple[str, ...] = ()
    limitations: tuple[str, ...] = ()
    # Whether the reference data is (part of) what the model learned from; None when the card does not say.
    reference_is_training: bool | None = None
    # For classifiers with more than two classes: each class's verb phrase ("buy the premium plan"), by str(class).
    outcomes: dict[str, str] = field(default_factory=dict)
    classes: tuple[Any, ...] = ()
    # The data's own spelling of each outcome, as text, mapped to the model's class ("Yes" -> 1).
    target_values: dict[str, Any] = field(default_factory=dict)
    good_outcome: bool | None = None  # the card's ``outcome: {good: ...}``; None: read from the outcome's words
    segments: tuple[Segment, ...] = ()  # the groups the card names (``segments:`` with a label and a filter)

    @property
    def good_news(self) -> bool:
        """Whether the outcome explained is something the reader wants more of (to survive, to buy): then no page
        calls it a risk, and "what would it take" aims to raise its chance, not lower it."""
        if self.task != "classification":
            return False
        return self.good_outcome if self.good_outcome is not None else is_good_news(self.outcome_positive)

    @property
    def risk_business(self) -> Business | None:
        """The card's money when the chance it prices is a loss (to leave); None for good news, which is no loss,
        and for a model without money figures."""
        return None if self.good_news else self.business

    @property
    def an_entity(self) -> str:
        """The entity with its article: "a customer", "an employee"."""
        return f"{article_for(self.entity)} {self.entity}"

    def label(self, column: str) -> str:
        """The friendly label of a raw column; the column's own name, tidied, when the card has none."""
        info = self.features.get(column)
        return info.label if info else humanize(column)

    @property
    def names_actionable(self) -> bool:
        """Whether the card marks any column ``actionable: true`` (then only those may change in a suggestion)."""
        return any(info.actionable is True for info in self.features.values())

    def actionable(self, column: str) -> bool:
        """Whether a suggestion may change this column: only those marked ``actionable: true`` when the card marks
        any; otherwise every column not marked ``actionable: false``."""
        info = self.features.get(column)
        if self.names_actionable:
            return info is not None and info.actionable is True
        return info is None or info.actionable is not False

    def feature(self, column: str) -> FeatureInfo:
        """The presentation of a raw column, with an inferred label when the card is silent."""
        return self.features.get(column) or FeatureInfo(label=humanize(column))

    @property
    def entities(self) -> str:
        """The entity in the plural ("customers")."""
        return pluralize(self.entity)

    @property
    def multiclass(self) -> bool:
        return self.task == "classification" and len(self.classes) > 2

    def outcome_words(self, outcome: Any) -> str:
        """The verb phrase for one class: the card's words, else "have <target> <class>"."""
        if str(outcome) in self.outcomes:
            return self.outcomes[str(outcome)]
        if not self.multiclass and _same(outcome, self.positive_class):
            return self.outcome_positive
        return default_outcome_words(self.target, outcome, list(self.classes))

    def for_outcome(self, outcome: Any) -> Card:
        """The same card explaining another class (multiclass models: the reader picks the outcome).

        Raises
        ------
        CardError
            When ``outcome`` is not one of the model's classes.
        """
        try:
            positive = _resolve_positive_class(outcome, list(self.classes))
        except CardError:
            shown = ", ".join(str(_plain(c)) for c in self.classes)
            raise CardError(f"There is no outcome '{outcome}'; this model's outcomes are {shown}.") from None
        words = self.outcome_words(positive)
        return replace(self, positive_class=positive, outcome_positive=words, outcome_negative="not " + words)


_KNOWN_KEYS = {
    "title",
    "task",
    "target",
    "positive_class",
    "entity",
    "outcome",
    "id_column",
    "business",
    "features",
    "assumptions",
    "limitations",
    "unit",
    "risk_threshold",
    "description",
    "reference_is_training",
    "outcomes",
    "versions",
    "target_values",
    "segments",
}


def read_card(path: Path) -> dict[str, Any]:
    """Read ``card.yaml`` into a plain mapping; a missing file is an empty card.

    Raises
    ------
    CardError
        When the file is not valid YAML or not a mapping; the message gives the line.
    """
    if not path.exists():
        return {}
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f" on line {mark.line + 1}" if mark is not None else ""
        raise CardError(f"{path.name} is not valid YAML{where}: {exc.problem}.") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise CardError(f"{path.name} could not be read: {exc}.") from None
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise CardError(f"{path.name} must be a mapping of fields (title:, task:, ...), not a {type(raw).__name__}.")
    return raw


def complete_card(
    raw: dict[str, Any],
    *,
    columns: list[str],
    task: str,
    classes: list[Any] | None,
    default_title: str,
    data: Any | None = None,
) -> Card:
    """Fill a raw card's gaps from what the model and the data say.

    Parameters
    ----------
    raw : dict
        The card as read from YAML (may be empty).
    columns : list of str
        The raw columns the model takes, in order.
    task : {"classification", "regression"}
        The task inferred from the estimator; a card that says otherwise is an error.
    classes : list or None
        The classifier's classes, in the model's order.
    default_title : str
        Used when the card has no title (the bundle's folder name).
    data : DataFrame, optional
        The reference data: where the card names no target, entity or words for the outcome, they are read from
        it (the column that holds the model's classes, an id column's noun, the target column's name).
    """
    card_task = raw.get("task", task)
    if card_task not in ("classification", "regression"):
        raise CardError(f"card.yaml: task must be 'classification' or 'regression', not {card_task!r}.")
    if card_task != task:
        raise CardError(f"card.yaml says the task is {card_task}, but the model does {task}.")

    id_column = str(raw["id_column"]) if raw.get("id_column") is not None else None
    target_values = read_target_values(raw.get("target_values"), task, classes or [])
    positive = raw.get("positive_class")
    if task == "classification":
        if positive is not None and str(positive) in target_values:
            positive = target_values[str(positive)]  # the data's "Yes", for a model that says 1
        positive = _resolve_positive_class(positive, classes or [])

    outcome = raw.get("outcome") or {}
    if not isinstance(outcome, dict):
        raise CardError("card.yaml: outcome must be a mapping like {positive: leave, negative: stay}.")
    good = outcome.get("good")
    if good is not None and not isinstance(good, bool):
        raise CardError("card.yaml: outcome.good must be true (the outcome is good news) or false.")
    target = raw.get("target")
    if target is None and data is not None:
        labels = [*(classes or []), *target_values]  # the model's classes, or the data's words for them
        exclude = [id_column] if id_column else []
        target = find_target(data, columns, task=task, classes=labels, exclude=exclude)
    outcomes = raw.get("outcomes") or {}
    if not isinstance(outcomes, dict):
        raise CardError("card.yaml: outcomes must map each class to its words, like {premium: buy the premium plan}.")
    known = {str(c) for c in classes or []}
    for name in outcomes:
        if str(name) not in known:
            raise CardError(f"card.yaml: outcomes names '{name}', which is not one of the model's classes.")
    outcome_words_by_class = {str(k): str(v) for k, v in outcomes.items()}
    # Without the card's words, a verb phrase from the target's name: "a 70% chance to survive".
    default_positive = outcome_words_by_class.get(str(positive)) or default_outcome_words(target, positive, classes)
    training = raw.get("reference_is_training")
    if training is not None and not isinstance(training, bool):
        raise CardError("card.yaml: reference_is_training must be true or false.")
    features = _read_features(raw.get("features") or {}, columns)

    segments = read_segments(raw.get("segments"), columns, {c: info.label for c, info in features.items()})
    threshold = raw.get("risk_threshold", 0.5)
    if not isinstance(threshold, int | float) or not 0 < float(threshold) < 1:
        raise CardError("card.yaml: risk_threshold must be a chance between 0 and 1, like 0.5.")

    return Card(
        title=str(raw.get("title") or humanize(default_title)),
        task=task,
        target=str(target) if target is not None else None,
        positive_class=positive,
        entity=str(raw.get("entity") or (find_entity(data, id_column) if data is not None else DEFAULT_ENTITY)),
        outcome_positive=str(outcome.get("positive") or default_positive),
        outcome_negative=str(outcome.get("negative") or ("not " + default_positive)),  # "not have churn 1"
        id_column=id_column,
        unit=str(raw["unit"]) if raw.get("unit") is not None else None,
        risk_threshold=float(threshold),
        features=features,
        business=_read_business(raw.get("business")),
        assumptions=tuple(str(a) for a in raw.get("assumptions") or ()),
        limitations=tuple(str(a) for a in raw.get("limitations") or ()),
        reference_is_training=training,
        outcomes=outcome_words_by_class,
        classes=tuple(classes or ()),
        target_values=target_values,
        good_outcome=good,
        segments=segments,
    )


def _same(a: Any, b: Any) -> bool:
    return bool(a == b or str(a) == str(b))


def _resolve_positive_class(given: Any, classes: list[Any]) -> Any:
    if given is None:
        # The last class is the one sklearn's binary estimators score (predict_proba[:, 1]).
        return classes[-1] if classes else 1
    for c in classes:
        if c == given or str(c) == str(given):
            return c
    shown = ", ".join(repr(_plain(c)) for c in classes)
    raise CardError(f"card.yaml: positive_class {given!r} is not one of the model's classes ({shown}).")


def _read_features(raw: Any, columns: list[str]) -> dict[str, FeatureInfo]:
    if not isinstance(raw, dict):
        raise CardError("card.yaml: features must be a mapping from column name to its label, unit, ...")
    out: dict[str, FeatureInfo] = {}
    for name, spec in raw.items():
        name = str(name)
        if name not in columns:
            # A card written for a slightly different model: say which name is unknown.
            raise CardError(f"card.yaml describes a column '{name}' that the model does not use.")
        spec = {"label": spec} if isinstance(spec, str) else (spec or {})
        if not isinstance(spec, dict):
            raise CardError(f"card.yaml: the entry for '{name}' must be a mapping (label:, unit:, ...).")
        out[name] = FeatureInfo(
            label=str(spec.get("label") or humanize(name)),
            unit=str(spec["unit"]) if spec.get("unit") is not None else None,
            actionable=bool(spec["actionable"]) if "actionable" in spec else None,
            min=_number(spec.get("min"), f"features.{name}.min"),
            max=_number(spec.get("max"), f"features.{name}.max"),
            description=str(spec["description"]) if spec.get("description") else None,
            cost=_cost(spec.get("cost"), name),
            values=_phrases(spec.get("values"), name),
        )
    return out


def _cost(value: Any, name: str) -> float | None:
    cost = _number(value, f"features.{name}.cost")
    if cost is not None and cost < 0:
        raise CardError(f"card.yaml: features.{name}.cost must be zero or more.")
    return cost


def _phrases(raw: Any, name: str) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise CardError(f"card.yaml: features.{name}.values must map each value to words, like {{No: no internet}}.")
    return {_value_text(k): str(v) for k, v in raw.items() if v is not None and str(v).strip()}


def _value_text(value: Any) -> str:
    """A value as the data holds it, as text: YAML reads 1 and yes as numbers and booleans."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def _read_business(raw: Any) -> Business | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or "value_per_entity" not in raw:
        raise CardError("card.yaml: business needs at least value_per_entity (the yearly value of one customer).")
    value = _number(raw["value_per_entity"], "business.value_per_entity")
    assert value is not None
    return Business(
        value_per_entity=value,
        currency=str(raw.get("currency", "USD")),
        period=str(raw.get("period", "year")),
        action_cost=_number(raw.get("action_cost"), "business.action_cost"),
    )


def _number(value: Any, where: str) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise CardError(f"card.yaml: {where} must be a number, not {value!r}.") from None
    if not math.isfinite(number):
        raise CardError(f"card.yaml: {where} must be a finite number.")
    return number


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value
