#!/usr/bin/env python3
"""The screenshots in docs/ (shown in README), photographed in headless Chromium (tests/browser.py,
Playwright) from real runs:

- the review sheets of two example packets, rendered by `changju check --format html`;
- the desk app (`changju app`) on a copy of examples/youth-flawed without its 学信网 report and its
  category: docs/assets/app-checklist.png (检查结果), app-facts.png (基本情况, the name read from the
  ID card waiting for 确认), app-choose.png (the folder chooser) and app-batch.png (a season folder).

    python docs/make_screenshots.py          # needs Debian's chromium
    python docs/make_screenshots.py --app    # only the desk app's

Writes docs/review-sheet-youth-flawed.png (around its missing item) and
docs/review-sheet-forum-flawed.png (the top of the sheet): 1200x1600 CSS pixels, palette PNGs to
keep the repository small.
"""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.browser import Chromium  # noqa: E402

# (example, where to scroll: the first missing item, or the top of the sheet)
EXAMPLES = (("youth-flawed", "article.st-missing"), ("forum-flawed", None))


def _save(png: bytes, out: Path) -> None:
    from PIL import Image

    im = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT)
    out.parent.mkdir(parents=True, exist_ok=True)
    im.save(out, optimize=True)
    print(f"{out.relative_to(REPO)}: {out.stat().st_size // 1024} KB")


def app_shots() -> None:
    """The desk app, started as `changju app` is, on packets copied to a temporary folder."""
    import re
    import shutil

    from tests.desk.desk_app import start_app

    assets = REPO / "docs" / "assets"
    with tempfile.TemporaryDirectory(prefix="changju-app-shots-") as tmp, Chromium.start() as browser:
        season = Path(tmp) / "2023年申报"
        for name in ("youth-complete", "youth-flawed", "forum-flawed", "research-flawed"):
            shutil.copytree(REPO / "examples" / name, season / name)
        packet = season / "youth-flawed"
        text = (packet / "changju.yaml").read_text(encoding="utf-8")
        (packet / "changju.yaml").write_text(re.sub(r"(?m)^category: .*\n|^  name: 刘雨桐\n", "", text), encoding="utf-8")
        cache = str(Path(tmp) / "cache")  # no recent folders but this run's
        app = start_app(CHANGJU_CACHE_DIR=cache)
        try:
            page = browser.new_page(width=1200, height=900)
            pw = page.pw
            pw.goto(app.url)
            pw.goto(app.base + "/choose?dir=" + str(season))
            _save(page.screenshot(), assets / "app-choose.png")
            pw.evaluate(f"openFolder({str(packet)!r})")
            pw.wait_for_url("**/category")
            pw.click("button[data-category=youth]")
            pw.wait_for_url("**/facts")
            pw.wait_for_function("() => Array.from(document.images).every(i => i.complete)")
            _save(page.screenshot(), assets / "app-facts.png")
            for button in pw.locator("[data-fact=confirm]").all():
                button.click()
            pw.click("[data-action=save]")
            pw.wait_for_url("**/check")
            pw.set_viewport_size({"width": 1200, "height": 1400})
            pw.wait_for_function("() => Array.from(document.querySelectorAll('img.thumb')).every(i => i.complete && i.naturalWidth > 0)", timeout=60_000)
            _save(page.screenshot(), assets / "app-checklist.png")
        finally:
            app.stop()
        app = start_app(str(season), CHANGJU_CACHE_DIR=cache)
        try:
            page = browser.new_page(width=1200, height=700)
            page.pw.goto(app.url)
            page.pw.wait_for_url("**/batch")
            _save(page.screenshot(), assets / "app-batch.png")
        finally:
            app.stop()


def main() -> int:
    from PIL import Image

    if "--app" in sys.argv[1:]:
        app_shots()
        return 0
    app_shots()
    with tempfile.TemporaryDirectory(prefix="changju-shots-") as tmp, Chromium.start() as browser:
        for name, focus in EXAMPLES:
            sheet = Path(tmp) / f"{name}.html"
            subprocess.run(
                [sys.executable, "-m", "changju_check", "check", f"examples/{name}", "--format", "html", "-o", str(sheet)],
                cwd=REPO,
                check=False,
                stdout=subprocess.DEVNULL,
            )
            page = browser.open(sheet, width=1200, height=1600)
            if focus:
                page.evaluate(f"window.scrollTo(0, document.querySelector({focus!r}).getBoundingClientRect().top - 420)")
            png = page.screenshot()
            im = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT)
            out = REPO / "docs" / f"review-sheet-{name}.png"
            im.save(out, optimize=True)
            print(f"{out.relative_to(REPO)}: {out.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
