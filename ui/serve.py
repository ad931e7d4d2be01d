"""``python -m ui.serve [streamlit options]``: the app's server, with the engine imported before it listens.

``streamlit run`` imports a page's modules when the first reader opens it: scikit-learn, pandas, plotly and the
engine took about 2.7 s on a 2-core machine, added to the first page after every start. Importing them here,
before the server takes requests, moves that wait out of the reader's way (``make run`` serves this way).
"""

from __future__ import annotations

import sys
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "streamlit_app.py"

# Every module a page needs: the frame's, the pages' own and the engine's (imported by these).
PRELOAD = (
    "ui.cache",
    "ui.context",
    "ui.controls",
    "ui.export",
    "ui.listing",
    "ui.picker",
    "ui.quality",
    "ui.render",
    "ui.story",
    "ui.whatif",
    "explain.figures.business",
    "explain.figures.model",
    "explain.reports.customers",
    "explain.upload",
    "streamlit.elements.plotly_chart",
)


def main(argv: list[str] | None = None) -> int:
    import importlib

    for name in PRELOAD:
        importlib.import_module(name)
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(APP), *(sys.argv[1:] if argv is None else argv)]
    return int(cli.main(prog_name="streamlit") or 0)


if __name__ == "__main__":
    raise SystemExit(main())
