"""The real app in a real browser: a `streamlit run` server on small demo bundles, driven by Chromium.

These catch what unit tests cannot: a page that raises, a chart that never draws, a query-string link that
lands on the wrong model or customer. Screenshots go to test-artifacts/ so a person can look at the pages.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
STARTUP_S = 60
WAIT_MS = 60_000  # the first overview computes every row's explanation; CI machines can be slow
VIEWPORT = {"width": 1400, "height": 1000}
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="module")
def chromium() -> str:
    """The system Chromium (Playwright's own download is not available everywhere)."""
    path = shutil.which("chromium")
    if path is None:
        pytest.skip("browser tests need Chromium on PATH: apt-get install chromium")
    return path


@pytest.fixture(scope="module")
def models_dir(chromium: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Small demo bundles, so the server starts and explains quickly."""
    from models.build_demo import build_all

    root = tmp_path_factory.mktemp("e2e-models")
    build_all(root, n=1500, n_estimators=60)
    return root


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.read().decode().strip() == "ok")
    except (urllib.error.URLError, OSError):
        return False


@contextmanager
def _serve(
    models_dir: Path,
    log_dir: Path,
    *,
    port: int | None = None,
    args: tuple[str, ...] = (),
    env: dict[str, str] | None = None,
) -> Iterator[str]:
    """Run a real `streamlit run` in its own process group; yield its base URL; kill the group after."""
    port = port or _free_port()
    log_path = log_dir / "streamlit.log"
    command = [
        sys.executable, "-m", "streamlit", "run", "streamlit_app.py",
        "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false", *args,
    ]  # fmt: skip
    env = {**os.environ, "PLAINSIGHT_MODELS_DIR": str(models_dir), **(env or {})}
    # The server's output goes to a file, not a pipe: a pipe nobody reads fills up and stalls the server.
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_S
        while not _healthy(f"{base}/_stcore/health"):
            if process.poll() is not None:
                pytest.fail(f"streamlit exited with {process.returncode}:\n{log_path.read_text()[-3000:]}")
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit did not answer in {STARTUP_S} s:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.25)
        yield base
    finally:
        # Kill the whole group: streamlit may have started helpers of its own.
        for sig, grace in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
            try:
                os.killpg(process.pid, sig)
                process.wait(timeout=grace)
                break
            except ProcessLookupError:
                break
            except subprocess.TimeoutExpired:
                continue


@pytest.fixture(scope="module")
def server(models_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One server shared by the module's tests."""
    with _serve(models_dir, tmp_path_factory.mktemp("e2e-server")) as base:
        yield base


@pytest.fixture(scope="module")
def browser(chromium: str) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=BROWSER_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    yield page
    context.close()


@pytest.fixture(scope="module")
def customer_id(models_dir: Path) -> str:
    """The id of the 0-based row 3 of the churn-demo data, read as text like the app does."""
    data = pd.read_csv(models_dir / "churn-demo" / "data.csv", dtype={"customerID": str})
    return str(data["customerID"].iloc[3]).strip()


def _riskiest(models_dir: Path, name: str) -> list[str]:
    """A demo's customer ids, the highest chance first (as the list and the customer page order them)."""
    from explain.bundle import load_bundle

    bundle = load_bundle(models_dir / name, trusted=[models_dir])
    return [bundle.ids[i] for i in np.argsort(-bundle.outputs, kind="stable")]


def _settled(page: Page) -> None:
    """Wait for Streamlit to finish its run, so a screenshot shows the finished page, not stale elements."""
    expect(page.get_by_test_id("stStatusWidget")).to_be_hidden(timeout=WAIT_MS)
    # Tables and some widgets load their code lazily and show a grey skeleton until they have.
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=WAIT_MS)


def _see(locator: Locator) -> None:
    expect(locator).to_be_visible(timeout=WAIT_MS)


def _no_errors(page: Page) -> None:
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    expect(page.get_by_text("Traceback", exact=False)).to_have_count(0)


def _build_and_download(page: Page, folder: Path) -> Path:
    """Press the export page's "Build the file", then download what it built into ``folder``."""
    ready = page.get_by_text("Ready:", exact=False)
    for attempt in range(2):
        # A click that lands while the page is still rerunning (after picking the format) can be dropped by
        # Streamlit: the full suite on two cores lost one. A second click after the page settles builds it.
        page.get_by_role("button", name="Build the file").click()
        try:
            expect(ready).to_be_visible(timeout=WAIT_MS if attempt else WAIT_MS // 2)
            break
        except AssertionError:
            if attempt:
                raise
            _settled(page)
    with page.expect_download(timeout=WAIT_MS) as download:
        page.get_by_test_id("stDownloadButton").get_by_role("button").click()
    path = folder / download.value.suggested_filename
    download.value.save_as(path)
    return path


def _screenshot(page: Page, name: str) -> None:
    """A screenshot of the whole page, below the fold included."""
    # Streamlit scrolls inside <main>, not the document, so full_page alone stops at the window's bottom edge:
    # make the window as tall as the content instead, and let the layout settle before taking the picture.
    height = page.get_by_test_id("stMain").evaluate("main => main.scrollHeight")
    page.set_viewport_size({"width": VIEWPORT["width"], "height": max(VIEWPORT["height"], int(height))})
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)
    page.set_viewport_size(VIEWPORT)


@pytest.mark.e2e
def test_overview_renders_headline_and_chart(server: str, page: Page) -> None:
    page.goto(f"{server}/")
    _see(page.get_by_role("heading", name="Customer churn risk", exact=True))
    _see(page.get_by_role("heading", name="What moves the chance to leave most", exact=True))
    _see(page.locator(".js-plotly-plot").first)
    _settled(page)
    _no_errors(page)
    _screenshot(page, "overview.png")


@pytest.mark.e2e
def test_customer_link_opens_that_customer(server: str, page: Page, customer_id: str) -> None:
    page.goto(f"{server}/customer?model=churn-demo&customer={customer_id}")
    _see(page.get_by_role("heading", name=f"Customer {customer_id}"))
    metric = page.locator('[data-testid="stMetric"]').filter(has_text="Chance to leave")
    _see(metric)
    _see(page.locator(".js-plotly-plot").first)
    _see(page.get_by_text("Two different checks", exact=False))  # LIME's check, in plain words
    _see(page.locator("tspan", has_text="in 100 customers like this one").last)  # the icon array's title
    _settled(page)
    _no_errors(page)
    # The link named an existing customer, so the page must not say it could not find one.
    expect(page.get_by_text("There is no", exact=False)).to_have_count(0)
    _screenshot(page, "customer.png")


@pytest.mark.e2e
def test_analyst_switch_adds_the_detail(server: str, page: Page, customer_id: str) -> None:
    page.goto(f"{server}/customer?model=churn-demo&customer={customer_id}")
    _see(page.get_by_role("heading", name=f"Customer {customer_id}"))
    expect(page.get_by_text("Analyst detail", exact=False)).to_have_count(0)

    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("Analyst", exact=True).click()
    _see(page.get_by_text("Analyst detail", exact=False))
    _see(page.get_by_text("Fidelity (weighted R² of the local fit)", exact=False))
    _see(page.get_by_test_id("stDataFrame").get_by_test_id("data-grid-canvas"))
    # Switching the audience must keep the same customer in view.
    expect(page.get_by_role("heading", name=f"Customer {customer_id}")).to_be_visible()
    _settled(page)
    _no_errors(page)
    _screenshot(page, "customer-analyst.png")


@pytest.mark.e2e
def test_overview_for_the_analyst(server: str, page: Page) -> None:
    page.goto(f"{server}/?model=churn-demo")
    _see(page.get_by_role("heading", name="Customer churn risk", exact=True))
    page.get_by_test_id("stSidebar").get_by_text("Analyst", exact=True).click()
    _see(page.get_by_text("Analyst detail", exact=False))
    _see(page.get_by_text("sigmoid", exact=False))
    _settled(page)
    _no_errors(page)
    _screenshot(page, "overview-analyst.png")


@pytest.mark.e2e
def test_model_link_opens_the_linear_model(server: str, page: Page) -> None:
    page.goto(f"{server}/?model=churn-demo-linear")
    title = page.get_by_role("heading", name="Customer churn risk (simple model)", exact=True)
    _see(title)
    _see(page.get_by_role("heading", name="What moves the chance to leave most", exact=True))
    _see(page.locator(".js-plotly-plot").first)
    _settled(page)
    _no_errors(page)


@pytest.mark.e2e
@pytest.mark.parametrize("path", ["customer", "overview"])
def test_a_pages_own_path_works_on_a_fresh_server(
    models_dir: Path, tmp_path_factory: pytest.TempPathFactory, page: Page, customer_id: str, path: str
) -> None:
    """A deep link must work as a fresh server's very first request.

    A pages/ folder beside streamlit_app.py once put Streamlit in its old pages-folder mode until
    st.navigation first ran, so such a link ran the page script without the frame (KeyError) until someone
    opened "/". And /overview once said "Page not found" before showing the overview (its path was "/").
    """
    # Its own server: the shared one has already served "/", which would hide the problem.
    with _serve(models_dir, tmp_path_factory.mktemp("e2e-fresh-server")) as base:
        page.goto(f"{base}/{path}?model=churn-demo&customer={customer_id}")
        name = f"Customer {customer_id}" if path == "customer" else "Customer churn risk"
        heading = page.get_by_role("heading", name=name, exact=True)
        heading.or_(page.get_by_test_id("stException")).first.wait_for(timeout=WAIT_MS)
        _no_errors(page)
        _see(heading)
        _settled(page)
        expect(page.get_by_text("Page not found", exact=False)).to_have_count(0)
        expect(page).to_have_url(f"{base}/{path}?model=churn-demo&customer={customer_id}")


@pytest.mark.e2e
def test_the_link_follows_what_the_reader_picks(server: str, page: Page, models_dir: Path) -> None:
    """Picking a model and a customer updates the address, so copying it shares exactly that view."""
    data = pd.read_csv(models_dir / "churn-demo-linear" / "data.csv", dtype={"customerID": str})
    other = str(data["customerID"].iloc[10]).strip()
    page.goto(f"{server}/customer")
    _see(page.get_by_role("heading", name=f"Customer {_riskiest(models_dir, 'churn-demo')[0]}"))

    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_test_id("stSelectbox").filter(has_text="Model").click()
    page.get_by_role("option", name="churn-demo-linear", exact=True).click()
    _settled(page)
    search = page.get_by_role("textbox", name="Find a customer by customer id")
    search.fill(other[:6])  # part of the id: the customers whose ids hold it, as links
    search.press("Enter")
    page.get_by_test_id("stMain").get_by_role("button", name=re.compile(f"^{re.escape(other)} ")).click()

    _see(page.get_by_role("heading", name=f"Customer {other}"))
    _settled(page)
    _no_errors(page)
    expect(page).to_have_url(f"{server}/customer?model=churn-demo-linear&customer={other}")
    expect(search).to_have_value(other)

    third = str(data["customerID"].iloc[11]).strip()
    search.fill(third.lower())  # a whole id, in any case, opens that customer
    search.press("Enter")
    _see(page.get_by_role("heading", name=f"Customer {third}"))
    expect(page).to_have_url(f"{server}/customer?model=churn-demo-linear&customer={third}")


@pytest.mark.e2e
def test_business_impact_page(server: str, page: Page) -> None:
    page.goto(f"{server}/impact?model=churn-demo")
    _see(page.get_by_text("Money at risk", exact=True))
    _see(page.get_by_text("of yearly revenue", exact=False).first)
    _settled(page)
    _no_errors(page)
    # Money reads as money: no Markdown escapes or stray LaTeX left on screen.
    expect(page.get_by_text("\\$", exact=False)).to_have_count(0)
    _screenshot(page, "impact.png")


@pytest.mark.e2e
def test_what_if_slider_moves_the_answer(server: str, page: Page, customer_id: str) -> None:
    page.goto(f"{server}/what-if?model=churn-demo&customer={customer_id}")
    _see(page.get_by_role("heading", name=f"What if: customer {customer_id}"))
    _see(page.get_by_text("Nothing is changed yet", exact=False))
    slider = page.get_by_test_id("stSlider").filter(has_text="Support calls last year").get_by_role("slider")
    before = int(float(slider.get_attribute("aria-valuenow") or 0))
    slider.focus()
    page.keyboard.press("ArrowRight")
    _see(page.get_by_text(f"support calls last year to {before + 1} call", exact=False))
    _see(page.locator(".js-plotly-plot").first)
    page.get_by_role("button", name="Find changes").click()
    _see(page.get_by_role("button", name="Try this").first)
    _settled(page)
    _no_errors(page)
    _screenshot(page, "what-if.png")


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ("churn-demo-linear", "lowers the chance to leave from"),
        ("churn-demo", "How the main facts move the chance to leave"),
        ("spend-demo", "How the main facts move the expected"),
    ],
)
def test_model_page_for_each_demo(server: str, page: Page, model: str, expected: str) -> None:
    page.goto(f"{server}/model?model={model}")
    _see(page.get_by_role("heading", name="How the model works", exact=True))
    _see(page.get_by_text(expected, exact=False).first)
    _see(page.get_by_text("How good is the model", exact=False).first)
    _see(page.locator(".js-plotly-plot").first)
    _settled(page)
    _no_errors(page)
    _screenshot(page, f"model-{model}.png")
    page.get_by_test_id("stSidebar").get_by_text("Analyst", exact=True).click()
    _see(page.get_by_text("Analyst detail", exact=False).first)
    _settled(page)
    _no_errors(page)
    _screenshot(page, f"model-{model}-analyst.png")


