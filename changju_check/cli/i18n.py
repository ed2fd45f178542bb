"""The language of the command line itself: help texts and usage errors in Chinese by default.

The commands are declared with English help (the source); `main()` picks the language
before Typer parses anything (``--lang zh|en`` anywhere on the line, else ``CHANGJU_LANG``,
else Chinese) and, for Chinese, puts the texts of ``HELP_ZH`` on the click command tree and
a formatter that says 用法 / 参数 / 选项 / 命令 instead of Usage / Arguments / Options / Commands.

Keys of ``HELP_ZH``: ``""`` the program, ``"check"`` a command (``"rules validate"`` a
sub-command), ``"check --format"`` an option by its first long name, ``"check PATHS"`` an
argument by its name in capitals, ``"* --lang"`` an option on any command. A command or
option missing from the table keeps its English help. Nothing here writes to a stream.
"""

from __future__ import annotations

import os
import re
from typing import Any, Iterable, Optional

LANGS = ("zh", "en")

HELP_ZH: dict[str, str] = {
    "": "昌聚工程申报材料检查工具（2023 年申报指南）：检查材料包缺什么、哪条要求不满足、哪些文件损坏。",
    "* --lang": "界面和报告的语言：zh（默认）或 en；也可用环境变量 CHANGJU_LANG=en。写在命令前后均可。",
    "* --rules": "使用另一个规则目录（如下一年的申报指南）。",
    "* --color": "颜色：auto（默认，终端上才用颜色；遵守 NO_COLOR / FORCE_COLOR）、always 或 never。",
    "* --no-color": "不用颜色（同 --color never）。",
    "* --format": "输出格式。",
    "* --category": "申报类别的代码或中文名称（如 youth / 青年），优先于清单文件。",
    "* --manifest": "清单文件（默认：材料包中的 changju.yaml）。",
    "* --as-of": "参照日期（默认：清单中的 as_of，否则为今天）。",
    "* --force": "强制执行。",
    "* --version": "显示版本号并退出。",
    "* --help": "显示帮助并退出。",
    "* --install-completion": "为当前 shell 安装命令补全。",
    "* --show-completion": "显示当前 shell 的命令补全脚本，以便复制或自定义安装。",
    "categories": "列出全部申报类别：别名、线上或线下、封皮颜色和份数，以及每个类别适用于谁。",
    "list-required": "说明某类别适用于谁，并按申报指南的顺序列出它需要的材料。",
    "list-required CATEGORY": "申报类别的代码或中文名称，如 youth / 青年",
    "list-required --all": "同时列出可选材料。",
    "list-required --names": "同时列出能被识别的文件名关键词（文件名中含有其中之一即可）。",
    "explain": "解释检查代码的含义和修改方法。",
    "explain CODE": "检查代码，如 CJ101",
    "explain --table": "以 Markdown 表格输出全部代码（即文档网站“检查代码”页中的总表）。",
    "rules": "规则文件。",
    "rules validate": "校验规则目录（如为下一年的申报指南准备的规则）。",
    "rules validate DIRECTORY": "规则目录（默认：随程序提供的 2023 年规则）",
    "schema": "输出清单文件 changju.yaml 的 JSON Schema（供编辑器使用）；加 --report 则输出 JSON 报告的 JSON Schema。",
    "schema --report": "改为输出 JSON 报告的 JSON Schema（changju summary 接受的格式）。",
    "check": "检查申报材料包是否符合所选类别的要求。",
    "check PATHS": "材料包文件夹或 .zip 文件（可以多个）",
    "check --format": "输出格式：text、json、markdown、sarif、junit、github、gitlab、csv 或 html（审阅页：-o 文件，批量时 -o 目录/）。",
    "check --output": "把报告写入文件（- 表示标准输出）；终端上仍显示一行汇总。",
    "* --strict": "警告按错误计（默认：配置文件中的 strict，否则不按错误计）。",
    "* --select": "只检查这些代码（逗号分隔的前缀，如 CJ1,CJ201）。",
    "* --ignore": "跳过这些代码（逗号分隔的前缀）。",
    "check --batch": "检查此目录下每个含有 changju.yaml 的文件夹。",
    "* --jobs": "同时检查多个材料包时的进程数（默认：CPU 核数）。",
    "* --file-timeout": "检查一个文件最多用多少秒。",
    "* --read-scans": "读取每个扫描件的页面 / 从不读取（默认：装有 [scan] 扩展时，只在能改变结果之处读取，如文件名未说明的文件、清单中没有写的信息；配置中的 read_scans）。",
    "* --scan-pages": "每个扫描件最多读取的页数（每种文件需要读几页由其版式决定）。",
    "* --seals": "required：在指南要求盖章处检查公章；all：所有附件都检查。",
    "* --no-cache": "不使用识别结果缓存。",
    "init": "为某个类别生成带注释的 changju.yaml，并列出需要准备的材料。",
    "init DIRECTORY": "材料包文件夹（不存在时会新建）",
    "init --category": "申报类别的代码或中文名称",
    "init --read-scans": "从文件夹中已有的材料读取信息填入清单 / 不读取（默认：文件夹中已有文件时读取）。",
    "init --as-of": "写入清单的参照日期 as_of（默认：今天）。",
    "init --force": "覆盖已有的 changju.yaml。",
    "bundle": "生成可直接打印的装订本：申报书、附件材料目录、按指南顺序排列的附件。",
    "bundle PACKET": "材料包文件夹或 .zip 文件",
    "bundle --output": "要生成的装订本 PDF（不能在材料包内）。",
    "schema --output": "把 JSON Schema 写入文件（UTF-8；Windows PowerShell 5.1 的 > 会写成 UTF-16，编辑器读不了）。",
    "bundle --force": "即使检查发现错误也装订（损坏的文件始终不装订）。",
    "bundle --overwrite": "替换已存在的输出文件。",
    "bundle --no-page-numbers": "不在附件上加页码。",
    "bundle --recto": "目录和每份材料都从右页（奇数页）开始。",
    "bundle --include-unmatched": "把无法对应材料的文件作为“其他材料”附在最后。",
    "bundle --font": "目录用的中文 TrueType 字体。",
    "bundle --format": "输出格式：text 或 json。",
    "app": "桌面应用：在浏览器中选择材料文件夹、填写基本情况、查看检查结果、生成装订本（只在本机运行，不联网）。",
    "app FOLDER": "材料包文件夹或 .zip 文件，或放着许多材料包的文件夹（默认：在浏览器中选择）",
    "app --port": "本机 127.0.0.1 上的端口（默认：任选一个空闲端口）。",
    "app --no-browser": "不打开浏览器，只显示地址。",
    "bundle --batch": "为此目录下每个可装订的材料包各生成一本装订本，写入 --output 指定的文件夹。",
    "check --summary": "只输出汇总表（text、markdown、csv 或 json）。",
    "check --per-finding": "csv 格式：每个问题一行（默认每个材料包一行）。",
    "check --quiet": "只输出问题（材料包没有问题时什么也不输出）。",
    "check --exit-zero": "即使材料包有错误也以 0 退出（只出报告、不拦截的任务用）。",
    "check --shard": "K/N：只检查材料包按稳定规则分成 N 份中的第 K 份（CI 并行用）。",
    "check --changed": "给出的路径是改动过的文件（pre-commit 用）：检查包含这些文件的材料包。",
    "check --verbose": "文本报告中显示从页面读取的全部信息（默认只显示问题所依据的信息）。",
    "check --show-personal": "报告中显示从页面读取的身份证号、社会保障号码等完整号码（默认打码）。",
    "config": "显示 check 在此处使用的配置（命令行、changju.toml / [tool.changju]、默认值）及每项的来源。",
    "summary": "把多次运行（如 CI 的各个分片）的 JSON 报告合并成一份汇总，格式为 text、markdown、csv 或 json。",
    "summary REPORTS": "changju check 输出的 JSON 报告（如每个 CI 分片一份）",
    "summary --output": "把汇总写入此文件。",
}

