"""Run a batch: plan the parts, skip those a previous run finished, explain the rest in this process or on a
Dask cluster, then gather the left-out rows into one side file.

The output folder holds ``part-NNNNN.parquet`` (read it whole with ``pandas.read_parquet(folder)``),
``_rejected.csv`` (every left-out row: file, line, id, problem), ``_rejected/`` (the same, per part) and
``_batch.json`` (what the run was: the bundle's fingerprint, the input files, the options). A folder that holds
another run's output, or anything else, is refused rather than mixed with.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from explain.batch.part import REJECTED, REJECTED_COLUMNS, PartResult, read_part, run_part
from explain.batch.plan import DEFAULT_ROWS, Task, input_files, plan
from explain.bundle.bundle import Bundle
from explain.errors import PlainsightError

MANIFEST = "_batch.json"
REJECTED_FILE = "_rejected.csv"
FORMAT = 1

Progress = Callable[[int, int, PartResult | None], None]  # (rows done, rows in all, the part just finished)


@dataclass(frozen=True)
class BatchResult:
    """What a run did."""

    parts: int
    skipped: int  # parts a previous run had finished
    rows: int  # rows written by this run
    rejected: int  # rows left out, by this run and the earlier tries it finished (all in _rejected.csv)
    seconds: float
    methods: tuple[str, ...]
    results: tuple[PartResult, ...] = field(default=(), repr=False)


def run_batch(
    bundle: Bundle,
    data: Path,
    out: Path,
    *,
    top: int = 3,
    rows: int = DEFAULT_ROWS,
    client: Any | None = None,
    progress: Progress | None = None,
) -> BatchResult:
    """Explain every row of ``data`` (a CSV or Parquet file, or a folder of them) into ``out``.

    Parameters
    ----------
    client : dask.distributed.Client, optional
        Run the parts on its cluster: the bundle is sent to each worker once, and each part is read, explained and
        written by the worker that runs it (``data`` and ``out`` must be paths the workers see).

    Raises
    ------
    PlainsightError
        When the input cannot be read, or ``out`` holds something other than this run's earlier output.
    """
    began = time.perf_counter()
    if top < 1:
        raise PlainsightError("--top must be at least 1.")
    tasks = plan(data, bundle, rows)
    manifest = _manifest(bundle, data, top, rows)
    _claim(out, manifest)
    todo = [t for t in tasks if not (out / t.name).exists()]
    total = sum(t.rows for t in tasks)
    done = total - sum(t.rows for t in todo)
    if progress is not None:
        progress(done, total, None)
    rows_of = {t.part: t.rows for t in todo}
    results: list[PartResult] = []
    for result in _on_cluster(client, bundle, todo, out, top) if client is not None else _here(bundle, todo, out, top):
        results.append(result)
        done += rows_of[result.part]
        if progress is not None:
            progress(done, total, result)
    rejected = _gather_rejected(out, tasks)
    return BatchResult(
        parts=len(tasks),
        skipped=len(tasks) - len(todo),
        rows=sum(r.rows for r in results),
        rejected=rejected,
        seconds=time.perf_counter() - began,
        methods=tuple(dict.fromkeys(r.method for r in results if r.method is not None)),
        results=tuple(sorted(results, key=lambda r: r.part)),
    )


def _here(bundle: Bundle, tasks: list[Task], out: Path, top: int) -> Any:
    """Each part in turn, the next one read and checked on a thread while this one is explained: reading is
    mostly pyarrow and pandas, which let go of the interpreter, so the two overlap on two cores."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="plainsight-read") as reader:
        upcoming = reader.submit(read_part, bundle, tasks[0]) if tasks else None
        for i, task in enumerate(tasks):
            assert upcoming is not None
            checked = upcoming.result()
            upcoming = reader.submit(read_part, bundle, tasks[i + 1]) if i + 1 < len(tasks) else None
            yield run_part(bundle, task, str(out), top, checked)


def _on_cluster(client: Any, bundle: Bundle, tasks: list[Task], out: Path, top: int) -> Any:
    from dask.distributed import as_completed

    if not tasks:
        return
    bundle.output  # noqa: B018 - worked out here once (it scores the reference data), not on every worker
    shared = client.scatter(bundle, broadcast=True)  # the model goes to each worker once
    futures = [
        client.submit(run_part, shared, task, str(out), top, key=f"plainsight-part-{task.part:05d}", pure=False)
        for task in tasks
    ]
    try:
        for future in as_completed(futures):  # type: ignore[no-untyped-call]
            yield future.result()
    finally:
        client.cancel(futures)


def _manifest(bundle: Bundle, data: Path, top: int, rows: int) -> dict[str, Any]:
    files = []
    for path in input_files(data):
        stat = path.stat()
        files.append({"name": str(path.resolve()), "bytes": stat.st_size, "modified": stat.st_mtime_ns})
    return {
        "format": FORMAT,
        "bundle": bundle.name,
        "fingerprint": bundle.fingerprint,
        "outcome": str(bundle.card.positive_class),
        "files": files,
        "top": top,
        "rows_per_part": rows,
    }


def _claim(out: Path, manifest: dict[str, Any]) -> None:
    """Make ``out`` this run's folder: new, empty, or holding an earlier try of the very same run."""
    path = out / MANIFEST
    if out.exists() and not out.is_dir():
        raise PlainsightError(f"{out} is a file; --out names a folder for the output.")
    if path.exists():
        try:
            earlier = json.loads(path.read_text())
        except (OSError, ValueError):
            earlier = None
        if earlier != manifest:
            raise PlainsightError(
                f"{out} holds the output of another run (another bundle, input, --top or --chunk-rows, or input "
                "that changed since). Pick a new folder, or delete that one to start again."
            )
        return
    if out.exists() and any(out.iterdir()):
        raise PlainsightError(f"{out} is not empty and holds no earlier batch output; pick a new or empty folder.")
    out.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(manifest, indent=2))


def _gather_rejected(out: Path, tasks: list[Task]) -> int:
    """Every part's left-out rows in one file, in the input's order; how many there are."""
    frames = []
    for task in tasks:
        side = out / REJECTED / task.name.replace(".parquet", ".csv")
        if side.exists() and side.stat().st_size:
            frames.append(pd.read_csv(side, dtype={"id": str, "file": str, "problem": str}))
    gathered = pd.concat(frames) if frames else pd.DataFrame(columns=list(REJECTED_COLUMNS))
    temporary = out / f".{REJECTED_FILE}.writing"
    gathered.to_csv(temporary, index=False)
    temporary.replace(out / REJECTED_FILE)
    return len(gathered)
