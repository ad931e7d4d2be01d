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

import logging

from explain.bundle import Bundle
from explain.upload import reading, values
from explain.upload.findings import Problem, Upload, _Refused, _Report
from explain.upload.values import MISSING_TOKENS

__all__ = ["MISSING_TOKENS", "Problem", "Upload", "read_upload"]

log = logging.getLogger(__name__)


def read_upload(
    data: bytes,
    name: str,
    bundle: Bundle,
    *,
    max_rows: int = 100_000,
    max_bytes: int = 50 * 2**20,
    outcome: bool = False,
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
    outcome : bool, default False
        Keep the card's target column as read (``Upload.outcome``), for checking the model against newer data;
        otherwise it is dropped with a note, like any column the model does not use.

    Returns
    -------
    Upload
        Never raises for bad input: what is wrong is in ``problems``.
    """
    report = _Report()
    try:
        table = reading._read_table(
            bytes(data), name, bundle, max_rows=max_rows, max_bytes=max_bytes, report=report, outcome=outcome
        )
        return values._typed(table, bundle, report)
    except _Refused as refused:
        report.problems.append(refused.problem)
        return report.fatal()
    except Exception:  # noqa: BLE001 - the promise is "never raises"; the operator's log keeps the details
        log.exception("reading the uploaded file %r failed", name)
        report.problems.append(Problem("The file could not be read.", fatal=True))
        return report.fatal()
