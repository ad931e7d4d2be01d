"""A reader's session without a browser: Streamlit's own WebSocket protocol, as its frontend speaks it.

The fault tests use it to leave in the middle of a run, and the load bench (``bench/bench_load.py``) runs 25 of
them against one server. Chromium pages on the same 2-core machine would spend the CPU the server needs on drawing
(on a reader's own machine that work is theirs, not the server's), so the bench measures what the server does: a
page's time is from the request to run it until the server says the run finished, with every element sent.

Each run is the message a browser sends when the reader opens an address (``open``) or moves a slider (``move``;
the other widgets keep their values, as in a browser). What comes back is kept as text (headings, sentences,
alerts, exceptions) and the widgets by label, so a caller can check what the page said and move what it drew.
"""

from __future__ import annotations

import time
import urllib.request
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.sync.client import connect

_FINISHED = {
    ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY,
    ForwardMsg.ScriptFinishedStatus.FINISHED_WITH_COMPILE_ERROR,
}


@dataclass
class Widget:
    id: str
    kind: str  # the element's type: slider, selectbox, number_input, ...
    proto: Any


@dataclass
class Run:
    seconds: float = 0.0
    finished: bool = False
    texts: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # exceptions and error alerts, as the page showed them
    widgets: dict[str, Widget] = field(default_factory=dict)  # by label

    @property
    def text(self) -> str:
        return "\n".join(self.texts)


class Session:
    """One reader: an open WebSocket, a server-side session, the widgets the last page drew."""

    def __init__(self, base: str, *, timeout: float = 120.0) -> None:
        self.base, self.timeout = base.rstrip("/"), timeout
        # A browser first loads the page's HTML from the same server.
        with urllib.request.urlopen(self.base + "/", timeout=timeout) as response:
            response.read()
        self._open = ExitStack()
        self.socket = self._open.enter_context(
            connect(
                self.base.replace("http", "ws", 1) + "/_stcore/stream",
                subprotocols=["streamlit"],  # type: ignore[list-item]
                origin=self.base,  # type: ignore[arg-type]
                max_size=None,
                open_timeout=timeout,
            )
        )
        self.widgets: dict[str, Widget] = {}
        self._page, self._query = "", ""

    def open(self, page: str, query: str = "") -> Run:
        """The reader goes to ``/<page>?<query>``."""
        self._page, self._query = page, query
        return self._run([])

    def move(self, label: str, value: float) -> Run:
        """The reader moves the slider (or number box) labelled ``label`` on the current page to ``value``."""
        widget = self.widgets[label]
        state = WidgetState(id=widget.id)
        if widget.kind == "slider":
            state.double_array_value.data.append(float(value))
        else:
            state.double_value = float(value)
        return self._run([state])

    def leave_during(self, page: str, query: str = "") -> bool:
        """Ask for ``/<page>?<query>``, wait until the page has started drawing, then drop the connection without
        a goodbye (a closed laptop, a lost network). Whether the run was still going when the reader left."""
        self._page, self._query = page, query
        message = BackMsg()
        message.rerun_script.query_string, message.rerun_script.page_name = query, page
        self.socket.send(message.SerializeToString())
        while True:
            forward = ForwardMsg()
            forward.ParseFromString(self.socket.recv(timeout=self.timeout))
            kind = forward.WhichOneof("type")
            if kind == "script_finished":
                still_running = False
                break
            if kind == "delta":
                still_running = True
                break
        self.socket.socket.close()  # the TCP connection itself, with no WebSocket closing handshake
        self._open.close()
        return still_running

    def close(self) -> None:
        self._open.close()

    def _run(self, states: list[WidgetState]) -> Run:
        message = BackMsg()
        request = message.rerun_script
        request.query_string = self._query
        request.page_name = self._page
        request.widget_states.widgets.extend(states)
        run = Run()
        start = time.perf_counter()
        self.socket.send(message.SerializeToString())
        deadline = start + self.timeout
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                run.errors.append(f"no answer in {self.timeout:.0f} s")
                break
            try:
                data = self.socket.recv(timeout=remaining)
            except TimeoutError:
                continue
            forward = ForwardMsg()
            forward.ParseFromString(data)
            kind = forward.WhichOneof("type")
            if kind == "delta":
                self._element(forward.delta, run)
            elif kind == "script_finished" and forward.script_finished in _FINISHED:
                run.finished = True
                break
        run.seconds = time.perf_counter() - start
        self.widgets = run.widgets or self.widgets
        return run

    @staticmethod
    def _element(delta: Any, run: Run) -> None:
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        if kind is None:
            return
        body = getattr(element, kind)
        if kind == "exception":
            run.errors.append(f"{body.type}: {body.message}")
        elif kind == "alert":
            run.texts.append(body.body)
            if body.format == body.Format.ERROR:
                run.errors.append(body.body)
        elif kind in ("markdown", "heading", "text", "caption"):
            run.texts.append(body.body)
        elif kind in ("slider", "number_input", "selectbox", "radio", "button", "text_input"):
            run.widgets[body.label] = Widget(body.id, kind, body)
            run.texts.append(body.label)
