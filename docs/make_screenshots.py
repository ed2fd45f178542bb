#!/usr/bin/env python3
"""The review-sheet screenshots in docs/ (shown in README): two example packets, rendered by
`changju check --format html` and photographed in headless Chromium (tests/browser.py, Playwright).

    python docs/make_screenshots.py          # needs Debian's chromium

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


def main() -> int:
    from PIL import Image

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
