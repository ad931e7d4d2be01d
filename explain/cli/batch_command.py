"""``plainsight batch``: reason codes for every row of a file or folder, in parts, in this process or on Dask."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from contextlib import ExitStack
from typing import Any

from explain.batch import BatchResult, run_batch
from explain.batch.part import PartResult
from explain.batch.run import REJECTED_FILE
from explain.cli.common import load
from explain.errors import PlainsightError

DASK_MISSING = (
    "{option} needs Dask, which is not installed here. Install it with: pip install -e '.[dask]' "
    "(or pip install 'dask[distributed]')."
)


def batch(args: argparse.Namespace) -> str:
    bundle = load(args)
    if args.workers is not None and args.scheduler is not None:
        raise PlainsightError("Use --workers (a cluster on this machine) or --scheduler (a running one), not both.")
    if args.workers is not None and args.workers < 1:
        raise PlainsightError("--workers must be at least 1.")
    bar = _Bar(sys.stderr)
    with ExitStack() as stack:
        client = _client(args, stack)
        result = run_batch(
            bundle, args.data, args.out, top=args.top, rows=args.chunk_rows, client=client, progress=bar.update
        )
    bar.close()
    return _said(result, args)


def _client(args: argparse.Namespace, stack: ExitStack) -> Any:
    """A Dask client for --workers (a LocalCluster, closed at the end) or --scheduler, else None."""
    if args.workers is None and args.scheduler is None:
        return None
    option = "--workers" if args.workers is not None else "--scheduler"
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise PlainsightError(DASK_MISSING.format(option=option)) from None
    logging.getLogger("distributed").setLevel(logging.ERROR)  # its INFO lines would drown the progress bar
    if args.scheduler is not None:
        try:
            return stack.enter_context(Client(args.scheduler, timeout="5s"))  # type: ignore[no-untyped-call]
        except OSError as exc:
            raise PlainsightError(f"No Dask scheduler answered at {args.scheduler} ({exc}).") from None
    # One thread per worker: the parts are the parallel work, and a worker's own threads would fight over cores.
    cluster = stack.enter_context(
        LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=args.workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
    )
    return stack.enter_context(Client(cluster))  # type: ignore[no-untyped-call]


def _said(result: BatchResult, args: argparse.Namespace) -> str:
    lines = [
        f"explained {result.rows:,} rows into {result.parts - result.skipped} part(s) in {args.out} "
        f"in {result.seconds:.1f} s" + (f" ({', '.join(result.methods)})" if result.methods else ""),
    ]
    if result.skipped:
        lines.append(f"skipped {result.skipped} part(s) an earlier run had finished")
    lines.append(
        f"left out {result.rejected:,} row(s) that failed the checks: see {args.out / REJECTED_FILE}"
        if result.rejected
        else "no rows were left out"
    )
    return "\n".join(lines)


class _Bar:
    """A progress bar on the terminal (a line per part when the output is not a terminal)."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.live = bool(getattr(stream, "isatty", lambda: False)())
        self.began = time.perf_counter()

    def update(self, done: int, total: int, part: PartResult | None) -> None:
        share = done / total if total else 1.0
        elapsed = time.perf_counter() - self.began
        text = f"{share:4.0%} {done:,} of {total:,} rows, {elapsed:.0f} s"
        if self.live:
            filled = int(share * 30)
            self.stream.write(f"\r[{'#' * filled}{' ' * (30 - filled)}] {text}")
        elif part is not None:
            self.stream.write(f"part {part.part}: {part.rows:,} rows, {part.rejected:,} left out; {text}\n")
        self.stream.flush()

    def close(self) -> None:
        if self.live:
            self.stream.write("\n")
            self.stream.flush()
