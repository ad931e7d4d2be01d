"""Grammar helpers every sentence shares. The naming rules the card and error messages need too (``humanize``,
``pluralize``, ``lower_label``, ``join_words``) live in :mod:`explain.bundle.naming` and are re-exported here, so
sentences import every grammar helper from one place."""

from __future__ import annotations

from explain.bundle.naming import article_for, humanize, join_words, lower_label, pluralize


def capitalize(text: str) -> str:
    """The first letter upper case, the rest as it is (``"iPhone users"`` stays recognisable)."""
    return text[:1].upper() + text[1:]


def gerund(phrase: str) -> str:
    """``leave`` -> ``leaving``, ``buy the plan`` -> ``buying the plan``; good enough for an outcome's verb."""
    words = phrase.split(" ", 1)
    verb = words[0]
    if verb.endswith("ie"):
        verb = verb[:-2] + "ying"
    elif verb.endswith("e") and not verb.endswith(("ee", "ye", "oe")) and len(verb) > 2:
        verb = verb[:-1] + "ing"
    else:
        verb += "ing"
    return " ".join([verb, *words[1:]])


def plural_verb(phrase: str) -> str:
    """An outcome's verb after a plural subject: ``be approved`` -> ``are approved`` ("50 in 100 are approved");
    every other verb reads the same (``leave``, ``have heart disease``)."""
    words = phrase.split(" ", 1)
    return " ".join(["are", *words[1:]]) if words[0] == "be" else phrase


def noun(n: float, singular: str, plural: str) -> str:
    """The noun that goes with a count: 1 customer, 2 customers."""
    return singular if n == 1 else plural


__all__ = [
    "article_for",
    "capitalize",
    "gerund",
    "humanize",
    "join_words",
    "lower_label",
    "noun",
    "plural_verb",
    "pluralize",
]
