"""A big bundle for the benchmarks: the churn demo's model over many generated customers.

    .venv/bin/python bench/make_big_bundle.py OUT_DIR [--rows 1000000] [--name churn-big] [--csv]

Writes ``OUT_DIR/<name>/`` with the demo's ``model.joblib`` and ``card.yaml`` and ``data.parquet`` (or
``data.csv``) from ``models.build_demo.make_customers`` (the same generator as the demo, with the Churn column),
each customer's id unique at any size. Point the app at it with ``PLAINSIGHT_MODELS_DIR=OUT_DIR``. Bundles are
never committed: write them under /tmp. Needs the demo built first (``make demo``).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from models.build_demo import make_customers  # noqa: E402

DEMO = ROOT / "models" / "churn-demo"


def make_big_bundle(out: Path, *, rows: int = 1_000_000, name: str = "churn-big", csv: bool = False) -> Path:
    """Write the bundle folder ``out/name`` and return it (an existing one is replaced)."""
    if not (DEMO / "model.joblib").exists():
        raise SystemExit("Run `make demo` first: the big bundle uses the churn demo's model.")
    folder = out / name
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    shutil.copy(DEMO / "model.joblib", folder)
    shutil.copy(DEMO / "card.yaml", folder)
    data = make_customers(rows, seed=1)
    data["customerID"] = [f"{i:07d}-C" for i in range(len(data))]  # the demo's ids repeat at this size
    if csv:
        data.to_csv(folder / "data.csv", index=False)
    else:
        data.to_parquet(folder / "data.parquet", index=False)
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="the models folder to write the bundle into")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--name", default="churn-big")
    parser.add_argument("--csv", action="store_true", help="data.csv instead of data.parquet")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    folder = make_big_bundle(args.out, rows=args.rows, name=args.name, csv=args.csv)
    print(f"{args.rows:,} customers written to {folder} in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