@pytest.mark.e2e
def test_each_export_downloads_from_the_customer_page(
    server: str, page: Page, customer_id: str, tmp_path: Path
) -> None:
    """The three download buttons give real files: a 1920x1080 picture, a PDF and a PowerPoint naming the customer."""
    from PIL import Image
    from pptx import Presentation
    from pypdf import PdfReader

    page.goto(f"{server}/customer?model=churn-demo&customer={customer_id}")
    _see(page.get_by_role("heading", name="Export for a deck"))
    _settled(page)
    saved = {}
    for label, suffix in (("Slide picture (PNG)", ".png"), ("PDF summary", ".pdf"), ("PowerPoint (PPTX)", ".pptx")):
        path = _download(page, label, tmp_path)
        assert path.suffix == suffix and customer_id in path.name
        saved[suffix] = path
    _no_errors(page)

    with Image.open(saved[".png"]) as picture:
        assert picture.size == (1920, 1080)
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(saved[".png"], ARTIFACTS / "export-customer.png")
    assert f"Customer {customer_id}" in PdfReader(saved[".pdf"]).pages[0].extract_text()
    deck = Presentation(str(saved[".pptx"]))
    texts = [shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame]
    assert any(f"Customer {customer_id}" in text for text in texts)
    for suffix, path in saved.items():  # each download is in the audit trail, by name
        assert _audited(export=path.stem, format=suffix, model="churn-demo"), path.name


