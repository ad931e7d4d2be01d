"""``python -m ui.serve [streamlit options]``: the app's server, with the engine imported before it listens.

``streamlit run`` imports a page's modules when the first reader opens it: scikit-learn, pandas, plotly and the
engine took about 2.7 s on a 2-core machine, added to the first page after every start. Importing them here,
before the server takes requests, moves that wait out of the reader's way (``make run`` serves this way).
"""

from __future__ import annotations

import sys
from pathlib import Path

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


def main(argv: list[str] | None = None) -> int:
    import importlib

    for name in PRELOAD:
        importlib.import_module(name)
    # The bundles too, with every row's output (from the cache after a restart): a million-row bundle took two
    # seconds of the first overview after every start.
    from explain.bundle.load import list_bundles
    from explain.bundle.preload import preload

    preload(list_bundles().values())
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(APP), *(sys.argv[1:] if argv is None else argv)]
    return int(cli.main(prog_name="streamlit") or 0)


if __name__ == "__main__":
    raise SystemExit(main())
