"""The start-up baseline: a bare Typer app of the same shape as `changju`, generated from it.

    python bench/bare_app.py dump              # the real app's shape, as JSON (imports the CLI)
    python bench/bare_app.py write DIR         # dump, then write DIR/bare_changju/ (run: python -m bare_changju)

"The same shape" is what Typer itself works through at start-up: the same Typer() settings, the
same commands and sub-groups with their help texts, and for every command the same parameters —
option names, annotation (enums become enums with the same values), default, help, flags,
eager callbacks. The command bodies do nothing, so `python -m bare_changju list-required youth`
costs what Typer costs to get to the body of `list-required`; what `changju` spends beyond that
is its own. The bench regenerates the app on every run, so it follows the CLI as it changes.
"""

from __future__ import annotations

import enum
import json
import sys
import typing
from pathlib import Path

COMPLETION_PARAMS = ("install_completion", "show_completion")


# --------------------------------------------------------------------------- the shape


def _annotation(tp) -> dict:
    """A type annotation as plain data: {"kind": ..., ...}."""
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is typing.Union or (origin is not None and getattr(origin, "__name__", "") == "UnionType"):
        rest = [a for a in args if a is not type(None)]
        inner = _annotation(rest[0]) if len(rest) == 1 else {"kind": "name", "name": "str"}
        return {"kind": "optional", "of": inner} if type(None) in args else inner
    if origin in (list, typing.List):
        return {"kind": "list", "of": _annotation(args[0]) if args else {"kind": "name", "name": "str"}}
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return {"kind": "enum", "name": tp.__name__, "values": [m.value for m in tp]}
    if tp is Path or (isinstance(tp, type) and issubclass(tp, Path)):
        return {"kind": "name", "name": "Path"}
    if tp in (str, int, float, bool):
        return {"kind": "name", "name": tp.__name__}
    import datetime as _dt

    if tp in (_dt.datetime, _dt.date):
        return {"kind": "name", "name": "datetime"}
    return {"kind": "name", "name": "str"}


def _default(value):
    if isinstance(value, enum.Enum):
        return {"enum": value.value}
    if value is None or isinstance(value, (str, int, float, bool)):
        return {"value": value}
    if isinstance(value, (list, tuple)):
        return {"value": list(value)} if all(isinstance(v, (str, int, float, bool)) for v in value) else {"value": None}
    return {"value": str(value)}


def _hints(func) -> dict:
    """The parameter annotations of a command's function (Typer before 0.29 keeps no
    `type_descriptor` on its parameters)."""
    try:
        return typing.get_type_hints(func) if func is not None else {}
    except Exception:  # noqa: BLE001 - an annotation that cannot be resolved: str
        return {}


def _param(p, hints: dict | None = None) -> dict:
    from typer.core import TyperArgument

    desc = getattr(p, "type_descriptor", None)
    if desc is not None:
        ann = _annotation(desc.annotation)
    elif hints and p.name in hints:
        ann = _annotation(hints[p.name])
    else:
        ann = {"kind": "name", "name": "str"}
    return {
        "name": p.name,
        "argument": isinstance(p, TyperArgument),
        "opts": [o for o in p.opts if o.startswith("-")],
        "secondary": list(p.secondary_opts),
        "annotation": ann,
        "default": _default(p.default),
        "required": bool(p.required),
        "help": getattr(p, "help", None),
        "eager": bool(p.is_eager),
        "callback": p.callback is not None,
        "hidden": bool(getattr(p, "hidden", False)),
    }


def _typer_settings(t) -> dict:
    info = t.info
    return {
        "help": info.help if isinstance(info.help, str) else None,
        "no_args_is_help": bool(info.no_args_is_help) if isinstance(info.no_args_is_help, bool) else False,
        "context_settings": info.context_settings if isinstance(info.context_settings, dict) else None,
        "rich_markup_mode": t.rich_markup_mode if isinstance(t.rich_markup_mode, str) else None,
        "pretty_exceptions_enable": bool(t.pretty_exceptions_enable),
        "add_completion": bool(getattr(t, "_add_completion", True)),
    }


def _group(t, click_group, name: str | None) -> dict:
    out = {"name": name, "settings": _typer_settings(t), "callback": None, "commands": [], "groups": []}
    params = [p for p in click_group.params if p.name not in COMPLETION_PARAMS]
    if t.registered_callback is not None:
        hints = _hints(t.registered_callback.callback)
        out["callback"] = {"help": click_group.help, "params": [_param(p, hints) for p in params]}
    subgroups = {g.name or g.typer_instance.info.name: g.typer_instance for g in t.registered_groups}
    functions = {(c.name or c.callback.__name__.replace("_", "-")): c.callback for c in t.registered_commands}
    for cname, cmd in click_group.commands.items():
        if cname in subgroups:
            out["groups"].append(_group(subgroups[cname], cmd, cname))
        else:
            hints = _hints(functions.get(cname))
            out["commands"].append({"name": cname, "help": cmd.help, "hidden": bool(cmd.hidden),
                                    "params": [_param(p, hints) for p in cmd.params]})
    return out


def dump() -> dict:
    """The shape of `changju_check.cli.app` (imports the CLI: run it in a child process)."""
    import typer.main

    from changju_check import cli

    app = getattr(cli, "app")
    return _group(app, typer.main.get_command(app), None)


# --------------------------------------------------------------------------- the bare app


