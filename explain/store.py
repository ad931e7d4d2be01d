"""What is expensive about a bundle, kept on disk so that a restarted server (or the next CLI run) reads it back.

An entry is one ``.npz`` file of plain arrays and a JSON header, never a pickle: reading the cache runs no code.
Its name is a digest of what it holds (``kind``), the bundle's fingerprint (which changes with the model, the data
or the card) and the versions that made it (Python, the numeric and model libraries, and this engine's own
source), so a changed input or an upgraded library is a miss, never a stale answer.

- Written atomically (a temporary file in the same folder, then ``os.replace``): a reader sees a whole entry
  or none, so several server processes can share one folder. While one process works an entry out, the others
  wait on its lock and then read what it wrote, instead of working it out again.
- A damaged entry (cut short, changed on disk, or not what its name says) is deleted and worked out again.
- Bounded: after each write the least recently used entries are removed until the folder fits.

Configured by ``PLAINSIGHT_CACHE_DIR`` (default: the user's cache folder, e.g. ``~/.cache/plainsight``; ``off``
keeps nothing) and ``PLAINSIGHT_CACHE_MAX_MB`` (default 2048).
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import platform
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

try:  # file locks where the platform has them (not on Windows: there, two processes may both do the work)
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

FORMAT = 1  # bump when what an entry holds changes shape
DEFAULT_MAX_MB = 2048
SUFFIX = ".npz"
# The libraries whose versions can change a number an entry holds.
LIBRARIES = ("numpy", "pandas", "scikit-learn", "scipy", "xgboost", "lightgbm", "catboost", "shap", "lime")
_HEADER = "__header__"
ABANDONED_S = 3600  # a temporary file this old was left by a writer that died


@dataclass(frozen=True)
class Entry:
    """What an entry holds: named arrays and a JSON-able header."""

    arrays: dict[str, np.ndarray]
    header: dict[str, Any]


def cache_folder() -> Path | None:
    """The configured cache folder, or None when caching is off."""
    configured = os.environ.get("PLAINSIGHT_CACHE_DIR", "").strip()
    if configured.lower() == "off":
        return None
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or str(Path.home() / ".cache")
    return Path(base) / "plainsight"


def max_bytes() -> int:
    configured = os.environ.get("PLAINSIGHT_CACHE_MAX_MB", "").strip()
    try:
        megabytes = float(configured) if configured else DEFAULT_MAX_MB
    except ValueError:
        log.warning("PLAINSIGHT_CACHE_MAX_MB=%r is not a number; using %s MB", configured, DEFAULT_MAX_MB)
        megabytes = DEFAULT_MAX_MB
    return int(megabytes * 1024 * 1024)


@cache
def versions() -> str:
    """A digest of everything that made an entry: Python, the libraries and this engine's own source files."""
    digest = hashlib.sha256(f"format {FORMAT}; python {platform.python_version()}".encode())
    for name in LIBRARIES:
        try:
            digest.update(f"{name} {metadata.version(name)};".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name} -;".encode())
    engine = Path(__file__).resolve().parent
    for source in sorted(engine.rglob("*.py")):
        digest.update(source.relative_to(engine).as_posix().encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()


def entry_name(kind: str, fingerprint: str) -> str:
    """The file name of an entry: readable kind, then a digest of kind, fingerprint and versions."""
    digest = hashlib.sha256(f"{kind}\0{fingerprint}\0{versions()}".encode()).hexdigest()[:32]
    return f"{kind}-{digest}{SUFFIX}"


class Store:
    """One cache folder: read, write (atomically), lock and bound its entries."""

    def __init__(self, folder: Path, limit: int | None = None) -> None:
        self.folder = folder
        self.limit = max_bytes() if limit is None else limit

    def path(self, kind: str, fingerprint: str) -> Path:
        return self.folder / entry_name(kind, fingerprint)

    def read(self, kind: str, fingerprint: str) -> Entry | None:
        """The entry, or None when there is none; a damaged one is deleted (and so worked out again)."""
        path = self.path(kind, fingerprint)
        try:
            # Our own file handle: numpy leaves its own open when the file is not an archive at all.
            with open(path, "rb") as handle, np.load(handle, allow_pickle=False) as npz:  # a pickle is refused
                arrays = {name: npz[name] for name in npz.files}
            header = json.loads(str(arrays.pop(_HEADER)))
            if header.get("name") != path.name:
                raise ValueError(f"it holds {header.get('name')!r}")
        except FileNotFoundError:
            return None
        except Exception as exc:  # noqa: BLE001 - whatever is wrong with the file, it is rebuilt
            self.discard(path, f"{type(exc).__name__}: {exc}")
            return None
        self._used(path)
        return Entry(arrays, header)

    @staticmethod
    def _used(path: Path) -> None:
        """Mark the entry as used now: the bound removes the least recently used first."""
        try:
            os.utime(path)
        except OSError:  # gone, or a read-only cache (one shipped with an image): still usable
            pass

    def discard(self, path: Path, why: str) -> None:
        log.warning("cache entry %s is damaged (%s); it is removed and worked out again", path.name, why)
        try:
            path.unlink(missing_ok=True)
        except OSError:  # a read-only cache: the entry stays, and the value is worked out in memory
            pass

    def write(self, kind: str, fingerprint: str, entry: Entry) -> Path | None:
        """Write the entry atomically and bound the folder; None when it could not be written (said in the log)."""
        path = self.path(kind, fingerprint)
        buffer = io.BytesIO()
        header = json.dumps({**entry.header, "name": path.name, "written": time.time()})
        arrays: dict[str, Any] = {**entry.arrays, _HEADER: np.array(header)}
        try:
            np.savez(buffer, allow_pickle=False, **arrays)
        except ValueError as exc:  # an array of Python objects: it would need a pickle, which is never kept
            log.warning("cache entry %s not kept: %s", path.name, exc)
            return None
        size = buffer.getbuffer().nbytes
        if size > self.limit:
            log.warning("cache entry %s (%d MB) is larger than the cache's bound; not kept", path.name, size >> 20)
            return None
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".writing-", suffix=SUFFIX)
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(buffer.getbuffer())
                    out.flush()
                    os.fsync(out.fileno())
                os.replace(temporary, path)
            finally:
                Path(temporary).unlink(missing_ok=True)
        except OSError as exc:
            log.warning("could not write the cache entry %s in %s: %s", path.name, self.folder, exc)
            return None
        self.bound(keep=path)
        return path

    def bound(self, keep: Path | None = None) -> None:
        """Remove the least recently used entries until the folder's entries fit its bound."""
        entries = []
        for path in self.folder.glob(f"*{SUFFIX}"):
            try:
                stat = path.stat()
            except FileNotFoundError:  # another process removed it meanwhile
                continue
            if path.name.startswith(".writing-"):
                if stat.st_mtime < time.time() - ABANDONED_S:  # a writer that died half-way
                    path.unlink(missing_ok=True)
                continue
            entries.append((stat.st_mtime, stat.st_size, path))
        total = sum(size for _, size, _ in entries)
        for _, size, path in sorted(entries, key=lambda e: e[0]):
            if total <= self.limit:
                break
            if path == keep:
                continue
            path.unlink(missing_ok=True)
            total -= size
            log.info("cache entry %s removed to keep the cache within %d MB", path.name, self.limit >> 20)

    @contextmanager
    def lock(self, kind: str, fingerprint: str) -> Iterator[None]:
        """Hold the entry's lock: one process (or thread) works it out while the others wait."""
        if fcntl is None:
            yield
            return
        locks = self.folder / "locks"
        try:
            locks.mkdir(parents=True, exist_ok=True, mode=0o700)
            handle = open(locks / self.path(kind, fingerprint).with_suffix(".lock").name, "a")  # noqa: SIM115
        except OSError:  # an unwritable folder: work without the lock (and without the cache)
            yield
            return
        with handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


