"""Bytes to a table of text: size, kind of file, decoding, delimiter, CSV records with their lines, Parquet."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from explain.bundle import Bundle
from explain.upload.columns import _fold, _match_columns, _wanted
from explain.upload.findings import Problem, _Refused, _Report
from explain.upload.phrasing import _has, _lines, _size, _them

_DELIMITERS = (",", ";", "\t", "|")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}
_SNIFF_CHARS = 8192
_BINARY_MAGIC = (
    (b"PK\x03\x04", "excel"),  # zip, and so xlsx/docx
    (b"PK\x05\x06", "excel"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "excel"),  # old Office (xls)
    (b"\x89PNG", "binary"),
    (b"\xff\xd8\xff", "binary"),
    (b"GIF8", "binary"),
    (b"%PDF", "binary"),
    (b"\x1f\x8b", "binary"),
    (b"BZh", "binary"),
    (b"\x7fELF", "binary"),
    (b"MZ", "binary"),
)
_NOT_DATA = "This does not look like a CSV or Parquet file."


@dataclass
class _Table:
    """The file's needed columns as read, before typing: one Series per model column, plus the id column."""

    columns: dict[str, pd.Series]
    lines: np.ndarray  # each row's line in the file (row number for Parquet)
    word: str  # "line" or "row"
    id_values: pd.Series | None
    skipped: int = 0  # rows already left out (lines with too many or too few values)
    outcome: pd.Series | None = None  # the card's target as read, when asked for and present


# Past the upload's limits the whole file is the command line's work, which takes any number of rows.
_SPLIT = "Split it into smaller files, or have all of it explained at once on the command line (plainsight batch)."


def _read_table(
    data: bytes, name: str, bundle: Bundle, *, max_rows: int, max_bytes: int, report: _Report, outcome: bool = False
) -> _Table:
    if len(data) > max_bytes:
        raise _Refused(f"The file is {_size(len(data))}; the limit is {_size(max_bytes)}. " + _SPLIT)
    if not data.strip():
        raise _Refused("The file is empty.")
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if data.startswith(b"PAR1") or suffix in ("parquet", "pq"):
        return _read_parquet(data, bundle, max_rows=max_rows, report=report, outcome=outcome)
    kind = next((k for magic, k in _BINARY_MAGIC if data.startswith(magic)), None)
    if kind is None and suffix in ("xlsx", "xls", "xlsm", "ods", "numbers"):
        kind = "excel"
    if kind == "excel":
        raise _Refused(f"{_NOT_DATA} It looks like a spreadsheet workbook or a zip archive: save it as CSV first.")
    if kind is not None:
        raise _Refused(f"{_NOT_DATA} Upload the data as CSV (text, one row per line) or as Parquet.")
    text = _decode(data, report)
    return _read_csv(text, suffix, bundle, max_rows=max_rows, report=report, outcome=outcome)


