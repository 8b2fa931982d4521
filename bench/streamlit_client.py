"""A small client of Streamlit's own websocket protocol, for load tests: one `AppSession` is one
browser tab as the server sees it, at a fraction of a browser's cost, so a benchmark measures the
server and not twenty Chromiums fighting it for the cores.

    async with AppSession("http://127.0.0.1:8501", query_string="rec=X") as tab:
        await tab.fill("User name", "ada")           # a widget inside a form: sent with the submit
        await tab.submit("Sign in")                  # form submit button: one rerun, waits for it
        await tab.toggle("Only records dated at least to the month", True)
        print(tab.markdown_containing("incidents in view"))

What the browser does, and so does this (streamlit 1.67, frontend/app's connection and widget
state manager): connect to /_stcore/stream (subprotocol "streamlit"), send a BackMsg
`rerun_script` with a ClientState (query string, page script hash, every widget value the tab
holds), read ForwardMsgs one per binary frame. `new_session` starts a script run (it names the
page that runs); `delta`s place elements at a `delta_path`; `page_info_changed` carries the
query string the script wrote; `script_finished` ends the run. At the end of a whole run,
elements not sent again are gone, and so are the values of widgets no longer on the page.
Button clicks are trigger values sent once; widgets inside a form are sent with its submit.

Not done, unlike a browser: running components' JavaScript (the folium map never reports its
bounds back, so that extra rerun a browser makes is not made), fetching static files and images.
"""
from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

WIDGETS = ("button", "text_input", "text_area", "checkbox", "number_input")
FINISHED = ForwardMsg.ScriptFinishedStatus
WHOLE_RUN_ENDS = {FINISHED.FINISHED_SUCCESSFULLY, FINISHED.FINISHED_WITH_COMPILE_ERROR}


class ProtocolError(RuntimeError):
    """The app did not answer as a browser would expect (no such widget, no run in time)."""


@dataclass
class Run:
    """One script run as the client saw it."""
    started: float
    elements: dict = field(default_factory=dict)    # delta_path -> Element proto


