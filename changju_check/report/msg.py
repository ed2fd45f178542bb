"""The two things every room needs before any report exists: a message in both languages (`Msg`)
and the base of changju's own exceptions (`PortableError`). Apart from the model so that start-up
(`--help`, `list-required`, `explain`, the repository configuration) does not build the report's
dataclasses."""

from __future__ import annotations

from dataclasses import dataclass

LANGS = ("zh", "en")


@dataclass(frozen=True, order=True)
class Msg:
    """A message in both languages."""

    zh: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


def _rebuild_error(cls: type, args: tuple, state: dict) -> BaseException:
    exc = cls.__new__(cls, *args)
    exc.args = args
    exc.__dict__.update(state)
    return exc


class PortableError(Exception):
    """Base of changju's own exceptions: it crosses a process boundary whatever its constructor
    takes (pickle rebuilds it from its `args` and attributes, not by calling `__init__`), so an
    exception raised in a worker of `check --batch` reaches the parent instead of breaking the pool."""

    def __reduce__(self):
        return (_rebuild_error, (type(self), self.args, dict(self.__dict__)))
