"""Newer data to compare with the model's reference data: a bundle's ``current.parquet`` or ``current.csv``, a file
named on the command line, or one uploaded on the page.

It is read through the same checks as any upload (:func:`~explain.upload.read_upload`): the model's columns typed
like ``bundle.X``, bad rows left out with a plain problem naming their lines. Unlike an upload to explain, the
card's target column is kept when the file holds it (``Upload.outcome``): with it, the model's quality on the newer
data can be set beside its quality on the reference data.
"""

from __future__ import annotations

from pathlib import Path

from explain.bundle.bundle import Bundle
from explain.errors import PlainsightError
from explain.upload import Upload, read_upload

CURRENT_FILES = ("current.parquet", "current.csv")
# Larger than an upload's limits: newer data is compared as a whole (counts and shares), never shown row by row.
MAX_ROWS = 2_000_000
MAX_BYTES = 1024 * 2**20


class NoCurrentData(PlainsightError):
    """The bundle holds no newer data and none was given."""


def current_file(folder: Path) -> Path | None:
    """The bundle folder's newer data file (``current.parquet`` first, then ``current.csv``), or None."""
    for name in CURRENT_FILES:
        if (folder / name).is_file():
            return folder / name
    return None


def read_current(data: bytes, name: str, bundle: Bundle, *, max_rows: int = MAX_ROWS) -> Upload:
    """Read the bytes of a newer data file against the model, keeping the outcome column when there is one.

    Never raises for bad input: what is wrong is in ``problems`` (see :func:`~explain.upload.read_upload`).
    """
    return read_upload(data, name, bundle, max_rows=max_rows, max_bytes=MAX_BYTES, outcome=True)


def load_current(bundle: Bundle, path: Path | None = None) -> tuple[Upload, str]:
    """The newer data at ``path``, or the bundle's own ``current.*`` file, read and checked; with its file name.

    Raises
    ------
    NoCurrentData
        When no path is given and the bundle folder holds no ``current.parquet`` or ``current.csv``.
    PlainsightError
        When the file cannot be read, or a problem leaves no rows to compare (the message names it).
    """
    if path is None:
        path = current_file(bundle.path)
        if path is None:
            raise NoCurrentData(
                f"{bundle.name} has no newer data to compare with. Put a current.csv or current.parquet file with "
                "the same columns beside its data file, or name one with --data."
            )
    path = path.expanduser()
    if not path.is_file():
        raise PlainsightError(f"There is no file {path}.")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PlainsightError(f"{path} could not be read ({exc.strerror or exc}).") from None
    upload = read_current(data, path.name, bundle)
    if not upload.ok:
        fatal = next((p.message for p in upload.problems if p.fatal), "The file could not be read.")
        raise PlainsightError(f"{path.name} could not be compared with the model's data: {fatal}")
    return upload, path.name
