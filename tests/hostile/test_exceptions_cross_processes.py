"""Every exception changju defines can cross a process boundary.

A worker of `check --batch` (or of the scan readers) that raises sends the exception back
pickled; an exception whose constructor does not take its own `args` back cannot be unpickled,
the pool breaks, and every packet's report is lost. This test builds each exception class of the
package with sample arguments and round-trips it through pickle.
"""

from __future__ import annotations

import importlib
import inspect
import pickle
import pkgutil
import typing

import changju_check
from changju_check.report import Msg


def _classes():
    seen = {}
    for mod in pkgutil.walk_packages(changju_check.__path__, "changju_check."):
        if mod.name.endswith(("make_font_subset", "__main__")):
            continue
        try:
            module = importlib.import_module(mod.name)
        except ImportError:  # an optional extra not installed
            continue
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, BaseException) and cls.__module__.startswith("changju_check"):
                seen[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return seen


def _sample(annotation) -> object:
    text = str(annotation)
    if "ManifestProblem" in text:
        from changju_check.manifest.problems import ManifestProblem

        return [ManifestProblem(field="category", line=2, message=Msg(zh="未知类别", en="unknown category"))]
    if "OfflineType" in text:
        from types import SimpleNamespace

        return SimpleNamespace(key="hiccool")
    if "Msg" in text:
        return Msg(zh="无法读取", en="cannot read")
    if "int" in text and "str" not in text:
        return 7
    if "float" in text:
        return 1.5
    if "list" in text:
        return []
    if "dict" in text:
        return {}
    if "None" in text:
        return None
    return "x"


def _build(cls):
    sig = inspect.signature(cls.__init__)
    try:
        hints = typing.get_type_hints(cls.__init__)
    except Exception:  # noqa: BLE001 - forward references of another module
        hints = {}
    args, kwargs = [], {}
    for name, p in list(sig.parameters.items())[1:]:
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) or p.default is not p.empty:
            continue
        value = _sample(hints.get(name, p.annotation))
        if p.kind == p.KEYWORD_ONLY:
            kwargs[name] = value
        else:
            args.append(value)
    return cls(*args, **kwargs)


def test_the_package_defines_exceptions_and_the_test_finds_them():
    names = _classes()
    assert any(n.endswith("PacketError") for n in names)
    assert len(names) >= 6


def test_every_exception_of_the_package_survives_pickling():
    failed = []
    for name, cls in sorted(_classes().items()):
        try:
            exc = _build(cls)
        except Exception as err:  # noqa: BLE001
            failed.append(f"{name}: cannot build a sample ({err})")
            continue
        try:
            back = pickle.loads(pickle.dumps(exc))
        except Exception as err:  # noqa: BLE001
            failed.append(f"{name}: {type(err).__name__}: {err}")
            continue
        if type(back) is not cls or str(back) != str(exc):
            failed.append(f"{name}: came back as {type(back).__name__} {back!s}")
    assert failed == []
