"""One module per explanation method, each defining ``METHOD`` (see :mod:`explain.methods.registry`).

Exact methods compute contributions on the estimator's own (encoded) input through
:func:`explain.methods.exact.exact_explainer`; the sampling fallback and LIME treat the whole model as a black box
on the raw columns. Importing a backend must stay cheap: heavy libraries (shap, lime) are imported when used.
"""
