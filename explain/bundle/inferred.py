"""What a card-less bundle's words are worked out from: the target column, the entity noun, the words for the
outcome and whether it is good news.

Most first uses come without a ``card.yaml``: a model fitted on a frame that still holds the outcome column
("Survived", "Purchased"). These rules read that frame so the pages say "a 92% chance to survive" about "this
passenger", not "a 92% chance to have the outcome 1" about "this customer". The card always wins where it speaks.
"""

from __future__ import annotations

import math
import re
from typing import Any

import pandas as pd

from explain.bundle.naming import humanize
from explain.errors import CardError

DEFAULT_ENTITY = "case"  # neutral: a row of someone else's data is not always a customer

# Column names that say nothing about what the outcome is: their words read "get a yes".
_GENERIC = {"target", "label", "labels", "y", "class", "outcome", "result", "output", "flag", "value", "prediction"}
_YES = {"1", "1.0", "true", "t", "yes", "y"}

# Target names whose plain verb is not the name itself: "Churn" reads "leave", "Exited" reads "leave".
_KNOWN_VERBS = {
    "churn": "leave",
    "churned": "leave",
    "attrition": "leave",
    "exited": "leave",
    "exit": "leave",
    "left": "leave",
    "survived": "survive",
    "survival": "survive",
    "purchase": "buy",
    "purchased": "buy",
    "bought": "buy",
    "buy": "buy",
    "default": "default",
    "defaulted": "default",
    "died": "die",
    "death": "die",
    "dead": "die",
    "click": "click",
    "clicked": "click",
    "converted": "convert",
    "conversion": "convert",
    "responded": "respond",
    "response": "respond",
    "subscribed": "subscribe",
    "renewed": "renew",
    "renewal": "renew",
    "approved": "be approved",
    "approval": "be approved",
    "accepted": "accept",
    "won": "win",
    "win": "win",
    "fraud": "be fraud",
    "fraudulent": "be fraud",
    "cancelled": "cancel",
    "canceled": "cancel",
}

# The verbs of an outcome that is good news: more of it is what the reader wants (never "at risk").
_GOOD = (
    "survive", "buy", "purchase", "renew", "stay", "repay", "click", "convert", "respond", "win", "subscribe",
    "accept", "approve", "succeed", "success", "recover", "upgrade", "enrol", "donate", "book", "graduate",
    "retain", "retention", "order", "pay", "reply", "engage", "adopt", "join", "hire", "keep",
)  # fmt: skip
_GOOD_PHRASES = ("sign up", "signed up", "be approved", "be hired", "get hired", "get a job", "pay back")
_IRREGULAR = {"won": "win", "bought": "buy", "paid": "pay", "repaid": "repay", "replied": "reply", "kept": "keep"}
_NOT = {"not", "no", "never", "fail", "fails", "failed", "without", "stop", "stops", "cancel", "late", "lose",
        "default"}  # fmt: skip


def find_target(
    data: pd.DataFrame, columns: list[str], *, task: str, classes: list[Any] | None, exclude: list[str]
) -> str | None:
    """The data's column that holds what really happened, when the card names none and one fits.

    A column the model does not take (nor the id column), whose values are the model's classes (for a
    classifier, spelled as 1, 1.0 or "1" alike) or numbers (for a regressor), and that is not an id. None when
    no column, or more than one, fits: a guess between two would be a coin toss.
    """
    known = {_key(c) for c in classes or []}
    fits = []
    for name in data.columns:
        values = data[name].dropna()
        if name in columns or name in exclude or values.empty or _looks_like_id(str(name), values):
            continue
        if task == "classification":
            seen = {_key(v) for v in pd.unique(values)}
            if seen <= known:
                fits.append(name)
        elif pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            fits.append(name)
    return str(fits[0]) if len(fits) == 1 else None


def read_target_values(raw: Any, task: str, classes: list[Any]) -> dict[str, Any]:
    """The card's ``target_values``: each of the data's labels (as text) and the model's class it stands for.

    Raises
    ------
    CardError
        When it is not a mapping, the model predicts a number, or a label maps to something that is not a class.
    """
    if raw is None:
        return {}
    if not isinstance(raw, dict) or not raw:
        raise CardError('card.yaml: target_values must map each value in the data to a class, like {"Yes": 1}.')
    if task != "classification":
        raise CardError("card.yaml: target_values is for models that predict one of a few outcomes, not a number.")
    out: dict[str, Any] = {}
    for label, value in raw.items():
        match = [c for c in classes if _key(c) == _key(value) or str(c) == _text(value)]
        if not match:
            shown = ", ".join(repr(c.item() if hasattr(c, "item") else c) for c in classes)
            raise CardError(
                f"card.yaml: target_values maps '{_text(label)}' to {value!r}, "
                f"which is not one of the model's classes ({shown})."
            )
        out[_text(label)] = match[0]
    return out


