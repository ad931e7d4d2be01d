"""Operator switches for the server process: the engine's log lines, and a profile of every page run.

``PLAINSIGHT_PROFILE=FOLDER`` writes a pyinstrument profile (text) of each full page run to FOLDER, named by the
time and the page: where a page's time goes, measured in the real server (``bench/profile_pages.py`` reads them).
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_running = threading.local()


def engine_log() -> None:
    """Send the engine's log lines (what it worked out, what it read from the cache) to the server's log, once."""
    engine = logging.getLogger("explain")
    if not engine.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s plainsight: %(message)s"))
        engine.addHandler(handler)
        engine.setLevel(logging.INFO)


@contextmanager
def profiled(page: str) -> Iterator[None]:
    """Profile the run inside when PLAINSIGHT_PROFILE names a folder; otherwise do nothing."""
    folder = os.environ.get("PLAINSIGHT_PROFILE", "").strip()
    if not folder or getattr(_running, "active", False):  # off, or inside a run already profiled
        yield
        return
    from pyinstrument import Profiler  # a development tool: imported only when asked for

    profiler = Profiler(interval=0.001)
    profiler.start()
    _running.active = True
    try:
        yield
    finally:
        _running.active = False
        profiler.stop()
        name = re.sub(r"[^A-Za-z0-9_-]+", "-", page or "home")
        path = Path(folder) / f"{time.time():.3f}-{name}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(profiler.output_text(unicode=True, show_all=False))
