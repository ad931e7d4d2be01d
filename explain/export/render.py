"""Plotly figures to PNG with Kaleido, keeping one browser warm so repeated exports are fast.

Kaleido drives a Chrome or Chromium it finds on the machine. Starting it costs about two seconds, so the first
picture starts a process-wide Kaleido server and later pictures reuse it (about 0.2 s each). Kaleido's server is
one shared object, so calls into it are serialised with a lock; Streamlit runs each session in its own thread.
"""

from __future__ import annotations

import atexit
import logging
import re
import shutil
import threading
from typing import Any

import plotly.graph_objects as go

from explain.errors import PlainsightError

log = logging.getLogger(__name__)

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
NO_BROWSER = (
    "Pictures of charts need Chrome or Chromium, and none was found on this machine. Install one "
    "(Debian or Ubuntu: apt-get install chromium; or run plotly_get_chrome), then try again. "
    "Everything else in Plainsight works without it."
)

BROWSER_STOPPED = "The browser that draws the charts stopped while drawing this one. Try again: a fresh one starts."
# choreographer's errors when the browser's pipe closes under a call (ChannelClosedError, BrowserClosedError)
_STOPPED = re.compile(r"Closed|Channel")

_lock = threading.Lock()
_started = False


class RenderError(PlainsightError):
    """A chart could not be turned into a picture (no browser, or the browser failed)."""


def browser_found() -> bool:
    """Whether a Chrome or Chromium is on PATH (Kaleido may also find one it downloaded itself)."""
    return any(shutil.which(name) for name in BROWSERS) or _kaleido_has_chrome()


def _kaleido_has_chrome() -> bool:
    try:
        from choreographer.utils import get_browser_path  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except ImportError:
        return False
    try:
        return bool(get_browser_path(["chrome", "chromium"]))
    except Exception:  # noqa: BLE001 - any failure to look means "not found"
        return False


def _start() -> None:
    global _started
    if _started:
        return
    import kaleido

    kaleido.start_sync_server(silence_warnings=True)
    atexit.register(_stop)
    _started = True


def _stop() -> None:
    global _started
    if not _started:
        return
    try:
        import kaleido

        kaleido.stop_sync_server(silence_warnings=True)
    except Exception:  # noqa: BLE001 - shutting down; nothing to tell anyone
        log.debug("kaleido server did not stop cleanly", exc_info=True)
    _started = False


def render_png(figure: go.Figure, width: int, height: int, *, scale: float = 1.0) -> bytes:
    """The figure as PNG bytes of ``width * scale`` by ``height * scale`` pixels.

    Raises
    ------
    RenderError
        With a plain message saying how to get a browser, when none can be found or it fails.
    """
    if not browser_found():
        raise RenderError(NO_BROWSER)
    options: dict[str, Any] = {"format": "png", "width": int(width), "height": int(height), "scale": scale}
    with _lock:
        try:
            import kaleido

            _start()
            data = kaleido.calc_fig_sync(figure, opts=options)
        except Exception as exc:  # noqa: BLE001 - kaleido and its browser raise many kinds; say it in one line
            _stop()  # a broken browser is not reused; the next picture starts a fresh one
            if _STOPPED.search(type(exc).__name__):  # it was running, and died or was killed mid-picture
                raise RenderError(BROWSER_STOPPED) from None
            if "chrome" in type(exc).__name__.lower() or "browser" in str(exc).lower():
                raise RenderError(NO_BROWSER) from None
            raise RenderError(f"The chart could not be drawn as a picture ({type(exc).__name__}: {exc}).") from None
    if not isinstance(data, bytes | bytearray):
        raise RenderError("The chart could not be drawn as a picture (the browser returned nothing).")
    return bytes(data)
