"""How quick "Who to act on" stays at a million customers.

    .venv/bin/python bench/bench_list.py [--rows 1000000]

Writes a bundle of the churn demo's model over ``--rows`` synthetic customers (same generator as the demo), then
times what the list page asks of the engine on each run: the model's output for everyone (once per bundle), the
selection (filters, search, sort) over every row, one page of 25 explained, and the downloads of a filtered list
(CSV and Excel). A script, not a test: it prints the figures (median of 5 runs, after one warm-up) next to the
target, a page under 1 s at a million rows.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from explain.analyses.selection import OUTPUT, Filter, ListQuery, find_ids, select  # noqa: E402
from explain.bundle import load_bundle  # noqa: E402
from explain.export.excel import to_xlsx_bytes  # noqa: E402
from explain.export.table import list_table, table_formats, to_csv_bytes  # noqa: E402
from explain.reports.customers import customer_list, high_risk_query  # noqa: E402
from models.build_demo import make_customers  # noqa: E402

TARGET_PAGE_S = 1.0


def _time(work: Callable[[], object], repeat: int = 5) -> float:
    work()  # warm-up: lazy imports, first-call caches
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    demo = ROOT / "models" / "churn-demo"
    if not (demo / "model.joblib").exists():
        sys.exit("Run `make demo` first: the benchmark uses the churn demo's model.")

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "churn-big"
        folder.mkdir()
        shutil.copy(demo / "model.joblib", folder)
        shutil.copy(demo / "card.yaml", folder)
        start = time.perf_counter()
        data = make_customers(args.rows, seed=1)
        data["customerID"] = [f"{i:07d}-C" for i in range(len(data))]  # unique at any size
        data.to_csv(folder / "data.csv", index=False)
        print(f"{args.rows:,} customers written in {time.perf_counter() - start:.1f} s")

        start = time.perf_counter()
        bundle = load_bundle(folder, trusted=[Path(tmp)])
        print(f"load the bundle: {time.perf_counter() - start:.2f} s")
        start = time.perf_counter()
        bundle.outputs  # noqa: B018 - the model's output for everyone, computed once per bundle
        print(f"the model's output for every customer (once per bundle): {time.perf_counter() - start:.2f} s")

        queries = {
            "everyone, riskiest first": ListQuery(),
            "at high risk (overview's link)": high_risk_query(bundle),
            "the 20,000 most at risk (impact's link)": ListQuery(top=20_000),
            "two filters, by months, lowest first": ListQuery(
                filters=(Filter("Contract", "is", "Month-to-month"), Filter(OUTPUT, "at least", "30")),
                sort="tenure",
                descending=False,
            ),
            "search by part of an id": ListQuery(search="12345"),
        }
        print("\nselection over every row (filters, search, sort):")
        for name, query in queries.items():
            print(f"  {name:<40} {_time(lambda q=query: select(bundle, q)) * 1000:8.0f} ms")

        print("\nthe customer search box (answered on the server; the page sends at most 8 matches):")
        some = bundle.ids[len(bundle.ids) // 2]
        searches = (("a whole id", some), ("a whole id in lower case", some.lower()), ("part of an id", "12345"))
        for name, text in searches:
            print(f"  {name:<40} {_time(lambda t=text: find_ids(bundle, t)) * 1000:8.0f} ms")

        print("\none page of the list (select + 25 rows explained, as the page asks on each run):")
        worst = 0.0
        for name, query in (("page 1", ListQuery()), ("page 20,000", ListQuery(page=20_000))):
            seconds = _time(lambda q=query: customer_list(bundle, q))
            worst = max(worst, seconds)
            print(f"  {name:<40} {seconds * 1000:8.0f} ms")
        verdict = "OK" if worst <= TARGET_PAGE_S else "SLOW"
        print(f"  slowest page: {worst:.2f} s (target <= {TARGET_PAGE_S:.0f} s) {verdict}")

        print("\ndownloads of a filtered list (every row explained):")
        small = ListQuery(top=1_000)
        table, _ = list_table(bundle, small)
        seconds = _time(lambda: list_table(bundle, small), 1)
        print(f"  table of 1,000 rows                      {seconds * 1000:8.0f} ms")
        print(f"  as CSV                                   {_time(lambda: to_csv_bytes(table)) * 1000:8.0f} ms")
        formats = table_formats(bundle)
        xlsx = _time(lambda: to_xlsx_bytes(table, title="bench", formats=formats), 3)
        print(f"  as Excel                                 {xlsx * 1000:8.0f} ms")


if __name__ == "__main__":
    main()
