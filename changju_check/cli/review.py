"""`changju check … --format html`: where the review sheet(s) go.

One packet: `-o FILE` (or `-o DIR` that exists: DIR/<packet>.html), or standard output (UTF-8
bytes, whatever the console's encoding). A batch: `-o DIR/` gets `index.html` and one sheet per
packet. Never inside a packet: the tool does not write into a user's packet.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

from changju_check.cli.app import _fail, _say, _write_error
from changju_check.report import Msg
from changju_check.write import is_inside, write_text


def _packet_name(packet: Path) -> str:
    name = packet.resolve().name or "packet"
    return (name[:-4] if name.lower().endswith(".zip") else name) + ".html"


def html_target(output: Optional[Path], packets: list[Path], is_batch: bool, lang: str) -> Optional[Path]:
    """The file (one packet) or folder (a batch) to write; exits 2 for an unusable -o."""
    if is_batch:
        if output is None:
            raise _fail(
                Msg(
                    zh="多个材料包的 HTML 报告需要一个输出文件夹：-o 文件夹/（写入 index.html 和每个材料包的报告）",
                    en="HTML for several packets needs an output folder: -o DIR/ (index.html and one report per packet)",
                ),
                lang,
            )
        if output.exists() and not output.is_dir():
            raise _fail(Msg(zh=f"{output} 不是文件夹", en=f"{output} is not a folder"), lang)
    elif output is not None and output.is_dir():
        output = output / _packet_name(packets[0])
    if output is not None:
        for packet in packets:
            if packet.is_dir() and is_inside(output, packet):
                raise _fail(
                    Msg(zh=f"报告不能写在材料包内：{output}", en=f"the report must not be written inside the packet: {output}"),
                    lang,
                )
    return output


def _write(path: Path, text: str) -> None:
    """UTF-8, through an exclusive temporary file beside it (see write/): never half a report."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text(path, text)


def emit_html(report, lang: str, output: Optional[Path], rules, printer=None) -> None:
    """One packet's review sheet (a batch's: cli/batch_out.py, a sheet as each report comes)."""
    from changju_check.render import html, summary_line

    text = html.render(report, lang, rules=rules, printer=printer)
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.buffer.flush()
        return
    try:
        _write(output, text)
    except OSError as exc:
        raise _fail(_write_error(output, exc), lang)
    _say(("Wrote " if lang == "en" else "已写入 ") + str(output))
    _say(summary_line(report, lang))
