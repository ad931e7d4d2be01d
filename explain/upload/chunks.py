"""The upload's checks a chunk at a time, for files of any size (``plainsight batch``).

:func:`read_upload` holds a whole file in memory; a batch over a million rows reads it in chunks instead. The
file's layout (its delimiter, which of its columns hold the model's) is worked out once from its start
(:func:`csv_layout`, :func:`table_layout`); then every chunk goes through the same checks as an upload
(``explain.upload.values``), and each row they leave out comes back as a :class:`Rejected` naming its line, its id
when it has one, and the problem in the upload's words. Nothing is raised for bad rows; a file whose layout
cannot be used at all raises :class:`~explain.errors.PlainsightError` with the upload's message.

Ids are made unique within a chunk as an upload makes them (``"<id> (line N)"``); an id repeated in two chunks is
not seen here.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from explain.bundle import Bundle
from explain.errors import PlainsightError
from explain.upload.columns import _match_columns, _wanted
from explain.upload.findings import Problem, _Refused, _Report
from explain.upload.reading import _delimiter, _Table
from explain.upload.values import _typed


@dataclass(frozen=True)
class Layout:
    """Where the model's columns are in a file, worked out once from its first line."""

    names: tuple[str, ...]  # the file's own column names, in its order
    where: dict[str, int]  # each needed column (the model's, and the id column when present) -> its position
    word: str  # how a row is named in messages: "line" (CSV, the header is line 1) or "row" (Parquet, from 1)
    delimiter: str = ","
    id_column: str | None = None  # the card's id column, when the file has it
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rejected:
    """A row the checks left out, and why."""

    line: int  # its line in the file (CSV) or its row number (Parquet), as the problem names it
    row_id: str | None  # its id when the file has the id column and the row holds one
    problem: str


@dataclass(frozen=True)
class Checked:
    """One chunk after the checks: the rows to explain, typed like ``bundle.X``, and the rows left out."""

    frame: pd.DataFrame | None  # None when every row was left out
    ids: list[str]
    lines: np.ndarray
    rejected: list[Rejected] = field(default_factory=list)


def csv_layout(head: str, name: str, bundle: Bundle) -> Layout:
    """The layout of a CSV file from its first part (at least its first line); the delimiter is found as an
    upload finds it."""
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    delimiter = _delimiter(head, suffix, bundle)
    first = next(csv.reader(io.StringIO(head.lstrip("\ufeff"), newline=""), delimiter=delimiter), None)
    if not first:
        raise PlainsightError(f"{name} is empty: its first line should name the columns.")
    return _layout([f.strip().strip("\ufeff") for f in first], bundle, "line", delimiter, name)


def table_layout(names: list[str], name: str, bundle: Bundle) -> Layout:
    """The layout of a table file (Parquet) from its column names."""
    return _layout([str(n).strip() for n in names], bundle, "row", ",", name)


def _layout(names: list[str], bundle: Bundle, word: str, delimiter: str, file: str) -> Layout:
    report = _Report()
    try:
        where = _match_columns(names, _wanted(bundle), bundle, report, word=word)
    except _Refused as refused:
        raise PlainsightError(f"{file}: {refused.problem.message}") from None
    id_column = bundle.card.id_column if bundle.card.id_column in where else None
    return Layout(tuple(names), where, word, delimiter, id_column, tuple(report.notes))


def check_csv_chunk(text: str, first_line: int, layout: Layout, bundle: Bundle) -> Checked:
    """Check the CSV records in ``text`` (whole records, no header), the first starting on line ``first_line``."""
    fast = _arrow_records(text, layout)
    if fast is not None:
        return _checked(
            fast, np.arange(first_line, first_line + len(next(iter(fast.values()))), dtype=int), layout, bundle, []
        )
    return _python_records(text, first_line, layout, bundle)


