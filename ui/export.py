"""Download buttons for deck-ready files, shared by the overview, the customer page and the export page."""

from __future__ import annotations

import re
from collections.abc import Callable

import streamlit as st

from explain.bundle import Bundle
from explain.export.drift_layout import drift_slide
from explain.export.files import FORMATS, export_bytes
from explain.export.layout import customer_slides, overview_slide, segment_slide
from explain.export.render import NO_BROWSER, browser_found, render_png
from explain.export.slide import Slide
from explain.export.table import customers_table, to_csv_bytes
from explain.reports import Settings
from explain.reports.drift import DriftReport
from explain.words.escape import escape_markdown
from ui import audit, cache, render

LABELS = {".png": "Slide picture (PNG)", ".pdf": "PDF summary", ".pptx": "PowerPoint (PPTX)"}


def file_stem(*parts: str) -> str:
    """A safe file name from names and ids that came from data ("churn-demo_customer_8030-TERHH")."""
    text = "_".join(p for p in parts if p)
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.") or "plainsight"


def browser_or_message() -> bool:
    """Whether pictures can be drawn; when not, say how to get a browser (the rest of the page still works)."""
    if browser_found():
        return True
    st.info(escape_markdown(NO_BROWSER))
    return False


def download_buttons(make_slides: Callable[[], list[Slide]], stem: str, *, key: str, **about: str | None) -> None:
    """One button per format; each file is built only when its button is pressed (no rerun of the page).
    ``about`` names what the file is of for the audit trail (model, customer, group)."""
    if not browser_or_message():
        return
    who = audit.reader()  # read here: the file is built later, outside this run of the page
    for column, suffix in zip(st.columns(3), LABELS, strict=True):

        def build(suffix: str = suffix) -> bytes:
            data = export_bytes(make_slides(), suffix, render_png)
            audit.exported(stem, suffix, user=who, **about)
            return data

        column.download_button(
            LABELS[suffix],
            data=build,
            file_name=f"{stem}{suffix}",
            mime=FORMATS[suffix],
            key=f"{key}{suffix}",
            on_click="ignore",
            icon=":material/download:",
        )


def build_changes_file(report: DriftReport, bundle: Bundle, suffix: str) -> bytes:
    """What changed as a slide (PNG, PDF, PPTX) or its measures per column as a table (CSV)."""
    if suffix == ".csv":
        return to_csv_bytes(render.frame(report.table))
    return export_bytes([drift_slide(report, bundle)], suffix, render_png)


def build_file(
    bundle: Bundle,
    settings: Settings,
    positions: list[int],
    suffix: str,
    progress: Callable[[float, str], None],
) -> bytes:
    """The chosen file's bytes: the overview (no positions), or a page per customer, or a table (CSV) of the
    chosen customers (every one, for the overview)."""
    if suffix == ".csv":
        return to_csv_bytes(customers_table(bundle, positions or list(range(len(bundle.X)))))
    if positions:
        slides = customer_slides(
            bundle, positions, settings, progress=lambda done, message: progress(done * 0.5, message)
        )
    else:
        slides = [overview_slide(cache.overview(bundle, settings), bundle)]
        if bundle.group is not None:  # a group: set beside everyone first, then its own overview
            slides.insert(0, segment_slide(cache.segment(bundle, settings), bundle))
    progress(0.5, "Drawing the pages…")
    return export_bytes(slides, suffix, render_png, progress=lambda done, message: progress(0.5 + done * 0.5, message))