def _text(value: Any) -> str:
    """A value as the data holds it, as text: YAML reads Yes and No as true and false."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def _looks_like_id(name: str, values: pd.Series) -> bool:
    """An id or a saved index: named so ("PassengerId", "id", "Unnamed: 0"), or the whole numbers 0..n-1 or 1..n."""
    if entity_from_id(name) is not None or name.strip().casefold() in ("id", "index", "unnamed: 0", "row"):
        return True
    if not pd.api.types.is_integer_dtype(values) or not values.is_unique or len(values) < 3:
        return False
    low = int(values.min())
    return low in (0, 1) and int(values.max()) == low + len(values) - 1


def _key(value: Any) -> str:
    """A class as text, however a CSV spells it: 1, 1.0, "1" and True are "1"."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float) or hasattr(value, "dtype"):
        try:
            number = float(value)
        except (TypeError, ValueError):
            return str(value).strip().casefold()
        if math.isfinite(number) and number.is_integer():
            return str(int(number))
        return repr(number)
    text = str(value).strip()
    try:
        number = float(text)
    except ValueError:
        return text.casefold()
    return str(int(number)) if math.isfinite(number) and number.is_integer() else text.casefold()


_ID = re.compile(r"^(?P<word>[A-Za-z]+?)(?:[ _.-]+(?:id|ID|Id)|ID|Id)$")


def entity_from_id(name: str) -> str | None:
    """The noun an id column names: ``PassengerId`` -> ``passenger``, ``customer_id`` -> ``customer``; else None."""
    match = _ID.match(str(name).strip())
    if match is None:
        return None
    word = match.group("word")
    if len(word) < 3 or word.isupper() and len(word) < 4:  # "UUID", "GUID" are no nouns
        return None
    return humanize(word).lower()


def find_entity(data: pd.DataFrame, id_column: str | None) -> str:
    """The entity noun for a card that names none: from the id column's name (``PassengerId`` -> passenger), or
    from a column of unique ids named that way, else the neutral :data:`DEFAULT_ENTITY`."""
    if id_column is not None and entity_from_id(id_column):
        return str(entity_from_id(id_column))
    for name in data.columns:
        word = entity_from_id(name)
        if word is not None and data[name].notna().all() and data[name].is_unique:
            return word
    return DEFAULT_ENTITY


def is_yes(value: Any) -> bool:
    """Whether a class reads as "yes": 1, True, "Yes", "y", "true"."""
    return _key(value) in _YES


def outcome_words(target: str | None, positive: Any, classes: list[Any] | None) -> str:
    """The verb phrase for the positive outcome when the card gives none, for "a 70% chance to ...".

    A yes/no outcome is named after its column: ``Survived`` -> "survive", ``Purchased`` -> "buy", ``Churn`` ->
    "leave", ``HeartDisease`` -> "have heart disease"; a column name that says nothing ("target", "y", or none)
    reads "get a yes". Any other class reads "have <column> <class>", or "turn out <class>" without a column.
    """
    if len(classes or []) <= 2 and is_yes(positive):
        name = humanize(str(target)).lower() if target else ""
        if not name or name in _GENERIC:
            return "get a yes"
        words = name.split()
        if words[0] in ("is", "was", "has", "had", "did", "will") and len(words) > 1:
            rest = " ".join(words[1:])  # "is fraud" -> "be fraud", "has churned" -> "leave"
            name = rest
            if words[0] in ("is", "was") and rest not in _KNOWN_VERBS and not rest.endswith("ed"):
                return f"be {rest}"
        if name in _KNOWN_VERBS:
            return _KNOWN_VERBS[name]
        if " " not in name and name.endswith("ed") and len(name) > 4:
            return _base_verb(name)
        return f"have {name}"
    if target:
        return f"have {humanize(str(target)).lower()} {positive}"
    return f"turn out {positive}"


def _base_verb(past: str) -> str:
    """``survived`` -> ``survive``, ``churned`` -> ``churn``, ``stopped`` -> ``stop``, ``applied`` -> ``apply``."""
    if past.endswith("ied"):
        return past[:-3] + "y"
    stem = past[:-2]
    if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "lsz":
        return stem[:-1]  # stopped -> stop
    if stem.endswith(("v", "c", "z", "at", "ut", "ir", "ur", "ib", "as", "os", "us", "ag", "ng", "dg", "ar", "iz")):
        return stem + "e"  # survived -> survive, purchased -> purchase, subscribed -> subscribe
    return stem


def is_good_news(words: str) -> bool:
    """Whether an outcome's words name something the reader wants more of (survive, buy, renew, stay, ...);
    "not renew" and "fail to repay" are not."""
    tokens = re.findall(r"[a-z]+", words.lower())
    if not tokens or any(t in _NOT for t in tokens):
        return False
    phrase = " ".join(tokens)
    if any(phrase == g or phrase.startswith(g + " ") for g in _GOOD_PHRASES):
        return True
    verbs = [t for t in tokens if t not in ("be", "get", "to", "a", "an", "the", "have")]
    return bool(verbs) and any(_same_verb(verbs[0], g) for g in _GOOD)


def _same_verb(token: str, verb: str) -> bool:
    """``survived``, ``survives``, ``survival`` all go with ``survive``; ``window`` does not go with ``win``."""
    if token == verb or _IRREGULAR.get(token) == verb:
        return True
    stem = verb[:-1] if verb.endswith("e") else verb
    if len(stem) < 4:  # short verbs: only their own endings ("wins", "winning", "buys")
        endings = ("s", "d", "ed", "ing", verb[-1] + "ing", verb[-1] + "ed")
        return token in {verb + e for e in endings} or verb.endswith("e") and token == stem + "ing"
    return token.startswith(stem)