class AppSession:
    def __init__(self, app_url: str, query_string: str = "", timeout: float = 120.0):
        self.stream_url = app_url.replace("http://", "ws://").rstrip("/") + "/_stcore/stream"
        self.query_string, self.timeout = query_string, timeout
        self.page_script_hash = ""
        self.elements: dict[tuple, object] = {}     # the page as shown after the last whole run
        self.values: dict[str, WidgetState] = {}    # widget id -> the value the tab holds
        self.form_values: dict[str, dict[str, WidgetState]] = {}   # form id -> values not yet submitted
        self.exceptions: list[str] = []             # exception elements the server sent, ever
        self.closed_by_server: str | None = None
        self.runs = 0                               # script runs this tab asked for
        self._run: Run | None = None
        self._finished = asyncio.Event()
        self._ws = None
        self._reader = None
        self._closing = False

    # -- connection ----------------------------------------------------------------------------
    async def __aenter__(self) -> "AppSession":
        self._ws = await websockets.connect(self.stream_url, subprotocols=["streamlit"], max_size=None,
                                            open_timeout=self.timeout, ping_interval=None)
        self._reader = asyncio.create_task(self._read())
        await self.rerun()
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()

    async def close(self) -> None:
        self._closing = True
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)

    async def _read(self) -> None:
        try:
            async for frame in self._ws:
                msg = ForwardMsg()
                msg.ParseFromString(frame)
                self._handle(msg)
        except websockets.ConnectionClosed as exc:
            if not self._closing:
                self.closed_by_server = f"connection closed ({exc})"
        finally:
            if self.closed_by_server is None and not self._closing:
                self.closed_by_server = f"connection closed by the server (code {self._ws.close_code})"
            self._finished.set()          # nobody waits forever on a dead connection

    def _handle(self, msg: ForwardMsg) -> None:
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self._run = Run(time.perf_counter())
            if msg.new_session.page_script_hash:
                self.page_script_hash = msg.new_session.page_script_hash
        elif kind == "navigation" and msg.navigation.page_script_hash:
            self.page_script_hash = msg.navigation.page_script_hash
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "delta" and self._run is not None:
            path = tuple(msg.metadata.delta_path)
            delta = msg.delta.WhichOneof("type")
            if delta == "new_element":
                element = msg.delta.new_element
                self._run.elements[path] = element
                if element.WhichOneof("type") == "exception":
                    self.exceptions.append(f"{element.exception.type}: {element.exception.message}"[:300])
                self._take_server_value(element)
            elif delta == "add_block":
                self._run.elements[path] = msg.delta.add_block
        elif kind == "script_finished":
            if msg.script_finished in WHOLE_RUN_ENDS and self._run is not None:
                self.elements = self._run.elements
                shown = {self._widget(e)[1].id for e in self.elements.values() if self._widget(e)}
                self.values = {k: v for k, v in self.values.items() if k in shown}
                self._finished.set()
            elif msg.script_finished == FINISHED.FINISHED_FRAGMENT_RUN_SUCCESSFULLY and self._run is not None:
                self.elements = {**self.elements, **self._run.elements}

    # -- widgets -------------------------------------------------------------------------------
    @staticmethod
    def _widget(element):
        kind = element.WhichOneof("type") if hasattr(element, "WhichOneof") else None
        if kind in WIDGETS:
            return kind, getattr(element, kind)
        return None

    def _take_server_value(self, element) -> None:
        """The script set a widget's value (session state): the tab now holds that value."""
        found = self._widget(element)
        if not found or found[0] == "button" or not found[1].set_value:
            return
        kind, widget = found
        state = WidgetState(id=widget.id)
        if kind == "checkbox":
            state.bool_value = widget.value
        elif kind == "number_input":
            state.double_value = widget.value
        else:
            state.string_value = widget.value
        self.values[widget.id] = state

    def widget(self, label: str, kind: str | None = None):
        """The widget proto with this label on the page (the first one, in page order)."""
        for path in sorted(self.elements):
            found = self._widget(self.elements[path])
            if found and found[1].label == label and (kind is None or found[0] == kind):
                return found[1]
        labels = sorted({f[1].label for e in self.elements.values() if (f := self._widget(e))})
        raise ProtocolError(f"no widget labelled {label!r} on the page (there are: {labels})")

    def _hold(self, widget, state: WidgetState) -> bool:
        """Keep a widget's value; False when it waits for its form's submit."""
        if widget.form_id:
            self.form_values.setdefault(widget.form_id, {})[widget.id] = state
            return False
        self.values[widget.id] = state
        return True

    async def fill(self, label: str, text: str) -> float:
        """Type into a text input or text area; outside a form the browser reruns on commit."""
        widget = self.widget(label)
        if self._hold(widget, WidgetState(id=widget.id, string_value=text)):
            return await self.rerun()
        return 0.0

    async def toggle(self, label: str, on: bool) -> float:
        widget = self.widget(label, "checkbox")
        if self._hold(widget, WidgetState(id=widget.id, bool_value=on)):
            return await self.rerun()
        return 0.0

    async def click(self, label: str) -> float:
        """Click a button: a trigger value, sent with this rerun only. Returns the run's seconds."""
        widget = self.widget(label, "button")
        if widget.disabled:
            raise ProtocolError(f"button {label!r} is disabled")
        return await self.rerun([WidgetState(id=widget.id, trigger_value=True)])

    async def submit(self, label: str) -> float:
        """Click a form's submit button: the form's values go with it."""
        widget = self.widget(label, "button")
        self.values.update(self.form_values.pop(widget.form_id, {}))
        return await self.rerun([WidgetState(id=widget.id, trigger_value=True)])

    async def rerun(self, triggers: list[WidgetState] = ()) -> float:
        """Send what the tab holds and wait for the whole run (reruns the script asked for
        included); the seconds from sending to its end."""
        msg = BackMsg()
        client = msg.rerun_script
        client.query_string, client.page_script_hash = self.query_string, self.page_script_hash
        client.widget_states.widgets.extend([*self.values.values(), *triggers])
        self._finished.clear()
        self.runs += 1
        started = time.perf_counter()
        await self._ws.send(msg.SerializeToString())
        try:
            await asyncio.wait_for(self._finished.wait(), self.timeout)
        except asyncio.TimeoutError:
            raise ProtocolError(f"no end of the script run within {self.timeout:.0f} s") from None
        if self.closed_by_server:
            raise ProtocolError(self.closed_by_server)
        return time.perf_counter() - started

    # -- what the page shows -------------------------------------------------------------------
    def texts(self) -> list[str]:
        """Markdown, captions and alerts of the page, in page order."""
        out = []
        for path in sorted(self.elements):
            element = self.elements[path]
            kind = element.WhichOneof("type") if hasattr(element, "WhichOneof") else None
            if kind == "markdown":
                out.append(element.markdown.body)
            elif kind == "alert":
                out.append(element.alert.body)
        return out

    def markdown_containing(self, part: str) -> str | None:
        return next((t for t in self.texts() if part in t), None)

    def page_exceptions(self) -> list[str]:
        """Exception elements on the page now."""
        return [f"{e.exception.type}: {e.exception.message}"[:300] for e in self.elements.values()
                if hasattr(e, "WhichOneof") and e.WhichOneof("type") == "exception"]
