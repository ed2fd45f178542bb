"""Start-up builds the Click parameters of the one command a run names (issue 30: building all
twelve was a third of `list-required`'s time), and says exactly what the whole app would."""

from __future__ import annotations

import pytest

import changju_check.cli as cli
from changju_check.cli import app, main, only_the_command_named

NAMES = sorted([c.name for c in app.registered_commands] + [g.name for g in app.registered_groups])


def run(capsys, monkeypatch, *args, whole: bool = False):
    for key in ("CHANGJU_LANG", "NO_COLOR", "FORCE_COLOR", "COLUMNS"):
        monkeypatch.delenv(key, raising=False)
    if whole:
        monkeypatch.setattr(cli, "only_the_command_named", lambda app, args: app)
    with pytest.raises(SystemExit) as exit_:
        main(list(args))
    out, err = capsys.readouterr()
    return exit_.value.code, out, err


@pytest.mark.parametrize("args", [["list-required", "youth"], ["--lang", "en", "list-required", "youth"],
                                  ["--color", "never", "explain", "CJ101"], ["--lang=en", "--no-color", "rules", "validate"]])
def test_the_command_named_is_the_only_one_built(args):
    narrowed = only_the_command_named(app, args)
    named = [a for a in args if not a.startswith("-") and a not in ("en", "never")][0]
    assert [c.name for c in narrowed.registered_commands] + [g.name for g in narrowed.registered_groups] == [named]
    assert len(app.registered_commands) > 5  # the app itself is left whole


@pytest.mark.parametrize("args", [[], ["--help"], ["--lang", "en"], ["list-requird", "youth"], ["--", "check"]])
def test_without_a_command_named_the_whole_app_is_built(args):
    assert only_the_command_named(app, args) is app


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_command_s_help_is_the_same_as_the_whole_app_s(capsys, monkeypatch, name, lang):
    one = run(capsys, monkeypatch, "--lang", lang, name, "--help")
    whole = run(capsys, monkeypatch, "--lang", lang, name, "--help", whole=True)
    assert one == whole and one[0] == 0


@pytest.mark.parametrize("args", [["list-required", "youth"], ["list-required", "nosuch"], ["explain", "CJ101"],
                                  ["check", "--no-such-option"], ["rules"], ["categories", "--format", "json"]])
def test_a_run_and_its_errors_say_the_same_as_the_whole_app(capsys, monkeypatch, args):
    assert run(capsys, monkeypatch, *args) == run(capsys, monkeypatch, *args, whole=True)
