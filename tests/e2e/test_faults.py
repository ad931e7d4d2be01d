"""Faults a served app meets for real: the export's browser dying in the middle of a picture, a reader who leaves
while a page is still being worked out, and files as big as the upload takes.

(A bundle's files changed or removed under a running app: ``tests/app/test_faults.py``.)
"""

from __future__ import annotations

import signal
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import psutil
import pytest
from playwright.sync_api import Browser, expect

from explain.export import render
from tests.e2e.stsession import Session
from tests.e2e.test_browser import (  # noqa: F401 - fixtures
    VIEWPORT,
    WAIT_MS,
    _no_errors,
    _see,
    _serve,
    _settled,
    browser,
    chromium,
    models_dir,
)

pytestmark = pytest.mark.e2e
PNG = b"\x89PNG"


def _export_browsers() -> list[psutil.Process]:
    """The Chromium processes Kaleido started for this test process."""
    return [p for p in psutil.Process().children(recursive=True) if "chrom" in p.name().lower()]


def test_the_export_browser_killed_mid_export_then_the_next_export_works(chromium: str) -> None:  # noqa: F811
    small = go.Figure(go.Bar(x=["a", "b"], y=[1, 2]))
    assert render.render_png(small, 400, 300).startswith(PNG)  # the warm browser is running
    assert _export_browsers(), "Kaleido's browser should be running after a picture"

    # A picture big enough to take a while, so the kill lands while it is being drawn.
    rng = np.random.default_rng(0)
    heavy = go.Figure(go.Scatter(x=rng.random(300_000), y=rng.random(300_000), mode="markers"))
    outcome: dict[str, object] = {}

    def export() -> None:
        try:
            outcome["png"] = render.render_png(heavy, 1600, 900)
        except render.RenderError as exc:
            outcome["error"] = str(exc)

    worker = threading.Thread(target=export)
    worker.start()
    time.sleep(0.5)
    assert worker.is_alive(), "the picture finished before the browser could be killed; make it heavier"
    for process in _export_browsers():
        process.send_signal(signal.SIGKILL)
    worker.join(timeout=60)
    assert not worker.is_alive(), "an export hung after its browser died"
    # The export that lost its browser says so in plain words (or had just finished); it never hangs or raises
    # anything else.
    assert outcome.get("error", render.BROWSER_STOPPED) == render.BROWSER_STOPPED, outcome

    # The next export starts a fresh browser and works.
    assert render.render_png(small, 400, 300).startswith(PNG)
    assert render.render_png(small, 400, 300).startswith(PNG)


def test_a_reader_who_leaves_mid_page_harms_nobody(models_dir: Path, tmp_path: Path) -> None:  # noqa: F811
    """The connection dropped while the first overview (and then a customer) is still being worked out: the run
    finishes or stops on the server without an error, and the next reader gets the whole page."""
    customer = str(pd.read_csv(models_dir / "churn-demo" / "data.csv", dtype={"customerID": str})["customerID"][7])
    cold = {"PLAINSIGHT_CACHE_DIR": str(tmp_path / "cache")}  # nothing worked out yet: the first page computes
    with _serve(models_dir, tmp_path, env=cold) as server:
        left = [
            Session(server).leave_during("", "model=churn-demo"),
            Session(server).leave_during("customer", f"model=churn-demo&customer={customer}"),
        ]
        assert left == [True, True], "the reader should leave while the page is still running"
        reader = Session(server)
        overview = reader.open("", "model=churn-demo")
        page = reader.open("customer", f"model=churn-demo&customer={customer}")
        reader.close()
        log = (tmp_path / "streamlit.log").read_text()
    assert overview.finished and not overview.errors, overview.errors
    assert "customers" in overview.text and "at risk" in overview.text
    assert page.finished and not page.errors, page.errors
    assert f"Customer {customer}".replace("-", "\\-") in page.text
    assert "Traceback" not in log and "Error" not in log, log[-3000:]


def _wide_file(path: Path, data: pd.DataFrame, rows: int, note_chars: int) -> int:
    """``rows`` customers drawn from ``data``, with a free-text note of ``note_chars`` characters each when asked
    (a CRM export with more in it than the model needs); the file's size in bytes."""
    big = data.sample(rows, replace=True, random_state=0).reset_index(drop=True)
    big["customerID"] = [f"C{i:07d}" for i in range(rows)]
    if note_chars:
        words = "called about the bill and asked about a better plan "
        big["notes"] = (words * (note_chars // len(words) + 1))[:note_chars]
    big.to_csv(path, index=False)
    return path.stat().st_size


def test_a_50_mb_upload(browser: Browser, models_dir: Path, tmp_path: Path) -> None:  # noqa: F811
    """The upload takes files up to 50 MB: one of 50,000 customers with long notes is explained whole, one of
    700,000 short rows is refused in one plain line that names the limit and the way to explain it all, and one over
    50 MB is refused by the uploader itself; the first file's customers stay through both."""
    data = pd.read_csv(models_dir / "churn-demo" / "data.csv", dtype={"customerID": str})
    wide, narrow = tmp_path / "crm-export.csv", tmp_path / "every-customer.csv"
    assert 45 * 2**20 < _wide_file(wide, data, 50_000, 900) < 50 * 2**20
    assert 45 * 2**20 < _wide_file(narrow, data, 700_000, 0) < 50 * 2**20
    with _serve(models_dir, tmp_path) as server:
        page = browser.new_context(viewport=VIEWPORT).new_page()
        page.set_default_timeout(WAIT_MS)
        page.goto(f"{server}/upload?model=churn-demo")
        _see(page.get_by_role("heading", name="Explain your own customers"))
        uploader = page.get_by_test_id("stFileUploaderDropzoneInput")
        uploader.set_input_files(str(wide))
        expect(page.get_by_role("heading", name="50,000 customers from crm-export.csv")).to_be_visible(timeout=120_000)
        _settled(page)
        _no_errors(page)

        uploader.set_input_files(str(narrow))
        _see(page.get_by_text("The file has more than 100,000 rows; the limit is 100,000.", exact=False))
        _see(page.get_by_text("on the command line (plainsight batch)", exact=False))
        _see(page.get_by_text("the customers from crm-export.csv are still here", exact=False))
        _see(page.get_by_role("heading", name="50,000 customers from crm-export.csv"))
        _settled(page)
        _no_errors(page)

        # Over 50 MB the browser refuses it before sending (the server's maxUploadSize), and nothing is lost.
        over = tmp_path / "too-big.csv"
        over.write_bytes(narrow.read_bytes() + narrow.read_bytes()[: 8 * 2**20])
        uploader.set_input_files(str(over))
        _see(page.get_by_text("must be 50.0MB or smaller", exact=False))
        _see(page.get_by_role("heading", name="50,000 customers from crm-export.csv"))
        _no_errors(page)
        page.context.close()
        log = (tmp_path / "streamlit.log").read_text()
    assert "Traceback" not in log, log[-3000:]
