"""`changju summary REPORT.json …`: one summary from the JSON reports of several runs (CI shards).

Every report is validated against the report's JSON Schema first (`changju schema --report`,
report/schema.py): a malformed or forged one (a string for a boolean, a count of `1e400`, `ok`
true beside its errors, a packet without a name, nesting 100,000 deep) is an error naming the file
and the JSON path, exit 2, and is never counted as passing.

The rows are built from each packet's JSON report exactly as `check --summary` builds them,
so the summary of the shards of a batch is the summary of the batch run at once. The exit code
is the worst of the packets', as `check` gives it.
"""

from __future__ import annotations

from changju_check.report.invocation import prog

from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from changju_check.cli.app import COLOR_OPTION, LANG_OPTION, NO_COLOR_OPTION, Lang, _color, _fail, _lang, _say, _width, _write, app


class SummaryFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    csv = "csv"
    json = "json"


SHOWN_PROBLEMS = 5


def _load(path: Path, lang: str) -> list[dict]:
    """The packet reports of one JSON report, validated against the report's schema
    (report/schema.py); exit 2 naming the file and the JSON path of what is wrong."""
    import json

    from changju_check.report import Msg
    from changju_check.report.schema import ReportInvalid, validate_report

    def no_constant(name: str):
        raise ValueError(f"{name} is not a number JSON allows")

    not_report = Msg(
        zh=f"{path} 不是 changju 的 JSON 报告（用 {prog()} check --format json 生成；格式见 {prog()} schema --report）",
        en=f"{path} is not a changju JSON report (made with {prog()} check --format json; see {prog()} schema --report)",
    )
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"), parse_constant=no_constant)
        return validate_report(doc)
    except OSError as exc:
        raise _fail(Msg(zh=f"无法读取 {path}：{exc.strerror or exc}", en=f"cannot read {path}: {exc.strerror or exc}"), lang)
    except RecursionError:
        raise _fail(Msg(zh=f"{not_report.zh}：嵌套过深", en=f"{not_report.en}: nested too deeply"), lang)
    except ReportInvalid as exc:
        shown = exc.problems[:SHOWN_PROBLEMS]
        more = len(exc.problems) - len(shown)
        tail = [f"  … (+{more})"] if more else []
        zh = [f"  {path}：{where}：{what}" for where, what, _ in shown] + tail
        en = [f"  {path}: {where}: {what}" for where, _, what in shown] + tail
        raise _fail(Msg(zh=not_report.zh + "：\n" + "\n".join(zh), en=not_report.en + ":\n" + "\n".join(en)), lang)
    except (UnicodeDecodeError, ValueError) as exc:  # json.JSONDecodeError is a ValueError
        raise _fail(Msg(zh=f"{not_report.zh}：{exc}", en=f"{not_report.en}: {exc}"), lang)


@app.command("summary")
def summary_cmd(
    reports: List[Path] = typer.Argument(..., help="JSON reports of changju check (e.g. one per CI shard)"),
    fmt: SummaryFormat = typer.Option(SummaryFormat.text, "--format", "-f", help="text, markdown, csv or json"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the summary to this file"),
    lang_opt: Optional[Lang] = LANG_OPTION,
    _color_opt: Optional[str] = COLOR_OPTION,
    _no_color: bool = NO_COLOR_OPTION,
) -> None:
    """One summary from several JSON reports (CI shards). / 合并多个 JSON 报告的汇总。"""
    from changju_check.render import render_summary
    from changju_check.render.summary import rows_from_dicts

    lang = _lang(lang_opt)
    packets: dict[str, dict] = {}
    for path in reports:
        for doc in _load(path, lang):
            key = str(doc.get("packet", ""))
            if key in packets:
                _say((f"warning: {key} is in more than one report; the last one counts" if lang == "en"
                      else f"警告：{key} 出现在多个报告中，以最后一个为准"), err=True)
            packets[key] = doc
    rows = rows_from_dicts(packets.values(), lang)
    from changju_check.cli import output as out

    body = render_summary(rows, fmt.value, lang, color=_color() and out.to_stdout(output), width=_width())
    _write(body, fmt.value, output, lang)
    raise typer.Exit(max((r.exit_code for r in rows), default=0))
