"""The desk app serves one person on one machine. Each way in that is not hers is refused:
no token, a wrong token, a foreign Host (DNS rebinding), a POST from another site's page or a
form, a path leaving the packet (.., an absolute path, a link pointing out of it). And what she
gets back: `GET /api/report` is exactly `changju check --format json`; the server listens on
127.0.0.1 only; SIGTERM ends it; `changju --help` and `check` import none of the web stack."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import pytest

from tests.desk.desk_app import REPO, copy_packet, env, start_app

WEB_STACK = ("starlette", "uvicorn", "watchfiles", "anyio", "h11")


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    root = tmp_path_factory.mktemp("desk")
    packet = copy_packet("youth-flawed", root / "刘雨桐")
    secret = root / "secret.txt"
    secret.write_text("工资单", encoding="utf-8")
    os.symlink(secret, packet / "2-申报人材料" / "工资单.pdf")  # a link leaving the packet
    app = start_app(str(packet))
    app.login()
    yield app, packet, root
    app.stop()


PAGES = ["/", "/check", "/check/list", "/facts", "/api/report", "/api/state", "/api/events",
         "/thumb?file=%E5%8D%95%E4%BD%8D%E8%AF%9A%E4%BF%A1%E5%A3%B0%E6%98%8E.pdf", "/file?path=%E5%8D%95%E4%BD%8D%E8%AF%9A%E4%BF%A1%E5%A3%B0%E6%98%8E.pdf",
         "/static/desk.js", "/api/batch.csv", "/sheet", "/choose?dir=%2F"]


@pytest.mark.parametrize("path", PAGES)
def test_a_request_without_the_token_is_refused(running, path):
    app = running[0]
    status, _, body = app.request("GET", path, cookie=False)
    assert status == 403
    assert "口令" in body.decode("utf-8")


def test_a_wrong_token_in_the_address_or_the_cookie_is_refused(running):
    app = running[0]
    assert app.request("GET", "/?token=" + "x" * len(app.token), cookie=False)[0] == 403
    assert app.request("GET", "/api/report", cookie=False, headers={"Cookie": "changju_desk=" + "x" * 43})[0] == 403


def test_the_token_becomes_an_httponly_strict_cookie_and_leaves_the_address(running):
    app = running[0]
    status, headers, _ = app.request("GET", "/check?token=" + app.token, cookie=False)
    assert status == 303 and headers["location"] == "/check"
    cookie = headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    assert cookie.startswith("changju_desk=" + app.token)


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1", "127.0.0.1:1", "localhost.evil.example:{port}", "[::1]:{port}", "0.0.0.0:{port}"])
def test_a_foreign_host_is_refused_even_with_the_cookie(running, host):
    app = running[0]
    status, _, _ = app.request("GET", "/api/report", host=host.format(port=app.port))
    assert status == 421


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "LOCALHOST:{port}"])
def test_the_apps_own_host_names_are_served(running, host):
    app = running[0]
    assert app.request("GET", "/api/state", host=host.format(port=app.port))[0] == 200


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example", "Content-Type": "application/json"},
        {"Origin": "null", "Content-Type": "application/json"},
        {"Origin": "http://127.0.0.1:1", "Content-Type": "application/json"},
        {"Referer": "http://evil.example/page", "Content-Type": "application/json"},
        {"Content-Type": "application/json"},  # neither Origin nor Referer
    ],
)
def test_a_cross_site_post_is_refused_and_changes_nothing(running, headers):
    app, packet, _ = running
    before = (packet / "changju.yaml").read_bytes()
    status, _, _ = app.request("POST", "/api/manifest", body=b'{"values": {"applicant.name": "x"}}', headers=headers)
    assert status == 403
    status, _, _ = app.request("POST", "/api/quit", body=b"{}", headers=headers)
    assert status == 403
    assert app.proc.poll() is None
    assert (packet / "changju.yaml").read_bytes() == before


def test_a_form_post_from_the_apps_own_origin_is_refused_too(running):
    app = running[0]
    status, _, _ = app.request("POST", "/api/open", body=b"path=/etc",
                               headers={"Origin": app.base, "Content-Type": "application/x-www-form-urlencoded"})
    assert status == 415


@pytest.mark.parametrize(
    "path",
    ["../secret.txt", "../../etc/passwd", "/etc/passwd", "2-申报人材料/../../secret.txt", "2-申报人材料/工资单.pdf",
     "./单位诚信声明.pdf", "2-申报人材料//身份证.pdf", "changju.yaml", "", "2-申报人材料"],
)
@pytest.mark.parametrize("route", ["/file?path=", "/thumb?file="])
def test_a_path_leaving_the_packet_or_not_a_scan_of_it_is_refused(running, route, path):
    from urllib.parse import quote

    app = running[0]
    status, _, body = app.request("GET", route + quote(path))
    assert status == 404
    assert "工资单" not in body.decode("utf-8", "replace")


def test_a_file_of_the_packet_is_served_and_every_answer_has_the_policy(running):
    from urllib.parse import quote

    app, packet, _ = running
    status, headers, body = app.request("GET", "/file?path=" + quote("2-申报人材料/身份证.pdf"))
    assert status == 200 and body == (packet / "2-申报人材料" / "身份证.pdf").read_bytes()
    assert headers["content-type"] == "application/pdf"
    csp = headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "http" not in csp and "*" not in csp
    status, headers, body = app.request("GET", "/thumb?file=" + quote("2-申报人材料/身份证.pdf"))
    assert status == 200 and headers["content-type"] == "image/jpeg" and body[:3] == b"\xff\xd8\xff"


def test_api_report_is_exactly_changju_check_format_json(running):
    app, packet, _ = running
    status, headers, body = app.request("GET", "/api/report")
    assert status == 200 and headers["content-type"].startswith("application/json")
    cli = subprocess.run([sys.executable, "-m", "changju_check", "check", str(packet), "--format", "json"],
                         cwd=REPO, capture_output=True, env=env())
    assert cli.returncode == 1
    assert body == cli.stdout
    assert json.loads(body)["ready_to_bind"] is False


def test_the_server_listens_on_127_0_0_1_only(running):
    app = running[0]
    addresses = {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)} - {"127.0.0.1", "127.0.1.1"}
    for address in sorted(addresses)[:2]:
        with pytest.raises(OSError):
            socket.create_connection((address, app.port), timeout=2).close()
    out = subprocess.run(["ss", "-ltnH", f"sport = :{app.port}"], capture_output=True, text=True) if os.path.exists("/usr/bin/ss") or os.path.exists("/bin/ss") else None
    if out is not None and out.returncode == 0:
        assert out.stdout.split() and all("127.0.0.1:" in line for line in out.stdout.strip().splitlines())


@pytest.mark.parametrize("after", [0.0, 0.05, 0.4, 1.5])  # while checking, drawing the pages, idle
def test_sigterm_ends_the_app_with_the_code_of_a_termination_and_no_traceback(tmp_path, after):
    import time

    app = start_app(str(copy_packet("youth-complete", tmp_path / "p")))
    time.sleep(after)
    code = app.stop()
    assert code == 128 + 15
    err = app.err.decode("utf-8")
    assert err == "已终止\n", err


def test_an_unknown_folder_exits_2_in_chinese():
    out = subprocess.run([sys.executable, "-m", "changju_check", "app", "/nonexistent/张三", "--no-browser"],
                         capture_output=True, env=env(), timeout=120)
    assert out.returncode == 2
    assert "找不到" in out.stderr.decode("utf-8") and b"Traceback" not in out.stderr


@pytest.mark.parametrize("args", [["--help"], ["check", "examples/youth-complete", "--format", "json"], ["check", "examples/youth-flawed"]])
def test_help_and_check_import_none_of_the_web_stack(args):
    code = (
        "import sys, runpy\n"
        f"sys.argv = ['changju', *{args!r}]\n"
        "try:\n    runpy.run_module('changju_check', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {WEB_STACK!r} or m.startswith('changju_check.desk'))\n"
        "sys.stderr.write('LOADED=' + ','.join(bad) + '\\n')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, env=env(), timeout=120)
    assert "LOADED=\n" in out.stderr.decode("utf-8"), out.stderr.decode("utf-8")[-500:]


def test_the_book_is_never_written_inside_the_packet_and_a_packet_not_ready_is_refused_in_words(running, tmp_path):
    app, packet, _ = running
    inside = json.dumps({"dest": str(packet / "2-申报人材料")}).encode()
    status, _, body = app.post("/api/bundle", inside)
    assert status == 400 and "不能保存在材料包里" in json.loads(body)["error"]
    outside = json.dumps({"dest": f'"{tmp_path}"'}).encode()  # pasted with Explorer's quotes
    status, _, body = app.post("/api/bundle", outside)
    assert status == 400 and json.loads(body)["error"].startswith("不能装订：")  # youth-flawed: errors, no 申报书
    assert list(tmp_path.iterdir()) == []


def test_the_gui_entry_point_serves_without_any_console(tmp_path):
    """`changju-app` under pythonw.exe has no stdout or stderr at all: it still serves."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    packet = copy_packet("youth-complete", tmp_path / "p")
    code = ("import sys\nsys.stdout = None\nsys.stderr = None\n"
            f"sys.argv = ['changju-app', {str(packet)!r}, '--no-browser', '--port', '{port}']\n"
            "from changju_check.cli import gui_main\ngui_main()\n")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=REPO, env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        import http.client
        import time

        deadline = time.monotonic() + 120
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                try:
                    conn.request("GET", "/api/report", headers={"Host": f"127.0.0.1:{port}"})
                    status = conn.getresponse().status
                finally:
                    conn.close()
                break
            except OSError:
                assert time.monotonic() < deadline and proc.poll() is None, proc.stderr.read() if proc.poll() is not None else "no server"
                time.sleep(0.2)
        assert status == 403
    finally:
        proc.terminate()
        proc.wait(30)
    with proc.stdout, proc.stderr:
        assert proc.stdout.read() == b"" and proc.stderr.read() == b""


