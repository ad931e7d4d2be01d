"""How explanations are made: the Explanation object, the registry of methods, and the functions that run them.

Exact SHAP values where the model allows (one backend per model kind), a sampling fallback for any model, and
LIME as a second, independent check; each method is one module in :mod:`explain.methods.backends`.
"""

from explain.methods.explanation import Explanation, LocalFit, Provenance, Sample
from explain.methods.reasons import exact_method, explain_lime, explain_population, explain_shap, reasons_method
from explain.methods.registry import Method, all_methods, get_method
from explain.methods.saved import kept_population_explanation, population_explanation

__all__ = [
    "Explanation",
    "LocalFit",
    "Method",
    "Provenance",
    "Sample",
    "all_methods",
    "exact_method",
    "explain_lime",
    "explain_population",
    "explain_shap",
    "get_method",
    "kept_population_explanation",
    "population_explanation",
    "reasons_method",
]
