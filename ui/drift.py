"""What changed: which newer data the page compares (the bundle's own current file, else one the reader uploads),
and its report, cached by the bundle's fingerprint and the file.

The bundle's fingerprint does not cover ``current.*`` (it is not part of the model), so the file is keyed on its
own: the bundle's file by its name, size and time of change; an upload by a digest of its bytes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from explain.bundle import Bundle
from explain.errors import PlainsightError
from explain.methods import Explanation
from explain.reports import Settings
from explain.reports.drift import DriftReport, drift_report
from explain.upload.current import current_file, read_current
from explain.words.escape import escape_markdown
from ui.cache import population_explanation

_BY_FINGERPRINT = {Bundle: lambda bundle: bundle.fingerprint}


@dataclass(frozen=True)
class Source:
    """Newer data to compare: its name, a key that changes with its content, and how to read its bytes."""

    name: str
    key: str
    read: Callable[[], bytes]


@dataclass(frozen=True)
class Refused:
    """A file that cannot be compared: every problem found, fatal first (plain text)."""

    problems: tuple[str, ...]


def bundle_source(bundle: Bundle) -> Source | None:
    """The bundle folder's ``current.parquet`` or ``current.csv``, or None."""
    path = current_file(bundle.path)
    if path is None:
        return None
    stat = path.stat()
    return Source(path.name, f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}", path.read_bytes)


def uploaded_source(name: str, data: bytes) -> Source:
    """A file the reader uploaded on the page."""
    return Source(name, hashlib.sha256(data).hexdigest()[:16], lambda: data)


def report(bundle: Bundle, settings: Settings, source: Source) -> DriftReport | Refused:
    """The What changed story for this newer data (worked out once per bundle, file and settings)."""
    return _report(bundle, source.key, source.name, settings, source.read, population_explanation(bundle))


@st.cache_data(show_spinner="Comparing the newer data…", max_entries=16, hash_funcs=_BY_FINGERPRINT)
def _report(
    bundle: Bundle, key: str, name: str, settings: Settings, _read: Callable[[], bytes], _reference: Explanation
) -> DriftReport | Refused:
    current = read_current(_read(), name, bundle)
    if not current.ok:
        return Refused(tuple(p.message for p in current.problems))
    return drift_report(bundle, current, settings, source=name, reference=_reference)


def report_or_stop(bundle: Bundle, settings: Settings, source: Source) -> DriftReport:
    """The report for this newer data; when it cannot be made, the page says why (every problem in the file) and
    stops there. The What changed page and the export page show the same messages."""
    try:
        found = report(bundle, settings, source)
    except PlainsightError as exc:
        st.error(escape_markdown(f"The newer data could not be compared: {exc}"))
        st.stop()
    if isinstance(found, Refused):
        st.error(escape_markdown(f"{source.name} could not be compared with the model's data."))
        for problem in found.problems:
            st.warning(escape_markdown(problem))
        st.stop()
    return found
