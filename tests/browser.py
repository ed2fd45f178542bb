"""A tiny Chrome DevTools Protocol client over `--remote-debugging-pipe` (no websocket, no
third-party package), for the HTML report's real-browser tests.

    with Chromium.start() as browser:            # None-safe: see `find_chromium()`
        page = browser.open(Path("report.html"))
        page.events                               # every CDP event of the page, in order
        page.evaluate("document.title")
        page.print_pdf()                          # bytes of the print-to-PDF (CSS page size)
        page.screenshot(width=1200)               # PNG bytes

Chromium reads commands from fd 3 and writes answers and events to fd 4, each message a JSON
text ended by a NUL byte. Network is off by construction: every host name resolves to nothing
(`--host-resolver-rules`), and every request the page makes is recorded from the Network
domain, so a test can say that none left the file.
"""

from __future__ import annotations

import base64
import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT = 120.0  # seconds for one command: the machine may be busy


def find_chromium() -> str | None:
    explicit = os.environ.get("CHANGJU_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).exists() else None
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


class CDPError(RuntimeError):
    pass


class Chromium:
    def __init__(self, exe: str):
        self._profile = tempfile.mkdtemp(prefix="changju-chromium-")
        cmd_r, cmd_w = os.pipe()  # we write commands, Chromium reads fd 3
        ans_r, ans_w = os.pipe()  # Chromium writes fd 4, we read

        def child_fds() -> None:
            os.dup2(cmd_r, 3)
            os.dup2(ans_w, 4)

        args = [
            exe,
            "--headless",
            "--remote-debugging-pipe",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--hide-scrollbars",
            "--mute-audio",
            f"--user-data-dir={self._profile}",
            "about:blank",
        ]
        self.proc = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(3, 4),
            preexec_fn=child_fds,
        )
        os.close(cmd_r)
        os.close(ans_w)
        self._out = os.fdopen(cmd_w, "wb", buffering=0)
        self._in = ans_r
        self._next_id = 0
        self._answers: dict[int, dict] = {}
        self._events: "queue.Queue[dict]" = queue.Queue()
        self._lock = threading.Condition()
        self._closed = False
        self._reader = threading.Thread(target=self._read_loop, daemon=True)
        self._reader.start()

    # ------------------------------------------------------------------ plumbing

    @classmethod
    def start(cls) -> "Chromium":
        exe = find_chromium()
        if exe is None:
            raise FileNotFoundError("chromium not found")
        return cls(exe)

    def _read_loop(self) -> None:
        buf = b""
        while True:
            try:
                chunk = os.read(self._in, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                with self._lock:
                    self._closed = True
                    self._lock.notify_all()
                return
            buf += chunk
            while b"\0" in buf:
                raw, buf = buf.split(b"\0", 1)
                message = json.loads(raw)
                if "id" in message:
                    with self._lock:
                        self._answers[message["id"]] = message
                        self._lock.notify_all()
                else:
                    self._events.put(message)

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        with self._lock:
            self._next_id += 1
            ident = self._next_id
        message: dict[str, Any] = {"id": ident, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self._out.write(json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT
        with self._lock:
            while ident not in self._answers:
                if self._closed:
                    raise CDPError(f"chromium exited during {method}")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise CDPError(f"no answer to {method} in {TIMEOUT:g} s")
                self._lock.wait(left)
            answer = self._answers.pop(ident)
        if "error" in answer:
            raise CDPError(f"{method}: {answer['error']}")
        return answer.get("result", {})

    def open(self, path: Path, *, width: int = 1200, height: int = 1600) -> "Page":
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self, session)
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable", {}, session)
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
            session,
        )
        self.send("Page.navigate", {"url": Path(path).resolve().as_uri()}, session)
        page.wait_for("Page.loadEventFired")
        page.settle()
        return page

    def close(self) -> None:
        try:
            self.send("Browser.close")
        except Exception:  # noqa: BLE001 - it may already be gone
            pass
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
        try:
            self._out.close()
        except OSError:
            pass
        shutil.rmtree(self._profile, ignore_errors=True)

    def __enter__(self) -> "Chromium":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Page:
    def __init__(self, browser: Chromium, session: str):
        self.browser = browser
        self.session = session
        self.events: list[dict] = []

    def _drain(self, timeout: float) -> dict | None:
        try:
            event = self.browser._events.get(timeout=timeout)
        except queue.Empty:
            return None
        if event.get("sessionId") in (None, self.session):
            self.events.append(event)
        return event

    def wait_for(self, method: str, timeout: float = TIMEOUT) -> dict:
        if any(e["method"] == method for e in self.events):
            return next(e for e in self.events if e["method"] == method)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            event = self._drain(deadline - time.monotonic())
            if event is not None and event["method"] == method and event.get("sessionId") == self.session:
                return event
        raise CDPError(f"no {method} in {timeout:g} s")

    def settle(self, quiet: float = 0.5) -> None:
        """Collect events until none arrives for `quiet` seconds."""
        while self._drain(quiet) is not None:
            pass

    def send(self, method: str, params: dict | None = None) -> dict:
        return self.browser.send(method, params, self.session)

    def front(self) -> "Page":
        """Make this the active tab (a background tab is not painted: no screenshot, no layout)."""
        self.send("Page.bringToFront")
        return self

    def evaluate(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in result:
            raise CDPError(f"evaluate: {result['exceptionDetails']}")
        return result["result"].get("value")

    # ------------------------------------------------------------------ what a test asks

    def requests(self) -> list[str]:
        return [e["params"]["request"]["url"] for e in self.events if e["method"] == "Network.requestWillBeSent"]

    def console_errors(self) -> list[str]:
        found = []
        for e in self.events:
            p = e.get("params", {})
            if e["method"] == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert", "warning"):
                found.append(" ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", [])))
            elif e["method"] == "Runtime.exceptionThrown":
                found.append(str(p.get("exceptionDetails", {}).get("text")))
            elif e["method"] == "Log.entryAdded" and p.get("entry", {}).get("level") in ("error", "warning"):
                found.append(str(p["entry"].get("text")))
        return found

    def print_pdf(self) -> bytes:
        result = self.send(
            "Page.printToPDF",
            {"preferCSSPageSize": True, "printBackground": True, "displayHeaderFooter": False},
        )
        return base64.b64decode(result["data"])

    def screenshot(self, *, full_page: bool = False) -> bytes:
        self.front()
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            params["captureBeyondViewport"] = True
            size = self.send("Page.getLayoutMetrics")["cssContentSize"]
            params["clip"] = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
        return base64.b64decode(self.send("Page.captureScreenshot", params)["data"])