def _decode(data: bytes, report: _Report) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise _Refused(_NOT_DATA + " Upload the data as CSV or Parquet.") from None
        report.notes.append("The file was read as UTF-16 text.")
    elif b"\x00" in data[:65536]:
        raise _Refused(f"{_NOT_DATA} Upload the data as CSV (text, one row per line) or as Parquet.")
    else:
        text = ""
        for encoding, said in (
            ("utf-8-sig", None),
            ("cp1252", "Windows-1252 (Western European)"),
            ("latin-1", "Latin-1"),
        ):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if said:
                report.notes.append(
                    f"The file is not UTF-8 text, so it was read as {said}. Check that accented letters look right."
                )
            break
    sample = text[:65536]
    controls = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\r\n") or 0x7F <= ord(ch) < 0xA0)
    if "\x00" in sample or controls > max(2, len(sample) // 100):
        raise _Refused(f"{_NOT_DATA} Upload the data as CSV (text, one row per line) or as Parquet.")
    if not text.strip("\ufeff \t\r\n"):
        raise _Refused("The file is empty.")
    return text


def _read_csv(
    text: str, suffix: str, bundle: Bundle, *, max_rows: int, report: _Report, outcome: bool = False
) -> _Table:
    first_line = text.split("\n", 1)[0].rstrip("\r").strip("\ufeff")
    forced = re.fullmatch(r"sep=([^\w\s\"']|\t)", first_line)  # Excel's way to name the delimiter
    delimiter = forced.group(1) if forced else _delimiter(text, suffix, bundle)

    records = _records(text, delimiter)
    header: list[str] | None = None
    for line, fields in records:
        if forced and line == 1:
            continue
        if all(not f.strip() for f in fields):
            continue  # blank lines, and Excel's rows of bare delimiters
        header = fields
        break
    if header is None:
        raise _Refused("The file is empty.")
    names = [f.strip().strip("\ufeff") for f in header]
    wanted = _wanted(bundle, outcome=outcome)
    where = _match_columns(names, wanted, bundle, report, word="line")
    needed = sorted(set(where.values()))

    values: list[list[str]] = [[] for _ in needed]
    lines: list[int] = []
    too_many: list[int] = []
    too_few: list[int] = []
    width = len(names)
    for line, fields in records:
        if all(not f.strip() for f in fields):
            continue
        if len(lines) + len(too_many) + len(too_few) >= max_rows:
            raise _Refused(f"The file has more than {max_rows:,} rows; the limit is {max_rows:,}. " + _SPLIT)
        if len(fields) != width:
            (too_many if len(fields) > width else too_few).append(line)
            continue
        lines.append(line)
        for slot, i in enumerate(needed):
            values[slot].append(fields[i].strip())
    if too_many:
        report.problems.append(
            Problem(
                f"{_lines('line', too_many, capital=True)} {_has(too_many)} more values than there are column names "
                f"on the first line ({width}), so {_them(too_many)} left out. A value that holds the delimiter "
                f"({_DELIMITER_NAMES.get(delimiter, f"'{delimiter}'")}) needs quotes around it.",
                rows=tuple(too_many),
            )
        )
    if too_few:
        report.problems.append(
            Problem(
                f"{_lines('line', too_few, capital=True)} {_has(too_few)} fewer values than there are column names "
                f"on the first line ({width}), so {_them(too_few)} left out.",
                rows=tuple(too_few),
            )
        )
    if not lines and not too_many and not too_few:
        raise _Refused("The file names its columns but has no rows to explain.")
    if not lines:
        raise _Refused("No rows are left to explain: every row has one of the problems listed.")
    by_index = {i: pd.Series(values[slot], dtype=object) for slot, i in enumerate(needed)}
    columns = {column: by_index[i] for column, i in where.items() if column in wanted}
    id_column = bundle.card.id_column
    ids = by_index[where[id_column]] if id_column is not None and id_column in where else None
    features = {c: columns[c] for c in bundle.features}
    target = bundle.card.target
    kept = by_index[where[target]] if outcome and target is not None and target in where else None
    lines_kept = np.asarray(lines, dtype=int)
    return _Table(features, lines_kept, "line", ids, skipped=len(too_many) + len(too_few), outcome=kept)


def _records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Each record with the line it starts on; a record that cannot be split is fatal, naming its line."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    previous = 0
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise _Refused(
                f"Line {previous + 1} could not be read: a value is too long, or a quote is never closed.",
                rows=(previous + 1,),
            ) from None
        start, previous = previous + 1, reader.line_num
        if fields:
            yield start, fields


def _delimiter(text: str, suffix: str, bundle: Bundle) -> str:
    # csv.Sniffer takes time quadratic in the sample on some quoted text: sniff whole lines of the first 8 KB only.
    lines = text[:_SNIFF_CHARS].splitlines()
    if len(text) > _SNIFF_CHARS and len(lines) > 1:
        lines = lines[:-1]  # the last line was cut
    sample = "\n".join(lines[:20])
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters="".join(_DELIMITERS)).delimiter
    except csv.Error:
        sniffed = "\t" if suffix == "tsv" else ","
    # The header must name the model's columns: prefer the delimiter that finds most of them.
    header = next((line for line in io.StringIO(text, newline="") if line.strip()), "").rstrip("\r\n")
    wanted = {_fold(c) for c in _wanted(bundle)}

    def found(delimiter: str) -> int:
        try:
            fields = next(csv.reader([header], delimiter=delimiter), [])
        except csv.Error:  # a header longer than csv's field limit; reading the records will say so
            return 0
        return sum(_fold(f) in wanted for f in fields)

    best = max((sniffed, *_DELIMITERS), key=found)  # max keeps the first of equals: the sniffed one
    return best if found(best) > found(sniffed) else sniffed


def _read_parquet(data: bytes, bundle: Bundle, *, max_rows: int, report: _Report, outcome: bool = False) -> _Table:
    try:
        frame = pd.read_parquet(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - pyarrow raises many kinds for a damaged file; one plain line is enough
        raise _Refused(
            "This looks like a Parquet file, but it could not be read (it may be damaged or cut short)."
        ) from None
    if len(frame) > max_rows:
        raise _Refused(f"The file has {len(frame):,} rows; the limit is {max_rows:,}. " + _SPLIT)
    if len(frame) == 0:
        raise _Refused("The file names its columns but has no rows to explain.")
    names = [str(c).strip() for c in frame.columns]
    wanted = _wanted(bundle, outcome=outcome)
    where = _match_columns(names, wanted, bundle, report, word="row")
    columns = {c: frame.iloc[:, where[c]].reset_index(drop=True) for c in bundle.features}
    id_column = bundle.card.id_column
    ids = frame.iloc[:, where[id_column]].reset_index(drop=True) if id_column in where else None
    target = bundle.card.target
    kept = frame.iloc[:, where[target]].reset_index(drop=True) if outcome and target in where else None
    return _Table(columns, np.arange(1, len(frame) + 1), "row", ids, outcome=kept)
