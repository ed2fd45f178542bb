"""Help texts the HR officer reads are Chinese first: every command, every argument and every option
of every command has a Chinese help text (before this, `config`, `summary`, `--summary`,
`--per-finding`, `-q`, `--exit-zero`, `--shard`, `--changed`, `--show-personal`, `bundle --batch`
and others were English in the Chinese help)."""

from __future__ import annotations

import re

import typer.main

from changju_check.cli import app
from changju_check.cli.i18n import localise

CJK = re.compile(r"[\u4e00-\u9fff]")


def _tree():
    command = typer.main.get_command(app)
    localise(command, "zh")
    return command


def _walk(command, path=""):
    yield path or "changju", command, None
    for param in command.params:
        yield path or "changju", command, param
    for name, sub in (getattr(command, "commands", None) or {}).items():
        yield from _walk(sub, f"{path} {name}".strip())


def test_every_command_argument_and_option_has_chinese_help():
    english = []
    for path, command, param in _walk(_tree()):
        if param is None:
            text, what = command.help, path
        else:
            text, what = getattr(param, "help", None), f"{path} {param.opts[0] if param.opts else param.name}"
        if not text or not CJK.search(text):
            english.append(what)
    assert english == []


def test_the_options_shared_by_check_and_bundle_read_alike():
    """The recognition options are declared once (cli/recognition.py): one help text for both."""
    tree = _tree()
    def helps(name):
        return {p.opts[0]: p.help for p in tree.commands[name].params if p.opts}
    check, bundle = helps("check"), helps("bundle")
    for option in ("--read-scans", "--scan-pages", "--seals", "--no-cache", "--file-timeout", "--strict", "--select", "--ignore"):
        assert check[option] == bundle[option] and CJK.search(check[option])
