"""The `changju` command line: parse options, call the library, pick a renderer, set the exit code.

Only Typer is imported at start-up; every command imports what it needs when it runs, so
`changju --help` stays fast (no pypdf, no rich tables). The only room that prints or exits.

- `app.py`    the Typer app, shared options and helpers, `main()`
- `rules.py`  categories, list-required, explain, rules validate, schema
- `check.py`  check
- `review.py` check --format html: where the review sheet(s) go
- `init.py`   init
- `bundle.py` bundle

Exit codes: 0 no errors, 1 errors found, 2 unusable input.
"""

import os
import signal
import sys

from changju_check.cli import bundle, check, init, rules  # noqa: F401  (register the commands)
from changju_check.cli.app import app


class Terminated(BaseException):
    """SIGTERM or SIGHUP, raised where the program is, so that every `finally` and every
    cleanup runs as for Ctrl-C (a temporary file, the private spool folder of `bundle`)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _terminate(signum, frame) -> None:
    raise Terminated(signum)


def main() -> None:
    # Pydantic looks for third-party plugins (a scan of every installed package's entry points,
    # ~10 ms) when it first builds a model; changju uses none, so skip that unless the user asks.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _terminate)
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)
    except Terminated as exc:
        sys.stderr.write("terminated\n")
        sys.exit(128 + exc.signum)


__all__ = ["app", "main"]