def test_with_changju_lang_en_the_report_is_the_english_check_and_the_page_stays_chinese(tmp_path):
    packet = copy_packet("youth-flawed", tmp_path / "p")
    app = start_app(str(packet), CHANGJU_LANG="en")
    try:
        app.login()
        body = app.request("GET", "/api/report")[2]
        cli = subprocess.run([sys.executable, "-m", "changju_check", "check", str(packet), "--format", "json"],
                             cwd=REPO, capture_output=True, env=env(CHANGJU_LANG="en"))
        assert body == cli.stdout
        assert json.loads(body)["category_title"] not in ("", "青年类人才")  # English
        page = app.request("GET", "/check")[2].decode("utf-8")
        assert "申报单位" in page and "缺少必要材料" in page
    finally:
        app.stop()



@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # the loss being shown
def test_an_ending_signal_lost_inside_a_finaliser_still_ends_the_app():
    """Python drops an exception raised while a finaliser runs ("Exception ignored in …", on a
    stderr the GUI app does not have): the signal handler also records the signal and stops the
    desk app's serving loop, which then ends with the code of a termination (seen once: an app that
    went on serving after SIGTERM, on a loaded machine)."""
    import signal as signals
    import threading

    import changju_check.cli as cli
    from changju_check.cli.app import ENDING, when_terminated

    stopping = threading.Event()
    forget = when_terminated(stopping.set)
    try:
        class Finaliser:
            def __del__(self):
                cli._terminate(signals.SIGTERM, None)

        Finaliser()  # collected at once: the Terminated raised in __del__ is ignored by Python
        assert stopping.is_set() and ENDING["signum"] == signals.SIGTERM
    finally:
        forget()
        ENDING["signum"] = None
    assert stopping.set not in ENDING["hooks"]


def test_the_app_ends_with_the_termination_code_when_the_loop_was_stopped_by_the_signal(tmp_path, monkeypatch, capsys):
    """The other half: the serving loop ended because the signal set `stopping` (its exception
    lost), and the command still ends as terminated (128 + 15, 已终止), not as 已退出 with 0."""
    import signal as signals

    import changju_check.cli as cli
    from changju_check.desk import server

    def serve_until_the_signal(running):
        try:
            cli._terminate(signals.SIGTERM, None)
        except BaseException:  # noqa: BLE001 - lost, as in a finaliser
            pass
        assert running.desk.stopping.is_set()
        running.stop()

    monkeypatch.setattr(server, "serve_forever", serve_until_the_signal)
    with pytest.raises(SystemExit) as ended:
        cli.main(["app", str(copy_packet("youth-complete", tmp_path / "p")), "--no-browser", "--port", "0"])
    assert ended.value.code == 128 + signals.SIGTERM
    assert "已终止" in capsys.readouterr().err
