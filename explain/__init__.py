"""Plainsight's engine: load a model bundle and explain it in raw columns and plain words. No UI in here.

Layers, each importing only from those below it (checked by import-linter, see pyproject.toml):
``cli`` > ``export`` > ``reports`` > ``figures`` > ``words`` > ``analyses`` > ``methods`` | ``upload`` > ``bundle``.
"""

from explain.bundle import Bundle, list_bundles, load_bundle, models_dirs
from explain.errors import NotAvailable, PlainsightError
from explain.methods import Explanation, explain_population, explain_shap
from explain.reports import Settings, customer_report, impact_report, model_report, overview_report

__all__ = [
    "Bundle",
    "Explanation",
    "NotAvailable",
    "PlainsightError",
    "Settings",
    "customer_report",
    "explain_population",
    "explain_shap",
    "impact_report",
    "list_bundles",
    "load_bundle",
    "model_report",
    "models_dirs",
    "overview_report",
]
