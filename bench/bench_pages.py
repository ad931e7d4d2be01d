"""How fast the app feels: a real `streamlit run` server, real Chromium, every page in both audiences.

    .venv/bin/python bench/bench_pages.py [--runs 5] [--pages home,customer] [--launcher streamlit]
                                          [--server-arg=--server.fileWatcherType=auto]

Each run starts a server on an empty cache folder and times, from navigation until the page is complete (the
script has finished, no spinner, nothing stale, every chart drawn):

- the time from a start until the server answers, and the first overview after a start: from a new browser,
  and in a tab the reader had open (with an empty cache, and after a restart with the cache the last server left);
- every page in both audiences: cold (its first visit on that server, from a new browser: nothing cached, a new
  tab), warm (its next visit, going to its address in a tab that is already open) and warm from the sidebar (a
  click on its link in the sidebar, from the upload page: no reload, as a reader moves between pages);
- the server's CPU seconds for each warm visit (from /proc);
- picking another customer on the customer page; a slider move on What if until the new chance is on screen,
  on the demo and on a generated bundle with 20 columns;
- a trivial one-chart Streamlit page served in the same run, for scale.

Prints the median and p90 of the runs. A script, not a test: the figures depend on the machine. Needs Chromium
on PATH (apt-get install chromium). Takes about 10 minutes with 5 runs on a 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402
from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: E402

PAGES = {  # name: path (the overview answers at "/")
    "home": "",
    "customers": "customers",
    "customer": "customer",
    "what-if": "what-if",
    "impact": "impact",
    "model": "model",
    "upload": "upload",
    "export": "export",
}
TITLES = {  # the sidebar's link to each page
    "home": "Overview",
    "customers": "Who to act on",
    "customer": "Customer",
    "what-if": "What if",
    "impact": "Business impact",
    "model": "How the model works",
    "upload": "Your customers",
    "export": "Export",
}
AUDIENCES = ("stakeholder", "analyst")
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
WAIT_MS = 120_000
CLK_TCK = os.sysconf("SC_CLK_TCK")
WIDE_BUNDLE = "wide-20"

# The page is complete when the script has finished, nothing is stale or spinning and every chart has drawn.
COMPLETE_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
  if (!document.querySelector('[data-testid="stMainBlockContainer"] [data-testid="stHeading"], h1')) return false;
  const busy = '[data-testid="stSpinner"], [data-stale="true"], [data-testid="stSkeleton"]';
  if (document.querySelector(busy)) return false;
  for (const chart of document.querySelectorAll('[data-testid="stPlotlyChart"]')) {
    if (!chart.querySelector('.main-svg')) return false;
  }
  return true;
}"""

# Counts the app's finished runs (whole page or a fragment), so a measurement can wait for the run its action
# started, not take the page as it was before for the answer.
COUNT_RUNS_JS = """
window.__runs = 0;
new MutationObserver((records) => {
  // Every state the attribute held, in order (one batch of records can hold a whole quick run).
  const states = records.map((r) => r.oldValue);
  states.push(records[records.length - 1].target.getAttribute('data-test-script-state'));
  for (let i = 1; i < states.length; i++) {
    if (states[i - 1] === 'running' && states[i] === 'notRunning') window.__runs += 1;
  }
}).observe(document, {subtree: true, attributes: true, attributeOldValue: true,
                      attributeFilter: ['data-test-script-state']});
"""

