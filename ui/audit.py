"""The audit trail: who opened which model and customer, and who exported what, as JSON lines (issue 17).

One line per event, UTC time first::

    {"time": "2026-12-02T06:40:12.345Z", "event": "open", "user": "alice@acme.com", "model": "churn-demo",
     "page": "customer", "customer": "8030-TERHH"}

The file is ``PLAINSIGHT_AUDIT_FILE`` (default ``~/.local/state/plainsight/audit.jsonl``); it rotates at
``PLAINSIGHT_AUDIT_BYTES`` (10 MB) and keeps five old files (``audit.jsonl.1`` … ``.5``), the standard library's
RotatingFileHandler doing the rotation under a lock. Nothing about a customer is written but their id: no values,
no chances, no reasons. Without sign-in the user is "local" (one person on their own machine).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import threading
from logging.handlers import RotatingFileHandler
from pathlib import Path

AUDIT_FILE_ENV, AUDIT_BYTES_ENV = "PLAINSIGHT_AUDIT_FILE", "PLAINSIGHT_AUDIT_BYTES"
DEFAULT_FILE = Path("~/.local/state/plainsight/audit.jsonl")
DEFAULT_BYTES = 10 * 2**20
BACKUPS = 5
FIELDS = ("model", "page", "customer", "export", "format", "group", "outcome")  # the only fields ever written
log = logging.getLogger(__name__)
_lock = threading.Lock()
_handlers: dict[tuple[str, int], RotatingFileHandler] = {}


def audit_file() -> Path:
    """Where the trail is written."""
    configured = os.environ.get(AUDIT_FILE_ENV, "").strip()
    return Path(configured).expanduser() if configured else DEFAULT_FILE.expanduser()


def _handler() -> RotatingFileHandler:
    path = audit_file()
    try:
        size = int(os.environ.get(AUDIT_BYTES_ENV, "") or DEFAULT_BYTES)
    except ValueError:
        size = DEFAULT_BYTES
    key = (str(path), size)
    with _lock:
        if key not in _handlers:  # one handler per file: its lock keeps lines whole across sessions' threads
            path.parent.mkdir(parents=True, exist_ok=True)
            _handlers[key] = RotatingFileHandler(path, maxBytes=size, backupCount=BACKUPS, encoding="utf-8")
        return _handlers[key]


def record(event: str, user: str, **fields: str | None) -> None:
    """Write one event. Only the fields in :data:`FIELDS` are kept; a trail that cannot be written is logged,
    never shown to the reader as a failure of the page they asked for."""
    line = {"time": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")}
    line |= {"event": event, "user": user}
    line |= {name: str(value) for name, value in fields.items() if name in FIELDS and value is not None}
    record_ = logging.LogRecord("plainsight.audit", logging.INFO, __file__, 0, json.dumps(line), None, None)
    try:
        _handler().handle(record_)
    except OSError as exc:
        log.error("the audit trail could not be written to %s: %s", audit_file(), exc)


def reader() -> str:
    """Who is reading: the email they signed in with, or "local" when sign-in is off."""
    from ui import signin

    if not signin.signed_in():
        return "local"
    return signin.signed_in_email() or "signed-in reader without an email"


_OPENED_KEY = "_plainsight_audit_opened"


def opened(page: str, **fields: str | None) -> None:
    """Record a page opened on a model (and customer), once per change: a rerun of the same view (a slider moved,
    a chart drawn) is not a new look."""
    import streamlit as st

    seen = (page, tuple(sorted((k, v) for k, v in fields.items() if v is not None)))
    if st.session_state.get(_OPENED_KEY) == seen:
        return
    st.session_state[_OPENED_KEY] = seen
    record("open", reader(), page=page, **fields)


def exported(what: str, suffix: str, *, user: str | None = None, **fields: str | None) -> None:
    """Record a file built for download. A file built by a download button's callback, outside the page's run,
    passes the ``user`` read (:func:`reader`) while the page ran."""
    record("export", user or reader(), export=what, format=suffix, **fields)
