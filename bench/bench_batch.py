"""How fast ``plainsight batch`` explains a million customers, and how much memory it holds, in this process and
on a Dask LocalCluster.

    .venv/bin/python bench/bench_batch.py [--sizes 100000,1000000] [--workers 0,2] [--format csv,parquet]
                                          [--bundle models/churn-demo] [--chunk-rows 250000]

For each size it generates Telco-shaped customers (``models/build_demo.make_customers``, seeded, with gaps; never
written into the repository), writes them as a CSV or Parquet file in a temporary folder, then runs
``plainsight batch`` on the demo model as its own process and prints the wall time, the rows per second and the
peak memory: the batch process's own (``ru_maxrss``), and with ``--workers`` the largest worker's. The targets
(issue 15, 2-core machine): a million rows in 90 s or less in one process, peak RSS 1.5 GB or less, not growing
with the row count. It then checks that every row was written and that the parts of an in-process run and a
cluster run are equal, value for value.

A script, not a test: the figures depend on the machine and what else runs on it (it prints the load average).
About 6 minutes for the defaults on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "models"))

from build_demo import make_customers  # noqa: E402

# Runs one batch in a child process and reports its own peak memory and its children's (the Dask workers).
CHILD = """
import json, resource, sys, time
from explain.cli import main
began = time.perf_counter()
status = main(sys.argv[2:])
seconds = time.perf_counter() - began
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
open(sys.argv[1], "w").write(json.dumps({"status": status, "seconds": seconds, "own_mb": own, "workers_mb": children}))
"""


def run(bundle: Path, data: Path, out: Path, chunk_rows: int, workers: int) -> dict[str, float]:
    report = out.with_suffix(".json")
    args = ["batch", str(bundle), "--data", str(data), "--out", str(out), "--chunk-rows", str(chunk_rows)]
    if workers:
        args += ["--workers", str(workers)]
    began = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", CHILD, str(report), *args], capture_output=True, text=True)
    wall = time.perf_counter() - began
    if done.returncode != 0 or not report.exists():
        raise SystemExit(f"batch failed: {done.stderr[-2000:]}")
    figures = json.loads(report.read_text())
    figures["wall"] = wall  # with the interpreter's start and the imports
    figures["said"] = done.stdout.strip().splitlines()[0]
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--workers", default="0,2", help="0 is in-process; N a LocalCluster of N workers")
    parser.add_argument("--format", default="csv", help="csv, parquet or both (csv,parquet)")
    parser.add_argument("--bundle", type=Path, default=ROOT / "models" / "churn-demo")
    parser.add_argument("--chunk-rows", type=int, default=250_000)
    args = parser.parse_args()
    os.environ.setdefault("PLAINSIGHT_CACHE_DIR", "off")
    rows_out = []
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        folder = Path(tmp)
        for size in (int(s) for s in args.sizes.split(",")):
            customers = make_customers(size, seed=11)
            for kind in args.format.split(","):
                data = folder / f"customers-{size}.{kind}"
                if kind == "csv":
                    customers.to_csv(data, index=False)
                else:
                    customers.to_parquet(data, row_group_size=args.chunk_rows)
                outputs = {}
                for workers in (int(w) for w in args.workers.split(",")):
                    out = folder / f"out-{size}-{kind}-{workers}"
                    figures = run(args.bundle, data, out, args.chunk_rows, workers)
                    written = pd.read_parquet(out, columns=["id"])
                    assert len(written) == size, f"{len(written)} rows written of {size}"
                    outputs[workers] = out
                    rows_out.append((size, kind, workers, figures))
                    where = "in-process" if not workers else f"LocalCluster x{workers}"
                    print(
                        f"{size:>9,} rows  {kind:<7} {where:<16} {figures['seconds']:6.1f} s "
                        f"({size / figures['seconds']:,.0f} rows/s; {figures['wall']:.1f} s with start-up)  "
                        f"peak RSS {figures['own_mb']:,.0f} MB"
                        + (f", largest worker {figures['workers_mb']:,.0f} MB" if workers else "")
                        + f"   load {os.getloadavg()[0]:.1f}",
                        flush=True,
                    )
                if len(outputs) > 1:
                    first, *others = outputs.values()
                    for other in others:
                        for part in sorted(first.glob("part-*.parquet")):
                            pd.testing.assert_frame_equal(pd.read_parquet(part), pd.read_parquet(other / part.name))
                    print("  the cluster's parts equal the in-process parts, value for value", flush=True)
    print("\n| rows | input | where | seconds | rows/s | peak RSS (MB) | largest worker (MB) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for size, kind, workers, f in rows_out:
        where = "in-process" if not workers else f"LocalCluster, {workers} workers"
        worker = f"{f['workers_mb']:,.0f}" if workers else "-"
        print(
            f"| {size:,} | {kind} | {where} | {f['seconds']:.1f} | {size / f['seconds']:,.0f} | "
            f"{f['own_mb']:,.0f} | {worker} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
