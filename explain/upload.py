"""Check an uploaded data file against what a model expects, so its rows can be explained ("explain these customers").

:func:`read_upload` turns the bytes of a CSV or Parquet file into the model's raw columns, typed like the bundle's
reference data (``bundle.X``), and lists every problem in words a stakeholder can act on: the column, the value and
the line in the file. It never raises for bad input; a problem that leaves nothing to explain is *fatal*.

How the file is read
    Size first, then the kind: Parquet by its magic bytes (``PAR1``) or its name; known binary formats (pictures,
    PDF, zip, Excel) and anything with NUL or many control characters are refused. Text is decoded as UTF-8 (a BOM
    is dropped), then UTF-16 when it starts with a UTF-16 BOM, else Windows-1252, else Latin-1 (which always
    decodes); the notes say which was used when it is not UTF-8. The delimiter comes from ``csv.Sniffer`` on the
    first lines (at most 8 KB; comma when it cannot tell), corrected when another delimiter splits the header into
    more of the model's column names, and an Excel ``sep=;`` first line wins. The :mod:`csv` module does the
    splitting, not ``pandas.read_csv``: it reports every record's own line (quoted values may span lines, blank lines
    are skipped), so a line with too many *or too few* values is named exactly, and only the needed columns are kept.

Decisions (each with its reason)
    - A row with a bad value (text or an infinite number in a number column, too many or too few values) is left
      out with a non-fatal problem naming the column and lines: turning it into a gap would let the model's imputer
      invent a value and explain a customer who does not exist. Nothing left to explain is fatal.
    - More rows than ``max_rows`` is fatal, not a silent cut: explaining part of a file without saying so misleads.
    - Missing values (blank, NaN, NA, N/A, null, none, #N/A, -) become gaps, unless the token is one of the
      column's known categories. The model is tried on a few rows with gaps (and on rows with unseen categories):
      when it scores them, the notes say how many gaps there are; when it cannot, those rows are left out.
    - Categories the model never saw are kept (non-fatal): the model treats them as unknown. Values that differ from
      a known category only in capitals or surrounding spaces are matched to it, with a note.
    - Repeated ids are not fatal: every row is kept and each repeat is named ``"<id> (line N)"``, so ids stay
      unique (what picking a row by id needs); the problem names up to three repeated ids.
    - Column names that differ only in capitals or surrounding spaces are matched, with a note; columns in another
      order are reordered silently; columns the model does not use are dropped, with a note.
    - A whole-number column with gaps or fractions becomes float64 (int64 cannot hold a gap); every other column
      gets ``bundle.X``'s dtype, so ``bundle.predict(upload.frame)`` works.
    - Text from the file is data: it is only compared and quoted (shortened, control characters removed), never
      interpreted; messages are plain text and the caller escapes them.

Why no pandera
    The checks are derived at run time from ``bundle.X`` and are few (numbers, finiteness, known categories);
    what takes the work is reading the file (size, kind, encoding, delimiter, ragged lines) and wording each
    finding with its line numbers, which pandera does not do. Its failure reports (check names, failure-case
    tables, index positions) would have to be translated back into lines and plain words anyway, so a new
    dependency would buy little.
"""

from __future__ import annotations

import csv
import difflib
import io
import logging
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from explain.bundle import Bundle

log = logging.getLogger(__name__)

MISSING_TOKENS = frozenset({"", "na", "n/a", "nan", "null", "none", "#n/a", "-"})
_DELIMITERS = (",", ";", "\t", "|")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}
_SHOWN_LINES = 5
_SHOWN_VALUES = 3
_TRIAL_ROWS = 50
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
_BOOL_WORDS = {"true": True, "false": False, "yes": True, "no": False, "y": True, "n": False, "t": True, "f": False,
               "1": True, "0": False, "1.0": True, "0.0": False}  # fmt: skip
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")


@dataclass(frozen=True)
class Problem:
    """One finding a stakeholder can read and act on.

    ``rows`` holds every affected line of the file (1-based, the header is line 1); for a Parquet file, the 1-based
    row number. The message shows at most five of them.
    """

    message: str
    column: str | None = None
    rows: tuple[int, ...] = ()
    fatal: bool = False  # True: nothing can be explained