def _arrow_records(text: str, layout: Layout) -> dict[int, pd.Series] | None:
    """The needed columns as text, parsed by pyarrow (about ten times faster than the csv module), when every
    record is one whole line: then the n-th record is on the n-th line. None when that cannot be told (a blank
    line, a value spanning lines, a record with too many or too few values): the csv module reads those, naming
    each line."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    if not text or "\n\n" in text or "\r\n\r\n" in text or '"' in text and "\n" in _quoted_parts(text):
        return None
    ragged: list[object] = []

    def skip(row: object) -> str:
        ragged.append(row)
        return "skip"

    needed = sorted(set(layout.where.values()))
    names = [f"c{i}" for i in range(len(layout.names))]
    try:
        table = pacsv.read_csv(
            pa.py_buffer(text.encode("utf-8")),
            read_options=pacsv.ReadOptions(column_names=names, use_threads=True),
            parse_options=pacsv.ParseOptions(delimiter=layout.delimiter, invalid_row_handler=skip),
            convert_options=pacsv.ConvertOptions(
                column_types={names[i]: pa.string() for i in needed},
                include_columns=[names[i] for i in needed],
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, ValueError):
        return None
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    if ragged or table.num_rows != lines:
        return None
    return {i: table.column(names[i]).to_pandas() for i in needed}


def _quoted_parts(text: str) -> str:
    """The text inside quotes (every other piece between quote marks), to look for line breaks in values."""
    return "".join(text.split('"')[1::2])


def _python_records(text: str, first_line: int, layout: Layout, bundle: Bundle) -> Checked:
    width = len(layout.names)
    needed = sorted(set(layout.where.values()))
    values: list[list[str]] = [[] for _ in needed]
    lines: list[int] = []
    rejected: list[Rejected] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=layout.delimiter, strict=False)
    previous = 0
    while True:
        start = first_line + previous
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error:
            rejected.append(Rejected(start, None, f"Line {start} could not be read: a quote is never closed."))
            break
        previous = reader.line_num
        if not fields or all(not f.strip() for f in fields):
            continue  # blank lines, as an upload skips them
        if len(fields) != width:
            more = "more" if len(fields) > width else "fewer"
            rejected.append(
                Rejected(
                    start,
                    _field(fields, layout),
                    f"Line {start} has {more} values ({len(fields)}) than there are column names on the first line "
                    f"({width}).",
                )
            )
            continue
        lines.append(start)
        for slot, i in enumerate(needed):
            values[slot].append(fields[i].strip())
    by_index = {i: pd.Series(values[slot], dtype=object) for slot, i in enumerate(needed)}
    return _checked(by_index, np.asarray(lines, dtype=int), layout, bundle, rejected)


def check_table_chunk(frame: pd.DataFrame, first_row: int, layout: Layout, bundle: Bundle) -> Checked:
    """Check rows read from a table file (its columns in the file's order), the first being row ``first_row``."""
    by_index = {i: frame.iloc[:, i].reset_index(drop=True) for i in sorted(set(layout.where.values()))}
    lines = np.arange(first_row, first_row + len(frame), dtype=int)
    return _checked(by_index, lines, layout, bundle, [])


def _field(fields: list[str], layout: Layout) -> str | None:
    """A ragged record's id, when the id column is where the header says."""
    position = None if layout.id_column is None else layout.where[layout.id_column]
    if position is None or position >= len(fields):
        return None
    return fields[position].strip() or None


def _checked(
    by_index: dict[int, pd.Series], lines: np.ndarray, layout: Layout, bundle: Bundle, rejected: list[Rejected]
) -> Checked:
    if not len(lines):
        return Checked(None, [], lines, rejected)
    columns = {c: by_index[i] for c, i in layout.where.items() if c in bundle.features}
    id_values = None if layout.id_column is None else by_index[layout.where[layout.id_column]]
    table = _Table(columns, lines, layout.word, id_values)
    report = _Report()
    try:
        upload = _typed(table, bundle, report)
    except _Refused as refused:  # every row of the chunk was left out
        problems = [*report.problems, refused.problem]
        return Checked(None, [], lines[:0], _by_line(rejected + _left_out(lines, lines[:0], id_values, problems)))
    kept = upload.lines if upload.lines is not None else lines
    return Checked(
        upload.frame, upload.ids, kept, _by_line(rejected + _left_out(lines, kept, id_values, upload.problems))
    )


def _by_line(rejected: list[Rejected]) -> list[Rejected]:
    return sorted(rejected, key=lambda r: r.line)


def _left_out(
    lines: np.ndarray, kept: np.ndarray, id_values: pd.Series | None, problems: list[Problem]
) -> list[Rejected]:
    """A :class:`Rejected` for each line of ``lines`` not in ``kept``, with the problems that name it."""
    gone = np.flatnonzero(~np.isin(lines, kept))
    if not len(gone):
        return []
    said: dict[int, list[str]] = {}
    for problem in problems:
        for line in problem.rows:
            said.setdefault(int(line), []).append(problem.message)
    out = []
    for position in gone:
        line = int(lines[position])
        row_id = None
        if id_values is not None:
            raw = id_values.iloc[position]
            row_id = None if pd.isna(raw) or not str(raw).strip() else str(raw).strip()
        reasons = said.get(line) or [next((p.message for p in problems if p.fatal), "The checks left this row out.")]
        out.append(Rejected(line, row_id, " ".join(dict.fromkeys(reasons))))
    return out
