"""Pure Plotly figures: each function returns a Figure and never shows or saves it."""