TRIVIAL_PAGE = """
import plotly.express as px
import streamlit as st

st.title("One chart")
st.plotly_chart(px.bar(x=["a", "b", "c"], y=[3, 1, 2]))
"""


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
def serve(
    script: Path, cwd: Path, env: dict[str, str], args: list[str], log: Path, *, port: int = 0, launcher: str = ""
) -> Iterator[tuple[str, int]]:
    """A real server in its own process group (``streamlit run``, or the app's own launcher ``python -m
    ui.serve``): yields its URL and pid once it answers; kills the group after."""
    port = port or _free_port()
    if launcher == "serve":
        command = [sys.executable, "-m", "ui.serve", "--server.port", str(port), *args]
    else:
        command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port), *args]
    with open(log, "ab") as out:
        process = subprocess.Popen(
            command, cwd=cwd, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while not _healthy(f"{base}/_stcore/health"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the server did not start; see {log}")
            time.sleep(0.1)
        yield base, process.pid
    finally:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(process.pid, signal.SIGKILL)


def cpu_seconds(pid: int) -> float:
    """The server process's user + system CPU time so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def open_page(browser: Browser, url: str) -> tuple[Page, float]:
    """Open ``url`` in a new browser (nothing cached, a new tab); return the tab and the seconds until complete."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_init_script(COUNT_RUNS_JS)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    return page, go(page, url)


def go(page: Page, url: str) -> float:
    """Go to ``url`` in this tab; the seconds until the page is complete."""
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_function(COMPLETE_JS, polling=10)
    return time.perf_counter() - start


def settle(pid: int) -> None:
    """Wait until the server has gone quiet (its CPU stops moving), so one visit's work is not billed to the next."""
    last = cpu_seconds(pid)
    for _ in range(50):
        time.sleep(0.1)
        now = cpu_seconds(pid)
        if now - last < 0.005:
            return
        last = now


def visit(browser: Browser, url: str, pid: int) -> float:
    """Seconds until complete for a first visit: a new browser and tab (its own session on the server)."""
    settle(pid)
    page, seconds = open_page(browser, url)
    page.context.close()
    return seconds


def revisit(page: Page, url: str, pid: int) -> tuple[float, float]:
    """Seconds until complete, and the server's CPU seconds, for going to ``url`` in a tab already open."""
    settle(pid)
    before = cpu_seconds(pid)
    seconds = go(page, url)
    settle(pid)
    return seconds, cpu_seconds(pid) - before


def wait_rerun(page: Page, action: Callable[[], None], changed_js: str = "() => true") -> float:
    """Seconds from ``action`` until a run it started has finished, the page is complete and ``changed_js`` holds."""
    runs = int(page.evaluate("window.__runs"))
    start = time.perf_counter()
    action()
    page.wait_for_function(f"() => window.__runs > {runs} && ({changed_js})() && ({COMPLETE_JS})()", polling=5)
    return time.perf_counter() - start


def click_sidebar(page: Page, title: str) -> float:
    """Seconds from a click on the sidebar's link to a page until that page is complete (no reload); NaN (and a
    line saying so) when it never completes."""
    link = page.get_by_test_id("stSidebar").get_by_role("link", name=title, exact=True)
    page.set_default_timeout(30_000)
    try:
        return wait_rerun(page, link.click)
    except PlaywrightTimeout:
        print(f"  the click on '{title}' never completed a run (counted as a failure)", flush=True)
        return float("nan")
    finally:
        page.set_default_timeout(WAIT_MS)


def answer_text(page: Page) -> str:
    return str(page.evaluate("() => document.querySelector('[data-testid=\"stMetricValue\"]')?.innerText ?? ''"))


def pick_customer(page: Page, customer: str) -> float:
    """Pick ``customer`` with the page's picker (a search box, or the older list of every id)."""
    box = page.get_by_role("textbox", name=re.compile("Find a customer"))
    if box.count() == 0:  # the older picker: a select box of every id
        combo = page.get_by_role("combobox", name=re.compile("Find a customer"))

        def act() -> None:
            combo.click()
            combo.fill(customer)
            page.keyboard.press("Enter")
    else:

        def act() -> None:
            box.fill(customer)
            box.press("Enter")

    changed = f"() => document.querySelector('h1')?.innerText.includes({customer!r})"
    return wait_rerun(page, act, changed)


def move_slider(page: Page, key: str) -> tuple[float, float]:
    """Move What if's first slider to one end (``key``: End or Home); seconds until the new chance is on screen,
    and until the whole page is complete again (the chart redrawn)."""
    slider = page.get_by_test_id("stSlider").first.get_by_role("slider")
    slider.focus()
    before = answer_text(page)
    changed = f"() => (document.querySelector('[data-testid=\"stMetricValue\"]')?.innerText ?? '') !== {before!r}"
    runs = int(page.evaluate("window.__runs"))
    start = time.perf_counter()
    page.keyboard.press(key)
    page.wait_for_function(changed, polling=5)
    on_screen = time.perf_counter() - start
    page.wait_for_function(f"() => window.__runs > {runs} && ({COMPLETE_JS})()", polling=5)
    return on_screen, time.perf_counter() - start


def make_wide_bundle(folder: Path, columns: int = 20, rows: int = 5000) -> str:
    """A card-less XGBoost bundle with ``columns`` numeric columns, for What if with many sliders; returns the
    row whose chance is nearest 50% (its answer moves when a slider does)."""
    import joblib
    from xgboost import XGBClassifier

    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(rows, columns)).round(2), columns=[f"x{i:02d}" for i in range(columns)])
    logit = X.to_numpy() @ rng.normal(scale=0.3, size=columns)
    y = rng.random(rows) < 1 / (1 + np.exp(-logit))
    model = XGBClassifier(n_estimators=100, max_depth=4).fit(X, y)
    folder.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, folder / "model.joblib")
    X.assign(left=y.astype(int)).to_csv(folder / "data.csv", index=False)
    return str(int(np.argmin(np.abs(model.predict_proba(X)[:, 1] - 0.5))))


def demo_customers(models: Path, n: int) -> list[str]:
    ids = pd.read_csv(models / "churn-demo" / "data.csv", dtype={"customerID": str})["customerID"]
    return [str(x) for x in ids.iloc[100 : 100 + n]]