def _ann_src(a: dict, enums: dict[str, list]) -> str:
    if a["kind"] == "optional":
        return f"Optional[{_ann_src(a['of'], enums)}]"
    if a["kind"] == "list":
        return f"List[{_ann_src(a['of'], enums)}]"
    if a["kind"] == "enum":
        name = a["name"]
        if enums.get(name, a["values"]) != a["values"]:
            name = f"{name}{len(enums)}"
        enums[name] = a["values"]
        a["name"] = name
        return name
    return a["name"]


def _enum_of(a: dict):
    while a["kind"] in ("optional", "list"):
        a = a["of"]
    return a["name"] if a["kind"] == "enum" else None


def _param_src(p: dict, enums: dict[str, list]) -> str:
    ann = _ann_src(p["annotation"], enums)
    d = p["default"]
    if "enum" in d and _enum_of(p["annotation"]):
        default = f"{_enum_of(p['annotation'])}({d['enum']!r})"
    elif p["required"] and p["argument"]:
        default = "..."
    elif p["required"]:
        default = "..."
    else:
        default = repr(d.get("value"))
    decls = []
    if not p["argument"]:
        first = p["opts"][0] if p["opts"] else f"--{p['name']}"
        if p["secondary"]:
            first = f"{first}/{p['secondary'][0]}"
        decls = [first, *p["opts"][1:]]
    kwargs = []
    if p["help"]:
        kwargs.append(f"help={p['help']!r}")
    if p["eager"]:
        kwargs.append("is_eager=True")
    if p["callback"]:
        kwargs.append("callback=_noop")
    if p["hidden"]:
        kwargs.append("hidden=True")
    kind = "typer.Argument" if p["argument"] else "typer.Option"
    args = ", ".join([default, *map(repr, decls), *kwargs])
    return f"{p['name']}: {ann} = {kind}({args})"


def _settings_src(s: dict) -> str:
    parts = [f"help={s['help']!r}", f"no_args_is_help={s['no_args_is_help']!r}",
             f"rich_markup_mode={s['rich_markup_mode']!r}", f"pretty_exceptions_enable={s['pretty_exceptions_enable']!r}",
             f"add_completion={s['add_completion']!r}"]
    if s["context_settings"]:
        parts.append(f"context_settings={s['context_settings']!r}")
    return ", ".join(parts)


def source(shape: dict) -> str:
    """The bare app's module source for a shape from `dump()`."""
    enums: dict[str, list] = {}
    body: list[str] = []
    counter = [0]

    def emit_group(g: dict, var: str) -> None:
        body.append(f"{var} = typer.Typer({_settings_src(g['settings'])})")
        if g["callback"] is not None:
            params = ", ".join(_param_src(p, enums) for p in g["callback"]["params"])
            counter[0] += 1
            body.append(f"@{var}.callback()")
            body.append(f"def _callback{counter[0]}({params}) -> None:")
            body.append(f"    {g['callback']['help'] or ''!r}")
        for c in g["commands"]:
            params = ", ".join(_param_src(p, enums) for p in c["params"])
            counter[0] += 1
            hidden = ", hidden=True" if c["hidden"] else ""
            body.append(f"@{var}.command({c['name']!r}{hidden})")
            body.append(f"def _cmd{counter[0]}({params}) -> None:")
            body.append(f"    {c['help'] or ''!r}")
        for sub in g["groups"]:
            counter[0] += 1
            sub_var = f"_group{counter[0]}"
            emit_group(sub, sub_var)
            body.append(f"{var}.add_typer({sub_var}, name={sub['name']!r})")

    emit_group(shape, "app")
    head = [
        '"""Generated by bench/bare_app.py from changju\'s CLI: the same shape, bodies that do nothing."""',
        "from __future__ import annotations",
        "",
        "from datetime import datetime",
        "from enum import Enum",
        "from pathlib import Path",
        "from typing import List, Optional",
        "",
        "import typer",
        "",
        "",
        "def _noop(value):",
        "    return value",
        "",
    ]
    for name, values in enums.items():
        head.append(f"class {name}(str, Enum):")
        head.extend(f"    v{i} = {v!r}" for i, v in enumerate(values))
        head.append("")
    tail = ["", "", 'if __name__ == "__main__":', "    app()", ""]
    return "\n".join(head + body + tail)


def write(directory: Path, shape: dict) -> Path:
    """DIR/bare_changju/{__init__,app,__main__}.py; returns DIR (put it on PYTHONPATH).

    The app lives in a module of its own, as changju's does (cli/), so that its bytecode is cached
    like changju's: a `__main__` is compiled afresh on every run."""
    pkg = directory / "bare_changju"
    pkg.mkdir(parents=True, exist_ok=True)
    (pkg / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "app.py").write_text(source(shape), encoding="utf-8")
    (pkg / "__main__.py").write_text("from bare_changju.app import app\n\napp()\n", encoding="utf-8")
    return directory


def count(shape: dict) -> dict:
    """Commands and options of a shape (shown beside the start-up figures)."""
    commands = options = 0

    def walk(g: dict) -> None:
        nonlocal commands, options
        if g["callback"]:
            options += len(g["callback"]["params"])
        for c in g["commands"]:
            commands += 1
            options += len(c["params"])
        for sub in g["groups"]:
            walk(sub)

    walk(shape)
    return {"commands": commands, "parameters": options}


def main(argv: list[str]) -> int:
    if argv[:1] == ["dump"]:
        print(json.dumps(dump(), ensure_ascii=False))
        return 0
    if argv[:1] == ["write"] and len(argv) == 2:
        write(Path(argv[1]), dump())
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
