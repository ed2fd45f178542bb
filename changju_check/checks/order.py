"""CJ207 (and CJ208): 须与系统填报顺序保持一致.

Files are ordered by the number their names start with ("01-…", "(2)…"), else by the system
entry whose title their names carry, and compared with the manifest's `entries`. Only an order
that is known to be wrong is an error: a file that carries an entry's title and stands out of
that entry's place. Where the order cannot be verified - files without numbers or titles, or as
many files as entries there are not (one PDF holding all three patents) - a warning says so.
`entries` that are missing or empty (a template's `patents: []`) are "not given" (CJ208).
"""

from __future__ import annotations

from pathlib import PurePosixPath

from changju_check.checks.context import CheckContext
from changju_check.recognise.names import fold, leading_number
from changju_check.recognise.order import entry_index
from changju_check.rulebook.codes import finding

CODES = ("CJ207", "CJ208")


def check(ctx: CheckContext, section, item, constraint):
    paths = ctx.item_files(item)
    if not paths:
        return
    number = ctx.number(section, item)
    title_zh, title_en = ctx.title(item)
    entries = getattr(ctx.manifest.entries, constraint.entries, None) if ctx.manifest.entries else None
    if not entries:  # not given, or left empty from a template
        if len(paths) > 1:
            yield finding(
                "CJ208",
                f"{number} {title_zh}有 {len(paths)} 个文件，但 changju.yaml 中没有填写 entries.{constraint.entries}，无法核对与系统填报顺序是否一致",
                f"{number} {title_en}: {len(paths)} files but entries.{constraint.entries} is not filled in changju.yaml; the system's order cannot be verified",
                material=item.key,
                line=ctx.line("entries", constraint.entries),
            )
        return
    line = ctx.line("entries", constraint.entries)
    titles = ["".join(fold(e.title).split()) for e in entries]
    index = {p: entry_index(p, titles) for p in paths}
    unplaced = [p for p in paths if leading_number(PurePosixPath(p).name) is None and index[p] is None]
    if len(paths) > 1 and unplaced:
        yield finding(
            "CJ207",
            f"{number} {title_zh}：{len(unplaced)} 个文件的文件名没有序号，也没有写明对应的系统填报项，无法核对顺序：" + "，".join(unplaced),
            f"{number} {title_en}: {len(unplaced)} file(s) carry neither an order number nor an entry's title; the order cannot be verified: " + ", ".join(unplaced),
            material=item.key,
            line=line,
            severity="warning",
        )
        return  # the files' order is unknown: nothing more to compare
    if len(entries) != len(paths):
        yield finding(
            "CJ207",
            f"{number} {title_zh}：系统填报 {len(entries)} 项，材料包中有 {len(paths)} 个文件，无法逐项核对顺序；"
            "一个文件包含多项的，请确认文件内的顺序与系统填报一致",
            f"{number} {title_en}: {len(entries)} entries in the system, {len(paths)} files in the packet; the order "
            "cannot be verified item by item - where one file holds several entries, keep them in the system's order",
            material=item.key,
            line=line,
            severity="warning",
        )
        # files that carry entries' titles must still follow one another in the system's order
        last = None
        for position, path in enumerate(paths):
            i = index[path]
            if i is None:
                continue
            if last is not None and i < last[1]:
                yield finding(
                    "CJ207",
                    f"{number} 第{position + 1}个文件对应系统填报第{i + 1}项“{entries[i].title}”，却排在第{last[1] + 1}项“{entries[last[1]].title}”之后",
                    f"{number} file {position + 1} is entry {i + 1} “{entries[i].title}” but comes after entry {last[1] + 1} “{entries[last[1]].title}”",
                    material=item.key,
                    file=path,
                    line=ctx.line("entries", constraint.entries, i) or line,
                )
            else:
                last = (position, i)
        return
    for position, path in enumerate(paths):
        i = index[path]
        if i is not None and i != position:
            yield finding(
                "CJ207",
                f"{number} 第{position + 1}个文件对应系统填报第{i + 1}项“{entries[i].title}”",
                f"{number} file {position + 1} is entry {i + 1} “{entries[i].title}” in the system",
                material=item.key,
                file=path,
                line=ctx.line("entries", constraint.entries, i) or line,
            )
