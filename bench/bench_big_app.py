"""The app on a big bundle: a real server (``python -m ui.serve``), real Chromium, every page, timed, and the
server's peak memory.

    .venv/bin/python bench/bench_big_app.py [--rows 1000000] [--models DIR] [--bundle churn-big]
                                            [--pages home,customers,...] [--shots DIR]

Without ``--models`` it writes the churn demo's model over ``--rows`` generated customers to a temporary folder
(``bench/make_big_bundle.py``; about 40 s for a million); with it, it uses the bundle ``--bundle`` in that folder
(write one once with ``bench/make_big_bundle.py /tmp/big``). Then, on an empty cache folder:

- the time from a start until the server answers, and the first overview after that (a new browser);
- every page: its first visit (a new browser, so a new session: nothing but the server's caches) and its next
  visit in a tab that is already open; for the customer page also finding a customer by typing their whole id;
- the server restarted with the cache kept: the first overview again in the reader's open tab, every page's
  first visit there, and the overview in a new browser;
- the server's peak resident memory (VmHWM in /proc/<pid>/status) in each run.

Prints each figure beside its target. A script, not a test: the figures depend on the machine (and on what else
it runs). Needs Chromium on PATH (apt-get install chromium).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

import bench_pages  # noqa: E402
from bench_pages import (  # noqa: E402
    BROWSER_ARGS,
    COUNT_RUNS_JS,
    PAGES,
    _free_port,
    go,
    open_page,
    pick_customer,
    serve,
    settle,
)
from make_big_bundle import make_big_bundle  # noqa: E402
from playwright.sync_api import Browser, sync_playwright  # noqa: E402

TARGETS = {  # seconds (memory in MB)
    "first overview": 20.0,
    "after a restart": 2.0,
    "page": 2.0,
    "peak memory": 2.5 * 1024,
}
BIG_PAGES = ("home", "customers", "customer", "what-if", "impact", "model", "upload")


def peak_mb(pid: int) -> float:
    """The process's peak resident memory so far (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def row_id(models: Path, name: str, position: int) -> str:
    """The id of one customer of the bundle (read from its data, as a reader would have it)."""
    import pandas as pd

    folder = models / name
    data = folder / "data.parquet"
    frame = pd.read_parquet(data, columns=["customerID"]) if data.exists() else pd.read_csv(folder / "data.csv")
    return str(frame["customerID"].iloc[position % len(frame)])


def shot(browser: Browser, url: str, path: Path) -> None:
    """A full-page picture of ``url`` at desktop width, once the page is complete."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(bench_pages.WAIT_MS)
    go(page, url)
    page.screenshot(path=str(path), full_page=True)
    context.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--models", type=Path, help="a models folder that already holds the bundle")
    parser.add_argument("--bundle", default="churn-big")
    parser.add_argument("--pages", default=",".join(BIG_PAGES))
    parser.add_argument("--shots", type=Path, help="save a picture of the overview and the list here")
    parser.add_argument("--wait", type=float, default=120, help="seconds a page may take before it counts as failed")
    args = parser.parse_args(argv)
    bench_pages.WAIT_MS = int(args.wait * 1000)
    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("bench_big_app needs Chromium on PATH: apt-get install chromium")
    work = Path(tempfile.mkdtemp(prefix="bench-big-app-"))
    models = args.models
    if models is None:
        models = work / "models"
        start = time.perf_counter()
        make_big_bundle(models, rows=args.rows, name=args.bundle)
        print(f"{args.rows:,} customers written in {time.perf_counter() - start:.0f} s", flush=True)
    bundle = f"model={args.bundle}"
    someone = row_id(models, args.bundle, 123_457)
    cache, log = work / "cache", work / "server.log"
    env = {"PLAINSIGHT_MODELS_DIR": str(models), "PLAINSIGHT_CACHE_DIR": str(cache)}
    pages = [p for p in args.pages.split(",") if p]
    figures: list[tuple[str, float, float | None]] = []  # what, measured, target

    def page_url(base: str, name: str) -> str:
        return f"{base}/{PAGES[name]}?{bundle}"

    print(f"bench_big_app: bundle {models / args.bundle}; server log {log}", flush=True)
    port = _free_port()  # one address for both servers: the reader's open tab outlives the restart

    def app_server() -> Any:
        return serve(ROOT.parent / "streamlit_app.py", ROOT.parent, env, [], log, port=port, launcher="serve")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=BROWSER_ARGS)
        reader_context = browser.new_context(viewport={"width": 1400, "height": 1000})
        reader_context.add_init_script(COUNT_RUNS_JS)
        reader = reader_context.new_page()
        reader.set_default_timeout(bench_pages.WAIT_MS)
        start = time.perf_counter()
        with app_server() as (base, pid):
            figures.append(("server start until it answers", time.perf_counter() - start, None))
            page, seconds = open_page(browser, f"{base}/?{bundle}")
            page.context.close()
            figures.append(("first overview, empty cache (new browser)", seconds, TARGETS["first overview"]))
            print(f"  first overview: {seconds:.1f} s", flush=True)
            go(reader, page_url(base, "upload"))
            for name in pages:
                settle(pid)
                page, first = open_page(browser, page_url(base, name))
                page.context.close()
                settle(pid)
                again = go(reader, page_url(base, name))
                figures.append((f"{name}: first visit (new browser)", first, TARGETS["page"]))
                figures.append((f"{name}: next visit (open tab)", again, TARGETS["page"]))
                print(f"  {name}: {first:.1f} s, again {again:.1f} s", flush=True)
                if name == "customer":
                    settle(pid)
                    figures.append(("customer: found by typing an id", pick_customer(reader, someone), TARGETS["page"]))
            if args.shots is not None:
                args.shots.mkdir(parents=True, exist_ok=True)
                for name, picture in (("home", "overview"), ("customers", "customers"), ("model", "model")):
                    shot(browser, page_url(base, name), args.shots / f"big-{picture}.png")
            figures.append(("peak memory (MB), first server", peak_mb(pid), TARGETS["peak memory"]))
        with app_server() as (base, pid):
            seconds = go(reader, f"{base}/?{bundle}")
            figures.append(("first overview after a restart (open tab)", seconds, TARGETS["after a restart"]))
            print(f"  after a restart: {seconds:.1f} s", flush=True)
            for name in pages:
                if name != "home":
                    settle(pid)
                    figures.append(
                        (f"after a restart, {name} (open tab)", go(reader, page_url(base, name)), TARGETS["page"])
                    )
            settle(pid)
            page, seconds = open_page(browser, f"{base}/?{bundle}")
            page.context.close()
            figures.append(("after a restart, the overview in a new browser", seconds, TARGETS["page"]))
            figures.append(("peak memory (MB), restarted server", peak_mb(pid), TARGETS["peak memory"]))
        reader_context.close()
        browser.close()

    width = max(len(what) for what, _, _ in figures) + 2
    print(f"\n{'What (seconds until the page is complete)':<{width}}{'measured':>10}{'target':>10}")
    for what, measured, target in figures:
        verdict = "" if target is None else ("  OK" if measured <= target else "  OVER")
        limit = "" if target is None else f"{target:.0f}"
        print(f"{what:<{width}}{measured:>10.1f}{limit:>10}{verdict}")
    print(f"(cores: {os.cpu_count()}; load average before the run's end: {os.getloadavg()[0]:.1f})")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