def store() -> Store | None:
    """The configured store, or None when caching is off."""
    folder = cache_folder()
    return None if folder is None else Store(folder)


def kept(
    kind: str,
    fingerprint: str,
    make: Callable[[], Any],
    encode: Callable[[Any], Entry],
    decode: Callable[[Entry], Any],
    *,
    what: str,
) -> Any:
    """The value from the cache when it holds it, else ``make()`` saved for next time.

    ``decode`` raises (any exception) when an entry does not fit the bundle; such an entry is treated as damaged.
    ``what`` names the value in the log ("every row's explanation of churn-demo").
    """
    folder = store()
    if folder is None:
        return make()
    found = _read(folder, kind, fingerprint, decode, what)
    if found is not None:
        return found[0]
    with folder.lock(kind, fingerprint):
        found = _read(folder, kind, fingerprint, decode, what)  # another process may have made it meanwhile
        if found is not None:
            return found[0]
        start = time.perf_counter()
        value = make()
        made = time.perf_counter() - start
        path = folder.write(kind, fingerprint, encode(value))
        log.info("worked out %s in %.2f s%s", what, made, f"; kept in {path}" if path else "")
        return value


def peek(kind: str, fingerprint: str, decode: Callable[[Entry], Any], *, what: str) -> Any | None:
    """The value when the cache holds it, else None (nothing is worked out)."""
    folder = store()
    found = None if folder is None else _read(folder, kind, fingerprint, decode, what)
    return None if found is None else found[0]


def _read(folder: Store, kind: str, fingerprint: str, decode: Callable[[Entry], Any], what: str) -> tuple[Any] | None:
    start = time.perf_counter()
    entry = folder.read(kind, fingerprint)
    if entry is None:
        return None
    try:
        value = decode(entry)
    except Exception as exc:  # noqa: BLE001 - an entry that does not fit is rebuilt, whatever is wrong with it
        folder.discard(folder.path(kind, fingerprint), f"{type(exc).__name__}: {exc}")
        return None
    log.info("read %s from the cache in %.2f s", what, time.perf_counter() - start)
    return (value,)
