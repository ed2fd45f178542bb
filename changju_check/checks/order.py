"""CJ207 (and CJ208): 须与系统填报顺序保持一致.

Files are ordered by the number their names start with ("01-…", "(2)…") and
compared, position by position, with the manifest's `entries`: the count, and
where a file's name carries an entry's title, that it stands at that entry's
position.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from changju_check.checks.context import CheckContext
from changju_check.recognise.names import fold, leading_number
from changju_check.recognise.order import entry_index
from changju_check.rules.codes import finding

CODES = ("CJ207", "CJ208")


def check(ctx: CheckContext, section, item, constraint):
    paths = ctx.item_files(item)
    if not paths:
        return
    number = ctx.number(section, item)
    title_zh, title_en = ctx.title(item)
    entries = getattr(ctx.manifest.entries, constraint.entries, None) if ctx.manifest.entries else None
    if entries is None:
        if len(paths) > 1:
            yield finding(
                "CJ208",
                f"{number} {title_zh}有 {len(paths)} 个文件，但 changju.yaml 中没有 entries.{constraint.entries}，无法核对与系统填报顺序是否一致",
                f"{number} {title_en}: {len(paths)} files but no entries.{constraint.entries} in changju.yaml; the system's order cannot be verified",
                material=item.key,
            )
        return
    line = ctx.line("entries", constraint.entries)
    unnumbered = [p for p in paths if leading_number(PurePosixPath(p).name) is None]
    if len(paths) > 1 and unnumbered:
        yield finding(
            "CJ207",
            f"{number} {title_zh}：{len(unnumbered)} 个文件的文件名没有序号，无法确定顺序：" + "，".join(unnumbered),
            f"{number} {title_en}: {len(unnumbered)} file(s) have no order number in their names: " + ", ".join(unnumbered),
            material=item.key,
            line=line,
        )
        return  # without numbers the files' order is unknown: nothing more to compare
    if len(entries) != len(paths):
        yield finding(
            "CJ207",
            f"{number} {title_zh}：系统填报 {len(entries)} 项，材料包中有 {len(paths)} 个文件",
            f"{number} {title_en}: {len(entries)} entries in the system, {len(paths)} files in the packet",
            material=item.key,
            line=line,
        )
    titles = ["".join(fold(e.title).split()) for e in entries]
    for position, path in enumerate(paths):
        index = entry_index(path, titles)
        if index is not None and index != position:
            yield finding(
                "CJ207",
                f"{number} 第{position + 1}个文件对应系统填报第{index + 1}项“{entries[index].title}”",
                f"{number} file {position + 1} is entry {index + 1} “{entries[index].title}” in the system",
                material=item.key,
                file=path,
                line=ctx.line("entries", constraint.entries, index) or line,
            )
