"""The desk app's web server: Starlette routes behind the `Guard`, served by uvicorn from a thread
while the calling thread runs the checks (`serve`).

Pages (Jinja2, autoescaped): /choose (folder), /category, /facts (基本情况), /check (检查结果),
/batch (a season folder), /sheet (the printable review sheet). The page's JSON API is under /api/:
`GET /api/report` is exactly `changju check --format json` for the open packet; `GET /api/events`
is a server-sent event stream that says when a new report is ready (and keeps count of the open
tabs: the app ends a few seconds after the last one closes). Files of the packet are served only
as the packet walker found them (links leaving the packet are not among them), by their packet
path: /thumb (a page as a picture) and /file (the file itself).
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable
from urllib.parse import quote

from changju_check.desk import form, places, view
from changju_check.desk.guard import Guard, new_token
from changju_check.desk.state import Desk
from changju_check.inspect.preview import crop  # the region of a page where a fact was read
from changju_check.report.paths import native  # \\?\ on Windows: a packet past MAX_PATH

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
BUNDLE_TIMEOUT_S = 600
# the pages are in Chinese; what must equal a command's output (/api/report, the CSV) follows the
# command line's language (CHANGJU_LANG, --lang), as that command's would
PAGE_LANG = "zh"


@lru_cache(maxsize=1)
def _env():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(HERE / "templates")),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["q"] = lambda s: quote(str(s), safe="")
    return env


def _page(name: str, **values: Any):
    from starlette.responses import HTMLResponse

    return HTMLResponse(_env().get_template(name).render(**values))


def _json(data: Any, status: int = 200):
    from starlette.responses import Response

    return Response(json.dumps(data, ensure_ascii=False), status_code=status, media_type="application/json")


async def _in_checker(desk: Desk, fn: Callable[[], Any]) -> Any:
    """Run `fn` in the checking thread and wait for it without blocking the server."""
    return await asyncio.wrap_future(desk.submit(fn))


async def _settled(desk: Desk) -> None:
    """Wait for the folder given on the command line to be opened and checked."""
    if desk.opening is not None:
        try:
            await asyncio.wrap_future(desk.opening)
        except Exception:  # noqa: BLE001 - the page shows what the check could not do
            pass


def write_manifest(root: Path, body: bytes) -> str | None:
    """Write changju.yaml into the packet (the one file the app writes there, on 保存); what stopped
    it, said for her, or None. Windows refuses to replace a file another program holds open."""
    from changju_check.report.paths import held_open
    from changju_check.write import write_file

    path = native(root) / form.MANIFEST
    try:
        write_file(path, body)
    except OSError as exc:
        if held_open(str(path), exc):
            return "changju.yaml 正被其他程序打开（例如 WPS 或某个编辑器），无法保存：请关闭它后再点“保存”。"
        return f"无法保存 changju.yaml：{exc.strerror or exc}。填写的内容还在本页，可以稍后再点“保存”。"
    return None


def _report_dict(desk: Desk) -> dict[str, Any]:
    return json.loads(desk.report_json) if desk.report_json else {}


def _needs_category(desk: Desk) -> bool:
    report = desk.report
    return report is not None and report.fatal is not None and report.fatal.code in ("CJ410", "CJ405")


def _manifest_raw(desk: Desk) -> bytes | None:
    """The bytes of the open packet's changju.yaml (None: none, or the packet cannot be opened)."""
    from changju_check.packet import PacketError, open_packet

    if desk.root is None:
        return None
    try:
        with open_packet(desk.root) as packet:
            return packet.manifest_bytes()
    except (PacketError, OSError):
        return None


def _manifest_data(desk: Desk) -> Any:
    """changju.yaml of the open packet as plain data, read as a check reads it (the manifest's
    strict loader: size, depth, anchors refused). None: none, or unreadable."""
    from changju_check.manifest.safeyaml import YamlLoadError, load_yaml

    raw = _manifest_raw(desk)
    if raw is None:
        return None
    try:
        return load_yaml(raw, form.MANIFEST).data
    except YamlLoadError:
        return None