def _download(page: Page, label: str, folder: Path) -> Path:
    """Press the download button labelled ``label``; the file it gave, saved into ``folder``."""
    with page.expect_download(timeout=WAIT_MS) as download:
        page.get_by_test_id("stDownloadButton").filter(has_text=label).get_by_role("button").click()
    path = folder / download.value.suggested_filename
    download.value.save_as(path)
    return path


def _audited(**fields: str) -> bool:
    """Whether the audit trail (the server's PLAINSIGHT_AUDIT_FILE, this test session's) has an export line with
    these fields."""
    lines = Path(os.environ["PLAINSIGHT_AUDIT_FILE"]).read_text().splitlines()
    found = [json.loads(line) for line in lines]
    return any(e["event"] == "export" and all(e.get(k) == v for k, v in fields.items()) for e in found)


@pytest.mark.e2e
def test_the_lists_and_the_uploads_downloads_are_in_the_audit_trail(
    server: str, page: Page, models_dir: Path, tmp_path: Path
) -> None:
    page.goto(f"{server}/customers?model=churn-demo")
    _see(page.get_by_role("heading", name="Download this list"))
    _settled(page)
    names = [_download(page, label, tmp_path).name for label in ("Table (CSV)", "Excel workbook")]

    data = pd.read_csv(models_dir / "churn-demo" / "data.csv", dtype={"customerID": str}).head(4)
    page.goto(f"{server}/upload?model=churn-demo")
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        files=[{"name": "audited.csv", "mimeType": "text/csv", "buffer": data.to_csv(index=False).encode()}]
    )
    _see(page.get_by_role("heading", name="4 customers from audited.csv"))
    _settled(page)
    names.append(_download(page, "Download this table", tmp_path).name)
    _no_errors(page)
    for name in names:
        stem, suffix = name.rsplit(".", 1)
        assert (tmp_path / name).stat().st_size > 0
        assert _audited(export=stem, format=f".{suffix}", model="churn-demo"), name


