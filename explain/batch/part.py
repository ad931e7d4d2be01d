"""One part of a batch: read its rows, check them, explain them, write them. The same code runs in-process and
on a Dask worker, so both write the same files, value for value.

Each part is written atomically (a temporary name, then a rename), its left-out rows first: a part file that
exists is whole, with its side file beside it, which is what lets a rerun skip it.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from explain.batch.plan import Task
from explain.bundle.bundle import Bundle
from explain.methods.reasons import explain_shap
from explain.reports.reason_codes import describe, reason_codes
from explain.upload.chunks import Checked, check_csv_chunk, check_table_chunk

REJECTED = "_rejected"  # the side files' folder: "_" keeps Parquet readers of the output folder away from it
REJECTED_COLUMNS = ("file", "line", "id", "problem")
METADATA_KEY = b"plainsight"


@dataclass(frozen=True)
class PartResult:
    """What one part did."""

    part: int
    rows: int  # explained and written
    rejected: int  # left out by the checks
    seconds: float
    method: str | None  # how its rows were explained (None when every row was left out)


def run_part(bundle: Bundle, task: Task, out: str, top: int, checked: Checked | None = None) -> PartResult:
    """Explain one part and write ``out/part-NNNNN.parquet`` (and its left-out rows under ``out/_rejected``).

    ``checked``: the part's rows, when they were read already (while the part before was explained)."""
    began = time.perf_counter()
    checked = read_part(bundle, task) if checked is None else checked
    folder = Path(out)
    _write_rejected(folder / REJECTED / task.name.replace(".parquet", ".csv"), task, checked)
    method = None
    if checked.frame is not None and len(checked.frame):
        frame = checked.frame.set_axis(checked.ids)
        explanation = explain_shap(bundle, X=frame)
        table = reason_codes(bundle, explanation, top=top)
        meta = describe(bundle, explanation, top=top)
        method = explanation.method
    else:
        table, meta = _empty(bundle, top), {"bundle": bundle.name, "fingerprint": bundle.fingerprint}
    _write_parquet(folder / task.name, table, meta)
    return PartResult(task.part, len(table), len(checked.rejected), time.perf_counter() - began, method)


def read_part(bundle: Bundle, task: Task) -> Checked:
    """The part's rows after the upload's checks."""
    source = task.source
    if source.kind == "csv":
        with open(source.path, "rb") as handle:
            handle.seek(task.start)
            text = handle.read(task.stop - task.start).decode(source.encoding, errors="replace")
        return check_csv_chunk(text, task.first, source.layout, bundle)
    needed = sorted(set(source.layout.where.values()))
    group = pq.ParquetFile(source.path).read_row_group(task.group, columns=[source.layout.names[i] for i in needed])
    rows = group.slice(task.start, task.rows).to_pandas()
    # check_table_chunk reads columns by their place in the file: put the read columns back in their places.
    placed = pd.DataFrame({i: rows.iloc[:, k] for k, i in enumerate(needed)})
    wide = placed.reindex(columns=range(len(source.layout.names)))
    return check_table_chunk(wide, task.first, source.layout, bundle)


def _empty(bundle: Bundle, top: int) -> pd.DataFrame:
    """The table of a part whose every row was left out: no rows, but the columns every part has (those of one
    reference row's, emptied)."""
    return reason_codes(bundle, explain_shap(bundle, [0]), top=top).iloc[:0]


def _write_parquet(path: Path, table: pd.DataFrame, meta: dict[str, object]) -> None:
    arrow = pa.Table.from_pandas(table, preserve_index=False)
    arrow = arrow.replace_schema_metadata({**(arrow.schema.metadata or {}), METADATA_KEY: json.dumps(meta).encode()})
    temporary = path.with_name(f".{path.name}.writing")
    pq.write_table(arrow, temporary)
    os.replace(temporary, path)


def _write_rejected(path: Path, task: Task, checked: Checked) -> None:
    """The part's left-out rows (an empty file when there are none, so a rerun knows the part's checks ran)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    frame = pd.DataFrame(
        {
            "file": [Path(task.source.path).name] * len(checked.rejected),
            "line": [r.line for r in checked.rejected],
            "id": [r.row_id for r in checked.rejected],
            "problem": [r.problem for r in checked.rejected],
        },
        columns=list(REJECTED_COLUMNS),
    )
    temporary = path.with_name(f".{path.name}.writing")
    frame.to_csv(temporary, index=False)
    os.replace(temporary, path)
