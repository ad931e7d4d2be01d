"""Each story the product tells, composed once: overview, customer, impact, model (and what-if).

A report is a typed, immutable result holding the facts (counts from the data, never from a sample), the
sentences, the data every chart needs and how it was made. A page renders a report, an export lays the same
report out, and the CLI prints it; the reader's settings (:class:`Settings`) are inputs to every report.
"""

from explain.reports.customer import CustomerReport, Reason, customer_report
from explain.reports.impact import ImpactControls, ImpactReport, impact_controls, impact_report
from explain.reports.model import ModelReport, model_report
from explain.reports.overview import OverviewReport, overview_report
from explain.reports.settings import ANALYST, STAKEHOLDER, Settings
from explain.reports.whatif import SuggestionsReport, WhatIfReport, suggestions_report, whatif_report

__all__ = [
    "ANALYST",
    "STAKEHOLDER",
    "CustomerReport",
    "ImpactControls",
    "ImpactReport",
    "ModelReport",
    "OverviewReport",
    "Reason",
    "Settings",
    "SuggestionsReport",
    "WhatIfReport",
    "customer_report",
    "impact_controls",
    "impact_report",
    "model_report",
    "overview_report",
    "suggestions_report",
    "whatif_report",
]
