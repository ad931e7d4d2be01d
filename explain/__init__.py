"""Plainsight's engine: load a model bundle and explain it in raw columns and plain words. No UI in here."""

from explain.analyses.importance import global_importance, risk_summary
from explain.bundle import Bundle, list_bundles, load_bundle, models_dirs
from explain.errors import PlainsightError
from explain.methods.explanation import Explanation
from explain.methods.shap import explain_population, explain_shap

__all__ = [
    "Bundle",
    "Explanation",
    "PlainsightError",
    "explain_population",
    "explain_shap",
    "global_importance",
    "list_bundles",
    "load_bundle",
    "models_dirs",
    "risk_summary",
]
