"""How every chart looks: one palette and one font, so pages and exports draw the same figures the same way.

Each colour means one thing on every chart: red raises the output, blue lowers it, dark grey is a total or an
average, light grey is "now" (before a what-if change). Red and blue stay apart for the common colour-blindnesses
(they differ in lightness and in the blue-yellow axis, unlike red and green).
"""

from __future__ import annotations

from typing import Any

RAISES = "#c0392b"  # a reason that raises the output
LOWERS = "#2471a3"  # a reason that lowers it
TOTAL = "#4d4d4d"  # starting points and totals
BAR = "#2e86c1"  # bars with no direction (sizes, amounts)
BEFORE = "#aab7b8"  # what-if: now, before the changes
PARTIAL = "#7d3c98"  # the analyst's partial dependence
MUTED = "#bbbbbb"
GRID = "#eeeeee"
ZERO = "#888888"
LABEL_MAX = 60  # characters of a row label; longer ones are cut with "…"
FONT: dict[str, Any] = dict(family="Inter, Segoe UI, Helvetica, Arial, sans-serif", size=14)