def _known_file(desk: Desk, rel: str) -> Any:
    """The packet's file at packet path `rel`, as the walker found it; None for anything else."""
    from changju_check.packet import PacketError, open_packet

    if desk.root is None or desk.kind != "packet" or not rel or "\x00" in rel:
        return None
    parts = rel.replace("\\", "/").split("/")
    if any(p in ("", ".", "..") for p in parts) or os.path.isabs(rel) or ":" in parts[0]:
        return None
    try:
        packet = open_packet(desk.root)
    except (PacketError, OSError):
        return None
    for pf in packet.files:
        if pf.path == rel:
            return packet, pf
    packet.close()
    return None


def build_app(desk: Desk, *, token: str, port: int):
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import RedirectResponse, Response, StreamingResponse
    from starlette.routing import Mount, Route
    from starlette.staticfiles import StaticFiles

    def nav(active: str) -> dict[str, Any]:
        return {
            "active": active,
            "root": str(desk.root) if desk.root else "",
            "kind": desk.kind,
            "season": str(desk.season) if desk.season else "",
            "zip": bool(desk.root and native(desk.root).is_file()),
        }

    def step_before_check() -> str | None:
        """Where she must go before the checklist: no folder yet, a season folder, no category."""
        if desk.root is None:
            return "/choose"
        if desk.kind == "batch":
            return "/batch"
        if _needs_category(desk):
            return "/category"
        return None

    async def home(request: Request):
        return RedirectResponse(step_before_check() or "/check", 303)

    async def choose(request: Request):
        folder = request.query_params.get("dir")
        entries: list[places.Entry] = []
        problem = None
        scans = 0
        has_manifest = False
        parent = None
        if folder:
            path = Path(places.clean_path(folder))
            try:
                entries, scans, has_manifest = await asyncio.to_thread(places.listing, path)
                parent = places.parent_of(path)
            except OSError as exc:
                problem = f"无法打开 {path}：{exc.strerror or exc}"
        return _page("choose.html.j2", nav=nav("choose"), places=places.places(desk.recent), folder=folder or "",
                     entries=entries, scans=scans, has_manifest=has_manifest, parent=parent, problem=problem)

    async def category_page(request: Request):
        if desk.root is None:
            return RedirectResponse("/choose", 303)
        current = desk.category or (desk.report.category if desk.report is not None and not _needs_category(desk) else None)
        return _page("category.html.j2", nav=nav("category"), categories=view.category_choices(desk.rules),
                     offline=view.offline_choices(desk.rules), current=current)

    async def facts_page(request: Request):
        if desk.root is None or desk.kind != "packet":
            return RedirectResponse("/", 303)
        key = desk.category or (desk.report.category if desk.report is not None else None)
        category = desk.rules.categories.get(key) if key else None
        if category is None:
            return RedirectResponse("/category", 303)
        manifest = await asyncio.to_thread(_manifest_data, desk)
        values = form.current_values(manifest)
        read = form.read_facts(_report_dict(desk))
        rows = []
        for f in form.fields_for(category):
            fact = read.get(f.key)
            if fact is not None:  # as she reads it: 中国, not CN
                fact = {**fact, "value": form.shown(f.key, fact["value"])}
                fact["said"] = form.said(fact["value"])
            value = form.shown(f.key, values.get(f.key))
            prefilled = value is None and fact is not None
            rows.append({"field": f, "value": fact["value"] if prefilled else value, "said": form.said(value), "fact": fact, "prefilled": prefilled,
                         "differs": fact is not None and value is not None and str(fact["value"]) != str(value)})
        rec = category.recommendation
        return _page("facts.html.j2", nav=nav("facts"), category=category, rows=rows,
                     rec_min=rec.min_chars if rec else 50, rec_max=rec.max_chars if rec else 200)

    def checklist_values() -> dict[str, Any]:
        data = _report_dict(desk)
        report = desk.report
        sheet = view.checklist(report, desk.rules, PAGE_LANG, desk.pictures.drawn()) if report is not None else None
        return {"verdict": view.verdict(data), "sheet": sheet, "version": desk.version, "report": data}

    async def check_page(request: Request):
        step = step_before_check()
        if step is not None:
            return RedirectResponse(step, 303)
        return _page("check.html.j2", nav=nav("check"), book_name=_book_name(desk), **checklist_values())

    async def check_list(request: Request):
        if desk.report is None:
            return Response("", status_code=204)
        return _page("checklist.html.j2", **checklist_values())

    async def batch_page(request: Request):
        from changju_check.render.summary import rows_from_reports

        if desk.season is None:
            return RedirectResponse("/choose", 303)
        reports = desk.batch_reports
        rows = []
        for report in reports:
            data = report.to_dict(PAGE_LANG)
            row = rows_from_reports([report], PAGE_LANG)[0]
            rows.append({"path": report.packet, "name": Path(report.packet).name, "row": row,
                         "verdict": view.verdict(data)})
        return _page("batch.html.j2", nav=nav("batch"), rows=rows, season=str(desk.season))

    async def batch_csv(request: Request):
        from changju_check.render import render_summary
        from changju_check.render.summary import rows_from_reports

        body = render_summary(rows_from_reports(desk.batch_reports, desk.lang), "csv", desk.lang)
        name = (Path(desk.season).name if desk.season else "summary") + "-汇总.csv"
        return Response(body.encode("utf-8"), media_type="text/csv; charset=utf-8",
                        headers={"content-disposition": f"attachment; filename*=UTF-8''{quote(name)}"})

    async def sheet(request: Request):
        from dataclasses import replace

        from changju_check.render import html

        if desk.report is None:
            return RedirectResponse("/", 303)
        report = desk.report
        pictures = {}
        for pf_path in {p for m in report.materials for p in m.files} | set(report.unmatched) | {p for ps in report.assigned.values() for p in ps}:
            preview = await asyncio.to_thread(desk.pictures.get, pf_path, 10.0)
            if preview is not None:
                pictures[pf_path] = preview
        from changju_check.inspect.preview import PACKET_BUDGET, named_pages, review_pages, within_budget

        ordered = dict(sorted(pictures.items()))
        kept = within_budget(ordered, PACKET_BUDGET, review_pages(report.findings), named_pages(report))
        text = html.render(replace(report, previews=kept), PAGE_LANG, rules=desk.rules)
        from starlette.responses import HTMLResponse

        return HTMLResponse(text)

    async def thumb(request: Request):
        rel = request.query_params.get("file", "")
        try:
            page = int(request.query_params.get("page", "0"))
        except ValueError:
            page = 0
        found = await asyncio.to_thread(_known_file, desk, rel)
        if found is None:
            return Response("没有这个文件", status_code=404, media_type="text/plain; charset=utf-8")
        found[0].close()
        preview = await asyncio.to_thread(desk.pictures.get, rel, 15.0)
        picture = None
        if preview is not None:
            picture = preview.thumbnail if page == 0 else next((p for p in preview.pages if p.number == page), None)
        if picture is None:
            from changju_check.render.html import page_note

            note = page_note(preview, page, PAGE_LANG) if preview is not None and page > 0 else None
            if note:  # a page named beyond the file's length, or one that cannot be drawn: the picture says so
                return Response(_note_picture(note), media_type="image/svg+xml; charset=utf-8")
            return Response("没有预览", status_code=404, media_type="text/plain; charset=utf-8")
        box = _box(request.query_params.get("box", ""))
        if box is not None and page > 0:
            return Response(await asyncio.to_thread(crop, picture.data, box), media_type="image/jpeg")
        return Response(picture.data, media_type=picture.mime)

    async def file(request: Request):
        rel = request.query_params.get("path", "")
        found = await asyncio.to_thread(_known_file, desk, rel)
        if found is None:
            return Response("没有这个文件", status_code=404, media_type="text/plain; charset=utf-8")
        packet, pf = found
        try:
            with pf.open() as fh:
                data = await asyncio.to_thread(fh.read, 200 * 1024 * 1024)
        except OSError:
            return Response("文件无法读取", status_code=404, media_type="text/plain; charset=utf-8")
        finally:
            packet.close()
        kind = "application/pdf" if data[:5] == b"%PDF-" else "image/jpeg" if data[:3] == b"\xff\xd8\xff" else "image/png" if data[:8] == b"\x89PNG\r\n\x1a\n" else "application/octet-stream"
        name = quote(Path(rel).name)
        return Response(data, media_type=kind, headers={"content-disposition": f"inline; filename*=UTF-8''{name}"})

    # ------------------------------------------------------------------ API

    async def api_report(request: Request):
        from starlette.responses import Response as R

        if not desk.report_json:
            return _json({"error": "没有打开材料包"}, 404)
        return R(desk.report_json.encode("utf-8"), media_type="application/json")

    async def api_state(request: Request):
        data = _report_dict(desk)
        return _json({
            "root": str(desk.root) if desk.root else None, "kind": desk.kind, "category": desk.category,
            "version": desk.version, "busy": desk.busy, "needs_category": _needs_category(desk),
            "verdict": view.verdict(data) if data else None, "inspected": desk.memo.inspected,
            "checked_in": round(desk.checked_in, 4),
        })

    async def api_browse(request: Request):
        folder = request.query_params.get("dir")
        if not folder:
            return _json({"places": [e.__dict__ for e in places.places(desk.recent)]})
        path = Path(places.clean_path(folder))
        try:
            entries, scans, manifest = await asyncio.to_thread(places.listing, path)
        except OSError as exc:
            return _json({"error": f"无法打开：{exc.strerror or exc}"}, 400)
        return _json({"path": str(path), "parent": places.parent_of(path), "entries": [e.__dict__ for e in entries],
                      "scans": scans, "manifest": manifest})

    async def body(request: Request) -> dict[str, Any]:
        try:
            data = await request.json()
        except Exception:  # noqa: BLE001
            return {}
        return data if isinstance(data, dict) else {}

    async def api_open(request: Request):
        data = await body(request)
        raw = data.get("path")
        if not isinstance(raw, str) or not raw.strip():
            return _json({"error": "请选择或粘贴一个文件夹"}, 400)
        path = Path(places.clean_path(raw))
        if not native(path).exists():
            return _json({"error": f"找不到：{path}"}, 400)
        if native(path).is_file() and path.suffix.lower() != ".zip":
            return _json({"error": "请选择材料文件夹或 .zip 文件"}, 400)
        from_season = bool(data.get("from_season")) and desk.season is not None
        kind = await _in_checker(desk, (lambda: desk.open_from_season_job(path)) if from_season else (lambda: desk.open_job(path)))
        nxt = "/batch" if kind == "batch" else "/category" if _needs_category(desk) else "/check"
        return _json({"kind": kind, "next": nxt})

    async def api_category(request: Request):
        data = await body(request)
        key = data.get("category")
        if desk.root is None or not isinstance(key, str) or key not in desk.rules.categories:
            return _json({"error": "请选择一个申报类别"}, 400)
        desk.category = key
        await _in_checker(desk, desk.check_job)
        return _json({"next": "/facts"})

    async def api_manifest(request: Request):
        from changju_check.manifest import ManifestError, parse_manifest

        data = await body(request)
        if desk.root is None or desk.kind != "packet":
            return _json({"error": "没有打开材料包"}, 400)
        if not native(desk.root).is_dir():
            return _json({"error": ".zip 材料包里不能保存 changju.yaml：请先解压到文件夹"}, 400)
        key = desk.category or (desk.report.category if desk.report is not None else None)
        category = desk.rules.categories.get(key) if key else None
        values = data.get("values")
        if category is None or not isinstance(values, dict):
            return _json({"error": "请先选择申报类别"}, 400)
        raw = await asyncio.to_thread(_manifest_raw, desk)
        fields = form.fields_for(category)
        confirmed = data.get("confirmed")
        sources = form.sources(form.read_facts(_report_dict(desk)), fields, values,
                               confirmed if isinstance(confirmed, list) else [])
        try:
            saved = await asyncio.to_thread(form.save, raw, key, fields, values, sources, replace=data.get("replace") is True)
            parse_manifest(saved.text, form.MANIFEST)
        except form.Unreadable as exc:
            return _json({"error": f"{exc}。保存会用表单的内容替换它，原文件中的内容不会保留。", "unreadable": True}, 409)
        except form.FormError as exc:
            return _json({"error": "；".join(exc.problems), "problems": exc.problems}, 400)
        except ManifestError as exc:
            return _json({"error": "；".join(p.message.zh for p in exc.problems)}, 400)
        target = desk.root / form.MANIFEST
        problem = await asyncio.to_thread(write_manifest, desk.root, saved.body)
        if problem is not None:
            return _json({"error": problem}, 409)
        desk.category = None  # the manifest says it now
        await _in_checker(desk, desk.check_job)
        return _json({"ok": True, "written": str(target), "next": "/check", "note": saved.note})

    async def api_bundle(request: Request):
        data = await body(request)
        if desk.root is None or desk.report is None:
            return _json({"error": "没有打开材料包"}, 400)
        dest = data.get("dest")
        if isinstance(dest, str) and dest.strip():
            target = Path(places.clean_path(dest))
            if target.is_dir():
                target = target / _book_name(desk)
            from changju_check.write import is_inside

            if native(desk.root).is_dir() and is_inside(target, desk.root):
                return _json({"error": "装订本不能保存在材料包里：请选另一个文件夹"}, 400)
            result = await asyncio.to_thread(run_bundle, desk, target, bool(data.get("overwrite")))
            if not result["ok"]:
                return _json(result, 400)
            return _json({"ok": True, "output": str(target), "pages": result.get("total_pages")})
        from changju_check.write.temp import private_dir

        private = private_dir("book")  # swept by the next run if this one is ended by Task Manager
        try:
            target = Path(private) / _book_name(desk)
            result = await asyncio.to_thread(run_bundle, desk, target, False)
            if not result["ok"]:
                return _json(result, 400)
            book = await asyncio.to_thread(target.read_bytes)
        finally:
            shutil.rmtree(private, ignore_errors=True)  # no copy of the scans outlives the answer
        return Response(book, media_type="application/pdf",
                        headers={"content-disposition": f"attachment; filename*=UTF-8''{quote(_book_name(desk))}"})

    async def api_quit(request: Request):
        desk.stopping.set()
        return _json({"ok": True})

    async def api_events(request: Request):
        async def stream():
            desk.client_joined()
            try:
                yield "retry: 1000\n\n"
                last = None
                beat = time.monotonic()
                while not desk.stopping.is_set():
                    state = (desk.version, desk.busy)
                    if state != last:
                        last = state
                        yield f"event: state\ndata: {json.dumps({'version': state[0], 'busy': state[1]})}\n\n"
                        beat = time.monotonic()
                    elif time.monotonic() - beat > 10:
                        yield ": ping\n\n"
                        beat = time.monotonic()
                    await asyncio.sleep(0.05)
                yield "event: quit\ndata: {}\n\n"
            finally:
                desk.client_left()

        return StreamingResponse(stream(), media_type="text/event-stream", headers={"x-accel-buffering": "no"})

    def after_opening(handler):
        """Every answer waits for the folder given on the command line to be opened and checked."""

        async def wrapped(request: Request):
            await _settled(desk)
            return await handler(request)

        return wrapped

    routes = [
        Route("/", after_opening(home)),
        Route("/choose", after_opening(choose)),
        Route("/category", after_opening(category_page)),
        Route("/facts", after_opening(facts_page)),
        Route("/check", after_opening(check_page)),
        Route("/check/list", after_opening(check_list)),
        Route("/batch", after_opening(batch_page)),
        Route("/sheet", after_opening(sheet)),
        Route("/thumb", after_opening(thumb)),
        Route("/file", after_opening(file)),
        Route("/api/report", after_opening(api_report)),
        Route("/api/state", after_opening(api_state)),
        Route("/api/browse", after_opening(api_browse)),
        Route("/api/events", after_opening(api_events)),
        Route("/api/batch.csv", after_opening(batch_csv)),
        Route("/api/open", after_opening(api_open), methods=["POST"]),
        Route("/api/category", after_opening(api_category), methods=["POST"]),
        Route("/api/manifest", after_opening(api_manifest), methods=["POST"]),
        Route("/api/bundle", after_opening(api_bundle), methods=["POST"]),
        Route("/api/quit", after_opening(api_quit), methods=["POST"]),
        Mount("/static", app=StaticFiles(directory=str(STATIC)), name="static"),
    ]
    return Guard(Starlette(routes=routes), token=token, port=port)


