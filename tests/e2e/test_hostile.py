"""Markup in data is text on every page, in a real browser: column names, category values, ids and card text.

A bundle whose every name is an attack (an iframe with a script, a meta refresh, an image with onerror, Markdown
links to javascript:) is opened on every page. Nothing may run, load or redirect, and the words must show as
written.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.test_browser import (  # noqa: F401 - fixtures shared with the main browser tests
    BROWSER_ARGS,
    VIEWPORT,
    WAIT_MS,
    _no_errors,
    _screenshot,
    _serve,
    _settled,
    browser,
    chromium,
)

IFRAME = "<iframe srcdoc='<script>parent.document.title=\"pwned\"</script>'></iframe>"
IMG = "<img src=x onerror=\"document.title='pwned'\">"
META = '<meta http-equiv="refresh" content="0;url=about:blank">'
LINK = "[click](javascript:document.title='pwned')"


@pytest.fixture(scope="module")
def hostile_dir(
    chromium: str,  # noqa: F811
    tmp_path_factory: pytest.TempPathFactory,
) -> Path:
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    from tests.conftest import write_bundle

    root = tmp_path_factory.mktemp("hostile")
    rng = np.random.default_rng(0)
    n = 300
    number, category = f"bill {IMG}", f"plan {META}"
    frame = pd.DataFrame(
        {
            "id": [f"{IFRAME}{i}" if i < 3 else f"c{i}" for i in range(n)],
            number: rng.uniform(10, 100, n).round(2),
            category: rng.choice([IFRAME, LINK, "plain"], n),
        }
    )
    y = (rng.random(n) < 1 / (1 + np.exp(-(frame[number] - 55) / 15))).astype(int)
    prep = ColumnTransformer([("n", StandardScaler(), [number]), ("c", OneHotEncoder(), [category])])
    model = Pipeline([("p", prep), ("m", LogisticRegression())]).fit(frame[[number, category]], y)
    card = {
        "title": f"Risk {LINK} {IMG}",
        "target": "left",
        "id_column": "id",
        "entity": "customer",
        "outcome": {"positive": f"leave {META}", "negative": "stay"},
        "business": {"value_per_entity": 100},
        "features": {number: {"label": f"Bill {IFRAME}", "unit": "$"}},
        "assumptions": [f"Assumes {IMG}"],
        "limitations": [f"Not for {IFRAME}"],
    }
    write_bundle(root / "hostile", model, frame.assign(left=y), card)
    return root


@pytest.fixture(scope="module")
def hostile_server(hostile_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with _serve(hostile_dir, tmp_path_factory.mktemp("hostile-server")) as base:
        yield base


@pytest.fixture
def watched(browser: Browser) -> Iterator[tuple[Page, list[str]]]:  # noqa: F811 - the shared fixture
    """A page that records anything a script could do: dialogs, requests to other places, navigations."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    events: list[str] = []
    page.on("dialog", lambda dialog: (events.append(f"dialog {dialog.message}"), dialog.dismiss()))
    page.on("request", lambda request: events.append(f"request {request.url}") if request.url == "x" else None)
    page.on(
        "framenavigated", lambda frame: events.append(f"navigated {frame.url}") if "about:blank" in frame.url else None
    )
    yield page, events
    context.close()


PAGES = ["/", "/customers", "/customer", "/what-if", "/impact", "/model", "/upload", "/export"]


@pytest.mark.e2e
@pytest.mark.parametrize("path", PAGES)
def test_markup_from_data_never_runs(hostile_server: str, watched: tuple[Page, list[str]], path: str) -> None:
    page, events = watched
    query = "?model=hostile" + ("&customer=c5" if path in ("/customer", "/what-if") else "")
    page.goto(f"{hostile_server}{path}{query}")
    page.get_by_test_id("stMainBlockContainer").locator("h1").first.wait_for(timeout=WAIT_MS)
    _settled(page)
    _no_errors(page)
    page.wait_for_timeout(500)  # give anything that would run a moment to do so

    main = page.get_by_test_id("stMain")
    assert main.locator("iframe[srcdoc]").count() == 0
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("meta[http-equiv='refresh']").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    assert page.title() != "pwned"
    assert page.url.startswith(hostile_server) and "about:blank" not in page.url
    assert events == []
    _screenshot(page, f"hostile{path.replace('/', '-') or '-overview'}.png")


@pytest.mark.e2e
def test_the_markup_shows_as_written(hostile_server: str, watched: tuple[Page, list[str]]) -> None:
    page, _ = watched
    page.goto(f"{hostile_server}/model?model=hostile")
    expect(page.get_by_role("heading", name="How the model works")).to_be_visible(timeout=WAIT_MS)
    _settled(page)
    # The card's words, the column's label and a category value, each shown as the characters they are.
    expect(page.get_by_text("Not for <iframe", exact=False).first).to_be_visible()
    expect(page.get_by_text("Assumes <img src=x", exact=False).first).to_be_visible()
    expect(page.get_by_text("Bill <iframe", exact=False).first).to_be_visible()


@pytest.mark.e2e
def test_an_uploaded_file_name_and_its_cells_are_text(
    hostile_server: str, hostile_dir: Path, watched: tuple[Page, list[str]]
) -> None:
    page, events = watched
    data = pd.read_csv(hostile_dir / "hostile" / "data.csv").head(5)
    page.goto(f"{hostile_server}/upload?model=hostile")
    page.get_by_test_id("stMainBlockContainer").locator("h1").first.wait_for(timeout=WAIT_MS)
    name = "<img src=x onerror=alert(1)>.csv"
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": data.to_csv(index=False).encode()}]
    )
    expect(page.get_by_text("5 customers from <img src=x onerror=alert(1)>.csv", exact=False)).to_be_visible(
        timeout=WAIT_MS
    )
    _settled(page)
    _no_errors(page)
    page.wait_for_timeout(500)
    assert page.locator("img[src='x']").count() == 0 and page.get_by_test_id("stMain").locator("iframe").count() == 0
    assert page.title() != "pwned" and events == []
    _screenshot(page, "hostile-upload-file.png")
