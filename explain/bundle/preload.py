"""Bundles loaded before a server takes requests, so the first reader after a restart does not wait for them.

Reading a million-row bundle (its data, its outputs from the cache) takes a couple of seconds; ``ui/serve.py`` does
it once at start, and the app's own cache takes each bundle from here the first time it is asked for, while its
files are unchanged (their stamp: names, sizes and modification times).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from pathlib import Path

from explain.bundle.bundle import Bundle
from explain.bundle.load import MODEL_FILES, load_bundle

log = logging.getLogger(__name__)

Stamp = tuple[tuple[str, float, int], ...]
MAX_PRELOADED = 8  # as many as the app keeps loaded at once
_ready: dict[tuple[str, Stamp], Bundle] = {}
_lock = threading.Lock()


def stamp(path: Path) -> Stamp:
    """What changes when a bundle's files change: their names, modification times and sizes."""
    files = [path / f for f in (*MODEL_FILES, "data.csv", "data.parquet", "card.yaml")]
    return tuple((f.name, f.stat().st_mtime, f.stat().st_size) for f in files if f.exists())


def preload(paths: Iterable[Path]) -> list[str]:
    """Load these bundles now, with every row's output when the cache holds it (after a restart); the names
    loaded. Nothing is worked out here, so a server on an empty cache answers as soon as before. A bundle that
    cannot be loaded is only logged: the page that opens it will say what is wrong."""
    loaded = []
    for path in list(paths)[:MAX_PRELOADED]:
        try:
            bundle = load_bundle(path)
            bundle.read_kept_outputs()
        except Exception as exc:  # noqa: BLE001 - never stops the server; the page says it in plain words
            log.warning("could not load %s before start (%s); it is loaded when a page asks for it", path, exc)
            continue
        with _lock:
            _ready[(str(path), stamp(path))] = bundle
        loaded.append(bundle.name)
    return loaded


def take(path: str, current: Stamp) -> Bundle | None:
    """The bundle preloaded from ``path`` when its files are still as they were (once: the caller keeps it)."""
    with _lock:
        return _ready.pop((path, current), None)