@pytest.mark.e2e
def test_export_page_builds_a_pdf_of_the_top_customers(server: str, page: Page, tmp_path: Path) -> None:
    from pypdf import PdfReader

    page.goto(f"{server}/export?model=churn-demo")
    _see(page.get_by_role("heading", name="Export for a deck"))
    page.get_by_text("The customers most at risk", exact=True).click()
    _settled(page)
    page.get_by_text("PDF summary", exact=True).click()
    _settled(page)
    expect(page.get_by_role("radio", name="PDF summary")).to_be_checked()
    path = _build_and_download(page, tmp_path)
    assert path.name == "churn-demo_top-20.pdf"
    assert len(PdfReader(path).pages) >= 20
    assert _audited(export="churn-demo_top-20", format=".pdf", model="churn-demo")
    _no_errors(page)
    _screenshot(page, "export.png")


@pytest.mark.e2e
def test_uploading_customers_explains_them_and_a_bad_file_keeps_them(server: str, page: Page, models_dir: Path) -> None:
    data = pd.read_csv(models_dir / "churn-demo" / "data.csv", dtype={"customerID": str}).head(12)
    data["MonthlyCharges"] = data["MonthlyCharges"].astype(object)
    data.loc[4, "MonthlyCharges"] = "lots"  # one bad value: that row is left out and the line is named
    csv_bytes = data.to_csv(index=False, sep=";").encode("cp1252")
    page.goto(f"{server}/upload?model=churn-demo")
    _see(page.get_by_role("heading", name="Explain your own customers"))
    uploader = page.get_by_test_id("stFileUploaderDropzoneInput")
    uploader.set_input_files(files=[{"name": "mine.csv", "mimeType": "text/csv", "buffer": csv_bytes}])
    _see(page.get_by_role("heading", name="11 customers from mine.csv"))
    _see(page.get_by_text("MonthlyCharges should hold numbers", exact=False))
    _see(page.get_by_text("(line 6)", exact=False))
    _see(page.locator(".js-plotly-plot").first)
    _settled(page)
    _no_errors(page)
    _screenshot(page, "upload.png")

    uploader.set_input_files(
        files=[{"name": "junk.csv", "mimeType": "text/csv", "buffer": b"\x89PNG\r\n\x1a\n\x00\x00"}]
    )
    _see(page.get_by_text("This does not look like a CSV or Parquet file", exact=False))
    _see(page.get_by_text("the customers from mine.csv are still here", exact=False))
    _see(page.get_by_role("heading", name="11 customers from mine.csv"))
    _settled(page)
    _no_errors(page)