def _note_picture(note: str) -> bytes:
    """Why a page has no picture, as a small picture (where the page would be): an SVG of text only."""
    from xml.sax.saxutils import escape

    lines = [note[i:i + 14] for i in range(0, min(len(note), 70), 14)]
    rows = "".join(f'<tspan x="12" dy="22">{escape(line)}</tspan>' for line in lines)
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="240" height="160" viewBox="0 0 240 160">'
            f'<title>{escape(note)}</title><rect x="1" y="1" width="238" height="158" fill="#fafafa" stroke="#999" stroke-dasharray="6 4"/>'
            f'<text y="24" font-size="15" fill="#555" font-family="sans-serif">{rows}</text></svg>').encode("utf-8")


def _box(text: str) -> tuple[float, float, float, float] | None:
    """`x0,y0,x1,y1` as fractions of the page (Evidence.box), or None."""
    try:
        x0, y0, x1, y1 = (float(v) for v in text.split(","))
    except ValueError:
        return None
    return (x0, y0, x1, y1) if 0 <= x0 < x1 <= 1 and 0 <= y0 < y1 <= 1 else None


def _book_name(desk: Desk) -> str:
    name = desk.root.name if desk.root is not None else "packet"
    if name.lower().endswith(".zip"):
        name = name[:-4]
    return f"{name}-装订本.pdf"