def query(audience: str) -> str:
    return "?audience=analyst" if audience == "analyst" else ""


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages", default=",".join(PAGES), help="comma-separated: " + ",".join(PAGES))
    parser.add_argument("--server-arg", action="append", default=[], help="extra `streamlit run` option")
    parser.add_argument(
        "--launcher",
        choices=["serve", "streamlit"],
        default="serve" if (ROOT / "ui" / "serve.py").exists() else "streamlit",
        help="how `make run` starts the app (default: ui.serve where there is one)",
    )
    args = parser.parse_args(argv)
    pages = [p for p in args.pages.split(",") if p]
    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("bench_pages needs Chromium on PATH: apt-get install chromium")

    work = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    extra_models = work / "models"
    wide_customer = make_wide_bundle(extra_models / WIDE_BUNDLE)
    trivial = work / "trivial" / "app.py"
    trivial.parent.mkdir()
    trivial.write_text(TRIVIAL_PAGE)
    customers = demo_customers(ROOT / "models", args.runs)
    log = work / "servers.log"
    times: dict[str, list[float]] = defaultdict(list)
    cpu: dict[str, list[float]] = defaultdict(list)

    print(f"bench_pages: {args.runs} runs, pages {', '.join(pages)}; server log {log}", flush=True)
    app = ROOT / "streamlit_app.py"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=BROWSER_ARGS)
        for run in range(args.runs):
            port = _free_port()  # one address for the run's servers: the reader's open tab outlives a restart

            def app_server(cache: Path, port: int = port) -> Any:
                env = {
                    "PLAINSIGHT_MODELS_DIR": os.pathsep.join([str(ROOT / "models"), str(extra_models)]),
                    "PLAINSIGHT_CACHE_DIR": str(cache),
                }
                return serve(app, ROOT, env, args.server_arg, log, port=port, launcher=args.launcher)

            reader_browser = browser.new_context(viewport={"width": 1400, "height": 1000})
            reader_browser.add_init_script(COUNT_RUNS_JS)
            reader = reader_browser.new_page()
            reader.set_default_timeout(WAIT_MS)
            start = time.perf_counter()
            with app_server(work / f"cache-{run}") as (base, pid):
                times["server start until it answers"].append(time.perf_counter() - start)
                page, seconds = open_page(browser, base + "/")
                page.context.close()
                times["first overview after a start, empty cache, new browser"].append(seconds)
                go(reader, base + "/")
                for name in pages:
                    for audience in AUDIENCES:
                        url = f"{base}/{PAGES[name]}{query(audience)}"
                        label = f"{name} ({audience})"
                        times[f"{label}, cold"].append(visit(browser, url, pid))
                        seconds, used = revisit(reader, url, pid)
                        times[f"{label}, warm"].append(seconds)
                        cpu[label].append(used)
                        go(reader, f"{base}/{PAGES['upload' if name != 'upload' else 'export']}{query(audience)}")
                        settle(pid)
                        times[f"{label}, warm from the sidebar"].append(click_sidebar(reader, TITLES[name]))
                go(reader, f"{base}/customer")
                times["pick another customer"].append(pick_customer(reader, customers[run]))
                for bundle, extra in (("churn-demo", ""), (WIDE_BUNDLE, f"&customer={wide_customer}")):
                    go(reader, f"{base}/what-if?model={bundle}{extra}")
                    move_slider(reader, "End")  # the first move warms the page's caches; the second is timed
                    on_screen, complete = move_slider(reader, "Home")
                    times[f"slider move ({bundle}): the new chance on screen"].append(on_screen)
                    times[f"slider move ({bundle}): the page complete"].append(complete)
            with app_server(work / f"cache-{run}") as (base, pid):
                times["first overview after a restart, cache kept"].append(go(reader, base + "/"))
            with app_server(work / f"cache-{run}-empty") as (base, pid):
                times["first overview after a start, empty cache"].append(go(reader, base + "/"))
            reader.context.close()
            with serve(trivial, trivial.parent, {}, ["--server.fileWatcherType", "none"], log) as (base, pid):
                times["trivial one-chart page, cold"].append(visit(browser, base, pid))
                page, _ = open_page(browser, base)
                seconds, used = revisit(page, base, pid)
                times["trivial one-chart page, warm"].append(seconds)
                cpu["trivial one-chart page"].append(used)
                page.context.close()
            print(f"  run {run + 1} of {args.runs} done", flush=True)
        browser.close()

    width = max(len(k) for k in times) + 2
    print(f"\n{'What (seconds until complete)':<{width}}{'median':>8}{'p90':>8}{'server CPU':>12}")
    for label, measured in times.items():
        values = [v for v in measured if v == v]  # a failed measurement is NaN: said apart, never averaged in
        key = label.rsplit(", warm", 1)[0] if label.endswith(", warm") else None
        used = f"{statistics.median(cpu[key]):>12.2f}" if key in cpu else ""
        failed = f"  ({len(measured) - len(values)} failed)" if len(values) < len(measured) else ""
        if not values:
            print(f"{label:<{width}}{'failed':>8}")
            continue
        print(f"{label:<{width}}{statistics.median(values):>8.2f}{percentile(values, 90):>8.2f}{used}{failed}")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
