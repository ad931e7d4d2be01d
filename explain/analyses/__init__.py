"""Numbers only: what the explanations and the model's outputs add up to. No sentences, no figures."""