@pytest.mark.e2e
def test_the_stakeholder_path_keeps_the_customer_from_the_list_to_the_file(
    server: str, page: Page, models_dir: Path, tmp_path: Path
) -> None:
    """Overview → who to act on → a customer → "Try it in What if" → export PDF: the same customer and the same
    figures at every step with no re-pick; the sidebar keeps the customer; Back returns one step per click."""
    from pypdf import PdfReader

    riskiest = _riskiest(models_dir, "churn-demo")[0]
    page.goto(f"{server}/?model=churn-demo")
    _see(page.get_by_role("heading", name="Customer churn risk", exact=True))
    _settled(page)
    high = page.get_by_role("link", name="customers at high risk")
    count = (high.text_content() or "").split(" ")[2]  # "See the 245 customers at high risk"
    high.click()

    # The list, already filtered to the overview's count, riskiest first.
    _see(page.get_by_role("heading", name="Who to act on"))
    _see(page.get_by_text(f"{count} of your 1,500 customers, highest chance to leave first.", exact=True))
    _settled(page)
    _screenshot(page, "customers.png")
    page.get_by_test_id("stMain").get_by_role("link", name=riskiest, exact=True).click()

    # The customer: their chance, and what would change it.
    _see(page.get_by_role("heading", name=f"Customer {riskiest}"))
    chance = page.get_by_test_id("stMetric").filter(has_text="Chance to leave").get_by_test_id("stMetricValue")
    _see(chance)
    said = chance.text_content()
    _see(page.get_by_role("heading", name="What would change it"))
    _settled(page)
    first_change = page.get_by_test_id("stMain").get_by_text("Changing ", exact=False).first
    after = (first_change.text_content() or "").split(" to ")[-1].split(".")[0]  # "… from 97% to 44%." -> 44%
    assert (first_change.text_content() or "").count(f"from {said} to {after}") == 1
    page.get_by_role("link", name="Try it in What if").first.click()

    # What if opens on the same customer with that change applied: the answer is the suggestion's.
    _see(page.get_by_role("heading", name=f"What if: customer {riskiest}"))
    metric = page.get_by_test_id("stMetric").first.get_by_test_id("stMetricValue")
    expect(metric).to_have_text(after)
    _see(page.get_by_text(f"Now: {said}", exact=True))
    _settled(page)
    _no_errors(page)

    # Back returns one step per click: to the customer, to the list, to the overview; then forward again.
    # (as a person does: each press once the page has shown)
    for heading in (f"Customer {riskiest}", "Who to act on", "Customer churn risk"):
        page.go_back()
        _see(page.get_by_role("heading", name=heading, exact=True))
        _settled(page)
    for heading in ("Who to act on", f"Customer {riskiest}", f"What if: customer {riskiest}"):
        page.go_forward()
        _see(page.get_by_role("heading", name=heading, exact=True))
        _settled(page)

    # The sidebar keeps the customer: to their page, then to Export, which exports them without a re-pick.
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_role("link", name="Customer", exact=True).click()
    _see(page.get_by_role("heading", name=f"Customer {riskiest}"))
    _settled(page)
    sidebar.get_by_role("link", name="Export", exact=True).click()
    _see(page.get_by_role("heading", name="Export for a deck"))
    expect(page.get_by_role("radio", name="One customer")).to_be_checked()
    page.get_by_text("PDF summary", exact=True).click()
    _settled(page)
    path = _build_and_download(page, tmp_path)
    text = " ".join((p.extract_text() or "") for p in PdfReader(path).pages)
    assert riskiest in path.name and f"Customer {riskiest}" in text
    assert f"{said} Chance to leave" in " ".join(text.split()) and f"from {said} to {after}" in text
    _no_errors(page)


