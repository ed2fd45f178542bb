"""Headless Chromium for the real-browser tests (the review sheet, the desk app) and the docs'
screenshots, driven with Playwright — Debian's `chromium` (`executable_path`), never a browser
that Playwright would download.

    with Chromium.start() as browser:            # FileNotFoundError without chromium: see find_chromium()
        page = browser.open(Path("report.html"))  # or an http:// address
        page.evaluate("document.title")
        page.requests(), page.console_errors(), page.dialogs
        page.print_pdf()                          # bytes of the print-to-PDF (CSS page size)
        page.screenshot()                         # PNG bytes
        page.pw                                   # the Playwright page itself (clicks, waits, downloads)

Network is off by construction: every host name resolves to nothing (`--host-resolver-rules`; the app's
address 127.0.0.1 excepted), and every request a page makes is recorded, so a test
can say that none left the file or the app.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT_MS = 120_000  # one action or wait: the machine may be busy
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-extensions",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--hide-scrollbars",
    "--mute-audio",
]


def find_chromium() -> str | None:
    explicit = os.environ.get("CHANGJU_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).exists() else None
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def missing_reason() -> str | None:
    """Why the browser tests cannot run here (None: they can)."""
    if find_chromium() is None:
        return "Chromium not found (apt-get install chromium; .ci/run installs it)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright not installed (pip install '.[test]')"
    return None


class Chromium:
    def __init__(self, exe: str) -> None:
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        try:
            self.browser = self._pw.chromium.launch(executable_path=exe, args=ARGS, headless=True, timeout=TIMEOUT_MS)
        except BaseException:
            self._pw.stop()
            raise
        self.pages: list[Page] = []

    @classmethod
    def start(cls) -> "Chromium":
        exe = find_chromium()
        if exe is None:
            raise FileNotFoundError("chromium not found")
        return cls(exe)

    def new_page(self, *, width: int = 1200, height: int = 1600, downloads: bool = False) -> "Page":
        context = self.browser.new_context(viewport={"width": width, "height": height}, accept_downloads=downloads,
                                           locale="zh-CN", device_scale_factor=1)
        context.set_default_timeout(TIMEOUT_MS)
        page = Page(context.new_page())
        self.pages.append(page)
        return page

    def open(self, target: Path | str, *, width: int = 1200, height: int = 1600) -> "Page":
        """A new tab (its own cookie jar) on a file or an address, loaded."""
        page = self.new_page(width=width, height=height)
        url = target if isinstance(target, str) and "://" in target else Path(target).resolve().as_uri()
        page.pw.goto(url, wait_until="load")
        return page

    def close(self) -> None:
        try:
            self.browser.close()
        finally:
            self._pw.stop()

    def __enter__(self) -> "Chromium":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Page:
    def __init__(self, pw: Any) -> None:
        self.pw = pw
        self._requests: list[str] = []
        self._console: list[str] = []
        self.dialogs: list[str] = []
        pw.on("request", lambda r: self._requests.append(r.url))
        pw.on("console", lambda m: self._console.append(m.text) if m.type in ("error", "assert", "warning") else None)
        pw.on("pageerror", lambda e: self._console.append(str(e)))
        pw.on("dialog", self._dialog)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def front(self) -> "Page":
        """Make this the active tab (a background tab is not painted)."""
        self.pw.bring_to_front()
        return self

    def evaluate(self, expression: str) -> Any:
        return self.pw.evaluate(expression)

    def requests(self) -> list[str]:
        return list(self._requests)

    def console_errors(self) -> list[str]:
        return list(self._console)

    def print_pdf(self) -> bytes:
        return self.pw.pdf(prefer_css_page_size=True, print_background=True, display_header_footer=False)

    def screenshot(self, *, full_page: bool = False) -> bytes:
        self.front()
        return self.pw.screenshot(full_page=full_page, type="png")