def run_bundle(desk: Desk, target: Path, overwrite: bool) -> dict[str, Any]:
    """`changju bundle PACKET -o TARGET --format json`, the command itself in a child process (the
    same book, the same refusals), with the app's category and check options."""
    cmd = [sys.executable, "-m", "changju_check", "bundle", str(desk.root), "-o", str(target), "--format", "json", "--lang", "zh"]
    if desk.category:
        cmd += ["--category", desk.category]
    if desk.base.as_of is not None:
        cmd += ["--as-of", desk.base.as_of.isoformat()]
    if desk.base.rules_dir is not None:
        cmd += ["--rules", str(desk.base.rules_dir)]
    if overwrite:
        cmd.append("--overwrite")
    env = dict(os.environ, PYTHONIOENCODING="utf-8", CHANGJU_LANG="zh")
    flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)
    try:
        done = subprocess.run(cmd, capture_output=True, timeout=BUNDLE_TIMEOUT_S, env=env, creationflags=flags)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return {"ok": False, "error": f"生成装订本失败：{exc}"}
    out = done.stdout.decode("utf-8", errors="replace")
    try:
        data = json.loads(out) if out.strip() else {}
    except ValueError:
        data = {}
    if done.returncode == 0 and data.get("ok"):
        return data
    reasons = [f"{f.get('code', '')} {f.get('message', '')}".strip() for f in data.get("findings", [])]
    err = done.stderr.decode("utf-8", errors="replace").strip()
    return {"ok": False, "error": "不能装订：" + ("；".join(reasons) if reasons else err.splitlines()[-1] if err else "未知原因")}


