"""``python -m ui.serve [streamlit options]``: the app's server, with the engine imported before it listens.

``streamlit run`` imports a page's modules when the first reader opens it: scikit-learn, pandas, plotly and the
engine took about 2.7 s on a 2-core machine, added to the first page after every start. Importing them here,
before the server takes requests, moves that wait out of the reader's way (``make run`` serves this way).

It also readies the server for many readers at once: two malloc arenas instead of one per thread, and what was
loaded before the first reader frozen out of Python's collector (both measured in bench/bench_load.py).
"""

from __future__ import annotations

import ctypes
import gc
import os
import sys
from pathlib import Path

M_ARENA_MAX = -8  # glibc's mallopt parameter (malloc.h)
APP = Path(__file__).resolve().parent.parent / "streamlit_app.py"

# The engine and the libraries the pages use (their imports are the slow part). Not the ui/ modules: their
# Streamlit caches must be made once the server's runtime exists, or they fall back to a cache of their own.
PRELOAD = (
    "explain.reports",
    "explain.reports.customers",
    "explain.figures.business",
    "explain.figures.explanation",
    "explain.figures.model",
    "explain.figures.quality",
    "explain.export.excel",
    "explain.export.files",
    "explain.export.layout",
    "explain.export.table",
    "explain.upload",
    "streamlit.elements.plotly_chart",
)


def _few_malloc_arenas() -> None:
    """Two malloc arenas, not glibc's eight per core: each Streamlit session runs its pages in a thread of its own,
    and memory a thread frees in its own arena is kept by the process. After 25 readers at once the server stayed
    16% above its level before them; with two arenas, 4% (bench/bench_load.py). Same as MALLOC_ARENA_MAX=2."""
    if os.environ.get("MALLOC_ARENA_MAX"):
        return  # the operator chose
    try:
        ctypes.CDLL("libc.so.6").mallopt(M_ARENA_MAX, 2)
    except (OSError, AttributeError):
        pass  # not glibc (macOS, musl): their allocators do not keep per-thread arenas this way


def main(argv: list[str] | None = None) -> int:
    import importlib

    _few_malloc_arenas()

    for name in PRELOAD:
        importlib.import_module(name)
    # The bundles too, with every row's output (from the cache after a restart): a million-row bundle took two
    # seconds of the first overview after every start.
    from explain.bundle.load import list_bundles
    from explain.bundle.preload import preload

    preload(list_bundles().values())
    # What is loaded now lives as long as the server. Frozen, Python's collector stops walking those objects
    # (about 200,000) in every full collection: a full collection then costs a few milliseconds, not 150. One
    # dropped later (a bundle whose files changed) is still freed when nothing refers to it; only a cycle of
    # frozen objects would stay.
    gc.collect()
    gc.freeze()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(APP), *(sys.argv[1:] if argv is None else argv)]
    return int(cli.main(prog_name="streamlit") or 0)


if __name__ == "__main__":
    raise SystemExit(main())
