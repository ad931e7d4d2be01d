"""All of the app's caching, keyed by the bundle's fingerprint, the key derived from the bundle itself.

Bundles are shared resources (never mutated). What is expensive about a bundle (every row's output and
explanation) is also kept on disk by the engine (:mod:`explain.store`), so a restarted server reads it back.
Reports are bounded ``st.cache_data`` entries keyed by the bundle (through ``hash_funcs``: its fingerprint changes
whenever its model, data or card file does) and the reader's settings. The whole-population explanation lives in
a small bounded LRU shared across sessions, because its slow fallback must drive a progress bar, which
Streamlit's cached functions must not create; it is read-only.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path

import pandas as pd
import streamlit as st

from explain.analyses.selection import Found, ListQuery, find_ids
from explain.bundle import Bundle, list_bundles, load_bundle
from explain.bundle.preload import stamp, take
from explain.methods import (
    Explanation,
    exact_method,
    explain_shap,
    kept_population_explanation,
)
from explain.methods import (
    population_explanation as work_out_population,
)
from explain.reports import (
    CustomerReport,
    ImpactReport,
    ModelReport,
    OverviewReport,
    Settings,
    WhatIfReport,
    customer_report,
    impact_report,
    model_report,
    overview_report,
    whatif_report,
)
from explain.reports.customers import CustomerList, customer_list
from explain.reports.segment import SegmentReport, segment_report
from explain.upload import Upload

# A bundle is identified by its fingerprint: every cached result about it is keyed by the bundle itself.
_BY_FINGERPRINT = {Bundle: lambda bundle: bundle.fingerprint}


def available_bundles() -> dict[str, Path]:
    """Bundle folders in the configured models folders, by name (a directory listing: cheap, not cached)."""
    return list_bundles()


def get_bundle(path: Path) -> Bundle:
    """The loaded bundle, reloaded only when one of its files changes."""
    return _load(str(path), stamp(path))


@st.cache_resource(show_spinner="Loading the model…", max_entries=8)
def _load(path: str, stamp: tuple[tuple[str, float, int], ...]) -> Bundle:
    # The server may have loaded it before taking requests (ui/serve.py): the first reader does not wait.
    return take(path, stamp) or load_bundle(path)


@st.cache_data(show_spinner=False, max_entries=64, hash_funcs=_BY_FINGERPRINT)
def found_ids(bundle: Bundle, text: str) -> Found:
    """The customers whose id is, or contains, ``text`` (a search over every id: kept for the next run)."""
    return find_ids(bundle, text, limit=SHOWN_MATCHES)


SHOWN_MATCHES = 8


@st.cache_data(show_spinner=False, max_entries=512, hash_funcs=_BY_FINGERPRINT)
def row_explanation(bundle: Bundle, position: int) -> Explanation:
    """One reference row's explanation."""
    return explain_shap(bundle, [position])


@st.cache_data(show_spinner=False, max_entries=256, hash_funcs=_BY_FINGERPRINT)
def customer(bundle: Bundle, position: int, settings: Settings) -> CustomerReport:
    """One customer's story (with the second check and what would change it)."""
    return customer_report(bundle, position, settings, explanation=row_explanation(bundle, position))


@st.cache_data(show_spinner=False, max_entries=64, hash_funcs=_BY_FINGERPRINT)
def customers(bundle: Bundle, query: ListQuery, settings: Settings) -> CustomerList:
    """One page of the list (its rows explained): kept, so paging back or reopening the list is instant."""
    return customer_list(bundle, query, settings)


@st.cache_data(show_spinner=False, max_entries=256, hash_funcs=_BY_FINGERPRINT)
def whatif(bundle: Bundle, position: int, changed: pd.DataFrame) -> WhatIfReport:
    """What the model says of a customer with the reader's changes (kept: moving a control back is instant)."""
    return whatif_report(bundle, position, changed, row_explanation(bundle, position))


@st.cache_data(show_spinner=False, max_entries=32, hash_funcs=_BY_FINGERPRINT)
def impact(bundle: Bundle, settings: Settings) -> ImpactReport:
    """The money story under the reader's assumptions."""
    return impact_report(bundle, settings)


def overview(bundle: Bundle, settings: Settings) -> OverviewReport:
    """The whole-model story; a slow model's explanation shows a progress bar the first time."""
    return _overview(bundle, settings, population_explanation(bundle))


@st.cache_data(show_spinner=False, max_entries=32, hash_funcs=_BY_FINGERPRINT)
def _overview(bundle: Bundle, settings: Settings, _explanation: Explanation) -> OverviewReport:
    return overview_report(bundle, settings, explanation=_explanation)


def segment(group: Bundle, settings: Settings) -> SegmentReport:
    """A group against everyone (``group`` is a narrowed bundle: :mod:`ui.group`)."""
    return _segment(group, settings, population_explanation(group), population_explanation(group.whole))


@st.cache_data(show_spinner=False, max_entries=32, hash_funcs=_BY_FINGERPRINT)
def _segment(group: Bundle, settings: Settings, _explanation: Explanation, _everyone: Explanation) -> SegmentReport:
    return segment_report(group, settings, explanation=_explanation, everyone=_everyone)


def model(bundle: Bundle, settings: Settings) -> ModelReport:
    """How the model works; a slow model's explanation shows a progress bar the first time."""
    explanation = population_explanation(bundle)
    with st.spinner("Working out how the model works…"):
        return _model(bundle, settings, explanation)


@st.cache_data(show_spinner=False, max_entries=16, hash_funcs=_BY_FINGERPRINT)
def _model(bundle: Bundle, settings: Settings, _explanation: Explanation) -> ModelReport:
    return model_report(bundle, settings, explanation=_explanation)


@st.cache_data(show_spinner="Explaining your file…", max_entries=8, hash_funcs=_BY_FINGERPRINT)
def uploaded(bundle: Bundle, digest: str, _upload: Upload) -> Explanation:
    """The rows of an uploaded file (keyed by its digest); a slow model explains the first rows only."""
    frame = _upload.frame
    assert frame is not None
    frame = frame.set_axis(_upload.ids)
    if exact_method(bundle) is None:
        frame = frame.iloc[:UPLOAD_ROWS_CAP]  # the slow method: the first rows only (said on the page)
    return explain_shap(bundle, X=frame)


UPLOAD_ROWS_CAP = 500


@st.cache_data(show_spinner=False, max_entries=128, hash_funcs=_BY_FINGERPRINT)
def uploaded_customer(bundle: Bundle, digest: str, row: int, _explanation: Explanation) -> CustomerReport:
    """One uploaded customer's story, told as for the model's own customers."""
    return customer_report(bundle, explanation=_explanation.take([row]), X=_explanation.data.iloc[[row]])


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
    """Every row's explanation (a seeded sample for a slow method): from memory, else from the disk cache, else
    worked out (and kept in both) with a spinner, or a progress bar for the slow method."""
    store = _population_store()
    cached = store.get(bundle.fingerprint)
    if cached is None:
        cached = kept_population_explanation(bundle)
    if cached is not None:
        store.put(bundle.fingerprint, cached)
        return cached
    if exact_method(bundle) is not None:
        with st.spinner("Working out what drives the model…"):
            result = work_out_population(bundle)
    else:
        bar = st.progress(0.0, text="This model needs a slower method; working through the rows…")
        result = work_out_population(bundle, progress=lambda done, message: bar.progress(done, text=message))
        bar.empty()
    store.put(bundle.fingerprint, result)
    return result
