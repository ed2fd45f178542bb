"""The pages of the documentation site that would go stale if typed: made at build time.

mkdocs.yml names this file under `hooks:`. `on_config` writes the generated pages of both languages
(`reference/codes.md` is Chinese, `reference/codes.en.md` English) into `docs/reference/`, which git
ignores, before the files are collected; `on_page_markdown` fills the markers `<!-- gen:NAME -->`
that hand-written pages carry (a benchmark table inside the page that explains it).

Every source is read through the project's own API, never from a path: the finding codes from
`changju_check.rulebook.codes.catalogue()`, the checklists from what `changju list-required` and
`changju categories` print, the guide's readings from `load_rules()`, the CLI options from the
Typer app by click's introspection, the benchmark tables from `bench/*.json` (the tables of
`bench/table.py` where it has one). Nothing here is committed as a copy.

The page functions are plain (language in, Markdown out) so that tests/docs/ can check them
without mkdocs.
"""

from __future__ import annotations

import html
import importlib.util
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO / "bench"
LANGS = ("zh", "en")

SEVERITY = {
    "error": ("错误", "error"),
    "warning": ("警告", "warning"),
    "info": ("提示", "info"),
    "note": ("提示", "note"),
}


def _t(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


def page_path(path: str, lang: str) -> str:
    """`reference/codes.md` for Chinese (the default language), `reference/codes.en.md` for English."""
    return path if lang == "zh" else path[: -len(".md")] + f".{lang}.md"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


# --------------------------------------------------------------------------- the CLI, as it prints


def _invoke(*args: str) -> str:
    """What `changju ARGS` prints (exit 0 asserted): the page shows the command's own output."""
    from typer.testing import CliRunner

    from changju_check.cli import app

    result = CliRunner().invoke(app, list(args))
    if result.exit_code != 0:
        raise RuntimeError(f"changju {' '.join(args)} exited {result.exit_code}: {result.output}")
    return result.output


@lru_cache(maxsize=None)
def categories() -> list[dict]:
    """`changju categories --format json`: the online categories, then the offline types."""
    return json.loads(_invoke("categories", "--format", "json"))


def online_categories() -> list[dict]:
    return [c for c in categories() if c["mode"] == "online"]


# --------------------------------------------------------------------------- finding codes


def codes_page(lang: str) -> str:
    """参考 › 检查代码: one section per code (its anchor is the code in lower case, `#cj101`)."""
    from changju_check.render import codes_markdown_table
    from changju_check.rulebook.codes import catalogue

    out = [
        "# " + _t(lang, "检查代码", "Finding codes"),
        "",
        _t(
            lang,
            "每个代码的含义固定不变。`changju explain 代码` 在终端里显示同样的说明，"
            "`changju explain --table` 输出下面的总表；SARIF 报告的 `rules[]` 也来自同一个代码目录。"
            "本页在构建网站时由代码目录生成。",
            "Every code has a stable meaning. `changju explain CODE` prints the same text in a terminal, "
            "`changju explain --table` prints the table below; SARIF's `rules[]` comes from the same "
            "catalogue. This page is generated from the catalogue when the site is built.",
        ),
        "",
        codes_markdown_table(lang).rstrip("\n"),
        "",
    ]
    for entry in sorted(catalogue().values(), key=lambda c: c.code):
        sev = SEVERITY.get(entry.severity, (entry.severity, entry.severity))[lang == "en"]
        out += [
            f"## {entry.code} {entry.title.get(lang)} {{#{entry.code.lower()}}}",
            "",
            f"**{_t(lang, '严重程度', 'Severity')}**{_t(lang, '：', ': ')}{sev}",
            "",
            entry.description.get(lang),
            "",
            f"**{_t(lang, '修改方法', 'How to fix')}**{_t(lang, '：', ': ')}{entry.fix.get(lang)}",
            "",
        ]
    return "\n".join(out)


# --------------------------------------------------------------------------- checklists


def _markdownish(text: str) -> str:
    """list-required's markdown as a page: blank lines around headings, its footnote lines as
    paragraphs (a line starting with "* " would become a list)."""
    lines: list[str] = []
    for line in text.rstrip("\n").splitlines():
        if line.startswith("#"):
            lines += ["", line[1:], ""]  # the command's ### (a section) is the page's ##
        elif line.startswith("* "):
            lines += ["", "\\" + line, ""]
        elif line and not line.startswith("|"):
            lines += ["", line, ""]
        else:
            lines.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


def checklist_page(key: str, lang: str) -> str:
    """参考 › 材料清单 › one category: exactly what `changju list-required KEY --all --names` prints."""
    cat = next(c for c in categories() if c["key"] == key)
    title = cat["title_en"] if lang == "en" else cat["title"]
    cmd = f"changju list-required {key} --all --names --format markdown" + (" --lang en" if lang == "en" else "")
    body = _invoke("list-required", key, "--all", "--names", "--format", "markdown", "--lang", lang)
    facts = [
        f"- {_t(lang, '指南位置', 'In the guide')}{_t(lang, '：', ': ')}{cat['guide_section']}",
        f"- {_t(lang, '命令行中的写法', 'On the command line')}{_t(lang, '：', ': ')}"
        + ", ".join(f"`{a}`" for a in [key, *cat["aliases"]]),
    ]
    if cat.get("copies"):
        colour = cat["cover_colour_en"] if lang == "en" else cat["cover_colour"]
        facts.append(
            _t(lang, f"- 装订：封皮{colour}，{cat['copies']} 份", f"- Binding: {colour} cover, {cat['copies']} copies")
        )
    return "\n".join(
        [
            f"# {title}",
            "",
            *facts,
            "",
            _t(lang, f"本页即 `{cmd}` 的输出（构建网站时生成）。", f"This page is what `{cmd}` prints (generated when the site is built)."),
            "",
            _markdownish(body.split("\n", 1)[1] if body.startswith("## ") else body),
            "",
        ]
    )


def checklists_index(lang: str) -> str:
    """参考 › 材料清单: every category (online), then the types handled outside the online system."""
    modes = {
        "online": ("线上", "online"),
        "offline": ("线下", "offline"),
        "external": ("另行规定", "separate rules"),
        "not_open": ("未开放", "not open"),
    }
    out = [
        "# " + _t(lang, "各类别材料清单", "Every category's checklist"),
        "",
        _t(
            lang,
            "下表由 `changju categories` 生成；每个类别的页面是 `changju list-required 类别 --all --names` 的输出。"
            "命令行上可以写代码（如 `youth`），也可以写表中任何一个别名（如 `青年`）。",
            "The table is generated from `changju categories`; each category's page is what "
            "`changju list-required CATEGORY --all --names` prints. On the command line a category is "
            "its key (`youth`) or any of its aliases (`青年`).",
        ),
        "",
        "| " + " | ".join([_t(lang, "代码", "key"), _t(lang, "类别", "Category"), _t(lang, "适用对象", "Who it is for"),
                          _t(lang, "方式", "Mode"), _t(lang, "封皮", "Cover"), _t(lang, "份数", "Copies"),
                          _t(lang, "别名", "Aliases")]) + " |",
        "|---|---|---|---|---|---|---|",
    ]
    for c in categories():
        title = c["title_en"] if lang == "en" else c["title"]
        if c["mode"] == "online":
            title = f"[{title}]({c['key']}.md)"
        colour = (c["cover_colour_en"] if lang == "en" else c["cover_colour"]) or "—"
        audience = (c["audience_en"] if lang == "en" else c["audience"]) or "—"  # offline types: their section below
        out.append(
            f"| `{c['key']}` | {title} | {_cell(audience)} | {modes[c['mode']][lang == 'en']} | {colour} | "
            f"{c['copies'] or '—'} | {_cell(', '.join(c['aliases']))} |"
        )
    out += [
        "",
        "## " + _t(lang, "线下申报及另行规定的类型", "Types handled outside the online system"),
        "",
        _t(
            lang,
            "这些类型按名称识别：`list-required` 和 `check` 说明该类型怎样办理，并以 0 退出。",
            "These types are known by name: `list-required` and `check` explain how the type is handled and exit 0.",
        ),
        "",
    ]
    for c in categories():
        if c["mode"] == "online":
            continue
        title = c["title_en"] if lang == "en" else c["title"]
        text = _invoke("list-required", c["key"], "--lang", lang).strip().splitlines()
        out += [f"### {title}", "", "\n".join(text[1:]).strip() or text[0], ""]
    out += [
        "## " + _t(lang, "`list-required --format json` 的字段", "The fields of `list-required --format json`"),
        "",
        _t(
            lang,
            "JSON 输出是稳定的约定：按指南顺序排列的材料列表，每项有 `id`（稳定的 snake_case）、`section`"
            "（`unit`、`person`、`registration`、`forum`）、`number`（`\"2.(5)\"`）、`title`（指南原文）、`title_en`、"
            "`required`（`true`、`false` 或 `{\"when\"|\"unless\": 条件, \"text\": {...}}`）、`applies`、"
            "`accepts`（哪些目录材料可以满足该项：`of`、`choose`、`when`）、`note`、`note_en`、"
            "`constraints`（有类型：`years`、`contract`、`equity`、`ordered`、`recent`、`min_pages`、`max_count`、"
            "`contents`）和 `seal`。`--names` 另加 `names`：能识别该材料的文件名关键词。",
            "The JSON is a stable contract: a list of materials in the guide's order, each with `id` (stable "
            "snake_case), `section` (`unit`, `person`, `registration`, `forum`), `number` (`\"2.(5)\"`), "
            "`title` (as the guide words it), `title_en`, `required` (`true`, `false`, or "
            "`{\"when\"|\"unless\": condition, \"text\": {...}}`), `applies`, `accepts` (which catalogue "
            "materials satisfy the item: `of`, `choose`, `when`), `note`, `note_en`, `constraints` (typed: "
            "`years`, `contract`, `equity`, `ordered`, `recent`, `min_pages`, `max_count`, `contents`) and "
            "`seal`. `--names` adds `names`: the file-name words that recognise the material.",
        ),
        "",
    ]
    return "\n".join(out)


# --------------------------------------------------------------------------- the guide's readings


def readings_block(lang: str) -> str:
    """指南解读: per category, the readings its rule file documents and each item that carries a
    reading or a constraint — the guide's words beside the rule they became."""
    from changju_check.rulebook.load import load_rules
    from changju_check.rulebook.checklist import constraint_text, item_number

    rules = load_rules()
    out: list[str] = []
    for c in online_categories():
        cat = rules.categories[c["key"]]
        title = cat.title_en if lang == "en" else cat.title
        rows = []
        for section, item in cat.items():
            rule = [constraint_text(k, lang) for k in item.constraints]
            if item.reading:
                rule.append(_t(lang, "解读：", "reading: ") + item.reading)
            if not rule:
                continue
            words = item.title + (f"（{item.note}）" if item.note else "")
            rows.append(f"| {item_number(section, item)} | {_cell(words)} | {_cell(_t(lang, '；', '; ').join(rule))} |")
        out += [f"### {title}", ""]
        if cat.readings:
            out += [_t(lang, "规则文件记录的解读：", "Readings recorded in the rule file:"), ""]
            out += [f"- {r}" for r in cat.readings] + [""]
        if rows:
            out += [
                "| " + _t(lang, "序号 | 指南原文 | 变成的规则", "No. | The guide's words | The rule it became") + " |",
                "|---|---|---|",
                *rows,
                "",
            ]
    if lang == "en":
        out.insert(0, "The readings and the guide's words are quoted from the rule files as they are (in Chinese); "
                      "the rule column is the constraint as changju states it.\n")
    return "\n".join(out)


# --------------------------------------------------------------------------- CLI options


def _param_rows(cmd, ctx, lang: str) -> list[str]:
    """One table row per visible parameter: click's own help record (what `--help` prints), the
    Chinese help's "[default: …]" said in Chinese."""
    from changju_check.cli.i18n import _translate_help_row

    rows = []
    for param in cmd.params:
        record = None if getattr(param, "hidden", False) else param.get_help_record(ctx)
        if record is None and getattr(param, "param_type_name", "") == "argument" and not getattr(param, "hidden", False):
            record = (param.make_metavar(ctx) if hasattr(param, "make_metavar") else param.name.upper(), param.help or "")
        if record is None:
            continue
        names, help_text = record
        if lang == "zh":
            help_text = _translate_help_row(help_text)
        # a code span would show the backslash of an escaped "|" (`--lang <zh|en>`): HTML code instead
        code = html.escape(names).replace("|", "&#124;")
        rows.append(f"| <code>{code}</code> | {_cell(help_text)} |")
    return rows


def cli_page(lang: str) -> str:
    """参考 › 命令行选项: every command and option of the Typer app, read by click's introspection
    (the rows `changju COMMAND --help` prints, in the page's language)."""
    import typer.main

    from changju_check.cli import app
    from changju_check.cli.i18n import localise

    root = typer.main.get_command(app)
    localise(root, lang)
    out = [
        "# " + _t(lang, "命令行选项", "Command-line options"),
        "",
        _t(
            lang,
            "本页在构建网站时从程序本身读出，与 `changju 命令 --help` 显示的相同。`--lang`、`--color` 写在命令前后均可。"
            "退出码：0 没有错误，1 发现错误，2 无法使用的输入。",
            "This page is read from the program itself when the site is built: the same as "
            "`changju COMMAND --help --lang en`. `--lang` and `--color` go before or after the command. "
            "Exit codes: 0 no errors, 1 errors found, 2 unusable input.",
        ),
        "",
    ]
    head = ["| " + _t(lang, "参数或选项 | 说明", "Argument or option | Help") + " |", "|---|---|"]
    root_ctx = root.context_class(root, info_name="changju")

    def section(cmd, path: str, ctx) -> None:
        text = (cmd.help or "").strip().split("\n\n")[0]
        out.extend([f"## `{path}`", "", text, "", *head, *_param_rows(cmd, ctx, lang), ""])

    def walk(cmd, path: str, parent) -> None:
        for name in sorted(getattr(cmd, "commands", None) or {}):
            sub = cmd.commands[name]
            ctx = sub.context_class(sub, info_name=name, parent=parent)
            if getattr(sub, "commands", None):
                walk(sub, f"{path} {name}", ctx)
            else:
                section(sub, f"{path} {name}", ctx)

    section(root, "changju", root_ctx)  # the program's own options (--version, --install-completion, …)
    walk(root, "changju", root_ctx)
    return "\n".join(out)


# --------------------------------------------------------------------------- benchmarks


def _bench_json(name: str) -> dict:
    return json.loads((BENCH / f"{name}.json").read_text(encoding="utf-8"))


def _bench_table_module():
    spec = importlib.util.spec_from_file_location("changju_bench_table", BENCH / "table.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def bench_results(lang: str) -> str:
    """bench/results.json as bench/table.py writes it (the measures stay in English: they name
    the baselines exactly)."""
    return _bench_table_module().markdown(_bench_json("results"))


def _side_by_side(name: str, lang: str, measured: tuple[str, str]) -> str:
    """A bench that times the default check against the tree at a ref, side by side (realdocs_bench,
    facts_bench): one row per packet, the machine and load under it."""
    d = _bench_json(name)
    ref = d["baseline"]["ref"]
    rows = [
        "| " + _t(lang, f"材料包（25 个文件，青年类） | 之前（{ref}） | {measured[0]} | 比值 | 目标",
                  f"packet (25 files, youth) | before ({ref}) | {measured[1]} | ratio | target") + " |",
        "|---|---|---|---|---|",
    ]
    names = {"bench packet": ("bench/run.py 的材料包", "bench/run.py's packet"),
             "bench packet with real documents": ("同上，换成语料库中的真实文件", "the same with its real documents from the corpus")}
    for key, r in d["results"].items():
        label = names.get(key, (key, key))[lang == "en"]
        pages = f"{_t(lang, '，识别 ', ', ')}{r['pages_read']}{_t(lang, ' 页', ' pages OCR’d')}" if "pages_read" in r else ""
        rows.append(f"| {label} | {r['baseline_s']:.3f} s | {r['current_s']:.3f} s{pages} | {r['ratio']:.2f}× | ≤ {r['target_ratio']:g}× |")
    rows += ["", _t(lang, f"{d['machine']}；负载 {d['load_average_start']:g}–{d['load_average_end']:g}；"
                          f"交替运行 {d['repeats']} 次取中位数；测于 {d['measured'][:10]}。",
                    f"{d['machine']}; load average {d['load_average_start']:g}–{d['load_average_end']:g}; "
                    f"median of {d['repeats']} alternating runs; measured {d['measured'][:10]}.")]
    return "\n".join(rows)


def bench_realdocs(lang: str) -> str:
    return _side_by_side("realdocs_results", lang, ("读取文字层", "with text layers read"))


def bench_facts(lang: str) -> str:
    """bench/facts_results.json (python bench/facts_bench.py): reading pages by default costs a
    well-named packet with a full manifest nothing (issue 27)."""
    return _side_by_side("facts_results", lang, ("默认读取页面", "pages read by default"))


def bench_app(lang: str) -> str:
    """bench/app_results.json (python bench/app_bench.py): the desk app's first checklist against
    `changju check`, and one added file's new verdict against inspecting that file (issue 28)."""
    d = _bench_json("app_results")
    r, t = d["bench_packet"], d["targets"]
    files = r["files"]
    ok = {True: _t(lang, "达到", "met"), False: _t(lang, "未达到", "not met")}
    met = r.get("met") or {}
    rows = [
        "| " + _t(lang, "测量 | 结果 | 目标", "measure | result | target") + " |",
        "|---|---|---|",
        f"| {_t(lang, f'第一次显示清单 / `changju check --format json`（{files} 个文件）', f'first checklist on screen / `changju check --format json` ({files} files)')} "
        f"| {r['first_checklist_s']:.2f} s / {r['check_json_s']:.2f} s = {r['first_over_check']:.2f}× "
        f"| ≤ {t['first_checklist_over_check']:g}× {ok.get(met.get('first_checklist'), '')} |",
        f"| {_t(lang, '加入一个文件后显示新结论 − 检查这一个文件', 'new verdict after one file is added − inspecting that one file')} "
        f"| {r['update_s']:.3f} s − {r['inspect_one_s']:.3f} s = {r['update_minus_inspect_one_s']:.3f} s "
        f"| ≤ {t['update_over_inspect_one_s']:g} s {ok.get(met.get('update'), '')} |",
        f"| {_t(lang, '加入文件后重新检查的文件', 'files inspected again after the addition')} | "
        + ", ".join(f"`{p}`" for p in r["inspected_after_add"]) + " | " + _t(lang, "只有新加的文件", "the new file only") + " |",
        "",
        _t(lang, f"{d['cores']} 核，Python {d['python']}，开始时负载 {d['load_average_at_start']:g}；测于 {d['when'][:10]}。",
           f"{d['cores']} cores, Python {d['python']}, load average {d['load_average_at_start']:g} at the start; measured {d['when'][:10]}."),
    ]
    return "\n".join(rows)


def bench_scan(lang: str) -> str:
    d = _bench_json("scan_results")
    p, k, t, m = d["per_page"], d["packet_25_files"], d["targets"], d["machine"]
    dpi, pages, threads, files, ocr = d["dpi"], p["pages"], p["threads"], k["files"], k["ocr_pages"]
    rows = [
        "| " + _t(lang, "测量 | 结果 | 目标", "measure | result | target") + " |",
        "|---|---|---|",
        f"| {_t(lang, f'以 {dpi} dpi 识别一页（{pages} 页平均；{threads} 核）', f'OCR of one page at {dpi} dpi (mean of {pages} pages; {threads} cores)')} "
        f"| {p['mean_s']:.2f} s (max {p['max_s']:.2f} s) | ≤ {t['seconds_per_page']:g} s |",
        f"| {_t(lang, '引擎启动（载入模型）', 'engine start-up (models loaded)')} | {p['engine_startup_s']:.2f} s | |",
        f"| {_t(lang, f'全部是扫描件的 {files} 个文件的材料包，冷启动（识别 {ocr} 页）', f'fully scanned {files}-file packet, cold ({ocr} pages OCR’d)')} "
        f"| {k['cold_s']:g} s | ≤ {t['cold_seconds']:g} s |",
        f"| {_t(lang, '同一材料包，有缓存', 'the same packet, warm (cache)')} | {k['warm_s']:.3f} s | ≤ {t['warm_seconds']:g} s |",
        "",
        f"{m['cpus']} cores, Python {m['python']}, "
        + ", ".join(f"{n} {v}" for n, v in d["versions"].items())
        + _t(lang, f"；开始时负载 {m['load_average_1min_at_start']:.2f}。", f"; load average {m['load_average_1min_at_start']:.2f} at the start."),
    ]
    return "\n".join(rows)


def bench_html(lang: str) -> str:
    d = _bench_json("html_results")
    t = d["targets"]
    rows = [
        "| " + _t(lang, "材料包 | `--format json` 墙钟 / CPU | `--format html` 墙钟 / CPU | 审阅页 | 最大的图 | 目标",
                  "packet | `--format json` wall / CPU | `--format html` wall / CPU | sheet | largest picture | target") + " |",
        "|---|---|---|---|---|---|",
    ]
    names = {"bench_packet": (("bench 材料包（25 个 PDF）", "bench packet (25 PDFs)"), f"≤ {t['html_s']:g} s, ≤ {t['html_bytes'] / 1e6:g} MB, ≤ {t['image_bytes'] / 1000:g} KB"),
             "scanned_packet": (("25 个手机拍照扫描件（150 dpi JPEG）", "25 phone-photo scans (150 dpi JPEG)"), f"≤ {t['html_bytes'] / 1e6:g} MB, ≤ {t['image_bytes'] / 1000:g} KB")}
    for key, (label, target) in names.items():
        r = d[key]
        rows.append(
            f"| {label[lang == 'en']} | {r['json_check_s']:.2f} s / {r['json_check_cpu_s']:.2f} s | {r['html_s']:.2f} s / {r['html_cpu_s']:.2f} s "
            f"| {r['html_bytes'] / 1e6:.2f} MB, {r['images']} {_t(lang, '张图', 'pictures')} | {r['largest_image_bytes'] / 1000:.1f} KB | {target} |"
        )
    rows += ["", _t(lang, f"{d['cores']} 核，Python {d['python']}，开始时负载 {d['load_average_at_start']:g}；测于 {d['when'][:10]}。",
                    f"{d['cores']} cores, Python {d['python']}, load average {d['load_average_at_start']:g} at the start; measured {d['when'][:10]}.")]
    return "\n".join(rows)


def bench_bundle(lang: str) -> str:
    d = _bench_json("bundle_memory")
    return "\n".join([
        "| " + _t(lang, "测量 | 结果", "measure | result") + " |",
        "|---|---|",
        f"| {_t(lang, '装订本', 'book')} | {d['book_pages']} {_t(lang, '页', 'pages')}, {d['book_mib']:g} MiB, {d['seconds']:g} s |",
        f"| {_t(lang, '输入（最大 / 合计）', 'inputs (largest / all)')} | {d['largest_input_mib']:g} MiB / {d['all_inputs_mib']:g} MiB |",
        f"| {_t(lang, '峰值 RSS', 'peak RSS')} | {d['peak_rss_mib']:g} MiB |",
        f"| {_t(lang, '仅导入时的 RSS', 'RSS after the imports alone')} | {d['imports_only_rss_mib']:g} MiB |",
        f"| {_t(lang, '目标（最大输入 + 200 MB）', 'target (largest input + 200 MB)')} | ≤ {d['target_mib']:g} MiB — {_t(lang, '达到' if d['met'] else '未达到', 'met' if d['met'] else 'not met')} |",
        "",
        f"{d['machine']}; {_t(lang, '负载', 'load average')} {d['load_average_1min']:g}; {d['measured']}.",
    ])


def _share(right: int, of: int) -> str:
    return "—" if not of else f"{right / of:.0%}"


def bench_accuracy(lang: str) -> str:
    """bench/accuracy_results.json (python bench/accuracy.py): per document kind and fact, precision
    (right / read) and recall (right / expected) summed over the sources it was read from; the
    confidence threshold's record; per cross-check the false passes and false failures."""
    d = _bench_json("accuracy_results")
    source_zh = {"scan": "扫描件", "text layer": "文字层", "phone photo": "手机照片", "poor photo": "拍得差的照片"}
    cells: dict[tuple[str, str], dict] = {}
    for f in d["facts"]:
        cell = cells.setdefault((f["kind"], f["fact"]), {"sources": [], "expected": 0, "read": 0, "right": 0})
        source = source_zh.get(f["source"], f["source"]) if lang == "zh" else f["source"]
        weak = f["right"] < f["expected"] or f["right"] < f["read"]
        cell["sources"].append(f"**{source}** {f['right']}/{f['expected']}" if weak else source)
        for key in ("expected", "read", "right"):
            cell[key] += f[key]
    rows = [
        "| " + _t(lang, "文件种类 | 信息 | 来源 | 正确 / 读出 / 应读出 | 精确率 | 召回率",
                  "document kind | fact | sources | right / read / expected | precision | recall") + " |",
        "|---|---|---|---:|---:|---:|",
    ]
    for (kind, fact), c in sorted(cells.items()):
        rows.append(f"| {kind} | {fact} | {', '.join(c['sources'])} | {c['right']} / {c['read']} / {c['expected']} | "
                    f"{_share(c['right'], c['read'])} | {_share(c['right'], c['expected'])} |")
    c = d["confidence"]
    hi, lo = c["at_or_above"], c["below"]
    wrong = _t(lang, "无", "none") if c["highest_wrong"] is None else c["highest_wrong"]
    rows += ["", _t(lang,
                    f"置信度 ≥ {c['threshold']} 读出的信息：{hi['right']}/{hi['facts']} 正确；低于它的：{lo['right']}/{lo['facts']} 正确"
                    f"（正确信息的最低置信度 {c['lowest_right']}，错误信息的最高置信度 {wrong}）。"
                    + ("含文字识别（OCR）。" if d["ocr"] else "只读文字层（`--no-ocr`）。"),
                    f"Facts read at confidence ≥ {c['threshold']}: {hi['right']}/{hi['facts']} right; below: {lo['right']}/{lo['facts']} "
                    f"right (lowest confidence of a right fact {c['lowest_right']}, highest of a wrong one {wrong}). "
                    + ("OCR included." if d["ocr"] else "Text layers only (`--no-ocr`)."))]
    if d.get("misses"):
        rows += ["", _t(lang, "没有读出的：", "Not read: ") + "; ".join(f"`{m}`" for m in d["misses"])]
    rows += ["", "| " + _t(lang, "检查 | 用例 | 误通过 | 误报", "check | cases | false passes | false failures") + " |",
             "|---|---:|---:|---:|"]
    for code, k in sorted(d["checks"].items()):
        rows.append(f"| [{code}](../reference/codes.md#{code.lower()}) | {k['cases']} | {k['false_pass']} | {k['false_failure']} |")
    return "\n".join(rows)


def bench_hostile(lang: str) -> str:
    d = _bench_json("hostile_results")
    rows = [
        "| " + _t(lang, "情形 | 目标 | 恶意输入：秒 / MB / 退出码 | 对照：秒 / MB / 退出码 | 达到？",
                  "case | target | hostile: s / MB / exit | baseline: s / MB / exit | met?") + " |",
        "|---|---|---|---|---|",
    ]
    for c in d["cases"]:
        h, b = c["hostile"], c["baseline"]
        met = _t(lang, "是", "yes") if c["met"] else _t(lang, "**否**", "**no**")
        rows.append(f"| {_cell(c['case'])} | {_cell(c['target'])} | {h['seconds']:g} / {h['peak_mb']:g} / {h['exit']} "
                    f"| {b['seconds']:g} / {b['peak_mb']:g} / {b['exit']} | {met} |")
    m = d["machine"]
    rows += ["", f"{m['cpus']} cores, Python {m['python']}, {_t(lang, '负载', 'load average')} {m['load_1min_start']:g}–{m['load_1min_end']:g}; {m['date']}."]
    return "\n".join(rows)


# --------------------------------------------------------------------------- the manifest's fields


def _schema_type(node: dict, defs: dict) -> tuple[str, dict | None]:
    """(a short type name, the object schema to descend into or None)."""
    options = [o for o in node.get("anyOf", [node]) if o.get("type") != "null"]
    names, child = [], None
    for o in options:
        if "$ref" in o:
            child = defs[o["$ref"].rsplit("/", 1)[1]]
            names.append("{…}")
        elif o.get("type") == "array":
            item = o.get("items", {})
            inner = [i.get("type", "{…}") if "$ref" not in i else "{…}" for i in item.get("anyOf", [item])]
            names.append("[" + " | ".join(dict.fromkeys(inner)) + "]")
        elif "enum" in o:
            names.append(" | ".join(str(e) for e in o["enum"]))
        elif o.get("type") == "object" and "additionalProperties" in o and isinstance(o["additionalProperties"], dict):
            names.append("{id: …}")
        else:
            names.append(o.get("type", "…"))
    return " \\| ".join(dict.fromkeys(names)), child


def _bilingual(text: str, lang: str) -> str:
    """The schema's descriptions are "中文 / English"."""
    if " / " not in text:
        return text
    zh, en = text.split(" / ", 1)
    return en if lang == "en" else zh


def manifest_fields(lang: str) -> str:
    """清单文件 › 逐个字段: every key of changju.yaml, from the JSON Schema `changju schema` prints."""
    from changju_check.manifest import manifest_json_schema

    schema = manifest_json_schema()
    defs = schema.get("$defs", {})
    rows = [
        "| " + _t(lang, "键 | 取值 | 含义 | 例", "key | value | meaning | examples") + " |",
        "|---|---|---|---|",
    ]

    def walk(obj: dict, prefix: str) -> None:
        for key, node in obj.get("properties", {}).items():
            kind, child = _schema_type(node, defs)
            desc = _bilingual(node.get("description") or (child or {}).get("description", ""), lang).rstrip(".")
            examples = node.get("examples") or next((o.get("examples") for o in node.get("anyOf", []) if o.get("examples")), None)
            ex = ", ".join(f"`{e}`" for e in examples[:4]) if examples else ""
            rows.append(f"| `{prefix}{key}` | {_cell(kind)} | {_cell(desc)} | {_cell(ex)} |")
            if child is not None:
                walk(child, f"{prefix}{key}.")

    walk(schema, "")
    return "\n".join(rows)


# --------------------------------------------------------------------------- the site


BLOCKS: dict[str, Callable[[str], str]] = {
    "bench.results": bench_results,
    "bench.realdocs": bench_realdocs,
    "bench.facts": bench_facts,
    "bench.app": bench_app,
    "bench.scan": bench_scan,
    "bench.html": bench_html,
    "bench.bundle": bench_bundle,
    "bench.hostile": bench_hostile,
    "bench.accuracy": bench_accuracy,
    "readings": readings_block,
    "manifest.fields": manifest_fields,
}
MARKER = re.compile(r"<!-- gen:([a-z.]+) -->")


def fill(markdown: str, lang: str) -> str:
    """Replace every `<!-- gen:NAME -->` marker of a hand-written page (an unknown name fails the build)."""

    def one(m: re.Match) -> str:
        if m[1] not in BLOCKS:
            raise KeyError(f"unknown generated block {m[1]!r} (known: {', '.join(sorted(BLOCKS))})")
        return BLOCKS[m[1]](lang)

    return MARKER.sub(one, markdown)


def pages(lang: str) -> dict[str, str]:
    """Every generated page of one language: its path in the site's source (Chinese naming) -> Markdown."""
    result = {
        "reference/codes.md": codes_page(lang),
        "reference/cli.md": cli_page(lang),
        "reference/checklists/index.md": checklists_index(lang),
    }
    for c in online_categories():
        result[f"reference/checklists/{c['key']}.md"] = checklist_page(c["key"], lang)
    return result


def _lang_of(src_uri: str) -> str:
    return "en" if src_uri.endswith(".en.md") else "zh"


# --------------------------------------------------------------------------- mkdocs hooks


def on_config(config):
    """The checklist pages in the nav: one per category the rules hold (next year's guide may add
    or drop one), after the list's index page."""

    def visit(node) -> bool:
        if isinstance(node, list):
            if "reference/checklists/index.md" in node:
                node[:] = ["reference/checklists/index.md"] + [f"reference/checklists/{c['key']}.md" for c in online_categories()]
                return True
            return any(visit(n) for n in node)
        if isinstance(node, dict):
            return any(visit(v) for v in node.values())
        return False

    if not visit(config["nav"]):
        raise ValueError("mkdocs.yml's nav has no list holding reference/checklists/index.md")
    write_pages(Path(config["docs_dir"]))
    return config


def write_pages(docs_dir: Path) -> list[Path]:
    """Write every generated page of both languages under docs_dir (`docs/reference/`, ignored by
    git). mkdocs-static-i18n sorts pages by language from files in docs_dir, so a page held in
    memory only would be lost; a file whose text is unchanged is not rewritten (`mkdocs serve`
    would rebuild forever)."""
    written = []
    for lang in LANGS:
        for path, text in pages(lang).items():
            target = docs_dir / page_path(path, lang)
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                target.write_text(text, encoding="utf-8")
            written.append(target)
    return written


def on_page_markdown(markdown, page, config, files):
    return fill(markdown, _lang_of(page.file.src_uri))