@dataclass(frozen=True)
class Upload:
    """An uploaded file read against a model.

    Attributes
    ----------
    frame : DataFrame or None
        The model's raw columns, in the model's order, typed like ``bundle.X``; None when a problem is fatal.
    ids : list of str
        Each row's id: the card's id column, else ``"line N"`` (``"row N"`` for Parquet).
    problems : list of Problem
        Everything found, fatal first.
    notes : list of str
        What is worth saying but needs no action (an encoding, dropped columns, gaps the model fills).
    """

    frame: pd.DataFrame | None
    ids: list[str]
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when there are rows to explain (problems that are not fatal may remain)."""
        return self.frame is not None and not any(p.fatal for p in self.problems)


class _Refused(Exception):
    """A fatal finding: stops reading."""

    def __init__(self, message: str, column: str | None = None, rows: tuple[int, ...] = ()) -> None:
        super().__init__(message)
        self.problem = Problem(message, column=column, rows=rows, fatal=True)


@dataclass
class _Table:
    """The file's needed columns as read, before typing: one Series per model column, plus the id column."""

    columns: dict[str, pd.Series]
    lines: np.ndarray  # each row's line in the file (row number for Parquet)
    word: str  # "line" or "row"
    id_values: pd.Series | None
    skipped: int = 0  # rows already left out (lines with too many or too few values)


@dataclass
class _Report:
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def fatal(self) -> Upload:
        return Upload(None, [], _ordered(self.problems), self.notes)


def read_upload(
    data: bytes, name: str, bundle: Bundle, *, max_rows: int = 100_000, max_bytes: int = 50 * 2**20
) -> Upload:
    """Read an uploaded CSV or Parquet file as the rows a model should explain.

    Parameters
    ----------
    data : bytes
        The file's content.
    name : str
        The file's name as uploaded (its extension helps tell Parquet from CSV).
    bundle : Bundle
        The model the rows are for: its columns, their types and known categories come from ``bundle.X``.
    max_rows, max_bytes : int
        Larger files are refused (a fatal problem that says the limit).

    Returns
    -------
    Upload
        Never raises for bad input: what is wrong is in ``problems``.
    """
    report = _Report()
    try:
        table = _read_table(bytes(data), name, bundle, max_rows=max_rows, max_bytes=max_bytes, report=report)
        return _typed(table, bundle, report)
    except _Refused as refused:
        report.problems.append(refused.problem)
        return report.fatal()
    except Exception:  # noqa: BLE001 - the promise is "never raises"; the operator's log keeps the details
        log.exception("reading the uploaded file %r failed", name)
        report.problems.append(Problem("The file could not be read.", fatal=True))
        return report.fatal()


# --- bytes to a table of text --------------------------------------------------------------------------------------


def _read_table(data: bytes, name: str, bundle: Bundle, *, max_rows: int, max_bytes: int, report: _Report) -> _Table:
    if len(data) > max_bytes:
        raise _Refused(
            f"The file is {_size(len(data))}; the limit is {_size(max_bytes)}. "
            "Split it into smaller files and upload them one at a time."
        )
    if not data.strip():
        raise _Refused("The file is empty.")
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if data.startswith(b"PAR1") or suffix in ("parquet", "pq"):
        return _read_parquet(data, bundle, max_rows=max_rows, report=report)
    kind = next((k for magic, k in _BINARY_MAGIC if data.startswith(magic)), None)
    if kind is None and suffix in ("xlsx", "xls", "xlsm", "ods", "numbers"):
        kind = "excel"
    if kind == "excel":
        raise _Refused(f"{_NOT_DATA} It looks like a spreadsheet workbook or a zip archive: save it as CSV first.")
    if kind is not None:
        raise _Refused(f"{_NOT_DATA} Upload the data as CSV (text, one row per line) or as Parquet.")
    text = _decode(data, report)
    return _read_csv(text, suffix, bundle, max_rows=max_rows, report=report)


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


