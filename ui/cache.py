"""Caching wrappers around the engine, keyed by the bundle's fingerprint.

Bundles are shared resources (never mutated). Single-row explanations use a bounded ``st.cache_data``. The
whole-population explanation lives in a small bounded LRU shared across sessions, because its slow fallback
path must drive a progress bar, which Streamlit's cached functions must not create.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path

import pandas as pd
import streamlit as st

from explain.analyses.coefficients import LinearEffects, NotLinear, linear_effects
from explain.analyses.dependence import partial_dependence
from explain.bundle import MODEL_FILES, Bundle, list_bundles, load_bundle
from explain.errors import ExplainError
from explain.methods.explanation import Explanation
from explain.methods.lime import explain_lime
from explain.methods.shap import exact_method, explain_population, explain_shap


def available_bundles() -> dict[str, Path]:
    """Bundle folders in the configured models folders, by name (a directory listing: cheap, not cached)."""
    return list_bundles()


def _stamp(path: Path) -> tuple[tuple[str, float, int], ...]:
    files = [path / f for f in (*MODEL_FILES, "data.csv", "data.parquet", "card.yaml")]
    return tuple((f.name, f.stat().st_mtime, f.stat().st_size) for f in files if f.exists())


def get_bundle(path: Path) -> Bundle:
    """The loaded bundle, reloaded only when one of its files changes."""
    return _load(str(path), _stamp(path))


@st.cache_resource(show_spinner="Loading the model…", max_entries=8)
def _load(path: str, stamp: tuple[tuple[str, float, int], ...]) -> Bundle:
    return load_bundle(path)


@st.cache_data(show_spinner=False, max_entries=512)
def row_explanation(_bundle: Bundle, fingerprint: str, position: int) -> Explanation:
    """One reference row's explanation."""
    return explain_shap(_bundle, [position])


@st.cache_data(show_spinner=False, max_entries=512)
def lime_explanation(_bundle: Bundle, fingerprint: str, position: int) -> Explanation | str:
    """One reference row's LIME explanation, or the plain reason it could not be made."""
    try:
        return explain_lime(_bundle, position)
    except ExplainError as exc:
        return str(exc)


@st.cache_data(show_spinner=False, max_entries=16)
def linear_effects_cached(_bundle: Bundle, fingerprint: str) -> LinearEffects | NotLinear:
    """The model's per-unit effects (linear models), or why there are none."""
    return linear_effects(_bundle)


@st.cache_data(show_spinner=False, max_entries=64)
def partial_dependence_cached(_bundle: Bundle, fingerprint: str, feature: str) -> pd.DataFrame:
    """The model's average output across one column's range (analyst view)."""
    return partial_dependence(_bundle, feature)


class _LRU:
    def __init__(self, size: int) -> None:
        self.size, self.items, self.lock = size, OrderedDict[str, Explanation](), threading.Lock()

    def get(self, key: str) -> Explanation | None:
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
            return None

    def put(self, key: str, value: Explanation) -> None:
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)


@st.cache_resource
def _population_store() -> _LRU:
    return _LRU(8)


def population_explanation(bundle: Bundle) -> Explanation:
    """Every row's explanation; the slow fallback shows a progress bar while it works."""
    store = _population_store()
    cached = store.get(bundle.fingerprint)
    if cached is not None:
        return cached
    if exact_method(bundle) is not None:
        with st.spinner("Working out what drives the model…"):
            result = explain_population(bundle)
    else:
        bar = st.progress(0.0, text="This model needs a slower method; working through the rows…")
        result = explain_population(bundle, progress=lambda done, message: bar.progress(done, text=message))
        bar.empty()
    store.put(bundle.fingerprint, result)
    return result
