"""How explanations are made: the Explanation object and the methods that fill it (exact SHAP, sampling, LIME)."""
