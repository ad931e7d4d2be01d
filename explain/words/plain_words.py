"""The one list of words a stakeholder never reads, and a finder for them.

Stakeholder pages, narratives and exports are checked against this list; the analyst view may use the words.
"""

from __future__ import annotations

import re

BANNED_TERMS: tuple[str, ...] = (
    "SHAP",
    "LIME",
    "feature",
    "coefficient",
    "log-odds",
    "log odds",
    "logit",
    "base value",
    "expected value",
    "margin",
    "attribution",
    "surrogate",
    "fidelity",
    "perturbation",
    "probability",
    "classifier",
    "regressor",
    "one-hot",
)


def _word(term: str) -> str:
    # Plurals too: "features", "classifiers", "probabilities".
    if term.endswith("y"):
        return re.escape(term[:-1]) + "(?:y|ies)"
    return re.escape(term) + "(?:s|es)?"


# Whole words only, in any case: "featured" is not "feature".
_PATTERN = re.compile(r"(?<![A-Za-z])(?:" + "|".join(_word(t) for t in BANNED_TERMS) + r")(?![A-Za-z])", re.IGNORECASE)


def find_jargon(text: str) -> list[str]:
    """Every banned term found in ``text``, as written there, in order."""
    return [m.group(0) for m in _PATTERN.finditer(text)]