def _read_csv(text: str, suffix: str, bundle: Bundle, *, max_rows: int, report: _Report) -> _Table:
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
    wanted = _wanted(bundle)
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
            raise _Refused(
                f"The file has more than {max_rows:,} rows; the limit is {max_rows:,}. "
                "Split it into smaller files and upload them one at a time."
            )
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
    return _Table(features, np.asarray(lines, dtype=int), "line", ids, skipped=len(too_many) + len(too_few))


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


def _read_parquet(data: bytes, bundle: Bundle, *, max_rows: int, report: _Report) -> _Table:
    try:
        frame = pd.read_parquet(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - pyarrow raises many kinds for a damaged file; one plain line is enough
        raise _Refused(
            "This looks like a Parquet file, but it could not be read (it may be damaged or cut short)."
        ) from None
    if len(frame) > max_rows:
        raise _Refused(
            f"The file has {len(frame):,} rows; the limit is {max_rows:,}. "
            "Split it into smaller files and upload them one at a time."
        )
    if len(frame) == 0:
        raise _Refused("The file names its columns but has no rows to explain.")
    names = [str(c).strip() for c in frame.columns]
    wanted = _wanted(bundle)
    where = _match_columns(names, wanted, bundle, report, word="row")
    columns = {c: frame.iloc[:, where[c]].reset_index(drop=True) for c in bundle.features}
    id_column = bundle.card.id_column
    ids = frame.iloc[:, where[id_column]].reset_index(drop=True) if id_column in where else None
    return _Table(columns, np.arange(1, len(frame) + 1), "row", ids)


def _wanted(bundle: Bundle) -> list[str]:
    id_column = bundle.card.id_column
    return bundle.features + ([id_column] if id_column is not None and id_column not in bundle.features else [])


def _match_columns(
    names: list[str], wanted: list[str], bundle: Bundle, report: _Report, *, word: str
) -> dict[str, int]:
    """Which of the file's columns holds each wanted column: exact names first, then ignoring capitals and spaces."""
    where: dict[str, int] = {}
    loose: list[str] = []
    for column in wanted:
        exact = [i for i, n in enumerate(names) if n == column]
        folded = [i for i, n in enumerate(names) if _fold(n) == _fold(column)]
        found = exact or folded
        if len(found) > 1:
            raise _Refused(f"The file has {len(found)} columns named '{_clean(column)}'; keep only one.", column=column)
        if found:
            where[column] = found[0]
            if not exact:
                loose.append(f"'{_clean(names[found[0]])}' as {column}")

    missing = [c for c in bundle.features if c not in where]
    if missing and len(missing) == len(bundle.features):
        raise _Refused(
            "None of the columns the model needs are in the file. Its first line must name them: "
            f"{_listed(bundle.features, 8)}."
        )
    if missing:
        unused = [n for i, n in enumerate(names) if i not in where.values() and n]
        shown = []
        for column in missing:
            close = difflib.get_close_matches(column, unused, n=1, cutoff=0.75)
            shown.append(f"{column} (the file has '{_clean(close[0])}')" if close else column)
        noun = "a column" if len(missing) == 1 else f"{len(missing)} columns"
        raise _Refused(
            f"The file lacks {noun} the model needs: {', '.join(shown)}.",
            column=missing[0] if len(missing) == 1 else None,
        )

    if loose:
        noun = "a column whose name differs" if len(loose) == 1 else f"{len(loose)} columns whose names differ"
        report.notes.append(f"Matched {noun} only in capitals or spaces: {_listed(loose, 5)}.")
    target = bundle.card.target
    used = set(where.values())
    rest = [(i, n) for i, n in enumerate(names) if i not in used]
    if target is not None and any(_fold(n) == _fold(target) for _, n in rest):
        rest = [(i, n) for i, n in rest if _fold(n) != _fold(target)]
        report.notes.append(f"The file's {target} column was not used: it is what the model predicts.")
    dropped = [_clean(n) if n else "(a column with no name)" for _, n in rest]
    if dropped:
        noun = "a column" if len(dropped) == 1 else f"{len(dropped)} columns"
        report.notes.append(f"Dropped {noun} the model does not use: {_listed(dropped, 5)}.")
    if bundle.card.id_column is not None and bundle.card.id_column not in where:
        report.notes.append(
            f"The file has no {bundle.card.id_column} column, so each row is named by its {word} in the file "
            f"({word} 2, {word} 3, ...)."
        )
    return where


# --- text to the model's types -------------------------------------------------------------------------------------


def _typed(table: _Table, bundle: Bundle, report: _Report) -> Upload:
    n = len(table.lines)
    word = table.word
    bad = np.zeros(n, dtype=bool)
    gaps = np.zeros((n, len(bundle.features)), dtype=bool)
    unknown_rows = np.zeros(n, dtype=bool)
    unknown_problems: list[tuple[int, str]] = []  # (position in problems, the message's start): reworded if unscorable
    converted: dict[str, tuple[pd.Series, str]] = {}

    for j, column in enumerate(bundle.features):
        reference = bundle.X[column]
        raw = table.columns[column]
        if pd.api.types.is_bool_dtype(reference.dtype):
            values, missing, failed = _booleans(raw)
            kind = "bool"
            what = "yes/no values"
        elif pd.api.types.is_numeric_dtype(reference.dtype):
            values, missing, failed = _numbers(raw, column, report)
            kind = "number"
            what = "numbers"
        else:
            values, missing, unseen = _categories(raw, reference, column, report)
            failed = np.zeros(n, dtype=bool)
            kind = "category"
            if unseen.any():
                shown = pd.unique(np.asarray(values, dtype=object)[unseen])
                rows = table.lines[unseen]
                head = (
                    f"{column} has {_count(len(shown), 'value')} the model never saw: {_quoted(shown)} "
                    f"({_lines(word, rows)})."
                )
                unknown_problems.append((len(report.problems), head))
                report.problems.append(
                    Problem(
                        f"{head} The model treats {'it' if len(shown) == 1 else 'them'} as unknown, so the "
                        f"explanations of {'that row' if len(rows) == 1 else 'those rows'} are less sure.",
                        column=column,
                        rows=tuple(int(r) for r in rows),
                    )
                )
                unknown_rows |= unseen
        if failed.any():
            texts = np.asarray(raw.astype(str).str.strip())[failed]
            if kind == "number":
                as_numbers = pd.to_numeric(pd.Series(texts, dtype=object), errors="coerce")
                infinite = np.isinf(np.asarray(as_numbers, dtype=float))
            else:
                infinite = np.zeros(len(texts), dtype=bool)
            rows = table.lines[failed]
            if infinite.any():
                inf_rows = rows[infinite]
                report.problems.append(
                    Problem(
                        f"{column} holds an infinite number on {_lines(word, inf_rows)}, which the model cannot use; "
                        f"{_those(inf_rows)} left out.",
                        column=column,
                        rows=tuple(int(r) for r in inf_rows),
                    )
                )
            if (~infinite).any():
                text_rows = rows[~infinite]
                report.problems.append(
                    Problem(
                        f"{column} should hold {what}, but {_count(len(text_rows), 'row')} "
                        f"{'holds' if len(text_rows) == 1 else 'hold'} other text, such as "
                        f"{_quoted(pd.unique(texts[~infinite]))} ({_lines(word, text_rows)}); "
                        f"{_those(text_rows)} left out.",
                        column=column,
                        rows=tuple(int(r) for r in text_rows),
                    )
                )
            bad |= failed
        gaps[:, j] = missing
        converted[column] = (values, kind)

    keep = ~bad
    lines = table.lines
    missing_rows = gaps.any(axis=1)

    frame = pd.DataFrame({c: v.reset_index(drop=True) for c, (v, _) in converted.items()})
    # Try the model on a few rows with gaps, and on a few with unseen categories: drop them if it cannot score them.
    if (keep & missing_rows).any():
        trial = _sample(keep & missing_rows & ~unknown_rows) or _sample(keep & missing_rows)
        if not _scores(bundle, _cast(frame.iloc[trial], bundle)):
            rows = lines[keep & missing_rows]
            report.problems.append(
                Problem(
                    f"The model cannot work with missing values, so {_count(len(rows), 'row')} with a gap "
                    f"({_lines(word, rows)}) {'was' if len(rows) == 1 else 'were'} left out.",
                    rows=tuple(int(r) for r in rows),
                )
            )
            keep &= ~missing_rows
    if (keep & unknown_rows).any():
        trial = _sample(keep & unknown_rows)
        if not _scores(bundle, _cast(frame.iloc[trial], bundle)):
            for position, head in unknown_problems:
                old = report.problems[position]
                report.problems[position] = Problem(
                    f"{head} The model cannot score values it never saw, so {_those(old.rows)} left out.",
                    column=old.column,
                    rows=old.rows,
                )
            keep &= ~unknown_rows

    if not keep.any():
        raise _Refused("No rows are left to explain: every row has one of the problems listed.")
    frame = _cast(frame[keep].reset_index(drop=True), bundle)
    lines = lines[keep]
    _note_gaps(frame, gaps[keep], bundle, report)
    _note_fractions(frame, bundle, report)
    if not _scores(bundle, frame.iloc[:5]):
        raise _Refused(
            "The model could not score the rows in this file. Check that each column holds the same kind of values "
            "as the model's own data."
        )
    ids = _ids(table, keep, lines, bundle, report)
    if not keep.all() or table.skipped:
        report.notes.append(
            f"Explaining {int(keep.sum()):,} of {len(keep) + table.skipped:,} rows; the others were left out "
            "because of the problems listed."
        )
    return Upload(frame, ids, _ordered(report.problems), report.notes)


def _is_missing(texts: pd.Series) -> np.ndarray:
    return np.asarray(texts.str.casefold().isin(MISSING_TOKENS), dtype=bool)


def _texts(raw: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """The values as stripped text, and where they are missing (NaN, None, blank or a missing-value token)."""
    absent = np.asarray(raw.isna(), dtype=bool)
    texts = raw.astype(object).where(~absent, "").astype(str).str.strip()
    return texts, absent | _is_missing(texts)


def _numbers(raw: pd.Series, column: str, report: _Report) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    if pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype):
        numbers = pd.Series(raw.to_numpy(dtype=float, na_value=np.nan))
        missing = np.asarray(numbers.isna(), dtype=bool)
        failed = np.isinf(np.asarray(numbers))
        return numbers.where(~failed), missing, failed
    texts, missing = _texts(raw)
    numbers = pd.to_numeric(texts.where(~missing), errors="coerce").astype(float)
    failed = np.asarray(numbers.isna(), dtype=bool) & ~missing
    if failed.any():
        # A semicolon-separated export from a European spreadsheet writes 70,5 for 70.5.
        strange = texts[failed]
        if (
            strange.str.fullmatch(_DECIMAL_COMMA.pattern).all()
            and not texts[~missing].str.contains(".", regex=False).any()
        ):
            numbers = pd.to_numeric(texts.where(~missing).str.replace(",", ".", regex=False), errors="coerce")
            numbers = numbers.astype(float)
            failed = np.asarray(numbers.isna(), dtype=bool) & ~missing
            report.notes.append(
                f"{column} uses decimal commas (such as {_clean(str(strange.iloc[0]))}); they were read as decimal "
                "points."
            )
    failed |= np.isinf(np.asarray(numbers, dtype=float))
    return numbers.where(~failed), missing, failed


def _booleans(raw: pd.Series) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    texts, missing = _texts(raw)
    mapped = texts.str.casefold().map(_BOOL_WORDS)
    failed = np.asarray(mapped.isna(), dtype=bool) & ~missing
    return mapped.where(~failed & ~missing), missing, failed


def _categories(
    raw: pd.Series, reference: pd.Series, column: str, report: _Report
) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Uploaded values mapped onto the reference's own values; those it never holds stay as text (unseen)."""
    known = pd.unique(reference.dropna())
    exact: dict[str, Any] = {}
    for value in known:
        exact.setdefault(str(value).strip(), value)
    folded: dict[str, list[Any]] = {}
    for text, value in exact.items():
        folded.setdefault(text.casefold(), []).append(value)
    absent = np.asarray(raw.isna(), dtype=bool)
    texts = raw.astype(object).where(~absent, "").astype(str).str.strip()
    tokens = texts.str.casefold()
    missing = absent | np.asarray(tokens.isin(MISSING_TOKENS) & ~tokens.isin(folded), dtype=bool)

    lookup: dict[str, Any] = {}
    fixed: list[str] = []
    for text in pd.unique(texts[~missing]):
        if text in exact:
            lookup[text] = exact[text]
        elif len(folded.get(text.casefold(), [])) == 1:
            lookup[text] = folded[text.casefold()][0]
            fixed.append(f"'{_clean(text)}' as '{_clean(str(lookup[text]))}'")
    if fixed:
        report.notes.append(
            f"{column}: matched values that differ only in capitals to the model's: {_listed(fixed, 3)}."
        )
    mapped = texts.map(lookup)
    unseen = np.asarray(mapped.isna(), dtype=bool) & ~missing
    values = pd.Series(np.where(unseen, texts, mapped), dtype=object).where(~missing, np.nan)
    return values, missing, unseen


def _cast(frame: pd.DataFrame, bundle: Bundle) -> pd.DataFrame:
    """Each column in ``bundle.X``'s dtype; a whole-number column with gaps or fractions stays float64."""
    out = {}
    for column in bundle.features:
        dtype = bundle.X[column].dtype
        values = frame[column]
        if pd.api.types.is_bool_dtype(dtype):
            out[column] = values.astype(dtype) if values.notna().all() else values.astype(float)
        elif pd.api.types.is_numeric_dtype(dtype):
            numbers = np.asarray(values, dtype=float)
            out[column] = pd.Series(numbers, index=frame.index)
            if pd.api.types.is_integer_dtype(dtype):
                whole = np.isfinite(numbers).all() and bool((numbers == np.round(numbers)).all())
                if whole and bool((np.abs(numbers) < 2**53).all()):
                    out[column] = out[column].astype(dtype)
                elif not isinstance(dtype, np.dtype):  # a nullable integer holds gaps, not fractions
                    try:
                        out[column] = out[column].astype(dtype)
                    except (TypeError, ValueError):
                        pass
            else:
                out[column] = out[column].astype(dtype)
        else:
            try:
                out[column] = values.astype(dtype)
            except (TypeError, ValueError):
                out[column] = values
    return pd.DataFrame(out, index=frame.index)


def _scores(bundle: Bundle, frame: pd.DataFrame) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            scores = bundle.predict(frame)
    except Exception:  # noqa: BLE001 - any failure means "cannot score these rows"; the caller says it plainly
        return False
    return len(scores) == len(frame)


def _sample(mask: np.ndarray) -> list[int]:
    return [int(i) for i in np.flatnonzero(mask)[:_TRIAL_ROWS]]


def _note_gaps(frame: pd.DataFrame, gaps: np.ndarray, bundle: Bundle, report: _Report) -> None:
    counts = {c: int(gaps[:, j].sum()) for j, c in enumerate(bundle.features) if gaps[:, j].any()}
    if not counts:
        return
    total = sum(counts.values())
    each = ", ".join(f"{c}: {n:,}" for c, n in sorted(counts.items(), key=lambda kv: -kv[1]))
    report.notes.append(
        f"{_count(total, 'value')} {'is' if total == 1 else 'are'} missing ({each}); the model fills such gaps the "
        "way it was trained to."
    )
    for column, n in counts.items():
        if n == len(frame) and len(frame) > 1:
            report.problems.append(
                Problem(
                    f"{column} is empty in every row; the model fills it in, so the explanations say nothing real "
                    "about it.",
                    column=column,
                )
            )


def _note_fractions(frame: pd.DataFrame, bundle: Bundle, report: _Report) -> None:
    for column in bundle.features:
        dtype = bundle.X[column].dtype
        if pd.api.types.is_integer_dtype(dtype) and not pd.api.types.is_integer_dtype(frame[column].dtype):
            numbers = np.asarray(frame[column], dtype=float)
            fractions = numbers[np.isfinite(numbers) & (numbers != np.round(numbers))]
            if len(fractions):
                report.notes.append(
                    f"{column} holds numbers with decimals (such as {fractions[0]:g}), where the model's own data "
                    "holds whole numbers."
                )


def _ids(table: _Table, keep: np.ndarray, lines: np.ndarray, bundle: Bundle, report: _Report) -> list[str]:
    word = table.word
    if table.id_values is None:
        return [f"{word} {n}" for n in lines]
    texts, _ = _texts(table.id_values)
    texts = texts[keep].reset_index(drop=True)
    absent = np.asarray(table.id_values.isna(), dtype=bool)[keep] | np.asarray(texts == "", dtype=bool)
    id_column = bundle.card.id_column
    ids = [f"{word} {n}" if gone else str(t) for t, gone, n in zip(texts, absent, lines, strict=True)]
    if absent.any():
        unnamed = [ids[i] for i in np.flatnonzero(absent)]
        one = len(unnamed) == 1
        report.notes.append(
            f"{_count(len(unnamed), 'row')} {'has' if one else 'have'} no {id_column}; "
            f"{'it is' if one else 'they are'} named by {word} ({_listed(unnamed, 3)})."
        )
    seen: set[str] = set()
    repeated: list[str] = []
    repeat_lines: list[int] = []
    for i, row_id in enumerate(ids):
        if row_id in seen:
            if row_id not in repeated:
                repeated.append(row_id)
            repeat_lines.append(int(lines[i]))
            ids[i] = f"{row_id} ({word} {lines[i]})"
        seen.add(ids[i])
    if repeated:
        example = next(i for i in ids if i.startswith(repeated[0] + " ("))
        report.problems.append(
            Problem(
                f"The {id_column} column repeats {_count(len(repeated), 'id')}: {_quoted(repeated)} "
                f"({_lines(word, repeat_lines)}). Every row is kept; a repeat is named like '{_clean(example)}'.",
                column=id_column,
                rows=tuple(repeat_lines),
            )
        )
    return ids


# --- words ---------------------------------------------------------------------------------------------------------


def _fold(name: str) -> str:
    return name.strip().strip("\ufeff").strip().casefold()


def _clean(text: str, limit: int = 40) -> str:
    """A value from the file, fit to quote in one line: control characters become spaces, long text is cut."""
    text = _CONTROL.sub(" ", str(text)).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _quoted(values: Any) -> str:
    values = list(values)
    shown = ", ".join(f"'{_clean(str(v))}'" for v in values[:_SHOWN_VALUES])
    return shown + (f" and {len(values) - _SHOWN_VALUES:,} more" if len(values) > _SHOWN_VALUES else "")


def _listed(items: list[str], limit: int) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit:,} more" if len(items) > limit else "")


def _lines(word: str, rows: Any, *, capital: bool = False) -> str:
    rows = [int(r) for r in rows]
    label = word if len(rows) == 1 else word + "s"
    label = label.capitalize() if capital else label
    return f"{label} {_listed([f'{r:,}' for r in rows], _SHOWN_LINES)}"


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def _has(rows: list[int]) -> str:
    return "has" if len(rows) == 1 else "have"


def _them(rows: list[int]) -> str:
    return "it was" if len(rows) == 1 else "they were"


def _those(rows: Any) -> str:
    return "that row was" if len(rows) == 1 else "those rows were"


def _size(n: int) -> str:
    if n >= 2**20:
        return f"{n / 2**20:,.1f} MB".replace(".0 MB", " MB")
    if n >= 2**10:
        return f"{n / 2**10:,.1f} KB".replace(".0 KB", " KB")
    return f"{n:,} bytes"


def _ordered(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: not p.fatal)
