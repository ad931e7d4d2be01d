"""How fast the what-if page answers a slider move, in a real browser and on the server.

    .venv/bin/python bench/bench_whatif.py [--moves 30]

Starts a real `streamlit run` on the demo bundle, opens /what-if in headless Chromium, moves the "Support calls"
slider with the keyboard and times each move until the page shows the new answer (the sentence that names the new
value). Also times the server-side work of one move (re-predict, re-explain, sentence, chart) in-process. A
script, not a test: it prints figures next to the targets (<= 0.3 s median on screen, <= 50 ms on the server).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from explain.analyses.whatif import apply_changes  # noqa: E402
from explain.bundle import load_bundle  # noqa: E402
from explain.figures.explanation import compare_figure  # noqa: E402
from explain.methods.reasons import explain_shap  # noqa: E402
from explain.reports import whatif_report  # noqa: E402

TARGET_SCREEN_S = 0.3
TARGET_SERVER_MS = 50.0
COLUMN = "SupportCalls"


def server_side(moves: int) -> list[float]:
    """Milliseconds of what one move makes the server do, after the page's caches are warm."""
    bundle = load_bundle(ROOT / "models" / "churn-demo")
    before = explain_shap(bundle, [0])
    times = []
    for i in range(moves + 3):
        start = time.perf_counter()
        X = apply_changes(bundle, 0, {COLUMN: float(i % 8)})
        report = whatif_report(bundle, 0, X, before)  # re-predict, re-explain, sentence, chart data
        compare_figure(report.chart)
        if i >= 3:  # the first moves pay for lazy imports
            times.append((time.perf_counter() - start) * 1000)
    return times


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def in_browser(moves: int) -> list[float]:
    """Seconds from a key press on the slider to the new sentence on screen, per move."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        sys.exit("needs Chromium on PATH (apt-get install chromium)")
    port = _free_port()
    env = {**os.environ, "PLAINSIGHT_MODELS_DIR": str(ROOT / "models")}
    command = [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.port", str(port)]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(240):
            try:
                if urllib.request.urlopen(f"{base}/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.25)
        bundle = load_bundle(ROOT / "models" / "churn-demo")
        row_id = bundle.ids[0]
        start_value = int(bundle.X[COLUMN].iloc[0]) if bundle.X[COLUMN].notna().iloc[0] else 1
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=chromium, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
            )
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{base}/what-if?model=churn-demo&customer={row_id}")
            label = bundle.card.label(COLUMN)
            slider = page.get_by_test_id("stSlider").filter(has_text=label).get_by_role("slider")
            slider.wait_for(timeout=60_000)
            page.get_by_text("Nothing is changed yet").wait_for(timeout=60_000)
            slider.focus()
            times, value = [], start_value
            for i in range(moves):
                key = "ArrowRight" if (i // 4) % 2 == 0 else "ArrowLeft"  # wander up and down, never to the end
                value += 1 if key == "ArrowRight" else -1
                expected = f"to {value} call" if value != start_value else "Nothing is changed yet"
                begin = time.perf_counter()
                page.keyboard.press(key)
                page.get_by_text(expected, exact=False).first.wait_for(timeout=10_000)
                times.append(time.perf_counter() - begin)
            browser.close()
        return times
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=30)
    args = parser.parse_args(argv)
    ms = server_side(args.moves)
    median = statistics.median(ms)
    print(
        f"what-if move, server side (re-predict, re-explain, sentence, chart): median {median:.1f} ms, "
        f"max {max(ms):.1f} ms ({len(ms)} moves; target <= {TARGET_SERVER_MS:.0f} ms: "
        f"{'met' if median <= TARGET_SERVER_MS else 'MISSED'})"
    )
    seconds = in_browser(args.moves)
    median_s = statistics.median(seconds)
    print(
        f"what-if move, on screen in Chromium (key press to new sentence): median {median_s:.3f} s, "
        f"p90 {sorted(seconds)[int(0.9 * (len(seconds) - 1))]:.3f} s ({len(seconds)} moves; "
        f"target <= {TARGET_SCREEN_S} s median: {'met' if median_s <= TARGET_SCREEN_S else 'MISSED'})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
