"""The desk app (`changju app`): the checker's face for an HR officer, in her browser.

A local web server on 127.0.0.1 (Starlette + uvicorn) that takes her from choosing a folder, through
the category and the 基本情况 questionnaire (which writes changju.yaml when she saves), to the
checklist that follows her changes in Explorer, the book and the printable sheet; a season folder
opens as the agency's table. The engine, the renderers and `changju bundle` do the work: nothing
here checks anything itself.

- `server.py` the routes, `start` (listening, serving from a thread) and `serve_forever`
- `guard.py`  token, cookie, Host, Origin and Content-Security-Policy checks on every request
- `state.py`  the open folder, its report, the page pictures and the work queue
- `form.py`   基本情况: questions, facts read from the pages, the manifest written on 保存
- `view.py`   verdict, stages and checklist from a report
- `places.py` the folder chooser; `watch.py` the folder watcher
- `templates/`, `static/` the pages, their CSS and a small plain script (no CDN, no build step)

Nothing here prints or exits; `cli/desk.py` prints the address and handles Ctrl-C.
"""
