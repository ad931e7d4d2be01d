"""Every page, in both audiences, through axe-core in the real browser (no serious or critical violation), and
at a phone's width (390 px: nothing wider than the screen, screenshots for a person to look at)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.e2e.test_browser import (  # noqa: F401 - fixtures shared with the main browser tests
    ARTIFACTS,
    WAIT_MS,
    _no_errors,
    _serve,
    _settled,
    browser,
    chromium,
    models_dir,
)

PAGES = [
    "/", "/customers", "/customer", "/what-if", "/impact", "/model", "/upload", "/changes", "/export",
    "/?group=Fibre+customers",  # a page narrowed to a group: the banner, the side-by-side table, the paired chart
]  # fmt: skip


def _url(server: str, path: str) -> str:
    return f"{server}{path}{'&' if '?' in path else '?'}model=churn-demo"


PHONE = {"width": 390, "height": 844}
# Each control's accessible name: its aria-label, or the text of its <label>.
NAMES_JS = """() => [...document.querySelectorAll('input, [role=slider], [role=combobox], button')]
    .map(e => e.getAttribute('aria-label') || (e.labels && e.labels[0] && e.labels[0].innerText) || '')"""


@pytest.fixture(scope="module")
def server(models_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:  # noqa: F811
    with _serve(models_dir, tmp_path_factory.mktemp("e2e-a11y-server")) as base:
        yield base


def _open(page: Page, url: str) -> None:
    page.goto(url)
    page.locator("h1").first.wait_for(timeout=WAIT_MS)
    _settled(page)
    _no_errors(page)


@pytest.mark.e2e
@pytest.mark.parametrize("audience", ["stakeholder", "analyst"])
def test_no_page_has_a_serious_accessibility_violation(
    server: str,
    browser: Browser,  # noqa: F811
    audience: str,
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    found = {}
    try:
        for path in PAGES:
            _open(page, _url(server, path) + ("&audience=analyst" if audience == "analyst" else ""))
            violations = axe.run(page).response["violations"]
            serious = [
                f"{v['id']}: {v['help']} ({', '.join(str(n['target']) for n in v['nodes'][:3])})"
                for v in violations
                if v["impact"] in ("serious", "critical")
            ]
            # What a screen reader says for each control: its label, never a Markdown escape ("Budget \\(dollars\\)").
            names = page.evaluate(NAMES_JS)
            escaped = [name for name in names if "\\" in name]
            if serious or escaped:
                found[path] = serious + [f"escaped label: {name}" for name in escaped]
    finally:
        context.close()
    assert found == {}


@pytest.mark.e2e
def test_every_page_fits_a_phone(server: str, browser: Browser) -> None:  # noqa: F811
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    wide = {}
    try:
        for path in PAGES:
            _open(page, _url(server, path))
            # Nothing wider than the screen: the page never scrolls sideways.
            width = page.get_by_test_id("stMain").evaluate("main => main.scrollWidth")
            if width > PHONE["width"]:
                wide[path] = width
            height = page.get_by_test_id("stMain").evaluate("main => main.scrollHeight")
            page.set_viewport_size({"width": PHONE["width"], "height": max(PHONE["height"], int(height))})
            page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
            ARTIFACTS.mkdir(exist_ok=True)
            name = path.strip("/").replace("?group=", "group-").replace("+", "-") or "overview"
            page.screenshot(path=str(ARTIFACTS / f"phone-{name}.png"), full_page=True)
            page.set_viewport_size(PHONE)
            if path == "/what-if":  # the answer stays in view while the reader scrolls down to the controls
                page.get_by_test_id("stMain").evaluate("main => main.scrollTo(0, 1200)")
                answer = page.locator(".st-key-whatif_answer").get_by_test_id("stMetricValue")
                box = answer.bounding_box()
                assert box is not None and 0 <= box["y"] <= PHONE["height"] - box["height"], box
    finally:
        context.close()
    assert wide == {}
