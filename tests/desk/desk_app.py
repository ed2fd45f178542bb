"""The desk app as its user and her tests meet it: `changju app FOLDER --no-browser --port 0` in a
child process, the address read from its first line, ended with SIGTERM (as a service manager
would) — and plain HTTP requests with any header a test wants (http.client, no browser)."""

from __future__ import annotations

import atexit
import http.client
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 120


@dataclass
class App:
    proc: subprocess.Popen
    url: str  # with its token
    port: int
    token: str
    cookie: str = ""
    out: bytes = b""
    err: bytes = b""

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def request(self, method: str, path: str, *, body: bytes | None = None, headers: dict | None = None,
                cookie: bool = True, host: str | None = None) -> tuple[int, dict, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        sent = {"Host": host or f"127.0.0.1:{self.port}"}
        if cookie and self.cookie:
            sent["Cookie"] = self.cookie
        sent.update(headers or {})
        conn.request(method, path, body=body, headers=sent)
        answer = conn.getresponse()
        data = answer.read()
        conn.close()
        return answer.status, {k.lower(): v for k, v in answer.getheaders()}, data

    def login(self) -> dict:
        status, headers, _ = self.request("GET", urlsplit(self.url).path + "?" + urlsplit(self.url).query, cookie=False)
        assert status == 303, status
        self.cookie = headers["set-cookie"].split(";")[0]
        return headers

    def post(self, path: str, data: bytes = b"{}", **headers) -> tuple[int, dict, bytes]:
        sent = {"Origin": self.base, "Content-Type": "application/json", **headers}
        return self.request("POST", path, body=data, headers=sent)

    def stop(self) -> int:
        """Stops the app, keeps what it still printed (`out`, `err`) and closes its pipes (a pipe
        left to the garbage collector warns in the middle of whatever the tests run next)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            out, err = self.proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, err = self.proc.communicate(timeout=10)
        self.out, self.err = out or b"", err or b""
        return self.proc.returncode


_CACHE = tempfile.mkdtemp(prefix="changju-desk-tests-cache-")  # the recent folders of the tests' apps
atexit.register(shutil.rmtree, _CACHE, True)


def env(**extra: str) -> dict:
    out = dict(os.environ, PYTHONIOENCODING="utf-8", CHANGJU_LANG="zh", CHANGJU_CACHE_DIR=_CACHE)
    out.pop("CHANGJU_CHROMIUM", None)
    out.update(extra)
    return out


def start_app(*args: str, cwd: Path = REPO, **extra_env: str) -> App:
    """`changju app ARGS --no-browser --port 0`; returns once the address is printed."""
    proc = subprocess.Popen([sys.executable, "-m", "changju_check", "app", *args, "--no-browser", "--port", "0"],
                            cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env(**extra_env))
    deadline = time.monotonic() + START_TIMEOUT_S
    line = b""
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if line or proc.poll() is not None:
            break
    url = line.decode("utf-8").strip()
    if not url.startswith("http://127.0.0.1:"):
        proc.kill()
        raise AssertionError(f"no address on the first line: {line!r} {proc.stderr.read()!r}")
    parts = urlsplit(url)
    return App(proc=proc, url=url, port=parts.port, token=parts.query.split("token=", 1)[1])


def copy_packet(example: str, dest: Path) -> Path:
    shutil.copytree(REPO / "examples" / example, dest)
    return dest
