"""Many readers at once: 25 sessions on one server (``python -m ui.serve``, as ``make run`` serves), on loopback.

    .venv/bin/python bench/bench_load.py [--sessions 25] [--rounds 3] [--think 3,10] [--after 120]
                                         [--probe] [--curve FILE.csv] [--models DIR] [--seed 0]

What it does, in order:

1. Starts the server on the models folder (the shipped demos by default) and records its memory (the resident
   set of the server and any process it started) four times a second until the end.
2. Warm-up: one reader opens the overview, a customer, What if, and moves a slider: the first reader of the day
   fills the server's caches, and that is not what this bench measures. The memory once the server is quiet
   again is the level before the load.
3. The load: ``--sessions`` readers start at the same moment (a link sent to a team, opened at once). Each opens
   the overview, a customer of their own (a different, randomly drawn customer each time: every customer page is
   that customer's first on the server), What if for that customer, and moves the monthly-bill slider twice,
   pausing ``--think`` seconds (uniform) between steps; ``--rounds`` times. The default pause, 3-10 s, is
   shorter than it takes to read any of these pages; ``--think 1,3`` is a team clicking as fast as it can.
   Every reader is a session of its own, speaking Streamlit's WebSocket protocol as a browser does
   (``tests/e2e/stsession.py``). A page's time is from the request to the server's word that the run finished,
   with every element sent.
4. Every session closes; the memory is recorded for ``--after`` seconds more.

Prints each page's p50/p95/max and errors (an exception, an error message on the page, or no answer in 120 s),
the server's memory before, at peak and at the end with the targets (no error, p95 <= 3 s, memory back within
15% of its level before), and the memory curve (also to ``--curve`` as CSV). ``--probe`` also drives one real
Chromium tab through the same pages during the load, timed until each page is complete on screen.

A script, not a test: the figures depend on the machine. About 5 minutes with the defaults.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT), str(ROOT.parent)]

from bench_pages import BROWSER_ARGS, go, serve, settle  # noqa: E402

from tests.e2e.stsession import Run, Session  # noqa: E402  (the load test's own client: one protocol, tested)

MODEL, SLIDER = "churn-demo", "Monthly bill (dollars)"
PAGES = ("overview", "customer", "what-if", "slider move")
P95_TARGET_S, MEMORY_TARGET = 3.0, 0.15


def _rss_bytes(pid: int) -> int:
    """The resident set of ``pid`` and every process under it (Kaleido's browser, if one was started)."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) * 1024  # type: ignore[union-attr]
            for task in Path(f"/proc/{current}/task").iterdir():
                stack.extend(int(c) for c in (task / "children").read_text().split())
        except (FileNotFoundError, ProcessLookupError, AttributeError):
            continue
    return total


class Memory(threading.Thread):
    """Samples the server's memory four times a second, each sample tagged with the bench's phase."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.phase, self.samples = pid, "start", []  # (seconds since start, bytes, phase)
        self.start_time = time.monotonic()
        self._stop = threading.Event()

    def run(self) -> None:
        while not self._stop.is_set():
            self.samples.append((time.monotonic() - self.start_time, _rss_bytes(self.pid), self.phase))
            self._stop.wait(0.25)

    def stop(self) -> None:
        self._stop.set()
        self.join()

    def of(self, phase: str) -> list[int]:
        return [b for _, b, p in self.samples if p == phase]


def reader(base: str, customers: list[str], args: argparse.Namespace, seed: int, start: threading.Barrier,
           times: dict[str, list[float]], errors: list[str], lock: threading.Lock) -> None:  # fmt: skip
    """One reader's visits, recorded into ``times`` and ``errors``."""
    rng = random.Random(seed)
    low, high = args.think

    def record(page: str, run: Run) -> Run:
        with lock:
            times[page].append(run.seconds)
            errors.extend(f"{page}: {e}" for e in run.errors)
            if not run.finished and not run.errors:
                errors.append(f"{page}: the run never finished")
        time.sleep(rng.uniform(low, high))
        return run

    start.wait()
    try:
        session = Session(base)
    except Exception as exc:  # a refused connection is an error of the load, not of the bench
        with lock:
            errors.append(f"connect: {exc!r}")
        return
    try:
        for _ in range(args.rounds):
            customer = rng.choice(customers)
            record("overview", session.open("", f"model={MODEL}"))
            record("customer", session.open("customer", f"model={MODEL}&customer={customer}"))
            run = record("what-if", session.open("what-if", f"model={MODEL}&customer={customer}"))
            if SLIDER not in run.widgets:
                with lock:
                    errors.append(f"what-if: no slider '{SLIDER}' for customer {customer}")
                continue
            for _ in range(2):
                record("slider move", session.move(SLIDER, rng.uniform(20, 120)))
    except Exception as exc:
        with lock:
            errors.append(f"session: {exc!r}")
    finally:
        session.close()


def probe(base: str, customers: list[str], stop: threading.Event, times: dict[str, list[float]]) -> None:
    """One real Chromium tab going through the same pages while the load runs."""
    import shutil

    from playwright.sync_api import sync_playwright

    rng = random.Random(1)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=BROWSER_ARGS)
        page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        page.set_default_timeout(120_000)
        while not stop.is_set():
            customer = rng.choice(customers)
            for name, path in (("overview", ""), ("customer", "customer"), ("what-if", "what-if")):
                query = f"model={MODEL}" + (f"&customer={customer}" if path else "")
                times[f"{name} (browser)"].append(go(page, f"{base}/{path}?{query}"))
        browser.close()


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=25)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--think", type=lambda s: tuple(float(x) for x in s.split(",")), default=(3.0, 10.0))
    parser.add_argument("--after", type=float, default=120.0, help="seconds of memory recorded after the load")
    parser.add_argument("--probe", action="store_true", help="also time one real Chromium tab during the load")
    parser.add_argument("--curve", type=Path, help="write the memory curve here as CSV")
    parser.add_argument("--models", type=Path, default=ROOT.parent / "models")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    customers = pd.read_csv(args.models / MODEL / "data.csv", usecols=["customerID"])["customerID"].tolist()
    work = Path(tempfile.mkdtemp(prefix="bench-load-"))
    env = {"PLAINSIGHT_MODELS_DIR": str(args.models), "PLAINSIGHT_AUDIT_FILE": str(work / "audit.jsonl")}
    log = work / "server.log"
    server_args = ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
    print(f"{args.sessions} sessions x {args.rounds} rounds, {args.think[0]:g}-{args.think[1]:g} s between steps; "
          f"server log {log}", flush=True)  # fmt: skip
    with serve(ROOT.parent / "streamlit_app.py", ROOT.parent, env, server_args, log, launcher="serve") as (base, pid):
        memory = Memory(pid)
        memory.start()
        memory.phase = "warm-up"
        warm = Session(base)
        warm.open("", f"model={MODEL}")
        warm.open("customer", f"model={MODEL}&customer={customers[0]}")
        warm.open("what-if", f"model={MODEL}&customer={customers[0]}")
        warm.move(SLIDER, 90.0)
        warm.close()
        settle(pid)
        memory.phase = "before"
        time.sleep(5)

        times: dict[str, list[float]] = defaultdict(list)
        errors: list[str] = []
        lock = threading.Lock()
        barrier = threading.Barrier(args.sessions + 1)
        threads = [
            threading.Thread(
                target=reader, args=(base, customers, args, args.seed * 1000 + i, barrier, times, errors, lock)
            )
            for i in range(args.sessions)
        ]
        for thread in threads:
            thread.start()
        stop_probe = threading.Event()
        prober = threading.Thread(target=probe, args=(base, customers, stop_probe, times), daemon=True)
        memory.phase = "load"
        load_start = time.monotonic()
        barrier.wait()
        if args.probe:
            prober.start()
        for thread in threads:
            thread.join()
        load_seconds = time.monotonic() - load_start
        stop_probe.set()
        if args.probe:
            prober.join()
        memory.phase = "after"
        time.sleep(args.after)
        memory.stop()
        server_log = log.read_text(errors="replace")

    print(f"\nThe load took {load_seconds:.0f} s.\n")
    print(f"{'page':<24} {'visits':>6} {'p50 s':>7} {'p95 s':>7} {'max s':>7}")
    every = []
    for page in [*PAGES, *(k for k in times if k not in PAGES)]:
        values = times.get(page, [])
        if not values:
            continue
        if page in PAGES:
            every.extend(values)
        print(f"{page:<24} {len(values):>6} {statistics.median(values):>7.2f} {_percentile(values, 0.95):>7.2f} "
              f"{max(values):>7.2f}")  # fmt: skip
    print(f"{'all (sessions)':<24} {len(every):>6} {statistics.median(every):>7.2f} {_percentile(every, 0.95):>7.2f} "
          f"{max(every):>7.2f}")  # fmt: skip

    tracebacks = server_log.count("Traceback")
    print(f"\nErrors: {len(errors)} on pages; {tracebacks} tracebacks in the server's log.")
    for line in errors[:20]:
        print(f"  {line}")

    mb = 2**20
    before = statistics.median(memory.of("before"))
    peak = max(b for _, b, _ in memory.samples)
    end = statistics.median(memory.of("after")[-8:])  # the last two seconds
    print(f"\nServer memory: before {before / mb:.0f} MB, peak {peak / mb:.0f} MB (+{(peak / before - 1):.0%}), "
          f"{args.after:.0f} s after {end / mb:.0f} MB ({end / before - 1:+.0%}).")  # fmt: skip
    p95 = _percentile(every, 0.95)
    print("\nTargets:")
    print(f"  no error: {'met' if not errors and not tracebacks else 'NOT met'}")
    print(f"  p95 <= {P95_TARGET_S:g} s: {p95:.2f} s, {'met' if p95 <= P95_TARGET_S else 'NOT met'}")
    print(f"  memory back within {MEMORY_TARGET:.0%}: {end / before - 1:+.0%}, "
          f"{'met' if end <= before * (1 + MEMORY_TARGET) else 'NOT met'}")  # fmt: skip

    print("\nMemory curve (every 10 s; MB):")
    next_at = 0.0
    for t, b, phase in memory.samples:
        if t >= next_at:
            print(f"  {t:6.0f} s  {b / mb:6.0f}  {phase}")
            next_at = t + 10
    if args.curve:
        with args.curve.open("w", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["seconds", "megabytes", "phase"])
            writer.writerows((f"{t:.2f}", f"{b / mb:.1f}", phase) for t, b, phase in memory.samples)
        print(f"(every sample: {args.curve})")
    return 0 if not errors and not tracebacks and p95 <= P95_TARGET_S else 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    raise SystemExit(main())
