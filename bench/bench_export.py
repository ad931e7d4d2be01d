"""How fast exports are: a slide picture (PNG) and a one-customer PDF with a warm renderer, and more.

    .venv/bin/python bench/bench_export.py [--bundle models/churn-demo] [--runs 7]

Prints labelled figures with the targets beside them (PNG <= 1 s warm, one-customer PDF <= 2 s). "Warm" means
the Kaleido browser is already running, as it is in the app after its first picture; the first picture's
start-up is printed too. Each timing covers the whole export: the customer's explanation, the sentences, what
would change it, the chart drawn by the browser and the file laid out. Needs Chromium on PATH.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a plain script from anywhere, like `make bench` does

from explain.bundle import load_bundle  # noqa: E402 - needs the path above
from explain.export.files import export_bytes  # noqa: E402
from explain.export.layout import customer_slide as lay_out_customer  # noqa: E402
from explain.export.layout import customer_slides, overview_slide, top_at_risk  # noqa: E402
from explain.export.render import browser_found, render_png  # noqa: E402
from explain.reports import customer_report, overview_report  # noqa: E402

TARGET_PNG_S = 1.0
TARGET_PDF_S = 2.0


def _timed(make: object, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        make()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return times


def customer_slide(bundle, position):  # noqa: ANN001, ANN201 - one customer's page, as /export builds it
    return lay_out_customer(customer_report(bundle, position, second_check=False), bundle)


def _line(label: str, times: list[float], target: float | None = None) -> str:
    median = statistics.median(times)
    verdict = "" if target is None else f"  (target {target:g} s: {'met' if median <= target else 'MISSED'})"
    return f"{label:<44} median {median:6.3f} s  max {max(times):6.3f} s  (n={len(times)}){verdict}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "models" / "churn-demo")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    if not browser_found():
        print("bench_export needs Chromium on PATH (apt-get install chromium)")
        return 1
    bundle = load_bundle(args.bundle, trusted=[args.bundle.parent])
    rows = top_at_risk(bundle, args.runs)
    print(f"exports of {bundle.name} ({len(bundle.X):,} rows)")

    start = time.perf_counter()
    export_bytes([customer_slide(bundle, rows[0])], ".png", render_png)
    print(f"{'first PNG, browser start-up included':<44} {time.perf_counter() - start:6.3f} s")

    positions = iter(rows * 3)
    png = _timed(lambda: export_bytes([customer_slide(bundle, next(positions))], ".png", render_png), args.runs)
    print(_line("customer slide PNG (warm)", png, TARGET_PNG_S))
    pdf = _timed(lambda: export_bytes([customer_slide(bundle, next(positions))], ".pdf", render_png), args.runs)
    print(_line("one-customer PDF (warm)", pdf, TARGET_PDF_S))
    pptx = _timed(lambda: export_bytes([customer_slide(bundle, next(positions))], ".pptx", render_png), args.runs)
    print(_line("one-customer PPTX (warm)", pptx))
    overview = overview_slide(overview_report(bundle), bundle)
    print(
        _line("overview PNG (warm, explanation ready)", _timed(lambda: export_bytes([overview], ".png", render_png), 3))
    )
    top = top_at_risk(bundle, 20)
    print(_line("top-20 PDF (warm)", _timed(lambda: export_bytes(customer_slides(bundle, top), ".pdf", render_png), 1)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