@pytest.mark.e2e
def test_the_audience_and_the_assumptions_live_in_the_link(server: str, page: Page) -> None:
    """A reload keeps the analyst view and the impact page's assumptions; every page's own path works."""
    page.goto(f"{server}/impact?model=churn-demo")
    _see(page.get_by_text("Money at risk", exact=True))
    _settled(page)
    page.get_by_test_id("stSidebar").get_by_text("Analyst", exact=True).click()
    _see(page.get_by_text("Analyst detail", exact=False))
    budget = page.get_by_role("textbox", name="Budget (dollars)")
    budget.fill("$4,000")
    budget.press("Enter")
    _see(page.get_by_text("Acting on the 100 customers most at risk would cost $4,000.", exact=False).first)
    _settled(page)
    expect(page).to_have_url(f"{server}/impact?model=churn-demo&audience=analyst&budget=4000")
    page.reload()
    _see(page.get_by_text("Acting on the 100 customers most at risk would cost $4,000.", exact=False).first)
    _see(page.get_by_text("Analyst detail", exact=False))
    expect(page.get_by_role("textbox", name="Budget (dollars)")).to_have_value("$4,000")
    # The overview, opened from the sidebar, tells the same story with the same budget.
    page.get_by_test_id("stSidebar").get_by_role("link", name="Overview", exact=True).click()
    _see(page.get_by_text("Acting on the 100 customers most at risk would cost $4,000.", exact=False).first)
    # /overview is the overview's own path, on a link with context too.
    page.goto(f"{server}/overview?model=churn-demo&audience=analyst")
    _see(page.get_by_role("heading", name="Customer churn risk", exact=True))
    _see(page.get_by_text("Analyst detail", exact=False))
    expect(page.get_by_text("Page not found", exact=False)).to_have_count(0)
    _no_errors(page)


@pytest.mark.e2e
def test_a_group_narrows_the_pages_and_show_everyone_takes_it_away(server: str, page: Page) -> None:
    """The sidebar's Group narrows the overview (set beside everyone) and the list; the link keeps it."""
    page.goto(f"{server}/?model=churn-demo")
    _see(page.get_by_role("heading", level=1))
    _settled(page)
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_test_id("stSelectbox").filter(has_text="Group").click()
    page.get_by_role("option", name="Fibre customers", exact=True).click()
    _see(page.get_by_text(re.compile(r"^This page shows one group, Fibre customers: [\d,]+ of your [\d,]+ customers")))
    _settled(page)
    _no_errors(page)
    expect(page).to_have_url(re.compile(r"group=Fibre(\+|%20)customers"))
    _see(page.get_by_text("What moves the chance to leave in this group and for all customers"))
    _screenshot(page, "group-overview.png")

    sidebar.get_by_role("link", name="Who to act on").click()  # the sidebar's links keep the group
    _see(page.get_by_text(re.compile(r"^This page shows one group, Fibre customers")))
    expect(page).to_have_url(re.compile(r"/customers\?.*group=Fibre"))
    page.get_by_role("button", name="Show everyone").first.click()
    _settled(page)
    expect(page.get_by_text(re.compile(r"^This page shows one group"))).to_have_count(0)
    expect(page).not_to_have_url(re.compile("group="))
