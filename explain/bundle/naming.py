"""How things are named in sentences, from the very bottom of the engine: labels from column names, plurals,
labels inside a sentence, lists. The card, the output description and error messages need them before any
sentence is written; :mod:`explain.words.grammar` re-exports them with the rest of the grammar helpers.
"""

from __future__ import annotations

import re


def humanize(name: str) -> str:
    """Turn a column name into a readable label: ``monthly_charges`` -> ``Monthly charges``."""
    text = re.sub(r"[_\-.]+", " ", str(name))
    text = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text).strip()
    if not text:
        return str(name)
    words = text.split()
    return " ".join([words[0][:1].upper() + words[0][1:]] + [w if w.isupper() else w.lower() for w in words[1:]])


def pluralize(noun: str) -> str:
    """English plural good enough for entity nouns ("customer" -> "customers", "policy" -> "policies")."""
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    return noun + "s"


def lower_label(label: str) -> str:
    """A label inside a sentence: ``"Contract type"`` -> ``"contract type"``; acronyms stay (``"ID"``)."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def join_words(items: list[str]) -> str:
    """``["a", "b", "c"]`` -> ``"a, b and c"``."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def article_for(word: str) -> str:
    """ "a" or "an" before a word as it is read aloud: an employee, an MRI, a user, a one-off, an hour."""
    text = word.strip()
    first = text.split(" ", 1)[0] if text else ""
    if not first:
        return "a"
    if len(first) > 1 and first.isupper():  # an acronym is read letter by letter: an MRI, a PDF
        return "an" if first[0] in "AEFHILMNORSX" else "a"
    lower = first.lower()
    if lower.startswith(("hour", "honest", "honor", "honour", "heir")):
        return "an"
    if lower.startswith(("uni", "use", "usu", "uti", "eu", "one", "once")):
        return "a"
    return "an" if lower[0] in "aeiou" else "a"