class Running:
    """A started server: its address (with the token) and how to stop it."""

    def __init__(self, desk: Desk, server: Any, thread: threading.Thread, url: str) -> None:
        self.desk, self.server, self.thread, self.url = desk, server, thread, url

    def stop(self) -> None:
        self.desk.close()
        self.server.should_exit = True
        self.thread.join(10)


def start(desk: Desk, *, port: int = 0, path: str = "/") -> Running:
    """Listen on 127.0.0.1:`port` (0: a free one) and serve from a thread; returns once listening."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if sys.platform != "win32":
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(64)
    port = sock.getsockname()[1]
    token = new_token()
    app = build_app(desk, token=token, port=port)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off", log_config=None,
                            timeout_graceful_shutdown=2, ws="none")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True, name="changju-desk-server")
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.01)
    if not server.started:
        server.should_exit = True
        raise OSError("the desk app's server did not start")
    return Running(desk, server, thread, f"http://127.0.0.1:{port}{path}?token={token}")


def serve_forever(running: Running) -> None:
    """Run the checks in this thread until 退出, the last tab closed, or the server stopped.
    Ctrl-C / SIGTERM arrive here as exceptions (the CLI's handlers); the server stops either way."""
    desk = running.desk
    try:
        while not desk.stopping.is_set() and running.thread.is_alive():
            desk.run_jobs(0.1)
            if desk.abandoned():
                break
    finally:
        running.stop()