_HEADINGS_ZH = {"Usage": "用法", "Arguments": "参数", "Options": "选项", "Commands": "命令"}
_EXTRAS_ZH = (
    (re.compile(r"\[default: "), "[默认："),
    (re.compile(r"\[required\]"), "[必填]"),
    (re.compile(r"; required\]"), "；必填]"),
    (re.compile(r"\[env var: "), "[环境变量："),
    (re.compile(r"^Show this message and exit\.$"), "显示帮助并退出。"),
)


def prescan(argv: Iterable[str]) -> Optional[str]:
    """The language asked for on the command line (``--lang en`` / ``--lang=en`` anywhere before
    a ``--``), else None. An unknown value is left for the option itself to refuse."""
    args = list(argv)
    for i, arg in enumerate(args):
        if arg == "--":
            break
        value = None
        if arg == "--lang" and i + 1 < len(args):
            value = args[i + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        if value is not None and value.strip().lower() in LANGS:
            return value.strip().lower()
    return None


def env_lang() -> str:
    env = os.environ.get("CHANGJU_LANG", "").strip().lower()
    return "en" if env.startswith("en") else "zh"


def pick(argv: Iterable[str]) -> str:
    """--lang on the line, else CHANGJU_LANG, else zh."""
    return prescan(argv) or env_lang()


# --------------------------------------------------------------------------- the command tree


def _param_key(param: Any) -> str:
    if getattr(param, "param_type_name", "") == "argument":
        return (param.name or "").upper()
    longs = [o for o in list(param.opts) + list(getattr(param, "secondary_opts", [])) if o.startswith("--")]
    return longs[0] if longs else (param.opts[0] if param.opts else "")


def _first_sentence(text: str) -> str:
    for stop in ("。", "："):
        if stop in text:
            return text.split(stop, 1)[0] + ("。" if stop == "。" else "")
    return text


def localise(command: Any, lang: str, path: str = "") -> None:
    """Put the Chinese help texts (and the Chinese formatter) on a click command tree, in place.
    For English nothing changes: the declared help is English."""
    if lang != "zh":
        return
    text = HELP_ZH.get(path)
    if text:
        command.help = text
        command.short_help = _first_sentence(text)
    command.context_class = _zh_context_class(command.context_class)
    for param in getattr(command, "params", []):
        key = _param_key(param)
        found = HELP_ZH.get(f"{path} {key}".strip()) or HELP_ZH.get(f"* {key}")
        if found and hasattr(param, "help"):
            param.help = found
    for name, sub in (getattr(command, "commands", None) or {}).items():
        localise(sub, lang, f"{path} {name}".strip())


def _translate_help_row(text: str) -> str:
    for pattern, repl in _EXTRAS_ZH:
        text = pattern.sub(repl, text)
    return text


_CONTEXTS: dict[type, type] = {}


def _zh_context_class(base: type) -> type:
    """A Context subclass whose help formatter speaks Chinese (one per base class)."""
    if base in _CONTEXTS or getattr(base, "_changju_zh", False):
        return _CONTEXTS.get(base, base)
    formatter_base = base.formatter_class

    class ZhFormatter(formatter_base):  # type: ignore[misc, valid-type]
        def write_usage(self, prog: str, args: str = "", prefix: Optional[str] = None) -> None:
            super().write_usage(prog, args, prefix="用法：" if prefix is None else prefix)

        def write_heading(self, heading: str) -> None:
            self.write(f"{'':>{self.current_indent}}{_HEADINGS_ZH.get(heading, heading)}：\n")

        def write_dl(self, rows: Any, *args: Any, **kwargs: Any) -> None:
            super().write_dl([(a, _translate_help_row(b)) for a, b in rows], *args, **kwargs)

    class ZhContext(base):  # type: ignore[misc, valid-type]
        formatter_class = ZhFormatter
        _changju_zh = True

    _CONTEXTS[base] = ZhContext
    return ZhContext


# --------------------------------------------------------------------------- usage errors

_ERRORS_ZH = (
    (
        re.compile(r"^No such option: (\S+)(?: \(Possible options: (.+)\)| Did you mean (.+)\?)?$"),
        lambda m: f"没有这个选项：{m[1]}" + (f"（是否应为 {m[2] or m[3]}？）" if m[2] or m[3] else ""),
    ),
    (re.compile(r"^No such command '(.+)'\.$"), lambda m: f"没有这个命令：{m[1]}（可用命令见 changju --help）"),
    (re.compile(r"^Missing command\.$"), lambda m: "缺少命令"),
    (re.compile(r"^Missing argument '(.+)'\.$"), lambda m: f"缺少参数 {m[1]}"),
    (re.compile(r"^Missing option '(.+)'\.$"), lambda m: f"缺少选项 {m[1]}"),
    (re.compile(r"^Option '(.+)' requires an argument\.$"), lambda m: f"选项 {m[1]} 后面要写一个值"),
    (re.compile(r"^Got unexpected extra arguments? \((.+)\)$"), lambda m: f"多余的参数：{m[1]}"),
    (
        re.compile(r"^Invalid value for (.+?): (?:Value error, )?'(.*)' is not one of (.+?)\.?$"),
        lambda m: f"{m[1]} 的取值 “{m[2]}” 无效，可选：{m[3].replace(' or ', ', ')}",
    ),
    (re.compile(r"^Invalid value for (.+?): '(.*)' is not a valid (\w+)\.$"), lambda m: f"{m[1]} 的取值 “{m[2]}” 无效：应为{_TYPE_ZH.get(m[3], m[3])}"),
    (
        re.compile(r"^Invalid value for (.+?): Input should be a valid (\w+)"),
        lambda m: f"{m[1]} 的取值无效：应为{_TYPE_ZH.get(m[2], m[2])}",
    ),
    (re.compile(r"^Invalid value for (.+?): (?:Value error, )?(.+)$"), lambda m: f"{m[1]} 的取值无效：{m[2]}"),
)
_TYPE_ZH = {"integer": "整数", "float": "数字", "number": "数字", "boolean": "true 或 false"}


def usage_error_text(message: str, command_path: str, lang: str) -> str:
    """The lines a usage error prints: the error, then how to get help."""
    if lang == "en":
        return f"Error: {message}\nTry '{command_path} --help' for help."
    for pattern, make in _ERRORS_ZH:
        match = pattern.match(message)
        if match:
            message = make(match)
            break
    return f"错误：{message}\n运行 {command_path} --help 查看用法。"
