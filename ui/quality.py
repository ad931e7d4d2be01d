"""The model-quality section of /model (placeholder until explain.quality lands)."""

from __future__ import annotations

from explain.bundle import Bundle


def quality_section(bundle: Bundle, *, analyst_view: bool) -> None:
    return None
