"""Cut the input into parts: where each part's rows are in which file, found without reading the data itself.

A part is the unit of work, of output (one Parquet file) and of resuming: a CSV file is cut at record
boundaries every ``rows`` records (quoted values may span lines: a record ends on a line where the quotes so far
are balanced), a Parquet file along its row groups, each cut again when it is larger than ``rows``. The same
input and ``rows`` always give the same parts, so an interrupted run, or the same run on a Dask cluster, writes
the same files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from explain.bundle.bundle import Bundle
from explain.errors import PlainsightError
from explain.upload.chunks import Layout, csv_layout, table_layout

DEFAULT_ROWS = 250_000  # rows per part: about 0.3 GB of work in memory, and few set-ups (bench/bench_batch.py)
_HEAD_BYTES = 64 * 1024  # what the delimiter, the encoding and the header are found from


@dataclass(frozen=True)
class Source:
    """One input file and how to read it."""

    path: str
    kind: Literal["csv", "parquet"]
    layout: Layout
    encoding: str = "utf-8"


@dataclass(frozen=True)
class Task:
    """One part: which rows of which file it explains.

    CSV: the records in bytes ``[start, stop)``, the first on line ``first``. Parquet: ``rows`` rows of row group
    ``group`` from its row ``start``, the first being row ``first`` of the file (counted from 1).
    """

    part: int
    source: Source
    start: int
    stop: int
    first: int
    rows: int
    group: int = 0

    @property
    def name(self) -> str:
        """The part's file name: ``part-00000.parquet``."""
        return f"part-{self.part:05d}.parquet"


def input_files(data: Path) -> list[Path]:
    """The files a batch reads: ``data`` itself, or every .parquet and .csv file in the folder, by name."""
    if data.is_file():
        return [data]
    if data.is_dir():
        found = sorted(p for p in data.iterdir() if p.is_file() and p.suffix.lower() in (".parquet", ".csv"))
        if not found:
            raise PlainsightError(f"The folder {data} holds no .parquet or .csv files to explain.")
        return found
    raise PlainsightError(f"There is no file or folder at {data}.")


def plan(data: Path, bundle: Bundle, rows: int = DEFAULT_ROWS) -> list[Task]:
    """Every part of the input, in order.

    Raises
    ------
    PlainsightError
        When a file cannot be read or lacks the model's columns (naming the file and the columns).
    """
    if rows < 1:
        raise PlainsightError("--chunk-rows must be at least 1.")
    tasks: list[Task] = []
    for path in input_files(data):
        kind = "parquet" if path.suffix.lower() in (".parquet", ".pq") or _is_parquet(path) else "csv"
        for task in (_parquet_tasks if kind == "parquet" else _csv_tasks)(path, bundle, rows):
            tasks.append(Task(len(tasks), task.source, task.start, task.stop, task.first, task.rows, task.group))
    return tasks


def _is_parquet(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(4) == b"PAR1"


def _parquet_tasks(path: Path, bundle: Bundle, rows: int) -> list[Task]:
    import pyarrow.parquet as pq

    try:
        meta = pq.ParquetFile(path)
    except Exception as exc:  # noqa: BLE001 - pyarrow raises many kinds for a damaged file; one line is enough
        raise PlainsightError(f"{path.name} could not be read as Parquet ({exc}).") from None
    source = Source(str(path), "parquet", table_layout(list(meta.schema_arrow.names), path.name, bundle))
    tasks, first = [], 1
    for group in range(meta.num_row_groups):
        size = meta.metadata.row_group(group).num_rows
        for start in range(0, size, rows):
            count = min(rows, size - start)
            tasks.append(Task(0, source, start, start + count, first + start, count, group))
        first += size
    return tasks


def _csv_tasks(path: Path, bundle: Bundle, rows: int) -> list[Task]:
    with open(path, "rb") as handle:
        head = handle.read(_HEAD_BYTES)
    encoding = _encoding(head)
    text = head.decode(encoding, errors="replace")
    if not text.strip("\ufeff \t\r\n"):
        raise PlainsightError(f"{path.name} is empty.")
    source = Source(str(path), "csv", csv_layout(text, path.name, bundle), encoding)
    tasks: list[Task] = []
    with open(path, "rb") as handle:
        header_done, open_quotes = False, False
        offset, line = 0, 0
        start, first, count = 0, 0, 0
        for raw in handle:
            line += 1
            offset += len(raw)
            if raw.count(b'"') % 2:
                open_quotes = not open_quotes
            if open_quotes:
                continue  # the record goes on to the next line
            if not header_done:
                header_done, start, first = True, offset, line + 1
                continue
            count += 1
            if count == rows:
                tasks.append(Task(0, source, start, offset, first, count))
                start, first, count = offset, line + 1, 0
        if count:
            tasks.append(Task(0, source, start, offset, first, count))
    if not tasks:
        raise PlainsightError(f"{path.name} names its columns but has no rows to explain.")
    return tasks


def _encoding(head: bytes) -> str:
    """UTF-8 (its BOM dropped) when the start decodes as UTF-8, else Windows-1252, as an upload decides."""
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the end of the sample
            return "cp1252"
    return "utf-8"
