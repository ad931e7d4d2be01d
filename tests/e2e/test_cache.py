"""A restarted server reads what the last one worked out from the disk cache, and a damaged entry is rebuilt.

Three real `streamlit run` servers in turn on one cache folder, each asked for the overview by Chromium; what the
engine did is read from each server's log (the engine logs what it worked out and what it read back).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.test_browser import (  # noqa: F401 - fixtures shared with the main browser tests
    VIEWPORT,
    WAIT_MS,
    _no_errors,
    _serve,
    _settled,
    browser,
    chromium,
)

WORKED_OUT = "worked out every row's explanation of churn-demo"
READ_BACK = "read every row's explanation of churn-demo from the cache"


@pytest.fixture(scope="module")
def one_bundle(
    chromium: str,  # noqa: F811 - the shared fixture
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Path]:
    """The small churn demo alone, so each server has one bundle to explain."""
    from models.build_demo import build_all

    root = tmp_path_factory.mktemp("cache-models")
    build_all(root, n=1500, n_estimators=60)
    for other in ("churn-demo-linear", "spend-demo"):
        shutil.rmtree(root / other)
    yield root


def _overview_on_a_new_server(
    browser: Browser,  # noqa: F811 - the shared fixture
    models: Path,
    log_dir: Path,
) -> tuple[str, str]:
    """Start a server, open the overview, stop it; return the overview's heading and the server's log."""
    log_dir.mkdir()
    with _serve(models, log_dir) as base:
        context = browser.new_context(viewport=VIEWPORT)
        page = context.new_page()
        page.set_default_timeout(WAIT_MS)
        page.goto(base + "/")
        heading = page.get_by_test_id("stHeading").first
        expect(heading).to_be_visible(timeout=WAIT_MS)
        _settled(page)
        _no_errors(page)
        text = page.get_by_test_id("stMain").inner_text()
        context.close()
    return text, (log_dir / "streamlit.log").read_text()


def test_a_restarted_server_serves_the_overview_from_the_cache_and_rebuilds_a_damaged_entry(
    browser: Browser,  # noqa: F811 - the shared fixture
    one_bundle: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("PLAINSIGHT_CACHE_DIR", str(cache))

    first, log = _overview_on_a_new_server(browser, one_bundle, tmp_path / "first")
    assert WORKED_OUT in log and READ_BACK not in log
    (entry,) = cache.glob("population-*.npz")
    written = entry.stat().st_mtime_ns

    again, log = _overview_on_a_new_server(browser, one_bundle, tmp_path / "restarted")
    assert READ_BACK in log and WORKED_OUT not in log, log[-2000:]
    assert again == first  # the same page, word for word
    assert entry.read_bytes() and entry.stat().st_mtime_ns >= written

    entry.write_bytes(entry.read_bytes()[:1000])  # cut short, as a full disk or a killed writer might leave it
    rebuilt, log = _overview_on_a_new_server(browser, one_bundle, tmp_path / "damaged")
    assert "is damaged" in log and WORKED_OUT in log, log[-2000:]
    assert rebuilt == first
    assert len(entry.read_bytes()) > 1000  # whole again
