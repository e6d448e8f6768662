"""One headless Chromium, driven over the DevTools protocol on a pipe: the PDF brief, and the
browser test that looks at every brief as a reader would.

One browser start serves every page (a start costs about a second of CPU; printing a brief a
fraction of that). ``--remote-debugging-pipe`` speaks JSON messages ended by a NUL byte, the
browser reading commands on its fd 3 and writing answers and events on its fd 4; nothing listens
on a port. The browser runs with a new, empty profile (removed on close), no network services,
no sandbox (it runs as root in containers) and no GPU.

``find_chromium`` looks for Debian's ``chromium`` (scripts/ensure_chromium.sh installs it) and the
usual other names; without one, ``ChromiumMissing`` (E413, an InputError: the CLI prints a
located message with a hint and exits 1). A browser that fails or hangs is ``ChromiumError``
(E414), never a traceback.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import signal
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from riskengine.core.errors import InputError, Issue, Location

NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    "--mute-audio",
    "--remote-debugging-pipe",
)
TIMEOUT = 60.0


class ChromiumMissing(InputError):
    """No Chromium to print or look at a brief with (E413)."""

    def __init__(self, message: str, where: str = "chromium") -> None:
        hint = (
            "run scripts/ensure_chromium.sh as root (it installs Debian's chromium), or set RISKENGINE_CHROMIUM to a "
            "Chromium executable; --format md, html and json need no browser"
        )
        super().__init__([Issue("E413", message, Location(where), hint)], "no Chromium to print the PDF with")


class ChromiumError(InputError):
    """Chromium could not start, stopped, timed out or refused a command (E414)."""

    def __init__(self, message: str, where: str = "chromium") -> None:
        super().__init__([Issue("E414", message, Location(where), f"run it by hand to see why: {where} --headless --no-sandbox --version")], "Chromium failed")


def find_chromium() -> str:
    """The path of a Chromium executable (``RISKENGINE_CHROMIUM`` first), or ChromiumMissing."""
    wanted = os.environ.get("RISKENGINE_CHROMIUM")
    if wanted:
        if shutil.which(wanted):
            return str(shutil.which(wanted))
        raise ChromiumMissing(f"RISKENGINE_CHROMIUM={wanted}: no such executable", wanted)
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise ChromiumMissing(f"a PDF brief is printed by headless Chromium, and none is on PATH (looked for {', '.join(NAMES)})")


def _above_4(fd: int) -> int:
    """``fd`` moved to 10 or above (close-on-exec): the child's 3 and 4 are dup2'ed from these,
    and a pipe end that was itself 3 or 4 would be overwritten before it is copied."""
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return moved


class Chromium:
    """A headless Chromium for the length of a ``with`` block."""

    def __init__(self, executable: str | None = None, timeout: float = TIMEOUT) -> None:
        self.executable = executable or find_chromium()
        self.timeout = timeout
        self._next_id = 0
        self._buffer = b""
        self._events: list[dict[str, Any]] = []
        self._pid = 0
        self._profile = ""
        self._to_browser = self._from_browser = -1

    def __enter__(self) -> Chromium:
        self._profile = tempfile.mkdtemp(prefix="riskengine-chromium-")
        command_read, self._to_browser = (_above_4(fd) for fd in os.pipe())
        self._from_browser, answer_write = (_above_4(fd) for fd in os.pipe())
        try:
            self._pid = os.posix_spawn(
                self.executable,
                [self.executable, *FLAGS, f"--user-data-dir={self._profile}", "about:blank"],
                dict(os.environ),
                file_actions=[
                    (os.POSIX_SPAWN_DUP2, command_read, 3),
                    (os.POSIX_SPAWN_DUP2, answer_write, 4),
                    (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                    (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
                    (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0),
                ],
                setsid=True,  # its renderers in one process group, ended together
            )
        except OSError as exc:
            self._cleanup()
            raise ChromiumError(f"cannot start it: {exc.strerror}", self.executable) from None
        finally:
            os.close(command_read)
            os.close(answer_write)
        self.call("Browser.getVersion")  # fails fast if it did not come up
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._pid:
            with contextlib.suppress(ChromiumError, OSError):
                self._send({"id": self._take_id(), "method": "Browser.close"})
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                if os.waitpid(self._pid, os.WNOHANG) != (0, 0):
                    break
                time.sleep(0.05)
            else:
                with contextlib.suppress(OSError):
                    os.killpg(self._pid, signal.SIGKILL)
                os.waitpid(self._pid, 0)
            with contextlib.suppress(OSError):
                os.killpg(self._pid, signal.SIGKILL)  # renderers left behind, if any
            self._pid = 0
        self._cleanup()

    def _cleanup(self) -> None:
        for fd in (self._to_browser, self._from_browser):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._to_browser = self._from_browser = -1
        if self._profile:
            shutil.rmtree(self._profile, ignore_errors=True)
            self._profile = ""

    # -- the protocol --------------------------------------------------------------------------

    def _take_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def _send(self, message: dict[str, Any]) -> None:
        data = json.dumps(message).encode() + b"\0"
        while data:
            try:
                written = os.write(self._to_browser, data)
            except BrokenPipeError:
                # A browser that died before reading: the same failure as one that closed the
                # connection later, and not the reader closing our stdout (which main exits 0 on).
                raise ChromiumError("Chromium closed the connection (it may have crashed)", self.executable) from None
            data = data[written:]

    def _receive(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise ChromiumError(f"Chromium did not answer within {self.timeout:g} s", self.executable)
            ready, _, _ = select.select([self._from_browser], [], [], left)
            if not ready:
                continue
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise ChromiumError("Chromium closed the connection (it may have crashed)", self.executable)
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        found: dict[str, Any] = json.loads(message)
        return found

    def call(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> dict[str, Any]:
        """Send a command and wait for its answer; events that arrive meanwhile are kept."""
        ident = self._take_id()
        message: dict[str, Any] = {"id": ident, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self._send(message)
        deadline = time.monotonic() + self.timeout
        while True:
            answer = self._receive(deadline)
            if answer.get("id") == ident:
                if "error" in answer:
                    raise ChromiumError(f"{method}: {answer['error'].get('message', answer['error'])}", self.executable)
                result: dict[str, Any] = answer.get("result", {})
                return result
            if "method" in answer:
                self._events.append(answer)

    def wait_for(self, method: str, session: str | None = None) -> dict[str, Any]:
        """The next event ``method`` (of ``session``), from those kept or still to come."""
        deadline = time.monotonic() + self.timeout
        while True:
            for index, event in enumerate(self._events):
                if event.get("method") == method and (session is None or event.get("sessionId") == session):
                    return self._events.pop(index)
            answer = self._receive(deadline)
            if "method" in answer:
                self._events.append(answer)

    def events(self, session: str) -> Iterator[dict[str, Any]]:
        """Take the events of ``session`` kept so far."""
        mine = [e for e in self._events if e.get("sessionId") == session]
        self._events = [e for e in self._events if e.get("sessionId") != session]
        yield from mine

    @contextlib.contextmanager
    def page(self, path: Path, width: int = 1200, height: int = 900) -> Iterator[Page]:
        """A tab with ``path`` loaded (its load event fired), closed afterwards."""
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        try:
            session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            page = Page(self, session)
            for domain in ("Page", "Runtime", "Log"):
                self.call(f"{domain}.enable", session=session)
            self.call("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}, session)
            self.call("Page.navigate", {"url": path.resolve().as_uri()}, session)
            self.wait_for("Page.loadEventFired", session)
            yield page
        finally:
            with contextlib.suppress(ChromiumError):
                self.call("Target.closeTarget", {"targetId": target})


class Page:
    """One loaded page: print it, look at it, ask it questions."""

    def __init__(self, browser: Chromium, session: str) -> None:
        self.browser = browser
        self.session = session

    def call(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.browser.call(method, params, self.session)

    def evaluate(self, expression: str) -> Any:
        """The JSON value of a JavaScript expression, run by DevTools (the page's CSP forbids
        its own scripts, not the inspector's)."""
        found = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in found:
            raise ChromiumError(f"evaluate: {found['exceptionDetails'].get('text', 'exception')}", self.browser.executable)
        return found["result"].get("value")

    def console(self) -> list[str]:
        """Console messages and browser log entries (CSP violations, failed loads) so far."""
        out = []
        for event in self.browser.events(self.session):
            params = event.get("params", {})
            if event["method"] == "Runtime.consoleAPICalled":
                text = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
                out.append(f"console.{params.get('type')}: {text}")
            elif event["method"] == "Log.entryAdded":
                entry = params.get("entry", {})
                out.append(f"{entry.get('source')} {entry.get('level')}: {entry.get('text')}")
            elif event["method"] == "Runtime.exceptionThrown":
                out.append(f"exception: {params.get('exceptionDetails', {}).get('text')}")
        return out

    def pdf(self, **options: Any) -> bytes:
        data = self.call("Page.printToPDF", {"transferMode": "ReturnAsBase64", **options})["data"]
        return base64.b64decode(data)

    def screenshot(self, full_page: bool = True) -> bytes:
        params: dict[str, Any] = {"format": "png", "captureBeyondViewport": full_page}
        if full_page:
            size = self.call("Page.getLayoutMetrics")["cssContentSize"]
            params["clip"] = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
        return base64.b64decode(self.call("Page.captureScreenshot", params)["data"])
